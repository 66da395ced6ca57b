"""S3 Batch Operations events (schema 1.0 and 2.0) to tasks: the documented examples, keys
decoded as the manifest encodes them, and every kind of bad task."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from passport_ocr.errors import EventError
from passport_ocr.events.aws_batch import is_batch_job, parse_job
from tests.events_helpers import load


@pytest.mark.parametrize(
    ("name", "bucket", "key", "version"),
    [
        ("aws_s3_batch_1_0.json", "amzn-s3-demo-bucket", "customerImage1.jpg", "1"),
        (
            "aws_s3_batch_2_0.json",
            "powertools-dataset",
            "prefix/dataset/dataset.20231222.json.gz",
            None,
        ),
    ],
)
def test_the_documented_examples_name_their_object(
    name: str, bucket: str, key: str, version: str | None
) -> None:
    event = load(name)
    assert is_batch_job(event)
    job = parse_job(event, region="eu-west-1")
    (task,) = job.tasks
    assert task.ref is not None and task.error is None
    assert (task.ref.bucket, task.ref.key, task.ref.version_id) == (bucket, key, version)
    assert job.invocation_id == event["invocationId"]
    assert job.schema_version == event["invocationSchemaVersion"]


def test_keys_are_decoded_as_the_manifest_encodes_them() -> None:
    event = load("aws_s3_batch_1_0.json")
    event["tasks"][0]["s3Key"] = "uploads/2026/%E6%9D%8E+%E5%9B%9B+100%25.jpg"
    (task,) = parse_job(event).tasks
    assert task.ref is not None and task.ref.key == "uploads/2026/李 四 100%.jpg"


def _task(**changes: Any) -> dict[str, Any]:
    task = copy.deepcopy(load("aws_s3_batch_1_0.json")["tasks"][0])
    task.update(changes)
    return {key: value for key, value in task.items() if value is not ...}


@pytest.mark.parametrize(
    "bad",
    [
        _task(s3Key=...),
        _task(s3Key=""),
        _task(s3BucketArn=...),
        _task(s3BucketArn="arn:aws:sqs:eu-west-1:123:queue"),
        _task(s3Key="%ZZ%FF"),
    ],
)
def test_a_bad_task_fails_alone(bad: dict[str, Any]) -> None:
    event = load("aws_s3_batch_1_0.json")
    event["tasks"].append(bad | {"taskId": "bad-1"})
    good, broken = parse_job(event).tasks
    assert good.ref is not None
    assert broken.task_id == "bad-1" and broken.ref is None
    assert isinstance(broken.error, EventError)


@pytest.mark.parametrize(
    "change",
    [
        {"invocationSchemaVersion": "3.0"},
        {"invocationId": ""},
        {"tasks": []},
        {"tasks": [{"s3Key": "a.jpg", "s3BucketArn": "arn:aws:s3:::b"}]},  # no taskId
    ],
)
def test_an_envelope_of_no_known_shape_is_a_typed_error(change: dict[str, Any]) -> None:
    with pytest.raises(EventError):
        parse_job(load("aws_s3_batch_1_0.json") | change)


def test_other_events_are_not_batch_jobs() -> None:
    assert not is_batch_job(load("aws_s3.json"))
    assert not is_batch_job("not an event")
