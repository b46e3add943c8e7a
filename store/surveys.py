"""Survey responses and their item scores."""

from __future__ import annotations

from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from store.models import SurveyItemScore, SurveyResponse

_ITEM_SCORES: Any = SurveyItemScore.__table__  # type: ignore[attr-defined]  # Core: nothing reads the rows back
_RESPONSES: Any = SurveyResponse.__table__  # type: ignore[attr-defined]
_ADD_RESPONSE: Any = _RESPONSES.insert().returning(_RESPONSES.c.id)  # built once


async def add_response(session: AsyncSession, response: dict[str, Any], scores: list[tuple[str, str, int]]) -> int:
    """A finished survey (the `survey_responses` columns; `source` defaults to chat) and its item scores
    (item code, dimension, score) in two Core statements on the session's transaction; returns the response's id.
    The ORM's way (add, then flush for the id) flushed everything the session held at that moment: in the inbox
    worker's batch (bot/pipeline.py) the conversations of every event handled before it were written there, then
    again by the batch's own multi-row UPDATE at its end, and a SurveyResponse and 13 SurveyItemScore objects were
    built only to be read back into rows."""
    connection = await session.connection()
    response_id: int = (await connection.execute(_ADD_RESPONSE, {"source": "chat", **response})).scalar_one()
    await _insert_scores(connection, [(response_id, *score) for score in scores])
    return response_id


async def _insert_scores(connection: Any, rows: list[tuple[int, str, str, int]]) -> None:
    """(response id, item code, dimension, score) rows in one executemany INSERT."""
    if rows:
        await connection.execute(_ITEM_SCORES.insert(), [
            {"response_id": response_id, "item_code": code, "dimension": dimension, "score": score}
            for response_id, code, dimension, score in rows
        ])


async def add_item_scores(session: AsyncSession, scores: list[SurveyItemScore]) -> None:
    """Item scores (not yet added to the session) in one executemany INSERT on the session's transaction. Added
    to the session, the ORM inserted them one statement per row — on SQLite it cannot batch an INSERT … RETURNING
    id whose ids it must match back to objects — 13 statements per finished survey; nothing reads their ids."""
    if scores:
        await _insert_scores(await session.connection(),
                             [(s.response_id, s.item_code, s.dimension, s.score) for s in scores])
