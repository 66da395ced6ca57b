"""What parsing one trigger event yields: objects to process, objects skipped, bad messages.

Every platform parser returns an `EventBatch`. Its items keep the SQS message that carried
them (`message_id`), so a Lambda handler fed by SQS can report exactly the failed messages
back (partial batch failure) and let the others be deleted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any
from urllib.parse import unquote_plus

from pydantic import ValidationError

from passport_ocr.errors import EventError
from passport_ocr.events.base import ObjectRef


class SkipReason(str, Enum):
    """Why an object named by an event is not processed. Logged; never an error."""

    NOT_A_CREATE_EVENT = "not_a_create_event"  # deletes, restores, tier changes, ...
    UNDER_RESULTS_PREFIX = "under_results_prefix"  # our own output: no self-trigger loop
    FOLDER_MARKER = "folder_marker"  # a console "folder": key ending in '/'
    TEST_EVENT = "test_event"  # S3's s3:TestEvent when a notification is configured


@dataclass(frozen=True)
class EventItem:
    """One object to process, and the SQS message that carried it (None: not via SQS)."""

    ref: ObjectRef
    message_id: str | None = None


@dataclass(frozen=True)
class SkippedItem:
    """One record not processed. Log `reason`, `event_name`, `object_id`: never the key."""

    reason: SkipReason
    event_name: str | None = None
    ref: ObjectRef | None = None  # None for records that name no object (test events)
    message_id: str | None = None

    @property
    def object_id(self) -> str | None:
        return self.ref.object_id if self.ref is not None else None


@dataclass(frozen=True)
class InvalidMessage:
    """An SQS message whose body is no event we know (or, in a FunctionGraph or SCF event,
    one malformed record: `message_id` is then "record N"). Report it as failed (-> DLQ)."""

    message_id: str
    error: EventError


@dataclass(frozen=True)
class EventBatch:
    items: tuple[EventItem, ...] = ()
    skipped: tuple[SkippedItem, ...] = ()
    invalid: tuple[InvalidMessage, ...] = ()

    @property
    def refs(self) -> tuple[ObjectRef, ...]:
        return tuple(item.ref for item in self.items)

    def merge(self, other: EventBatch) -> EventBatch:
        return EventBatch(
            self.items + other.items,
            self.skipped + other.skipped,
            self.invalid + other.invalid,
        )

    def failed_message_ids(self, failed: Iterable[EventItem]) -> list[str]:
        """The SQS message ids to report as failed: every invalid message, plus the message
        of every failed item (one message may carry several records), in first-seen order."""
        ids = [bad.message_id for bad in self.invalid]
        ids += [item.message_id for item in failed if item.message_id is not None]
        return list(dict.fromkeys(ids))

    def partial_batch_response(self, failed: Iterable[EventItem]) -> dict[str, Any]:
        """The Lambda SQS answer (`ReportBatchItemFailures`): only these messages are retried."""
        return {
            "batchItemFailures": [
                {"itemIdentifier": message_id} for message_id in self.failed_message_ids(failed)
            ]
        }


def decode_key(raw: str, *, url_encoded: bool) -> str:
    """The object key as stored. S3-style events URL-encode keys (space as '+')."""
    if not isinstance(raw, str) or not raw:
        raise EventError("the event names no object key (expected a non-empty string)")
    if not url_encoded:
        return raw
    try:
        key = unquote_plus(raw, errors="strict")
    except UnicodeDecodeError as exc:
        raise EventError("the object key is not valid URL-encoded UTF-8") from exc
    if not key:
        raise EventError("the object key decodes to an empty string")
    return key


def is_create_event(event_name: str) -> bool:
    """`ObjectCreated:Put`, `s3:ObjectCreated:Post`, `cos:ObjectCreated:*`,
    `OBS:DWR:ObjectCreated:PUT`, EventBridge's `Object Created`."""
    normalized = event_name.replace(" ", "")
    return "ObjectCreated" in normalized.split(":")


def classify(
    ref: ObjectRef,
    *,
    results_prefix: str,
    message_id: str | None = None,
) -> EventItem | SkippedItem:
    """Decide whether `ref` is processed, and if not, why."""
    event_name = ref.event_name
    if event_name is not None and not is_create_event(event_name):
        return SkippedItem(SkipReason.NOT_A_CREATE_EVENT, event_name, ref, message_id)
    if results_prefix and ref.key.startswith(results_prefix):
        return SkippedItem(SkipReason.UNDER_RESULTS_PREFIX, event_name, ref, message_id)
    if ref.key.endswith("/"):
        return SkippedItem(SkipReason.FOLDER_MARKER, event_name, ref, message_id)
    return EventItem(ref, message_id)


def collect(entries: Iterable[EventItem | SkippedItem | InvalidMessage]) -> EventBatch:
    items: list[EventItem] = []
    skipped: list[SkippedItem] = []
    invalid: list[InvalidMessage] = []
    for entry in entries:
        if isinstance(entry, EventItem):
            items.append(entry)
        elif isinstance(entry, SkippedItem):
            skipped.append(entry)
        else:
            invalid.append(entry)
    return EventBatch(tuple(items), tuple(skipped), tuple(invalid))


def per_record(
    records: Sequence[Any],
    entry: Callable[[Any], EventItem | SkippedItem],
    *,
    what: str,
    expected: str,
) -> EventBatch:
    """Each record on its own: a malformed one becomes an `InvalidMessage` ("record N") and
    the good ones of the same event are still processed (the handler then fails the
    invocation, so the bad record reaches the failure destination). An event none of whose
    records can be read is an `EventError`, as any event of no known shape."""
    entries: list[EventItem | SkippedItem | InvalidMessage] = []
    for index, record in enumerate(records):
        try:
            entries.append(entry(record))
        except ValidationError as exc:
            detail = describe_validation_error(exc, prefix=f"Records.{index}")
            error = EventError(f"malformed {what} event ({detail}); {expected}")
            entries.append(InvalidMessage(f"record {index}", error))
        except EventError as exc:
            entries.append(InvalidMessage(f"record {index}", exc))
    batch = collect(entries)
    if batch.invalid and not (batch.items or batch.skipped):
        raise batch.invalid[0].error
    return batch


def describe_validation_error(exc: ValidationError, *, limit: int = 4, prefix: str = "") -> str:
    """Where and how a shape failed, without echoing input values (keys may hold names)."""
    parts = []
    for error in exc.errors(include_input=False, include_url=False)[:limit]:
        location = ".".join(str(part) for part in (prefix, *error["loc"]) if part != "")
        location = location or "(top level)"
        # pydantic's messages name the expectation, never the input value
        parts.append(f"{location}: {error['msg']}")
    more = len(exc.errors()) - limit
    if more > 0:
        parts.append(f"and {more} more")
    return "; ".join(parts)


def not_a_mapping(what: str) -> EventError:
    return EventError(f"{what}: expected a JSON object")
