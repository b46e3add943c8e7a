"""How the NLP and the committee disagree: per topic, how often the committee changed the NLP's tags, and
how many open cases still wait on the "needs a look" list. Counts only — no text, nobody named."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from store.models import Case, Feedback, TagCorrection
from store.statuses import FINISHED


async def tag_changes(session: AsyncSession, *, since: datetime, until: datetime) -> list[dict[str, Any]]:
    """Per topic, over feedback created in [since, until]: how many the NLP tagged with it, how many the
    committee corrected, how many of those corrections added or removed it, and that share of the tagged."""
    feedback = (await session.exec(select(Feedback).where(col(Feedback.created_at) >= since,
                                                          col(Feedback.created_at) <= until))).all()
    ids = [f.id for f in feedback]
    latest: dict[int, TagCorrection] = {}
    if ids:
        rows = (await session.exec(select(TagCorrection).where(col(TagCorrection.feedback_id).in_(ids))
                                   .order_by(col(TagCorrection.id)))).all()
        latest = {c.feedback_id: c for c in rows}  # the last word on each text
    tagged: Counter[str] = Counter()
    changed: Counter[str] = Counter()
    for f in feedback:
        was = {str(t.get("code")) for t in f.topics}
        tagged.update(was)
        correction = latest.get(f.id or -1)
        if correction is not None:
            changed.update(was ^ set(correction.topics))
    return [{"topic": topic, "tagged": tagged[topic], "changed": changed[topic],
             "changed_pct": round(100 * changed[topic] / tagged[topic], 1) if tagged[topic] else None}
            for topic in sorted(set(tagged) | set(changed), key=lambda t: (-changed[t], -tagged[t], t))]


async def unsure_open_cases(session: AsyncSession) -> list[tuple[Case, Feedback]]:
    """The "needs a look" list: open cases whose text the NLP was unsure of and that nobody has corrected
    with /tags (nor, for an incident, coded with /code) yet — least sure first."""
    rows = (await session.exec(select(Case, Feedback).join(Feedback, col(Feedback.id) == Case.feedback_id)
                               .where(col(Case.status).not_in(FINISHED)))).all()
    unsure = [(c, f) for c, f in rows
              if (f.nlp or {}).get("needs_review") and not (c.kind == "incident" and c.risk_code)]
    if not unsure:
        return []
    corrected = set((await session.exec(select(TagCorrection.feedback_id).where(
        col(TagCorrection.feedback_id).in_([f.id for _, f in unsure])))).all())
    left = [(c, f) for c, f in unsure if f.id not in corrected]
    left.sort(key=lambda cf: (float((cf[1].nlp or {}).get("confidence") or 0), cf[0].number))
    return left
