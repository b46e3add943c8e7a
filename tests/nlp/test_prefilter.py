"""The cue regexes' literal prefilter (nlp.prefilter) skips only what cannot match."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from nlp import nrls
from nlp.prefilter import PatternSet, QuickRegex, leading_literals, loosen

DEV = Path(nrls.__file__).resolve().parent / "data" / "dev"


def test_leading_literals_read_from_the_pattern() -> None:
    lits = leading_literals(r"ตกเตียง|\bfall\b|fell?|(?:เงิน|กระเป๋า).{0,10}หาย")
    assert lits == ["ตกเตียง", "fall", "fel", "เงิน", "กระเป๋า"]
    assert leading_literals(r"x-?ray|ct") is None  # "x" alone is too short to filter on
    assert leading_literals(r"(?:a|bc)?de") is None  # an optional group may be skipped
    assert leading_literals(r"(?<!ไม่)ล้ม") is None


REPORTS = [
    "ผป.ลื่นล้มในห้องน้ำ ward ศีรษะกระแทก CT ปกติ ทำแผล v/s stable",
    "ให้ KCl 20 mEq IV push แทน drip on EKG VF CPR 30 นาที expired",
    "กระเป๋าสตางค์ญาติหาย แจ้งความ สภ. มูลค่า 12,000 บาท",
    "HOSxP ล่ม 3 ชม. server down ใช้ downtime form",
    "fell from bed, no pulse, x-ray shows fracture; ผป.ไม่รู้สึกตัว",
]


@pytest.mark.parametrize("text", REPORTS)
def test_prefiltered_rules_match_exactly_as_plain_regexes(text: str) -> None:
    low = nrls.coder_text(text)
    rules = [p for p, _, _ in nrls.CUE_RULES] + [p for _, p in nrls.SEVERITY_RULES + nrls.GENERAL_RULES]
    for pattern in rules:
        plain = re.search(pattern, low)
        quick = QuickRegex(pattern).search(low)
        assert (plain and plain.group(0)) == (quick and quick.group(0)), pattern


def _dev_incidents() -> list[str]:
    """Every incident narrative of the tuning files, plus long reports made by joining them."""
    texts = []
    for path in sorted(DEV.glob("tune*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line) if line.strip() else {}
            if row.get("kind") == "incident" or row.get("question") == "incident":
                texts.append(row["text"])
    joined = " ".join(texts)
    return REPORTS + texts + [joined[i : i + 1000] for i in range(0, len(joined) - 1000, 7919)]


def test_hyperscan_is_the_engine_here() -> None:
    # The x86-64 wheel ships Hyperscan (pyproject); without it every answer falls back to re, more slowly.
    assert nrls.RULE_SET.engine
    # Without it no answer is exact. Since round 12 the late cause families (mostly loosened patterns, which re
    # confirms) join the one pass too, so the exact share is about half, not most.
    assert sum(nrls.RULE_SET.exact) > len(nrls.RULE_SET.exact) // 3


def test_one_pass_answers_every_rule_exactly_as_re() -> None:
    """found() and search() of every attached rule agree with plain re on all the incident narratives:
    Hyperscan's yes is trusted only where nothing was loosened, and a match is searched for from where no
    earlier one can start."""
    rules = nrls._ALL_RULES
    for text in _dev_incidents():
        low = nrls.coder_text(text)
        for rx in rules:
            plain = re.search(rx.pattern, low)
            assert rx.found(low) == (plain is not None), (rx.pattern, text[:80])
            quick = rx.search(low)
            assert (plain and plain.span()) == (quick and quick.span()), (rx.pattern, text[:80])


def test_loosen_keeps_every_match() -> None:
    assert loosen(r"\bsars\b(?!-?cov)") == "sars"
    assert loosen(r"ฝ้า(?!ขาว)|สื่อ(?!สาร)") == "ฝ้า|สื่อ"
    assert loosen(r"(?<!ไม่)ล้ม\b") == "ล้ม"
    assert loosen(r"a\\b") == r"a\\b"  # an escaped backslash followed by b is no word boundary


def test_pattern_set_without_engine_says_maybe() -> None:
    patterns = PatternSet(["ไฟไหม้", "cpr"])
    patterns._ready, patterns._db = True, None  # as on a platform without a Hyperscan wheel
    assert patterns.hits("ไม่มีอะไร") == {0, 1}
    rx = QuickRegex("cpr")
    rx.attach(patterns, 1)
    assert not rx.found("ไม่มีอะไร")
    assert rx.found("ทำ cpr 20 นาที")
