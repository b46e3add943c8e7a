from __future__ import annotations

import pytest

from nlp import Analysis, Analyzer, get_analyzer
from nlp.topics import TOPIC_CODES, load_topics


def codes(result: Analysis) -> set[str]:
    return {t.code for t in result.topics}


def test_get_analyzer_is_a_cached_singleton(analyzer: Analyzer) -> None:
    """get_analyzer() returns the same instance every time."""
    assert get_analyzer() is analyzer


def test_negated_problem_is_not_a_topic_complaint(analyzer: Analyzer) -> None:
    """ "ไม่รอนาน" is praise of the waiting time (no complaint, not negative), "รอนาน" is a complaint."""
    negated = analyzer.analyse("ไม่รอนานเลยค่ะ")
    assert not negated.complaint
    assert negated.sentiment.label == "pos"
    assert all("รอนาน" not in e or e.startswith("ไม่") for t in negated.topics for e in t.evidence)
    plain = analyzer.analyse("รอนานมาก")
    assert "waiting" in codes(plain)
    assert plain.complaint
    assert plain.sentiment.label == "neg"


def test_negated_praise_becomes_complaint(analyzer: Analyzer) -> None:
    """ "ไม่ค่อยสะอาด" tags environment with the negation in the evidence, as a complaint."""
    r = analyzer.analyse("ห้องน้ำไม่ค่อยสะอาดค่ะ")
    env = next(t for t in r.topics if t.code == "environment")
    assert "ไม่ค่อยสะอาด" in env.evidence
    assert r.complaint
    assert r.sentiment.label == "neg"


def test_negated_positive_word_is_negative(analyzer: Analyzer) -> None:
    """Negation flips praise words: "บริการไม่ดีเลย" is negative."""
    assert analyzer.analyse("บริการไม่ดีเลย").sentiment.label == "neg"


def test_contrast_praise_and_complaint_is_neutral(analyzer: Analyzer) -> None:
    """Praise and complaint joined by แต่ are mixed → neu, and still a complaint."""
    r = analyzer.analyse("หมอใจดีมาก แต่รอนานมากกก")
    assert r.sentiment.label == "neu"
    assert {"staff_behavior", "waiting"} <= codes(r)
    assert r.complaint


def test_intensified_praise_is_positive(analyzer: Analyzer) -> None:
    """Praise with intensifiers and emoji is pos with a high score and no complaint."""
    r = analyzer.analyse("พยาบาลน่ารักมากๆ ขอบคุณค่ะ 👍")
    assert r.sentiment.label == "pos"
    assert r.sentiment.score > 0.5
    assert not r.complaint


def test_angry_emoji_alone_is_negative(analyzer: Analyzer) -> None:
    """An angry emoji carries negative sentiment."""
    assert analyzer.analyse("😡😡").sentiment.label == "neg"


def test_request_for_change_is_a_complaint(analyzer: Analyzer) -> None:
    """A wish for improvement opens a case even without negative words."""
    r = analyzer.analyse("อยากให้เพิ่มที่จอดรถค่ะ")
    assert r.complaint
    assert "parking_access" in codes(r)


def test_question_is_not_a_complaint(analyzer: Analyzer) -> None:
    """A plain question is neither a complaint nor negative."""
    r = analyzer.analyse("คลินิกเบาหวานเปิดวันไหนคะ")
    assert not r.complaint
    assert r.sentiment.label != "neg"


def test_ratings_fuse_with_text(analyzer: Analyzer) -> None:
    """Low ratings pull a neutral text towards negative, high ones towards positive."""
    text = "มาตรวจตามนัดค่ะ"
    plain = analyzer.analyse(text).sentiment.score
    assert analyzer.analyse(text, ratings=[1, 1, 2]).sentiment.score < plain
    assert analyzer.analyse(text, ratings=[5, 5, 5]).sentiment.score > plain


EXAMPLES = {
    "waiting": "รอคิวนานมาก 3 ชั่วโมง",
    "staff_behavior": "เจ้าหน้าที่พูดจาไม่สุภาพ",
    "communication": "หมอไม่อธิบายอะไรเลย",
    "clinical_care": "หมอตรวจไม่ละเอียด",
    "medication": "ได้ยาไม่ครบ",
    "environment": "ห้องน้ำสกปรก",
    "cost_rights": "ค่ารักษาแพงมาก",
    "process": "ขั้นตอนยุ่งยาก เอกสารเยอะ",
    "food": "อาหารจืดไม่อร่อย",
    "parking_access": "ที่จอดรถไม่พอ",
    "safety_privacy": "ห้องตรวจไม่มีม่าน ไม่มีความเป็นส่วนตัว",
    "staffing": "พยาบาลไม่พอกับผู้ป่วย",
}


def test_examples_cover_every_topic() -> None:
    """The per-topic examples cover exactly the 12 topic codes."""
    assert set(EXAMPLES) == set(TOPIC_CODES) == set(load_topics())


@pytest.mark.parametrize("code", TOPIC_CODES)
def test_each_topic_detected_with_evidence(analyzer: Analyzer, code: str) -> None:
    """Each topic is detected on a typical complaint and carries the words that triggered it."""
    text = EXAMPLES[code]
    tag = next((t for t in analyzer.analyse(text).topics if t.code == code), None)
    assert tag is not None, f"{code} not detected in {text!r}"
    assert tag.evidence and all(isinstance(e, str) and e for e in tag.evidence)
    assert 0 < tag.score <= 1


def test_to_dict_is_the_contract_shape(analyzer: Analyzer) -> None:
    """to_dict() has exactly the contract keys and JSON types."""
    d = analyzer.analyse("หมอดีมาก แต่ที่จอดรถไม่พอ").to_dict()
    assert list(d) == ["tokens", "topics", "sentiment", "complaint", "severity_hint", "sentinel"]
    assert all(set(t) == {"code", "score", "evidence"} for t in d["topics"])
    assert set(d["sentiment"]) == {"label", "score"}
    assert d["sentiment"]["label"] in {"pos", "neu", "neg"}
    assert -1 <= d["sentiment"]["score"] <= 1


def test_empty_text_is_harmless(analyzer: Analyzer) -> None:
    """Empty or whitespace-only text gives an empty, neutral analysis."""
    r = analyzer.analyse("   ")
    assert r.tokens == [] and r.topics == [] and not r.sentinel


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ไปรับยา พยาบาลพูดจาไม่ดี", {"staff_behavior"}),  # the pharmacy is only named
        ("หมออธิบายว่าต้องผ่าตัด พยาบาลดุมาก", {"staff_behavior"}),  # the surgery is only named
        ("ให้ยาผิด ผู้ป่วยหัวใจหยุดเต้น ทำ CPR", {"medication"}),  # the cause, not the harm
        ("ผู้ป่วยเสียชีวิตโดยไม่คาดคิดบนเตียง", {"clinical_care"}),  # harm alone still tags care
        ("หมอใจดีมากค่ะ", {"staff_behavior"}),
        ("เภสัชใจดีค่ะ", {"staff_behavior"}),
        ("รอผลเลือด 3 ชั่วโมง", {"waiting"}),  # a wait given its length is judged
        # A question carries the topic it asks about (LABELLING.md: opening hours → process), and a polite
        # question is no communication problem.
        ("ไม่ทราบว่าคลินิกเปิดกี่โมงคะ", {"process"}),
    ],
)
def test_topics_follow_labelling_conventions(analyzer: Analyzer, text: str, expected: set[str]) -> None:
    """Topics follow nlp/data/dev/LABELLING.md: judged aspects, the incident's cause, praise of staff."""
    assert codes(analyzer.analyse(text)) == expected


def test_secondary_words_yield_to_another_topic(analyzer: Analyzer) -> None:
    """A general problem word ("ไม่บอก") tags its topic alone, but not beside another topic's own evidence."""
    assert codes(analyzer.analyse("ค่ารักษาแพงมาก ไม่บอกก่อนเลย")) == {"cost_rights"}
    assert "communication" in codes(analyzer.analyse("ถามอะไรก็ไม่บอกเลย"))


def test_secondary_praise_yields_to_another_topic(analyzer: Analyzer) -> None:
    """General speed praise ("ไวมาก") is the wait's alone, but the chat's beside "ตอบแชท"."""
    assert codes(analyzer.analyse("ได้ตรวจ ไวมากค่ะ")) == {"waiting"}
    assert "waiting" not in codes(analyzer.analyse("แอดมินตอบแชทไวมากค่ะ"))
