"""`passport-ocr events sample`: every shape parses back to the object it names."""

from __future__ import annotations

import json

import pytest

from passport_ocr.events import parse_event
from passport_ocr.tools.cli import main
from passport_ocr.tools.event_samples import SHAPES, sample_event
from tests.events_helpers import TRICKY_KEYS

CASES = [(platform, shape) for platform, shapes in SHAPES.items() for shape in shapes]


@pytest.mark.parametrize(("platform", "shape"), CASES)
@pytest.mark.parametrize("key", TRICKY_KEYS)
def test_every_sample_names_exactly_its_object(platform: str, shape: str, key: str) -> None:
    bucket = "passports-1250000000" if platform == "tencentcloud" else "my-scans"
    event = sample_event(platform, shape=shape, bucket=bucket, key=key, size=1234, region="r-1")
    batch = parse_event(platform, event)  # type: ignore[arg-type]
    (item,) = batch.items
    assert (item.ref.bucket, item.ref.key, item.ref.size) == (bucket, key, 1234)
    assert item.ref.region == "r-1"
    assert not batch.skipped and not batch.invalid


@pytest.mark.parametrize(("platform", "shape"), CASES)
def test_the_verb_prints_the_sample(
    platform: str, shape: str, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["events", "sample", "--platform", platform, "--shape", shape, "--key", "in/李 四.jpg"]
    assert main(args) == 0
    event = json.loads(capsys.readouterr().out)
    (item,) = parse_event(platform, event).items  # type: ignore[arg-type]
    assert item.ref.key == "in/李 四.jpg"


def test_the_default_shape_is_what_the_infrastructure_wires(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["events", "sample", "--platform", "aws"]) == 0
    event = json.loads(capsys.readouterr().out)
    (record,) = event["Records"]
    assert record["eventSource"] == "aws:sqs"  # S3 -> SQS -> Lambda (serverless.yml)
    assert json.loads(record["body"])["Records"][0]["eventSource"] == "aws:s3"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--platform", "aws", "--shape", "cos"], "aws triggers come as sqs, s3, eventbridge"),
        (["--platform", "tencentcloud", "--bucket", "passports"], "name-appid"),
        (["--platform", "huaweicloud", "--key", "uploads/"], "not a folder"),
    ],
)
def test_bad_choices_are_one_line_and_exit_2(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["events", "sample", *args]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and message in captured.err and captured.err.count("\n") == 1
