"""Fixtures for the HRMS tests: the service through the fakes, and databases on SQLite and PostgreSQL."""

from tests.fakes.databases import any_database, any_service, pg_template  # noqa: F401  # fixtures
from tests.fakes.fixtures import fake_line, fake_telegram, service  # noqa: F401  # fixtures for the fakes
