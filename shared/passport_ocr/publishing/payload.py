"""What a `recognized` event carries: the whole record, a masked one, or a reference.

Modes (setting `PASSPORT_OCR_PAYLOAD`):
- `full`: the `PassportRecord` as is;
- `masked`: the record with the document number (and personal number, optional data)
  and the names partly masked, no MRZ lines or character substitutions (the check-digit
  verdicts stay), and no local-language names. Dates stay: consumers check age and expiry;
- `reference`: the object, status, status rule and findings only; the full record is
  written as JSON to `<results bucket>/<results prefix><key>.<object id>.json` (the same
  path for a duplicate delivery) through the store's `put_json`.

A topic's size limit is never a failure: when the chosen payload does not fit, the event
falls back to `reference` (and, if even that is too large, trims the findings list).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from passport_ocr.events.base import ObjectRef
from passport_ocr.record import SCHEMA_ID, SCHEMA_VERSION, PassportRecord

PayloadMode = Literal["full", "masked", "reference"]

_BASE = SCHEMA_ID.rsplit("/passport-record/", 1)[0]
#: `data` of a reference payload; versioned with the record schema.
REFERENCE_SCHEMA_ID = f"{_BASE}/passport-reference/{SCHEMA_VERSION}"
#: `data` of a `rejected` event.
REJECTED_SCHEMA_ID = f"{_BASE}/passport-rejected/{SCHEMA_VERSION}"


class JsonWriter(Protocol):
    """`ObjectStore.put_json`: write one JSON document to bucket/key."""

    def __call__(self, bucket: str, key: str, doc: Mapping[str, Any], /) -> None: ...


@dataclass(frozen=True)
class PayloadPolicy:
    mode: PayloadMode
    #: The topic's limit for one whole message (the serialized CloudEvent).
    max_bytes: int
    put_json: JsonWriter
    results_prefix: str = "results/"
    #: None: the upload's own bucket (its results prefix is never a trigger: events skip it).
    results_bucket: str | None = None
    #: True: name the upload by its opaque object id only, never by its key.
    hide_key: bool = False


@dataclass(frozen=True)
class Payload:
    """The chosen `data` and what it conforms to."""

    mode: PayloadMode
    data: dict[str, Any]
    dataschema: str
    #: True when the chosen mode did not fit and `reference` was used instead.
    fell_back: bool = False


def object_summary(ref: ObjectRef, *, hide_key: bool = False) -> dict[str, Any]:
    """The uploaded object, as events name it (the key is the user's, as uploaded; with
    `hide_key`, the object id stands in for it)."""
    return {
        "cloud": ref.cloud,
        "region": ref.region,
        "bucket": ref.bucket,
        "key": ref.object_id if hide_key else ref.key,
        "version_id": ref.version_id,
        "etag": ref.etag,
        "size": ref.size,
        "object_id": ref.object_id,
    }


def results_key(ref: ObjectRef, results_prefix: str, *, hide_key: bool = False) -> str:
    """Deterministic per object version, so a duplicate delivery overwrites, never adds."""
    if hide_key:
        return f"{results_prefix}{ref.object_id}.json"
    return f"{results_prefix}{ref.key}.{ref.object_id}.json"


def choose(
    ref: ObjectRef,
    record: PassportRecord,
    policy: PayloadPolicy,
    fits: Callable[[dict[str, Any], str], bool],
) -> Payload:
    """The payload for `record` in `policy.mode`, or its reference when that does not fit.

    `fits(data, dataschema)` says whether the whole message with this `data` is within
    the topic's limit (the caller owns the envelope, so it measures).
    """
    if policy.mode != "reference":
        data = full_data(record) if policy.mode == "full" else masked_data(record)
        if fits(data, SCHEMA_ID):
            return Payload(policy.mode, data, SCHEMA_ID)
    reference = write_reference(ref, record, policy)
    fell_back = policy.mode != "reference"
    findings = reference["findings"]
    # Findings are short, but a pathological record could have hundreds: keep what fits.
    while not fits(reference, REFERENCE_SCHEMA_ID) and findings:
        findings = findings[: len(findings) // 2]
        reference = {**reference, "findings": findings, "findings_truncated": True}
    return Payload("reference", reference, REFERENCE_SCHEMA_ID, fell_back)


def full_data(record: PassportRecord) -> dict[str, Any]:
    return record.model_dump(mode="json")


def masked_data(record: PassportRecord) -> dict[str, Any]:
    return mask_record(record).model_dump(mode="json")


def write_reference(
    ref: ObjectRef, record: PassportRecord, policy: PayloadPolicy
) -> dict[str, Any]:
    """Store the full record beside the upload and return the data pointing at it."""
    bucket = policy.results_bucket or ref.bucket
    key = results_key(ref, policy.results_prefix, hide_key=policy.hide_key)
    policy.put_json(bucket, key, full_data(record))
    return {
        "object": object_summary(ref, hide_key=policy.hide_key),
        "status": record.status.value,
        "status_rule": record.status_rule,
        "findings": [finding.model_dump(mode="json") for finding in record.findings],
        "record": {"cloud": ref.cloud, "bucket": bucket, "key": key, "dataschema": SCHEMA_ID},
    }


# -- masking ----------------------------------------------------------------------------


def mask_record(record: PassportRecord) -> PassportRecord:
    """The record with identifiers and names partly hidden and no MRZ lines."""
    update: dict[str, Any] = {
        "document_number": mask_identifier(record.document_number),
        "personal_number": mask_identifier(record.personal_number),
        "optional_data": mask_identifier(record.optional_data),
        "surname": mask_name(record.surname),
        "given_names": mask_name(record.given_names),
        "signature": None,
    }
    if record.mrz is not None:
        update["mrz"] = record.mrz.model_copy(
            update={"lines_read": (), "lines": (), "substitutions": ()}
        )
    if record.local is not None:
        update["local"] = record.local.model_copy(
            update={"name": None, "surname": None, "given_names": None}
        )
    return record.model_copy(update=update)


def mask_identifier(value: str | None, *, keep: int = 3) -> str | None:
    """`E12345678` -> `******678`: enough to tell documents apart, not to use one."""
    if not value:
        return value
    shown = keep if len(value) > keep + 2 else min(1, len(value) - 1)
    hidden = len(value) - shown
    return "*" * hidden + value[hidden:]


_NAME_PART = re.compile(r"[^\s\-'’]+")


def mask_name(value: str | None) -> str | None:
    """`ZHANG SAN-FENG` -> `Z**** S**-F***`: initials only, separators kept."""
    if not value:
        return value
    return _NAME_PART.sub(lambda match: match.group()[0] + "*" * (len(match.group()) - 1), value)
