from __future__ import annotations

import pytest

from nlp.tokenizer import Tokenizer, cache_dir


def test_nlpo3_keeps_domain_word_whole() -> None:
    """With nlpo3 a hospital domain word (not in pythainlp's list) stays one token."""
    from pythainlp.corpus import thai_words

    assert "วินมอเตอร์ไซค์" not in thai_words()
    assert "วินมอเตอร์ไซค์" in Tokenizer("nlpo3")("ไม่มีวินมอเตอร์ไซค์หน้าโรงพยาบาล")


def test_nlpo3_still_knows_general_words() -> None:
    """The merged dictionary keeps pythainlp's general Thai words."""
    tokens = Tokenizer("nlpo3")("โรงพยาบาลนี้บริการประทับใจ")
    assert {"โรงพยาบาล", "ประทับใจ"} <= set(tokens)


@pytest.mark.slow
def test_newmm_engine_selectable_with_domain_words() -> None:
    """newmm can be selected and also uses the merged dictionary."""
    tokens = Tokenizer("newmm")("ไม่มีวินมอเตอร์ไซค์หน้าโรงพยาบาล")
    assert "วินมอเตอร์ไซค์" in tokens
    assert "โรงพยาบาล" in tokens


def test_unknown_engine_rejected() -> None:
    """An unknown engine name is a clear error."""
    with pytest.raises(ValueError, match="unknown tokenizer engine"):
        Tokenizer("deepcut")


def test_dictionary_file_is_outside_the_repo() -> None:
    """The generated nlpo3 dictionary lives in a cache dir, not in the repository."""
    from pathlib import Path

    Tokenizer("nlpo3")
    repo = Path(__file__).resolve().parents[2]
    assert not cache_dir().resolve().is_relative_to(repo)
    assert list(cache_dir().glob("nlpo3-words-*.txt"))
