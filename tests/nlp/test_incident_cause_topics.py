"""Incident reports carry the topic of their cause (LABELLING.md), not of every harm, place or drug they
mention: the NRLS coder's suggested codes back the cause and the passing mentions drop (issue 14)."""

from __future__ import annotations

import pytest

from nlp import Analyzer
from nlp.nrls import code_topic


def topics(analyzer: Analyzer, text: str) -> set[str]:
    return {t.code for t in analyzer.analyse(text, question="incident").topics}


@pytest.mark.parametrize(
    ("text", "cause", "passing"),
    [
        # a fall, and the painkiller given afterwards
        ("เวรดึก 02.40 น. ผป.ชาย 81 ปี ลุกจากเตียงเองไปเข้าห้องน้ำ ลื่นล้ม ศีรษะกระแทกพื้น แผลฉีกขาด 3 cm "
         "เย็บ 4 เข็ม ให้ Paracetamol 500 mg 1 tab V/S stable", "safety_privacy", "medication"),
        # a power failure, and the call to the electrician
        ("21.30 น. ไฟฟ้าดับทั้งตึกผู้ป่วยใน เครื่องปั่นไฟสำรองไม่ทำงาน 20 นาที ผป. on ventilator 2 ราย "
         "ต้อง bagging โทรแจ้งช่างไฟฟ้า ไม่มีผู้บาดเจ็บ", "environment", "communication"),
        # a fall from bed, and the relatives not told of the fall risk
        ("ผู้ป่วยสูงอายุ ตกเตียง ขณะไม่ได้ยกไม้กั้นเตียง ไม่ได้แจ้งญาติ film ไม่พบกระดูกหัก",
         "safety_privacy", "communication"),
    ],
)  # fmt: skip
def test_a_passing_mention_is_not_a_cause(analyzer: Analyzer, text: str, cause: str, passing: str) -> None:
    found = topics(analyzer, text)
    assert cause in found
    assert passing not in found


def test_a_drug_given_to_the_wrong_patient_is_both_causes(analyzer: Analyzer) -> None:
    # r9inc: this case once expected medication to drop; it did only because "พยาบาล…ผู้ป่วย" suggested a staff
    # infection (CPI303) that outvoted the drug codes. The labelled files (tune7, tune9, tune14, tune20) call a
    # drug given to the wrong bed both an identification error and a medication one.
    found = topics(
        analyzer,
        "หอผู้ป่วยหญิง พยาบาลให้ยา Amlodipine 10 mg แก่ผู้ป่วยเตียง 4 แทนเตียง 5 ไม่ได้ตรวจสอบชื่อ-สกุล "
        "ผป.เวียนศีรษะ BP 90/50 ให้ NSS 500 ml",
    )
    assert {"safety_privacy", "medication"} <= found


def test_dropped_tags_keep_their_evidence(analyzer: Analyzer) -> None:
    r = analyzer.analyse(
        "เวรดึก ผป.หญิง 77 ปี ลื่นล้มในห้องน้ำ ศีรษะกระแทก ให้ Paracetamol 500 mg แพทย์สั่ง observe", question="incident"
    )
    cause = r.details["cause"]
    assert [t.code for t in r.topics] == ["safety_privacy"]
    assert "safety_privacy" in cause["votes"]
    # what the lexicon heard is still shown: the drug it dropped and the words that named it
    assert "medication" in cause["dropped"] and cause["dropped"]["medication"]


def test_a_patient_message_keeps_all_its_topics(analyzer: Analyzer) -> None:
    # the cause rule is for incident reports only: a complaint naming two things keeps both
    r = analyzer.analyse("ยาหมดบ่อยมาก แล้วห้องน้ำก็สกปรก", question="complaint")
    assert {"medication", "environment"} <= {t.code for t in r.topics}
    assert "cause" not in r.details


@pytest.mark.parametrize(
    ("code", "topic"),
    [
        ("CPP308", "food"),  # a meal against the diet
        ("CPP204", "communication"),  # a hand-over that left something out
        ("CPP309", "communication"),  # the patient not told
        ("GPE206", "environment"),  # water, power
        ("GPE205", "parking_access"),  # signs, ways around
        ("GOI207", "medication"),  # drug stock
        ("CPS101", "safety_privacy"),  # wrong site: an identification error
        ("CPS303", "environment"),  # instruments not ready
        ("CPE409", "waiting"),  # hours in the ER
        ("GPL205", "process"),  # records lost
        ("CPS107", "clinical_care"),  # a surgical complication
        ("GPM203", None),  # a complaint: its own words name the topic
    ],
)
def test_code_topics_follow_the_code_names(code: str, topic: str | None) -> None:
    assert code_topic(code) == topic
