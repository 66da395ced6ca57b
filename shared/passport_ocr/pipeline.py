"""One upload in, exactly one outcome out: the product's error policy in code.

    ObjectRef -> image (signed URL, or fetched bytes through preflight) -> provider
              -> mapper -> record -> CloudEvent -> topic

Every upload ends in one of three ways (README, "How an upload is processed"):
- `recognized`: a record was made (whatever its status) and published;
- `rejected`: the input can never succeed (not an image, not a passport, vendor says the
  image is unusable, malformed vendor answer) and a `rejected` event was published;
- an exception: something transient failed (throttling, timeouts, 5xx, the topic itself);
  the platform retries the upload and finally routes it to its failure destination.
Permanent errors never trigger retries; transient ones never publish `rejected`.

URL and object mode (`storage.base.choose_transfer`) skip the preflight, so they cannot see
pixel size, EXIF rotation or a wrong suffix. When the vendor says it could not read or use
what it was pointed at, the upload is tried once more in bytes mode (fetched, prepared)
before any verdict: then the function's own read tells a missing object (rejected) from a
denied one (the operator's), and the preflight converts what the vendor refused.

With an `AnswerKeeper` (`answers.py`), a failure after a successful OCR call keeps the
vendor's answer, and the retry publishes from it without a second billed call.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal, TypedDict

from passport_ocr import images, mapping, portraits
from passport_ocr.answers import AnswerKeeper, KeptAnswer
from passport_ocr.config import Settings
from passport_ocr.errors import (
    UPLOAD_CATEGORIES,
    ConfigError,
    PassportOcrError,
    ProviderCategory,
    ProviderError,
    StorageError,
)
from passport_ocr.events.base import ObjectRef
from passport_ocr.policy import DocumentPolicy
from passport_ocr.providers.base import ImageInput, OcrProvider, VendorAnswer
from passport_ocr.publishing.base import Topic
from passport_ocr.publishing.envelope import CloudEvent, recognized_event, rejected_event
from passport_ocr.publishing.payload import PayloadPolicy
from passport_ocr.record import Finding, PassportRecord, PortraitRef
from passport_ocr.storage.base import DEFAULT_URL_EXPIRY_S, ObjectStore, Transfer, choose_transfer
from passport_ocr.vendors import VENDORS

log = logging.getLogger(__name__)

#: The largest upload any provider can take after conversion: bigger ones are refused
#: without being downloaded whole (the stores read one byte past it, at most).
MAX_UPLOAD_BYTES = images.MAX_SOURCE_BYTES
#: Signed URLs live just long enough for the vendor to download the image.
SIGNED_URL_SECONDS = DEFAULT_URL_EXPIRY_S

#: URL- and object-mode failures that bytes mode can cure: the vendor could not read what
#: it was pointed at, or could not use it as it was (those modes skip the preflight: pixel
#: size, EXIF rotation and format are unknown to them). Not `not_a_passport`: the vendor
#: read the image, and bytes mode would show it the same picture.
_URL_CURABLE = (UPLOAD_CATEGORIES - {ProviderCategory.NOT_A_PASSPORT}) | {ProviderCategory.NETWORK}


def bytes_may_cure(error: ProviderError) -> bool:
    """Is this URL- or object-mode failure worth one more call with the fetched, prepared
    bytes?

    Only the vendor's own verdicts (they carry a vendor code): our own connection failures
    to the vendor are `network` too, but bytes mode would not reach it any better.
    """
    return error.vendor_code is not None and error.category in _URL_CURABLE


class OutcomeSummary(TypedDict):
    """An upload's outcome as handlers return, log and replay it: ids, codes and timings,
    never personal data."""

    object_id: str
    outcome: Literal["recognized", "rejected"]
    status: str | None
    status_rule: str | None
    findings: list[str]
    error: str | None
    event_id: str
    message_id: str
    transfer: Transfer | None
    ocr_attempts: int
    #: The vendor's answer came from an earlier delivery that failed after its OCR call.
    answer_reused: bool
    timings_ms: dict[str, float]


@dataclass(frozen=True, kw_only=True)
class Outcome:
    ref: ObjectRef
    kind: Literal["recognized", "rejected"]
    event: CloudEvent
    message_id: str
    record: PassportRecord | None = None
    error: PassportOcrError | None = None
    transfer: Transfer | None = None
    ocr_attempts: int = 0
    answer_reused: bool = False
    timings_ms: dict[str, float] = field(default_factory=dict)

    def summary(self) -> OutcomeSummary:
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
            "answer_reused": self.answer_reused,
            "timings_ms": self.timings_ms,
        }


@dataclass
class _Progress:
    """What `process` learns along the way, kept when an error cuts it short."""

    transfer: Transfer | None = None
    attempts: int = 0
    #: The vendor's answer, once there is one: kept for the retry if a later step fails.
    answer: KeptAnswer | None = None
    reused: bool = False


def _log_retried(ref: ObjectRef, exc: PassportOcrError) -> None:
    """A failure the platform retries, said for what it is: transient, or the operator's."""
    extra = {"object_id": ref.object_id, "error": exc.code, **_vendor_fields(exc)}
    if isinstance(exc, ConfigError):  # names the setting or credential, never request data
        extra["reason"] = str(exc)
    if exc.operator:
        log.error(
            "upload failed on a setting, credential or account the operator must fix; "
            "the platform will retry, and a replay after the fix processes it",
            extra=extra,
        )
    else:
        log.warning("upload failed transiently; the platform will retry", extra=extra)


def _vendor_fields(error: PassportOcrError) -> dict[str, Any]:
    return error.log_fields() if isinstance(error, ProviderError) else {}


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
    #: Keeps vendor answers for retries after a later failure; None: a retry calls again.
    answers: AnswerKeeper | None = None
    today: Callable[[], date] = date.today
    clock: Callable[[], float] = time.monotonic

    def process(self, ref: ObjectRef, *, deadline: float | None = None) -> Outcome:
        """Recognize one object and publish the outcome; raise when it is transient."""
        state = _Progress()
        try:
            outcome = self._process(ref, deadline, state)
        except Exception:
            if self.answers is not None and state.answer is not None and not state.reused:
                self.answers.keep(ref, state.answer)
            raise
        if self.answers is not None and state.reused:
            self.answers.forget(ref)
        return outcome

    def _process(self, ref: ObjectRef, deadline: float | None, state: _Progress) -> Outcome:
        watch = _Stopwatch(self.clock)
        try:
            answer, preflight = self._recognize(ref, deadline, watch, state)
            portrait, noted = self._portrait(ref, answer)
            record = self._to_record(answer, (*preflight, *noted))
            if portrait is not None:
                record = record.model_copy(update={"portrait": portrait})
            event = recognized_event(ref, record, self._payload_policy())
            kind: Literal["recognized", "rejected"] = "recognized"
            error: PassportOcrError | None = None
        except PassportOcrError as exc:
            if not exc.permanent:
                _log_retried(ref, exc)
                raise
            record, error, kind = None, exc, "rejected"
            event = rejected_event(ref, exc, hide_key=self._hide_key)
        watch.lap("map")
        message_id = self.topic.publish(event)
        watch.lap("publish")
        if kind == "recognized" and self.settings.delete_after == "recognized":
            self._delete_scan(ref)
        outcome = Outcome(
            ref=ref,
            kind=kind,
            event=event,
            message_id=message_id,
            record=record,
            error=error,
            transfer=state.transfer,
            ocr_attempts=state.attempts,
            answer_reused=state.reused,
            timings_ms=watch.laps,
        )
        log.info("upload processed", extra=dict(outcome.summary()))
        return outcome

    def _recognize(
        self, ref: ObjectRef, deadline: float | None, watch: _Stopwatch, state: _Progress
    ) -> tuple[VendorAnswer, tuple[Finding, ...]]:
        """Image to the provider, by reference first when the transfer rule says so (an
        object reference, or a signed URL), then bytes; or the answer an earlier delivery
        kept."""
        kept = self.answers.recall(ref) if self.answers is not None else None
        if kept is not None:
            state.transfer, state.answer, state.reused = kept.transfer, kept, True
            log.info(
                "ocr answer reused from an earlier delivery", extra={"object_id": ref.object_id}
            )
            return kept.answer, kept.preflight
        state.transfer = choose_transfer(ref, self.provider, self.settings)
        if state.transfer != "bytes":
            reference = self._reference(ref, state.transfer)
            watch.lap("prepare")
            try:
                answer = self.provider.recognize(reference, deadline=deadline)
            except ProviderError as exc:
                state.attempts += 1  # at least; a failed call does not say how many
                if not bytes_may_cure(exc):
                    raise
                log.info(
                    "ocr could not use the reference; sending the bytes instead",
                    extra={
                        "object_id": ref.object_id,
                        "transfer": state.transfer,
                        **exc.log_fields(),
                    },
                )
                state.transfer = "bytes"
            else:
                state.attempts += answer.attempts
                state.answer = KeptAnswer(answer=answer, transfer=state.transfer)
                watch.lap("ocr")
                return answer, ()
        prepared = self._prepared(ref)
        watch.lap("prepare")
        answer = self.provider.recognize(ImageInput(image=prepared), deadline=deadline)
        state.attempts += answer.attempts
        state.answer = KeptAnswer(answer=answer, transfer="bytes", preflight=prepared.findings)
        watch.lap("ocr")
        return answer, prepared.findings

    def _reference(self, ref: ObjectRef, transfer: Transfer) -> ImageInput:
        """The object itself (the vendor reads it), or a signed URL of it: never its bytes."""
        if transfer == "object":
            return ImageInput(object=ref)
        return ImageInput(url=self.store.signed_url(ref, SIGNED_URL_SECONDS))

    def _prepared(self, ref: ObjectRef) -> images.PreparedImage:
        data = self.store.fetch(ref, MAX_UPLOAD_BYTES)
        budget = self.settings.preflight_memory_mb * 1024 * 1024
        return images.prepare(data, self.provider.limits, memory_budget=budget)

    def _to_record(self, answer: VendorAnswer, preflight: tuple[Finding, ...]) -> PassportRecord:
        return mapping.to_record(
            answer.format,
            answer.raw,
            today=self.today(),
            request_id=answer.request_id,
            extra_findings=preflight,
            policy=self._document_policy,
        )

    def _portrait(
        self, ref: ObjectRef, answer: VendorAnswer
    ) -> tuple[PortraitRef | None, tuple[Finding, ...]]:
        """Store the portrait the provider was asked for (`PASSPORT_OCR_PORTRAIT=store`), or
        say why there is none. A failed write raises: the retry stores it (the kept answer
        holds it) rather than publishing a record without it."""
        if self.settings.portrait != "store":
            return None, ()
        vendor = self.provider.name
        if not any(known.name == vendor and known.portrait for known in VENDORS.values()):
            return None, (portraits.finding("not_offered", vendor),)
        if answer.portrait is None:
            return None, (portraits.finding("not_found", vendor),)
        picture = portraits.inspect(answer.portrait)
        if picture is None:
            return None, (portraits.finding("unreadable", vendor),)
        stored = portraits.store(
            picture,
            ref,
            bucket=self.settings.results_bucket or ref.bucket,
            results_prefix=self.settings.results_prefix,
            put_bytes=(self.results_store or self.store).put_bytes,
            origin="page_layout" if vendor == "local" else "vendor",
        )
        return stored, ()

    @property
    def _document_policy(self) -> DocumentPolicy:
        settings = self.settings
        return DocumentPolicy(
            min_validity_days=settings.min_validity_days,
            min_age_years=settings.min_age_years,
            check_date=settings.check_date,
            severity=settings.policy_severity,
            expired_severity=settings.expired_severity,
        )

    def _delete_scan(self, ref: ObjectRef) -> None:
        """The record is published: the scan may go. A failure keeps it for the retention
        rule to delete, and is logged, never raised (a retry would publish again)."""
        try:
            self.store.delete(ref)
        except StorageError as error:
            log.warning(
                "scan not deleted after its record; the retention rule will delete it",
                extra={"object_id": ref.object_id, "error": error.code},
            )

    def _payload_policy(self) -> PayloadPolicy:
        return PayloadPolicy(
            mode=self.settings.payload,
            max_bytes=self.topic.max_bytes,
            results_prefix=self.settings.results_prefix,
            results_bucket=self.settings.results_bucket,
            put_json=(self.results_store or self.store).put_json,
            hide_key=self._hide_key,
        )

    @property
    def _hide_key(self) -> bool:
        return self.settings.event_object_key == "object_id"
