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


#: Every glyph a reader may produce for an MRZ symbol, and the MRZ text it stands for: the
#: one table for cleaning vendor text (`mrz.cleaning`) and for the offline engine's view of
#: its recogniser's vocabulary (`tools.ocr.glyphs`, which keeps one symbol per glyph: the
#: first, and refits the line's length after). Anything else outside the MRZ alphabet is a
#: stray character, after Unicode compatibility folding (full width) and upper-casing.
GLYPH_SYMBOLS: Final[Mapping[str, str]] = {
    # the filler: angle brackets, CJK quotation marks and kana that look like `<`
    "«": "<<", "‹": "<", "〈": "<", "《": "<", "＜": "<", "﹤": "<", "⟨": "<", "〔": "<",
    "く": "<", "ぐ": "<", "ㄑ": "<", "≤": "<", "∠": "<", "一": "<",
    # Greek capitals that look like Latin ones (some readers mix scripts)
    **dict(zip("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "ABEZHIKMNOPTYX", strict=True)),
    # Cyrillic capitals likewise, and the Cyrillic Ze read for a 3
    **dict(zip("АВЕКМНОРСТХУІЈЅЗ", "ABEKMHOPCTXYIJS3", strict=True)),
    # symbols: multiplication sign, circles and slashed zeros, bars
    "×": "X", "〇": "O", "○": "O", "Ø": "0", "ø": "0", "|": "I", "丨": "I",
}  # fmt: skip


def likeliest_twin(symbol: str) -> str | None:
    """The one symbol OCR-B readers most often take `symbol` for (the first entry of the
    confusion tables above), for repairs that may only try one."""
    for table in (DIGIT_FOR_LETTER, LETTER_FOR_DIGIT):
        if symbol in table:
            return table[symbol][0]
    return None


def lookalike_twins(symbol: str) -> frozenset[str]:
    """Every symbol one OCR look-alike away from `symbol`, by the confusion tables above.

    A letter's digit twins and a digit's letter twins, and the letters that look like the
    same digit (O, D, Q and U all pass for 0, so each is one look-alike from the others).
    """
    digits = set(DIGIT_FOR_LETTER.get(symbol, ()))
    if symbol in LETTER_FOR_DIGIT:
        digits.add(symbol)
    twins = set(digits)
    for digit in digits:
        twins.update(LETTER_FOR_DIGIT.get(digit, ()))
        twins.update(letter for letter, seen in DIGIT_FOR_LETTER.items() if digit in seen)
    twins.discard(symbol)
    return frozenset(twins)
