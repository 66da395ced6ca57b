"""PP-OCR look-alike glyphs -> the 37 MRZ symbols (A-Z, 0-9, `<`).

The Chinese recogniser knows 18 000 glyphs; on OCR-B it often picks a full-width `Ｌ`,
a Greek `Ρ`, a Cyrillic `О`, `く` or `〈` for the filler, `×` for X. Mapping every glyph of
its vocabulary to the MRZ symbol it looks like (or to nothing) lets the decoder add up
the probability of all the forms of one symbol before choosing.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Final

from passport_ocr.mrz.lookalikes import GLYPH_SYMBOLS

MRZ_ALPHABET: Final = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"
SYMBOL_INDEX: Final = {symbol: index for index, symbol in enumerate(MRZ_ALPHABET)}
LETTERS: Final = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
DIGITS: Final = frozenset("0123456789")

#: Glyphs NFKC leaves alone that OCR-B characters are mistaken for.
#: One MRZ symbol per glyph of the vocabulary (the first of what the one glyph table says it
#: stands for: `«` is `<<` to the text cleaner, one `<` here; the line is refitted after).
_LOOKALIKES: Final = {glyph: text[0] for glyph, text in GLYPH_SYMBOLS.items()}


def to_symbol(glyph: str) -> str | None:
    """The MRZ symbol `glyph` stands for, or None (punctuation, Chinese, blank...)."""
    if glyph in _LOOKALIKES:
        return _LOOKALIKES[glyph]
    folded = unicodedata.normalize("NFKC", glyph)
    if folded in _LOOKALIKES:
        return _LOOKALIKES[folded]
    if len(folded) != 1:
        return None
    upper = folded.upper()
    if len(upper) == 1 and upper in SYMBOL_INDEX:
        return upper
    return None


def normalize_text(text: str) -> str:
    """Every glyph mapped to its MRZ symbol; unknown glyphs dropped, spaces removed."""
    return "".join(symbol for glyph in text if (symbol := to_symbol(glyph)) is not None)


def vocabulary_map(vocabulary: Sequence[str]) -> list[tuple[int, int]]:
    """(vocabulary index, MRZ symbol index) for every glyph that stands for a symbol."""
    pairs: list[tuple[int, int]] = []
    for index, glyph in enumerate(vocabulary):
        symbol = to_symbol(glyph)
        if symbol is not None:
            pairs.append((index, SYMBOL_INDEX[symbol]))
    return pairs
