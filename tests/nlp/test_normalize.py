from __future__ import annotations

from nlp.normalize import normalize_text, normalize_text_reference


def test_repeated_characters_collapse() -> None:
    """Runs of 3+ identical characters collapse to one (มากกกก → มาก, !!!! → !)."""
    assert normalize_text("ดีมากกกกก!!!!") == "ดีมาก!"


def test_laughter_digits_are_kept() -> None:
    """Digit runs are not collapsed: 555 is laughter and 1000 a number."""
    assert normalize_text("555 จ่าย 1000 บาท") == "555 จ่าย 1000 บาท"


def test_thai_digits_become_arabic() -> None:
    """Thai digits are mapped to Arabic digits."""
    assert normalize_text("รอ ๓ ชั่วโมง ๑๐ นาที") == "รอ 3 ชั่วโมง 10 นาที"


def test_zero_width_characters_removed() -> None:
    """Zero-width spaces/joiners and BOMs are removed."""
    assert normalize_text("ห้อง\u200bน้ำ\ufeff\u200d") == "ห้องน้ำ"


def test_emoji_become_thai_words() -> None:
    """Emoji are replaced by their Thai names as separate words."""
    out = normalize_text("แย่มาก😡")
    assert "😡" not in out
    assert out.startswith("แย่มาก ")
    assert "โกรธ" in out


def test_duplicate_tone_marks_and_double_sara_e() -> None:
    """Doubled tone marks collapse and "เเ" is read as "แ"."""
    assert normalize_text("เเย่ ดี่่") == "แย่ ดี่"


def test_a_common_typo_is_read_as_the_word() -> None:
    """"อยากไห้" (ไ typed for ใ) is "อยากให้" for every rule after the normaliser; the reference form agrees."""
    assert normalize_text("อยากไห้มีที่นั่งเพิ่มค่ะ") == "อยากให้มีที่นั่งเพิ่มค่ะ"
    assert normalize_text_reference("อยากไห้มีที่นั่งเพิ่มค่ะ") == "อยากให้มีที่นั่งเพิ่มค่ะ"


def test_normalize_is_idempotent() -> None:
    """Normalising twice gives the same text as once."""
    text = "รอนานนนนน ๒ ชม. 😤😤 ค่าาาา"
    assert normalize_text(normalize_text(text)) == normalize_text(text)
