"""The message every topic carries: a CloudEvents 1.0 JSON document (structured mode).

    specversion      "1.0"
    id               uuid5 of type, cloud, bucket, key and version id (else etag): a
                     duplicate delivery of the same object version carries the same id
    source           the bucket as a URI: obs://<bucket>, cos://<name-appid>, s3://<bucket>,
                     file://<bucket> for local runs (region-free: bucket names are unique)
    type             com.passport-ocr.passport.recognized | com.passport-ocr.passport.rejected
    subject          the object key (the object id with `event_object_key=object_id`)
    time             when the outcome was decided (RFC 3339, UTC)
    datacontenttype  application/json
    dataschema       the `$id` of what `data` conforms to, with its version: the record
                     schema (`record.SCHEMA_ID`) for full and masked payloads, else the
                     reference or rejected schema (`payload.py`)
    data             see `payload.py`; a rejected event's data is the object and the error
                     (code, category, message: never personal data)
Extension attributes (strings, for topic filters and log correlation): `objectid` (the
hash in every log line), `objectversion` when known, `payloadmode` and `recordstatus`
(recognized only).
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import datetime, timezone
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from passport_ocr.clouds import CLOUDS
from passport_ocr.errors import PassportOcrError, ProviderError
from passport_ocr.events.base import ObjectRef
from passport_ocr.publishing.payload import (
    REFERENCE_SCHEMA_ID,
    REJECTED_SCHEMA_ID,
    PayloadPolicy,
    choose,
    object_summary,
)
from passport_ocr.record import PassportRecord

SPEC_VERSION: Final = "1.0"
RECOGNIZED: Final = "com.passport-ocr.passport.recognized"
REJECTED: Final = "com.passport-ocr.passport.rejected"
EventType = Literal["com.passport-ocr.passport.recognized", "com.passport-ocr.passport.rejected"]

SOURCE_SCHEMES: Final[dict[str, str]] = {
    name: cloud.storage_scheme for name, cloud in CLOUDS.items()
}
_ID_NAMESPACE: Final = uuid.uuid5(uuid.NAMESPACE_URL, "https://passport-ocr-functions.dev/events")
_CORE_ATTRIBUTES: Final = frozenset(
    {"specversion", "id", "source", "type", "subject", "time", "datacontenttype", "dataschema",
     "data", "data_base64"}
)  # fmt: skip
_EXTENSION_NAME = re.compile(r"^[a-z0-9]{1,20}$")


class CloudEvent(BaseModel):
    """One CloudEvents 1.0 event; `to_json()` is exactly what a topic sends."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    specversion: Literal["1.0"] = SPEC_VERSION
    id: str = Field(min_length=1)
    source: str = Field(min_length=1)
    type: str = Field(min_length=1)
    subject: str | None = None
    time: datetime
    datacontenttype: str = "application/json"
    dataschema: str | None = None
    data: dict[str, Any]
    extensions: dict[str, str] = Field(default_factory=dict)

    @field_validator("time")
    @classmethod
    def _utc_milliseconds(cls, value: datetime) -> datetime:
        # What `to_json` writes, so that an event read back equals the one sent.
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        value = value.astimezone(timezone.utc)
        return value.replace(microsecond=value.microsecond // 1000 * 1000)

    @field_validator("extensions")
    @classmethod
    def _extension_names(cls, value: dict[str, str]) -> dict[str, str]:
        for name in value:
            if not _EXTENSION_NAME.match(name) or name in _CORE_ATTRIBUTES:
                raise ValueError(f"invalid CloudEvents extension attribute name {name!r}")
        return value

    def to_dict(self) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "specversion": self.specversion,
            "id": self.id,
            "source": self.source,
            "type": self.type,
        }
        if self.subject is not None:
            doc["subject"] = self.subject
        doc["time"] = rfc3339(self.time)
        doc["datacontenttype"] = self.datacontenttype
        if self.dataschema is not None:
            doc["dataschema"] = self.dataschema
        doc.update(self.extensions)
        doc["data"] = self.data
        return doc

    def to_json(self) -> str:
        """Compact JSON, non-ASCII kept as UTF-8 (keys and local names stay readable)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":"))

    def size_bytes(self) -> int:
        return len(self.to_json().encode())

    @classmethod
    def from_json(cls, text: str | bytes) -> CloudEvent:
        """Read a structured-mode event back (consumers, tests)."""
        doc = json.loads(text)
        if not isinstance(doc, dict):
            raise TypeError("a CloudEvent is a JSON object")
        core = {name: doc.pop(name) for name in list(doc) if name in _CORE_ATTRIBUTES}
        return cls.model_validate({**core, "extensions": doc})


def rfc3339(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    text = moment.astimezone(timezone.utc).isoformat(timespec="milliseconds")
    return text.replace("+00:00", "Z")


def event_id(event_type: str, ref: ObjectRef) -> str:
    """Stable per (type, object version): duplicates of one delivery share it."""
    name = "\0".join((event_type, ref.cloud, ref.bucket, ref.key, ref.version_tag))
    return str(uuid.uuid5(_ID_NAMESPACE, name))


def source_uri(ref: ObjectRef) -> str:
    return f"{SOURCE_SCHEMES[ref.cloud]}://{ref.bucket}"


def recognized_event(
    ref: ObjectRef,
    record: PassportRecord,
    policy: PayloadPolicy,
    *,
    now: datetime | None = None,
) -> CloudEvent:
    """The `recognized` event, its payload chosen by `policy` and fitted to the topic."""
    moment = now or datetime.now(timezone.utc)
    extensions = _object_extensions(ref) | {"recordstatus": record.status.value}

    def build(data: dict[str, Any], dataschema: str, mode: str) -> CloudEvent:
        return _event(
            RECOGNIZED,
            ref,
            moment,
            data=data,
            dataschema=dataschema,
            extensions=extensions | {"payloadmode": mode},
            hide_key=policy.hide_key,
        )

    def fits(data: dict[str, Any], dataschema: str) -> bool:
        mode = "reference" if dataschema == REFERENCE_SCHEMA_ID else policy.mode
        return build(data, dataschema, mode).size_bytes() <= policy.max_bytes

    payload = choose(ref, record, policy, fits)
    return build(payload.data, payload.dataschema, payload.mode)


def rejected_event(
    ref: ObjectRef,
    error: PassportOcrError,
    *,
    now: datetime | None = None,
    hide_key: bool = False,
) -> CloudEvent:
    """The `rejected` event: the object and why it can never be read. Small by design."""
    moment = now or datetime.now(timezone.utc)
    data = {"object": object_summary(ref, hide_key=hide_key), "error": error_summary(error)}
    return _event(
        REJECTED,
        ref,
        moment,
        data=data,
        dataschema=REJECTED_SCHEMA_ID,
        extensions=_object_extensions(ref),
        hide_key=hide_key,
    )


def error_summary(error: PassportOcrError) -> dict[str, Any]:
    """Code, category and message (messages never carry personal data, see errors.py)."""
    summary: dict[str, Any] = {
        "code": error.code,
        "category": error_category(error),
        "message": error.message,
    }
    if isinstance(error, ProviderError):
        summary |= {
            "vendor": error.vendor,
            "vendor_code": error.vendor_code,
            "request_id": error.request_id,
        }
    return summary


def error_category(error: PassportOcrError) -> str:
    """`bad_image`, `not_a_passport`, ... for vendor errors; else the code's family
    (`image`, `mapping`, `mrz`, `storage`, `event`, ...)."""
    if isinstance(error, ProviderError):
        return error.category.value
    return error.code.split(".", 1)[0]


def _object_extensions(ref: ObjectRef) -> dict[str, str]:
    extensions = {"objectid": ref.object_id}
    version = ref.version_id or ref.etag
    if version:
        extensions["objectversion"] = version
    return extensions


def _event(
    event_type: str,
    ref: ObjectRef,
    moment: datetime,
    *,
    data: dict[str, Any],
    dataschema: str,
    extensions: dict[str, str],
    hide_key: bool = False,
) -> CloudEvent:
    return CloudEvent(
        id=event_id(event_type, ref),
        source=source_uri(ref),
        type=event_type,
        subject=ref.object_id if hide_key else ref.key,
        time=moment,
        dataschema=dataschema,
        data=data,
        extensions=extensions,
    )
