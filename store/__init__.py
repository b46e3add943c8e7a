"""Persistence: SQLModel tables, async engine and sessions, Alembic migrations."""
