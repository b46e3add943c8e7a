"""A patient's or relative's displeasure written up as an incident is a service complaint (GPM203, general
scale), whatever the service they waited for: a mention of the X-ray, the lab or the pharmacy must not make
it a clinical incident. (After tune18/tune19 were trained on, "ญาติไม่พอใจที่รอ x-ray นาน" became CPL203 and
was graded C: the complaint code came only from similar reports; it now has its own cue.)"""

from __future__ import annotations

import pytest

from nlp import Analyzer
from nlp.nrls import band


@pytest.mark.parametrize(
    "text",
    [
        "ผู้ป่วยโวยวายที่ห้องยา รอยานาน 2 ชม. เภสัชกรขอโทษและเร่งจ่ายยา",
        "คนไข้ไม่พอใจ รอผล lab นานเกิน 3 ชม. หัวหน้าหน่วยโทรแจ้งผลให้",
        "ญาติผู้ป่วยไม่พอใจที่รอ CT นาน 4 ชม. หัวหน้าตึกชี้แจง ญาติรับทราบ",
    ],
)
def test_a_displeased_patient_or_relative_is_a_service_complaint(analyzer: Analyzer, text: str) -> None:
    r = analyzer.analyse(text, question="incident")
    assert r.risk_codes and r.risk_codes[0].code == "GPM203", [c.code for c in r.risk_codes]
    assert r.severity is not None and band(r.severity) in {"12", "3"}, r.severity
    assert not r.sentinel
