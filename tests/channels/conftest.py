"""The channel tests use the end-to-end harness's fixtures."""

from tests.fakes.fixtures import fake_line, fake_telegram, service  # noqa: F401  # fixtures for this package
