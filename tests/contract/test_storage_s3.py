"""S3Store driven through boto3 against moto's server (and an S3-speaking stub for failures)."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import boto3
import pytest
import requests

from passport_ocr.credentials import Credentials
from passport_ocr.errors import StorageError
from passport_ocr.events.base import ObjectRef
from passport_ocr.storage.s3 import S3Store
from tests.stubs.server import RecordedRequest, StubResponse, StubServer

moto_server = pytest.importorskip("moto.server")

CREDS = Credentials("AKIATESTROLE", "role-secret", "lambda-session-token")
KEY = "uploads/2026/Zoë Doe+scan 1%.jpg"
IMAGE = bytes(range(256)) * 40


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(endpoint: str, request: pytest.FixtureRequest) -> str:
    name = "scans-" + request.node.name.replace("_", "-")[:40].lower().strip("-")
    s3 = boto3.client(
        "s3",
        region_name="eu-west-1",
        endpoint_url=endpoint,
        aws_access_key_id=CREDS.access_key,
        aws_secret_access_key=CREDS.secret_key,
    )
    s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    s3.put_object(Bucket=name, Key=KEY, Body=IMAGE)
    return name


@pytest.fixture
def store(endpoint: str) -> S3Store:
    return S3Store(region="eu-west-1", endpoint_url=endpoint, credentials=CREDS)


def ref(bucket: str, key: str = KEY, size: int | None = None) -> ObjectRef:
    return ObjectRef(cloud="aws", region="eu-west-1", bucket=bucket, key=key, size=size)


def test_fetch_returns_the_bytes(store: S3Store, bucket: str) -> None:
    assert store.fetch(ref(bucket)) == IMAGE


def test_too_large_object_is_refused(store: S3Store, bucket: str) -> None:
    with pytest.raises(StorageError) as caught:
        store.fetch(ref(bucket), max_bytes=1000)
    assert (caught.value.code, caught.value.permanent) == ("storage.too_large", True)


def test_declared_size_refuses_before_any_request(store: S3Store) -> None:
    # No such bucket exists: only an early refusal can give `too_large` here.
    with pytest.raises(StorageError) as caught:
        store.fetch(ref("no-bucket-at-all", size=5000), max_bytes=1000)
    assert caught.value.code == "storage.too_large"


def test_empty_object_gives_empty_bytes(store: S3Store, bucket: str, endpoint: str) -> None:
    boto3.client(
        "s3",
        region_name="eu-west-1",
        endpoint_url=endpoint,
        aws_access_key_id=CREDS.access_key,
        aws_secret_access_key=CREDS.secret_key,
    ).put_object(Bucket=bucket, Key="empty.jpg", Body=b"")
    assert store.fetch(ref(bucket, "empty.jpg")) == b""


def test_missing_object_is_permanent_not_found(store: S3Store, bucket: str) -> None:
    with pytest.raises(StorageError) as caught:
        store.fetch(ref(bucket, "nope.jpg"))
    assert (caught.value.code, caught.value.permanent) == ("storage.not_found", True)


def test_missing_bucket_is_permanent_not_found(store: S3Store) -> None:
    with pytest.raises(StorageError) as caught:
        store.head(ref("no-such-bucket"))
    assert (caught.value.code, caught.value.permanent) == ("storage.not_found", True)


def test_head_reports_size_and_etag(store: S3Store, bucket: str) -> None:
    info = store.head(ref(bucket))
    assert info.size == len(IMAGE)
    assert info.etag


def test_signed_url_downloads_the_object_over_http(store: S3Store, bucket: str) -> None:
    url = store.signed_url(ref(bucket), expires_s=120)
    assert "X-Amz-Security-Token=" in url
    answer = requests.get(url, timeout=5)
    assert answer.status_code == 200
    assert answer.content == IMAGE


def test_put_json_writes_a_utf8_record(store: S3Store, bucket: str) -> None:
    store.put_json(bucket, "results/abc.json", {"status": "valid", "place": "Zürich"})
    assert store.fetch(ref(bucket, "results/abc.json")) == (
        '{"status":"valid","place":"Zürich"}'.encode()
    )


# --- failures moto does not produce, from an S3-speaking stub --------------------------------


def s3_error(status: int, code: str) -> StubResponse:
    body = f"<Error><Code>{code}</Code><Message>m</Message><RequestId>r</RequestId></Error>"
    return StubResponse(status, body.encode(), {"Content-Type": "application/xml"})


@pytest.fixture
def failing() -> Iterator[StubServer]:
    def refuse(request: RecordedRequest) -> StubResponse:
        return s3_error(403, "AccessDenied")

    with StubServer(refuse) as server:
        yield server


def stub_store(server: StubServer) -> S3Store:
    return S3Store(region="eu-west-1", endpoint_url=server.url, credentials=CREDS)


def test_access_denied_is_for_the_operator_and_the_read_was_ranged(failing: StubServer) -> None:
    with pytest.raises(StorageError) as caught:
        stub_store(failing).fetch(ref("scans"), max_bytes=4096)
    # The role's to fix: kept for retry and replay, never rejected.
    assert (caught.value.code, caught.value.permanent, caught.value.operator) == (
        "storage.denied",
        False,
        True,
    )
    request = failing.requests[-1]
    assert request.header("range") == "bytes=0-4096"
    assert request.header("x-amz-security-token") == CREDS.security_token


def test_server_errors_are_transient(failing: StubServer) -> None:
    failing.then(*(s3_error(503, "SlowDown") for _ in range(5)))
    with pytest.raises(StorageError) as caught:
        stub_store(failing).fetch(ref("scans"))
    assert (caught.value.code, caught.value.permanent) == ("storage.unavailable", False)


def test_unreachable_endpoint_is_transient() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    store = S3Store(region="eu-west-1", endpoint_url=f"http://127.0.0.1:{port}", credentials=CREDS)
    with pytest.raises(StorageError) as caught:
        store.fetch(ref("scans"))
    assert (caught.value.code, caught.value.permanent) == ("storage.unavailable", False)


def test_a_write_to_a_missing_results_bucket_is_the_operators_to_fix(store: S3Store) -> None:
    with pytest.raises(StorageError) as caught:
        store.put_json("no-such-results-bucket", "results/abc.json", {"status": "valid"})
    error = caught.value
    assert (error.code, error.permanent, error.operator) == ("storage.write_refused", False, True)


def test_delete_removes_the_upload(store: S3Store, bucket: str) -> None:
    store.delete(ref(bucket))
    with pytest.raises(StorageError) as caught:
        store.head(ref(bucket))
    assert caught.value.code == "storage.not_found"
