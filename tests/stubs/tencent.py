"""Tencent Cloud API 3.0 on loopback: a TC3-HMAC-SHA256 verifier and an OCR stub.

`verify_tc3` is this project's own implementation of the signature algorithm
(https://www.tencentcloud.com/document/product/1123/67527), written from the documentation
and never calling the SDK's signer, so that a test proves the SDK request really is what the
vendor checks. The TDMQ publish stub reuses it with service `tdmq`.

`TencentOcrStub` answers `PassportOCR` and `MLIDPassportOCR` the way the vendor does: every
failure is HTTP 200 with `{"Response": {"Error": {...}, "RequestId": ...}}`; the answers are the
documented sample responses (seed 002, the vendor's MLIDPassportOCR example).
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
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Literal

from tests.stubs.policy import Denials, Policy, tencent_ocr_requirements
from tests.stubs.server import RecordedRequest, StubResponse

TC3_ALGORITHM = "TC3-HMAC-SHA256"
#: Tencent rejects a request whose X-TC-Timestamp is further than this from its clock.
MAX_CLOCK_SKEW_SECONDS = 300
#: The headers TC3 requires in SignedHeaders; the SDK signs exactly these two.
REQUIRED_SIGNED_HEADERS = frozenset({"content-type", "host"})

_AUTHORIZATION = re.compile(
    r"^TC3-HMAC-SHA256 Credential=(?P<secret_id>[^/,\s]+)/(?P<date>\d{4}-\d{2}-\d{2})/"
    r"(?P<service>[a-z0-9-]+)/(?P<terminator>[a-z0-9_]+),\s*"
    r"SignedHeaders=(?P<signed>[a-z0-9;_-]+),\s*Signature=(?P<signature>[0-9a-f]{64})$"
)

# The vendor's own English messages for the codes a verifier can return.
MESSAGES: dict[str, str] = {
    "AuthFailure.InvalidAuthorization": "Authorization in the request header is invalid.",
    "AuthFailure.SecretIdNotFound": "The SecretId is not found, please ensure that your "
    "SecretId is correct.",
    "AuthFailure.SignatureExpire": "Signature expired. Timestamp and server time cannot "
    "differ by more than five minutes.",
    "AuthFailure.SignatureFailure": "The provided credentials could not be validated. "
    "Please check your signature is correct.",
    "AuthFailure.TokenFailure": "Token error.",
    "InvalidAction": "The requested action does not exist.",
    "MissingParameter": "A required parameter is missing.",
    "NoSuchVersion": "The API version does not exist.",
    "UnsupportedRegion": "The API does not support this region.",
    "InvalidParameter": "Invalid parameter.",
}


@dataclass(frozen=True)
class Tc3Authorization:
    secret_id: str
    date: str
    service: str
    terminator: str
    signed_headers: tuple[str, ...]
    signature: str


def parse_tc3_authorization(value: str | None) -> Tc3Authorization | None:
    """Split an `Authorization: TC3-HMAC-SHA256 Credential=..., ...` header, or None."""
    match = _AUTHORIZATION.match((value or "").strip())
    if match is None:
        return None
    return Tc3Authorization(
        secret_id=match["secret_id"],
        date=match["date"],
        service=match["service"],
        terminator=match["terminator"],
        signed_headers=tuple(match["signed"].split(";")),
        signature=match["signature"],
    )


def _hmac_sha256(key: bytes, message: str) -> bytes:
    return hmac.new(key, message.encode("utf-8"), hashlib.sha256).digest()


def tc3_signature(secret_key: str, date: str, service: str, string_to_sign: str) -> str:
    """The documented key derivation: TC3+key -> date -> service -> tc3_request -> sign."""
    k_date = _hmac_sha256(("TC3" + secret_key).encode("utf-8"), date)
    k_service = _hmac_sha256(k_date, service)
    k_signing = _hmac_sha256(k_service, "tc3_request")
    return hmac.new(k_signing, string_to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


def canonical_request(request: RecordedRequest, signed_headers: tuple[str, ...]) -> str:
    """CanonicalRequest as documented: header names and values lower-cased and trimmed."""
    if request.method == "GET":
        query = request.raw_path.partition("?")[2]
        payload = b""
    else:
        query = ""
        payload = request.body
    if request.header("X-TC-Content-SHA256") == "UNSIGNED-PAYLOAD":
        payload = b"UNSIGNED-PAYLOAD"
    headers = "".join(
        f"{name}:{(request.header(name) or '').strip().lower()}\n" for name in signed_headers
    )
    return "\n".join(
        [
            request.method,
            request.path or "/",
            query,
            headers,
            ";".join(signed_headers),
            hashlib.sha256(payload).hexdigest(),
        ]
    )


def json_params(request: RecordedRequest) -> dict[str, Any] | StubResponse:
    """An API 3.0 request's parameters (its JSON body), or the vendor's refusal of the body."""
    try:
        params = json.loads(request.body or b"{}")
    except ValueError:
        return tencent_error("InvalidParameter", "the body is not JSON")
    if not isinstance(params, dict):
        return tencent_error("InvalidParameter", "the body is not a JSON object")
    return params


def verify_tc3(  # noqa: PLR0911 (one early return per documented rule)
    request: RecordedRequest,
    secret_for_id: Callable[[str], str | None],
    service: str,
    *,
    token_for_id: Callable[[str], str | None] | None = None,
    version: str | None = None,
    actions: Collection[str] | None = None,
    regions: Collection[str] | None = None,
    region_required: bool = False,
    now: Callable[[], float] = time.time,
) -> str | None:
    """Check a Tencent Cloud API 3.0 request; return the vendor's error code, or None if good.

    Besides the signature this checks what the signature does not cover: X-TC-Action (against
    `actions`), X-TC-Version (against `version`), X-TC-Region (against `regions`; missing is an
    error only with `region_required`), X-TC-Timestamp (within five minutes of `now`), and
    X-TC-Token (`token_for_id(secret_id)`: when it names a token, the request must carry that
    token; when it returns None, the key is permanent and any token is refused).
    """
    action = request.header("X-TC-Action")
    if not action:
        return "MissingParameter"
    if actions is not None and action not in actions:
        return "InvalidAction"
    sent_version = request.header("X-TC-Version")
    if not sent_version:
        return "MissingParameter"
    if version is not None and sent_version != version:
        return "NoSuchVersion"
    region = request.header("X-TC-Region")
    if not region:
        if region_required:
            return "MissingParameter"
    elif regions is not None and region not in regions:
        return "UnsupportedRegion"

    auth = parse_tc3_authorization(request.header("Authorization"))
    if auth is None or auth.terminator != "tc3_request" or auth.service != service:
        return "AuthFailure.InvalidAuthorization"
    if not set(auth.signed_headers) >= REQUIRED_SIGNED_HEADERS:
        return "AuthFailure.InvalidAuthorization"

    timestamp_text = request.header("X-TC-Timestamp") or ""
    if not timestamp_text.isdigit():
        return "MissingParameter" if not timestamp_text else "InvalidParameter"
    timestamp = int(timestamp_text)
    if abs(now() - timestamp) > MAX_CLOCK_SKEW_SECONDS:
        return "AuthFailure.SignatureExpire"

    secret_key = secret_for_id(auth.secret_id)
    if secret_key is None:
        return "AuthFailure.SecretIdNotFound"
    expected_token = token_for_id(auth.secret_id) if token_for_id is not None else None
    sent_token = request.header("X-TC-Token")
    if token_for_id is not None and sent_token != expected_token:
        return "AuthFailure.TokenFailure"

    # The scope date is the UTC date of the timestamp; anything else cannot verify.
    date = datetime.fromtimestamp(timestamp, tz=timezone.utc).strftime("%Y-%m-%d")
    if auth.date != date:
        return "AuthFailure.SignatureFailure"
    digest = hashlib.sha256(
        canonical_request(request, auth.signed_headers).encode("utf-8")
    ).hexdigest()
    string_to_sign = f"{TC3_ALGORITHM}\n{timestamp}\n{date}/{service}/tc3_request\n{digest}"
    expected = tc3_signature(secret_key, date, service, string_to_sign)
    if not hmac.compare_digest(expected, auth.signature):
        return "AuthFailure.SignatureFailure"
    return None


# -- answers ----------------------------------------------------------------------------------


def new_request_id() -> str:
    return str(uuid.uuid4())


def tencent_json(inner: dict[str, Any], *, request_id: str | None = None) -> StubResponse:
    """A successful API 3.0 answer: the fields under `Response`, plus a RequestId."""
    body = {
        "Response": {**inner, "RequestId": request_id or inner.get("RequestId") or new_request_id()}
    }
    return StubResponse.json(200, json.dumps(body, ensure_ascii=False))


def tencent_error(
    code: str, message: str | None = None, *, request_id: str | None = None
) -> StubResponse:
    """A vendor error as Tencent sends it: HTTP 200 and an `Error` object."""
    body = {
        "Response": {
            "Error": {"Code": code, "Message": message or MESSAGES.get(code, code)},
            "RequestId": request_id or new_request_id(),
        }
    }
    return StubResponse.json(200, json.dumps(body))


def unauthorized(action: str, resource: str) -> StubResponse:
    """CAM's refusal of a call the caller's policy does not allow (platforms.md 7)."""
    return tencent_error(
        "AuthFailure.UnauthorizedOperation",
        f"you are not authorized to perform operation ({action.removeprefix('name/')})\n"
        f"resource ({resource}) has no permission",
    )


def html_error_page(status: int) -> StubResponse:
    """What a gateway in front of the API sends when it fails (no JSON at all)."""
    page = f"<html><head><title>{status}</title></head><body><h1>{status}</h1></body></html>"
    return StubResponse(status, page.encode(), {"Content-Type": "text/html"})


# -- the OCR stub -----------------------------------------------------------------------------

OCR_VERSION = "2018-11-19"
PASSPORT_OCR_REGIONS = frozenset({"ap-beijing", "ap-guangzhou", "ap-hongkong", "ap-shanghai"})
MAX_IMAGE_BASE64_CHARS = 7 * 1024 * 1024
_PNG = b"\x89PNG\r\n\x1a\n"
_JPEG = b"\xff\xd8\xff"
_BMP = b"BM"
_PDF = b"%PDF-"

Site = Literal["cn", "international"]

_VENDOR_SAMPLES = Path(__file__).resolve().parents[1] / "data" / "vendor"


def load_sample(name: str) -> dict[str, Any]:
    """A vendor sample answer (H2's bundled copy when present, else the test copy)."""
    bundled = (
        Path(__file__).resolve().parents[2]
        / "shared"
        / "passport_ocr"
        / "tools"
        / "data"
        / "samples"
        / name
    )
    path = bundled if bundled.is_file() else _VENDOR_SAMPLES / name
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


@dataclass
class Document:
    """What the 'engine' reads from one image: each API's answer (inner `Response` fields).

    None means that API cannot read it (answers `no_read_code`).
    """

    mlid: dict[str, Any] | None
    passport: dict[str, Any] | None
    no_read_code: str = "FailedOperation.OcrFailed"
    #: The holder's portrait, answered when asked: MLIDPassportOCR `RetImage` -> `Image`,
    #: PassportOCR `CropPortrait` -> `PortraitImageInfo.PortraitImage` (base64; SDK 3.1.193
    #: models.py lines 16184/16265 and 20513/20619/21700).
    portrait: bytes | None = None


@dataclass
class TencentOcrStub:
    """`ocr.tencentcloudapi.com` (site cn) or `ocr.intl.tencentcloudapi.com` (site international).

    `documents` maps image content (decoded bytes) or image URL to what it shows.
    """

    keys: dict[str, str]
    tokens: dict[str, str] = field(default_factory=dict)
    site: Site = "cn"
    documents: dict[bytes | str, Document] = field(default_factory=dict)
    now: Callable[[], float] = time.time
    #: (action, params) of every request that passed the signature check, in order.
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    #: Policy mode (`tests/stubs/policy.py`): the role's CAM policy must allow the action.
    policy: Policy | None = None
    owner_uin: str = "100000000001"
    denials: Denials = field(default_factory=Denials)

    def actions(self) -> frozenset[str]:
        # PassportOCR is documented only on the Chinese-mainland site.
        if self.site == "international":
            return frozenset({"MLIDPassportOCR"})
        return frozenset({"MLIDPassportOCR", "PassportOCR"})

    def _token_for(self, secret_id: str) -> str | None:
        return self.tokens.get(secret_id)

    def __call__(self, request: RecordedRequest) -> StubResponse:
        if request.method != "POST" or request.path != "/":
            return tencent_error("InvalidParameter", "only POST / is served here")
        action = request.header("X-TC-Action") or ""
        code = verify_tc3(
            request,
            self.keys.get,
            "ocr",
            token_for_id=self._token_for,
            version=OCR_VERSION,
            actions=self.actions(),
            regions=PASSPORT_OCR_REGIONS if action == "PassportOCR" else None,
            region_required=action == "PassportOCR",
            now=self.now,
        )
        if code is not None:
            return tencent_error(code)
        region = request.header("X-TC-Region") or ""
        refused = self.denials.check(
            self.policy, tencent_ocr_requirements(action, region, self.owner_uin)
        )
        if refused is not None:
            return unauthorized(*refused)
        if (request.header("Content-Type") or "").split(";")[0].strip() != "application/json":
            return tencent_error("InvalidParameter", "Content-Type must be application/json")
        params = json_params(request)
        if isinstance(params, StubResponse):
            return params
        self.calls.append((action, params))
        return self._recognize(action, params)

    def _recognize(  # noqa: PLR0911 (one early return per vendor error)
        self, action: str, params: dict[str, Any]
    ) -> StubResponse:
        allowed = {"ImageBase64", "ImageUrl"} | (
            {"RetImage"} if action == "MLIDPassportOCR" else {"Type", "CropPortrait"}
        )
        unknown = sorted(set(params) - allowed)
        if unknown:
            return tencent_error("UnknownParameter", f"unknown parameter {unknown[0]}")
        flag = "RetImage" if action == "MLIDPassportOCR" else "CropPortrait"
        if not isinstance(params.get(flag, False), bool):  # the SDK models type it bool
            return tencent_error("InvalidParameter", f"{flag} must be a boolean")
        url, b64 = params.get("ImageUrl"), params.get("ImageBase64")
        if action == "PassportOCR" and params.get("Type", "CN") != "CN":
            return tencent_error("InvalidParameterValue.InvalidParameterValueLimit")
        if url is not None and self.site == "international":
            # Documented: ImageUrl is not supported outside the Chinese mainland.
            return tencent_error("FailedOperation.DownLoadError", "ImageUrl is not supported")
        key: bytes | str
        if url is not None:  # the URL wins when both are sent (documented)
            if not isinstance(url, str) or not url.startswith(("http://", "https://")):
                return tencent_error("FailedOperation.DownLoadError")
            key = url
        elif b64 is not None:
            # MLIDPassportOCR also reads PDF (models.py 16182); PassportOCR does not (20506).
            decoded = _decode_image(b64, pdf=action == "MLIDPassportOCR")
            if isinstance(decoded, StubResponse):
                return decoded
            key = decoded
        else:
            return tencent_error("FailedOperation.EmptyImageError", "image is empty")
        document = self.documents.get(key)
        if document is None:
            return tencent_error(
                "FailedOperation.NoPassport"
                if action == "MLIDPassportOCR"
                else "FailedOperation.OcrFailed"
            )
        answer = document.mlid if action == "MLIDPassportOCR" else document.passport
        if answer is None:
            return tencent_error(document.no_read_code)
        if params.get(flag):
            answer = {**answer, **_portrait_fields(action, document.portrait)}
        return tencent_json(answer)


def _portrait_fields(action: str, portrait: bytes | None) -> dict[str, Any]:
    picture = base64.b64encode(portrait).decode("ascii") if portrait else ""
    if action == "MLIDPassportOCR":
        return {"Image": picture}
    box = {"X": 40, "Y": 120, "Width": 320, "Height": 420}
    return {"PortraitImageInfo": {"PortraitImage": picture or None, "ImageCoordinates": box}}


def _decode_image(b64: object, *, pdf: bool = False) -> bytes | StubResponse:
    if not isinstance(b64, str) or not b64:
        return tencent_error("FailedOperation.EmptyImageError", "image is empty")
    if len(b64) > MAX_IMAGE_BASE64_CHARS:
        return tencent_error("LimitExceeded.TooLargeFileError")
    try:
        data = base64.b64decode(b64, validate=True)
    except (binascii.Error, ValueError):
        return tencent_error("FailedOperation.ImageDecodeFailed")
    if not data.startswith((_PNG, _JPEG, _BMP, *((_PDF,) if pdf else ()))):
        return tencent_error("FailedOperation.ImageDecodeFailed")
    return data
