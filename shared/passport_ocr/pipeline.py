"""One upload in, exactly one outcome out: the product's error policy in code.

    ObjectRef -> image (signed URL, or fetched bytes through preflight) -> provider
              -> mapper -> record -> CloudEvent -> topic

Every upload ends in one of three ways (architecture.md, "Error policy"):
- `recognized`: a record was made (whatever its status) and published;
- `rejected`: the input can never succeed (not an image, not a passport, vendor says the
  image is unusable, malformed vendor answer) and a `rejected` event was published;
- an exception: something transient failed (throttling, timeouts, 5xx, the topic itself);
  the platform retries the upload and finally routes it to its failure destination.
Permanent errors never trigger retries; transient ones never publish `rejected`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal, Protocol

from passport_ocr import images, mapping
from passport_ocr.config import Settings
from passport_ocr.errors import PassportOcrError
from passport_ocr.events.base import ObjectRef
from passport_ocr.providers.base import ImageInput, OcrProvider, VendorAnswer
from passport_ocr.publishing.envelope import CloudEvent, recognized_event, rejected_event
from passport_ocr.publishing.payload import PayloadPolicy
from passport_ocr.record import Finding, PassportRecord
from passport_ocr.storage.base import ObjectStore, choose_transfer

log = logging.getLogger(__name__)

#: The largest upload any provider can take after conversion: bigger ones are not fetched.
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
#: Signed URLs live just long enough for the vendor to download the image.
SIGNED_URL_SECONDS = 300


class Topic(Protocol):
    max_bytes: int

    def publish(self, event: CloudEvent) -> str: ...


@dataclass(frozen=True)
class Outcome:
    ref: ObjectRef
    kind: Literal["recognized", "rejected"]
    event: CloudEvent
    message_id: str
    record: PassportRecord | None = None
    error: PassportOcrError | None = None
    transfer: Literal["url", "bytes"] | None = None
    ocr_attempts: int = 0
    timings_ms: dict[str, float] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        """What a handler returns and logs: ids, codes and timings, no personal data."""
        return {
            "object_id": self.ref.object_id,
            "outcome": self.kind,
            "status": self.record.status.value if self.record else None,
            "status_rule": self.record.status_rule if self.record else None,
            "findings": self.record.finding_codes() if self.record else [],
            "error": self.error.code if self.error else None,
            "event_id": self.event.id,
            "message_id": self.message_id,
            "transfer": self.transfer,
            "ocr_attempts": self.ocr_attempts,
            "timings_ms": self.timings_ms,
        }


class _Stopwatch:
    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._last = clock()
        self.laps: dict[str, float] = {}

    def lap(self, name: str) -> None:
        now = self._clock()
        self.laps[name] = round((now - self._last) * 1000, 2)
        self._last = now


@dataclass
class Pipeline:
    """Assembled once per container; `process` is called once per object."""

    settings: Settings
    store: ObjectStore
    provider: OcrProvider
    topic: Topic
    #: Where `reference` payloads put full records (default: the upload's own store).
    results_store: ObjectStore | None = None
    today: Callable[[], date] = date.today
    clock: Callable[[], float] = time.monotonic

    def process(self, ref: ObjectRef, *, deadline: float | None = None) -> Outcome:
        watch = _Stopwatch(self.clock)
        transfer: Literal["url", "bytes"] | None = None
        attempts = 0
        try:
            transfer = choose_transfer(ref, self.provider, self.settings)
            image, preflight = self._image_for(ref, transfer)
            watch.lap("prepare")
            answer = self.provider.recognize(image, deadline=deadline)
            attempts = answer.attempts
            watch.lap("ocr")
            record = self._to_record(answer, preflight)
            event = recognized_event(ref, record, self._payload_policy())
            kind: Literal["recognized", "rejected"] = "recognized"
            error: PassportOcrError | None = None
        except PassportOcrError as exc:
            if not exc.permanent:
                log.warning(
                    "upload failed transiently; the platform will retry",
                    extra={"object_id": ref.object_id, "error": exc.code},
                )
                raise
            record, error, kind = None, exc, "rejected"
            event = rejected_event(ref, exc)
        watch.lap("map")
        message_id = self.topic.publish(event)
        watch.lap("publish")
        outcome = Outcome(
            ref, kind, event, message_id, record, error, transfer, attempts, watch.laps
        )
        log.info("upload processed", extra=outcome.summary())
        return outcome

    def _image_for(
        self, ref: ObjectRef, transfer: Literal["url", "bytes"]
    ) -> tuple[ImageInput, tuple[Finding, ...]]:
        if transfer == "url":
            return ImageInput(url=self.store.signed_url(ref, SIGNED_URL_SECONDS)), ()
        data = self.store.fetch(ref, MAX_UPLOAD_BYTES)
        prepared = images.prepare(data, self.provider.limits)
        return ImageInput(image=prepared), prepared.findings

    def _to_record(self, answer: VendorAnswer, preflight: tuple[Finding, ...]) -> PassportRecord:
        return mapping.to_record(
            answer.format,
            answer.raw,
            today=self.today(),
            request_id=answer.request_id,
            extra_findings=preflight,
        )

    def _payload_policy(self) -> PayloadPolicy:
        return PayloadPolicy(
            mode=self.settings.payload,
            max_bytes=self.topic.max_bytes,
            results_prefix=self.settings.results_prefix,
            results_bucket=self.settings.results_bucket,
            put_json=(self.results_store or self.store).put_json,
        )
