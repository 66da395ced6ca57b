"""What every platform parser shares: key decoding, create-event detection, dispatch."""

from __future__ import annotations

import subprocess
import sys

import pytest

from passport_ocr.errors import EventError
from passport_ocr.events import EventBatch, parse_event
from passport_ocr.events.batch import decode_key, is_create_event
from tests import paths
from tests.events_helpers import load


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("a+b.jpg", "a b.jpg"),
        ("a%2Bb.jpg", "a+b.jpg"),
        ("100%25.jpg", "100%.jpg"),
        ("%2541.jpg", "%41.jpg"),
        ("dir%2Fsub%2Ff.jpg", "dir/sub/f.jpg"),
        ("%E6%8A%A4%E7%85%A7.jpg", "护照.jpg"),
        ("caf%C3%A9%20x.png", "café x.png"),
    ],
)
def test_decode_key(raw: str, key: str) -> None:
    assert decode_key(raw, url_encoded=True) == key
    assert decode_key(raw, url_encoded=False) == raw


@pytest.mark.parametrize("raw", ["", "%C3", "%FF.jpg"])
def test_decode_key_rejects_empty_and_broken_utf8(raw: str) -> None:
    with pytest.raises(EventError):
        decode_key(raw, url_encoded=True)


@pytest.mark.parametrize(
    ("name", "create"),
    [
        ("ObjectCreated:Put", True),
        ("ObjectCreated:CompleteMultipartUpload", True),
        ("s3:ObjectCreated:Copy", True),
        ("cos:ObjectCreated:*", True),
        ("OBS:DWR:ObjectCreated:PUT", True),
        ("Object Created", True),
        ("ObjectRemoved:Delete", False),
        ("cos:ObjectRemove:DeleteMarkerCreated", False),
        ("ObjectRestore:Completed", False),
        ("Object Deleted", False),
        ("IntelligentTiering", False),
    ],
)
def test_is_create_event(name: str, create: bool) -> None:
    assert is_create_event(name) is create


@pytest.mark.parametrize(
    ("platform", "event_file"),
    [
        ("huaweicloud", "huaweicloud_obs_native.json"),
        ("huaweicloud", "huaweicloud_eventgrid.json"),
        ("tencentcloud", "tencentcloud_cos.json"),
        ("aws", "aws_s3.json"),
        ("aws", "aws_sqs_s3.json"),
        ("aws", "aws_eventbridge_s3.json"),
    ],
)
def test_each_platform_rejects_the_others_events(platform: str, event_file: str) -> None:
    event = load(event_file)
    assert isinstance(parse_event(platform, event), EventBatch)  # type: ignore[arg-type]
    for other in {"huaweicloud", "tencentcloud", "aws"} - {platform}:
        if other == "huaweicloud" and event_file == "aws_s3.json":
            continue  # an S3 notification IS the S3-shaped OBS event: both read it
        with pytest.raises(EventError):
            parse_event(other, event)  # type: ignore[arg-type]


def test_unknown_platform() -> None:
    with pytest.raises(EventError, match="no trigger events"):
        parse_event("local", {})  # type: ignore[arg-type]


@pytest.mark.parametrize("not_a_dict", [None, [], "Records", 42])
@pytest.mark.parametrize("platform", ["huaweicloud", "tencentcloud", "aws"])
def test_non_objects_raise_event_error(platform: str, not_a_dict: object) -> None:
    with pytest.raises(EventError):
        parse_event(platform, not_a_dict)  # type: ignore[arg-type]


def test_object_id_is_stable_and_does_not_contain_the_key() -> None:
    first = parse_event("aws", load("aws_s3.json")).refs[0]
    again = parse_event("aws", load("aws_s3.json")).refs[0]

    assert first.object_id == again.object_id
    assert "Jos" not in first.object_id and len(first.object_id) == 16


def test_huawei_and_tencent_parsing_do_not_need_powertools() -> None:
    """Their function bundles do not ship it: parsing must not import it."""
    code = (
        "import sys\n"
        "from passport_ocr.events import parse_event\n"
        "from tests.events_helpers import load\n"
        "parse_event('huaweicloud', load('huaweicloud_eventgrid.json'))\n"
        "parse_event('tencentcloud', load('tencentcloud_cos.json'))\n"
        "import passport_ocr.publishing.envelope, passport_ocr.publishing.sinks\n"
        "heavy = [m for m in ('aws_lambda_powertools', 'boto3', 'botocore') if m in sys.modules]\n"
        "print(heavy)\n"
    )
    result = subprocess.run(  # a fresh interpreter: this one has imported everything
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=paths.REPO,
    )
    assert result.stdout.strip() == "[]"
