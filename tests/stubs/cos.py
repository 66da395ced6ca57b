"""A Tencent COS stub for `CosConfig(Domain="127.0.0.1:PORT")` clients (one bucket).

It verifies COS's `q-sign-algorithm=sha1` signature with its own implementation of the
documented algorithm, in the Authorization header or in a presigned URL's query:

    SignKey      = hex(HMAC-SHA1(SecretKey, KeyTime))
    HttpString   = method.lower \\n path \\n k=v&... (url-param-list) \\n k=v&... (header-list) \\n
    StringToSign = "sha1\\n" KeyTime "\\n" hex(SHA1(HttpString)) "\\n"
    Signature    = hex(HMAC-SHA1(SignKey, StringToSign))

and the temporary credentials' `x-cos-security-token` (a header, or a signed URL
parameter). Objects live in memory; GETs honour `Range`; served body bytes are counted.

Policy mode (`policy` set, see `tests/stubs/policy.py`): every authenticated request must be
allowed by the execution role's CAM policy on `qcs::cos:<region>:uid/<appid>:<bucket>/<key>`
(GetObject, HeadObject, PutObject, GetBucket; KMS data-key actions when `sse_kms`). A refusal
is COS's 403 `AccessDenied`.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
import uuid
from dataclasses import dataclass, field
from urllib.parse import quote, unquote
from xml.sax.saxutils import escape

from tests.stubs.policy import Denials, Policy, cos_requirements
from tests.stubs.server import RecordedRequest, StubResponse

TOKEN = "x-cos-security-token"


def _enc(text: str) -> str:
    return quote(text, safe="-_.~")


def http_string(method: str, path: str, params: dict[str, str], headers: dict[str, str]) -> str:
    """The canonical request: method, decoded path, then the signed params and headers."""
    param_text = "&".join(f"{_enc(k).lower()}={_enc(v)}" for k, v in sorted(params.items()))
    header_text = "&".join(f"{_enc(k).lower()}={_enc(v)}" for k, v in sorted(headers.items()))
    return f"{method.lower()}\n{path}\n{param_text}\n{header_text}\n"


def signature(secret_key: str, key_time: str, canonical: str) -> str:
    sign_key = hmac.new(secret_key.encode(), key_time.encode(), hashlib.sha1).hexdigest()
    digest = hashlib.sha1(canonical.encode()).hexdigest()
    to_sign = f"sha1\n{key_time}\n{digest}\n"
    return hmac.new(sign_key.encode(), to_sign.encode(), hashlib.sha1).hexdigest()


@dataclass
class CosStub:
    secret_id: str
    secret_key: str
    security_token: str | None = None
    objects: dict[str, tuple[bytes, str]] = field(default_factory=dict)  # key -> (data, type)
    denied_prefixes: set[str] = field(default_factory=set)
    bytes_served: int = 0
    auth_failures: list[str] = field(default_factory=list)
    #: Policy mode: the role's policy, and the bucket's name, APPID, region and encryption
    #: (a real COS host names them; this stub's host is 127.0.0.1).
    policy: Policy | None = None
    bucket: str = "passports-1250000000"
    appid: str = "1250000000"
    region: str = "ap-shanghai"
    sse_kms: bool = False
    denials: Denials = field(default_factory=Denials)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def put(self, key: str, data: bytes, content_type: str = "image/jpeg") -> None:
        self.objects[key] = (data, content_type)

    def __call__(self, request: RecordedRequest) -> StubResponse:  # noqa: PLR0911 (one per answer)
        problem = self._authenticate(request)
        if problem is not None:
            self.auth_failures.append(problem)
            return self._error(request, 403, problem, "request not authenticated")
        key = unquote(request.path).lstrip("/")
        if any(key.startswith(prefix) for prefix in self.denied_prefixes):
            return self._error(request, 403, "AccessDenied", "Access Denied.")
        needed = cos_requirements(
            request.method, self.region, self.appid, self.bucket, key, sse_kms=self.sse_kms
        )
        if self.denials.check(self.policy, needed) is not None:
            return self._error(request, 403, "AccessDenied", "Access Denied.")
        if request.method == "GET" and not key:
            return self._list(request)
        if request.method == "PUT":
            self.put(key, request.body, request.header("content-type") or "")
            return StubResponse(200, b"", self._headers(ETag=_etag(request.body)))
        if request.method == "DELETE":  # COS answers 204 whether or not the object existed
            self.objects.pop(key, None)
            return StubResponse(204, b"", self._headers())
        stored = self.objects.get(key)
        if stored is None:
            return self._error(request, 404, "NoSuchKey", "The specified key does not exist.")
        data, content_type = stored
        headers = self._headers(ETag=_etag(data), **{"Content-Type": content_type})
        if request.method == "HEAD":
            headers["Content-Length"] = str(len(data))
            return StubResponse(200, b"", headers)
        range_header = request.header("range")
        if range_header is None:
            return self._serve(200, data, headers)
        first_s, _, last_s = range_header.removeprefix("bytes=").partition("-")
        first = int(first_s)
        last = min(int(last_s) if last_s else len(data) - 1, len(data) - 1)
        if first >= len(data):
            return self._error(request, 416, "InvalidRange", "The requested range is invalid.")
        headers["Content-Range"] = f"bytes {first}-{last}/{len(data)}"
        return self._serve(206, data[first : last + 1], headers)

    def _list(self, request: RecordedRequest) -> StubResponse:
        """GET Bucket (List Objects): keys after `marker` under `prefix`, `max-keys` at a time."""
        query = dict(request.query)
        prefix, marker = query.get("prefix", ""), query.get("marker", "")
        max_keys = int(query.get("max-keys", "1000"))
        keys = sorted(k for k in self.objects if k.startswith(prefix) and k > marker)
        page, truncated = keys[:max_keys], len(keys) > max_keys
        contents = "".join(
            f"<Contents><Key>{escape(k)}</Key><ETag>{escape(_etag(self.objects[k][0]))}</ETag>"
            f"<Size>{len(self.objects[k][0])}</Size></Contents>"
            for k in page
        )
        next_marker = f"<NextMarker>{escape(page[-1])}</NextMarker>" if truncated else ""
        body = (
            '<?xml version="1.0" encoding="UTF-8"?><ListBucketResult>'
            f"<Name>stub</Name><Prefix>{escape(prefix)}</Prefix><Marker>{escape(marker)}</Marker>"
            f"<MaxKeys>{max_keys}</MaxKeys><IsTruncated>{str(truncated).lower()}</IsTruncated>"
            f"{next_marker}{contents}</ListBucketResult>"
        )
        return StubResponse(
            200, body.encode(), self._headers(**{"Content-Type": "application/xml"})
        )

    def _serve(self, status: int, body: bytes, headers: dict[str, str]) -> StubResponse:
        with self._lock:
            self.bytes_served += len(body)
        return StubResponse(status, body, headers)

    # -- signature -----------------------------------------------------------------------
    def _authenticate(self, request: RecordedRequest) -> str | None:  # noqa: PLR0911
        query = dict(request.query)
        authorization = request.header("authorization")
        if authorization:
            fields = dict(part.split("=", 1) for part in authorization.split("&") if "=" in part)
            token = request.header(TOKEN)
        elif "q-signature" in query:
            fields = {k: v for k, v in query.items() if k.startswith("q-")}
            token = query.get(TOKEN)
        else:
            return "AccessDenied"
        if fields.get("q-sign-algorithm") != "sha1":
            return "InvalidArgument"
        if fields.get("q-ak") != self.secret_id:
            return "InvalidAccessKeyId"
        key_time = fields.get("q-key-time", "")
        start_s, _, end_s = fields.get("q-sign-time", "").partition(";")
        if not (start_s.isdigit() and end_s.isdigit()):
            return "InvalidArgument"
        if not int(start_s) <= time.time() <= int(end_s):
            return "RequestTimeTooSkewed" if authorization else "AccessDenied"
        if self.security_token is not None and token != self.security_token:
            return "InvalidAccessKeyId"  # COS's answer to a bad or expired token
        header_names = [n for n in fields.get("q-header-list", "").split(";") if n]
        param_names = [n for n in fields.get("q-url-param-list", "").split(";") if n]
        unsigned = {k.lower() for k in query if not k.startswith("q-")} - set(param_names)
        if unsigned:
            return "AccessDenied"  # a parameter added to a presigned URL after signing
        lower_query = {k.lower(): v for k, v in query.items()}
        params = {name: lower_query.get(name, "") for name in param_names}
        headers = {name: self._header_value(request, name) for name in header_names}
        path = unquote(request.path)
        expected = signature(
            self.secret_key, key_time, http_string(request.method, path, params, headers)
        )
        if not hmac.compare_digest(expected, fields.get("q-signature", "")):
            return "SignatureDoesNotMatch"
        return None

    @staticmethod
    def _header_value(request: RecordedRequest, name: str) -> str:
        value = request.header(name, "") or ""
        if name == "host":
            # Real COS hosts have no port; the SDK signs the host name alone.
            return value.rsplit(":", 1)[0] if value.count(":") == 1 else value
        return value

    # -- answers -------------------------------------------------------------------------
    @staticmethod
    def _headers(**extra: str) -> dict[str, str]:
        return {"x-cos-request-id": uuid.uuid4().hex, "Server": "tencent-cos", **extra}

    def _error(
        self, request: RecordedRequest, status: int, code: str, message: str
    ) -> StubResponse:
        headers = self._headers(**{"Content-Type": "application/xml"})
        if request.method == "HEAD":
            return StubResponse(status, b"", headers)
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>'
            f"<Error><Code>{escape(code)}</Code><Message>{escape(message)}</Message>"
            f"<Resource>{escape(request.path)}</Resource>"
            f"<RequestId>{headers['x-cos-request-id']}</RequestId>"
            "<TraceId>stub</TraceId></Error>"
        )
        return StubResponse(status, body.encode(), headers)


def _etag(data: bytes) -> str:
    return '"' + hashlib.md5(data).hexdigest() + '"'
