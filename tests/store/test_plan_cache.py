"""PostgreSQL plans of the hot path's prepared statements (issue 18, h/tp-pgplan): asyncpg prepares every statement
and PostgreSQL switches a prepared statement to a cached generic plan after five executions when that plan costs
no more than the custom ones. On a table that starts empty the generic plan is a sequential scan, and it stayed
for the connection's life as the table grew (nothing invalidates it but an ANALYZE; the bench server runs no
autovacuum): the burst's PostgreSQL CPU per event jumped between runs with which statements had gone generic."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from bot.pipeline import _statement
from store.db import make_engine, upgrade
from tests.support import PG_URL

pytestmark = pytest.mark.postgres


async def test_a_statement_prepared_on_an_empty_table_is_planned_for_the_table_it_meets(pg_schema: str) -> None:
    """The inbox worker's `seen` statement (UPDATE patients … WHERE id = ANY(:ids)) run on an empty patients table
    through the service's engine, then again after the table grew: it is planned afresh each time (no generic
    plan), and once the table is large the plan it runs is an index scan, not a scan of the whole table."""
    schema = pg_schema + "_plans"
    admin = make_engine(PG_URL)
    async with admin.begin() as conn:
        await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = make_engine(PG_URL, schema=schema, pool_size=1)
    try:
        await upgrade(engine)  # the real migrations
        seen = _statement("seen", "postgresql")
        now = datetime.now(UTC)
        async with engine.connect() as conn:
            for _ in range(8):  # an empty table: where the generic plan (a scan) looks cheapest
                await conn.execute(seen, {"ids": [1, 2, 3], "now": now})
            await conn.execute(text("INSERT INTO patients (created_at, consent) "
                                    "SELECT now(), 'given' FROM generate_series(1, 20000)"))
            await conn.execute(seen, {"ids": [5, 6, 7], "now": now})
            prepared = (await conn.execute(text(
                "SELECT name, generic_plans, custom_plans FROM pg_prepared_statements "
                "WHERE statement LIKE 'UPDATE patients SET last_seen_at%'"))).one()
            assert prepared.generic_plans == 0
            assert prepared.custom_plans == 9
            plan = "\n".join(row[0] for row in await conn.execute(
                text(f"EXPLAIN EXECUTE {prepared.name}(now(), '{{5,6,7}}')")))
            assert "Seq Scan" not in plan and "Index Scan on patients_pkey" in plan, plan
            await conn.rollback()
    finally:
        await engine.dispose()
        async with admin.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        await admin.dispose()
