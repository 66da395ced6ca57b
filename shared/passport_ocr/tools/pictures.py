"""Pictures made from the read the pipeline already did: never a second OCR pass.

`SeenReads` wraps the provider the command line builds: each call keeps, for the calling
thread, the bytes the provider was given (after preflight) and its answer. The pipeline
calls the provider in the thread that processes the object, so right after
`Pipeline.process(ref)` that thread's `take()` is that object's image and answer, and
`annotate` draws from them. Nothing here logs or stores anything itself.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any, Final

from passport_ocr.providers.base import ImageInput, OcrProvider, VendorAnswer, WrappedProvider
from passport_ocr.record import PassportRecord
from passport_ocr.tools import annotate

#: The report's thumbnails: longest side and JPEG quality (a few kB each).
THUMBNAIL_SIDE: Final = 240
THUMBNAIL_QUALITY: Final = 70
PNG_COMPRESS_LEVEL: Final = 1
#: The report's MRZ crops as JPEG: ~23 kB at 900 px against ~70 kB as PNG (specimens).
CROP_QUALITY: Final = 80
NO_GEOMETRY: Final = "{vendor} gives no character positions (only the offline engine does)"
NOT_READ: Final = "no picture: refused before OCR (see its findings)"
READ_ELSEWHERE: Final = "no picture: the vendor read the object itself (by URL or reference)"


@dataclass(frozen=True)
class Seen:
    """What one provider call was given and answered (the answer only for the offline
    engine: a vendor's answer has no geometry to draw)."""

    vendor: str
    image: bytes | None
    answer: Mapping[str, Any] | None = None


class SeenReads(WrappedProvider):
    """An `OcrProvider` that keeps each thread's last image and answer (see module doc)."""

    def __init__(self, provider: OcrProvider) -> None:
        super().__init__(provider)
        self._local = threading.local()

    def recognize(self, image: ImageInput, *, deadline: float | None = None) -> VendorAnswer:
        data = image.image.data if image.image is not None else None
        self._local.seen = Seen(self.name, data)  # kept even when the call fails
        answer = self._provider.recognize(image, deadline=deadline)
        if answer.format == "local":
            self._local.seen = Seen(self.name, data, answer.raw)
        return answer

    def take(self) -> Seen | None:
        """This thread's last call, forgotten once taken (None: no call since)."""
        seen: Seen | None = getattr(self._local, "seen", None)
        self._local.seen = None
        return seen


def _record_dump(record: PassportRecord | None) -> Mapping[str, Any] | None:
    return record.model_dump(mode="json", include={"mrz"}) if record is not None else None


def marks_for(seen: Seen, record: PassportRecord | None) -> annotate.Marks | None:
    return annotate.marks_from(seen.answer, _record_dump(record)) if seen.answer else None


def photo_picture(seen: Seen, record: PassportRecord | None) -> bytes | None:
    """The whole photo, marked (`annotate.annotated_photo`), as PNG; None without bytes."""
    if seen.image is None:
        return None
    photo = annotate.open_photo(seen.image)
    picture = annotate.annotated_photo(photo, marks_for(seen, record))
    # Fast compression: level 1 encodes a 1600 px photo in ~60 ms against ~130-200 ms at
    # Pillow's default 6, for 5-15 % more bytes (bundled specimens, December 2026).
    return annotate.encoded(picture, "PNG", compress_level=PNG_COMPRESS_LEVEL)


@dataclass(frozen=True)
class RowPictures:
    """A report row's pictures (JPEG thumbnail and MRZ crop) and why one is missing."""

    thumbnail: bytes | None = None
    crop: bytes | None = None
    note: str | None = None


def thumbnail(image: bytes) -> bytes:
    """The report's JPEG thumbnail of a photo, as it lies (no MRZ to turn it upright by)."""
    small = annotate.shrink(annotate.open_photo(image), THUMBNAIL_SIDE)
    return annotate.encoded(small, "JPEG", quality=THUMBNAIL_QUALITY)


def row_pictures(seen: Seen | None, record: PassportRecord | None) -> RowPictures:
    """The thumbnail and the marked MRZ crop of one object, or what stands in for them."""
    if seen is None:
        return RowPictures(note=NOT_READ)
    if seen.image is None:
        return RowPictures(note=READ_ELSEWHERE)
    photo = annotate.open_photo(seen.image)
    marks = marks_for(seen, record) if seen.vendor == "local" else None
    small = annotate.shrink(photo, THUMBNAIL_SIDE)
    if marks is not None:  # the page turned upright by its MRZ: easier to look at
        small = small.rotate(annotate.upright_turn(marks), expand=True)
    thumbnail = annotate.encoded(small, "JPEG", quality=THUMBNAIL_QUALITY)
    if seen.vendor != "local":
        return RowPictures(thumbnail, note=NO_GEOMETRY.format(vendor=seen.vendor))
    if marks is None:
        return RowPictures(thumbnail, note="no MRZ found")
    crop = annotate.mrz_crop(photo, marks)
    return RowPictures(thumbnail, annotate.encoded(crop, "JPEG", quality=CROP_QUALITY))


def picture_name(argument: str, taken: set[str]) -> str:
    """`scan1.jpg` -> `scan1.png` (stdin: `stdin.png`); a name already given gets `-2`, `-3`."""
    stem = "stdin" if argument == "-" else (PurePath(argument).stem or "image")
    name, number = f"{stem}.png", 1
    while name in taken:
        number += 1
        name = f"{stem}-{number}.png"
    taken.add(name)
    return name
