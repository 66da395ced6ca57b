"""`passport-ocr backfill` on AWS against moto: the dry run's counts, the upload queue's
messages as the deployed handler parses them, resuming from the state file, and the S3 Batch
Operations manifest and CreateJob request (checked against botocore's s3control model)."""

from __future__ import annotations

import csv
import io
import json
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import unquote_plus

import pytest

from passport_ocr.errors import ConfigError
from passport_ocr.events import parse_event
from passport_ocr.events.aws_batch import parse_job
from passport_ocr.events.base import ObjectRef
from passport_ocr.publishing.payload import results_key
from passport_ocr.tools.backfill import batch_operations as ops
from passport_ocr.tools.cli import main
from tests.moto_helpers import REGION, Moto, lambda_sqs_event

KEYS = ("uploads/李 四 scan.jpg", "uploads/b+c.png", "uploads/done.jpg")


@pytest.fixture
def bucket(moto_server: Moto, monkeypatch: pytest.MonkeyPatch) -> str:
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_REGION": REGION,
        "AWS_ENDPOINT_URL_S3": moto_server.url,
        "AWS_ENDPOINT_URL_SQS": moto_server.url,
    }.items():
        monkeypatch.setenv(name, value)
    name = f"backfill-{uuid.uuid4().hex[:8]}"
    s3 = moto_server.client("s3")
    s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    for key in KEYS:
        s3.put_object(Bucket=name, Key=key, Body=key.encode())
    s3.put_object(Bucket=name, Key="uploads/notes.txt", Body=b"not a scan")
    # done.jpg already has its result, named as the stack names it (publishing.payload).
    etag = s3.head_object(Bucket=name, Key=KEYS[2])["ETag"].strip('"')
    done = ObjectRef(cloud="aws", region=REGION, bucket=name, key=KEYS[2], etag=etag)
    s3.put_object(Bucket=name, Key=results_key(done, "results/"), Body=b"{}")
    return name


def test_dry_run_counts_and_hands_off_nothing(
    bucket: str, moto_server: Moto, capsys: pytest.CaptureFixture[str]
) -> None:
    queue_url, _ = moto_server.queue(f"uploads-{uuid.uuid4().hex[:8]}")
    argv = ["backfill", f"s3://{bucket}/", "--platform", "aws", "--queue-url", queue_url]
    assert main(argv) == 0
    out = capsys.readouterr().out
    # The AWS stack's default vendor (Textract) states no rate here: the conservative pace.
    assert "pace: 2 objects/s (textract: no published rate: a conservative default)" in out
    assert "https://aws.amazon.com/textract/pricing/" in out
    code = main([*argv, "--vendor", "tencent"])
    out = capsys.readouterr().out
    assert code == 0
    # 5 listed: 3 scans, the text file and the result (under results/, never handed off).
    assert "listed 5 objects: not images or results 2, already done 1" in out
    assert "to hand off 2" in out
    assert "pace: 5 objects/s (tencent: the vendor's documented request rate)" in out
    assert "https://cloud.tencent.com/document/product/866/17619" in out
    assert "dry run" in out
    assert moto_server.client("sqs").receive_message(QueueUrl=queue_url).get("Messages") is None


def test_dry_run_prices_the_calls_at_the_price_given(
    bucket: str, moto_server: Moto, capsys: pytest.CaptureFixture[str]
) -> None:
    queue_url, _ = moto_server.queue(f"uploads-{uuid.uuid4().hex[:8]}")
    argv = ["backfill", f"s3://{bucket}/", "--platform", "aws", "--queue-url", queue_url]
    assert main([*argv, "--price-per-1000", "1.5 usd"]) == 0
    out = capsys.readouterr().out
    # 2 scans to hand off, one OCR call each: 2 x 1.5 / 1000.
    assert "cost: 0.003 USD for 2 OCR calls at 1.5 USD per 1,000" in out
    assert main([*argv, "--price-per-1000", "2500"]) == 0
    assert "cost: 5.00 for 2 OCR calls at 2500 per 1,000" in capsys.readouterr().out
    with pytest.raises(SystemExit) as refused:
        main([*argv, "--price-per-1000", "cheap"])
    assert refused.value.code == 2
    assert "expected AMOUNT [CURRENCY], not 'cheap'" in capsys.readouterr().err


def test_dry_run_prices_no_call_for_an_empty_object_and_states_what_is_charged(
    bucket: str, moto_server: Moto, capsys: pytest.CaptureFixture[str]
) -> None:
    moto_server.client("s3").put_object(Bucket=bucket, Key="uploads/empty.jpg", Body=b"")
    queue_url, _ = moto_server.queue(f"uploads-{uuid.uuid4().hex[:8]}")
    argv = ["backfill", f"s3://{bucket}/", "--platform", "aws", "--queue-url", queue_url]
    assert main([*argv, "--vendor", "tencent", "--price-per-1000", "1.5 USD"]) == 0
    out = capsys.readouterr().out
    # The empty object is handed off (its rejection is published) but costs no call.
    assert "to hand off 3" in out
    assert "cost: 0.003 USD for 2 OCR calls (1 empty object rejected before any call)" in out
    assert "tencent: most failed calls are free" in out
    assert "https://cloud.tencent.com/document/product/866/45470" in out
    assert "all the month's calls are billed at its price" in out
    assert main([*argv, "--vendor", "huawei"]) == 0
    out = capsys.readouterr().out
    assert "cost: 2 OCR calls (1 empty object rejected before any call); huawei's price" in out
    assert "huawei: only successful calls (HTTP 2xx) are charged" in out
    # The legacy image API is charged too, though its documents name no pricing page.
    assert main([*argv, "--vendor", "tencent-legacy"]) == 0
    assert "no pricing page named in its API documents" in capsys.readouterr().out
    assert main([*argv, "--vendor", "local"]) == 0
    assert "cost: no vendor charge" in capsys.readouterr().out


def test_queue_messages_are_what_the_handler_parses_and_a_rerun_resumes(
    bucket: str, moto_server: Moto, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    queue_url, queue_arn = moto_server.queue(f"uploads-{uuid.uuid4().hex[:8]}")
    state = tmp_path / "state.json"
    argv = ["backfill", f"s3://{bucket}/uploads/", "--platform", "aws", "--queue-url",
            queue_url, "--state", str(state), "--rate", "0", "--yes"]  # fmt: skip

    assert main(argv) == 0
    assert "handed off 2, failed 0" in capsys.readouterr().out
    messages = moto_server.drain(queue_url, at_least=2)
    batch = parse_event("aws", lambda_sqs_event(messages, queue_arn))
    s3 = moto_server.client("s3")
    parsed = {item.ref.key: item.ref for item in batch.items}
    assert sorted(parsed) == sorted(KEYS[:2])
    for key, ref in parsed.items():
        # The function computes the same object id as a real upload's notification gives.
        assert ref.etag == s3.head_object(Bucket=bucket, Key=key)["ETag"].strip('"')
        assert ref.bucket == bucket
    lines = [json.loads(line) for line in state.read_text().splitlines()]
    assert lines[0] == {"source": f"s3://{bucket}/uploads/"}
    assert sorted(line["key"] for line in lines[1:]) == sorted(KEYS[:2])

    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "handed off before 2, to hand off 0" in out
    assert "handed off 0, failed 0" in out


def test_batch_operations_manifest_and_create_job_request(
    bucket: str, moto_server: Moto, capsys: pytest.CaptureFixture[str]
) -> None:
    function = f"arn:aws:lambda:{REGION}:123456789012:function:passport-ocr"
    role = "arn:aws:iam::123456789012:role/batch-operations"
    argv = ["backfill", f"s3://{bucket}/uploads/", "--platform", "aws", "--via",
            "batch-operations", "--function", function, "--role-arn", role,
            "--manifest", f"s3://{bucket}/backfill/", "--account-id", "123456789012",
            "--print-command", "--yes"]  # fmt: skip

    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "aws s3control create-job --region eu-central-1 --no-confirmation-required" in out
    assert '"InvocationSchemaVersion":"2.0"' in out
    manifest_key = out.split(f"manifest: s3://{bucket}/", 1)[1].split(" ", 1)[0]
    body = moto_server.client("s3").get_object(Bucket=bucket, Key=manifest_key)["Body"].read()
    rows = list(csv.reader(io.StringIO(body.decode())))
    assert sorted(unquote_plus(row[1]) for row in rows) == sorted(KEYS[:2])
    assert all(row[0] == bucket and len(row) == 2 for row in rows)
    # What S3 sends the function for these rows (schema 2.0) is what its parser reads.
    event = {"invocationSchemaVersion": "2.0", "invocationId": "i",
             "job": {"id": "j", "userArguments": {}},
             "tasks": [{"taskId": str(n), "s3Bucket": b, "s3Key": k, "s3VersionId": None}
                       for n, (b, k) in enumerate(rows)]}  # fmt: skip
    assert sorted(t.ref.key for t in parse_job(event).tasks if t.ref) == sorted(KEYS[:2])


def _job_request(manifest_etag: str) -> dict[str, Any]:
    """A CreateJob request for a fictional account, function and manifest."""
    return ops.create_job_request(
        account_id="123456789012",
        function_arn="arn:aws:lambda:eu-central-1:123456789012:function:f",
        role_arn="arn:aws:iam::123456789012:role/r",
        manifest_arn="arn:aws:s3:::b/m.csv",
        manifest_etag=manifest_etag,
        report_bucket_arn="arn:aws:s3:::b",
        report_prefix="reports",
    )


def test_the_create_job_request_is_checked_against_botocore_model() -> None:
    request = _job_request(manifest_etag='"0123"')
    ops.validate(request)
    assert request["Manifest"]["Location"]["ETag"] == "0123"
    assert request["ConfirmationRequired"] is False
    with pytest.raises(ConfigError, match="Priority"):
        ops.validate(request | {"Priority": "high"})
    with pytest.raises(ConfigError, match="RoleArn"):
        ops.validate({k: v for k, v in request.items() if k != "RoleArn"})


def test_a_source_of_another_cloud_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["backfill", "obs://b/p", "--platform", "aws"]) == 2
    assert "--platform aws backfills s3:// sources" in capsys.readouterr().err


def test_the_job_is_submitted_as_the_s3control_model_says() -> None:
    """botocore's Stubber validates the call against the real s3control model."""
    import boto3
    from botocore.stub import Stubber

    request = _job_request(manifest_etag="0123")
    client = boto3.client("s3control", region_name=REGION, aws_access_key_id="t",
                          aws_secret_access_key="t")  # fmt: skip
    with Stubber(client) as stub:
        stub.add_response("create_job", {"JobId": "job-1"}, request)
        assert ops.submit(client, request) == "job-1"
        stub.add_client_error("create_job", "AccessDenied", expected_params=request)
        with pytest.raises(ConfigError, match="AccessDenied"):
            ops.submit(client, request)
