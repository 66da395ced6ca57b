"""Characters readers mistake for MRZ symbols, and MRZ symbols OCR-B readers confuse."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

# OCR confusions, by the class the position demands.
DIGIT_FOR_LETTER: Final[Mapping[str, tuple[str, ...]]] = {
    "O": ("0",),
    "Q": ("0",),
    "D": ("0",),
    "U": ("0",),
    "I": ("1",),
    "L": ("1",),
    "J": ("1",),
    "Z": ("2",),
    "A": ("4",),
    "S": ("5", "8"),
    "G": ("6",),
    "T": ("7",),
    "B": ("8",),
}
# The preferred letter first: class repairs in names take it; state codes try them all.
LETTER_FOR_DIGIT: Final[Mapping[str, tuple[str, ...]]] = {
    "0": ("O", "D", "Q"),
    "1": ("I", "L"),
    "2": ("Z",),
    "4": ("A",),
    "5": ("S",),
    "6": ("G",),
    "7": ("T",),
    "8": ("B",),
}
# What a filler `<` is commonly read as.
FILLER_LOOKALIKES: Final = frozenset("KXCS3")


# Glyphs some readers produce for `<`.
FILLER_GLYPHS: Final[Mapping[str, str]] = {
    "«": "<<",
    "‹": "<",
    "〈": "<",
    "＜": "<",
    "く": "<",
    "≤": "<",
}


# Cyrillic and Greek capitals that look like Latin ones (some readers mix scripts).
HOMOGLYPHS: Final[Mapping[str, str]] = dict(
    zip("АВЕКМНОРСТХУІЈЅΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "ABEKMHOPCTXYIJSABEZHIKMNOPTYX", strict=True)
)
