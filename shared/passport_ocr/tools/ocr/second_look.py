"""A second look at the doubtful characters of a reading whose check digits fail.

The recogniser reads a whole line at once, and the line's context pulls a look-alike
towards its neighbours' kind: an `O` or an `I` among the digits of a number field is
read `0` or `1` with 0.9 or more. Read again in a window of a few characters, the same
glyph is judged more on its own shape (measured: `I` 0.06 -> 0.85, `O` 0.15 -> 0.99).
The window's probabilities are averaged with the line's, never put in their place, so
both reads are evidence; the check digits and the ambiguity margin still decide.
Only readings that already failed are looked at again: a page read right the first
time costs nothing more.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Final

import numpy as np
import numpy.typing as npt

from passport_ocr.tools.ocr.correct import LOOKALIKE, Reading
from passport_ocr.tools.ocr.glyphs import MRZ_ALPHABET
from passport_ocr.tools.ocr.layout import field_positions, field_valid
from passport_ocr.tools.ocr.recognize import CharRead, LineRead

Image = npt.NDArray[np.uint8]
ReadLines = Callable[[Sequence[Image]], list[LineRead]]

#: Characters per window: the doubtful one and two neighbours on each side.
WINDOW_CHARS: Final = 5.0
#: A character read with less confidence than this is doubtful.
DOUBT: Final = 0.98
#: Most windows read for one reading (each ~5 ms on one core).
MAX_WINDOWS: Final = 12


def doubtful_places(reading: Reading, reads: Sequence[LineRead]) -> list[tuple[int, int]]:
    """(line, index in the read) of the characters worth a second look, most doubtful first.

    The places are those of the fields whose check digit fails; a line read with the
    wrong length has no reliable place numbers, so all its characters are candidates.
    """
    wanted: set[tuple[int, int]] = set()
    for check in reading.layout.checks:
        if not field_valid(reading.lines, check):
            wanted.update(field_positions(check))
    candidates: list[tuple[float, tuple[int, int]]] = []
    for line, read in enumerate(reads):
        exact = len(read.chars) == reading.layout.lengths[line]
        for index, char in enumerate(read.chars):
            if exact and (line, index) not in wanted:
                continue
            if not exact and not any(place[0] == line for place in wanted):
                continue
            if char.confidence < DOUBT or char.symbol in LOOKALIKE:
                candidates.append((char.confidence, (line, index)))
    candidates.sort()
    return [place for _, place in candidates[:MAX_WINDOWS]]


def second_look(
    read_lines: ReadLines,
    crops: Sequence[Image],
    reads: Sequence[LineRead],
    places: Sequence[tuple[int, int]],
) -> list[LineRead]:
    """`reads` with the characters at `places` re-read in small windows of their crops."""
    updated = [list(read.chars) for read in reads]
    jobs: list[tuple[int, int, float, float, int]] = []  # line, index, x, pitch, window x0
    windows: list[Image] = []
    for line, index in places:
        read, crop = reads[line], crops[line]
        width = crop.shape[1]
        scale = width / max(read.frames, 1)
        gaps = np.diff([char.frame for char in read.chars])
        if len(gaps) == 0:
            continue
        pitch = float(np.median(gaps)) * scale
        x = (read.chars[index].frame + 0.5) * scale
        x0 = max(0, round(x - WINDOW_CHARS / 2 * pitch))
        x1 = min(width, round(x + WINDOW_CHARS / 2 * pitch))
        if x1 - x0 < 2 * pitch:
            continue
        jobs.append((line, index, x, pitch, x0))
        windows.append(crop[:, x0:x1])
    for (line, index, x, pitch, x0), window, seen in zip(
        jobs, windows, read_lines(windows), strict=True
    ):
        match = _char_at(seen, window.shape[1], x - x0, pitch)
        if match is not None:
            updated[line][index] = _merged(updated[line][index], match)
    return [replace(read, chars=tuple(chars)) for read, chars in zip(reads, updated, strict=True)]


def _char_at(read: LineRead, width: int, x: float, pitch: float) -> CharRead | None:
    """The character of a window read whose centre lies within half a pitch of `x`."""
    scale = width / max(read.frames, 1)
    best: CharRead | None = None
    best_distance = 0.5 * pitch
    for char in read.chars:
        distance = abs((char.frame + 0.5) * scale - x)
        if distance < best_distance:
            best, best_distance = char, distance
    return best


def _merged(first: CharRead, second: CharRead) -> CharRead:
    probs = np.asarray((first.probs + second.probs) / 2.0, dtype=np.float32)
    symbol = int(probs.argmax())
    return CharRead(MRZ_ALPHABET[symbol], float(probs[symbol]), probs, first.frame)
