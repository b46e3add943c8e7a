"""Issue 14 (nlp-inctop): an incident report's topics gain a topic the topic model is very sure of that the cause
rules did not keep (nlp.analyzer.INCIDENT_MODEL_ADDS), because out of writer the model's sure topics add to the
rules (leave-one-file-out figures in bench/README.md, "Issue 14: incident topics out of writer")."""

from __future__ import annotations

import pytest

import nlp.analyzer as analyzer_module
from nlp.analyzer import Analyzer


def codes(analyzer: Analyzer, text: str) -> set[str]:
    return {t.code for t in analyzer.analyse(text, question="incident").topics}


def test_sure_model_topic_is_added_to_the_incident_topics(analyzer: Analyzer) -> None:
    # a chemotherapy drug leaking out of the vein: the rules hear the care, the model the drug (medication)
    assert "medication" in codes(analyzer, "ยาเคมีบำบัดรั่วออกนอกเส้น แขนบวมแดง")


def test_threshold_off_keeps_the_rules_topics(analyzer: Analyzer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(analyzer_module, "INCIDENT_MODEL_ADDS", 1.01)
    assert "medication" not in codes(analyzer, "ยาเคมีบำบัดรั่วออกนอกเส้น แขนบวมแดง")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ผป.ลื่นล้มในห้องน้ำ พื้นเปียก ไม่มีป้ายเตือน", {"safety_privacy"}),  # a fall: nothing more added
        ("แพทย์เวรไม่รับโทรศัพท์ ตามไม่ได้ 40 นาที", {"communication"}),
    ],
)
def test_unsure_model_adds_nothing(analyzer: Analyzer, text: str, expected: set[str]) -> None:
    assert codes(analyzer, text) == expected


def test_patient_answers_are_untouched(analyzer: Analyzer) -> None:
    # the rule is the incident report's only: a patient's message keeps the lexicon's and model's usual topics
    with_rule = {t.code for t in analyzer.analyse("ยาเคมีบำบัดรั่วออกนอกเส้น แขนบวมแดง", question="complaint").topics}
    analyzer_module.INCIDENT_MODEL_ADDS, saved = 1.01, analyzer_module.INCIDENT_MODEL_ADDS
    try:
        without = {t.code for t in analyzer.analyse("ยาเคมีบำบัดรั่วออกนอกเส้น แขนบวมแดง", question="complaint").topics}
    finally:
        analyzer_module.INCIDENT_MODEL_ADDS = saved
    assert with_rule == without
