"""Round 12 speed (h/nlp-speed, issue 14): the mechanisms changed, each against what it must still answer.

The rules that read the coder's text but were defined after the NRLS rule set (the later cause families, the
complaint setting, the no-harm words, a wrong site caught) now answer from the one Hyperscan pass: they must still
fire where their cue sits late in a long report (past 1,000 characters, inside the coder's 1,500), stay quiet past
the coder's cut and on look-alikes, and agree with plain ``re`` on texts the single-byte scan cannot encode."""

from __future__ import annotations

import pytest

from nlp import nrls

# A long neutral narrative (no cause, harm or scale word): a nurse's timeline of a quiet shift.
FILLER = "เวลา 08.00 น. รับเวรตามปกติ ตรวจเยี่ยมตามรอบ บันทึกสัญญาณชีพครบถ้วน ส่งเวรเรียบร้อย "


def _padded(cue: str, at: int) -> str:
    """``cue`` placed ``at`` characters into a neutral report of at least 1,200 characters."""
    pad = (FILLER * (at // len(FILLER) + 1))[:at]
    return pad + cue + " " + FILLER * (max(0, 1_200 - at) // len(FILLER) + 1)


LATE_RULES = (
    nrls.COMPLAINT_TOLD, nrls.CARE_WAITED, nrls.NO_HARM_TOLD, nrls.WRONG_SITE_CAUGHT, nrls.UNDER_TRIAGE_CAUSE,
    nrls.FOOD_CAUSE, *(rx for _, rx in nrls.EXTRA_CAUSES),
)  # fmt: skip


def test_the_late_rules_answer_from_the_one_pass() -> None:
    """Each is a pattern of RULE_SET (its own text), so no report pays its own prefilter and scan."""
    for rx in LATE_RULES:
        assert rx.ident >= 0, rx.pattern
        assert nrls.RULE_SET.patterns[rx.ident] == rx.pattern
    assert nrls.RULE_SET.engine and nrls.RULE_SET.single_byte


# Cues a nurse or a ward clerk would type, unlike the tuning lines' wording, with the cause each tells.
LATE_CAUSES = [
    ("เจ้าหน้าที่การเงินปฏิเสธการเบิกค่าอุปกรณ์ของผู้ป่วยสิทธิบัตรทอง", "cost_rights"),
    ("น้องพยาบาลให้เลือดผิดเตียง ตรวจพบหลังเริ่มให้ 5 นาที", "medication"),
    ("ช่วงดึกมี RN 1 คน PN 1 คน ดูผู้ป่วย 28 ราย", "staffing"),
    ("ถาดอาหารกลางวันมาถึง 13.40 น. ผู้ป่วยเบาหวานฉีดอินซูลินไปแล้ว", "food"),
]
# Look-alikes that must stay quiet: a refusal of treatment, blood given to the right bed, one nurse who went home.
LOOK_ALIKES = [
    "ผู้ป่วยปฏิเสธการรักษา ญาติขอพากลับบ้าน",
    "ให้เลือดถูกต้องตามเตียง ตรวจสอบสองคน",
    "พยาบาล 1 คนลากลับบ้านก่อนเวลาเพราะไม่สบาย",
]


@pytest.mark.parametrize(("cue", "topic"), LATE_CAUSES)
@pytest.mark.parametrize("at", [0, 1_050, 1_400])
def test_a_late_cause_cue_still_fires(cue: str, topic: str, at: int) -> None:
    text = _padded(cue, at)
    assert len(text) > 1_000
    assert topic in nrls.contributing_causes(text), (at, cue)
    # with an emoji the report is scanned as UTF-8, not over single bytes: the same answer
    assert topic in nrls.contributing_causes("🙏 " + text), (at, cue)


@pytest.mark.parametrize(("cue", "topic"), LATE_CAUSES)
def test_a_cue_past_the_coders_cut_is_not_read(cue: str, topic: str) -> None:
    text = _padded(cue, nrls.CODER_MAX_CHARS + 20)
    assert topic not in nrls.contributing_causes(text)


@pytest.mark.parametrize("text", LOOK_ALIKES)
def test_look_alikes_stay_quiet(text: str) -> None:
    for padded in (text, _padded(text, 1_100), "😡 " + _padded(text, 1_100)):
        causes = nrls.contributing_causes(padded)
        assert not {"cost_rights", "medication", "staffing"} & causes.keys(), (text, causes)


def test_the_late_rules_agree_with_re() -> None:
    """found/search of each late rule equal plain ``re`` over cp874 and non-cp874 long texts."""
    texts = [_padded(cue, at) for cue, _ in LATE_CAUSES for at in (0, 1_100)] + [
        "ญาติโวยวายต่อว่าพยาบาล รอตรวจนาน 3 ชม. " * 30,
        "🙏 mark ผิดข้าง ตรวจพบตอน time-out ก่อนลงมีด vital signs stable อาการคงที่ " * 20,
        *(_padded(t, 1_100) for t in LOOK_ALIKES),
    ]
    for text in texts:
        low = nrls.coder_text(text)
        for rx in LATE_RULES:
            want = rx.rx.search(low)
            got = rx.search(low)
            assert (got is None) == (want is None), (rx.pattern, text[:40])
            if want is not None and got is not None:
                assert got.span() == want.span()
            assert rx.found(low) == (want is not None)
