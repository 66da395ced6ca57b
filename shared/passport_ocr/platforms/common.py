"""What every function runtime does around the pipeline, whatever the cloud.

A handler module builds one `FunctionRuntime` at import (settings validated once per
container). The pipeline is assembled once, at the first invocation, because FunctionGraph
only hands over its project id with a context. Temporary credentials are not baked into
it: every client reads them through `Invocation.context` on each request, so renewed
agency or role credentials are picked up without rebuilding anything.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypedDict

from passport_ocr.coldstart import gc_paused
from passport_ocr.config import Settings
from passport_ocr.events.base import ObjectRef
from passport_ocr.events.batch import EventBatch, EventItem
from passport_ocr.pipeline import OutcomeSummary, Pipeline

log = logging.getLogger("passport_ocr.function")


@dataclass
class Invocation:
    """The platform context of the invocation in progress (one at a time per container)."""

    context: Any = None


PipelineFactory = Callable[[Settings, Invocation], Pipeline]


class InvocationFailedError(RuntimeError):
    """Raised by a handler so that the platform retries the invocation.

    Carries only ids and error codes: it ends up in platform logs and failure destinations.
    """


#: Process one object, return its outcome summary (`Outcome.summary()`): plain JSON, so
#: that an idempotency layer can store and replay it.
ProcessObject = Callable[[ObjectRef], OutcomeSummary]


class BatchSummary(TypedDict):
    """What a FunctionGraph or SCF handler returns (and Lambda's direct S3 invocations)."""

    processed: int
    recognized: int
    rejected: int
    failed: int
    skipped: int
    outcomes: list[OutcomeSummary]


@dataclass
class BatchResult:
    outcomes: list[OutcomeSummary] = field(default_factory=list)
    failed: list[tuple[EventItem, BaseException]] = field(default_factory=list)
    skipped: int = 0

    def summary(self) -> BatchSummary:
        return {
            "processed": len(self.outcomes),
            "recognized": sum(o.get("outcome") == "recognized" for o in self.outcomes),
            "rejected": sum(o.get("outcome") == "rejected" for o in self.outcomes),
            "failed": len(self.failed),
            "skipped": self.skipped,
            "outcomes": self.outcomes,
        }


@dataclass
class FunctionRuntime:
    settings: Settings
    factory: PipelineFactory
    clock: Callable[[], float] = time.monotonic
    invocation: Invocation = field(default_factory=Invocation)
    _pipeline: Pipeline | None = None

    def begin(self, context: Any) -> Pipeline:
        """Start an invocation: remember its context; assemble the pipeline the first time."""
        self.invocation.context = context
        if self._pipeline is None:
            with gc_paused():  # clients are long-lived objects: see coldstart.py
                self._pipeline = self.factory(self.settings, self.invocation)
        return self._pipeline

    def forget_pipeline(self) -> None:
        """Drop the assembled pipeline: the next `begin` builds it, and its clients, again."""
        self._pipeline = None

    def deadline(self, remaining_ms: float | None) -> float | None:
        """A `time.monotonic()` instant: the platform's remaining time minus the margin."""
        if remaining_ms is None:
            return None
        return self.clock() + remaining_ms / 1000 - self.settings.deadline_margin_seconds

    def run(self, batch: EventBatch, process: ProcessObject) -> BatchResult:
        """Process every object; a failure of one does not stop the others."""
        result = BatchResult(skipped=len(batch.skipped))
        for skipped in batch.skipped:
            log.info(
                "record skipped",
                extra={
                    "reason": skipped.reason.value,
                    "event_name": skipped.event_name,
                    "object_id": skipped.object_id,
                },
            )
        for item in batch.items:
            try:
                result.outcomes.append(process(item.ref))
            except Exception as exc:
                log.warning(
                    "upload failed",
                    extra={"object_id": item.ref.object_id, "error": _error_code(exc)},
                )
                result.failed.append((item, exc))
        return result

    def process_with(self, pipeline: Pipeline, deadline: float | None) -> ProcessObject:
        return lambda ref: pipeline.process(ref, deadline=deadline).summary()

    def raise_if_failed(self, result: BatchResult, batch: EventBatch) -> None:
        """Async platforms retry a whole invocation: raise when anything transient failed."""
        if result.failed or batch.invalid:
            codes = sorted({_error_code(exc) for _, exc in result.failed})
            operator = any(getattr(exc, "operator", False) for _, exc in result.failed)
            how = (
                "failed on a setting, credential or account the operator must fix"
                if operator
                else "failed transiently"
            )
            raise InvocationFailedError(
                f"{len(result.failed)} of {len(batch.items)} uploads {how} "
                f"({', '.join(codes) or 'invalid messages'}); the platform will retry"
            ) from None  # the causes were logged by code; their text may echo request data


def _error_code(exc: BaseException) -> str:
    code = getattr(exc, "code", None)
    return code if isinstance(code, str) else type(exc).__name__
