"""Contract tests: the real boto3 Textract client against a local AnalyzeID stub.

The stub verifies AWS SigV4 with its own implementation (`tests/stubs/textract.py`), answers
with AnalyzeID's documented shapes and error bodies, and reads `S3Object` documents from
moto's S3 server, so an object reference really flows through. moto 5.2.6 does not
implement `analyze_id` (moto/textract/responses.py has no such action).
"""

from __future__ import annotations

import json
import socket
import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from passport_ocr.config import load_settings
from passport_ocr.credentials import Credentials
from passport_ocr.errors import ConfigError, ImageError, ProviderCategory, ProviderError
from passport_ocr.events.base import ObjectRef
from passport_ocr.images import PreparedImage
from passport_ocr.mapping import to_record
from passport_ocr.providers.base import ImageInput, RetryPolicy
from passport_ocr.providers.textract import ERROR_TABLE, TextractProvider, classify
from passport_ocr.record import Status
from tests.handler_helpers import SPECIMEN, page_jpeg, textract_answer
from tests.moto_helpers import REGION, Moto
from tests.stubs.server import RecordedRequest, StubResponse, StubServer
from tests.stubs.textract import (
    STATUS,
    TextractStub,
    textract_error,
    verify_sigv4,
)

KEY_ID, SECRET = "AKIAEXAMPLETEXTRACT1", "example-textract-secret"
ROLE = Credentials("ASIAEXAMPLEROLE00001", "role-secret", "role-session-token")
IMAGE = page_jpeg()
ANSWER = textract_answer(SPECIMEN)
TODAY = date(2026, 1, 15)
_C = ProviderCategory

#: Every AnalyzeID error of botocore's service model and what it must mean.
DOCUMENTED: dict[str, tuple[ProviderCategory, bool, int]] = {
    "ThrottlingException": (_C.THROTTLED, True, 500),
    "ProvisionedThroughputExceededException": (_C.THROTTLED, True, 400),
    "InternalServerError": (_C.VENDOR_UNAVAILABLE, True, 500),
    "AccessDeniedException": (_C.CREDENTIALS, False, 400),
    "InvalidS3ObjectException": (_C.NETWORK, False, 400),
    "UnsupportedDocumentException": (_C.BAD_IMAGE, False, 400),
    "BadDocumentException": (_C.BAD_IMAGE, False, 400),
    "DocumentTooLargeException": (_C.BAD_IMAGE, False, 400),
    "InvalidParameterException": (_C.BAD_REQUEST, False, 400),
}


def jpeg(data: bytes = IMAGE) -> ImageInput:
    return ImageInput(image=PreparedImage(data, "JPEG", 640, 450))


@pytest.fixture(scope="module")
def server() -> Iterator[StubServer]:
    with StubServer(lambda request: StubResponse(500)) as running:
        yield running


@pytest.fixture
def stub(server: StubServer, moto: Moto) -> TextractStub:
    textract = TextractStub(
        keys={KEY_ID: SECRET, ROLE.access_key: ROLE.secret_key},
        region=REGION,
        answers={IMAGE: ANSWER},
        s3=moto.client("s3"),
    )
    server.serve(textract)
    return textract


def provider(server: StubServer, *, attempts: int = 3, **kwargs: Any) -> TextractProvider:
    kwargs.setdefault("credentials", Credentials(KEY_ID, SECRET))
    return TextractProvider(
        region=REGION,
        endpoint=server.url,
        retry=RetryPolicy(max_attempts=attempts, base_delay=0.0, max_delay=0.0),
        sleep=lambda _: None,
        **kwargs,
    )


@pytest.fixture
def bucket(moto: Moto) -> str:
    name = f"textract-{uuid.uuid4().hex[:10]}"
    s3 = moto.client("s3")
    s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
    return name


# -- the signature ----------------------------------------------------------------------------


def test_the_verifier_accepts_the_boto3_request_and_rejects_any_tampering(
    server: StubServer, stub: TextractStub
) -> None:
    provider(server).recognize(jpeg())
    (sent,) = server.requests
    assert sent.header("x-amz-target") == "Textract.AnalyzeID"
    keys = {KEY_ID: SECRET}.get
    assert verify_sigv4(sent, keys, region=REGION) is None

    def tampered(**changes: Any) -> RecordedRequest:
        return replace(sent, **changes)

    headers = dict(sent.headers)
    cases = {
        "body": tampered(body=sent.body.replace(b"Bytes", b"Bytez")),
        "target": tampered(
            header_list=[
                (k, "Textract.DetectDocumentText" if k.lower() == "x-amz-target" else v)
                for k, v in sent.header_list
            ]
        ),
        "path": tampered(path="/other", raw_path="/other"),
        "no auth": tampered(headers={k: v for k, v in headers.items() if k != "authorization"}),
    }
    assert verify_sigv4(sent, {KEY_ID: "another secret"}.get, region=REGION) == (
        "InvalidSignatureException"
    )
    assert verify_sigv4(sent, {}.get, region=REGION) == "UnrecognizedClientException"
    assert verify_sigv4(sent, keys, region="us-east-1") == "InvalidSignatureException"
    assert verify_sigv4(sent, keys, region=REGION, now=lambda: 0.0) == (
        "InvalidSignatureException"  # a date 15 minutes away: "Signature expired"
    )
    for name, request in cases.items():
        assert verify_sigv4(request, keys, region=REGION) is not None, name


def test_a_wrong_secret_is_refused_like_aws_does(server: StubServer, stub: TextractStub) -> None:
    wrong = provider(server, credentials=Credentials(KEY_ID, "not the secret"))
    with pytest.raises(ProviderError) as caught:
        wrong.recognize(jpeg())
    error = caught.value
    assert (error.category, error.retryable, error.operator) == (_C.CREDENTIALS, False, True)
    assert (error.vendor_code, error.http_status) == ("InvalidSignatureException", 400)


def test_a_role_s_session_token_is_sent_and_checked(server: StubServer, stub: TextractStub) -> None:
    stub.tokens = {ROLE.access_key: "role-session-token"}
    provider(server, credentials=ROLE).recognize(jpeg())
    assert server.requests[-1].header("x-amz-security-token") == "role-session-token"
    with pytest.raises(ProviderError) as caught:
        provider(server, credentials=replace(ROLE, security_token="stale")).recognize(jpeg())
    assert caught.value.vendor_code == "UnrecognizedClientException"


# -- bytes and object references ------------------------------------------------------------


def test_bytes_are_sent_as_one_document_and_the_answer_comes_back_untouched(
    server: StubServer, stub: TextractStub
) -> None:
    answer = provider(server).recognize(jpeg())
    assert answer.format == "textract"
    assert answer.raw == ANSWER  # boto3's ResponseMetadata left out, nothing else
    assert answer.request_id is not None and answer.attempts == 1
    body = json.loads(server.requests[0].body)
    assert list(body) == ["DocumentPages"] and list(body["DocumentPages"][0]) == ["Bytes"]
    assert stub.documents == [("bytes", len(IMAGE))]


def test_an_object_reference_is_read_by_the_service_itself_at_the_named_version(
    server: StubServer, stub: TextractStub, moto: Moto, bucket: str
) -> None:
    s3 = moto.client("s3")
    first = s3.put_object(Bucket=bucket, Key="uploads/p 1.jpg", Body=IMAGE)["VersionId"]
    s3.put_object(Bucket=bucket, Key="uploads/p 1.jpg", Body=b"a later version")
    ref = ObjectRef(
        cloud="aws", region=REGION, bucket=bucket, key="uploads/p 1.jpg", version_id=first
    )

    answer = provider(server).recognize(ImageInput(object=ref))

    assert answer.raw == ANSWER  # the named version, not the later one
    body = json.loads(server.requests[0].body)
    assert body == {
        "DocumentPages": [
            {"S3Object": {"Bucket": bucket, "Name": "uploads/p 1.jpg", "Version": first}}
        ]
    }
    assert stub.documents == [("object", bucket, "uploads/p 1.jpg", first)]


def test_a_missing_object_is_invalid_s3_object_and_not_retried(
    server: StubServer, stub: TextractStub, bucket: str
) -> None:
    ref = ObjectRef(cloud="aws", region=REGION, bucket=bucket, key="uploads/gone.jpg")
    with pytest.raises(ProviderError) as caught:
        provider(server).recognize(ImageInput(object=ref))
    error = caught.value
    assert error.vendor_code == "InvalidS3ObjectException"
    # Neither a verdict on the upload nor on the operator: the pipeline reads it itself.
    assert (error.category, error.retryable, error.permanent, error.operator) == (
        _C.NETWORK,
        False,
        False,
        False,
    )
    assert len(server.requests) == 1


def test_can_fetch_is_s3_in_textract_s_own_region() -> None:
    textract = TextractProvider(region=REGION)
    assert textract.can_fetch(ObjectRef(cloud="aws", region=REGION, bucket="b", key="k"))
    assert not textract.can_fetch(ObjectRef(cloud="aws", region="us-east-1", bucket="b", key="k"))
    assert not textract.can_fetch(ObjectRef(cloud="aws", bucket="b", key="k"))
    assert not textract.can_fetch(
        ObjectRef(cloud="tencentcloud", region=REGION, bucket="b", key="k")
    )


# -- every documented error -------------------------------------------------------------------


@pytest.mark.parametrize("code", sorted(DOCUMENTED))
def test_each_documented_error_is_classified_and_retried_only_when_it_may_pass(
    server: StubServer, stub: TextractStub, code: str
) -> None:
    category, retryable, status = DOCUMENTED[code]
    assert STATUS[code] == status  # the stub answers the status the service model implies
    server.then(*[textract_error(code)] * 3)
    with pytest.raises(ProviderError) as caught:
        provider(server).recognize(jpeg())
    error = caught.value
    assert (error.category, error.retryable) == (category, retryable)
    assert (error.vendor_code, error.http_status) == (code, status)
    assert error.request_id is not None
    # Our loop is the only one: 3 tries when retryable, else one; botocore adds none.
    assert len(server.requests) == (3 if retryable else 1)


def test_the_table_covers_every_error_of_the_service_model() -> None:
    assert set(DOCUMENTED) <= set(ERROR_TABLE)
    for code, (category, retryable) in ERROR_TABLE.items():
        assert classify(code) == (category, retryable, True)


def test_botocore_s_own_retries_are_off(server: StubServer, stub: TextractStub) -> None:
    server.then(textract_error("ThrottlingException"), textract_error("ThrottlingException"))
    with pytest.raises(ProviderError):
        provider(server, attempts=1).recognize(jpeg())
    assert len(server.requests) == 1


def test_throttling_is_retried_then_succeeds(server: StubServer, stub: TextractStub) -> None:
    server.then(textract_error("ProvisionedThroughputExceededException"))
    answer = provider(server).recognize(jpeg())
    assert (answer.attempts, answer.raw) == (2, ANSWER)


def test_an_unknown_code_with_a_5xx_is_the_vendor_s_side(
    server: StubServer, stub: TextractStub
) -> None:
    body = json.dumps({"__type": "SomethingNew", "message": "x"}).encode()
    server.then(*[StubResponse(503, body, {"Content-Type": "application/x-amz-json-1.1"})] * 3)
    with pytest.raises(ProviderError) as caught:
        provider(server).recognize(jpeg())
    assert (caught.value.category, caught.value.retryable) == (_C.VENDOR_UNAVAILABLE, True)


def test_a_200_that_is_not_an_api_answer_is_a_retryable_vendor_failure(
    server: StubServer, stub: TextractStub
) -> None:
    page = StubResponse(200, b"<html>gateway</html>", {"Content-Type": "text/html"})
    server.then(page, page, page)
    with pytest.raises(ProviderError) as caught:
        provider(server).recognize(jpeg())
    assert (caught.value.category, caught.value.retryable) == (_C.VENDOR_UNAVAILABLE, True)


# -- timeouts and connections -----------------------------------------------------------------


def test_a_slow_service_times_out_at_the_configured_timeout(
    server: StubServer, stub: TextractStub
) -> None:
    server.then(StubResponse(200, b"{}", delay=2.5))
    with pytest.raises(ProviderError) as caught:
        provider(server, attempts=1, timeout=1.0).recognize(jpeg())
    assert (caught.value.category, caught.value.retryable) == (_C.TIMEOUT, True)


def test_a_dropped_connection_is_a_retryable_network_error(
    server: StubServer, stub: TextractStub
) -> None:
    server.then(StubResponse(drop=True))
    with pytest.raises(ProviderError) as caught:
        provider(server, attempts=1).recognize(jpeg())
    assert (caught.value.category, caught.value.retryable) == (_C.NETWORK, True)


def test_a_refused_connection_is_a_network_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    textract = TextractProvider(
        region=REGION,
        endpoint=f"http://127.0.0.1:{port}",
        credentials=Credentials(KEY_ID, SECRET),
        retry=RetryPolicy(max_attempts=1),
    )
    with pytest.raises(ProviderError) as caught:
        textract.recognize(jpeg())
    assert (caught.value.category, caught.value.retryable) == (_C.NETWORK, True)


# -- what never reaches the service, and configuration ----------------------------------------


def test_inputs_textract_refuses_never_reach_it(server: StubServer, stub: TextractStub) -> None:
    textract = provider(server)
    with pytest.raises(ProviderError) as url:
        textract.recognize(ImageInput(url="https://example.com/p.jpg"))
    assert url.value.category == _C.BAD_REQUEST
    with pytest.raises(ImageError):
        textract.recognize(ImageInput(image=PreparedImage(b"RIFF....WEBP", "WEBP", 10, 10)))
    big = PreparedImage(b"\xff\xd8\xff" + bytes(5 * 1024 * 1024), "JPEG", 640, 450)
    with pytest.raises(ImageError) as large:
        textract.recognize(ImageInput(image=big))
    assert large.value.reason == "too_large"
    assert server.requests == []


def test_settings_region_endpoint_and_errors() -> None:
    settings = load_settings({"PASSPORT_OCR_TEXTRACT_ENDPOINT": "http://127.0.0.1:9"})
    textract = TextractProvider.from_settings(settings, environ={"AWS_REGION": "eu-west-1"})
    assert (textract.region, textract.endpoint) == ("eu-west-1", "http://127.0.0.1:9")
    chosen = load_settings({"PASSPORT_OCR_TEXTRACT_REGION": "us-east-2"})
    assert TextractProvider.from_settings(chosen, environ={"AWS_REGION": "x"}).region == (
        "us-east-2"
    )
    with pytest.raises(ConfigError):
        TextractProvider.from_settings(load_settings({}), environ={})
    with pytest.raises(ConfigError):
        TextractProvider(region=REGION, timeout=0)


# -- the answer through the shared validation -------------------------------------------------


def test_the_stub_s_answer_maps_to_a_record_checked_against_the_mrz(
    server: StubServer, stub: TextractStub
) -> None:
    answer = provider(server).recognize(jpeg())
    record = to_record(answer.format, answer.raw, today=TODAY, request_id=answer.request_id)
    assert record.status == Status.VALID, record.finding_codes()
    assert (record.surname, record.document_number) == ("VESTERGAARD", SPECIMEN.document_number)
    assert record.source.vendor == "textract" and record.source.request_id == answer.request_id
    assert record.confidence["document_number"] == pytest.approx(0.975)
