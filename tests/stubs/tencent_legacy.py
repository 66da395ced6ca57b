"""Stub of the legacy Tencent image OCR API, `POST /ocr/passport` (seed 003).

Verifies the multi-use HMAC-SHA1 `Authorization` with its own code (platforms.md 8), takes
JSON (`url` or base64 `image`) and multipart (`image` file) bodies, and answers with the
seed's sample or its documented errors.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import io
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from PIL import Image, UnidentifiedImageError
from requests_toolbelt.multipart.decoder import MultipartDecoder, NonMultipartContentTypeException

from tests.stubs.huawei import load_sample
from tests.stubs.server import RecordedRequest, StubResponse

MAX_BODY_BYTES = 6 * 1024 * 1024
SIGNATURE_FIELDS = ("a", "b", "k", "e", "t", "r", "u", "f")
MAX_CLOCK_SKEW_SECONDS = 300


@dataclass(frozen=True)
class LegacySignature:
    ok: bool
    reason: str
    fields: Mapping[str, str] = field(default_factory=dict)


def check_legacy_signature(
    authorization: str | None,
    secret_for_id: Mapping[str, str],
    app_id: str,
    *,
    now: float | None = None,
) -> LegacySignature:
    """Base64(HMAC-SHA1(SecretKey, orignal) + orignal), multi-use form (`e` future, `f` empty)."""
    try:
        blob = base64.b64decode(authorization or "", validate=True)
    except (binascii.Error, ValueError):
        return LegacySignature(False, "Authorization is not base64")
    mac, original = blob[:20], blob[20:]
    fields = dict(parse_qsl(original.decode("utf-8", "replace"), keep_blank_values=True))
    if tuple(fields) != SIGNATURE_FIELDS:
        return LegacySignature(False, "orignal must be a,b,k,e,t,r,u,f in order", fields)
    current = time.time() if now is None else now
    problems = [
        (fields["a"] != app_id, "appid does not match"),
        (not fields["e"].isdigit() or int(fields["e"]) <= current, "signature expired"),
        (
            not fields["t"].isdigit() or int(fields["t"]) > current + MAX_CLOCK_SKEW_SECONDS,
            "t ahead",
        ),
        (fields["f"] != "", "a multi-use signature has an empty f"),
        (fields["k"] not in secret_for_id, "unknown SecretId"),
    ]
    failed = next((reason for broken, reason in problems if broken), None)
    if failed is not None:
        return LegacySignature(False, failed, fields)
    expected = hmac.new(secret_for_id[fields["k"]].encode(), original, hashlib.sha1).digest()
    if not hmac.compare_digest(expected, mac):
        return LegacySignature(False, "signature mismatch", fields)
    return LegacySignature(True, "ok", fields)


def legacy_error(status: int, code: int, message: str) -> StubResponse:
    body = {"code": code, "message": message, "data": {"session_id": ""}}
    return StubResponse.json(status, json.dumps(body))


@dataclass
class ParsedBody:
    kind: str  # "json" or "multipart"
    app_id: str | None
    url: str | None = None
    image: bytes | None = None
    image_filename: str | None = None


@dataclass
class TencentLegacyStub:
    """`POST /ocr/passport` as seed 003 describes it."""

    app_id: str = "1250000000"
    secrets: dict[str, str] = field(default_factory=lambda: {"AKIDlegacy": "legacy-secret"})
    answer: str = "tencent_legacy.json"
    signatures: list[LegacySignature] = field(default_factory=list)
    bodies: list[ParsedBody] = field(default_factory=list)

    def __call__(self, request: RecordedRequest) -> StubResponse:  # noqa: PLR0911 (one per rule)
        if request.method != "POST" or request.path != "/ocr/passport":
            return legacy_error(404, 404, "request failed")
        signature = check_legacy_signature(
            request.header("Authorization"), self.secrets, self.app_id
        )
        self.signatures.append(signature)
        if not signature.ok:
            return legacy_error(403 if signature.fields else 401, -1, signature.reason)
        if len(request.body) > MAX_BODY_BYTES:
            return legacy_error(413, 413, "request entity too large")
        parsed = parse_body(request)
        if parsed is None:
            return legacy_error(400, 400, "bad request body")
        self.bodies.append(parsed)
        if parsed.app_id != self.app_id:
            return legacy_error(200, -1301, "app_id is empty or wrong")
        if parsed.url is None and not parsed.image:
            return legacy_error(200, -1300, "image is empty")
        if parsed.url is None and not _decodes(parsed.image or b""):
            return legacy_error(200, -1102, "image decode failed")
        return StubResponse.json(200, json.dumps(load_sample(self.answer), ensure_ascii=False))


def parse_body(request: RecordedRequest) -> ParsedBody | None:
    content_type = request.header("Content-Type") or ""
    if content_type.startswith("application/json"):
        return _parse_json(request.body)
    if content_type.startswith("multipart/form-data"):
        return _parse_multipart(request.body, content_type)
    return None


def _parse_json(body: bytes) -> ParsedBody | None:
    try:
        data: Any = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    if not isinstance(data, dict):
        return None
    url, image = data.get("url"), data.get("image")
    decoded = None
    if isinstance(image, str) and url is None:  # seed 003: url wins when both are given
        try:
            decoded = base64.b64decode(image, validate=True)
        except (binascii.Error, ValueError):
            decoded = b"not base64"
    return ParsedBody("json", data.get("app_id"), url if isinstance(url, str) else None, decoded)


def _parse_multipart(body: bytes, content_type: str) -> ParsedBody | None:
    try:
        parts = MultipartDecoder(body, content_type).parts
    except (NonMultipartContentTypeException, ValueError):
        return None
    parsed = ParsedBody("multipart", None)
    for part in parts:
        disposition = part.headers.get(b"Content-Disposition", b"").decode()
        if 'name="app_id"' in disposition:
            parsed.app_id = part.text
        elif 'name="image"' in disposition:
            parsed.image = part.content
            parsed.image_filename = disposition.partition('filename="')[2].rstrip('"') or None
    return parsed


def _decodes(data: bytes) -> bool:
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            return image.format != "GIF"
    except (UnidentifiedImageError, OSError, SyntaxError):
        return False
