"""Arabic normalisation that keeps a map back to the raw text.

camel-tools' `arclean` mapper (presentation forms, Arabic-Indic digits, diacritics, tatweel) and its
alef / alef-maksura / teh-marbuta normalisers are applied one raw character at a time, so every
normalised character knows the raw offset it came from and spans found on the normalised text point
at the words the reporter wrote.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from camel_tools.utils.charmap import CharMapper
from camel_tools.utils.dediac import dediac_ar
from camel_tools.utils.normalize import (
    normalize_alef_ar,
    normalize_alef_maksura_ar,
    normalize_teh_marbuta_ar,
)

_ARCLEAN = CharMapper.builtin_mapper("arclean")
# Invisible characters that hostile or sloppy text uses to split words: dropped, never matched.
_INVISIBLE = frozenset(
    "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\u00ad\u0640"
)
# Quotation and dash variants folded so lexicon patterns need one spelling.
_FOLD = {"«": '"', "»": '"', "“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "،": "،"}


@lru_cache(maxsize=8192)
def normalize_char(ch: str) -> str:
    """The normalised form of one raw character: '', one character, or (for ligatures) several."""
    if ch in _INVISIBLE:
        return ""
    if ch == "\n":
        return ch  # line breaks end clauses and, doubled, sentences (segment.py)
    if ch.isspace():
        return " "
    if ch in _FOLD:
        return _FOLD[ch]
    out = _ARCLEAN(ch)
    if out == ch and not ("\u0600" <= ch <= "\u06ff"):
        # Outside the Arabic block arclean leaves most characters alone; NFKC folds full-width digits etc.
        out = unicodedata.normalize("NFKC", ch)
    out = dediac_ar(out)
    out = normalize_teh_marbuta_ar(normalize_alef_maksura_ar(normalize_alef_ar(out)))
    return out.lower()


class _Table(dict[int, str]):
    """str.translate table filled on first sight of each character, so normalising is one C-level pass."""

    def __missing__(self, code: int) -> str:
        value = self[code] = normalize_char(chr(code))
        return value


_TABLE = _Table()


def normalize_text(raw: str) -> str:
    """Normalised text (lexicon and gazetteer keys, and the pipeline's working text)."""
    return raw.translate(_TABLE)


def offset_map(raw: str) -> list[int]:
    """offsets[i] is the raw index normalised char i came from, plus a trailing len(raw) for exclusive ends."""
    offsets: list[int] = []
    table = _TABLE
    for i, ch in enumerate(raw):
        offsets.extend([i] * len(table[ord(ch)]))
    offsets.append(len(raw))
    return offsets


def normalize_with_offsets(raw: str) -> tuple[str, list[int]]:
    """Return (normalised text, offsets) where offsets[i] is the raw index normalised char i came from."""
    return normalize_text(raw), offset_map(raw)


def normalize_key(raw: str) -> str:
    """A lookup key: normalised, whitespace collapsed, stripped."""
    return " ".join(normalize_text(raw).split())


def normalize_pattern(pattern: str) -> str:
    """Normalise the Arabic letters of a regex pattern, leaving regex syntax (ASCII) untouched."""
    return "".join(ch if ch.isascii() else normalize_char(ch) for ch in pattern)


@lru_cache(maxsize=1024)
def compile_ar(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """Compile a regex written in ordinary Arabic spelling so it matches normalised text.

    Patterns matched at a clause's or sentence's start open with at most ten marks, `\\W{0,10}`, never `\\W*`:
    matched once per clause, an unbounded run read on over every comma after it: 16 kB of «، » took 18 s, and
    the 300 kB of tests/faults' `comma-space-run` would have taken hours."""
    return re.compile(normalize_pattern(pattern), flags)
