"""ObsStore driven through the real esdk-obs-python client against a signature-checking stub."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

import pytest
import requests

from passport_ocr.credentials import Credentials
from passport_ocr.errors import StorageError
from passport_ocr.events.base import ObjectRef
from passport_ocr.storage.obs import ObsStore, obs_server
from tests.stubs.obs import ObsStub
from tests.stubs.server import StubResponse, StubServer

AK, SK, TOKEN = "AKTEMPORARY", "sk-temporary-secret", "agency-token-123"
KEY = "uploads/2026/Zoë Doe+scan 1%.jpg"
IMAGE = bytes(range(256)) * 40  # 10 KiB


@pytest.fixture
def stub() -> ObsStub:
    obs = ObsStub(AK, SK, TOKEN)
    obs.put("scans", KEY, IMAGE)
    return obs


@pytest.fixture
def server(stub: ObsStub) -> Iterator[StubServer]:
    with StubServer(stub) as running:
        yield running


@pytest.fixture
def store(server: StubServer) -> ObsStore:
    return ObsStore(Credentials(AK, SK, TOKEN), server.url, path_style=True)


def ref(key: str = KEY, bucket: str = "scans", size: int | None = None) -> ObjectRef:
    return ObjectRef(cloud="huaweicloud", region="cn-north-4", bucket=bucket, key=key, size=size)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_fetch_returns_the_bytes_signed_with_the_temporary_token(
    store: ObsStore, server: StubServer, stub: ObsStub
) -> None:
    assert store.fetch(ref()) == IMAGE
    request = server.requests[-1]
    assert request.header("x-amz-security-token") == TOKEN
    assert (request.header("authorization") or "").startswith(f"AWS {AK}:")
    assert stub.auth_failures == []


def test_too_large_object_is_refused_after_one_byte_more_than_the_limit(
    store: ObsStore, stub: ObsStub
) -> None:
    stub.put("scans", "big.jpg", b"\xff" * 500_000)
    with pytest.raises(StorageError) as caught:
        store.fetch(ref("big.jpg"), max_bytes=10_000)
    assert caught.value.code == "storage.too_large"
    assert caught.value.permanent
    assert stub.bytes_served <= 10_001


def test_declared_size_refuses_before_any_request(store: ObsStore, server: StubServer) -> None:
    with pytest.raises(StorageError, match="larger than 100 bytes"):
        store.fetch(ref(size=101), max_bytes=100)
    assert server.requests == []


def test_object_of_exactly_the_limit_is_fetched(store: ObsStore) -> None:
    assert store.fetch(ref(), max_bytes=len(IMAGE)) == IMAGE


def test_empty_object_gives_empty_bytes(store: ObsStore, stub: ObsStub) -> None:
    stub.put("scans", "empty.jpg", b"")
    assert store.fetch(ref("empty.jpg")) == b""


def test_missing_object_is_permanent_not_found(store: ObsStore) -> None:
    with pytest.raises(StorageError) as caught:
        store.fetch(ref("nope.jpg"))
    assert (caught.value.code, caught.value.permanent) == ("storage.not_found", True)


def test_denied_bucket_is_the_operators_to_fix(store: ObsStore, stub: ObsStub) -> None:
    stub.denied_buckets.add("scans")
    with pytest.raises(StorageError) as caught:
        store.fetch(ref())
    # The role's to fix: kept for retry and replay, never rejected.
    assert (caught.value.code, caught.value.permanent, caught.value.operator) == (
        "storage.denied",
        False,
        True,
    )


def test_wrong_secret_fails_the_stub_signature_check(server: StubServer, stub: ObsStub) -> None:
    wrong = ObsStore(Credentials(AK, "not-the-secret", TOKEN), server.url, path_style=True)
    with pytest.raises(StorageError) as caught:
        wrong.fetch(ref())
    assert caught.value.code == "storage.denied"
    assert stub.auth_failures == ["SignatureDoesNotMatch"]


def test_expired_token_is_refused(server: StubServer, stub: ObsStub) -> None:
    stale = ObsStore(Credentials(AK, SK, "expired-token"), server.url, path_style=True)
    with pytest.raises(StorageError, match="denied"):
        stale.head(ref())
    assert stub.auth_failures == ["InvalidToken"]


def test_renewed_credentials_are_used_on_the_next_call(server: StubServer, stub: ObsStub) -> None:
    current = {"creds": Credentials(AK, SK, TOKEN)}
    store = ObsStore(lambda: current["creds"], server.url, path_style=True)
    assert store.fetch(ref()) == IMAGE
    stub.security_token = "renewed-token"
    current["creds"] = Credentials(AK, SK, "renewed-token")
    assert store.fetch(ref()) == IMAGE
    assert server.requests[-1].header("x-amz-security-token") == "renewed-token"


def test_server_error_is_transient(store: ObsStore, server: StubServer) -> None:
    failure = StubResponse(503, b"<html>busy</html>", {"Content-Type": "text/html"})
    server.then(failure, failure, failure)
    with pytest.raises(StorageError) as caught:
        store.fetch(ref())
    assert (caught.value.code, caught.value.permanent) == ("storage.unavailable", False)


def test_unreachable_endpoint_is_transient() -> None:
    store = ObsStore(Credentials(AK, SK, TOKEN), f"http://127.0.0.1:{free_port()}", path_style=True)
    with pytest.raises(StorageError) as caught:
        store.fetch(ref())
    assert (caught.value.code, caught.value.permanent) == ("storage.unavailable", False)


def test_head_reports_size_and_etag(store: ObsStore) -> None:
    info = store.head(ref())
    assert info.size == len(IMAGE)
    assert info.etag is not None
    assert info.etag.strip('"')


def test_signed_url_downloads_the_object_over_http(store: ObsStore) -> None:
    url = store.signed_url(ref(), expires_s=120)
    assert "x-amz-security-token=" in url
    answer = requests.get(url, timeout=5)
    assert answer.status_code == 200
    assert answer.content == IMAGE


def test_tampered_signed_url_is_refused(store: ObsStore, stub: ObsStub) -> None:
    url = store.signed_url(ref(), expires_s=120)
    parts = urlsplit(url)
    other_key = urlunsplit(parts._replace(path=parts.path.replace("scan", "scam")))
    assert requests.get(other_key, timeout=5).status_code == 403
    assert stub.auth_failures == ["SignatureDoesNotMatch"]


def test_put_json_writes_a_utf8_record(store: ObsStore, stub: ObsStub) -> None:
    store.put_json("results", "results/abc.json", {"status": "valid", "place": "Zürich"})
    stored = stub.objects[("results", "results/abc.json")]
    assert stored.data == '{"status":"valid","place":"Zürich"}'.encode()
    assert stored.content_type == "application/json"


def test_default_server_is_the_regional_endpoint() -> None:
    assert obs_server("ap-southeast-1") == "https://obs.ap-southeast-1.myhuaweicloud.com"
    assert obs_server("cn-north-4", "http://127.0.0.1:9") == "http://127.0.0.1:9"


def test_a_body_cut_short_is_a_transient_storage_error() -> None:
    """OBS answers 206 with 1,000 bytes announced and closes after 100: the SDK raises a bare
    `Exception` ("premature end of Content-Length delimiter message body")."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    announced = b"HTTP/1.1 206 Partial Content\r\nContent-Length: 1000\r\n"

    def answer_short() -> None:  # every try, the SDK's own retries included
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:  # closed: the test is over
                return
            with connection:
                connection.recv(65536)
                connection.sendall(
                    announced + b"Content-Range: bytes 0-999/1000\r\n\r\n" + b"a" * 100
                )

    serving = threading.Thread(target=answer_short, daemon=True)
    serving.start()
    store = ObsStore(
        Credentials(AK, SK, TOKEN), f"http://127.0.0.1:{listener.getsockname()[1]}", path_style=True
    )
    try:
        with pytest.raises(StorageError) as caught:
            store.fetch(ref())
    finally:
        listener.close()
        serving.join(timeout=5)
    assert (caught.value.code, caught.value.permanent) == ("storage.unavailable", False)


def test_delete_removes_the_upload_signed_like_every_request(
    store: ObsStore, stub: ObsStub, server: StubServer
) -> None:
    store.delete(ref())
    assert ("scans", KEY) not in stub.objects
    assert server.requests[-1].method == "DELETE" and stub.auth_failures == []
