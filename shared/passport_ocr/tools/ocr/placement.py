"""Where each read character lies in the photo: geometry for pictures, from what was read.

The recogniser is CTC: each emitted character has a frame index (`CharRead.frame`), and
the model's frames cover the line crop evenly from left to right (the crop is resized to
the model's height, its width scaled with it: `recognize._model_input`). A character's
place along its line is therefore `(frame + 0.5) / frames` of the crop's length, and the
crop (`locate.crop_line`) is the line box with a margin of `CROP_PAD_X` thicknesses at
each end, cut along the box's direction. A crop read upside down (`flipped`) runs the
other way along the box. Pure functions of numbers: no image, no model, no NumPy (the
pictures need Pillow only).
"""

from __future__ import annotations

import itertools
import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from passport_ocr.tools.ocr.locate import LineBox

#: A line crop's margin at each end, in line thicknesses (`locate.crop_line` cuts it).
CROP_PAD_X: Final = 1.0

Point = tuple[float, float]
#: Four corners in reading order: top left, top right, bottom right, bottom left (as read).
Quad = tuple[Point, Point, Point, Point]


@dataclass(frozen=True)
class LinePlacement:
    """One MRZ line as read: its outline and each character's box, in photo pixels."""

    outline: Quad
    chars: tuple[Quad, ...]


def frame_fraction(frame: float, frames: int) -> float:
    """A CTC frame's centre as a share of the crop's length (0: its left end, as read)."""
    return (frame + 0.5) / max(frames, 1)


def _axes(box: LineBox, flipped: bool) -> tuple[Point, Point]:
    """Unit vectors along the line and across it (downwards), as the line reads."""
    theta = math.radians(box.angle)
    along = (math.cos(theta), math.sin(theta))
    across = (-along[1], along[0])
    if flipped:  # read upside down: right to left and bottom to top in the box's frame
        along, across = (-along[0], -along[1]), (-across[0], -across[1])
    return along, across


def _point(box: LineBox, axes: tuple[Point, Point], s: float, t: float) -> Point:
    """The point `s` pixels along and `t` across from the box's centre."""
    (ux, uy), (vx, vy) = axes
    return (box.cx + ux * s + vx * t, box.cy + uy * s + vy * t)


def _quad(box: LineBox, axes: tuple[Point, Point], start: float, end: float) -> Quad:
    half = box.thickness / 2
    return (
        _point(box, axes, start, -half),
        _point(box, axes, end, -half),
        _point(box, axes, end, half),
        _point(box, axes, start, half),
    )


def char_pitch(fractions: Sequence[float]) -> float:
    """The distance between neighbouring characters, as a share of the crop: the median
    gap (MRZ type is monospaced; a median ignores a filler the model placed late)."""
    gaps = [b - a for a, b in itertools.pairwise(fractions) if b > a]
    return statistics.median(gaps) if gaps else 0.0


def place_line(
    box: LineBox, frames: Sequence[float], frame_count: int, *, flipped: bool = False
) -> LinePlacement:
    """The outline of `box` and a box per character at the given CTC frames (in the order
    read), each one character pitch wide and as thick as the line."""
    crop_length = box.length + 2 * CROP_PAD_X * box.thickness
    axes = _axes(box, flipped)
    fractions = [frame_fraction(frame, frame_count) for frame in frames]
    half_pitch = char_pitch(fractions) * crop_length / 2
    chars = []
    for fraction in fractions:
        centre = (fraction - 0.5) * crop_length
        chars.append(_quad(box, axes, centre - half_pitch, centre + half_pitch))
    outline = _quad(box, axes, -box.length / 2, box.length / 2)
    return LinePlacement(outline=outline, chars=tuple(chars))


def block_outline(lines: Sequence[LinePlacement]) -> Quad:
    """The MRZ as one quadrilateral: the first line's top edge, the last line's bottom."""
    first, last = lines[0].outline, lines[-1].outline
    return (first[0], first[1], last[2], last[3])


def scaled(quad: Quad, factor: float) -> Quad:
    """`quad` in an image `factor` times the size of the one it was measured in."""
    a, b, c, d = ((x * factor, y * factor) for x, y in quad)
    return (a, b, c, d)


def bounds(quads: Sequence[Quad]) -> tuple[float, float, float, float]:
    """The smallest upright rectangle (left, top, right, bottom) around `quads`."""
    xs = [x for quad in quads for x, _ in quad]
    ys = [y for quad in quads for _, y in quad]
    return (min(xs), min(ys), max(xs), max(ys))
