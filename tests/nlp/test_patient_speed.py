"""The patient path's shortcuts (issue 14 speed: ≥ 2,000 patient messages a CPU-second) answer exactly as the
full passes they skip: the frames run only the patterns one Hyperscan pass says can match, and the severity
rules return at once when no cue of theirs is in the text. Recall first: a patient message that tells a
sentinel event is still flagged."""

from __future__ import annotations

import re

import numpy as np
import pytest

from nlp import frames
from nlp.analyzer import Analyzer
from nlp.features import split_glued
from nlp.normalize import normalize_text
from nlp.severity import assess
from tests.nlp.conftest import read_dev
from tests.nlp.test_compiled_passes import TEXTS

# Answers the frames and named patterns hear (one or more per pattern), and some they must not.
FRAME_TEXTS = [
    "หมอ มีน้อย รอนาน",
    "แพทย์ไม่เพียงพอ คนไข้เยอะ",
    "งงว่าต้องไปตรงไหน ขั้นตอนเยอะมาก",
    "โทรมาไม่ติดเลยค่ะ หมอไม่ค่อยอธิบาย",
    "ห้องน้ำสกปรก ที่นั่งรอไม่พอ แอร์ไม่เย็น",
    "ได้ตรวจช้า ใช้เวลาทั้งวัน รอ 3 ชั่วโมง",
    "ที่จอดรถไม่พอ ป้ายบอกทางไม่ชัด",
    "ออกตรวจวันไหนคะ ต้องจองก่อนไหม",
    "หมอให้ถามในสิ่งที่สงสัย อธิบายละเอียดมาก",
    "ทำบัตรไวมาก ห้องยาเร็ว",
    "รอรถเข็นหน้าตึกนาน",
    "ช้ามากค่ะ",
    "ลุง อสม.พายายไปส่งโรงพยาบาลกลางดึก",  # round 9: transport named (parking_access)
    "ได้ยาความดันของคนอื่นมา พยาบาลเอาผลเลือดแม่ไปเล่าให้คนอื่นฟัง",
    "หมอพูดน้อย",
    "หมอกควันเยอะ ออกตรวจช้า",
    "ไม่มีหมอผู้หญิงเลยหรอคะ อยากให้มีล่ามภาษาพม่า",  # round 10: a female doctor (staffing), an interpreter
    "หนูอายุ 15 ถ้ามาขอยาคุม จะแจ้งพ่อแม่ไหมคะ",  # round 12 (tune29 patient): a teen's privacy asked (safety_privacy)
    "ลูกผมเป็นผู้ต้องขัง แต่ทุกคนดูแลเหมือนคนไข้คนอื่นเลย",  # r13 (tune32 patient): named staff_behavior
    "อยากให้มีร้านข้าวแกงหลายร้าน",  # r13: named food
    "เข้าไปเจอหมอได้ 2 นาทีเอง ไม่ได้ถามอะไรเลย",  # r13 tune34: a visit of minutes (clinical_care)
]


def _texts() -> list[str]:
    names = ("tune10.jsonl", "tune14.jsonl", "tune15.jsonl")
    patient = [row.get("text", "") for name in names for row in read_dev(name)]
    return [*TEXTS, *FRAME_TEXTS, *(t for t in patient if isinstance(t, str))]


def _every_pattern(patterns: tuple[tuple[str, object], ...], squeezed: str) -> dict[str, list[str]]:
    """What the frames found before the Hyperscan gate: every pattern run over the squeezed text."""
    found: dict[str, list[str]] = {}
    for code, rx in patterns:
        hits = [m.group(0) for m in rx.finditer(squeezed)]  # type: ignore[attr-defined]
        if hits:
            found[code] = hits
    return found


def test_frames_find_what_every_pattern_finds() -> None:
    heard: set[str] = set()
    for text in _texts():
        norm = normalize_text(text)
        squeezed = norm.replace(" ", "")
        named = _every_pattern(frames.NAMED, squeezed)
        assert frames.named_topics(norm) == named, text
        framed = frames.frame_topics(norm)
        expected = _every_pattern(frames.FRAMES, squeezed)
        assert {c: framed[c] for c in expected} == expected, text
        heard |= {f"frame:{c}" for c in expected} | {f"named:{c}" for c in named}
    # the gate was not vacuous: every frame and named topic was heard somewhere
    assert heard >= {f"frame:{c}" for c, _ in frames.FRAMES} | {f"named:{c}" for c, _ in frames.NAMED}


def test_severity_shortcut_changes_nothing(analyzer: Analyzer) -> None:
    quiet = 0
    for text in [*_texts(), *SENTINEL_PATIENT]:
        norm = normalize_text(text)
        toks = split_glued(analyzer.tokenize(norm))
        fast = assess(norm, toks)
        assert fast == assess(norm, toks, shortcut=False), text
        quiet += fast.severity_hint is None and not fast.topics
    assert quiet > 500  # most patient answers take the shortcut


# Patient messages that tell a sentinel event, some only through the cues read beside the phrase lists (a
# relative's death, a never event, the police told of a theft or an abduction).
SENTINEL_PATIENT = [
    "แม่เสียแล้วค่ะ พยาบาลไม่มาดูเลย",
    "คนไข้เสียชีวิตเพราะรอหมอนาน",
    "ผ่าตัดผิดข้างค่ะ ต้องผ่าใหม่",
    "กระเป๋าเงินหายในวอร์ด แจ้งตำรวจแล้วค่ะ",
    "มีคนอุ้มเด็กออกไปจากห้องคลอด แจ้งตำรวจแล้ว",
    "ญาติถูกทำร้ายร่างกายในโรงพยาบาล",
    "หมอให้เลือดผิดคน",
]


@pytest.mark.parametrize("question", ["message", "complaint", "dissatisfaction", None])
@pytest.mark.parametrize("text", SENTINEL_PATIENT)
def test_patient_message_telling_a_sentinel_event_is_flagged(analyzer: Analyzer, text: str, question: str) -> None:
    analysis = analyzer.analyse(text, question=question)
    assert analysis.sentinel, (text, analysis.details["severity_reasons"])
    assert analysis.complaint


def test_tfidf_models_read_a_message_as_sklearn_does() -> None:
    """The models' own TF-IDF (idf used as it is when every count is 1, sublinear tf otherwise) and their
    probabilities against scikit-learn's transform of the same messages, repeated words included."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from nlp.features import token_features
    from nlp.model import SentimentModel, TopicModel

    docs = [
        ["รอ", "นาน", "มาก", "ค่ะ"],
        ["หมอ", "ดี", "หมอ", "ดี", "หมอ"],
        ["ไม่", "สะอาด", "ห้องน้ำ", "ห้องน้ำ"],
        ["พยาบาล", "ใจดี", "ขอบคุณ"],
        ["รอ", "รอ", "รอ", "นาน", "ไม่", "ดี"],
    ]
    vec = TfidfVectorizer(analyzer=token_features, sublinear_tf=True)
    x = vec.fit_transform(docs).toarray()
    rng = np.random.default_rng(14)
    vocab = {t: int(i) for t, i in vec.vocabulary_.items()}
    coef, intercept = rng.normal(size=(4, len(vocab))), rng.normal(size=4)
    topics = TopicModel(("a", "b", "c", "d"), vocab, vec.idf_, coef, intercept)
    sentiment = SentimentModel("t", "h", ("neg", "neu", "pos"), vocab, vec.idf_, coef[:3], intercept[:3], {})
    for doc, row in zip([*docs, ["ใหม่", "ใหม่"]], [*x, np.zeros(len(vocab))], strict=True):
        expected = 1.0 / (1.0 + np.exp(-(intercept + coef @ row)))
        got = topics.proba(doc, 0.0)
        if not row.any():  # no known word: no topic at all
            assert got == {}
        else:
            assert [got[c][0] for c in topics.classes] == pytest.approx(expected.tolist(), abs=1e-12)
        scores = intercept[:3] + coef[:3] @ row
        soft = np.exp(scores - scores.max()) / np.exp(scores - scores.max()).sum()
        assert list(sentiment.proba(doc).values()) == pytest.approx(soft.tolist(), abs=1e-12)


def test_unbound_widens_bounded_repeats_only() -> None:
    from nlp.prefilter import unbound

    assert unbound(r"รอ\S{0,6}?นาน|ถ่า.{1,40}ดน") == r"รอ\S*นาน|ถ่า.+ดน"
    # exact counts and escaped braces stay
    assert unbound(r"\d{2,4}|a{3}|a{1}|a{2,2}|\{0,3\}") == r"\d{2,}|a{3}|a{1}|a{2,2}|\{0,3\}"
    # The frames' Hyperscan set has no bounded repeat left: unrolled, they took about five seconds to compile.
    assert not any(re.search(r"(?<!\\)\{[01],\d+\}", expr) for _, _, expr in frames._PATTERNS._exprs)
    # and a pattern that had one is never answered by Hyperscan alone
    patterns = frames._PATTERNS
    assert not any(exact for exact, p in zip(patterns.exact, patterns.patterns, strict=True) if unbound(p) != p)
