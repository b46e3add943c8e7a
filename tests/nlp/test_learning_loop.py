"""The learning loop (issue 14): the hospital's corrections, learnt by `nlp.train --corrections`, override the
shipped lexicon where the two disagree, and leave it alone where they agree or where the corrections are too
few to show anything."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from nlp import Analyzer
from nlp.model import load_model
from nlp.train import main

# Tiny general-Thai sentiment data stands in for wisesight: the test is about the corrections.
WISESIGHT = [
    ("pos", "ดีมาก ชอบ"), ("pos", "ประทับใจ ดีมาก"), ("neg", "แย่มาก ห่วย"), ("neg", "ห่วย ผิดหวัง"),
    ("neu", "วันนี้ไปตลาด"), ("neu", "เปิดกี่โมง"),
]  # fmt: skip
PLACES = ("หน้าตึก", "หน้าห้องตรวจ", "ที่ลานจอด", "ถึงวอร์ด", "ตอนเช้า", "ให้ยาย", "ให้ตา", "จากรถ", "ถึงห้องยา",
          "ไปห้องแล็บ", "ตอนฝนตก", "ไปตึกใหม่")  # fmt: skip


def _jsonl(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def _train(tmp_path: Path, corrections: list[dict[str, object]]) -> Analyzer:
    ws = _jsonl(tmp_path / "ws.jsonl", [{"category": c, "texts": t} for c, t in WISESIGHT])
    corr = _jsonl(tmp_path / "corrections.jsonl", corrections)
    out = tmp_path / "model.joblib"
    assert main(["--wisesight", str(ws), "--hospital", "", "--corrections", str(corr), "--out", str(out)]) == 0
    return Analyzer(model_path=out)


def _codes(analyzer: Analyzer, text: str, question: str) -> set[str]:
    return {t.code for t in analyzer.analyse(text, question=question).topics}


@pytest.mark.slow
def test_corrections_override_the_lexicon_where_they_disagree(analyzer: Analyzer, tmp_path: Path) -> None:
    """This hospital files a porter wheeling a patient from the car park as access (parking_access), and
    "ห้องน้ำเหม็น" answers to "what did you not like" as its cleaning contract (environment) — the shipped
    lexicon reads the first as staff behaviour only. After `nlp.train --corrections`, new answers of the same
    kind follow the hospital; answers the lexicon already reads its way are unchanged."""
    rows: list[dict[str, object]] = []
    for place in PLACES:
        rows.append({"text": f"ลุงยามช่วยเข็นรถเข็นให้แม่{place} ใจดีมาก", "question": "message",
                     "topics": ["parking_access"], "sentiment": "pos"})  # fmt: skip
        rows.append({"text": f"ห้องน้ำสกปรก{place}", "question": "dissatisfaction", "topics": ["environment"],
                     "sentiment": "neg"})  # fmt: skip
        rows.append({"text": f"รอนานมาก{place}", "question": "dissatisfaction", "topics": ["waiting"],
                     "sentiment": "neg"})  # fmt: skip
    new = "ลุงยามช่วยเข็นรถเข็นให้พ่อตั้งแต่ประตูทางเข้า ใจดีมาก"
    assert _codes(analyzer, new, "message") == {"staff_behavior"}  # the shipped analyser
    trained = _train(tmp_path, rows)
    got = trained.analyse(new, question="message")
    assert "parking_access" in {t.code for t in got.topics}
    assert "staff_behavior" not in {t.code for t in got.topics}  # the hospital never gives it to these
    assert got.sentiment.label == "pos"
    # Where the hospital and the lexicon agree, nothing moves.
    assert _codes(trained, "ห้องน้ำสกปรกมาก กลิ่นเหม็น", "dissatisfaction") == {"environment"}
    assert _codes(trained, "รอนานมากกว่าจะได้ตรวจ", "dissatisfaction") == {"waiting"}
    cv = load_model(tmp_path / "model.joblib").meta["corrections_cv"]
    assert cv["topics"]["staff_behavior"]["corrected_errors"] < cv["topics"]["staff_behavior"]["base_errors"]


@pytest.mark.slow
def test_a_corrected_answer_seen_again_takes_its_corrected_labels(analyzer: Analyzer, tmp_path: Path) -> None:
    """Short answers repeat: the same answer typed again (spacing and tone marks aside) gets the committee's
    labels outright, even from a handful of corrections too few to learn anything general from."""
    text = "ที่จอดรถ"
    # The committee's labels differ from the shipped analyser's reading (it does not file the answer under
    # process), so getting them back is the correction's doing, not the analyser's.
    assert {t.code for t in analyzer.analyse(text, question="improvement").topics} != {"parking_access", "process"}
    trained = _train(tmp_path, [
        {"text": text, "question": "improvement", "topics": ["parking_access", "process"], "sentiment": "neg"},
        {"text": "รอนาน", "question": "dissatisfaction", "topics": ["waiting"], "sentiment": "neg"},
        {"text": "รอนานมาก", "question": "dissatisfaction", "topics": ["waiting"], "sentiment": "neg"},
        {"text": "ดีแล้ว", "question": "improvement", "topics": [], "sentiment": "pos"},
        {"text": "ดีแล้วค่ะ", "question": "improvement", "topics": [], "sentiment": "pos"},
    ])  # fmt: skip
    again = trained.analyse("ที่ จอด รถ", question="improvement")
    assert {t.code for t in again.topics} == {"parking_access", "process"}
    assert again.sentiment.label == "neg"
    # Too few corrections to generalise: another answer keeps the analyser's reading.
    assert _codes(trained, "พยาบาลพูดจาไม่ดี", "dissatisfaction") == _codes(analyzer, "พยาบาลพูดจาไม่ดี", "dissatisfaction")


CARTS = ("รถกอล์ฟไปตึกใหม่", "รถกอล์ฟไปหน้าตึก", "รถกอล์ฟไปวอร์ด", "รถกอล์ฟไปห้องยา", "รถกอล์ฟไปแล็บ", "รถกอล์ฟไปตึกเด็ก")
HOW = ("ช้ามาก", "ไม่มาเลย", "ต้องโทรเรียก")


@pytest.mark.slow
def test_the_hospitals_topic_labels_outweigh_the_projects_where_they_disagree(tmp_path: Path) -> None:
    """The project's tuning data files complaints about the hospital's golf-cart shuttle as access; this hospital
    runs the carts as a service and files those very answers as process. After training, the retrained topic
    model itself follows the hospital — its labels replace the project's for the texts it relabelled and weigh
    more — so a new cart complaint is process and not access even before the corrections layer speaks."""
    ws = _jsonl(tmp_path / "ws.jsonl", [{"category": c, "texts": t} for c, t in WISESIGHT])
    texts = [f"{cart}{how}" for cart in CARTS for how in HOW]
    project = _jsonl(tmp_path / "project.jsonl", [
        {"text": t, "topics": ["parking_access"], "sentiment": "neg"} for t in texts
    ])  # fmt: skip
    rows: list[dict[str, object]] = [
        {"text": t, "question": "dissatisfaction", "topics": ["process"], "sentiment": "neg"} for t in texts
    ]
    for text, topic in (("รอนานมาก", "waiting"), ("ห้องน้ำสกปรก", "environment"), ("ค่ายาแพง", "cost_rights")):
        for end in ("", "ค่ะ", "ครับ", "จัง", "เลย"):
            rows.append({"text": text + end, "question": "dissatisfaction", "topics": [topic], "sentiment": "neg"})
    corr = _jsonl(tmp_path / "corrections.jsonl", rows)
    out = tmp_path / "model.joblib"
    args = ["--wisesight", str(ws), "--hospital", str(project), "--corrections", str(corr), "--out", str(out)]
    assert main(args) == 0
    model = load_model(out)
    with_layer = Analyzer(model=model)
    topic_model_alone = Analyzer(model=dataclasses.replace(model, corrections=None))
    for new in ("รถกอล์ฟ ไปห้องเอกซเรย์ ไม่มาเลย", "รถกอล์ฟไม่มาเลยค่ะ ต้องโทรเรียกตลอด"):
        for analyser in (topic_model_alone, with_layer):
            got = _codes(analyser, new, "dissatisfaction")
            assert "process" in got, (new, got)
            assert "parking_access" not in got, (new, got)
    # Where the hospital and the project agree, nothing moves.
    assert _codes(with_layer, "ห้องน้ำสกปรกมาก", "dissatisfaction") == {"environment"}


@pytest.mark.slow
def test_a_corrected_answer_typed_a_little_differently_takes_its_corrected_topics(
    analyzer: Analyzer, tmp_path: Path
) -> None:
    """Short answers repeat with a particle, a word more or a typo ("อยากให้มีที่จอดรถเพิ่มอีกค่ะ"): the near
    duplicate of a corrected answer to the same question takes the committee's topics, while its sentiment is
    taken only from the same answer (a "ไม่" more is a near duplicate too) and another question's answers keep
    the analyser's reading."""
    text = "อยากให้มีที่จอดรถเพิ่ม"
    gold = {"parking_access", "process"}
    again = "อยากให้มีที่จอดรถเพิ่มอีกค่ะ"
    # The shipped analyser does not file these answers under process: getting it back is the corrections' doing.
    assert _codes(analyzer, again, "improvement") != gold
    trained = _train(tmp_path, [
        {"text": text, "question": "improvement", "topics": sorted(gold), "sentiment": "neg"},
        {"text": "รอนาน", "question": "dissatisfaction", "topics": ["waiting"], "sentiment": "neg"},
        {"text": "รอนานมาก", "question": "dissatisfaction", "topics": ["waiting"], "sentiment": "neg"},
        {"text": "ดีแล้ว", "question": "improvement", "topics": [], "sentiment": "pos"},
        {"text": "ดีแล้วค่ะ", "question": "improvement", "topics": [], "sentiment": "pos"},
    ])  # fmt: skip
    assert _codes(trained, again, "improvement") == gold
    assert _codes(trained, "อยากให้มีที่จอดรถเพิ่มขึ้นครับ", "improvement") == gold
    # particles and spacing aside it is the same answer: its corrected sentiment too
    assert trained.analyse("อยากให้มี ที่จอดรถเพิ่ม ค่ะ", question="improvement").sentiment.label == "neg"
    # another question, or an answer that only shares some words, keeps the analyser's reading
    assert _codes(trained, again, "expectation") == _codes(analyzer, again, "expectation")
    other = "อยากให้มีร้านกาแฟเพิ่ม"
    assert _codes(trained, other, "improvement") == _codes(analyzer, other, "improvement")


# Short answers to "what should we improve" that this hospital files its own way (queue tickets are a process
# matter, the lift and the waiting-room chairs are the building, a slow cashier is a wait as well as a charge), and
# answers it files as the lexicon does.
HOSPITAL_WAY = {
    "บัตรคิว": ["process"], "ลิฟต์": ["environment"], "เก้าอี้รอตรวจ": ["environment"],
    "การเงินช้า": ["cost_rights", "waiting"], "เบอร์โทร": ["communication", "process"],
    "ที่จอดรถ": ["parking_access"], "ห้องน้ำ": ["environment"], "ร้านกาแฟ": ["food"],
}  # fmt: skip


@pytest.mark.slow
def test_learning_from_half_of_the_hospitals_answers_moves_the_other_half(tmp_path: Path) -> None:
    """Issue 14's loop: half of a hospital's labelled answers become corrections (`nlp.train --corrections A`),
    the other half is scored with `nlp.evaluate --model`. The other half is the same short answers typed again
    with other particles and spacing ("บัตรคิว นะคะ" after "บัตรคิวค่ะ"): its topics follow the hospital."""
    from nlp.evaluate import evaluate, read_gold, summary

    def rows(ends: tuple[str, ...]) -> list[dict[str, object]]:
        return [{"text": text + end, "question": "improvement", "topics": topics, "sentiment": "neg"}
                for text, topics in HOSPITAL_WAY.items() for end in ends]  # fmt: skip

    held = _jsonl(tmp_path / "held.jsonl", rows(("ครับ", " นะคะ", " !!")))
    before = summary(evaluate(read_gold(held)))["topics_micro_f1"]
    assert before < 0.8  # the shipped analyser reads these answers its own way
    _train(tmp_path, rows(("", "ค่ะ")))
    after = summary(evaluate(read_gold(held), model_path=tmp_path / "model.joblib"))["topics_micro_f1"]
    assert after == 1.0, (before, after)


@pytest.mark.slow
def test_a_topic_the_hospital_taught_is_not_kept_out_by_another_topics_lexicon_word(
    analyzer: Analyzer, tmp_path: Path
) -> None:
    """The lexicon places "เภสัช" under the staff member praised ("เภสัชใจดี": staff_behavior), and the analyser
    keeps the topic model off a word the lexicon placed, so that "เภสัช" alone is not a medication topic. This
    hospital files any praise of its pharmacists under medication as well (the pharmacy's service; until round 9
    the example was a pharmacist teaching how to take the drugs, which the shipped lexicon now files as
    medication itself): once its corrections
    taught the topic model that, the model's medication is let through on that very word (h/nlp-loop2), by the
    retrained model alone and with the corrections layer. Answers it files as the lexicon does are unchanged."""
    rows: list[dict[str, object]] = []
    for place in PLACES:
        rows.append({"text": f"เภสัชใจดีมาก ยิ้มแย้ม{place}", "question": "message",
                     "topics": ["medication", "staff_behavior"], "sentiment": "pos"})  # fmt: skip
        rows.append({"text": f"พยาบาลใจดีมาก{place}", "question": "message", "topics": ["staff_behavior"],
                     "sentiment": "pos"})  # fmt: skip
        rows.append({"text": f"ห้องน้ำไม่สะอาด{place}", "question": "dissatisfaction", "topics": ["environment"],
                     "sentiment": "neg"})  # fmt: skip
        rows.append({"text": f"รอนานมาก{place}", "question": "dissatisfaction", "topics": ["waiting"],
                     "sentiment": "neg"})  # fmt: skip
    new = "เภสัชใจดีมาก ยิ้มแย้มจนประทับใจ"
    assert "medication" not in _codes(analyzer, new, "message")  # the shipped analyser
    trained = _train(tmp_path, rows)
    model = load_model(tmp_path / "model.joblib")
    assert model.meta["correction_topics"]["medication"] == len(PLACES)
    for analyser in (Analyzer(model=dataclasses.replace(model, corrections=None)), trained):
        got = analyser.analyse(new, question="message")
        assert {"medication", "staff_behavior"} <= {t.code for t in got.topics}, [
            (t.code, t.evidence) for t in got.topics
        ]
    # Where the hospital and the lexicon agree, nothing moves.
    assert _codes(trained, "พยาบาลใจดีมากค่ะ", "message") == {"staff_behavior"}
    assert _codes(trained, "รอนานมากกว่าจะได้ตรวจ", "dissatisfaction") == {"waiting"}
