"""The analyser's compiled passes (issue 14 speed) answer exactly as the plain-Python references they replace:
the Aho-Corasick phrase matcher, the fast normalisation, the vectorised clause ids and the cue patterns
scanned one alternative at a time."""

from __future__ import annotations

import math
import re
from collections import Counter

import numpy as np
import pytest

from nlp import matcher as matcher_module
from nlp import nrls
from nlp.analyzer import Analyzer, _clause_ids_reference
from nlp.features import content_tokens, split_glued, token_features
from nlp.matcher import (
    AUTOMATON_MIN_TOKENS,
    CLAUSE_VECTOR_MIN,
    Match,
    PhraseMatcher,
    clause_ids,
    loose_key,
    loose_key_reference,
    loose_keys,
)
from nlp.model import _tfidf, feature_counts
from nlp.normalize import collapse_spaces, normalize_text, normalize_text_reference
from nlp.severity import _rules

# Spaces inside words, Thai digits, mixed Latin and shorthand, repeated characters, typos the loose keys forgive,
# karan and tone marks at token edges, emoji, zero-width characters, empty and whitespace-only text.
TRICKY = [
    "",
    " ",
    "\u200b",
    "ร อ น า น ม า ก ค่ ะ",
    "หมอ ไม่ ค่อย อธิบาย   พยาบาล\tพูดจา\nไม่ดี",
    "รอคิว ๓ ชั่วโมง ยาหมด ๑๒๓๔ บาท",
    "ผป.ward 5 on ETT, SpO2 60%, GCS E1V1M1 เริ่ม CPR ทันที ROSC 12 นาที ย้าย ICU",
    "ช้าาาาาา มากกกกกก!!!!! 55555 ดีีีี่่่",
    "แพท แพทย์ แพทย รพ รพ. รพ.สต. เเย่มาก",
    "ไม่รอนาน ไม่ค่อยสะอาด ห้องน้ำไม่สะอาดมาก ที่จอดรถไม่พอ",
    "😡😡 รอนาน 😭 ขอบคุณค่ะ 🙏",
    "ก์ กิ์ กุ์ ก่์ ์ ่ ่่ . .. ...",
    "กระเป๋าหายแจ้งตำรวจ ให้เลือดผิดคน ผ่าตัดผิดข้าง ลื่นล้มในห้องน้ำ",
    "a" * 30 + " ข" * 20,
]


def _long_text() -> str:
    """About 10,000 characters: every tricky text and a run of clauses, over and over."""
    unit = " ".join(TRICKY[3:]) + " ผู้ป่วยตกเตียง ให้ยาผิดขนาด หมอมาสาย รอนานมาก "
    return (unit * (10_000 // len(unit) + 1))[:10_000]


TEXTS = [*TRICKY, _long_text()]


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer()


def _token_lists(analyzer: Analyzer) -> list[list[str]]:
    lists = [split_glued(analyzer.tokenize(normalize_text(t))) for t in TEXTS]
    # Hand-made splits: tokens whose loose key is empty (a dot, a tone mark), an empty token, a phrase cut in two.
    lists += [
        ["รอ", ".", "นาน"],
        ["ห้อง", "่", "น้ำ", "ไม่", "สะอาด"],
        ["", "รอนาน", ""],
        ["ไม่", "สะ", "อาด", ".", ".", "มาก"],
        list("รอนานมาก"),
        [],
    ]
    return lists


def test_phrase_matchers_find_what_the_reference_finds(analyzer: Analyzer) -> None:
    matchers: list[PhraseMatcher[object]] = [analyzer.matcher, _rules().matcher]  # type: ignore[list-item]
    for matcher in matchers:
        assert matcher._automaton is not None  # the compiled pass is what runs here
        for tokens in _token_lists(analyzer):
            # also the short lists through the automaton, and the long ones repeated (with a split phrase between)
            for toks in (tokens, tokens * (AUTOMATON_MIN_TOKENS // max(len(tokens), 1) + 1)):
                assert matcher.find(toks) == matcher.find_reference(toks), toks[:12]


def test_phrase_matcher_without_pyahocorasick_falls_back() -> None:
    matcher = PhraseMatcher([("รอนาน", "waiting"), ("ไม่สะอาด", "clean")], loose=True)
    tokens = ["รอ", "นาน", "มาก", "ไม่", "สะอาด"] * AUTOMATON_MIN_TOKENS
    fast = matcher.find(tokens)
    matcher._automaton = None
    assert matcher.find(tokens) == fast
    assert [m.payload for m in fast[:2]] == ["waiting", "clean"]


def test_normalisation_is_the_reference_chain() -> None:
    for text in [*TEXTS, "๐๐๐", "\u3000ก\x1cข\x85", "...", "—" * 5, "\u0e48" * 4]:
        assert normalize_text(text) == normalize_text_reference(text), text[:40]


def test_loose_keys_and_collapsed_spaces_are_the_regexes_answers() -> None:
    for text in [*TEXTS, "กิ่์", "\u0e4c\u0e4c", "ก\u0e34\u0e4c\u0e4c", "\u3000ก\x1cข\x85 ", "  "]:
        for variant in (text, text.lower().replace(" ", ""), normalize_text(text)):
            assert loose_key.__wrapped__(variant) == loose_key_reference(variant), variant[:40]
        assert collapse_spaces(text) == re.sub(r"\s+", " ", text), text[:40]


def test_clause_ids_match_the_reference_walk(analyzer: Analyzer) -> None:
    for text in TEXTS:
        norm = normalize_text(text)
        toks = split_glued(analyzer.tokenize(norm))
        fast = clause_ids(norm, toks)
        assert fast is None or fast == _clause_ids_reference(norm, toks), text[:40]
    many = CLAUSE_VECTOR_MIN
    assert clause_ids(" ".join(["รอ นาน"] * many), ["รอ", "นาน"] * many) == list(range(2 * many))
    # A token across the space, or tokens that do not tile the text: the reference walk decides.
    assert clause_ids(" ".join(["รอ นาน"] * many), ["รอน", "าน"] * many) is None
    assert clause_ids(" ".join(["รอ นาน"] * many), ["รอ"] * (2 * many)) is None
    assert clause_ids("  ".join(["รอ นาน"] * many), ["รอ", "นาน"] * many) is None
    assert clause_ids("รอ นาน", ["รอ", "นาน"]) is None  # a short message: the walk is cheaper


def test_split_cue_patterns_answer_as_re_on_tricky_reports() -> None:
    """The arrest signs and the other loosened alternations are scanned one alternative at a time; found()
    and search() still give re's answer and span."""
    assert any(len(exprs) > 5 for exprs in nrls.RULE_SET._alts.values())
    for text in [*TEXTS, "no pulse" + " ก" * 400 + " sat 60%", "เครื่อง cpr ส่งซ่อม แต่ผป. pulse 0 ทำ cpr"]:
        low = nrls.coder_text(text)
        for rx in nrls._ALL_RULES:
            plain = re.search(rx.pattern, low)
            assert rx.found(low) == (plain is not None), (rx.pattern[:40], low[:60])
            quick = rx.search(low)
            assert (plain and plain.span()) == (quick and quick.span()), (rx.pattern[:40], low[:60])


def test_feature_counts_from_the_content_tokens_are_the_token_features(analyzer: Analyzer) -> None:
    """The analysis counts the models' features from the content tokens it computed once: the same features,
    counts and order as ``Counter(token_features(tokens))`` (the order TfidfVectorizer's sums follow)."""
    for tokens in [*_token_lists(analyzer), ["ไม่", "ดี", "ไม่", "ดี", "ค่ะ", "!!", "ไม่"]]:
        expected = Counter(token_features(tokens))
        for got in (feature_counts(tokens), feature_counts(tokens, content_tokens(tokens))):
            assert list(got.items()) == list(expected.items()), tokens[:12]


def test_tfidf_weights_are_the_sublinear_formula_to_the_last_bit(analyzer: Analyzer) -> None:
    """The looked-up weights (a table of 1 + ln(count) for small counts) are the floats math.log gives, in
    the features' order, counts past the table included."""
    assert analyzer.model is not None and analyzer.model.topics is not None
    for model in (analyzer.model, analyzer.model.topics):
        known = [t for t in model.vocab if " " not in t and not t.startswith("~")][:6]
        tokens = [w for k, w in enumerate(known) for _ in range((1, 2, 3, 63, 64, 70)[k])] + ["ไม่มีในคลัง"]
        counts = Counter(token_features(tokens))
        cols = [model.vocab[f] for f in counts if f in model.vocab]
        w = np.array([1.0 + math.log(n) for f, n in counts.items() if f in model.vocab]) * model.idf[cols]
        w /= math.sqrt(float(w @ w))
        x = _tfidf(model.vocab, model.idf, tokens, counts)
        assert x is not None
        assert x[0].tolist() == cols and x[1].tobytes() == w.tobytes()
    assert _tfidf(analyzer.model.vocab, analyzer.model.idf, ["ไม่มีในคลัง"]) is None


def test_loose_keys_of_tokens_are_loose_key_of_each(analyzer: Analyzer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(matcher_module, "_loose_keys", {})
    monkeypatch.setattr(matcher_module, "LOOSE_CACHED", 8)  # the cache fills and clears mid-list
    for tokens in _token_lists(analyzer):
        for _ in range(2):  # cold, then from the cache
            assert loose_keys(tokens) == [loose_key(t) for t in tokens], tokens[:12]
    assert len(matcher_module._loose_keys) <= 8


def test_matches_compare_and_hash_by_value() -> None:
    """Match is a plain (faster to build) dataclass now: still equal and hashable by its fields."""
    a, b = Match(0, 2, "รอนาน", "waiting", 0, 5), Match(0, 2, "รอนาน", "waiting", 0, 5)
    assert a == b and hash(a) == hash(b) and len({a, b}) == 1
    assert a != Match(0, 2, "รอนาน", "clean", 0, 5)


def test_an_incident_report_is_a_complaint_whatever_it_wishes(analyzer: Analyzer) -> None:
    """The incident path skips the wish and praise rules (they cannot change an incident's label): a report
    that proposes changes is still a complaint, labelled negative, and no suggestion."""
    report = "ผู้ป่วยลื่นล้มในห้องน้ำ ไม่มีบาดเจ็บ อยากให้มีราวจับ ควรปรับปรุงพื้น ขอบคุณค่ะ"
    a = analyzer.analyse(report, question="incident")
    assert (a.complaint, a.sentiment.label, a.details["decided_by"], a.details["suggestion"]) == (
        True, "neg", "incident", False)  # fmt: skip
