"""FunctionGraph: OBS trigger events (both shapes) and EventGrid CloudEvents, to `ObjectRef`s.

Shapes (FunctionGraph's OBS and EventGrid trigger documents,
https://support.huaweicloud.com/intl/en-us/my-kualalumpur-1-devg-functiongraph/functiongraph_02_0102.html):
- classic OBS trigger, native body: `Records[].obs{bucket, object}` with `eventRegion`;
- classic OBS trigger, S3-compatible body (Open Telekom Cloud, older samples):
  `Records[].s3{bucket, object}` with `awsRegion`;
- EventGrid trigger: a CloudEvents 1.0 envelope, `source: HC.OBS.DWR`, one native record
  under `data` (defensively also a list of them, or that JSON as a string).

Key encoding: OBS follows S3 and URL-encodes keys in trigger events (Huawei's own sample
decodes with `unquote_plus`); an EventGrid trigger does so when its `Key_encode` option is
on, which is how `infra/` creates it. `key_encoded=False` is for a trigger with it off.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from passport_ocr.errors import EventError
from passport_ocr.events.base import ObjectRef
from passport_ocr.events.batch import (
    EventBatch,
    EventItem,
    SkippedItem,
    classify,
    decode_key,
    describe_validation_error,
    per_record,
)

EVENTGRID_OBS_SOURCE = "HC.OBS.DWR"
_EXPECTED = (
    "expected a FunctionGraph OBS trigger event (Records[] with an 'obs' or 's3' body) "
    f"or an EventGrid CloudEvent with source {EVENTGRID_OBS_SOURCE!r} and the record under 'data'"
)


class _Lenient(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True, coerce_numbers_to_str=True)


class _ObsObject(_Lenient):
    key: str = Field(min_length=1)
    etag: str | None = Field(default=None, alias="eTag")
    size: int | None = Field(default=None, ge=0)
    version_id: str | None = Field(default=None, alias="versionId")
    sequencer: str | None = None


class _ObsBucket(_Lenient):
    name: str = Field(min_length=1)


class _ObsBody(_Lenient):
    bucket: _ObsBucket
    object_: _ObsObject = Field(alias="object")


class _ObsRecord(_Lenient):
    event_name: str = Field(alias="eventName")
    event_time: datetime | None = Field(default=None, alias="eventTime")
    event_region: str | None = Field(default=None, alias="eventRegion")
    aws_region: str | None = Field(default=None, alias="awsRegion")
    obs: _ObsBody | None = None
    s3: _ObsBody | None = None

    @model_validator(mode="after")
    def _one_body(self) -> _ObsRecord:
        if self.obs is None and self.s3 is None:
            raise ValueError("a record needs an 'obs' or an 's3' body")
        return self

    @property
    def body(self) -> _ObsBody:
        body = self.obs if self.obs is not None else self.s3
        assert body is not None  # guaranteed by _one_body
        return body


class _ObsEvent(_Lenient):
    # Records stay raw here: each is read on its own (`per_record`).
    records: list[dict[str, Any]] = Field(alias="Records", min_length=1)


class _EventGridEvent(_Lenient):
    specversion: str
    source: str
    type: str
    data: list[dict[str, Any]] | dict[str, Any]


def parse(
    event: Mapping[str, Any],
    *,
    results_prefix: str = "results/",
    key_encoded: bool = True,
) -> EventBatch:
    """Every record of a FunctionGraph OBS or EventGrid event, sorted into an `EventBatch`."""
    if not isinstance(event, Mapping):
        raise EventError(f"the event is not a JSON object; {_EXPECTED}")
    try:
        if "Records" in event:
            records = _ObsEvent.model_validate(event).records
        elif "specversion" in event:
            records = _eventgrid_records(event)
        else:
            raise EventError(f"unknown event shape; {_EXPECTED}")
    except ValidationError as exc:
        raise EventError(
            f"malformed OBS event ({describe_validation_error(exc)}); {_EXPECTED}"
        ) from exc
    return per_record(
        records,
        lambda record: _classified(
            _ObsRecord.model_validate(record),
            results_prefix=results_prefix,
            key_encoded=key_encoded,
        ),
        what="OBS",
        expected=_EXPECTED,
    )


def _eventgrid_records(event: Mapping[str, Any]) -> list[dict[str, Any]]:
    data = event.get("data")
    if isinstance(data, str):  # some channels deliver `data` as a JSON string
        try:
            event = {**event, "data": json.loads(data)}
        except ValueError as exc:
            raise EventError(f"EventGrid 'data' is a string but not JSON; {_EXPECTED}") from exc
    envelope = _EventGridEvent.model_validate(event)
    if envelope.source != EVENTGRID_OBS_SOURCE:
        raise EventError(f"EventGrid event from an unexpected source; {_EXPECTED}")
    records = envelope.data if isinstance(envelope.data, list) else [envelope.data]
    if not records:
        raise EventError(f"EventGrid event without a record; {_EXPECTED}")
    return records


def _classified(
    record: _ObsRecord, *, results_prefix: str, key_encoded: bool
) -> EventItem | SkippedItem:
    body = record.body
    obj = body.object_
    ref = ObjectRef(
        cloud="huaweicloud",
        region=record.event_region or record.aws_region or None,
        bucket=body.bucket.name,
        key=decode_key(obj.key, url_encoded=key_encoded),
        size=obj.size,
        etag=_unquote_etag(obj.etag),
        version_id=obj.version_id or None,
        sequencer=obj.sequencer or None,
        event_time=record.event_time,
        event_name=record.event_name,
    )
    return classify(ref, results_prefix=results_prefix)


def _unquote_etag(etag: str | None) -> str | None:
    return etag.strip('"') or None if etag else None
