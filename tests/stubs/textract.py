"""Amazon Textract AnalyzeID on loopback: an AWS SigV4 verifier and an AnalyzeID stub.

`verify_sigv4` is this project's own implementation of Signature Version 4, written from
AWS's documentation (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html:
canonical request, string to sign, the HMAC-SHA256 key chain AWS4+secret -> date ->
region -> service -> aws4_request) and never calling botocore's signer, so a passing test
proves that what boto3 sends is what AWS checks.

`TextractStub` speaks the JSON 1.1 protocol botocore uses for Textract (service-2.json
`metadata.protocols` ["smithy-rpc-v2-cbor", "json"]; botocore prefers "json":
botocore/utils.py `PRIORITY_ORDERED_SUPPORTED_PROTOCOLS`): `POST /` with
`X-Amz-Target: Textract.AnalyzeID`. Errors are `{"__type": ..., "message": ...}` with
HTTP 400 for client errors and 500 for the two `"fault": true` shapes (ThrottlingException,
InternalServerError), as the API reference lists them. An `S3Object` document is read from
moto's S3 (the stub's `s3` client), so an object reference really flows through: a missing
object, bucket or version is `InvalidS3ObjectException`, as the service answers it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from tests.stubs.server import RecordedRequest, StubResponse

ALGORITHM = "AWS4-HMAC-SHA256"
TARGET = "Textract.AnalyzeID"
#: Its IAM action (Service Authorization Reference, Amazon Textract:
#: https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazontextract.html).
ACTION = "textract:AnalyzeID"
SERVICE = "textract"
#: AWS refuses a request dated more than 15 minutes from its clock (CommonErrors:
#: RequestExpired / "Signature expired").
MAX_CLOCK_SKEW_SECONDS = 15 * 60
#: SigV4 requires the host header to be signed, and x-amz-date when it carries the date.
REQUIRED_SIGNED_HEADERS = frozenset({"host", "x-amz-date"})
JSON_11 = "application/x-amz-json-1.1"

_AUTHORIZATION = re.compile(
    r"^AWS4-HMAC-SHA256 Credential=(?P<key>[^/,\s]+)/(?P<date>\d{8})/(?P<region>[a-z0-9-]+)/"
    r"(?P<service>[a-z0-9-]+)/(?P<terminator>[a-z0-9_]+),\s*"
    r"SignedHeaders=(?P<signed>[a-z0-9;_-]+),\s*Signature=(?P<signature>[0-9a-f]{64})$"
)

#: Modeled errors (service-2.json) and their status: 500 for `"fault": true` shapes.
STATUS: Mapping[str, int] = {
    "InvalidParameterException": 400,
    "InvalidS3ObjectException": 400,
    "UnsupportedDocumentException": 400,
    "DocumentTooLargeException": 400,
    "BadDocumentException": 400,
    "AccessDeniedException": 400,
    "ProvisionedThroughputExceededException": 400,
    "InternalServerError": 500,
    "ThrottlingException": 500,
    # what a SigV4 verifier answers (JSON protocol services)
    "IncompleteSignature": 400,
    "InvalidSignatureException": 400,
    "UnrecognizedClientException": 400,
    "ExpiredTokenException": 400,
    "UnknownOperationException": 400,
}
MESSAGES: Mapping[str, str] = {
    "InvalidSignatureException": "The request signature we calculated does not match the "
    "signature you provided.",
    "UnrecognizedClientException": "The security token included in the request is invalid.",
    "ExpiredTokenException": "The security token included in the request is expired",
    "IncompleteSignature": "The request signature does not conform to AWS standards.",
    "InvalidS3ObjectException": "Unable to get object metadata from S3. Check object key, "
    "region and/or access permissions.",
    "UnsupportedDocumentException": "Request has unsupported document format",
    "BadDocumentException": "Request has invalid image format",
    "DocumentTooLargeException": "S3 object size is more than the maximum limit",
    "InvalidParameterException": "Request has invalid parameters",
    "ThrottlingException": "Slow down",
}
#: What AnalyzeID reads (service-2.json `Document`: "The document bytes must be in PNG or
#: JPEG format", 5 MB for bytes and for S3 objects).
MAX_DOCUMENT_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class SigV4Authorization:
    access_key: str
    date: str
    region: str
    service: str
    terminator: str
    signed_headers: tuple[str, ...]
    signature: str


def parse_authorization(value: str | None) -> SigV4Authorization | None:
    match = _AUTHORIZATION.match((value or "").strip())
    if match is None:
        return None
    return SigV4Authorization(
        access_key=match["key"],
        date=match["date"],
        region=match["region"],
        service=match["service"],
        terminator=match["terminator"],
        signed_headers=tuple(match["signed"].split(";")),
        signature=match["signature"],
    )


def _hmac(key: bytes, message: str) -> bytes:
    return hmac.new(key, message.encode("utf-8"), hashlib.sha256).digest()


def signing_key(secret_key: str, date: str, region: str, service: str) -> bytes:
    """The documented derivation: AWS4+secret -> date -> region -> service -> aws4_request."""
    k_date = _hmac(("AWS4" + secret_key).encode("utf-8"), date)
    k_region = _hmac(k_date, region)
    k_service = _hmac(k_region, service)
    return _hmac(k_service, "aws4_request")


def _header_values(request: RecordedRequest, name: str) -> str:
    """All values of a header, comma-joined, each trimmed with inner spaces collapsed."""
    values = [v for k, v in request.header_list if k.lower() == name]
    return ",".join(" ".join(v.split()) for v in values)


def canonical_request(request: RecordedRequest, signed_headers: tuple[str, ...]) -> str:
    """CanonicalRequest: method, URI, sorted query, headers, signed names, payload hash."""
    query = "&".join(sorted(request.raw_path.partition("?")[2].split("&"))).strip("&")
    headers = "".join(f"{name}:{_header_values(request, name)}\n" for name in signed_headers)
    payload = request.header("x-amz-content-sha256") or hashlib.sha256(request.body).hexdigest()
    return "\n".join(
        [
            request.method,
            request.path or "/",
            query,
            headers,
            ";".join(signed_headers),
            payload,
        ]
    )


def verify_sigv4(  # noqa: PLR0911 (one early return per documented rule)
    request: RecordedRequest,
    secret_for_key: Callable[[str], str | None],
    *,
    service: str = SERVICE,
    region: str,
    token_for_key: Callable[[str], str | None] | None = None,
    now: Callable[[], float] = time.time,
) -> str | None:
    """Check a SigV4-signed request; return the error code AWS would answer, or None.

    Besides the signature: the scope (date, region, service, terminator), the signed
    headers SigV4 requires, the date within 15 minutes of `now`, and the session token
    (`token_for_key(key)` names the token a temporary key must carry; None: the key is
    long-lived and sends none).
    """
    auth = parse_authorization(request.header("Authorization"))
    if auth is None or auth.terminator != "aws4_request":
        return "IncompleteSignature"
    if not set(auth.signed_headers) >= REQUIRED_SIGNED_HEADERS:
        return "IncompleteSignature"
    if list(auth.signed_headers) != sorted(auth.signed_headers):
        return "InvalidSignatureException"
    amz_date = request.header("x-amz-date") or ""
    try:
        stamp = datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)
    except ValueError:
        return "IncompleteSignature"
    if abs(now() - stamp.timestamp()) > MAX_CLOCK_SKEW_SECONDS:
        return "InvalidSignatureException"  # "Signature expired"
    secret = secret_for_key(auth.access_key)
    if secret is None:
        return "UnrecognizedClientException"
    if token_for_key is not None and request.header("x-amz-security-token") != token_for_key(
        auth.access_key
    ):
        return "UnrecognizedClientException"
    if auth.date != amz_date[:8] or auth.region != region or auth.service != service:
        return "InvalidSignatureException"
    scope = f"{auth.date}/{auth.region}/{auth.service}/aws4_request"
    digest = hashlib.sha256(
        canonical_request(request, auth.signed_headers).encode("utf-8")
    ).hexdigest()
    string_to_sign = f"{ALGORITHM}\n{amz_date}\n{scope}\n{digest}"
    key = signing_key(secret, auth.date, auth.region, auth.service)
    expected = hmac.new(key, string_to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, auth.signature):
        return "InvalidSignatureException"
    return None


# -- answers ----------------------------------------------------------------------------------


def new_request_id() -> str:
    return str(uuid.uuid4())


def textract_error(code: str, message: str | None = None) -> StubResponse:
    """A documented error body: `__type` and `message`, HTTP status by the service model."""
    body = json.dumps({"__type": code, "message": message or MESSAGES.get(code, code)})
    return StubResponse(
        STATUS.get(code, 400),
        body.encode(),
        {"Content-Type": JSON_11, "x-amzn-RequestId": new_request_id()},
    )


def textract_json(answer: Mapping[str, Any]) -> StubResponse:
    return StubResponse(
        200,
        json.dumps(answer).encode(),
        {"Content-Type": JSON_11, "x-amzn-RequestId": new_request_id()},
    )


def field_entry(
    kind: str, value: str, confidence: float = 98.0, normalized: str | None = None
) -> dict[str, Any]:
    """One `IdentityDocumentField` (service-2.json shapes `IdentityDocumentField`,
    `AnalyzeIDDetections`)."""
    detection: dict[str, Any] = {"Text": value, "Confidence": confidence}
    if normalized is not None:
        detection["NormalizedValue"] = {"Value": normalized, "ValueType": "DATE"}
    return {"Type": {"Text": kind, "Confidence": 99.9}, "ValueDetection": detection}


def analyze_id_answer(fields: list[dict[str, Any]]) -> dict[str, Any]:
    """An AnalyzeIDResponse with one identity document (the API reference's syntax)."""
    return {
        "IdentityDocuments": [{"DocumentIndex": 1, "IdentityDocumentFields": fields}],
        "DocumentMetadata": {"Pages": 1},
        "AnalyzeIDModelVersion": "1.0",
    }


def _sniff(data: bytes) -> str | None:
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    return None


@dataclass
class TextractStub:
    """AnalyzeID: verifies SigV4, reads `S3Object` documents from S3, answers by content.

    `answers` maps document bytes to the answer (a dict) or to an error code to raise;
    unknown JPEG/PNG bytes get `default` (or BadDocumentException when None).
    """

    keys: Mapping[str, str]
    region: str
    answers: dict[bytes, dict[str, Any] | str] = field(default_factory=dict)
    default: dict[str, Any] | None = None
    #: A boto3 S3 client (moto's server): where `S3Object` documents are read.
    s3: Any = None
    tokens: Mapping[str, str] | None = None
    now: Callable[[], float] = time.time
    #: The documents each accepted request named: ("object", bucket, key, version) or
    #: ("bytes", length).
    documents: list[tuple[Any, ...]] = field(default_factory=list)
    #: IAM: does the caller (its access key) hold this action? None: every caller does.
    #: Textract answers a denied caller AccessDeniedException, HTTP 400 (botocore
    #: data/textract/2018-06-27/service-2.json, AnalyzeID "errors").
    authorize: Callable[[str, str], bool] | None = None

    def __call__(self, request: RecordedRequest) -> StubResponse:  # noqa: PLR0911 (one per rule)
        if request.method != "POST" or request.path != "/":
            return textract_error("UnknownOperationException", "only POST /")
        token_for = self.tokens.get if self.tokens is not None else None
        refused = verify_sigv4(
            request, self.keys.get, region=self.region, token_for_key=token_for, now=self.now
        )
        if refused is not None:
            return textract_error(refused)
        if request.header("x-amz-target") != TARGET:
            return textract_error("UnknownOperationException", "unknown operation")
        if self.authorize is not None and not self.authorize(_access_key(request), ACTION):
            return textract_error("AccessDeniedException", f"not authorized to perform {ACTION}")
        try:
            body = json.loads(request.body)
            pages = body["DocumentPages"]
        except (ValueError, KeyError, TypeError):
            return textract_error("InvalidParameterException")
        if not isinstance(pages, list) or not 1 <= len(pages) <= 2:
            return textract_error("InvalidParameterException")
        data = self._document(pages[0])
        if isinstance(data, StubResponse):
            return data
        return self._answer(data)

    def _document(self, page: Any) -> bytes | StubResponse:
        if not isinstance(page, dict) or ("Bytes" in page) == ("S3Object" in page):
            return textract_error("InvalidParameterException")
        if "Bytes" in page:
            try:
                data = base64.b64decode(page["Bytes"], validate=True)
            except (binascii.Error, TypeError, ValueError):
                return textract_error("InvalidParameterException")
            self.documents.append(("bytes", len(data)))
            return data
        s3_object = page["S3Object"]
        if (
            not isinstance(s3_object, dict)
            or not s3_object.get("Bucket")
            or not s3_object.get("Name")
        ):
            return textract_error("InvalidParameterException")
        return self._read_object(s3_object)

    def _read_object(self, s3_object: dict[str, Any]) -> bytes | StubResponse:
        from botocore.exceptions import ClientError

        params = {"Bucket": s3_object["Bucket"], "Key": s3_object["Name"]}
        if s3_object.get("Version"):
            params["VersionId"] = s3_object["Version"]
        try:
            data: bytes = self.s3.get_object(**params)["Body"].read()
        except ClientError:  # missing bucket, key or version, or denied
            return textract_error("InvalidS3ObjectException")
        self.documents.append(
            ("object", s3_object["Bucket"], s3_object["Name"], s3_object.get("Version"))
        )
        return data

    def _answer(self, data: bytes) -> StubResponse:
        if len(data) > MAX_DOCUMENT_BYTES:
            return textract_error("DocumentTooLargeException")
        scripted = self.answers.get(data)
        if isinstance(scripted, str):
            return textract_error(scripted)
        if scripted is not None:
            return textract_json(scripted)
        if _sniff(data) is None:
            return textract_error("UnsupportedDocumentException")
        if self.default is None:
            return textract_error("BadDocumentException")
        return textract_json(self.default)


def _access_key(request: RecordedRequest) -> str:
    """The signer's access key (the signature was verified before this is asked)."""
    match = _AUTHORIZATION.match((request.header("authorization") or "").strip())
    return match["key"] if match else ""
