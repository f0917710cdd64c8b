import pytest

from acronym import abbreviate


def test_basic():
    assert abbreviate("Portable Network Graphics") == "PNG"


def test_lowercase_words():
    assert abbreviate("Ruby on Rails") == "ROR"


def test_hyphens_separate_words():
    assert abbreviate("Complementary metal-oxide semiconductor") == "CMOS"


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [("The Road _Not_ Taken", "TRNT"), ("Halley's Comet", "HC")],
)
def test_punctuation_is_ignored(phrase, expected):
    assert abbreviate(phrase) == expected
