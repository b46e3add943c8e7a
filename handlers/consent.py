"""PDPA consent: asked on follow or just before the first flow that stores health data; withdrawable.

Every answer is a ConsentRecord (purpose, granted, notice version, channel, time) and Patient.consent
(none | given | declined | withdrawn). Without consent the survey is kept anonymously and complaints
can be sent anonymously; nothing is refused.

```mermaid
stateDiagram-v2
    [*] --> consent_ask: follow / first survey, complaint or compliment
    consent_ask --> given: ยินยอม
    consent_ask --> declined: ไม่ยินยอม
    consent_ask --> free_text: typed text (only when asked on follow)
    given --> next_flow: the flow the patient chose
    declined --> next_flow
    given --> confirm: ถอนความยินยอม (typed or button under ข้อมูลส่วนบุคคล)
    confirm --> withdrawn: ยืนยันถอนความยินยอม
    confirm --> given: ไม่ถอน
    withdrawn --> consent_ask: ให้ความยินยอม (the notice again)
    declined --> consent_ask: ให้ความยินยอม
```

Withdrawal is confirmed first and hides nothing: contact consent and the call-back phone of open complaints
are left as they are (the patient is told, and may ask for erasure); an unsent complaint or compliment
draft is not filed under the withdrawn consent but kept and offered again; a survey carries on anonymously.
ขอสำเนาข้อมูล / ขอลบข้อมูล (typed or buttons) are recorded as data-subject requests in the audit log.
"""

from __future__ import annotations

from handlers.flowkit import bare, show_menu
from handlers.messages import Button
from handlers.router import Router
from handlers.states import ConsentState
from handlers.turn import PAUSED_KEYS, Turn
from store.models import AnyPatient, ConsentRecord
from store.periods import thai_date

router = Router("consent")

WITHDRAW_WORDS = frozenset({"ถอนความยินยอม", "ถอนยินยอม", "ยกเลิกความยินยอม"})
PRIVACY_WORDS = frozenset({"ข้อมูลส่วนบุคคล", "ความยินยอม", "pdpa", "/privacy"})
REQUEST_WORDS = {"ขอสำเนาข้อมูล": "copy", "ขอสำเนา": "copy", "ขอข้อมูลของฉัน": "copy",
                 "ขอลบข้อมูล": "erase", "ลบข้อมูล": "erase", "ลบข้อมูลของฉัน": "erase"}
HEALTH = "health_data"
CONTACT = "contact"


def consent_buttons(turn: Turn) -> list[Button]:
    return [turn.button("consent_yes", "consent:yes"), turn.button("consent_no", "consent:no")]


def ask(turn: Turn, *, next_flow: str | None) -> None:
    """Show the PDPA notice with ยินยอม / ไม่ยินยอม; `next_flow` (a payload) continues after the answer."""
    turn.goto(ConsentState.ASK, next=next_flow)
    turn.say("consent.notice", retention=retention_text(turn), buttons=consent_buttons(turn), shared=True)


def retention_text(turn: Turn) -> str:
    """RETENTION_DAYS as the patient reads it: whole years when it is, else days."""
    days = turn.services.settings.retention_days
    return turn.t("privacy.years", n=days // 365) if days % 365 == 0 else turn.t("privacy.days", n=days)


async def needs_asking(turn: Turn) -> bool:
    """True while the patient has never answered (declined patients are not asked again)."""
    patient = await turn.patient()
    return patient.consent == "none"


async def asked_first(turn: Turn, next_flow: str) -> bool:
    """A flow's gate: a patient who has never answered is shown the notice now, and `next_flow` follows their
    answer (True: the flow stops here); otherwise False and the flow goes on."""
    if await needs_asking(turn):
        ask(turn, next_flow=next_flow)
        return True
    return False


async def has_consent(turn: Turn) -> bool:
    patient = await turn.existing_patient()
    return patient is not None and patient.consent == "given"


def record(turn: Turn, patient: AnyPatient, *, purpose: str, granted: bool) -> None:
    now = turn.services.clock()
    assert patient.id is not None
    turn.session.add(
        ConsentRecord(
            patient_id=patient.id, purpose=purpose, granted=granted, notice_version=turn.t("consent.version"),
            channel=turn.inbound.channel, at=now,
        )
    )
    if purpose == HEALTH:
        patient.consent = "given" if granted else ("withdrawn" if patient.consent == "given" else "declined")
        patient.consent_at = now  # an ORM patient is in the session; a batch's row is written by the batch


@router.payload("consent", private=True)
async def on_answer(turn: Turn) -> None:
    granted = turn.inbound.payload == "consent:yes"
    patient = await turn.patient()
    record(turn, patient, purpose=HEALTH, granted=granted)
    asked = turn.state == ConsentState.ASK
    next_flow = turn.data.get("next") if asked else None
    carried = {k: v for k, v in turn.data.items() if k != "next"} if asked else {}
    turn.end()
    turn.conversation.data = carried  # e.g. the free text a complaint offer keeps
    turn.say("consent.given" if granted else "consent.declined")
    await continue_with(turn, next_flow)


FLOWS_AFTER_CONSENT = frozenset({"survey", "complaint", "compliment", "complaint:offer", "compliment:offer"})


async def continue_with(turn: Turn, next_flow: str | None) -> None:
    """The flow that waited for the consent answer (its `Router.entry`), else the menu."""
    if next_flow in FLOWS_AFTER_CONSENT:
        await turn.start(next_flow)
    else:
        await show_menu(turn)


@router.state(ConsentState.ASK)
async def on_text_while_asking(turn: Turn) -> None:
    """Asked on follow: any text is answered as usual (consent is asked again before a flow).
    Asked before a flow: the buttons are needed to go on."""
    if turn.data.get("next") is None:
        turn.end()
        await turn.start("menu:free_text")
        return
    if await intercept(turn):
        return
    turn.say("consent.press_button", buttons=consent_buttons(turn))


async def intercept(turn: Turn) -> bool:
    """Privacy words typed anywhere, even mid-flow: ถอนความยินยอม withdraws, ข้อมูลส่วนบุคคล shows the status."""
    text = bare(turn.inbound.text)
    if text in WITHDRAW_WORDS:
        await ask_withdraw(turn)
        return True
    if text in PRIVACY_WORDS:
        await show_status(turn)
        return True
    if text in REQUEST_WORDS:
        await request(turn, REQUEST_WORDS[text])
        return True
    return False


@router.payload("privacy", private=True)
async def on_privacy(turn: Turn) -> None:
    action = turn.payload.rest
    if action == "withdraw":
        await ask_withdraw(turn)
    elif action == "withdraw:yes":
        await withdraw(turn)
    elif action == "keep":
        turn.say("privacy.kept")
        if turn.state is None:
            await show_menu(turn)
    elif action == "give":
        ask(turn, next_flow=None)  # the full notice again: consent is informed every time
    elif action in ("copy", "erase"):
        await request(turn, action)
    else:
        await show_status(turn)


async def show_status(turn: Turn) -> None:
    patient = await turn.existing_patient()
    requests = [turn.button("flow.request_copy", "privacy:copy"), turn.button("flow.request_erase", "privacy:erase")]
    if patient is not None and patient.consent == "given" and patient.consent_at is not None:
        turn.say("privacy.given", when=thai_date(patient.consent_at), retention=retention_text(turn),
                 buttons=[turn.button("flow.withdraw", "privacy:withdraw"), *requests, turn.button("menu", "menu")])
    elif patient is not None and patient.consent == "withdrawn" and patient.consent_at is not None:
        turn.say("privacy.withdrawn_status", when=thai_date(patient.consent_at),
                 buttons=[turn.button("flow.give_consent", "privacy:give"), *requests, turn.button("menu", "menu")])
    else:
        turn.say("privacy.not_given", buttons=[turn.button("flow.give_consent", "privacy:give"),
                                               *(requests if patient is not None else []), turn.button("menu", "menu")])


async def ask_withdraw(turn: Turn) -> None:
    """What withdrawing changes, and a button to confirm it: nothing happens on one typed word."""
    patient = await turn.existing_patient()
    if patient is None or patient.consent != "given":
        turn.say("privacy.nothing_to_withdraw")
        return
    turn.say("privacy.confirm_withdraw", buttons=[
        turn.button("flow.confirm_withdraw", "privacy:withdraw:yes"), turn.button("flow.keep_consent", "privacy:keep"),
    ])


async def withdraw(turn: Turn) -> None:
    """Withdraw health-data consent. Contact consent and the call-back phone of open complaints stay (the
    patient was told, and may ask for erasure); a draft in progress is kept and offered, not filed."""
    patient = await turn.existing_patient()
    if patient is None or patient.consent != "given":
        turn.say("privacy.nothing_to_withdraw")
        return
    record(turn, patient, purpose=HEALTH, granted=False)
    turn.say("privacy.withdrawn", when=thai_date(turn.services.clock()))
    await _after_withdrawal(turn)


async def _after_withdrawal(turn: Turn) -> None:
    state = turn.state or ""
    if state.startswith("survey."):
        await turn.start("survey:reprompt")  # carries on, saved without the patient id
        return
    flow = state.split(".", 1)[0]
    if flow in ("complaint", "compliment"):  # kept as a draft (handlers.drafts) and offered: never filed here
        await turn.start("drafts:withdrawn", flow, state, {k: v for k, v in turn.data.items() if k not in PAUSED_KEYS})
        return
    turn.end()
    await show_menu(turn)


async def request(turn: Turn, kind: str) -> None:
    """ขอสำเนาข้อมูล / ขอลบข้อมูล: recorded for the hospital's data-protection officer (PDPA sections 30–33)."""
    patient = await turn.existing_patient()
    if patient is None:
        turn.say("privacy.no_data")
        return
    turn.audit(f"privacy.request_{kind}", target=f"patient:{patient.id}", detail={"patient_id": patient.id},
               staff_id=None)
    turn.say(f"privacy.request_{kind}")
