"""Thai word tokeniser: nlpo3 (default) or newmm, both with the hospital domain dictionary.

pythainlp 5.4 pitfalls handled here: ``word_tokenize(engine="nlpo3", custom_dict=...)`` ignores the
custom dictionary, so the merged word list is written to a cache file and loaded with
``nlpo3.load_dict``; a newmm ``dict_trie`` replaces the built-in words, so it is built from the union.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from collections.abc import Callable, Iterable
from functools import lru_cache
from itertools import filterfalse
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pythainlp.util import Trie

ENGINES = ("nlpo3", "newmm")
DEFAULT_ENGINE = "nlpo3"
DOMAIN_WORDS_FILE = Path(__file__).resolve().parent / "data" / "domain_words.txt"

_lock = threading.Lock()


def cache_dir() -> Path:
    """Where generated files (the nlpo3 dictionary) live: outside the repository."""
    base = os.environ.get("PATIENT_VOICE_CACHE") or os.environ.get("XDG_CACHE_HOME")
    root = Path(base) if base else Path.home() / ".cache"
    path = root / "patient-voice" / "nlp" if not os.environ.get("PATIENT_VOICE_CACHE") else root
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        # Read-only home (containers): fall back to the system temp dir.
        path = Path(tempfile.gettempdir()) / "patient-voice-nlp"
        path.mkdir(parents=True, exist_ok=True)
    return path


def domain_words(extra: Iterable[str] = ()) -> frozenset[str]:
    """Hospital vocabulary from nlp/data/domain_words.txt plus any extra words (one unit each)."""
    words = set()
    for line in DOMAIN_WORDS_FILE.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            words.add(line.lower())
    words.update(w.strip().lower() for w in extra if w.strip() and " " not in w.strip())
    return frozenset(words)


@lru_cache(maxsize=8)
def _nlpo3_dict_name(words: frozenset[str]) -> str:
    from pythainlp.corpus import thai_words
    from pythainlp.tokenize.nlpo3 import load_dict

    merged = sorted(set(thai_words()) | words)
    digest = hashlib.sha256("\n".join(merged).encode("utf-8")).hexdigest()[:16]
    path = cache_dir() / f"nlpo3-words-{digest}.txt"
    if not path.exists():
        # Write-then-rename so a concurrent process never loads a half-written file.
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text("\n".join(merged) + "\n", encoding="utf-8")
        tmp.replace(path)
    name = f"patient-voice-{digest}"
    # load_dict refuses to overwrite an existing name, which is fine: same digest, same words.
    load_dict(str(path), name)
    return name


@lru_cache(maxsize=8)
def _newmm_trie(words: frozenset[str]) -> Trie:
    from pythainlp.corpus import thai_words
    from pythainlp.util import dict_trie

    return dict_trie(set(thai_words()) | words)


class Tokenizer:
    """Callable tokeniser over already-normalised text; returns words without whitespace tokens."""

    def __init__(self, engine: str = DEFAULT_ENGINE, extra_words: Iterable[str] = ()) -> None:
        if engine not in ENGINES:
            raise ValueError(f"unknown tokenizer engine {engine!r}; choose one of {', '.join(ENGINES)}")
        self.engine = engine
        words = domain_words(extra_words)
        self._segment: Callable[[str], list[str]]
        with _lock:
            if engine == "nlpo3":
                from nlpo3 import segment as nlpo3_segment

                name = _nlpo3_dict_name(words)
                self._segment = lambda text: nlpo3_segment(text, name)
            else:
                from pythainlp.tokenize.newmm import segment as newmm_segment

                trie = _newmm_trie(words)
                self._segment = lambda text: newmm_segment(text, custom_dict=trie)

    def __call__(self, text: str) -> list[str]:
        # filterfalse calls str.isspace on each token in C: the same tokens as the comprehension
        # ``[t for t in tokens if not t.isspace()]``, without a Python step per token.
        tokens = list(filterfalse(str.isspace, self._segment(text)))
        return _thanks_whole(tokens) if THANKS in text else tokens

    def with_spaces(self, text: str) -> list[str]:
        """Tokens including whitespace ones (used where a space marks a clause break)."""
        tokens = [" " if t.isspace() else t for t in self._segment(text)]
        return _thanks_whole(tokens) if THANKS in text else tokens


# "ขอบคุณหมอ" is cut "ขอบ" + "คุณหมอ" (the dictionary has both "ขอบคุณ" and the title "คุณหมอ", and the two cuts
# are as short): thanks, then whom, as in "ขอบคุณ" + "หมอ".
THANKS = "ขอบคุณ"


def _thanks_whole(tokens: list[str]) -> list[str]:
    for i in range(len(tokens) - 1):
        nxt = tokens[i + 1]
        if tokens[i] == "ขอบ" and len(nxt) > 3 and nxt.startswith("คุณ"):
            tokens[i], tokens[i + 1] = THANKS, nxt[3:]
    return tokens
