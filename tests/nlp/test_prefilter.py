"""The cue regexes' literal prefilter (nlp.prefilter) skips only what cannot match."""

from __future__ import annotations

import re

import pytest

from nlp import nrls
from nlp.prefilter import QuickRegex, leading_literals


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
