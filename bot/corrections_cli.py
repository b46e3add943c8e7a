"""`python -m bot corrections [--out FILE]`: the committee's tag corrections (`/tags` in chat) as JSONL for
`python -m nlp.train --corrections FILE` and `python -m nlp.evaluate FILE`.

One line per corrected message, the latest correction winning: `{"text", "question", "topics", "sentiment",
"complaint"}`; where the committee left sentiment or complaint alone, the stored tags stand. A case whose NRLS
code the committee set with `/code` adds `"kind"`, `"risk_code"` and (A–I) `"severity"` — its own line when
nobody corrected its tags, so the coder learns the hospital's choices too. Staff and
patient identities are not exported, only the message text; erased texts are not exported at all. The
texts are patients' own words, so every run is audited with the operating-system user who ran it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.settings import Settings


def build(parser: argparse.ArgumentParser) -> Callable[[argparse.Namespace, Settings], int]:
    parser.add_argument("--out", type=Path, help="write to this file instead of standard output")

    def run(args: argparse.Namespace, settings: Settings) -> int:
        rows = asyncio.run(export(settings))
        lines = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
        if args.out:
            args.out.write_text(lines, encoding="utf-8")
            print(f"{len(rows)} corrected messages written to {args.out}", file=sys.stderr)
        else:
            sys.stdout.write(lines)
        return 0

    return run


def _question(feedback: Any) -> dict[str, object]:
    """What the text answered (a survey question, complaint, incident…), when the NLP was told."""
    question = (feedback.nlp or {}).get("question")
    return {"question": question} if question else {}


async def export(settings: Settings) -> list[dict[str, object]]:
    from sqlmodel import col, select

    from store import audit
    from store.db import make_engine, make_session_factory, upgrade
    from store.models import Case, Feedback, TagCorrection
    from store.privacy import ERASED_TEXT
    from store.types import utcnow

    engine = make_engine(settings.database_url)
    try:
        await upgrade(engine)
        async with make_session_factory(engine)() as session:
            query = select(TagCorrection, Feedback).where(
                TagCorrection.feedback_id == Feedback.id, col(Feedback.text) != ERASED_TEXT
            ).order_by(col(TagCorrection.id))
            latest: dict[int, dict[str, object]] = {}
            for correction, feedback in (await session.exec(query)).all():
                latest[correction.feedback_id] = {
                    "text": feedback.text,
                    **_question(feedback),
                    "topics": list(correction.topics),
                    "sentiment": correction.sentiment or feedback.sentiment,
                    "complaint": correction.complaint if correction.complaint is not None else feedback.complaint,
                }
            coded = select(Case, Feedback).where(
                Case.feedback_id == Feedback.id, col(Case.risk_code).is_not(None), col(Feedback.text) != ERASED_TEXT
            ).order_by(col(Case.id))
            for case, feedback in (await session.exec(coded)).all():
                assert feedback.id is not None
                row = latest.setdefault(feedback.id, {"text": feedback.text, **_question(feedback)})
                row.update(kind="incident" if case.kind == "incident" else "patient", risk_code=case.risk_code)
                if case.severity and case.severity in "ABCDEFGHI":
                    row["severity"] = case.severity
            audit.record(session, actor=audit.cli_actor(), channel="cli", action="export.corrections",
                         detail={"rows": len(latest)}, at=utcnow())
            await session.commit()
            return list(latest.values())
    finally:
        await engine.dispose()
