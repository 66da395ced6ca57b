"""The offline MRZ reader: image bytes in, MRZ lines with confidences out (or none).

Order of work, cheapest first, stopping at the first MRZ whose check digits all agree:
the OpenCV locator on the photo as it is, then turned by 90 degrees; each group of
lines it finds is read upright and, when that does not look like an MRZ, upside down
(so 0/180 and 90/270 share one locator pass). Only when all that fails does the full
text detector run. The best candidate is kept even when invalid (the record then says
which check digit failed); a candidate that does not even look like an MRZ is dropped:
no MRZ is reported rather than an invented one.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Final

import cv2
import numpy as np
import numpy.typing as npt

from passport_ocr.ocr.correct import Reading, correct
from passport_ocr.ocr.locate import LineBox, crop_line, find_line_groups, to_gray
from passport_ocr.ocr.recognize import LineRead, Recognizer

Image = npt.NDArray[np.uint8]

#: Line groups read per orientation before moving on.
MAX_GROUPS: Final = 3
#: Below these a candidate is not an MRZ at all.
MIN_CLASS_FIT: Final = 0.8
MIN_CONFIDENCE: Final = 0.5
#: The longest side the engine works on; larger photos are shrunk first.
MAX_SIDE: Final = 2600


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
            "timings_ms": self.timings_ms,
        }


def decode_image(data: bytes) -> Image:
    """Bytes -> BGR pixels (EXIF orientation applied), shrunk to at most `MAX_SIDE`."""
    pixels = cv2.imdecode(np.frombuffer(data, dtype=np.uint8), cv2.IMREAD_COLOR)
    if pixels is None or pixels.size == 0:
        raise UnreadableImageError("the image cannot be decoded")
    longest = max(pixels.shape[:2])
    if longest > MAX_SIDE:
        factor = MAX_SIDE / longest
        size = (round(pixels.shape[1] * factor), round(pixels.shape[0] * factor))
        pixels = cv2.resize(pixels, size, interpolation=cv2.INTER_AREA)
    return np.asarray(pixels, dtype=np.uint8)


@dataclass
class _Best:
    reading: Reading | None = None
    reads: list[LineRead] = field(default_factory=list)
    rotation: int = 0
    method: str = "none"

    def offer(self, reading: Reading, reads: list[LineRead], rotation: int, method: str) -> None:
        if not looks_like_mrz(reading, reads):
            return
        if self.reading is None or reading.score > self.reading.score:
            self.reading, self.reads, self.rotation, self.method = (
                reading,
                reads,
                rotation,
                method,
            )

    @property
    def done(self) -> bool:
        return self.reading is not None and self.reading.valid


def looks_like_mrz(reading: Reading, reads: list[LineRead]) -> bool:
    if len(reads) < 2:
        return False
    for read, expected in zip(reads, reading.layout.lengths, strict=False):
        if abs(len(read.chars) - expected) > 4:
            return False
    return reading.class_fit >= MIN_CLASS_FIT and reading.mean_confidence >= MIN_CONFIDENCE


class MrzEngine:
    """Reads the MRZ of one photo. Build once per process; `read` is thread-safe."""

    def __init__(self, recognizer: Recognizer | None = None, *, threads: int | None = None):
        self.recognizer = recognizer or Recognizer(threads=threads)

    @property
    def name(self) -> str:
        return self.recognizer.name

    def read(self, data: bytes) -> EngineResult:
        clock = time.perf_counter
        started = clock()
        timings: dict[str, float] = {}
        image = decode_image(data)
        timings["decode"] = _ms(clock() - started)
        best = _Best()
        mark = clock()
        located = 0
        for rotation, turned in _turns(image):
            groups = find_line_groups(turned)[:MAX_GROUPS]
            located += len(groups)
            for group in groups:
                self._try_group(turned, list(group.lines), rotation, best)
                if best.done:
                    break
            if best.done:
                break
        timings["locator_and_recognition"] = _ms(clock() - mark)
        if not best.done:
            mark = clock()
            self._try_detector(image, best)
            timings["detector"] = _ms(clock() - mark)
        timings["total"] = _ms(clock() - started)
        return EngineResult(
            engine=self.name,
            reading=best.reading,
            reads=best.reads,
            rotation=best.rotation,
            method=best.method if best.reading is not None else "none",
            timings_ms=timings,
        )

    def _try_group(
        self,
        image: Image,
        boxes: list[LineBox],
        rotation: int,
        best: _Best,
        method: str = "locator",
    ) -> None:
        crops = [crop_line(image, box) for box in boxes]
        reads = self.recognizer.read(crops)
        upright = correct(reads) if len(reads) >= 2 else None
        if upright is not None:
            best.offer(upright, reads, rotation, method)
            if upright.valid or (looks_like_mrz(upright, reads) and upright.checks_passed >= 2):
                return
        # Upside down: every crop turned, and the line order reversed.
        flipped_reads = self.recognizer.read([crop[::-1, ::-1] for crop in reversed(crops)])
        if len(flipped_reads) >= 2:
            best.offer(correct(flipped_reads), flipped_reads, (rotation + 180) % 360, method)

    def _try_detector(self, image: Image, best: _Best) -> None:
        """rapidocr's own text detector: slower, for layouts the locator misses."""
        for rotation, turned in _turns(image):
            boxes = [_box_from_quad(quad) for quad in self.recognizer.detect_lines(turned)]
            long_boxes = [box for box in boxes if box.length > 10 * box.thickness]
            long_boxes.sort(key=lambda box: box.cy)
            if len(long_boxes) < 2:
                continue
            # The MRZ is the bottom-most run of long lines (upside down: the top-most).
            for group in (long_boxes[-3:], long_boxes[-2:], long_boxes[:2], long_boxes[:3]):
                self._try_group(turned, group, rotation, best, method="detector")
                if best.done:
                    return


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


def _ms(seconds: float) -> float:
    return round(seconds * 1000.0, 1)


_ENGINE: MrzEngine | None = None


def shared_engine(factory: Callable[[], MrzEngine] = MrzEngine) -> MrzEngine:
    """One engine per process (the model takes ~0.3 s and ~100 MB to load)."""
    global _ENGINE  # noqa: PLW0603 - a per-process cache, like functools.cache but resettable
    if _ENGINE is None:
        _ENGINE = factory()
    return _ENGINE


__all__ = [
    "EngineResult",
    "MrzEngine",
    "UnreadableImageError",
    "decode_image",
    "shared_engine",
    "to_gray",
]
