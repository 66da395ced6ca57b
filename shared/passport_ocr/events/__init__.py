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

import importlib
from collections.abc import Mapping
from typing import Any

from passport_ocr.clouds import CLOUDS, FunctionCloud
from passport_ocr.errors import EventError
from passport_ocr.events.base import ObjectRef
from passport_ocr.events.batch import (
    EventBatch,
    EventItem,
    InvalidMessage,
    SkippedItem,
    SkipReason,
)

EventPlatform = FunctionCloud

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
    descriptor = CLOUDS.get(platform)
    if descriptor is None or descriptor.event_parser is None:
        raise EventError(f"no trigger events on platform {platform!r}")
    # Imported only now (see the module doc): each bundle ships its own cloud's parser.
    parser = importlib.import_module(descriptor.event_parser)
    encoded = descriptor.key_encoded if key_encoded is None else key_encoded
    batch: EventBatch = parser.parse(event, results_prefix=results_prefix, key_encoded=encoded)
    return batch
