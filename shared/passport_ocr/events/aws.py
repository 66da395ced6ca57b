"""Lambda: S3 notifications, direct or through SQS, SNS or EventBridge, to `ObjectRef`s.

Shapes, read through Powertools' event source data classes:
- direct S3 notification: `Records[].eventSource == "aws:s3"` (`S3Event`);
- S3 -> SQS: `Records[].eventSource == "aws:sqs"`, each body the S3 JSON (`SQSRecord.
  decoded_nested_s3_event`); S3's `s3:TestEvent` message is skipped;
- S3 -> SNS -> SQS: each SQS body an SNS notification whose `Message` is the S3 JSON
  (`decoded_nested_sns_event`); with raw message delivery the body is the S3 JSON itself;
- S3 -> SNS -> Lambda: `Records[].EventSource == "aws:sns"` (`SNSEvent`);
- S3 -> EventBridge: `source: aws.s3`, `detail-type: Object Created` (
  `S3EventBridgeNotificationEvent`), directly or as an SQS body.

The data classes are lenient wrappers, not validators: that is the point here, because
producers differ in fields we never read (moto, for one, leaves out `userIdentity`). What we
do read is checked, and anything missing becomes an `EventError`.

Keys: S3 URL-encodes them (`red flower.jpg` -> `red+flower.jpg`). `S3Event.object_key`
decodes only the first record, and `record.s3.get_object.key` not at all, so every record's
key goes through `decode_key` (strict UTF-8). EventBridge keys get the same decoding as
Powertools' `S3EventBridgeNotificationObject.key` applies.

A bad SQS message does not fail the batch: it becomes an `InvalidMessage` tied to its
messageId, for the handler to report as a batch item failure (and, in time, the DLQ).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

from aws_lambda_powertools.utilities.data_classes import (
    S3Event,
    S3EventBridgeNotificationEvent,
    SNSEvent,
    SQSEvent,
)
from aws_lambda_powertools.utilities.data_classes.s3_event import S3EventRecord
from aws_lambda_powertools.utilities.data_classes.sns_event import SNSMessage
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from pydantic import TypeAdapter, ValidationError

from passport_ocr.errors import EventError
from passport_ocr.events.base import ObjectRef
from passport_ocr.events.batch import (
    EventBatch,
    EventItem,
    InvalidMessage,
    SkippedItem,
    SkipReason,
    classify,
    collect,
    decode_key,
)

_EXPECTED = (
    "expected an S3 notification (Records[].eventSource 'aws:s3'), an SQS batch of S3 "
    "notifications (Records[].eventSource 'aws:sqs', directly or through SNS), an SNS "
    "notification ('aws:sns') or an S3 EventBridge event (source 'aws.s3')"
)
_S3_TEST_EVENT = "s3:TestEvent"
_EVENTBRIDGE_S3_SOURCE = "aws.s3"
_SHAPE_ERRORS = (KeyError, TypeError, AttributeError, ValueError, ValidationError)
_TIME = TypeAdapter(datetime)

Entry = EventItem | SkippedItem | InvalidMessage


def parse(
    event: Mapping[str, Any], *, results_prefix: str = "results/", key_encoded: bool = True
) -> EventBatch:
    """Every record of a Lambda event carrying S3 notifications, sorted into an `EventBatch`.

    S3 always URL-encodes keys: `key_encoded=False` is a configuration mistake.
    """
    if not key_encoded:
        raise EventError("S3 event keys are always URL-encoded; key_encoded=False is wrong")
    if not isinstance(event, Mapping):
        raise EventError(f"the event is not a JSON object; {_EXPECTED}")
    event = dict(event)
    if event.get("source") == _EVENTBRIDGE_S3_SOURCE and "detail" in event:
        return collect(_eventbridge(event, results_prefix=results_prefix, message_id=None))
    records = event.get("Records")
    if not isinstance(records, list) or not records:
        raise EventError(f"unknown event shape; {_EXPECTED}")
    sources = {_record_source(record) for record in records}
    if sources == {"aws:s3"}:
        return collect(_s3_notification(event, results_prefix=results_prefix, message_id=None))
    if sources == {"aws:sqs"}:
        return collect(_sqs_batch(SQSEvent(event), results_prefix=results_prefix))
    if sources == {"aws:sns"}:
        return collect(_sns_batch(SNSEvent(event), results_prefix=results_prefix))
    raise EventError(f"unknown or mixed record sources; {_EXPECTED}")


def _record_source(record: object) -> str | None:
    if not isinstance(record, Mapping):
        return None
    source = record.get("eventSource", record.get("EventSource"))
    return source if isinstance(source, str) else None


# -- S3 notification JSON ---------------------------------------------------------------


def _s3_notification(
    payload: Mapping[str, Any], *, results_prefix: str, message_id: str | None
) -> Iterator[EventItem | SkippedItem]:
    """The records of one S3 notification document (direct, or an SQS/SNS body)."""
    if payload.get("Event") == _S3_TEST_EVENT:
        yield SkippedItem(SkipReason.TEST_EVENT, _S3_TEST_EVENT, None, message_id)
        return
    records = payload.get("Records")
    if not isinstance(records, list) or not records:
        raise EventError(f"an S3 notification without Records; {_EXPECTED}")
    for record in S3Event(dict(payload)).records:
        try:
            ref = _s3_ref(record)
        except _SHAPE_ERRORS as exc:
            raise EventError(f"malformed S3 record ({type(exc).__name__}); {_EXPECTED}") from exc
        yield classify(ref, results_prefix=results_prefix, message_id=message_id)


def _s3_ref(record: S3EventRecord) -> ObjectRef:
    if record.get("eventSource", "aws:s3") != "aws:s3":
        raise ValueError("not an S3 record")
    obj = record.s3.get_object
    return ObjectRef(
        cloud="aws",
        region=record.get("awsRegion") or None,
        bucket=record.s3.bucket.name,
        key=decode_key(obj.key, url_encoded=True),
        size=obj.get("size"),
        etag=obj.etag.strip('"') or None,
        version_id=_optional_str(obj.version_id),
        sequencer=_optional_str(obj.get("sequencer")),
        event_time=_time(record.get("eventTime")),
        event_name=record.event_name,
    )


# -- EventBridge ----------------------------------------------------------------------


def _eventbridge(
    payload: Mapping[str, Any], *, results_prefix: str, message_id: str | None
) -> Iterator[EventItem | SkippedItem]:
    event = S3EventBridgeNotificationEvent(dict(payload))
    try:
        detail = event.detail
        obj = detail.object
        ref = ObjectRef(
            cloud="aws",
            region=event.get("region") or None,
            bucket=detail.bucket.name,
            key=decode_key(obj["key"], url_encoded=True),
            size=obj.size,
            etag=obj.etag.strip('"') or None,
            version_id=_optional_str(obj.get("version-id")),
            sequencer=_optional_str(obj.get("sequencer")),
            event_time=_time(event.get("time")),
            event_name=event.detail_type,
        )
    except _SHAPE_ERRORS as exc:
        raise EventError(
            f"malformed S3 EventBridge event ({type(exc).__name__}); {_EXPECTED}"
        ) from exc
    yield classify(ref, results_prefix=results_prefix, message_id=message_id)


# -- SQS and SNS ----------------------------------------------------------------------


def _sqs_batch(event: SQSEvent, *, results_prefix: str) -> Iterator[Entry]:
    for record in event.records:
        message_id = record.get("messageId")
        if not isinstance(message_id, str) or not message_id:
            raise EventError(f"an SQS record without a messageId; {_EXPECTED}")
        try:
            # Materialize: a bad record must not leave half of its entries behind.
            yield from list(_sqs_message(record, results_prefix=results_prefix))
        except EventError as exc:
            yield InvalidMessage(message_id, exc)


def _sqs_message(record: SQSRecord, *, results_prefix: str) -> Iterator[EventItem | SkippedItem]:
    message_id = record.message_id
    try:
        body = record.json_body
    except (TypeError, ValueError, KeyError) as exc:
        raise EventError(f"an SQS message body that is not JSON; {_EXPECTED}") from exc
    if not isinstance(body, Mapping):
        raise EventError(f"an SQS message body that is not a JSON object; {_EXPECTED}")
    if body.get("Type") == "Notification" and "Message" in body:
        yield from _sns_message(
            record.decoded_nested_sns_event, results_prefix=results_prefix, message_id=message_id
        )
    elif body.get("source") == _EVENTBRIDGE_S3_SOURCE and "detail" in body:
        yield from _eventbridge(body, results_prefix=results_prefix, message_id=message_id)
    else:  # S3 -> SQS, or S3 -> SNS -> SQS with raw message delivery
        yield from _s3_notification(body, results_prefix=results_prefix, message_id=message_id)


def _sns_batch(event: SNSEvent, *, results_prefix: str) -> Iterator[EventItem | SkippedItem]:
    for record in event.records:
        try:
            message = record.sns
        except _SHAPE_ERRORS as exc:
            raise EventError(f"an SNS record without 'Sns'; {_EXPECTED}") from exc
        yield from _sns_message(message, results_prefix=results_prefix, message_id=None)


def _sns_message(
    message: SNSMessage, *, results_prefix: str, message_id: str | None
) -> Iterator[EventItem | SkippedItem]:
    try:
        payload = json.loads(message.message)
    except _SHAPE_ERRORS as exc:
        raise EventError(f"an SNS Message that is not JSON; {_EXPECTED}") from exc
    if not isinstance(payload, Mapping):
        raise EventError(f"an SNS Message that is not a JSON object; {_EXPECTED}")
    if payload.get("source") == _EVENTBRIDGE_S3_SOURCE and "detail" in payload:
        yield from _eventbridge(payload, results_prefix=results_prefix, message_id=message_id)
    else:
        yield from _s3_notification(payload, results_prefix=results_prefix, message_id=message_id)


# -- small helpers --------------------------------------------------------------------


def _optional_str(value: object) -> str | None:
    # S3 writes versionId "null" for objects put before versioning was enabled.
    if value is None or value in {"", "null"}:
        return None
    if not isinstance(value, str):
        raise TypeError("expected a string")
    return value


def _time(value: object) -> datetime | None:
    if value is None:
        return None
    return _TIME.validate_python(value)
