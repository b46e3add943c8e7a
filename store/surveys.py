"""Survey responses' item scores."""

from __future__ import annotations

from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from store.models import SurveyItemScore

_ITEM_SCORES: Any = SurveyItemScore.__table__  # type: ignore[attr-defined]  # Core: nothing reads the rows back


async def add_item_scores(session: AsyncSession, scores: list[SurveyItemScore]) -> None:
    """Item scores (not yet added to the session) in one executemany INSERT on the session's transaction. Added
    to the session, the ORM inserted them one statement per row — on SQLite it cannot batch an INSERT … RETURNING
    id whose ids it must match back to objects — 13 statements per finished survey; nothing reads their ids."""
    if scores:
        connection = await session.connection()
        await connection.execute(_ITEM_SCORES.insert(), [
            {"response_id": s.response_id, "item_code": s.item_code, "dimension": s.dimension, "score": s.score}
            for s in scores
        ])
