"""Run many objects through the functions' own pipeline on this machine.

Each object goes through exactly what a function does (`Pipeline.process`: fetch,
preflight, provider, mapper, validation, CloudEvent), with a topic that discards the
event: the command line keeps the outcome itself (record or error) as the result.

Concurrency is a bounded thread pool (OCR calls are I/O for cloud vendors; the offline
engine releases the GIL in ONNX Runtime), fed lazily from the listing so that only a few
objects per worker are in flight. Operator errors (missing or wrong credentials, service
not subscribed, arrears) stop the run at once: every other object would fail the same way.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sized
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from passport_ocr.config import ProviderName, Settings, load_settings
from passport_ocr.errors import ConfigError, PassportOcrError
from passport_ocr.events.base import ObjectRef
from passport_ocr.pipeline import Outcome, Pipeline
from passport_ocr.providers.base import OcrProvider
from passport_ocr.publishing.envelope import CloudEvent
from passport_ocr.publishing.sinks import LOCAL_MAX_BYTES
from passport_ocr.storage.base import ObjectStore
from passport_ocr.tools.batch.results import ItemResult, ResultWriter, StoredResult
from passport_ocr.tools.words import counted

ProcessFn = Callable[[ObjectRef], Outcome]


#: Provider failures that are the operator's to fix: retrying other objects cannot help.
class DiscardTopic:
    """The pipeline always publishes; on the command line the outcome is the result."""

    max_bytes = LOCAL_MAX_BYTES

    def publish(self, event: CloudEvent) -> str:
        return event.id


def cli_settings(provider: ProviderName, environ: Mapping[str, str] | None = None) -> Settings:
    """Settings from PASSPORT_OCR_* variables, with the provider the command asked for."""
    settings = load_settings(dict(os.environ if environ is None else environ))
    return settings.model_copy(update={"provider": provider, "payload": "full"})


def build_cli_provider(settings: Settings) -> OcrProvider:
    """The provider, made ready: a missing extra or credential is one clear error now,
    not the same rejection for every file."""
    from passport_ocr.providers.factory import build_provider  # noqa: PLC0415

    provider = build_provider(settings, "local")
    provider.warm_up()  # loads the offline engine's models, or says why not
    return provider


def cli_pipeline(
    settings: Settings,
    store: ObjectStore,
    provider: OcrProvider,
    *,
    today: date | None = None,
) -> Pipeline:
    pipeline = Pipeline(settings=settings, store=store, provider=provider, topic=DiscardTopic())
    if today is not None:
        pipeline.today = lambda: today
    return pipeline


def process_one(process: ProcessFn, ref: ObjectRef, source: str) -> ItemResult:
    """One object's result; transient failures become `failed` (operator errors raise)."""
    try:
        outcome = process(ref)
    except PassportOcrError as error:
        if error.operator:  # stop the batch: every other object would fail the same way
            raise
        return ItemResult(source, ref.key, "failed", error=error)
    except Exception as error:  # an SDK's surprise must not end a long batch
        return ItemResult(source, ref.key, "failed", error=error)
    return ItemResult(source, ref.key, outcome.kind, outcome=outcome)


@dataclass(frozen=True)
class Unfinished:
    """An object of the batch without a record: rejected (kept) or failed (tried again)."""

    source: str
    key: str
    error_code: str | None


#: Keys the text summary lists per kind; the JSON summary lists them all.
LISTED_KEYS = 20


@dataclass
class Summary:
    """What a batch did: this run's counts by outcome, record status, finding and error
    code; and the whole batch's state, this run with the results earlier runs left."""

    outcomes: Counter[str] = field(default_factory=Counter)
    statuses: Counter[str] = field(default_factory=Counter)
    findings: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    skipped: int = 0
    elapsed_s: float = 0.0
    aborted: str | None = None
    #: Objects the batch holds (listed and selected), when known before the run.
    listed: int | None = None
    batch_outcomes: Counter[str] = field(default_factory=Counter)
    batch_statuses: Counter[str] = field(default_factory=Counter)
    rejected: list[Unfinished] = field(default_factory=list)
    failed: list[Unfinished] = field(default_factory=list)

    @property
    def processed(self) -> int:
        return sum(self.outcomes.values())

    @property
    def throughput(self) -> float:
        return self.processed / self.elapsed_s if self.elapsed_s > 0 else 0.0

    @property
    def not_read(self) -> int:
        """Objects of the batch this run did not reach (stopped early)."""
        if self.listed is None:
            return 0
        return max(0, self.listed - sum(self.batch_outcomes.values()))

    @property
    def clean(self) -> bool:
        """Every object of the batch has a record (none rejected, failed or left unread)."""
        return not self.rejected and not self.failed and self.not_read == 0

    def add(self, result: ItemResult) -> None:
        self.outcomes[result.kind] += 1
        if result.status:
            self.statuses[result.status] += 1
        self.findings.update(result.finding_codes)
        if result.error_code:
            self.errors[result.error_code] += 1
        self._count_in_batch(result.source, result.key, result.kind, result.status,
                             result.error_code)  # fmt: skip

    def add_earlier(self, source: str, key: str, earlier: StoredResult) -> None:
        """An object skipped because an earlier run left its result: counted in the batch."""
        self.skipped += 1
        self._count_in_batch(source, key, earlier.kind, earlier.status, earlier.error_code)

    def _count_in_batch(
        self, source: str, key: str, kind: str, status: str | None, error_code: str | None
    ) -> None:
        self.batch_outcomes[kind] += 1
        if status:
            self.batch_statuses[status] += 1
        if kind in ("rejected", "failed"):
            unfinished = self.rejected if kind == "rejected" else self.failed
            unfinished.append(Unfinished(source, key, error_code))

    def batch(self) -> dict[str, Any]:
        """The whole batch's state by outcome and status."""
        return {
            "objects": self.listed
            if self.listed is not None
            else sum(self.batch_outcomes.values()),
            "recognized": self.batch_outcomes["recognized"],
            "rejected": self.batch_outcomes["rejected"],
            "failed": self.batch_outcomes["failed"],
            "not_read": self.not_read,
            "statuses": dict(self.batch_statuses.most_common()),
        }

    def to_dict(self) -> dict[str, Any]:
        def keys(unfinished: list[Unfinished]) -> list[dict[str, Any]]:
            return [
                {"source": item.source, "key": item.key, "error": item.error_code}
                for item in sorted(unfinished, key=lambda item: item.source)
            ]

        return {
            "processed": self.processed,
            "recognized": self.outcomes["recognized"],
            "rejected": self.outcomes["rejected"],
            "failed": self.outcomes["failed"],
            "skipped": self.skipped,
            "statuses": dict(self.statuses.most_common()),
            "findings": dict(self.findings.most_common()),
            "errors": dict(self.errors.most_common()),
            "elapsed_s": round(self.elapsed_s, 3),
            "per_second": round(self.throughput, 2),
            "aborted": self.aborted,
            "batch": self.batch(),
            "rejected_keys": keys(self.rejected),
            "failed_keys": keys(self.failed),
        }

    def lines(self) -> list[str]:
        """A readable summary: counts, and the objects without a record by name (the
        object's name only, never what its record says)."""

        def listing(counter: Counter[str]) -> str:
            return ", ".join(f"{name} {count}" for name, count in counter.most_common()) or "none"

        batch = self.batch()
        whole = (
            f"whole batch: {counted(batch['objects'], 'object')}: recognized "
            f"{batch['recognized']}, rejected {batch['rejected']}, failed {batch['failed']}"
        )
        if batch["not_read"]:
            whole += f", not read yet {batch['not_read']}"
        text = [
            f"this run: processed {counted(self.processed, 'object')} in {self.elapsed_s:.1f} s "
            f"({self.throughput:.2f}/s); skipped {counted(self.skipped, 'object')} already done",
            f"outcomes: recognized {self.outcomes['recognized']}, "
            f"rejected {self.outcomes['rejected']}, failed {self.outcomes['failed']}",
            f"statuses: {listing(self.statuses)}",
            f"findings: {listing(self.findings)}",
            f"errors:   {listing(self.errors)}",
            whole,
            f"whole batch statuses: {listing(self.batch_statuses)}",
            *_unfinished_lines("rejected", self.rejected),
            *_unfinished_lines("failed, tried again on the next run", self.failed),
        ]
        if self.aborted:
            text.append(f"stopped early: {self.aborted}")
        return text


def _unfinished_lines(kind: str, unfinished: list[Unfinished]) -> list[str]:
    """`rejected (2):` and one indented line per object, at most LISTED_KEYS of them."""
    if not unfinished:
        return []
    ordered = sorted(unfinished, key=lambda item: item.source)
    lines = [f"{kind} ({len(ordered):,}):"]
    lines += [f"  {item.source} ({item.error_code})" for item in ordered[:LISTED_KEYS]]
    if len(ordered) > LISTED_KEYS:
        lines.append(f"  and {counted(len(ordered) - LISTED_KEYS, 'more object')} "
                     "(--summary json lists them all)")  # fmt: skip
    return lines


class BatchAbortedError(PassportOcrError):
    """A batch stopped early; carries the cause's message and code, and the summary so far."""

    def __init__(self, cause: PassportOcrError, summary: Summary) -> None:
        super().__init__(cause.message, code=cause.code)
        self.cause = cause
        self.summary = summary


#: Transient failures in a row, no success between them, that stop a batch.
MAX_FAILURES_IN_A_ROW = 20


class _FailureStreak:
    """Counts transient failures with no success between them."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.length = 0

    def after(self, result: ItemResult) -> PassportOcrError | None:
        """The error that stops the batch, once the streak reaches the limit."""
        self.length = self.length + 1 if result.kind == "failed" else 0
        if self.length < self.limit:
            return None
        return PassportOcrError(
            f"stopped after {counted(self.length, 'object')} failed in a row (last: "
            f"{result.error_code}); rerun the same command when the cause is fixed",
            code="batch.failing",
        )


class BatchInterruptedError(KeyboardInterrupt):
    """Ctrl-C stopped a batch: the objects in flight finished and were written; carries the
    summary so far. A KeyboardInterrupt still, for callers that do not look for it."""

    def __init__(self, summary: Summary) -> None:
        super().__init__("interrupted")
        self.summary = summary


def run_batch(  # noqa: PLR0915 - one loop and its cleanup: the stop rules read together
    items: Iterable[tuple[ObjectRef, str]],
    process: ProcessFn,
    writer: ResultWriter,
    *,
    workers: int = 1,
    on_result: Callable[[ItemResult | None], None] | None = None,
    clock: Callable[[], float] = time.monotonic,
    max_failures_in_a_row: int = MAX_FAILURES_IN_A_ROW,
    force: bool = False,
) -> Summary:
    """Process (ref, source name) pairs without a result in `writer` for their current
    version (all of them with `force`); write each result as it comes.

    `on_result` is called once per object (None for one skipped as already done). An
    operator error, a failed listing or a failure to write results stops the run: the
    objects in flight finish, nothing new starts, and `BatchAbortedError` carries the summary.
    So do `max_failures_in_a_row` transient failures with no success between them (the
    network or the vendor is down: going on would only fail the rest of the batch too).
    """
    if workers < 1:
        raise ConfigError("--workers must be at least 1")
    summary = Summary(listed=len(items) if isinstance(items, Sized) else None)
    started = clock()
    notify = on_result or (lambda _result: None)
    window = workers * 2
    pending: set[Future[ItemResult]] = set()
    submitted: dict[Future[ItemResult], int] = {}  # collected in this order: see `collect`
    failure: PassportOcrError | None = None
    interrupted = False
    streak = _FailureStreak(max_failures_in_a_row)

    def collect(done: Iterable[Future[ItemResult]]) -> None:
        nonlocal failure
        # In the order submitted, not the set's: a streak of failures "in a row" must not
        # depend on which of two finished futures a set yields first.
        for future in sorted(done, key=submitted.__getitem__):
            try:
                result = future.result()
                if result.kind != "failed":  # no result: the next run tries it again
                    writer.write(result)
            except PassportOcrError as error:
                failure = failure or error
                continue
            summary.add(result)
            notify(result)
            failure = failure or streak.after(result)

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="passport-ocr") as pool:
        try:
            for ref, source in items:
                if failure is not None:
                    break
                earlier = None if force else writer.stored(ref.key)
                if earlier is not None and earlier.object_id == ref.object_id:
                    summary.add_earlier(source, ref.key, earlier)
                    notify(None)
                    continue
                future = pool.submit(process_one, process, ref, source)
                submitted[future] = len(submitted)
                pending.add(future)
                if len(pending) >= window:
                    done, pending = wait(pending, return_when=FIRST_COMPLETED)
                    collect(done)
        except PassportOcrError as error:  # the listing itself failed
            failure = error
        except KeyboardInterrupt:  # nothing new starts; what is in flight is kept
            interrupted = True
        finally:
            done, _ = wait(pending)
            collect(done)
            writer.close()
            summary.elapsed_s = clock() - started
    _raise_if_stopped(summary, interrupted=interrupted, failure=failure)
    return summary


def _raise_if_stopped(
    summary: Summary, *, interrupted: bool, failure: PassportOcrError | None
) -> None:
    if interrupted:
        summary.aborted = "interrupted"
        raise BatchInterruptedError(summary)
    if failure is not None:
        summary.aborted = failure.code
        raise BatchAbortedError(failure, summary) from failure
