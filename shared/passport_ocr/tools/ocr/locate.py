"""Find the MRZ text lines in a photo with a few OpenCV morphology steps.

Dark text on a light page: a black-hat transform keeps the ink, a horizontal closing
joins the characters of each line into one blob, and the MRZ lines are the long, thin,
parallel blobs that lie next to each other. Each line is cut out deskewed (by its
`minAreaRect`) with a margin, at the photo's full resolution, ready for the recogniser.
Everything here is pure NumPy/OpenCV: no model, a few milliseconds per image.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final

import cv2
import numpy as np
import numpy.typing as npt

from passport_ocr.tools.ocr.placement import CROP_PAD_X

Image = npt.NDArray[np.uint8]

#: The working width the morphology kernels are sized for (MRZ characters ~10-20 px).
WORK_WIDTH: Final = 1000
#: Half of it, for characters too large at the working width (tried second).
COARSE_WIDTH: Final = 500
#: An MRZ line is at least this long relative to its height (TD1: 30 characters).
MIN_ASPECT: Final = 12.0
#: ... and at most this (thinner: a page edge or a rule, not text).
MAX_ASPECT: Final = 75.0
#: ... and spans at least this share of the photo's width (a page filling a third of it).
MIN_SPAN: Final = 0.22
#: Pieces of one broken line: directions this close (degrees), centres this far apart
#: across the line and gaps this wide along it, in line thicknesses.
MAX_FRAGMENT_ANGLE: Final = 5.0
MAX_FRAGMENT_OFFSET: Final = 0.5
MAX_FRAGMENT_GAP: Final = 3.0
#: Two lines one of which lost an end (a faded filler run) are still neighbours when one
#: end of each lies this close along the lines (in line thicknesses) and the shorter is
#: at least this share of the longer.
MAX_END_OFFSET: Final = 2.5
MIN_BROKEN_RATIO: Final = 0.45
#: Every MRZ line is printed in one type size (ICAO 9303-3, OCR-B size 1), so neighbours
#: measure about as thick: at most 1.2x apart in the winning group of every reading on the
#: real photos, 170 realistic and 20 synthetic pages. Twice is a line of another kind.
MAX_NEIGHBOUR_THICKNESS_RATIO: Final = 2.0
#: Lines found turned at least this much (degrees) are looked for again on the photo
#: turned level: at 20-30 degrees the horizontal kernels break a line's filler run off.
MIN_DESKEW_ANGLE: Final = 8.0
#: A piece of a line: at least this share of the working width, this long for its height.
MIN_PIECE_SPAN: Final = 0.06
MIN_PIECE_ASPECT: Final = 3.0


@dataclass(frozen=True)
class LineBox:
    """One text line: centre, length along the line, thickness, angle (degrees)."""

    cx: float
    cy: float
    length: float
    thickness: float
    angle: float

    def corners(self) -> npt.NDArray[np.float32]:
        box = ((self.cx, self.cy), (self.length, self.thickness), self.angle)
        return cv2.boxPoints(box).astype(np.float32)


@dataclass(frozen=True)
class LineGroup:
    """Two or three MRZ line candidates, top to bottom."""

    lines: tuple[LineBox, ...]


def to_gray(image: Image) -> Image:
    if image.ndim == 2:
        return image
    code = cv2.COLOR_BGRA2GRAY if image.shape[2] == 4 else cv2.COLOR_BGR2GRAY
    return np.asarray(cv2.cvtColor(image, code), dtype=np.uint8)


def ink_gray(image: Image) -> Image:
    """Each pixel's brightest channel: MRZ ink is dark in every channel (black OCR-B,
    ICAO 9303-3), a red SPECIMEN stamp, a coloured overlay band or a tinted guilloche is
    bright in at least one, and so drops out of the locator's view."""
    if image.ndim == 2:
        return image
    return np.asarray(image[:, :, :3].max(axis=2), dtype=np.uint8)


def find_line_groups(image: Image, work_width: int = WORK_WIDTH) -> list[LineGroup]:
    """MRZ-like groups of lines in `image` (BGR or gray), best first; empty when none.
    Found at `work_width` (the photo scaled to it), returned in the photo's coordinates."""
    gray = to_gray(image)
    height, width = gray.shape[:2]
    scale = work_width / float(width)
    small = np.asarray(
        cv2.resize(gray, (work_width, max(1, round(height * scale))), interpolation=cv2.INTER_AREA),
        dtype=np.uint8,
    )
    found = _line_boxes(small)
    groups = _with_cut_variants(_group([box for box, _ in found], work_width), dict(found))
    return [LineGroup(tuple(_rescale(box, 1.0 / scale) for box in group.lines)) for group in groups]


def _line_boxes(gray: Image) -> list[tuple[LineBox, tuple[LineBox, ...]]]:
    """The line-like boxes of `gray`, each with the pieces it was joined from."""
    gray = np.asarray(cv2.GaussianBlur(gray, (3, 3), 0), dtype=np.uint8)
    # Ink darker than its surroundings, whatever the lighting (glare, shadows).
    blackhat = np.asarray(
        cv2.morphologyEx(
            gray, cv2.MORPH_BLACKHAT, cv2.getStructuringElement(cv2.MORPH_RECT, (15, 9))
        ),
        dtype=np.uint8,
    )
    _, mask = cv2.threshold(blackhat, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    # Faint texture (guilloche, paper grain) sits well below the text's contrast.
    floor = max(18.0, percentile_u8(blackhat, 99.0) * 0.25)
    mask[blackhat < floor] = 0
    mask = cv2.morphologyEx(
        mask, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (17, 3))
    )
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (9, 3)))
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    pieces: list[LineBox] = []
    for contour in contours:
        (cx, cy), (w, h), angle = cv2.minAreaRect(contour)
        if w < h:  # make `length` the long side and the angle its direction
            w, h, angle = h, w, angle + 90.0
        angle = (angle + 90.0) % 180.0 - 90.0
        if h < 3 or w < MIN_PIECE_SPAN * gray.shape[1] or w < MIN_PIECE_ASPECT * h:
            continue
        if abs(angle) > 35:  # near-vertical: the photo is turned; the caller rotates it
            continue
        pieces.append(LineBox(cx, cy, w, h, angle))
    return [(box, members) for box, members in _joined(pieces) if _line_like(box, gray.shape[1])]


def _line_like(box: LineBox, width: float) -> bool:
    return box.length >= MIN_SPAN * width and MIN_ASPECT <= box.length / box.thickness <= MAX_ASPECT


def percentile_u8(image: Image, q: float) -> float:
    """`np.percentile(image, q)` (linear method) from a histogram: ~8x faster on 8 bits."""
    counts = np.cumsum(cv2.calcHist([image], [0], None, [256], [0, 256]).ravel())
    position = q / 100.0 * (image.size - 1)
    below = int(position)
    # The value at sorted index i is the first level whose cumulative count exceeds i.
    low = int(np.searchsorted(counts, below, side="right"))
    high = int(np.searchsorted(counts, min(below + 1, image.size - 1), side="right"))
    return low + (position - below) * (high - low)


def quarter_turn_back(box: LineBox, turned_height: int) -> LineBox:
    """A box found in `np.rot90(image)` in the coordinates of `image` itself.

    `np.rot90` puts pixel (x, y) of an image W wide at (y, W - 1 - x), and the turned
    image is W high; a direction turns by +90 degrees. `crop_line` on the original
    with the returned box cuts out exactly what it would cut from the turned image,
    so the full colour photo never needs turning (a copy of ~7 ms at 1250 x 880).
    """
    return LineBox(turned_height - 1 - box.cy, box.cx, box.length, box.thickness, box.angle + 90.0)


def dominant_tilt(groups: list[LineGroup]) -> float | None:
    """The direction of the longest line found, when it is tilted enough to level first."""
    lines = [box for group in groups for box in group.lines]
    if not lines:
        return None
    angle = max(lines, key=lambda box: box.length).angle
    return angle if abs(angle) >= MIN_DESKEW_ANGLE else None


def level(image: Image, angle: float) -> tuple[Image, Callable[[LineBox], LineBox]]:
    """`image` turned so that lines at `angle` lie level (nothing cut off), and the map
    of a box found there back to `image`'s coordinates (as `quarter_turn_back` does)."""
    height, width = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2.0, height / 2.0), angle, 1.0)
    cos, sin = abs(matrix[0, 0]), abs(matrix[0, 1])
    out_w, out_h = round(height * sin + width * cos), round(height * cos + width * sin)
    matrix[0, 2] += out_w / 2.0 - width / 2.0
    matrix[1, 2] += out_h / 2.0 - height / 2.0
    turned = cv2.warpAffine(
        image, matrix, (out_w, out_h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
    )
    back = cv2.invertAffineTransform(matrix)

    def to_photo(box: LineBox) -> LineBox:
        x = back[0, 0] * box.cx + back[0, 1] * box.cy + back[0, 2]
        y = back[1, 0] * box.cx + back[1, 1] * box.cy + back[1, 2]
        return LineBox(float(x), float(y), box.length, box.thickness, box.angle + angle)

    return np.asarray(turned, dtype=np.uint8), to_photo


def quarter_turn(box: LineBox, width: int) -> LineBox:
    """A box of `image` (`width` wide) in the coordinates of `np.rot90(image)`.

    The inverse of `quarter_turn_back` (pixel (x, y) goes to (y, W - 1 - x)); the
    direction turns by -90 degrees and is kept within -90..90.
    """
    angle = box.angle % 180.0 - 90.0
    if angle >= 90.0:  # float rounding: -1e-20 % 180 is 180.0
        angle -= 180.0
    return LineBox(box.cy, width - 1 - box.cx, box.length, box.thickness, angle)


def _rescale(box: LineBox, factor: float) -> LineBox:
    return LineBox(
        box.cx * factor, box.cy * factor, box.length * factor, box.thickness * factor, box.angle
    )


def _group(lines: list[LineBox], width: int) -> list[LineGroup]:
    """Chain parallel neighbours of similar length into groups of 2-3 lines."""
    # Top to bottom across the lines' own direction: on a page turned by 20-30 degrees a
    # lower line's centre can lie higher in the photo than its upper neighbour's.
    ordered = sorted(lines, key=_across_position)
    groups: list[tuple[float, LineGroup]] = []
    for start, first in enumerate(ordered):
        chain = [first]
        for other in ordered[start + 1 :]:
            if len(chain) == 3:
                break
            if _neighbours(chain[-1], other):
                chain.append(other)
        for size in (3, 2):
            if len(chain) >= size:
                members = tuple(chain[:size])
                span = sum(box.length for box in members) / size
                groups.append((span / width + 0.01 * size, LineGroup(members)))
    # Lone lines last: a two-line MRZ whose other line was lost still has a chance.
    singles = [(box.length / width - 1.0, LineGroup((box,))) for box in ordered]
    ranked = sorted(groups, key=lambda item: -item[0]) + sorted(singles, key=lambda i: -i[0])
    return [group for _, group in ranked]


def _with_cut_variants(
    groups: list[LineGroup], pieces_of: dict[LineBox, tuple[LineBox, ...]]
) -> list[LineGroup]:
    """`groups`, each followed by its lines cut at a gap they share, when they share one,
    and preceded by the two of its three lines that line up at both ends (`_aligned_pair`).

    A card lying on a printed page or beside a receipt has text on the same rows just
    past its edge; `merge_fragments` joins it to the MRZ lines as it would join pieces
    of a line broken by glare, and the crops then hold foreign words. Such text is
    parted from the MRZ by a gap at one place along every line it continues (the
    document's edge); the lines cut there, keeping the longer side, are the MRZ. The
    cut group comes right after the whole one: MRZ lines also share gaps of their own
    (faint filler runs on a small card), and those read whole; it comes before the next
    group, which the engine's few tries per pass would otherwise leave out.
    """
    out: list[LineGroup] = []
    for group in groups:
        for variant in (_aligned_pair(group), group, _cut_at_shared_gap(group, pieces_of)):
            if variant is not None and variant not in out:
                out.append(variant)
    return out


def _aligned_pair(group: LineGroup) -> LineGroup | None:
    """Of three lines one of which is out of line with the others at both ends, the two
    that start and end together (every MRZ line has its format's length, all printed
    from one margin, ICAO 9303-3): a line of the page below a card chained on as the
    third line would widen the MRZ's crops over the page's text."""
    if len(group.lines) != 3:
        return None
    upper, middle, lower = group.lines
    # Out of line at one end only is a line that lost its filler run (it still starts
    # at the margin): that group stays as it is, without a pair read first.
    if _ends_aligned(upper, middle) and not _one_end_aligned(
        middle, lower, _thicker(middle, lower)
    ):
        return LineGroup((upper, middle))
    if _ends_aligned(middle, lower) and not _one_end_aligned(
        upper, middle, _thicker(upper, middle)
    ):
        return LineGroup((middle, lower))
    return None


def _thicker(first: LineBox, second: LineBox) -> float:
    return max(first.thickness, second.thickness)


def _ends_aligned(upper: LineBox, lower: LineBox) -> bool:
    """Whether the two lines start and end at one place along them."""
    return max(_end_offsets(upper, lower)) <= MAX_END_OFFSET * _thicker(upper, lower)


def _cut_at_shared_gap(
    group: LineGroup, pieces_of: dict[LineBox, tuple[LineBox, ...]]
) -> LineGroup | None:
    """The longest run of neighbouring lines of `group` that share a gap, cut there."""
    if len(group.lines) < 2:
        return None
    ux, uy, _, _ = _axes(group.lines[0])
    gaps = [_gaps_along(pieces_of.get(box, (box,)), ux, uy) for box in group.lines]
    best: LineGroup | None = None
    best_key = (0, 0.0)
    for index in range(len(group.lines) - 1):
        for low, high in gaps[index]:
            for other_low, other_high in gaps[index + 1]:
                if min(high, other_high) <= max(low, other_low):
                    continue  # the two gaps do not overlap along the lines
                at = (max(low, other_low) + min(high, other_high)) / 2
                run = _run_cut_at(group.lines, gaps, index, at, pieces_of=pieces_of, along=(ux, uy))
                length = sum(box.length for box in run) / len(run)
                if len(run) >= 2 and (len(run), length) > best_key:
                    best, best_key = LineGroup(tuple(run)), (len(run), length)
    return best


def _gaps_along(pieces: Sequence[LineBox], ux: float, uy: float) -> list[tuple[float, float]]:
    """Where, along (ux, uy), a joined line has no piece: between its first and last."""
    spans = sorted(_span_along(box, ux, uy) for box in pieces)
    gaps: list[tuple[float, float]] = []
    reach = spans[0][1]
    for start, end in spans[1:]:
        if start > reach:
            gaps.append((reach, start))
        reach = max(reach, end)
    return gaps


def _run_cut_at(
    lines: tuple[LineBox, ...],
    gaps: list[list[tuple[float, float]]],
    first: int,
    at: float,
    *,
    pieces_of: dict[LineBox, tuple[LineBox, ...]],
    along: tuple[float, float],
) -> list[LineBox]:
    """Lines `first`, `first + 1`, ... while each has a gap at `at`, cut there to the
    side where the run's pieces are longer (the foreign text is the shorter part)."""
    ux, uy = along
    run = first
    while run + 1 < len(lines) and any(low < at < high for low, high in gaps[run + 1]):
        run += 1
    members = [pieces_of.get(box, (box,)) for box in lines[first : run + 1]]
    before = [[box for box in pieces if _span_along(box, ux, uy)[1] <= at] for pieces in members]
    after = [[box for box in pieces if _span_along(box, ux, uy)[0] >= at] for pieces in members]
    length_before = sum(box.length for pieces in before for box in pieces)
    length_after = sum(box.length for pieces in after for box in pieces)
    kept = before if length_before >= length_after else after
    return [_union(pieces) for pieces in kept if pieces]


def _across_position(box: LineBox) -> float:
    """Where the box lies across its own direction (downwards positive)."""
    _, _, vx, vy = _axes(box)
    return box.cx * vx + box.cy * vy


def _axes(box: LineBox) -> tuple[float, float, float, float]:
    """Unit vectors along the line (ux, uy) and across it, downwards (vx, vy)."""
    theta = math.radians(box.angle)
    ux, uy = math.cos(theta), math.sin(theta)
    return ux, uy, -uy, ux


def _span_along(box: LineBox, ux: float, uy: float) -> tuple[float, float]:
    """Where the box starts and ends along the direction (ux, uy)."""
    centre = box.cx * ux + box.cy * uy
    return centre - box.length / 2, centre + box.length / 2


def _spanning(box: LineBox, start: float, end: float, ux: float, uy: float) -> LineBox:
    """`box` stretched or shrunk along (ux, uy) to run from `start` to `end`."""
    shift = (start + end) / 2 - (box.cx * ux + box.cy * uy)
    return LineBox(box.cx + shift * ux, box.cy + shift * uy, end - start, box.thickness, box.angle)


def merge_fragments(boxes: list[LineBox]) -> list[LineBox]:
    """Pieces of one text line joined into one box.

    Glare, shadow or a long faint filler run can break an MRZ line in two (each piece
    then too short to pair with the other line, or to count as a line at all); pieces
    that lie on one line, in one direction, with at most a small gap between them are
    one line. Pairs are judged on the pieces as found, then joined per connected set.
    """
    return [box for box, _ in _joined(boxes)]


def _joined(boxes: list[LineBox]) -> list[tuple[LineBox, tuple[LineBox, ...]]]:
    """`merge_fragments`, each joined line with the pieces it was joined from."""
    parent = list(range(len(boxes)))

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    for i, j in itertools.combinations(range(len(boxes)), 2):
        if _same_line(boxes[i], boxes[j]):
            parent[root(i)] = root(j)
    pieces: dict[int, list[LineBox]] = {}
    for index, box in enumerate(boxes):
        pieces.setdefault(root(index), []).append(box)
    return [(_union(members), tuple(members)) for members in pieces.values()]


def _same_line(first: LineBox, second: LineBox) -> bool:
    if abs(first.angle - second.angle) > MAX_FRAGMENT_ANGLE:
        return False
    longer = first if first.length >= second.length else second
    ux, uy, vx, vy = _axes(longer)
    across = (second.cx - first.cx) * vx + (second.cy - first.cy) * vy
    if abs(across) > MAX_FRAGMENT_OFFSET * max(first.thickness, second.thickness):
        return False
    a0, a1 = _span_along(first, ux, uy)
    b0, b1 = _span_along(second, ux, uy)
    return max(a0, b0) - min(a1, b1) <= MAX_FRAGMENT_GAP * max(first.thickness, second.thickness)


def _union(members: list[LineBox]) -> LineBox:
    """One box over all `members`, in the direction of the longest."""
    if len(members) == 1:
        return members[0]
    longest = max(members, key=lambda box: box.length)
    ux, uy, vx, vy = _axes(longest)
    total = sum(box.length for box in members)
    across = sum(
        box.length * ((box.cx - longest.cx) * vx + (box.cy - longest.cy) * vy) for box in members
    )
    spans = [_span_along(box, ux, uy) for box in members]
    centred = LineBox(
        longest.cx + across / total * vx,
        longest.cy + across / total * vy,
        longest.length,
        max(box.thickness for box in members),
        longest.angle,
    )
    return _spanning(centred, min(s for s, _ in spans), max(e for _, e in spans), ux, uy)


def common_extent(boxes: list[LineBox]) -> list[LineBox]:
    """The lines of one MRZ cut over one span along the lines: the union of theirs.

    Every line of an MRZ has the same number of characters, set one under the other;
    a line that measured shorter lost an end (a faint filler run, glare, shadow) and
    would be cut without the characters there.
    """
    if len(boxes) < 2:
        return boxes
    ux, uy, _, _ = _axes(boxes[0])
    spans = [_span_along(box, ux, uy) for box in boxes]
    start, end = min(s for s, _ in spans), max(e for _, e in spans)
    return [_spanning(box, start, end, ux, uy) for box in boxes]


def _neighbours(upper: LineBox, lower: LineBox) -> bool:
    if abs(upper.angle - lower.angle) > 4.0:
        return False
    thickness = max(upper.thickness, lower.thickness)
    if thickness > MAX_NEIGHBOUR_THICKNESS_RATIO * min(upper.thickness, lower.thickness):
        return False
    aligned = _one_end_aligned(upper, lower, thickness)
    ratio = lower.length / upper.length
    similar = 0.75 <= ratio <= 1.33
    if not (similar or (aligned and MIN_BROKEN_RATIO <= ratio <= 1.0 / MIN_BROKEN_RATIO)):
        return False
    theta = math.radians(upper.angle)
    dx, dy = lower.cx - upper.cx, lower.cy - upper.cy
    across = -dx * math.sin(theta) + dy * math.cos(theta)  # distance between the lines
    along = dx * math.cos(theta) + dy * math.sin(theta)  # offset along them
    return 1.1 * thickness <= across <= 4.0 * thickness and (
        abs(along) < 0.2 * upper.length or aligned
    )


def _one_end_aligned(upper: LineBox, lower: LineBox, thickness: float) -> bool:
    """Whether the two lines start (or end) at one place along them.

    MRZ lines start at one margin (ICAO 9303-3 prints every line from the same position);
    a line whose filler run faded under a tilt or glare measures shorter, but it still
    starts where its neighbour starts (upside down: ends where it ends).
    """
    return min(_end_offsets(upper, lower)) <= MAX_END_OFFSET * thickness


def _end_offsets(upper: LineBox, lower: LineBox) -> tuple[float, float]:
    """How far apart, along `upper`, the two lines start and how far apart they end."""
    ux, uy, _, _ = _axes(upper)
    a0, a1 = _span_along(upper, ux, uy)
    b0, b1 = _span_along(lower, ux, uy)
    return abs(a0 - b0), abs(a1 - b1)


def crop_line(
    image: Image, box: LineBox, *, pad_x: float = CROP_PAD_X, pad_y: float = 0.45
) -> Image:
    """The line cut out upright, with a margin of `pad_*` line thicknesses."""
    length = box.length + 2 * pad_x * box.thickness
    thickness = box.thickness * (1 + 2 * pad_y)
    out_w, out_h = max(8, round(length)), max(8, round(thickness))
    theta = math.radians(box.angle)
    ux, uy = math.cos(theta), math.sin(theta)  # along the line
    vx, vy = -uy, ux  # across it, downwards
    top_left = (
        box.cx - ux * length / 2 - vx * thickness / 2,
        box.cy - uy * length / 2 - vy * thickness / 2,
    )
    src = np.array(
        [
            top_left,
            (top_left[0] + ux * length, top_left[1] + uy * length),
            (top_left[0] + vx * thickness, top_left[1] + vy * thickness),
        ],
        dtype=np.float32,
    )
    dst = np.array([(0, 0), (out_w, 0), (0, out_h)], dtype=np.float32)
    matrix = cv2.getAffineTransform(src, dst)
    crop = cv2.warpAffine(
        image, matrix, (out_w, out_h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
    )
    return np.asarray(crop, dtype=np.uint8)
