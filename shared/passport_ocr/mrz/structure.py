"""Is a block of text shaped like an MRZ at all? Prose is "no MRZ found", not a bad reading.

The same structure the offline engine asks of its model's lines (`tools.ocr.layout.
structure_misses`), on vendor text after cleaning and before repair (repair would make any
text fit). The document code's first letter is `detection`'s rule already; beyond it:
- `states`: the issuing state and nationality hold letters or fillers (digit look-alikes
  of letters counting: `0` for `O` or `D`);
- `name_fillers`: the name field has a run of two fillers (the surname ends with one);
- `digits`: at least half the date positions and their check digits hold digits.
A real MRZ read badly misses one of these at most; prose of the right line lengths
misses two or all three.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from passport_ocr.mrz.checkdigits import FILLER
from passport_ocr.mrz.layouts import Layout
from passport_ocr.mrz.lookalikes import LETTER_FOR_DIGIT

#: More misses than this and the text is no MRZ (the offline engine's bound too).
MAX_STRUCTURE_MISSES: Final = 1


def structure_misses(lines: Sequence[str], layout: Layout) -> list[str]:
    """What of an MRZ's structure `lines` (of `layout`'s shape) lack, by the rules above;
    the offline engine adds its own document-code rule on the model's symbols."""
    misses: list[str] = []
    states = layout.issuing_state.read(lines) + layout.nationality.read(lines)
    if not all(char.isalpha() or char == FILLER or char in LETTER_FOR_DIGIT for char in states):
        misses.append("states")
    if FILLER * 2 not in layout.name.read(lines):
        misses.append("name_fillers")
    places = [
        (span.line, pos)
        for span in (layout.birth_date, layout.expiry_date)
        for pos in range(span.start, span.end)
    ] + [layout.checks[name] for name in ("birth_date", "expiry_date")]
    if 2 * sum(lines[line][pos].isdigit() for line, pos in places) < len(places):
        misses.append("digits")
    return misses
