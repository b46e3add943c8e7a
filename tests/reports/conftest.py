"""Fixtures for the reports tests that drive the whole service through the fake platforms."""

from tests.fakes.databases import any_service, pg_template  # noqa: F401  # fixtures: the service on SQLite and PostgreSQL
from tests.fakes.fixtures import fake_line, fake_telegram, service  # noqa: F401  # fixtures for the fakes
