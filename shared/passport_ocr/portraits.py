"""The holder's portrait, kept only when the operator asks (`PASSPORT_OCR_PORTRAIT=store`).

A portrait is biometric data, so it is off by default. When on, the provider asks the vendor
for it (Tencent: MLIDPassportOCR `RetImage`, PassportOCR `CropPortrait`) or cuts it from the
page (the offline engine), and the pipeline writes it to the results bucket under
`<results prefix>portraits/<object id>.<ext>`: the results' retention rule deletes it with
the records, the stacks' results grant covers it, and the key holds no personal data. The
record names the object (`PortraitRef`); the bytes never enter a record, an event, a kept
answer's log line or a log.

A vendor that gives no portrait, or gives one that is not a JPEG or PNG picture, leaves an
info finding (`portrait.not_offered`, `portrait.not_found`, `portrait.unreadable`): the
record itself stands as it is.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final, Literal

from passport_ocr.events.base import ObjectRef
from passport_ocr.images import sniff_format
from passport_ocr.record import Finding, PortraitRef, Severity

PortraitMode = Literal["off", "store"]
Origin = Literal["vendor", "page_layout"]

_MEDIA_TYPES: Final[Mapping[str, tuple[Literal["image/jpeg", "image/png"], str]]] = {
    "JPEG": ("image/jpeg", ".jpg"),
    "PNG": ("image/png", ".png"),
}

#: `put_bytes(bucket, key, data, content_type)`: an `ObjectStore` method.
BytesWriter = Callable[[str, str, bytes, str], None]


@dataclass(frozen=True)
class PortraitPicture:
    """Checked portrait bytes: a JPEG or PNG picture and its pixel size."""

    data: bytes
    media_type: Literal["image/jpeg", "image/png"]
    suffix: str
    width: int
    height: int


def decode_base64(value: object) -> bytes | None:
    """A vendor's base64 portrait as bytes; None when it is absent, empty or not base64."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return base64.b64decode(value.strip(), validate=True)
    except (binascii.Error, ValueError):
        return None


def take(raw: Mapping[str, Any], path: tuple[str, ...]) -> tuple[dict[str, Any], bytes | None]:
    """`raw` without the base64 value at `path`, and that value decoded.

    The vendor's answer is kept, mapped and stored without the picture in it: the portrait
    goes only where the operator asked (`store`), never along with the answer.
    """
    head, *rest = path
    inner = raw.get(head)
    if not rest:
        stripped = {key: value for key, value in raw.items() if key != head}
        return stripped, decode_base64(inner)
    if not isinstance(inner, Mapping):
        return dict(raw), None
    stripped_inner, found = take(inner, tuple(rest))
    return {**raw, head: stripped_inner}, found


def inspect(data: bytes) -> PortraitPicture | None:
    """The picture's type and size from its header, or None if it is not a JPEG or PNG."""
    fmt = sniff_format(data)
    if fmt is None or fmt not in _MEDIA_TYPES:
        return None
    from PIL import Image, UnidentifiedImageError  # noqa: PLC0415 (lazy: core is pydantic-only)

    try:
        with Image.open(io.BytesIO(data), formats=[fmt]) as image:
            width, height = image.size
    except (UnidentifiedImageError, OSError, ValueError):
        return None
    if width < 1 or height < 1:
        return None
    media_type, suffix = _MEDIA_TYPES[fmt]
    return PortraitPicture(data, media_type, suffix, width, height)


def portrait_key(ref: ObjectRef, results_prefix: str, suffix: str) -> str:
    """Deterministic per object version: a retry overwrites, never adds."""
    return f"{results_prefix}portraits/{ref.object_id}{suffix}"


def store(
    picture: PortraitPicture,
    ref: ObjectRef,
    *,
    bucket: str,
    results_prefix: str,
    put_bytes: BytesWriter,
    origin: Origin,
) -> PortraitRef:
    """Write the picture; raises what the store raises (`StorageError`)."""
    key = portrait_key(ref, results_prefix, picture.suffix)
    put_bytes(bucket, key, picture.data, picture.media_type)
    return PortraitRef(
        bucket=bucket,
        key=key,
        media_type=picture.media_type,
        width=picture.width,
        height=picture.height,
        sha256=hashlib.sha256(picture.data).hexdigest(),
        origin=origin,
    )


def finding(code: Literal["not_offered", "not_found", "unreadable"], vendor: str) -> Finding:
    """Why a record asked to carry a portrait carries none (info: the record stands)."""
    messages = {
        "not_offered": f"{vendor} gives no portrait for this document",
        "not_found": f"{vendor} returned no portrait",
        "unreadable": f"the portrait {vendor} returned is not a JPEG or PNG picture",
    }
    return Finding(
        code=f"portrait.{code}", field="portrait", severity=Severity.INFO, message=messages[code]
    )
