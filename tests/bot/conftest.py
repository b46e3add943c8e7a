"""The doctor's tests check credentials against the fake LINE and Telegram servers."""

from tests.fakes.fixtures import fake_line, fake_telegram  # noqa: F401  # fixtures for this package
