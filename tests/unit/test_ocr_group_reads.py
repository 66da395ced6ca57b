"""How the engine reads one candidate group's lines: each at most once, none past a
line that rules the group out (`_CutLines.read_all`). A stand-in reader returns lines
of given lengths; no model runs."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from passport_ocr.tools.ocr.engine import (
    MAX_LINE_READ,
    MIN_LINE_READ,
    _CutLines,
    _LineReads,
    of_mrz_length,
)
from passport_ocr.tools.ocr.locate import LineBox
from passport_ocr.tools.ocr.recognize import CharRead, LineRead

Crop = npt.NDArray[np.uint8]


def _line(length: int) -> LineRead:
    probs = np.zeros(37, dtype=np.float32)
    chars = tuple(CharRead("A", 0.9, probs, float(index)) for index in range(length))
    return LineRead(raw_text="A" * length, chars=chars, frames=2 * length + 1)


class _Reader:
    """Reads crop `i` (its first pixel holds i) as a line of `lengths[i]` characters."""

    def __init__(self, lengths: Sequence[int]) -> None:
        self.lengths = lengths
        self.read: list[int] = []

    def __call__(self, crops: Sequence[Crop]) -> list[LineRead]:
        indices = [int(crop[0, 0]) for crop in crops]
        self.read.extend(indices)
        return [_line(self.lengths[index]) for index in indices]


def _cut(reader: _Reader) -> _CutLines:
    crops = [np.full((8, 8), index, dtype=np.uint8) for index in range(len(reader.lengths))]
    boxes = [LineBox(0.0, 10.0 * index, 100.0, 8.0, 0.0) for index in range(len(crops))]
    return _CutLines(_LineReads(reader), crops, boxes, np.zeros((8, 8), dtype=np.uint8))


def test_mrz_lengths_span_every_format_with_the_engines_tolerance() -> None:
    assert (MIN_LINE_READ, MAX_LINE_READ) == (26, 48)  # TD1's 30 and TD3's 44, +-4
    assert of_mrz_length(_line(26)) and of_mrz_length(_line(48))
    assert not of_mrz_length(_line(25)) and not of_mrz_length(_line(49))


def test_a_group_is_read_whole_when_every_line_has_an_mrz_length() -> None:
    reader = _Reader([44, 43, 30])
    reads = _cut(reader).read_all([0, 1, 2], flipped=False, keep=of_mrz_length)
    assert reads is not None and [read.seen_length for read in reads] == [44, 43, 30]
    assert sorted(reader.read) == [0, 1, 2]


def test_reading_stops_at_the_first_line_of_no_mrz_length() -> None:
    reader = _Reader([44, 12, 44])
    assert _cut(reader).read_all([0, 1, 2], flipped=False, keep=of_mrz_length) is None
    assert reader.read == [0, 1]  # the third line is never read


def test_lines_already_read_are_judged_before_any_new_model_call() -> None:
    reader = _Reader([44, 44, 60])
    cut = _cut(reader)
    cut.upright([2])  # the probe
    assert cut.read_all([0, 1, 2], flipped=False, keep=of_mrz_length) is None
    assert reader.read == [2]  # ruled out by the probe alone: nothing else read


def test_groups_that_share_lines_read_each_line_once() -> None:
    """A three-line group, then its first two lines as a group of two (the locator offers
    both), then the same lines cut a pixel off: one model call per line in all."""
    reader = _Reader([30, 30, 30])
    reads = _LineReads(reader)
    crops = [np.full((8, 8), index, dtype=np.uint8) for index in range(3)]
    boxes = [LineBox(0.0, 10.0 * index, 100.0, 8.0, 0.0) for index in range(3)]
    photo = np.zeros((8, 8), dtype=np.uint8)
    whole = _CutLines(reads, crops, boxes, photo)
    assert whole.read_all([0, 1, 2], flipped=False, keep=of_mrz_length) is not None
    nudged = [
        LineBox(box.cx + 0.8, box.cy - 0.6, box.length + 1.0, box.thickness, 0.05) for box in boxes
    ]
    pair = _CutLines(reads, crops[:2], nudged[:2], photo)
    assert pair.read_all([0, 1], flipped=False, keep=of_mrz_length) is not None
    assert reader.read == [0, 1, 2]
    # The other way up is another crop; and so is a box cut elsewhere or longer.
    pair.read_all([0, 1], flipped=True, keep=of_mrz_length)
    moved = [LineBox(0.0, 3.0, 100.0, 8.0, 0.0), LineBox(0.0, 10.0, 110.0, 8.0, 0.0)]
    _CutLines(reads, crops[:2], moved, photo).read_all([0, 1], flipped=False, keep=of_mrz_length)
    assert reader.read == [0, 1, 2, 0, 1, 0, 1]
