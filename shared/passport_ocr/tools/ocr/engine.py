"""The offline MRZ reader: image bytes in, MRZ lines with confidences out (or none).

Order of work, cheapest first, stopping at the first MRZ whose check digits all agree:
the OpenCV locator on the photo as it is, then turned by 90 degrees; each group of
two or three lines it finds is cut over one common span and height and read the way
up its place suggests (near the top of the photo: upside down first), checked on one
line, then the other way (so 0/180 and 90/270 share one locator pass). A group is given
up at its first line of no MRZ's length or read as prose. Only when some group read like
an MRZ line by line and still none looks like an MRZ does rapidocr's text detector run,
once, on a reduced copy of the photo; its lines in both directions are tried, each read
at most once each way up. A photo with no line-like
text at all ends after the locator (~15 ms). Time goes almost all to the recognition model
(about 20 ms per 44-character line on one core with OpenVINO, 40 ms with onnxruntime), so
the work saved is model calls. The best candidate is kept even when invalid (the record
then says which check digit failed); a candidate that does not even look like an MRZ is dropped
(its lines' lengths, the share of characters their place allows, the model's confidence,
and the MRZ's structure as read: document code, states, the name's filler run, digits in
the dates): no MRZ is reported rather than an invented one.
"""

from __future__ import annotations

import io
import math
import statistics
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Final

import cv2
import numpy as np
import numpy.typing as npt
import PIL.Image

from passport_ocr.mrz.structure import MAX_STRUCTURE_MISSES
from passport_ocr.tools.ocr import o_or_zero
from passport_ocr.tools.ocr.correct import Reading, correct, fit_reads
from passport_ocr.tools.ocr.layout import ALL_LAYOUTS, structure_misses
from passport_ocr.tools.ocr.locate import (
    COARSE_WIDTH,
    WORK_WIDTH,
    LineBox,
    LineGroup,
    common_extent,
    crop_line,
    dominant_tilt,
    find_line_groups,
    ink_gray,
    level,
    quarter_turn,
    quarter_turn_back,
    to_gray,
)
from passport_ocr.tools.ocr.placement import LinePlacement, Quad, block_outline, place_line
from passport_ocr.tools.ocr.portrait import cut_portrait
from passport_ocr.tools.ocr.recognize import LineRead, Precision, Recognizer
from passport_ocr.tools.ocr.second_look import doubtful_places, second_look

Image = npt.NDArray[np.uint8]

#: Line groups read per orientation before moving on.
MAX_GROUPS: Final = 3
#: Lines of one MRZ measured this much apart in thickness are not cut at one height.
MAX_THICKNESS_RATIO: Final = 1.3
#: Below these a candidate is not an MRZ at all.
MIN_CLASS_FIT: Final = 0.8
MIN_CONFIDENCE: Final = 0.5
#: A probe line read with fewer characters or less confidence is tried upside down first.
MIN_PROBE_CHARS: Final = 20
MIN_PROBE_CONFIDENCE: Final = 0.8
#: Lines that all read this many characters short or fewer are cut again, longer.
MAX_CUT_SHORT: Final = 4
#: A probe line read this confidently with this many spaces or lower-case letters (and no
#: `<<`) is prose.
MIN_PROSE_CONFIDENCE: Final = 0.6
MIN_PROSE_SPACES: Final = 3
MIN_PROSE_LOWER: Final = 3
#: A read line further than this from its format's length is no MRZ line (`looks_like_mrz`).
MAX_LENGTH_GAP: Final = 4
#: The lengths any MRZ line can read as: a line outside them rules its way up out.
MIN_LINE_READ: Final = min(min(layout.lengths) for layout in ALL_LAYOUTS) - MAX_LENGTH_GAP
MAX_LINE_READ: Final = max(max(layout.lengths) for layout in ALL_LAYOUTS) + MAX_LENGTH_GAP
#: The longest side the engine works on; larger photos are shrunk first.
MAX_SIDE: Final = 2600
#: A large JPEG may be decoded at a fraction of its size, down to this longest side
#: (measured on 4032 x 3024 pages: same reads as at 2600, decode 81 -> 29 ms).
MIN_DECODED_SIDE: Final = 2000
#: Decoding at a fraction of the stored size, smallest fraction first.
_REDUCED_DECODES: Final = (
    (8, cv2.IMREAD_REDUCED_COLOR_8),
    (4, cv2.IMREAD_REDUCED_COLOR_4),
    (2, cv2.IMREAD_REDUCED_COLOR_2),
)


class UnreadableImageError(ValueError):
    """The bytes are not an image OpenCV can decode."""


@dataclass
class EngineResult:
    """What the engine found. `reading` is None when no MRZ was found."""

    engine: str
    reading: Reading | None
    reads: list[LineRead]
    rotation: int
    method: str  # "locator", "detector" or "none"
    timings_ms: dict[str, float] = field(default_factory=dict)
    #: Where the MRZ's lines lie in the photo, in reading order (first line first).
    boxes: tuple[LineBox, ...] = ()
    #: The holder's portrait cut from the page (JPEG), when `read(..., portrait=True)`.
    portrait: bytes | None = field(default=None, repr=False)
    #: (width, height) of the photo as decoded (`decode_image`): what `boxes` refer to.
    image_size: tuple[int, int] = (0, 0)

    def placements(self) -> list[LinePlacement]:
        """Each MRZ line's outline and character boxes in the decoded photo (`placement`).

        A line whose read does not hold one character per character of its text (no
        length decoding fitted it) gets its outline only."""
        if self.reading is None:
            return []
        flipped = self.rotation >= 180  # the crops were turned half a turn before reading
        placed: list[LinePlacement] = []
        for box, read, text in zip(self.boxes, self.reads, self.reading.lines, strict=False):
            line = place_line(
                box, [char.frame for char in read.chars], read.frames, flipped=flipped
            )
            placed.append(line if len(read.chars) == len(text) else replace(line, chars=()))
        return placed

    def geometry(self) -> dict[str, Any]:
        """`placements` as the answer carries them: what pictures of the read need."""
        lines = self.placements()
        if not lines:
            return {}
        return {
            "image_size": list(self.image_size),
            "outline": _points(block_outline(lines)),
            "chars": [[_points(quad) for quad in line.chars] for line in lines],
        }

    def to_answer(self) -> dict[str, Any]:
        """The `local` vendor answer format (see `passport_ocr.mapping.local`)."""
        if self.reading is None:
            return {"engine": self.engine, "lines": [], "timings_ms": self.timings_ms}
        reading = self.reading
        lines = [
            {
                "text": text,
                "raw_text": read.raw_text,
                "confidence": round(float(np.mean(confs)) if confs else 0.0, 4),
                "char_confidences": [round(value, 4) for value in confs],
            }
            for text, confs, read in zip(
                reading.lines, reading.confidences, self.reads, strict=False
            )
        ]
        return {
            "engine": self.engine,
            "lines": lines,
            "format": reading.layout.format,
            "valid": reading.valid,
            "rotation": self.rotation,
            "method": self.method,
            "substitutions": [
                {
                    "line": change.line,
                    "position": change.position,
                    "original": change.original,
                    "replacement": change.replacement,
                    "reason": change.reason,
                    "field": change.field,
                }
                for change in reading.changes
                if change.reason != "length"
            ],
            "geometry": self.geometry(),
            "timings_ms": self.timings_ms,
        }


def _points(quad: Quad) -> list[list[float]]:
    return [[round(x, 1), round(y, 1)] for x, y in quad]


def decode_image(data: bytes) -> Image:
    """Bytes -> BGR pixels (EXIF orientation applied), shrunk to at most `MAX_SIDE`.

    A photo at least twice `MIN_DECODED_SIDE` is decoded at 1/2, 1/4 or 1/8 scale
    (libjpeg scales while decoding: a 12 MP photo in ~30 ms instead of ~80-150 ms),
    never below `MIN_DECODED_SIDE`.
    """
    buffer = np.frombuffer(data, dtype=np.uint8)
    pixels = cv2.imdecode(buffer, _decode_flag(stored_longest_side(data)))
    if pixels is None or pixels.size == 0:
        raise UnreadableImageError("the image cannot be decoded")
    longest = max(pixels.shape[:2])
    if longest > MAX_SIDE:
        factor = MAX_SIDE / longest
        size = (round(pixels.shape[1] * factor), round(pixels.shape[0] * factor))
        pixels = cv2.resize(pixels, size, interpolation=cv2.INTER_AREA)
    return np.asarray(pixels, dtype=np.uint8)


def stored_longest_side(data: bytes) -> int | None:
    """The image's longest side from its header alone (Pillow reads no pixels here)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", PIL.Image.DecompressionBombWarning)
            with PIL.Image.open(io.BytesIO(data)) as header:
                width, height = header.size
        return max(int(width), int(height))
    except (OSError, ValueError, PIL.Image.DecompressionBombError):
        return None  # let OpenCV decide whether the bytes are an image at all


def _decode_flag(longest: int | None) -> int:
    for factor, flag in _REDUCED_DECODES:
        if longest is not None and longest // factor >= MIN_DECODED_SIDE:
            return flag
    return cv2.IMREAD_COLOR


@dataclass
class _Best:
    reading: Reading | None = None
    reads: list[LineRead] = field(default_factory=list)
    rotation: int = 0
    method: str = "none"
    boxes: tuple[LineBox, ...] = ()
    #: Whether some candidate group read whole with every line of an MRZ's length and
    #: none of prose: only then can the detector's other cut of the lines help.
    near_miss: bool = False

    def offer(
        self,
        reading: Reading,
        reads: list[LineRead],
        rotation: int,
        method: str,
        boxes: tuple[LineBox, ...],
    ) -> None:
        if not looks_like_mrz(reading, reads):
            return
        if self.reading is None or reading.score > self.reading.score:
            self.reading, self.reads, self.rotation, self.method = (
                reading,
                reads,
                rotation,
                method,
            )
            self.boxes = boxes

    @property
    def done(self) -> bool:
        return self.reading is not None and self.reading.valid


def _reads_upright(read: LineRead) -> bool:
    """Whether one line read like MRZ text (measured: upright >= 0.97, upside down <= 0.65)."""
    return len(read.chars) >= MIN_PROBE_CHARS and read.confidence >= MIN_PROBE_CONFIDENCE


def reads_as_prose(read: LineRead) -> bool:
    """A line the model read confidently as words: spaces or lower case, no filler run.

    An MRZ line holds neither spaces nor lower case (ICAO 9303-3: upper-case A-Z, 0-9
    and `<`); a page of prose, read line by line, reads so with some confidence
    (measured on generated prose pages: 0.68-0.89, against <= 0.5 for their turned or
    broken lines). Such a group is dropped after one line read instead of four to six.
    """
    if read.confidence < MIN_PROSE_CONFIDENCE or "<<" in read.raw_text:
        return False
    spaces = read.raw_text.count(" ")
    lower = sum(char.islower() for char in read.raw_text)
    return spaces >= MIN_PROSE_SPACES or lower >= MIN_PROSE_LOWER


def of_mrz_length(read: LineRead) -> bool:
    """Whether a line read as many characters as some MRZ line could (`looks_like_mrz`).

    A line read 6 or 60 characters long can be no line of any MRZ read this way up, so
    the group's other lines need not be read this way up at all (measured on real
    photos: most candidate groups that are not an MRZ read 0-20 characters a line).
    """
    return MIN_LINE_READ <= read.seen_length <= MAX_LINE_READ


def could_be_mrz_line(read: LineRead) -> bool:
    """A line read of some MRZ line's length and not as prose: worth reading its group on."""
    return of_mrz_length(read) and not reads_as_prose(read)


def looks_like_mrz(reading: Reading, reads: list[LineRead]) -> bool:
    if len(reads) < 2:
        return False
    for read, expected in zip(reads, reading.layout.lengths, strict=False):
        if abs(read.seen_length - expected) > MAX_LENGTH_GAP:
            return False
    if len(structure_misses([read.text for read in reads], reading.layout)) > MAX_STRUCTURE_MISSES:
        return False  # a block of text, not an MRZ: repairs would make any text fit
    return reading.class_fit >= MIN_CLASS_FIT and reading.mean_confidence >= MIN_CONFIDENCE


class MrzEngine:
    """Reads the MRZ of one photo. Build once per process; `read` is thread-safe."""

    def __init__(self, recognizer: Recognizer | None = None, *, threads: int | None = None):
        self.recognizer = recognizer or Recognizer(threads=threads)

    @property
    def name(self) -> str:
        return self.recognizer.name

    def read(self, data: bytes, *, portrait: bool = False) -> EngineResult:
        """Find and read the MRZ; with `portrait`, also cut the holder's portrait out."""
        clock = time.perf_counter
        started = clock()
        stages = _Stages()
        with stages("decode"):
            image = decode_image(data)
        best = _Best()
        mark = clock()
        # Lines are found on the gray photo (turned a quarter when needed: only the
        # small gray copy is turned) and cut from the colour photo as it is.
        with stages("locate"):
            gray = to_gray(image)
        tilts: list[float] = []  # read by `_passes` after its level passes
        tried: list[list[LineBox]] = []  # the groups read so far, in the photo's frame
        line_reads = _LineReads(self.recognizer.read)  # every group's lines, read once
        passes = _passes(gray, tilts, lambda: ink_gray(image))
        for rotation, turned, work_width, to_photo in passes:
            with stages("locate"):
                groups = find_line_groups(turned, work_width)[:MAX_GROUPS]
            if rotation == 0 and work_width == WORK_WIDTH and (tilt := dominant_tilt(groups)):
                tilts.append(tilt)
            for group in groups:
                boxes = [to_photo(box) for box in group.lines]
                if len(boxes) < 2:
                    continue  # one line alone is never read as an MRZ
                if any(same_lines(boxes, seen) for seen in tried):
                    continue  # found again by a later pass: read once
                tried.append(boxes)
                with stages("crop"):
                    # One MRZ's lines: one height, one span along the lines.
                    cut_boxes = common_thickness(common_extent(boxes))
                    crops = [crop_line(image, box) for box in cut_boxes]
                cut = _CutLines(line_reads, crops, cut_boxes, image)
                self._try_group(
                    cut,
                    list(range(len(crops))),
                    rotation,
                    best,
                    stages=stages,
                    upside_down=_in_top_half(group, turned.shape[0]),
                )
                if best.done:
                    break
            if best.done:
                break
        stages.seconds["locator_and_recognition"] = clock() - mark
        # The detector is for layouts the locator misses, so it runs only when some group
        # read like an MRZ line by line (every line of an MRZ's length, none of prose) and
        # still gave no MRZ-like reading. Otherwise, measured on the real photos and the
        # realistic set, it changed no outcome and made most of the slow tail (prose pages,
        # pages without an MRZ); and once the locator has offered a reading that fails its
        # checks, the detector reads the same lines again, where its repairs can make a
        # wrong reading pass (it did so on a real card whose own check digits fail).
        if best.near_miss and best.reading is None:  # (no reading: none valid either)
            with stages("detector"):
                self._try_detector(image, best, stages, line_reads)
        cut_out: bytes | None = None
        if portrait and best.reading is not None:
            with stages("portrait"):
                cut_out = cut_portrait(image, best.boxes, best.reading.layout.format)
        stages.seconds["total"] = clock() - started
        timings = {name: _ms(seconds) for name, seconds in stages.seconds.items()}
        return EngineResult(
            engine=self.name,
            reading=best.reading,
            reads=best.reads,
            rotation=best.rotation,
            method=best.method if best.reading is not None else "none",
            timings_ms=timings,
            boxes=best.boxes,
            portrait=cut_out,
            image_size=(int(image.shape[1]), int(image.shape[0])),
        )

    def _try_group(
        self,
        cut: _CutLines,
        indices: list[int],
        rotation: int,
        best: _Best,
        *,
        stages: _Stages,
        upside_down: bool = False,
        method: str = "locator",
    ) -> None:
        """Read the lines `indices` of `cut` (top to bottom) as one MRZ, both ways up.

        `upside_down` is a guess at the orientation from where the lines lie (an MRZ
        sits at the foot of its page: near the top of the photo, the page is likely
        upside down). The guess is checked on one line: its top line, read the
        guessed way up, must read like MRZ text (an upside-down MRZ line reads with
        low confidence), else the other way goes first. When it does, that way alone is
        read: the other way up is text upside down, which no correction makes a valid
        MRZ. Otherwise both ways are tried, so a wrong guess costs time, never a result;
        each line is read at most once each way up.
        """
        with stages("recognize"):
            probe = cut.flipped(indices[-1:]) if upside_down else cut.upright(indices[:1])
        if reads_as_prose(probe[0]):
            return  # a line of words read with confidence: this group is not an MRZ
        settled = _reads_upright(probe[0])
        upright_first = settled != upside_down
        # A probe that reads like MRZ text the way it was read settles which way up the
        # page is: the other way reads upside-down text (confidence <= 0.65 measured).
        ways = (upright_first,) if settled else (upright_first, not upright_first)
        for upright in ways:
            # Upside down: every crop turned, and the line order reversed.
            order = indices if upright else indices[::-1]
            with stages("recognize"):
                read_all = cut.read_all(order, flipped=not upright, keep=could_be_mrz_line)
            if read_all is None:
                continue  # a line of no MRZ's length, or prose: the rest stay unread
            best.near_miss = True
            reads = read_all
            seen = [cut.crop(index, flipped=not upright) for index in order]
            turned = rotation if upright else (rotation + 180) % 360
            placed = tuple(cut.boxes[index] for index in order)
            with stages("correct"):
                reads = fit_reads(reads)
                reading = correct(reads)
            if not reading.valid and (wider := self._widened(cut, placed, reads, reading, upright)):
                with stages("recognize"):
                    seen, reads, reading = wider
            if looks_like_mrz(reading, reads):
                with stages("o_or_zero"):
                    reading, reads = _settle_o_zero(seen, reads, reading)
            if not reading.valid and looks_like_mrz(reading, reads):
                reading, reads = self._look_again(seen, reads, reading, stages)
            best.offer(reading, reads, turned, method, placed)
            if reading.valid or (looks_like_mrz(reading, reads) and reading.checks_passed >= 2):
                return

    def _widened(
        self,
        cut: _CutLines,
        placed: Sequence[LineBox],
        reads: list[LineRead],
        reading: Reading,
        upright: bool,
    ) -> tuple[list[Image], list[LineRead], Reading] | None:
        """The lines cut again a few characters longer at each end, when every one read
        1-4 characters short of the format's length.

        A faint filler run, or a last check digit after one, can fall outside the box
        the locator measured (a card's lines upscaled past the kernels' size, a tilt):
        every line then reads whole but for its ends, and no correction can invent the
        characters that were never in the crop. Kept only when the check digits like it
        better.
        """
        lengths = reading.layout.lengths
        missing = [want - read.seen_length for want, read in zip(lengths, reads, strict=False)]
        if len(missing) != len(reads) or not all(1 <= gap <= MAX_CUT_SHORT for gap in missing):
            return None
        pitch = statistics.fmean(
            box.length / max(read.seen_length, 1) for box, read in zip(placed, reads, strict=True)
        )
        extra = (max(missing) + 1) * pitch
        boxes = [replace(box, length=box.length + 2 * extra) for box in placed]
        crops = [crop_line(cut.image, box) for box in boxes]
        if not upright:
            crops = [crop[::-1, ::-1] for crop in crops]
        again = fit_reads(self.recognizer.read(crops))
        second = correct(again)
        if second.score > reading.score:
            return crops, again, second
        return None

    def _look_again(
        self, crops: list[Image], reads: list[LineRead], reading: Reading, stages: _Stages
    ) -> tuple[Reading, list[LineRead]]:
        """The doubtful characters of a failed reading re-read in small windows."""
        places = doubtful_places(reading, reads)
        if not places:
            return reading, reads
        with stages("second_look"):
            again = second_look(self.recognizer.read, crops, reads, places)
        with stages("correct"):
            second = correct(again)
        if second.score > reading.score:
            return second, again
        return reading, reads

    def _try_detector(
        self, image: Image, best: _Best, stages: _Stages, line_reads: _LineReads
    ) -> None:
        """rapidocr's own text detector: slower, for layouts the locator misses.

        One detector pass finds lines in both directions; lines across the photo
        (a page turned a quarter) are grouped in the turned photo's frame and cut from
        the photo as it is. Each line is cut and read at most once each way up, however
        many candidate groups it belongs to.
        """
        boxes = [_box_from_quad(quad) for quad in self.recognizer.detect_lines(image)]
        long_boxes = [box for box in boxes if box.length > 10 * box.thickness]
        width = image.shape[1]
        across = [quarter_turn(box, width) for box in long_boxes if abs(box.angle) > 45]
        frames = (
            (0, [box for box in long_boxes if abs(box.angle) <= 45]),
            (90, across),
        )
        for rotation, frame_boxes in frames:
            if len(frame_boxes) < 2:
                continue
            frame_boxes.sort(key=lambda box: box.cy)
            in_photo = [
                box if rotation == 0 else quarter_turn_back(box, width) for box in frame_boxes
            ]
            cut = _CutLines(
                line_reads, [crop_line(image, box) for box in in_photo], in_photo, image
            )
            last = len(frame_boxes)
            # The MRZ is the bottom-most run of long lines (upside down: the top-most).
            for group, upside_down in (
                ([last - 3, last - 2, last - 1], False),
                ([last - 2, last - 1], False),
                ([0, 1], True),
                ([0, 1, 2], True),
            ):
                if min(group) < 0 or max(group) >= last:
                    continue
                self._try_group(
                    cut,
                    group,
                    rotation,
                    best,
                    stages=stages,
                    upside_down=upside_down,
                    method="detector",
                )
                if best.done:
                    return


def _in_top_half(group: LineGroup, height: int) -> bool:
    return 2 * statistics.fmean(box.cy for box in group.lines) < height


class _LineReads:
    """The reads of one photo's line crops, each cut box read at most once each way up.

    Candidate groups share lines: the first two lines of a three-line group come again as
    a group of two, and a later pass finds the same lines again. A box cut again within a
    pixel of one already read is the same crop to the model (it is scaled to 48 px high),
    so its read is reused instead of paying for another model call.
    """

    def __init__(self, read: Callable[[Sequence[Image]], list[LineRead]]):
        self._read = read
        self._known: list[tuple[LineBox, bool, LineRead]] = []

    def read(
        self, crops: Sequence[Image], boxes: Sequence[LineBox], flipped: bool
    ) -> list[LineRead]:
        """The reads of `crops` cut at `boxes`, read that way up: known ones recalled."""
        found = [self.recall(box, flipped) for box in boxes]
        missing = [index for index, read in enumerate(found) if read is None]
        fresh = self._read([crops[index] for index in missing]) if missing else []
        for index, read in zip(missing, fresh, strict=True):
            self._known.append((boxes[index], flipped, read))
            found[index] = read
        return [read for read in found if read is not None]

    def recall(self, box: LineBox, flipped: bool) -> LineRead | None:
        for known, way, read in self._known:
            if way == flipped and same_cut(known, box):
                return read
        return None


def same_cut(first: LineBox, second: LineBox) -> bool:
    """Whether two boxes cut the same crop: centres, length and thickness within a pixel
    (or 1 % of the length), the angle within a tenth of a degree."""
    return (
        abs(first.cx - second.cx) <= 1.0
        and abs(first.cy - second.cy) <= 1.0
        and abs(first.length - second.length) <= max(1.0, 0.01 * first.length)
        and abs(first.thickness - second.thickness) <= 1.0
        and abs(first.angle - second.angle) <= 0.1
    )


class _CutLines:
    """The crops of one candidate group's lines, read through the photo's `_LineReads`."""

    def __init__(
        self,
        reads: _LineReads,
        crops: list[Image],
        boxes: Sequence[LineBox],
        image: Image,
    ):
        self._line_reads = reads
        self.image = image  # the photo the crops were cut from
        self.crops = crops
        self.boxes = boxes  # where each crop lies in the photo
        self._reads: dict[tuple[int, bool], LineRead] = {}

    def crop(self, index: int, *, flipped: bool) -> Image:
        """Line `index` as the model sees it read that way up (flipped: turned 180)."""
        return self.crops[index][::-1, ::-1] if flipped else self.crops[index]

    def upright(self, indices: list[int]) -> list[LineRead]:
        return self._cached(indices, flipped=False)

    def flipped(self, indices: list[int]) -> list[LineRead]:
        return self._cached(indices, flipped=True)

    def read_all(
        self, indices: list[int], *, flipped: bool, keep: Callable[[LineRead], bool]
    ) -> list[LineRead] | None:
        """The lines `indices` read, or None at the first line that fails `keep`.

        Lines already read are judged first, then the others one at a time: a group
        ruled out by one line costs no model call for the rest.
        """
        known = [index for index in indices if self._known(index, flipped)]
        unread = [index for index in indices if not self._known(index, flipped)]
        for index in known + unread:
            if not keep(self._cached([index], flipped=flipped)[0]):
                return None
        return self._cached(indices, flipped=flipped)

    def _known(self, index: int, flipped: bool) -> bool:
        if (index, flipped) in self._reads:
            return True
        return self._line_reads.recall(self.boxes[index], flipped) is not None

    def _cached(self, indices: list[int], *, flipped: bool) -> list[LineRead]:
        missing = [index for index in indices if (index, flipped) not in self._reads]
        crops = [self.crop(index, flipped=flipped) for index in missing]
        boxes = [self.boxes[index] for index in missing]
        for index, read in zip(missing, self._line_reads.read(crops, boxes, flipped), strict=True):
            self._reads[(index, flipped)] = read
        return [self._reads[(index, flipped)] for index in indices]


def _settle_o_zero(
    crops: list[Image], reads: list[LineRead], reading: Reading
) -> tuple[Reading, list[LineRead]]:
    """O or 0 where the field allows both, judged on the glyph (see `o_or_zero`).

    The visual verdict replaces the model's O/0 split, then the usual correction runs;
    it is kept unless the check digits like it less than the model's own reading.
    """
    places = [
        (line, index)
        for line, read in enumerate(reads)
        if len(read.chars) == reading.layout.lengths[line]
        for index in o_or_zero.candidates(read)
        if reading.layout.classes[line][index] == "A"
    ]
    if not places:
        return reading, reads
    settled = o_or_zero.settle([to_gray(crop) for crop in crops], reads, places)
    second = correct(settled)
    if second.valid >= reading.valid and second.checks_passed >= reading.checks_passed:
        return second, settled
    return reading, reads


def same_lines(first: Sequence[LineBox], second: Sequence[LineBox]) -> bool:
    """Whether two groups are the same lines of the photo (centres within half a line's
    thickness, lengths within 10 %): passes at another width or on another view of the
    photo find most groups again, and a group read once needs no second read."""
    return len(first) == len(second) and all(
        math.hypot(a.cx - b.cx, a.cy - b.cy) <= 0.5 * max(a.thickness, b.thickness)
        and abs(a.length - b.length) <= 0.1 * max(a.length, b.length)
        for a, b in zip(first, second, strict=True)
    )


def common_thickness(boxes: list[LineBox]) -> list[LineBox]:
    """The lines of one MRZ cut at one height: the thickest line's.

    All MRZ lines have the same type size, but a line of mostly fillers (`<` is shorter
    than letters and digits) measures thinner: cut at its own thickness it would be
    scaled up for the recogniser, wider and slower to read (~12 % of the model's time).
    Lines that differ more than fillers explain (the detector's boxes, which may take
    in a line of the visual zone) keep their own.
    """
    thickest = max(box.thickness for box in boxes)
    if thickest > MAX_THICKNESS_RATIO * min(box.thickness for box in boxes):
        return boxes
    return [replace(box, thickness=thickest) for box in boxes]


def _box_from_quad(quad: npt.NDArray[np.float32]) -> LineBox:
    (cx, cy), (w, h), angle = cv2.minAreaRect(quad.astype(np.float32))
    if w < h:
        w, h, angle = h, w, angle + 90.0
    angle = (angle + 90.0) % 180.0 - 90.0
    return LineBox(float(cx), float(cy), float(w), float(h), float(angle))


def _turns(image: Image) -> Iterator[tuple[int, Image]]:
    """The photo as it is, then turned a quarter (its 180/270 come from flipping crops)."""
    yield 0, image
    # np.rot90 turns counter-clockwise: the page was turned clockwise by 90 (or 270).
    yield 90, np.ascontiguousarray(np.rot90(image))


def _passes(
    image: Image, tilts: Sequence[float], ink: Callable[[], Image]
) -> Iterator[tuple[int, Image, int, Callable[[LineBox], LineBox]]]:
    """Where to look for lines, in turn, each pass with the map of its boxes back to the
    photo. A pass runs only when the ones before read nothing valid (the caller stops
    at a valid reading):

    1. both turns at the working width;
    2. when the caller found the lines tilted (`tilts`, filled in after the first pass),
       the photo turned level: a page held 20-30 degrees askew, whose filler runs the
       horizontal kernels break off;
    3. both turns at the coarse width: an MRZ whose characters are too large for the
       kernels at the working width (a card filling a small photo);
    4. both turns of `ink()` at both widths, the photo as its darkest channel sees it: a
       coloured stamp
       or overlay across the MRZ that joins its lines into one blob, or breaks one.
       Last, because the boxes found there differ slightly from the gray photo's and so
       would change good readings (O or 0 measured on cut crops, real photos).
    """
    for rotation, turned in _turns(image):
        yield rotation, turned, WORK_WIDTH, _back_from(rotation, turned)
    if tilts:
        levelled, to_photo = level(image, tilts[0])
        yield 0, levelled, WORK_WIDTH, to_photo
    for rotation, turned in _turns(image):
        yield rotation, turned, COARSE_WIDTH, _back_from(rotation, turned)
    inked = ink()
    for work_width in (WORK_WIDTH, COARSE_WIDTH):
        for rotation, turned in _turns(inked):
            yield rotation, turned, work_width, _back_from(rotation, turned)


def _back_from(rotation: int, turned: Image) -> Callable[[LineBox], LineBox]:
    if rotation == 0:
        return lambda box: box
    return lambda box: quarter_turn_back(box, turned.shape[0])


class _Stages:
    """Seconds spent per stage of one read, summed over repeats (the answer's timings)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        mark = time.perf_counter()
        try:
            yield
        finally:
            elapsed = time.perf_counter() - mark
            self.seconds[name] = self.seconds.get(name, 0.0) + elapsed


def _ms(seconds: float) -> float:
    return round(seconds * 1000.0, 1)


_ENGINES: dict[tuple[Precision, Path | None], MrzEngine] = {}


def shared_engine(precision: Precision = "float", cache: Path | None = None) -> MrzEngine:
    """One engine per process and model (the model takes ~0.3 s and ~100 MB to load)."""
    key = (precision, cache)
    engine = _ENGINES.get(key)
    if engine is None:
        engine = _ENGINES.setdefault(key, MrzEngine(Recognizer(precision=precision, cache=cache)))
    return engine


__all__ = [
    "EngineResult",
    "MrzEngine",
    "UnreadableImageError",
    "decode_image",
    "shared_engine",
    "to_gray",
]
