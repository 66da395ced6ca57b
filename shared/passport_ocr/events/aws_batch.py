"""S3 Batch Operations "Invoke AWS Lambda function" events: one task per manifest object.

Shapes (https://docs.aws.amazon.com/AmazonS3/latest/userguide/batch-ops-invoke-lambda.html):
- `invocationSchemaVersion` "1.0": `tasks[].{taskId, s3Key, s3VersionId, s3BucketArn}`;
- "2.0": `tasks[].{taskId, s3Key, s3VersionId, s3Bucket}` (the bucket's name, no ARN), and
  `job.userArguments`.
Keys come URL-encoded as in the job's manifest: decoded with `unquote_plus`, as AWS's example
function and Powertools' `S3BatchOperationTask.s3_key` do. Read here rather than through
Powertools' data class: every task is answered (its response class insists on exactly one)
and a task without a field is a typed error for that task, not a `KeyError`. The answer
names every task `Succeeded`, `TemporaryFailure` (S3 retries it) or `PermanentFailure`
(see `passport_ocr.platforms.aws`).

Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from passport_ocr.errors import EventError
from passport_ocr.events.base import ObjectRef
from passport_ocr.events.batch import decode_key

SCHEMA_VERSIONS: Final = frozenset({"1.0", "2.0"})
_BUCKET_ARN_PREFIX: Final = "arn:aws:s3:::"


@dataclass(frozen=True)
class BatchTask:
    """One task: its id, and the object it names or why it names none."""

    task_id: str
    ref: ObjectRef | None = None
    error: EventError | None = None


@dataclass(frozen=True)
class BatchJob:
    schema_version: str
    invocation_id: str
    tasks: tuple[BatchTask, ...]


def is_batch_job(event: Any) -> bool:
    return isinstance(event, Mapping) and "invocationSchemaVersion" in event and "tasks" in event


def parse_job(event: Mapping[str, Any], *, region: str | None = None) -> BatchJob:
    """The job's tasks; an envelope of no known shape is an `EventError`, a bad task one
    `BatchTask` with its error (it fails alone, as a `PermanentFailure`)."""
    version = event.get("invocationSchemaVersion")
    if version not in SCHEMA_VERSIONS:
        raise EventError(f"S3 Batch Operations schema {version!r} is not one of 1.0, 2.0")
    invocation_id = event.get("invocationId")
    tasks = event.get("tasks")
    if not isinstance(invocation_id, str) or not invocation_id:
        raise EventError("S3 Batch Operations event without invocationId")
    if not isinstance(tasks, list) or not tasks:
        raise EventError("S3 Batch Operations event without tasks")
    parsed = tuple(_task(task, str(version), region) for task in tasks)
    if any(not task.task_id for task in parsed):
        raise EventError("S3 Batch Operations task without taskId: it could not be answered")
    return BatchJob(str(version), invocation_id, parsed)


def _task(task: Any, version: str, region: str | None) -> BatchTask:
    if not isinstance(task, Mapping):
        return BatchTask("", error=EventError("an S3 Batch Operations task is not an object"))
    task_id = task.get("taskId")
    if not isinstance(task_id, str):
        task_id = ""
    try:
        return BatchTask(task_id, ref=_ref(task, version, region))
    except EventError as error:
        return BatchTask(task_id, error=error)


def _ref(task: Mapping[str, Any], version: str, region: str | None) -> ObjectRef:
    bucket = _bucket(task, version)
    raw_key = task.get("s3Key")
    if not isinstance(raw_key, str) or not raw_key:
        raise EventError("S3 Batch Operations task without s3Key")
    version_id = task.get("s3VersionId")
    return ObjectRef(
        cloud="aws",
        region=region,
        bucket=bucket,
        key=decode_key(raw_key, url_encoded=True),
        version_id=version_id if isinstance(version_id, str) and version_id else None,
        event_name="S3BatchOperations:LambdaInvoke",
    )


def _bucket(task: Mapping[str, Any], version: str) -> str:
    if version == "2.0":
        bucket = task.get("s3Bucket")
    else:
        arn = task.get("s3BucketArn")
        bucket = arn[len(_BUCKET_ARN_PREFIX) :] if isinstance(arn, str) else None
        if isinstance(arn, str) and not arn.startswith(_BUCKET_ARN_PREFIX):
            raise EventError("S3 Batch Operations task whose s3BucketArn is not an S3 bucket")
    if not isinstance(bucket, str) or not bucket:
        raise EventError(f"S3 Batch Operations {version} task without its bucket")
    return bucket
