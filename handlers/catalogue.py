"""The Thai message catalogue: every word the bot says, in one file the hospital edits.

`config/messages.th.toml` ships the defaults. A hospital's own file of the same name in CONFIG_DIR
overrides any key; placeholders must match the default so an edit can never break a message.

The bot's voice is rendered once, at load: `{ค่ะ}` / `{คะ}` become BOT_PARTICLE's ending (ค่ะ/คะ or ครับ) and
`{hospital}` becomes HOSPITAL_NAME, so every text of one service speaks in one register (issue 20 item 7).
"""

from __future__ import annotations

import string
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from store.config_files import DEFAULT_DIR

DEFAULT_FILE = DEFAULT_DIR / "messages.th.toml"
FILE_NAME = "messages.th.toml"
LINE_LABEL_MAX = 20  # LINE quick-reply and button labels are cut at 20 characters


PARTICLES = ("ค่ะ", "ครับ")  # BOT_PARTICLE: the bot's polite ending, one register for every message
# {ค่ะ} ends a statement, {คะ} a question or a soft "นะ{คะ}": a female voice says ค่ะ / คะ, a male one ครับ for both.
VOICE_TOKENS = {"ค่ะ": {"{ค่ะ}": "ค่ะ", "{คะ}": "คะ"}, "ครับ": {"{ค่ะ}": "ครับ", "{คะ}": "ครับ"}}
VOICE_FIELDS = frozenset({"ค่ะ", "คะ"})
DEFAULT_PARTICLE = "ค่ะ"


def voice(text: str, particle: str, hospital: str | None = None, *, escape: bool = False) -> str:
    """Render the bot's voice into a text: the polite endings, and the hospital's name when given.

    With `escape` the name is brace-escaped, for texts that are `str.format`-ed later."""
    if particle not in VOICE_TOKENS:
        raise CatalogueError(f"BOT_PARTICLE must be one of {PARTICLES}, not {particle!r}")
    for token, word in VOICE_TOKENS[particle].items():
        text = text.replace(token, word)
    if hospital is not None:
        text = text.replace("{hospital}", hospital.replace("{", "{{").replace("}", "}}") if escape else hospital)
    return text


class CatalogueError(ValueError):
    """The hospital's message file cannot be used; the message says which key and why."""


def _flatten(data: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        elif isinstance(value, str):
            flat[name] = value
        else:
            raise CatalogueError(f"{name}: expected text, found {type(value).__name__}")
    return flat


def _fields(text: str) -> set[str]:
    """The placeholders filled per message (the voice tokens are rendered at load, not counted)."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name} - VOICE_FIELDS


@dataclass(frozen=True)
class Catalogue:
    messages: dict[str, str]

    def __call__(self, key: str, **values: object) -> str:
        try:
            template = self.messages[key]
        except KeyError:
            raise KeyError(f"no message {key!r} in the catalogue") from None
        return template.format(**values) if values or "{" in template else template

    def has(self, key: str) -> bool:
        return key in self.messages

    @classmethod
    def load(cls, config_dir: Path | None = None, *, particle: str = DEFAULT_PARTICLE,
             hospital: str | None = None) -> Catalogue:
        """The catalogue in the bot's voice; without `hospital`, `{hospital}` stays a per-message placeholder."""
        with DEFAULT_FILE.open("rb") as fh:
            messages = _flatten(tomllib.load(fh))
        override = (config_dir / FILE_NAME) if config_dir else None
        if override and override.exists() and override.resolve() != DEFAULT_FILE.resolve():
            with override.open("rb") as fh:
                custom = _flatten(tomllib.load(fh))
            for key, text in custom.items():
                if key not in messages:
                    raise CatalogueError(f"{override}: unknown key {key!r}")
                if _fields(text) != _fields(messages[key]):
                    raise CatalogueError(
                        f"{override}: {key!r} must use the placeholders {sorted(_fields(messages[key]))}"
                    )
            messages.update(custom)
        for key, text in messages.items():
            if key.startswith("button.") and len(text) > LINE_LABEL_MAX:
                raise CatalogueError(f"{key!r} is {len(text)} characters; LINE shows at most {LINE_LABEL_MAX}")
        return cls({key: voice(text, particle, hospital, escape=True) for key, text in messages.items()})
