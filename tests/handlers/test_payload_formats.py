"""Button payloads are built with `pack`/`extend` now, and must stay the very strings the f-strings made before:
a button sent weeks ago still sits in a patient's or a nurse's chat, and pressing it must still work. Each
prefix's old format is written out here as it was, and the builders (where they can be called on their own)
and `pack` must produce it; the platform limits refuse a payload when it is built."""

from __future__ import annotations

import pytest

from handlers.case_updates import fix_buttons, rating_buttons
from handlers.messages import Button
from handlers.payloads import Payload, extend, pack
from handlers.services import Services

NUMBER, CODE, FLOW = "2570-0042", "pharmacy", "complaint"

# (the old f-string's result, the same payload as the handlers now pack it)
FORMATS = [
    (f"case:view:{NUMBER}", pack("case", "view", NUMBER)),
    (f"case:ack:{NUMBER}", pack("case", "ack", NUMBER)),
    (f"case:triage:{NUMBER}", pack("case", "triage", NUMBER)),
    (f"case:review:{NUMBER}", pack("case", "review", NUMBER)),
    (f"case:close:{NUMBER}", pack("case", "close", NUMBER)),
    (f"case:reopen:{NUMBER}", pack("case", "reopen", NUMBER)),
    (f"case:resolve:{NUMBER}", pack("case", "resolve", NUMBER)),
    (f"case:done:{NUMBER}", pack("case", "done", NUMBER)),
    (f"case:sev:{NUMBER}:E", pack("case", "sev", NUMBER, "E")),
    (f"case:page:{NUMBER}:{2}", pack("case", "page", NUMBER, str(2))),
    (f"track:{NUMBER}", pack("track", NUMBER)),
    (f"rate:{NUMBER}:{4}", pack("rate", NUMBER, str(4))),
    (f"fix:{NUMBER}:ok", pack("fix", NUMBER, "ok")),
    (f"fix:{NUMBER}:no", pack("fix", NUMBER, "no")),
    (f"fix:{NUMBER}:talk", pack("fix", NUMBER, "talk")),
    (f"draft:resume:{FLOW}", pack("draft", "resume", FLOW)),
    (f"draft:edit:{FLOW}", pack("draft", "edit", FLOW)),
    (f"survey:type:{'opd'}", pack("survey", "type", "opd")),
    (f"survey:dept:{CODE}", pack("survey", "dept", CODE)),
    (f"complaint:dept:{CODE}", pack("complaint", "dept", CODE)),
    (f"compliment:dept:{CODE}", pack("compliment", "dept", CODE)),
    (f"survey:s:{3}:{5}", extend(pack("survey", "s", str(3)), str(5))),
    (f"{'survey:page'}:{1}", extend("survey:page", str(1))),
    (f"{'complaint:page'}:{0}", extend("complaint:page", str(0))),
    (f"{'compliment:page'}:{2}", extend("compliment:page", str(2))),
]


@pytest.mark.parametrize(("old", "packed"), FORMATS, ids=[":".join(old.split(":")[:2]) for old, _ in FORMATS])
def test_packed_payloads_are_the_old_strings(old: str, packed: str) -> None:
    assert packed == old
    assert Payload.parse(packed).pack() == old  # and what the router parses packs back the same


async def test_the_patient_builders_keep_their_strings(services: Services) -> None:
    """The rating and fix buttons patients keep in their chats for weeks."""
    assert [b.payload for b in rating_buttons(services, NUMBER)] == [f"rate:{NUMBER}:{n}" for n in range(1, 6)]
    assert [b.payload for b in fix_buttons(services, NUMBER)] == [f"fix:{NUMBER}:ok", f"fix:{NUMBER}:no"]


def test_limits_refuse_when_the_button_is_built() -> None:
    """Telegram's 64-byte callback_data (LINE allows 300) and the separator are checked by `pack`, before any
    platform could answer 400 — Thai takes 3 bytes a character, so 22 Thai characters are already too many."""
    assert len(pack("survey", "dept", "ก" * 17).encode()) == 63
    with pytest.raises(ValueError, match="64 bytes"):
        pack("survey", "dept", "ก" * 19)
    with pytest.raises(ValueError, match="':'"):
        pack("case", "view", "2570:0042")
    with pytest.raises(ValueError, match="64 bytes"):
        extend("survey:s:3", "9" * 60)
    with pytest.raises(ValueError):
        Button("x", "y" * 65)
