"""Text normalisation applied before tokenising: cheap, deterministic, idempotent."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f]")
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_THAI_DIGIT = re.compile("[๐-๙]")
# Digits are excluded: "555" is Thai laughter and "1000" is a number, both meaningful as they are.
# nlp-r11pat: three "อ" in a row are a word ending in "อ" before "ออก"/"ออน" ("หมอออกตรวจ", "เหงื่อออก", "ท่อออกซิเจน"),
# not a stretched letter: only four or more collapse ("รอออออ" → "รอ"), or "หมอออก" became "หมอก" (fog).
_REPEAT = re.compile(r"([^\dอ])\1{2,}|(อ)อ{3,}")
# Thai above/below vowels and tone marks never legitimately repeat back to back.
_DUP_MARK = re.compile(r"([\u0e31\u0e34-\u0e3a\u0e47-\u0e4e])\1+")
_SPACES = re.compile(r"\s+")
# Anything from the symbol/emoji blocks; only then is the (slow) emoji lookup worth calling.
_EMOJI_HINT = re.compile("[\u2190-\u2bff\U0001f000-\U0001faff]")
_EMOJI_NAME = re.compile(r":([^:\s]+):")
# Common ways of mistyping a word, read as the word: "เเ" (two sara e) for "แ"; "อยากไห้" (ไ typed for ใ) for
# "อยากให้", so every wish rule and lexicon phrase reads it without a variant of its own.
# Round 9 (tune20's writers): "ขอบคุน", "สกปก", "ไหม่" (new), "โทรสับ"; "แพท" for "แพทย์" is a pattern (below), as the
# right spelling holds it.
_TYPOS = (
    ("เเ", "แ"), ("อยากไห้", "อยากให้"), ("ขอบคุน", "ขอบคุณ"), ("สกปก", "สกปรก"), ("ไหม่", "ใหม่"),
    ("โทรสับ", "โทรศัพท์"),
    # Round 10 (tune22's writers): a final consonant or a vowel swapped for one that sounds alike.
    ("พยาบาน", "พยาบาล"), ("ละเอียก", "ละเอียด"), ("ภาสา", "ภาษา"), ("คลินิค", "คลินิก"), ("พิเศส", "พิเศษ"),
    # pat27 (tune27's writer): a final consonant, a vowel or a letter swapped on a phone keyboard or by a child's
    # lisp (ร → ล)
    ("ประทัปใจ", "ประทับใจ"), ("ไจดี", "ใจดี"), ("สอาด", "สะอาด"), ("ขอบคูณ", "ขอบคุณ"), ("น่าลัก", "น่ารัก"),
    ("อรอย", "อร่อย"),
    # r13 tune34 (blind13p's writers): "รุ้" for "รู้", a wheelchair heard as "วิว", "สัญญาน"
    ("ไม่รุ้", "ไม่รู้"), ("รุ้สึก", "รู้สึก"), ("รุ้ว่า", "รู้ว่า"), ("วิวแชร์", "วีลแชร์"), ("สัญญาน", "สัญญาณ"),
)  # fmt: skip
_DOCTOR_TYPO = re.compile("แพท(?!ย์|เทิร์น)")  # "แพท" for "แพทย์"
# "จัย" typed for "ใจ" ("ประทับจัย", "เข้าจัย", "จัยดี"), not inside "วิจัย" or "ปัจจัย"; the polite "คร้าบบ" (a tone
# mark, a stretched ending) is "ครับ", not "คราบ" (a stain) once the loose matcher drops the tone.
_SOUND_TYPOS = re.compile("(?<![ิจ])จัย|คร[้๊]า+บ+")
_SOUND_WORD = {"จัย": "ใจ"}


def _sound_word(m: re.Match[str]) -> str:
    return _SOUND_WORD.get(m.group(0), "ครับ")


@lru_cache(maxsize=1)
def _emoji_to_thai() -> Callable[[str], str]:
    from pythainlp.util import emoji_to_thai

    fn: Callable[[str], str] = emoji_to_thai
    return fn


def emoji_to_words(text: str) -> str:
    """Replace each emoji with its Thai name, space-separated so it tokenises as words."""
    if not _EMOJI_HINT.search(text):
        return text
    converted: str = _emoji_to_thai()(text)
    return _EMOJI_NAME.sub(lambda m: f" {m.group(1)} ", converted)


def emoji_names(text: str) -> list[str]:
    """round 12 (tune29 patient): the Thai names emoji_to_words gives this text's emoji, normalised and unspaced
    ("😊" → "หน้ายิ้มตายิ้ม", "☕" → "เครื่องดื่มร้อน"); empty when the text has none."""
    if not _EMOJI_HINT.search(text):
        return []
    return [normalize_text(m.group(1)).replace(" ", "") for m in _EMOJI_NAME.finditer(_emoji_to_thai()(text))]


def normalize_text_reference(text: str) -> str:
    """normalize_text as a plain chain of substitutions: the definition the fast form is tested against."""
    text = _ZERO_WIDTH.sub("", text)
    if _THAI_DIGIT.search(text):
        text = text.translate(_THAI_DIGITS)
    for typo, word in _TYPOS:
        text = text.replace(typo, word)
    text = _DOCTOR_TYPO.sub("แพทย์", text)
    text = _SOUND_TYPOS.sub(_sound_word, text)
    text = _DUP_MARK.sub(r"\1", text)
    text = _REPEAT.sub(r"\1\2", text)
    text = emoji_to_words(text)
    return _SPACES.sub(" ", text).strip().lower()


# The fast form's shortcuts (each step is the reference's own where it can change the text): a run of three
# equal characters is looked for before the slower repeat rule runs, "\1\1+" is "\1{2,}" (faster in re), and
# str.split() splits on exactly what re's \s matches.
_ZERO_WIDTH_CHARS = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f"
_TRIPLE = re.compile(r"(.)\1\1", re.DOTALL)
_REPEAT_FAST = re.compile(r"([^\dอ])\1\1+|(อ)อออ+")


def collapse_spaces(text: str) -> str:
    """``re.sub(r"\\s+", " ", text)`` without the regex: every run of whitespace becomes one space, the
    ends included (str.split() splits on exactly what re's \\s matches)."""
    if not text:
        return text
    core = " ".join(text.split())
    if not core:
        return " "
    return (" " if text[0].isspace() else "") + core + (" " if text[-1].isspace() else "")


def normalize_text(text: str) -> str:
    """Normalise zero-width chars, Thai digits, repeated chars (มากกกก → มาก), emoji and spacing."""
    if any(c in text for c in _ZERO_WIDTH_CHARS):
        text = _ZERO_WIDTH.sub("", text)
    if _THAI_DIGIT.search(text):  # str.translate walks every character of a long text, even with nothing to do
        text = text.translate(_THAI_DIGITS)
    for typo, word in _TYPOS:
        text = text.replace(typo, word)
    if "แพท" in text:
        text = _DOCTOR_TYPO.sub("แพทย์", text)
    if "จัย" in text or "คร" in text:
        text = _SOUND_TYPOS.sub(_sound_word, text)
    text = _DUP_MARK.sub(r"\1", text)
    if _TRIPLE.search(text):
        text = _REPEAT_FAST.sub(r"\1\2", text)
    text = emoji_to_words(text)
    return " ".join(text.split()).lower()
