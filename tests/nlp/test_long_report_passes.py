"""Issue 14, long reports: the per-token passes rewritten for speed (features, glued-token splitting, TF-IDF of a
large bag) give exactly what the plain per-token code gives, on the tokens of real tuning texts and on edge
cases (no glued token, every token glued, negators at the ends, "ไม่ค่อย" glued, empty tokens)."""

from __future__ import annotations

import itertools
import math
from collections import Counter

import numpy as np
import pytest

import nlp.model as model_module
from nlp.analyzer import Analyzer
from nlp.features import NEGATORS, content_features, split_glued
from nlp.model import _tfidf, feature_counts
from nlp.normalize import normalize_text

from .conftest import read_dev


def split_glued_reference(tokens: list[str]) -> list[str]:
    out: list[str] = []
    for tok in tokens:
        tail = []
        if len(tok) > 3 and tok.endswith("มาก"):
            tok, tail = tok[:-3], ["มาก"]
        if len(tok) > 3 and tok.startswith("ไม่"):
            rest = tok[3:]
            if rest.startswith("ค่อย") and len(rest) > 4:
                out += ["ไม่", "ค่อย", rest[4:]]
            else:
                out += ["ไม่", rest]
        else:
            out.append(tok)
        out += tail
    return out


def content_features_reference(tokens: list[str]) -> list[str]:
    feats = list(tokens)
    feats.extend(f"{a} {b}" for a, b in itertools.pairwise(tokens))
    feats.extend(f"~{b}" for a, b in itertools.pairwise(tokens) if a in NEGATORS)
    return feats


EDGE = [
    [],
    [""],
    ["ไม่"],
    ["ไม่ดีมาก", "ไม่ค่อยสะอาด", "ดีมาก", "มาก", "ไม่มาก", "ไม่ค่อย", "ไม่ค่อยมาก", "", " ", "รอ"],
    ["ไม่ดี"] * 5,
    ["รอ", "นาน", "มาก", "ไม่"],
    ["ไม่", "ไม่", "ดี", "", "ไม่มี"],
]


@pytest.fixture(scope="module")
def token_lists(analyzer: Analyzer) -> list[list[str]]:
    texts = [row["text"] for name in ("tune7.jsonl", "tune8.jsonl", "tune11.jsonl") for row in read_dev(name)]
    joined = " ".join(texts)
    texts += [joined[i : i + 1000] for i in range(0, 20000, 1000)]  # long reports, as the speed bench cuts them
    return [analyzer.tokenize(normalize_text(t)) for t in texts if isinstance(t, str)] + EDGE


def test_split_glued_is_the_per_token_reference(token_lists: list[list[str]]) -> None:
    for tokens in token_lists:
        assert split_glued(tokens) == split_glued_reference(tokens), tokens[:12]
        assert split_glued(tokens) is not tokens  # a new list: the caller's tokens are kept as they were


def test_content_features_are_the_reference(token_lists: list[list[str]]) -> None:
    for tokens in token_lists:
        toks = split_glued(tokens)
        assert content_features(toks) == content_features_reference(toks), toks[:12]


def test_tfidf_of_a_large_bag_is_the_plain_loop_to_the_last_bit(
    analyzer: Analyzer, token_lists: list[list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert analyzer.model is not None and analyzer.model.topics is not None
    bags = [feature_counts(split_glued(t)) for t in token_lists]
    # counts past the 1 + ln(n) table, and a bag with no known feature
    vocab = list(analyzer.model.topics.vocab)
    bags += [Counter({f: n for f, n in zip(vocab[:300], range(1, 3000, 10), strict=False)}),
             Counter({f"ไม่มีในคลัง{n}": 2 for n in range(100)})]  # fmt: skip
    assert any(len(b) >= model_module.TFIDF_VECTOR_MIN for b in bags)
    for model in (analyzer.model, analyzer.model.topics):
        for bag in bags:
            monkeypatch.setattr(model_module, "TFIDF_VECTOR_MIN", 10**9)
            plain = _tfidf(model.vocab, model.idf, [], bag)
            monkeypatch.setattr(model_module, "TFIDF_VECTOR_MIN", 0)
            fast = _tfidf(model.vocab, model.idf, [], bag)
            assert (plain is None) == (fast is None)
            if plain is not None and fast is not None:
                assert plain[0].tolist() == fast[0].tolist()
                assert plain[1].tobytes() == fast[1].tobytes()
    # the table holds exactly what math.log gives
    assert all(model_module._SUBLINEAR[n] == 1.0 + math.log(n) for n in range(1, len(model_module._SUBLINEAR)))
    assert isinstance(model_module._SUBLINEAR, np.ndarray)


# Sentences that the joined-words regexes of severity.assess find (a relative's death, never events, the lay cues
# for deaths, arrests, blood, children taken, blows) and look-alikes they must not find.
JOINED_CUES = [
    "เช้ามาแม่เสียแล้วค่ะ ไม่มีใครบอกเลย",
    "ต่อมาก็เสียชีวิตในห้องฉุกเฉิน",
    "พ่อก็จากไปแล้ว หลังย้ายวอร์ด",
    "หายใจเบาลงเรื่อยๆจนหยุด ต้องเรียกทีมมาช่วย",
    "ให้เลือดน้องสาวผิดคนค่ะ ตอนนี้ไข้ขึ้น",
    "ถุงเลือดของเตียงข้างถูกเอามาแขวนให้ยาย",
    "หมอหาหัวใจลูกไม่เจอ ก่อนหน้าบอกให้กลับบ้าน",
    "หมอผ่าไส้เลื่อนข้างขวาของพ่อ ทั้งที่เป็นข้างซ้าย",
    "ไปอีกโรงพยาบาลเจอกรรไกรทิ้งไว้ในท้อง",
    "ลูกสาวโดนคนขโมยไปจากเตียงตอนแม่หลับ",
    "ญาติชกเจ้าหน้าที่จนล้ม แจ้งตำรวจ",
    "อุ้มลูกจากไปตอนเช้า",
    "หมอเดินจากไปแล้ว ไม่อธิบายอะไร",
    "ขู่ว่าจะมาดักรอทำร้ายหมอ",
]


def test_assess_runs_a_joined_words_regex_only_where_its_pass_heard_it(
    analyzer: Analyzer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The gate changes no answer: assess with every joined-words regex run (the pass told "everything heard")
    gives the same result as assess gated, on each cue alone, all of them in one long report, and none."""
    from nlp import severity

    rules = severity._rules()
    assert len(rules.long_id) >= 2 + len(severity.LAY_CUES)
    texts = [*JOINED_CUES, " ".join(JOINED_CUES), " ".join(JOINED_CUES) * 3, "ผู้ป่วยนอนพักดี ไม่มีอาการผิดปกติ"]
    cases = []
    for text in texts:
        norm = normalize_text(text)
        cases.append((norm, split_glued(analyzer.tokenize(norm))))
    gated = [severity.assess(norm, toks) for norm, toks in cases]
    every = frozenset(range(len(rules.long_set.patterns)))
    real_hits = rules.long_set.hits
    monkeypatch.setattr(rules.long_set, "hits", lambda text: real_hits(text) | every)
    ungated = [severity.assess(norm, toks) for norm, toks in cases]
    assert gated == ungated
    assert any(r.sentinel for r in gated)  # the cues are heard, not only skipped
