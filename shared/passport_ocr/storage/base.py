"""What every object store offers the pipeline, and the transfer rule.

Transfer rule (`choose_transfer`): an upload goes to the OCR service by reference only when
all of these hold:

1. the setting `image_transfer` is `auto` or `url` (`bytes` forces bytes mode);
2. the bucket and the OCR service are on the same cloud (OBS -> Huawei OCR, COS -> Tencent
   OCR, S3 -> Textract); a cross-cloud reference would cost egress and may time out;
3. the vendor takes a reference at all: an object reference ("object": the vendor reads the
   object itself with the caller's permissions, no signed URL; Textract) or, failing that,
   a URL (`provider.accepts_url`: a short-lived signed URL it downloads; False for
   Tencent's international endpoint, the offline engine, ...);
4. and, for `auto`, same region (`provider.can_fetch`): Huawei OCR cannot read OBS across
   regions, Tencent's download deadline (about 3 s) is only dependable in-region, Textract
   reads only buckets of its own region;
5. and, for `auto`, no conversion is needed: the event's size and the key's suffix already
   say that the object is in a format the provider takes and within its byte limit.

Otherwise "bytes": the function fetches the object (refusing anything larger than
`MAX_SOURCE_BYTES` without downloading it whole), runs the image preflight, and sends the
bytes. What an event cannot tell (pixel size, EXIF orientation) is why `auto` still
favours bytes whenever the size or suffix is unknown. `url` trusts the operator (by
reference without the size and suffix check) but never sends a reference to a provider
that cannot take one.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from passport_ocr.config import Settings
from passport_ocr.errors import StorageError
from passport_ocr.events.base import Cloud, ObjectRef
from passport_ocr.images import MAX_SOURCE_BYTES, likely_compliant
from passport_ocr.providers.base import OcrProvider
from passport_ocr.vendors import VENDORS

Transfer = Literal["object", "url", "bytes"]

#: Signed URLs live just long enough for one OCR call with retries.
DEFAULT_URL_EXPIRY_S = 300


@dataclass(frozen=True)
class ObjectInfo:
    """What a HEAD request says about an object."""

    size: int
    etag: str | None = None
    content_type: str | None = None


class ObjectStore(Protocol):
    """One bucket service. Every method raises `StorageError` and nothing else."""

    cloud: Cloud

    def head(self, ref: ObjectRef) -> ObjectInfo:
        """Size and etag, without the body."""
        ...

    def fetch(self, ref: ObjectRef, max_bytes: int = MAX_SOURCE_BYTES) -> bytes:
        """The object's bytes; `StorageError(code="storage.too_large")` past `max_bytes`,
        decided without downloading the object whole."""
        ...

    def signed_url(self, ref: ObjectRef, expires_s: int = DEFAULT_URL_EXPIRY_S) -> str:
        """A GET URL anyone can use until it expires (temporary credentials included)."""
        ...

    def put_json(self, bucket: str, key: str, doc: Mapping[str, Any]) -> None:
        """Write a result record as UTF-8 JSON."""
        ...

    def put_bytes(self, bucket: str, key: str, data: bytes, content_type: str) -> None:
        """Write one object under the results prefix (a record, or a stored portrait)."""
        ...

    def delete(self, ref: ObjectRef) -> None:
        """Delete the upload (`PASSPORT_OCR_DELETE_AFTER=recognized`). A plain DeleteObject:
        in a versioned bucket the data stays as a non-current version until the stack's
        non-current expiry removes it (deleting the version itself would need another grant)."""
        ...


# --- shared helpers for the implementations ------------------------------------------------


def ranged_header(max_bytes: int) -> str:
    """Ask for one byte more than allowed: getting it proves the object is too large."""
    return f"bytes=0-{max_bytes}"


def too_large(ref: ObjectRef, max_bytes: int) -> StorageError:
    return StorageError(
        f"object {ref.object_id} is larger than {max_bytes} bytes",
        permanent=True,
        code="storage.too_large",
    )


def check_declared_size(ref: ObjectRef, max_bytes: int) -> None:
    """Refuse before any request when the event already says the object is too large."""
    if ref.size is not None and ref.size > max_bytes:
        raise too_large(ref, max_bytes)


def check_received(ref: ObjectRef, data: bytes, max_bytes: int) -> bytes:
    if len(data) > max_bytes:
        raise too_large(ref, max_bytes)
    return data


#: What the stores call a write of a result record in their errors.
WRITE = "put"


def error_for_status(
    status: int | None, what: str, ref_id: str, vendor_code: str | None = None
) -> StorageError:
    """404 (and other 4xx) are permanent; 403 is the role's to fix (kept for replay);
    5xx, throttling and no answer are transient. A refused write (`what == WRITE`: no such
    results bucket, a key too long, ...) says nothing about the upload: it is the operator's,
    so the recognized record is kept for replay instead of the upload being rejected."""
    detail = f" ({vendor_code})" if vendor_code else ""
    refused = status is not None and 400 <= status < 500 and status not in (401, 403, 408, 429)
    if what == WRITE and refused:
        return StorageError(
            f"{what}: storage refused the result for object {ref_id} (status {status}){detail}",
            permanent=False,
            operator=True,
            code="storage.write_refused",
        )
    if status == 404:
        return StorageError(
            f"{what}: object {ref_id} not found{detail}", permanent=True, code="storage.not_found"
        )
    if status in (401, 403):
        return StorageError(
            f"{what}: access to object {ref_id} denied{detail}",
            permanent=False,
            operator=True,
            code="storage.denied",
        )
    if status is None or status >= 500 or status in (408, 429):
        return StorageError(
            f"{what}: storage unavailable for object {ref_id} (status {status}){detail}",
            permanent=False,
            code="storage.unavailable",
        )
    return StorageError(
        f"{what}: storage refused object {ref_id} (status {status}){detail}",
        permanent=True,
        code="storage.refused",
    )


def unreachable(service: str, what: str, ref_id: str, error: BaseException) -> StorageError:
    """The store could not be reached (refused, reset, timed out): transient."""
    return StorageError(
        f"{what}: {service} unreachable for object {ref_id} ({type(error).__name__})",
        permanent=False,
        code="storage.unavailable",
    )


def version_params(ref: ObjectRef) -> dict[str, str]:
    """Read exactly the version the event names, when it names one (COS and S3 spelling)."""
    return {"VersionId": ref.version_id} if ref.version_id else {}


def json_bytes(doc: Mapping[str, Any]) -> bytes:
    try:
        return json.dumps(doc, ensure_ascii=False, separators=(",", ":"), default=str).encode()
    except (TypeError, ValueError) as error:
        raise StorageError(
            f"result record is not JSON-serialisable: {type(error).__name__}",
            permanent=True,
            code="storage.bad_record",
        ) from error


# --- the transfer rule -----------------------------------------------------------------------


def reference_kind(ref: ObjectRef, provider: OcrProvider) -> Transfer:
    """How this provider can be handed `ref` without the function reading it: "object",
    "url", or "bytes" when it cannot (another cloud's store, or it takes neither)."""
    vendor = VENDORS[provider.name]  # type: ignore[index]
    if vendor.home_cloud != ref.cloud:
        return "bytes"
    if "object" in vendor.takes:  # no signed URL, no download by anyone but the vendor
        return "object"
    if "url" in vendor.takes and provider.accepts_url:
        return "url"
    return "bytes"


def choose_transfer(ref: ObjectRef, provider: OcrProvider, settings: Settings) -> Transfer:
    """Object, URL or bytes mode for this upload and provider (see the module docstring)."""
    if settings.image_transfer == "bytes":
        return "bytes"
    kind = reference_kind(ref, provider)
    if kind == "bytes" or settings.image_transfer == "url":
        return kind
    if not provider.can_fetch(ref):
        return "bytes"
    if not likely_compliant(ref.size, ref.key, provider.limits):
        return "bytes"
    return kind
