"""is_arabic counts letters with regex runs; it must agree with counting str.isalpha characters one by one."""

from hypothesis import given
from hypothesis import strategies as st

from workers.intake import MIN_ARABIC_SHARE, is_arabic


def one_by_one(text: str, sample: int = 4000) -> bool:
    letters = [c for c in text[:sample] if c.isalpha()]
    if not letters:
        return False
    arabic = sum(1 for c in letters if "\u0600" <= c <= "\u06ff" or "\ufb50" <= c <= "\ufeff")
    return arabic / len(letters) >= MIN_ARABIC_SHARE


def test_every_character_counts_as_before():
    for code in range(0, 0x110000, 512):
        chunk = "".join(map(chr, range(code, code + 512)))
        for text in (chunk, "ب" * 40 + chunk, chunk + "ب" * 200, "".join(reversed(chunk))):
            assert is_arabic(text) == one_by_one(text), hex(code)


_ALPHABET = st.sampled_from("بتثجحخ ٠١٢ًٌ ﻻﺏ abcXYZ 123 ²½一Ⅻ_-،؟\n\u0640\u200f")


@given(st.text(_ALPHABET, max_size=60), st.integers(1, 80))
def test_mixed_texts_and_samples(text, sample):
    assert is_arabic(text, sample) == one_by_one(text, sample)
