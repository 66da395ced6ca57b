"""Huawei Cloud API Gateway (APIG) stub: the SDK-HMAC-SHA256 check, and the OCR passport route.

`verify_sdk_hmac_sha256` is an independent implementation of Huawei's AK/SK signature
(https://support.huaweicloud.com/devg-apisign/api-sign-algorithm.html), written from the
documented algorithm, never importing the SDK's signer. Other Huawei stubs (SMN) reuse it,
together with `apig_auth_failure` for the gateway's answer to a bad signature.
"""

from __future__ import annotations

import base64
import binascii
import calendar
import hashlib
import hmac
import json
import re
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from tests.stubs.policy import Denials, Policy, huawei_ocr_requirements
from tests.stubs.server import RecordedRequest, StubResponse

ALGORITHM = "SDK-HMAC-SHA256"
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
#: APIG refuses a request whose X-Sdk-Date is more than 15 minutes off.
MAX_CLOCK_SKEW_SECONDS = 15 * 60

_AUTHORIZATION = re.compile(
    r"^SDK-HMAC-SHA256\s+Access=(?P<ak>[^,\s]+),\s*SignedHeaders=(?P<signed>[^,\s]+),"
    r"\s*Signature=(?P<sig>[0-9a-f]{64})$"
)

SecretLookup = Mapping[str, str] | Callable[[str], str | None]


# -- the signature ----------------------------------------------------------------------
def _encode(text: str) -> str:
    # RFC 3986: everything but unreserved characters is percent-encoded.
    return quote(text, safe="-_.~")


def canonical_uri(path: str) -> str:
    segments = [_encode(unquote(segment)) for segment in path.split("/")]
    uri = "/".join(segments)
    return uri if uri.endswith("/") else uri + "/"


def canonical_query(query: list[tuple[str, str]]) -> str:
    pairs = sorted((_encode(key), _encode(value)) for key, value in query)
    return "&".join(f"{key}={value}" for key, value in pairs)


def payload_hash(request: RecordedRequest) -> str:
    # Non-JSON bodies may be left unsigned: the client says so in X-Sdk-Content-Sha256.
    declared = request.header("X-Sdk-Content-Sha256")
    if declared == "UNSIGNED-PAYLOAD":
        return declared
    return hashlib.sha256(request.body).hexdigest() if request.body else EMPTY_SHA256


def canonical_request(request: RecordedRequest, signed_headers: list[str]) -> str | None:
    """The text that is hashed and signed; None when a signed header is missing."""
    lines = []
    for name in signed_headers:
        value = request.header(name)
        if value is None:
            return None
        lines.append(f"{name}:{value.strip()}")
    return "\n".join(
        [
            request.method.upper(),
            canonical_uri(request.path),
            canonical_query(request.query),
            "\n".join(lines) + "\n",
            ";".join(signed_headers),
            payload_hash(request),
        ]
    )


def string_to_sign(sdk_date: str, canonical: str) -> str:
    digest = hashlib.sha256(canonical.encode()).hexdigest()
    return f"{ALGORITHM}\n{sdk_date}\n{digest}"


def sign(secret_key: str, text: str) -> str:
    return hmac.new(secret_key.encode(), text.encode(), hashlib.sha256).hexdigest()


def _parse_sdk_date(value: str) -> float | None:
    try:
        return float(calendar.timegm(time.strptime(value, "%Y%m%dT%H%M%SZ")))
    except ValueError:
        return None


@dataclass(frozen=True)
class SignatureCheck:
    """Why a request passed or failed the AK/SK check (for test assertions)."""

    ok: bool
    reason: str
    access_key: str | None = None
    signed_headers: tuple[str, ...] = ()


def check_sdk_hmac_sha256(  # noqa: PLR0911 (one early return per rule of the algorithm)
    request: RecordedRequest,
    secret_for_ak: SecretLookup,
    *,
    now: float | None = None,
    max_skew: float = MAX_CLOCK_SKEW_SECONDS,
) -> SignatureCheck:
    """Verify the request's `Authorization: SDK-HMAC-SHA256 ...` header, explaining the result."""
    match = _AUTHORIZATION.match((request.header("Authorization") or "").strip())
    if match is None:
        return SignatureCheck(False, "missing or malformed Authorization header")
    access_key = match["ak"]
    signed = match["signed"].split(";")
    if signed != sorted(signed) or any(name != name.lower() for name in signed):
        return SignatureCheck(False, "SignedHeaders not sorted lower-case names", access_key)
    if "host" not in signed or "x-sdk-date" not in signed:
        return SignatureCheck(False, "host and x-sdk-date must be signed", access_key)
    sdk_date = request.header("X-Sdk-Date") or ""
    signed_at = _parse_sdk_date(sdk_date)
    if signed_at is None:
        return SignatureCheck(False, "X-Sdk-Date is not YYYYMMDDTHHMMSSZ", access_key)
    if abs((time.time() if now is None else now) - signed_at) > max_skew:
        return SignatureCheck(False, "X-Sdk-Date too far from now", access_key)
    secret = (
        secret_for_ak.get(access_key)
        if isinstance(secret_for_ak, Mapping)
        else secret_for_ak(access_key)
    )
    if secret is None:
        return SignatureCheck(False, "unknown access key", access_key)
    canonical = canonical_request(request, signed)
    if canonical is None:
        return SignatureCheck(False, "a signed header is missing", access_key)
    expected = sign(secret, string_to_sign(sdk_date, canonical))
    if not hmac.compare_digest(expected, match["sig"]):
        return SignatureCheck(False, "signature mismatch", access_key, tuple(signed))
    return SignatureCheck(True, "ok", access_key, tuple(signed))


def verify_sdk_hmac_sha256(request: RecordedRequest, secret_for_ak: SecretLookup) -> bool:
    """True when the request carries a valid SDK-HMAC-SHA256 signature by a known AK."""
    return check_sdk_hmac_sha256(request, secret_for_ak).ok


# -- gateway answers ----------------------------------------------------------------------
def new_request_id() -> str:
    return uuid.uuid4().hex


def apig_error(status: int, code: str, message: str, request_id: str | None = None) -> StubResponse:
    """An API Gateway / service error in Huawei's `{error_code, error_msg}` shape."""
    rid = request_id or new_request_id()
    body = json.dumps({"error_code": code, "error_msg": message, "request_id": rid})
    return StubResponse.json(status, body, **{"X-Request-Id": rid})


def apig_auth_failure(reason: str = "verify aksk signature fail") -> StubResponse:
    """What APIG answers when the AK/SK signature does not verify."""
    return apig_error(401, "APIG.0301", f"Incorrect IAM authentication information: {reason}")


def apig_refusal(
    request: RecordedRequest, secrets: SecretLookup, tokens: Mapping[str, str]
) -> tuple[SignatureCheck, StubResponse | None]:
    """What APIG checks before any Huawei service sees a request: the SDK-HMAC-SHA256
    signature, then the security token a temporary AK must carry, signed. The check, and
    the gateway's refusal or None."""
    check = check_sdk_hmac_sha256(request, secrets)
    if not check.ok:
        return check, apig_auth_failure(check.reason)
    token = request.header("X-Security-Token")
    expected = tokens.get(check.access_key or "")
    if expected is not None and token != expected:
        return check, apig_auth_failure("security token invalid or missing")
    if token and "x-security-token" not in check.signed_headers:
        return check, apig_auth_failure("security token not signed")
    return check, None


def apig_throttled(limit: int = 20) -> StubResponse:
    return apig_error(
        429,
        "APIG.0308",
        f"The request is throttled. policy user over ratelimit,limit:{limit},time:1 minute",
    )


def html_error_page(status: int = 502, reason: str = "Bad Gateway") -> StubResponse:
    """What a load balancer in front of the service sends when the backend is down."""
    title = f"{status} {reason}"
    body = f"<html><head><title>{title}</title></head><body><h1>{title}</h1></body></html>"
    return StubResponse(status, body.encode(), {"Content-Type": "text/html"})


# -- the OCR passport route ---------------------------------------------------------------
_PASSPORT_PATH = re.compile(r"^/v2/(?P<project>[^/]+)/ocr/passport$")
SAMPLES_DIR = (
    Path(__file__).resolve().parents[2] / "shared" / "passport_ocr" / "tools" / "data" / "samples"
)


def load_sample(name: str) -> dict[str, Any]:
    """A vendor sample answer, verbatim from the seed documents (bundled with the package)."""
    loaded: dict[str, Any] = json.loads((SAMPLES_DIR / name).read_text(encoding="utf-8"))
    return loaded


@dataclass
class HuaweiOcrStub:
    """Speaks `POST /v2/{project_id}/ocr/passport` the way Huawei's APIG + OCR do.

    Checks, in the gateway's order: the signature (401 APIG.0301), the route (404
    APIG.0101), the project id in the path against X-Project-Id, the security token when
    the AK is temporary, then the body (400 AIS.0101 / ModelArts.4105 / AIS.0102).
    """

    secrets: dict[str, str] = field(default_factory=lambda: {"test-ak": "test-sk"})
    project_id: str = "0123456789abcdef0123456789abcdef"
    #: Temporary AKs and the security token each must carry.
    tokens: dict[str, str] = field(default_factory=dict)
    #: The answer to a good request: a sample file name, or a function of the parsed body.
    answer: str | Callable[[dict[str, Any]], dict[str, Any]] = "huawei_general.json"
    checks: list[SignatureCheck] = field(default_factory=list)
    #: The X-Request-Id of every successful answer, in order.
    request_ids: list[str] = field(default_factory=list)
    #: Policy mode (`tests/stubs/policy.py`): the agency's policy must allow the call.
    policy: Policy | None = None
    region: str = "cn-north-4"
    denials: Denials = field(default_factory=Denials)

    def __call__(self, request: RecordedRequest) -> StubResponse:  # noqa: PLR0911
        check, refused_by_gateway = apig_refusal(request, self.secrets, self.tokens)
        self.checks.append(check)
        if refused_by_gateway is not None:
            return refused_by_gateway
        route = _PASSPORT_PATH.match(request.path)
        if request.method != "POST" or route is None:
            return apig_error(
                404,
                "APIG.0101",
                "The API does not exist or has not been published in the environment",
            )
        if route["project"] != self.project_id or (
            request.header("X-Project-Id") not in (None, self.project_id)
        ):
            return apig_error(400, "ModelArts.4201", "project id in url does not match")
        refused = self.denials.check(
            self.policy, huawei_ocr_requirements(self.region, self.project_id)
        )
        if refused is not None:  # platforms.md 6.3: ModelArts.4203 "no permission"
            return apig_error(403, "ModelArts.4203", f"no permission: {refused[0]}")
        if not (request.header("Content-Type") or "").startswith("application/json"):
            return apig_error(400, "ModelArts.4105", "request body is not json")
        body = _json_body(request.body)
        if body is None:
            return apig_error(400, "ModelArts.4105", "request body is not json")
        problem = _body_problem(body)
        if problem is not None:
            return apig_error(400, *problem)
        raw = self.answer(body) if callable(self.answer) else load_sample(self.answer)
        rid = new_request_id()
        self.request_ids.append(rid)
        return StubResponse.json(200, json.dumps(raw, ensure_ascii=False), **{"X-Request-Id": rid})


def _json_body(body: bytes) -> dict[str, Any] | None:
    try:
        parsed = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    return parsed if isinstance(parsed, dict) else None


def _body_problem(body: dict[str, Any]) -> tuple[str, str] | None:  # noqa: PLR0911
    """The OCR service's own checks on the request body (seed 000, table 3)."""
    image, url = body.get("image"), body.get("url")
    if (image is None) == (url is None):
        return "AIS.0101", "The input parameter is invalid: exactly one of image and url"
    if body.get("country_code") not in (None, "CHN", "GENERAL"):
        return "AIS.0101", "The input parameter is invalid: country_code"
    if image is not None:
        if not isinstance(image, str) or image.startswith("data:"):
            return "AIS.0102", "The image is not base64 encoded"
        if len(image) > 10 * 1024 * 1024:
            return "ModelArts.4104", "invalid request content length"
        try:
            base64.b64decode(image, validate=True)
        except (binascii.Error, ValueError):
            return "AIS.0102", "The image is not base64 encoded"
    elif not isinstance(url, str) or not url.startswith(("http://", "https://")):
        return "AIS.0101", "The input parameter is invalid: url"
    return None
