"""CosStore driven through the real cos-python-sdk-v5 client against a signature-checking stub."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
import requests

from passport_ocr.credentials import Credentials
from passport_ocr.errors import StorageError
from passport_ocr.events.base import ObjectRef
from passport_ocr.storage.cos import CosStore, full_bucket_name
from tests.stubs.cos import CosStub
from tests.stubs.server import StubResponse, StubServer

SECRET_ID, SECRET_KEY, TOKEN = "AKIDtemporary", "scf-role-secret", "scf-session-token"
APPID = "1250000000"
KEY = "uploads/2026/Zoë Doe+scan 1%.jpg"
IMAGE = bytes(range(256)) * 40


@pytest.fixture
def stub() -> CosStub:
    cos = CosStub(SECRET_ID, SECRET_KEY, TOKEN)
    cos.put(KEY, IMAGE)
    return cos


@pytest.fixture
def server(stub: CosStub) -> Iterator[StubServer]:
    with StubServer(stub) as running:
        yield running


def make_store(url: str, credentials: Credentials | None = None) -> CosStore:
    return CosStore.from_endpoint(
        credentials or Credentials(SECRET_ID, SECRET_KEY, TOKEN), "ap-guangzhou", url, appid=APPID
    )


@pytest.fixture
def store(server: StubServer) -> CosStore:
    return make_store(server.url)


def ref(key: str = KEY, size: int | None = None) -> ObjectRef:
    return ObjectRef(
        cloud="tencentcloud", region="ap-guangzhou", bucket="scans", key=key, size=size
    )


def test_fetch_returns_the_bytes_signed_with_the_session_token(
    store: CosStore, server: StubServer, stub: CosStub
) -> None:
    assert store.fetch(ref()) == IMAGE
    request = server.requests[-1]
    assert request.header("x-cos-security-token") == TOKEN
    assert "q-sign-algorithm=sha1" in (request.header("authorization") or "")
    assert stub.auth_failures == []


def test_too_large_object_is_refused_without_whole_download(store: CosStore, stub: CosStub) -> None:
    stub.put("big.jpg", b"\xff" * 500_000)
    with pytest.raises(StorageError) as caught:
        store.fetch(ref("big.jpg"), max_bytes=10_000)
    assert (caught.value.code, caught.value.permanent) == ("storage.too_large", True)
    assert stub.bytes_served <= 10_001


def test_declared_size_refuses_before_any_request(store: CosStore, server: StubServer) -> None:
    with pytest.raises(StorageError, match="larger than"):
        store.fetch(ref(size=10**9))
    assert server.requests == []


def test_empty_object_gives_empty_bytes(store: CosStore, stub: CosStub) -> None:
    stub.put("empty.jpg", b"")
    assert store.fetch(ref("empty.jpg")) == b""


def test_missing_object_is_permanent_not_found(store: CosStore) -> None:
    with pytest.raises(StorageError) as caught:
        store.fetch(ref("nope.jpg"))
    assert (caught.value.code, caught.value.permanent) == ("storage.not_found", True)


def test_denied_key_is_the_operators_to_fix(store: CosStore, stub: CosStub) -> None:
    stub.denied_prefixes.add("uploads/")
    with pytest.raises(StorageError) as caught:
        store.fetch(ref())
    # The role's to fix: kept for retry and replay, never rejected.
    assert (caught.value.code, caught.value.permanent, caught.value.operator) == (
        "storage.denied",
        False,
        True,
    )


def test_wrong_secret_fails_the_stub_signature_check(server: StubServer, stub: CosStub) -> None:
    wrong = make_store(server.url, Credentials(SECRET_ID, "not-the-key", TOKEN))
    with pytest.raises(StorageError, match="denied"):
        wrong.fetch(ref())
    assert stub.auth_failures == ["SignatureDoesNotMatch"]


def test_missing_token_is_refused(server: StubServer, stub: CosStub) -> None:
    no_token = make_store(server.url, Credentials(SECRET_ID, SECRET_KEY))
    with pytest.raises(StorageError, match="denied"):
        no_token.head(ref())
    assert stub.auth_failures == ["InvalidAccessKeyId"]


def test_server_error_is_transient(store: CosStore, server: StubServer) -> None:
    failure = StubResponse(503, b"<html>busy</html>", {"Content-Type": "text/html"})
    server.then(failure, failure, failure)
    with pytest.raises(StorageError) as caught:
        store.fetch(ref())
    assert (caught.value.code, caught.value.permanent) == ("storage.unavailable", False)


def test_unreachable_endpoint_is_transient() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(StorageError) as caught:
        make_store(f"http://127.0.0.1:{port}").fetch(ref())
    assert (caught.value.code, caught.value.permanent) == ("storage.unavailable", False)


def test_head_reports_size(store: CosStore) -> None:
    assert store.head(ref()).size == len(IMAGE)


def test_signed_url_carries_the_token_and_downloads_over_http(store: CosStore) -> None:
    url = store.signed_url(ref(), expires_s=120)
    assert "x-cos-security-token=" in url
    answer = requests.get(url, timeout=5)
    assert answer.status_code == 200
    assert answer.content == IMAGE


def test_signed_url_with_an_added_parameter_is_refused(store: CosStore, stub: CosStub) -> None:
    url = store.signed_url(ref(), expires_s=120)
    assert requests.get(url + "&response-content-type=text/html", timeout=5).status_code == 403


def test_put_json_writes_a_utf8_record(store: CosStore, stub: CosStub) -> None:
    store.put_json("scans", "results/abc.json", {"status": "rejected", "code": "image.empty"})
    assert stub.objects["results/abc.json"] == (
        b'{"status":"rejected","code":"image.empty"}',
        "application/json",
    )


def test_bucket_names_gain_the_appid_once() -> None:
    assert full_bucket_name("scans", APPID) == f"scans-{APPID}"
    assert full_bucket_name(f"scans-{APPID}", APPID) == f"scans-{APPID}"
    assert full_bucket_name("scans", None) == "scans"


def test_delete_removes_the_upload_signed_like_every_request(
    store: CosStore, stub: CosStub, server: StubServer
) -> None:
    store.delete(ref())
    assert KEY not in stub.objects
    assert server.requests[-1].method == "DELETE" and stub.auth_failures == []
