"""Lambda: S3 (directly, or through SQS, SNS or EventBridge) in, SNS out, with Powertools.

- SQS batches go through Powertools' `BatchProcessor`: each message is processed on its
  own and only failed ones are reported back (`ReportBatchItemFailures`), so one bad
  upload does not send its neighbours round again. It is imported at the first SQS batch:
  with it come Powertools' parser models for every batch source (~17 ms of cold start),
  which a function triggered by S3 directly, the default, never needs.
- Idempotency (optional, `PASSPORT_OCR_IDEMPOTENCY_TABLE`): each object version is processed
  once per TTL, keyed by bucket, key and version id or ETag. A duplicate delivery replays
  the stored outcome summary without calling OCR or publishing again. A retry after a
  failure past the OCR call (the topic down) publishes from the answer the failed delivery
  kept in the same table (`aws_answers.py`), without a second billed OCR call.
- Metrics: Recognized, Rejected, Failed, Replayed (duplicate deliveries answered from the
  idempotency table), OcrRetries (count) and OcrLatency (ms).
- S3 Batch Operations (`aws s3control create-job` over a manifest or an inventory report:
  a backfill on Lambda's own fleet): every task is answered, `Succeeded` for a recognized
  upload, `PermanentFailure` for a rejected one (its `rejected` event is out) or a task
  naming no object, `TemporaryFailure` (S3 retries it) for anything transient or the
  operator's to fix.
- SnapStart (optional, `snapStart` / `snap_start`): the snapshot is taken after the handler
  module's init, so everything built there is shared by every environment restored from it.
  `after_restore` reseeds `random`, drops the pipeline and its clients, rebuilds the
  idempotency layer (its DynamoDB client is built at init), the product's botocore session
  and boto3's default session (Powertools' idempotency layer builds its client there), so
  no two environments share a random sequence, a connection or resolved credentials.
Botocore picks up `AWS_ENDPOINT_URL_<SERVICE>` by itself, which is how tests reach moto.
"""

from __future__ import annotations

import logging
import os
import random
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Metrics
from aws_lambda_powertools.metrics import MetricUnit

from passport_ocr.aws_clients import forget_session
from passport_ocr.config import Settings
from passport_ocr.errors import ConfigError, EventError
from passport_ocr.events import parse_event
from passport_ocr.events.base import ObjectRef
from passport_ocr.pipeline import OutcomeSummary, Pipeline
from passport_ocr.platforms.common import FunctionRuntime, Invocation, ProcessObject
from passport_ocr.providers.factory import build_provider
from passport_ocr.publishing.sns import SnsTopic
from passport_ocr.storage.s3 import S3Store
from passport_ocr.vendor_secrets import SecretOpener, SecretSource

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.batch import BatchProcessor
    from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

    from passport_ocr.events.aws_batch import BatchJob, BatchTask
    from passport_ocr.platforms.aws_answers import DynamoDbAnswers


def function_region(settings: Settings) -> str | None:
    return settings.region or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")


def build_pipeline(settings: Settings, invocation: Invocation) -> Pipeline:
    region = function_region(settings)
    if not settings.topic:
        raise ConfigError("set PASSPORT_OCR_TOPIC to the SNS topic ARN")
    store = S3Store(region=region, endpoint_url=settings.storage_endpoint)
    topic = SnsTopic.create(settings.topic, endpoint_url=settings.topic_endpoint)
    provider = build_provider(settings, "aws", secrets=secret_opener(settings))
    return Pipeline(
        settings=settings,
        store=store,
        provider=provider,
        topic=topic,
        answers=answers_for(settings),
    )


def answers_for(settings: Settings) -> DynamoDbAnswers | None:
    """With idempotency on, a retry after a post-OCR failure reuses the kept OCR answer."""
    if not settings.idempotency_table:
        return None
    from passport_ocr.platforms.aws_answers import DynamoDbAnswers  # noqa: PLC0415 (only then)

    return DynamoDbAnswers(
        table=settings.idempotency_table,
        ttl_seconds=settings.idempotency_ttl_seconds,
        region=function_region(settings),
    )


def secret_opener(settings: Settings) -> SecretOpener:
    """Another cloud's OCR keys from Secrets Manager or SSM (`platforms/aws_secrets.py`)."""

    def open_secret(reference: str) -> SecretSource:
        from passport_ocr.platforms import aws_secrets  # noqa: PLC0415 (only when configured)

        return aws_secrets.open_secret(
            reference,
            version=settings.vendor_secret_version,
            endpoint_url=settings.vendor_secret_endpoint,
        )

    return open_secret


def idempotency_key(ref: ObjectRef) -> dict[str, Any]:
    """What makes two deliveries the same upload: the object version, nothing else."""
    return {"bucket": ref.bucket, "key": ref.key, "version": ref.version_id or ref.etag or ""}


@dataclass
class Idempotency:
    """Powertools idempotency, built once per container when a table is set."""

    #: `IdempotencyConfig` (typed loosely: Powertools' idempotency is imported lazily).
    config: Any
    #: Wraps the per-object step so that each object version runs once per TTL.
    wrap: Callable[[ProcessObject], ProcessObject]

    def begin(self, context: Any) -> None:
        """Let Powertools see the remaining time (in-progress records expire with it)."""
        if context is not None and hasattr(context, "get_remaining_time_in_millis"):
            self.config.register_lambda_context(context)


@dataclass
class LambdaRuntime:
    runtime: FunctionRuntime
    metrics: Metrics
    idempotency: Idempotency | None = None

    @cached_property
    def batch_processor(self) -> BatchProcessor:
        """Powertools' SQS batch processor, built at the first SQS batch."""
        from aws_lambda_powertools.utilities.batch import (  # noqa: PLC0415 (see the module doc)
            BatchProcessor,
            EventType,
        )

        # A batch whose every message failed is reported like any other (all of them), not
        # raised: Powertools' exception would carry every traceback, SDK messages included.
        return BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)

    def process_object(self, pipeline: Pipeline, deadline: float | None) -> ProcessObject:
        processed: list[ObjectRef] = []

        def process(ref: ObjectRef) -> OutcomeSummary:
            processed.append(ref)
            summary = pipeline.process(ref, deadline=deadline).summary()
            self._record_metrics(summary)
            return summary

        if self.idempotency is None:
            return process
        once = self.idempotency.wrap(process)

        def process_or_replay(ref: ObjectRef) -> OutcomeSummary:
            before = len(processed)
            summary = once(ref)
            if len(processed) == before:  # a duplicate delivery: the stored summary came back
                self.metrics.add_metric(name="Replayed", unit=MetricUnit.Count, value=1)
            return summary

        return process_or_replay

    def _record_metrics(self, summary: OutcomeSummary) -> None:
        name = "Recognized" if summary["outcome"] == "recognized" else "Rejected"
        self.metrics.add_metric(name=name, unit=MetricUnit.Count, value=1)
        retries = max(0, int(summary.get("ocr_attempts") or 0) - 1)
        if retries:
            self.metrics.add_metric(name="OcrRetries", unit=MetricUnit.Count, value=retries)
        ocr_ms = (summary.get("timings_ms") or {}).get("ocr")
        if ocr_ms is not None:
            self.metrics.add_metric(name="OcrLatency", unit=MetricUnit.Milliseconds, value=ocr_ms)


def idempotency_for(settings: Settings) -> Idempotency | None:
    """Powertools idempotency on DynamoDB for the per-object step, when a table is set."""
    if not settings.idempotency_table:
        return None
    from aws_lambda_powertools.utilities.idempotency import (  # noqa: PLC0415
        DynamoDBPersistenceLayer,
        IdempotencyConfig,
        idempotent_function,
    )

    persistence = DynamoDBPersistenceLayer(table_name=settings.idempotency_table)
    config = IdempotencyConfig(
        event_key_jmespath="[bucket, key, version]",
        expires_after_seconds=settings.idempotency_ttl_seconds,
        raise_on_no_idempotency_key=True,
    )

    def make_idempotent(process: ProcessObject) -> ProcessObject:
        def run(upload: dict[str, Any]) -> OutcomeSummary:
            return process(ObjectRef.model_validate(upload["ref"]))

        run_once: Callable[..., Any] = idempotent_function(
            data_keyword_argument="upload", persistence_store=persistence, config=config
        )(run)

        def process_once(ref: ObjectRef) -> OutcomeSummary:
            summary: OutcomeSummary = run_once(
                upload={"ref": ref.model_dump(mode="json"), **idempotency_key(ref)}
            )
            return summary

        return process_once

    return Idempotency(config=config, wrap=make_idempotent)


def make_runtime(settings: Settings, metrics: Metrics) -> LambdaRuntime:
    return LambdaRuntime(
        runtime=FunctionRuntime(settings=settings, factory=build_pipeline),
        metrics=metrics,
        idempotency=idempotency_for(settings),
    )


def after_restore(lambda_runtime: LambdaRuntime) -> None:
    """Run in each environment restored from a SnapStart snapshot, before its first event.

    Every restored environment starts from the same memory: the same `random` state, the
    same clients (with their connection pools and resolved credentials). `uuid.uuid4` and
    `secrets` read the OS's entropy on each call, so they need nothing here."""
    random.seed()  # from os.urandom: each environment its own sequence
    lambda_runtime.runtime.forget_pipeline()  # store, provider, topic, answers: rebuilt lazily
    if lambda_runtime.idempotency is not None:
        lambda_runtime.idempotency = idempotency_for(lambda_runtime.runtime.settings)
    forget_session()
    boto3: Any = sys.modules.get("boto3")  # only if imported: restoring must not add imports
    if boto3 is not None:
        boto3.DEFAULT_SESSION = None  # boto3.client() then builds a fresh session


def register_snapstart_hooks(lambda_runtime: LambdaRuntime) -> bool:
    """Register `after_restore` with Lambda's runtime hooks; False (nothing done) where the
    hooks module is absent: outside Lambda, or a runtime without SnapStart."""
    try:
        # Part of Lambda's Python managed runtimes, never of the bundle (provider_facts.SNAP_START).
        from snapshot_restore_py import register_after_restore  # noqa: PLC0415
    except ImportError:
        return False
    register_after_restore(after_restore, lambda_runtime)
    return True


def _is_sqs(event: Any) -> bool:
    records = event.get("Records") if isinstance(event, dict) else None
    return (
        isinstance(records, list)
        and bool(records)
        and all(isinstance(r, dict) and r.get("eventSource") == "aws:sqs" for r in records)
    )


#: Request parameters that name an object: X-Ray's botocore patch copies them into every
#: subsegment (aws_xray_sdk/ext/resources/aws_para_whitelist.json, 2.15: S3 Key and
#: CopySource on GetObject, PutObject, CopyObject, ...), and keys often hold names.
_OBJECT_PARAMETERS = frozenset({"Key", "CopySource"})


def keep_object_keys_out_of_traces() -> None:
    """Drop object keys from what X-Ray records of AWS calls (request ids, operations,
    buckets and timings stay). Logs hash keys for the same reason."""
    try:
        from aws_xray_sdk.ext import boto_utils  # noqa: PLC0415 (only where tracing exists)
    except ImportError:  # no X-Ray SDK: nothing records the calls
        return
    for service in boto_utils.whitelist.get("services", {}).values():
        for operation in service.get("operations", {}).values():
            recorded = operation.get("request_parameters")
            if recorded:
                operation["request_parameters"] = [
                    name for name in recorded if name not in _OBJECT_PARAMETERS
                ]


log = logging.getLogger(__name__)

#: How each way an upload ends answers an S3 Batch Operations task: a rejected upload can
#: never succeed (its `rejected` event is out); a raised one is retried by S3.
_BATCH_RESULT: dict[str, str] = {"recognized": "Succeeded", "rejected": "PermanentFailure"}


def answer_batch_job(job: BatchJob, process: ProcessObject, settings: Settings) -> dict[str, Any]:
    """Every task's `resultCode` and a short `resultString` (codes only: S3 writes it into
    the job's completion report)."""
    results = [_batch_result(task, process, settings) for task in job.tasks]
    return {
        "invocationSchemaVersion": job.schema_version,
        "treatMissingKeysAs": "PermanentFailure",
        "invocationId": job.invocation_id,
        "results": results,
    }


def _batch_result(task: BatchTask, process: ProcessObject, settings: Settings) -> dict[str, str]:
    def result(code: str, text: str) -> dict[str, str]:
        return {"taskId": task.task_id, "resultCode": code, "resultString": text}

    if task.ref is None:
        assert task.error is not None
        return result("PermanentFailure", task.error.code)
    if task.ref.key.startswith(settings.results_prefix):
        return result("Succeeded", "skipped: a result, not an upload")
    try:
        summary = process(task.ref)
    except Exception as error:
        code = getattr(error, "code", None)
        log.warning(
            "batch task failed; S3 will retry it",
            extra={"object_id": task.ref.object_id, "error": code or type(error).__name__},
        )
        return result("TemporaryFailure", code if isinstance(code, str) else type(error).__name__)
    outcome = summary["outcome"]
    detail = summary["status"] if outcome == "recognized" else summary["error"]
    return result(_BATCH_RESULT[outcome], f"{outcome}: {detail}")


def _may_be_batch_job(event: Any) -> bool:
    """The key only an S3 Batch Operations job has (`aws_batch.is_batch_job` decides)."""
    return isinstance(event, Mapping) and "invocationSchemaVersion" in event


def _require_message_ids(records: list[dict[str, Any]]) -> None:
    """A partial batch response names failed messages by id: a record without one could
    neither be reported nor retried alone (Powertools would fail on it with a KeyError)."""
    for index, record in enumerate(records):
        message_id = record.get("messageId")
        if not isinstance(message_id, str) or not message_id:
            raise EventError(f"SQS record {index} has no messageId: it cannot be reported")


def handle(lambda_runtime: LambdaRuntime, event: Any, context: Any) -> dict[str, Any]:
    runtime = lambda_runtime.runtime
    pipeline = runtime.begin(context)
    if lambda_runtime.idempotency is not None:
        lambda_runtime.idempotency.begin(context)
    remaining = getattr(context, "get_remaining_time_in_millis", None)
    deadline = runtime.deadline(remaining() if callable(remaining) else None)
    process = lambda_runtime.process_object(pipeline, deadline)
    settings = runtime.settings

    if _may_be_batch_job(event):
        # S3 Batch Operations (a backfill): its reader loads with the first job, not at init.
        from passport_ocr.events.aws_batch import is_batch_job, parse_job  # noqa: PLC0415

        if is_batch_job(event):
            return answer_batch_job(parse_job(event, region=settings.region), process, settings)

    if _is_sqs(event):
        _require_message_ids(event["Records"])
        from aws_lambda_powertools.utilities.batch import (  # noqa: PLC0415 (see the module doc)
            process_partial_response,
        )

        def record_handler(record: SQSRecord) -> dict[str, Any]:
            batch = parse_event(
                "aws", {"Records": [record.raw_event]}, results_prefix=settings.results_prefix
            )
            result = runtime.run(batch, process)
            _count_failures(lambda_runtime.metrics, len(result.failed))
            runtime.raise_if_failed(result, batch)  # -> this message is a batch item failure
            return dict(result.summary())

        return dict(
            process_partial_response(
                event=event,
                record_handler=record_handler,
                processor=lambda_runtime.batch_processor,
                context=context,
            )
        )

    batch = parse_event("aws", event, results_prefix=settings.results_prefix)
    result = runtime.run(batch, process)
    _count_failures(lambda_runtime.metrics, len(result.failed))
    runtime.raise_if_failed(result, batch)
    return dict(result.summary())


def _count_failures(metrics: Metrics, failed: int) -> None:
    if failed:
        metrics.add_metric(name="Failed", unit=MetricUnit.Count, value=failed)
