"""Trigger event parsing: every platform's upload notification to `ObjectRef`s.

`parse_event(platform, event)` is pure (no I/O) and returns an `EventBatch`: the objects to
process (each tied to its SQS message when it came through SQS), the records skipped and
why (deletes, our own results, folder markers, S3 test events), and SQS messages that are
no event at all. An event of no known shape raises `EventError` saying what was expected.

Key encoding per platform (decided once, here):
- aws: always URL-encoded (S3 documents it; moto does the same) -> `unquote_plus`.
- huaweicloud: URL-encoded by default (OBS follows S3; EventGrid with `Key_encode` on).
- tencentcloud: raw by default (COS trigger keys are not URL-encoded).
`key_encoded` overrides the default for huaweicloud and tencentcloud.

The AWS parser imports Powertools, so it is imported only when asked for: the Huawei and
Tencent bundles do not ship it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from passport_ocr.errors import EventError
from passport_ocr.events.base import ObjectRef
from passport_ocr.events.batch import (
    EventBatch,
    EventItem,
    InvalidMessage,
    SkippedItem,
    SkipReason,
)

EventPlatform = Literal["huaweicloud", "tencentcloud", "aws"]

__all__ = [
    "EventBatch",
    "EventItem",
    "EventPlatform",
    "InvalidMessage",
    "ObjectRef",
    "SkipReason",
    "SkippedItem",
    "parse_event",
]


def parse_event(
    platform: EventPlatform,
    event: Mapping[str, Any],
    *,
    results_prefix: str = "results/",
    key_encoded: bool | None = None,
) -> EventBatch:
    """Every record of `event`, as the `platform`'s trigger delivers it, sorted into a batch."""
    if platform == "huaweicloud":
        from passport_ocr.events import huaweicloud  # noqa: PLC0415 (see module doc)

        return huaweicloud.parse(
            event,
            results_prefix=results_prefix,
            key_encoded=True if key_encoded is None else key_encoded,
        )
    if platform == "tencentcloud":
        from passport_ocr.events import tencentcloud  # noqa: PLC0415 (see module doc)

        return tencentcloud.parse(
            event,
            results_prefix=results_prefix,
            key_encoded=False if key_encoded is None else key_encoded,
        )
    if platform == "aws":
        if key_encoded is False:
            raise EventError("S3 event keys are always URL-encoded; key_encoded=False is wrong")
        from passport_ocr.events import aws  # noqa: PLC0415 (see module doc)

        return aws.parse(event, results_prefix=results_prefix)
    raise EventError(f"no trigger events on platform {platform!r}")
