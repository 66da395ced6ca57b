"""A visual test for the one confusion no check digit can settle: letter O or digit 0.

The recogniser reads both as `0` (the line's context decides, not the glyph), and in the
alphanumeric fields (document number, optional data) two such slips at weights 7 and 3
cancel out in every check digit. In OCR-B the digits stand taller than the capitals
(the bundled font: digit height 1.08 x cap height; letter O and digit 0 are otherwise
the same width). So the height of the glyph is measured on the crop and compared with
the heights of the letters and of the digits of the same MRZ, read confidently: no
fixed size, so blur, resolution and scale cancel out. When the MRZ's letters and digits
do not differ in height (another OCR-B cut), the test abstains and the model's own
probabilities stand.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from typing import Final

import numpy as np
import numpy.typing as npt

from passport_ocr.tools.ocr.glyphs import SYMBOL_INDEX
from passport_ocr.tools.ocr.locate import percentile_u8
from passport_ocr.tools.ocr.recognize import CharRead, LineRead

Image = npt.NDArray[np.uint8]

_O: Final = SYMBOL_INDEX["O"]
_ZERO: Final = SYMBOL_INDEX["0"]
#: A character is an O/0 candidate when these two hold this share of its probability.
MIN_ROUND_MASS: Final = 0.5
#: References: characters read at least this confidently (O and 0 themselves excluded).
MIN_REFERENCE_CONFIDENCE: Final = 0.9
MIN_REFERENCES: Final = 2
#: Reference glyphs round at top and bottom like O and 0 (round glyphs overshoot the
#: flat ones by ~2 %, as much as a quarter of the letter/digit difference).
ROUND_LETTERS: Final = frozenset("CGJQSU")
ROUND_DIGITS: Final = frozenset("235689")
#: When a line has too few round glyphs of a kind (a name without C, G, J, Q, S or U),
#: glyphs flat at top and bottom stand in, raised by the overshoot of round ones.
FLAT_LETTERS: Final = frozenset("EFHIKLMNTXZ")
FLAT_DIGITS: Final = frozenset("147")
ROUND_OVERSHOOT: Final = 1.02
#: Digits must stand this much taller than letters (share of the digit height), else
#: abstain; more than MAX_SEPARATION is a measurement gone wrong (bundled OCR-B: 0.075).
MIN_SEPARATION: Final = 0.03
MAX_SEPARATION: Final = 0.15
#: How sharp the verdict is: at the reference heights P = 0.95 / 0.05.
SHARPNESS: Final = 3.0


def glyph_height(gray: Image, x: float, pitch: float) -> float | None:
    """Height in pixels of the dark glyph centred at `x` (half-contrast edges, sub-pixel)."""
    x0, x1 = max(0, round(x - 0.45 * pitch)), min(gray.shape[1], round(x + 0.45 * pitch))
    if x1 - x0 < 2:
        return None
    pixels = np.ascontiguousarray(gray[:, x0:x1])
    # From the cell's histogram: ~5x faster than np.percentile, its value to ~1e-7.
    paper, ink = percentile_u8(pixels, 95.0), percentile_u8(pixels, 3.0)
    cell = pixels.astype(np.float32)
    if paper - ink < 30:
        return None  # no contrast: no glyph to measure
    darkness = (paper - cell.min(axis=1)) / (paper - ink)  # per row, 0 paper .. 1 ink
    rows = np.flatnonzero(darkness >= 0.5)
    if len(rows) < 3 or rows[0] == 0 or rows[-1] == len(darkness) - 1:
        return None  # nothing, or a glyph cut by the crop's edge: its height is unknown
    top, bottom = int(rows[0]), int(rows[-1])
    return bottom - top + _beyond(darkness, top, -1) + _beyond(darkness, bottom, +1)


def _beyond(darkness: npt.NDArray[np.float32], row: int, step: int) -> float:
    """How far past `row`, towards `row + step`, the darkness falls through 0.5 (0..1)."""
    outer = row + step
    if not 0 <= outer < len(darkness):
        return 0.0
    inside, outside = float(darkness[row]), float(darkness[outer])
    if inside <= outside:
        return 0.0
    return min(1.0, (inside - 0.5) / (inside - outside))


def candidates(read: LineRead) -> list[int]:
    """Indices of the characters that are an O or a 0, whichever the model said."""
    return [
        index
        for index, char in enumerate(read.chars)
        if float(char.probs[_O] + char.probs[_ZERO]) >= MIN_ROUND_MASS
    ]


def settle(
    grays: Sequence[Image], reads: Sequence[LineRead], places: Sequence[tuple[int, int]]
) -> list[LineRead]:
    """`reads` with the O/0 split at `places` (line, index) replaced by the visual verdict."""
    # Lines cut at one height share one scale and pool their references; otherwise
    # (the detector's boxes) each line is judged on its own.
    lines = sorted({line for line, _ in places})
    if len({gray.shape[0] for gray in grays}) == 1:
        references = dict.fromkeys(lines, _reference_heights(grays, reads))  # measured once
    else:
        references = {
            line: _reference_heights(grays[line : line + 1], reads[line : line + 1])
            for line in lines
        }
    updated = [list(read.chars) for read in reads]
    for line, index in places:
        letters, digits = references[line]
        if letters is None or digits is None:
            continue
        separation = digits - letters
        if not MIN_SEPARATION * digits <= separation <= MAX_SEPARATION * digits:
            continue
        height = _height_of(grays[line], reads[line], index, _pitch(grays[line], reads[line]))
        if height is None:
            continue
        z = (height - (letters + digits) / 2.0) / (separation / 2.0)
        updated[line][index] = _with_verdict(updated[line][index], _sigmoid(SHARPNESS * z))
    return [replace(read, chars=tuple(chars)) for read, chars in zip(reads, updated, strict=True)]


def _reference_heights(
    grays: Sequence[Image], reads: Sequence[LineRead]
) -> tuple[float | None, float | None]:
    """The typical height of a round letter and of a round digit, or None when unknown."""
    heights: dict[str, list[float]] = {kind: [] for kind in _REFERENCE_KINDS.values()}
    for gray, read in zip(grays, reads, strict=True):
        pitch = _pitch(gray, read)
        for index, char in enumerate(read.chars):
            if char.confidence < MIN_REFERENCE_CONFIDENCE or char.symbol in "O0":
                continue
            kind = _REFERENCE_KINDS.get(char.symbol)
            if kind is None:
                continue
            height = _height_of(gray, read, index, pitch)
            if height is not None:
                heights[kind].append(height)
    return (
        _round_height(heights["round letter"], heights["flat letter"]),
        _round_height(heights["round digit"], heights["flat digit"]),
    )


_REFERENCE_KINDS: Final = {
    **dict.fromkeys(ROUND_LETTERS, "round letter"),
    **dict.fromkeys(ROUND_DIGITS, "round digit"),
    **dict.fromkeys(FLAT_LETTERS, "flat letter"),
    **dict.fromkeys(FLAT_DIGITS, "flat digit"),
}


def _round_height(round_heights: list[float], flat_heights: list[float]) -> float | None:
    """Round glyphs' median height; from flat glyphs (plus the overshoot) when too few."""
    found = _median(round_heights)
    if found is None and (flat := _median(flat_heights)) is not None:
        found = flat * ROUND_OVERSHOOT
    return found


def _median(values: list[float]) -> float | None:
    return float(np.median(values)) if len(values) >= MIN_REFERENCES else None


def _pitch(gray: Image, read: LineRead) -> float | None:
    """The line's character pitch in the crop's pixels, from the characters' frames."""
    gaps = np.diff([char.frame for char in read.chars if char.frame >= 0])
    if len(gaps) == 0:
        return None
    scale: float = gray.shape[1] / max(read.frames, 1)
    return float(np.median(gaps)) * scale


def _height_of(gray: Image, read: LineRead, index: int, pitch: float | None) -> float | None:
    char = read.chars[index]
    if pitch is None or char.frame < 0:
        return None  # no pitch, or a filler put in by the length fit: no glyph behind it
    scale = gray.shape[1] / max(read.frames, 1)
    return glyph_height(gray, (char.frame + 0.5) * scale, pitch)


def _sigmoid(value: float) -> float:
    return 1.0 / (1.0 + math.exp(-value))


def _with_verdict(char: CharRead, p_zero: float) -> CharRead:
    probs = char.probs.copy()
    mass = float(probs[_O] + probs[_ZERO])
    probs[_ZERO], probs[_O] = mass * p_zero, mass * (1.0 - p_zero)
    symbol = "0" if p_zero >= 0.5 else "O"
    return CharRead(symbol, float(probs[SYMBOL_INDEX[symbol]]), probs, char.frame)
