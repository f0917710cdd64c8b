"""Repair mis-encoded text (mojibake) with ftfy before a roadmap is parsed.

Three passes, all ftfy's: the whole document's encoding is fixed first (a file
that was decoded with one wrong codec is fixed consistently, even lines too short
for ftfy to be sure about alone), then ``fix_text`` line by line (curly quotes are
kept: they are real punctuation), then any word still made only of characters
that re-encode through one of ftfy's legacy codecs into valid UTF-8 (a lone
``🐍`` read as Mac Roman, say) is decoded.
"""

from __future__ import annotations

import re

import ftfy
import ftfy.bad_codecs  # registers the sloppy-windows-125x codecs
from ftfy.chardata import CHARMAP_ENCODINGS

_CONFIG = ftfy.TextFixerConfig(uncurl_quotes=False)
_WORD = re.compile(r"\S*[^\x00-\x7f]\S*")


def repair(text: str) -> str:
    """``text`` with mojibake repaired; text that was fine comes back unchanged."""
    text = ftfy.fix_encoding(text)
    text = ftfy.fix_text(text, _CONFIG)
    return _WORD.sub(lambda m: _fix_word(m.group(0)), text)


def _fix_word(word: str) -> str:
    for encoding in CHARMAP_ENCODINGS:
        try:
            fixed = word.encode(encoding).decode("utf-8")
        except UnicodeError:
            continue
        if fixed != word and len(fixed) < len(word):
            return fixed
    return word
