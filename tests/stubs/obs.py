"""A Huawei OBS stub speaking the S3-style API that `ObsClient(path_style=True)` uses.

It verifies the v2 signature with its own implementation (AWS Signature Version 2, as OBS
documents it for its S3-compatible API): header auth `Authorization: AWS ak:signature`
and query auth (`AWSAccessKeyId`, `Expires`, `Signature`), each with the temporary
credentials' `x-amz-security-token`. Objects live in memory; GETs honour `Range`; the stub
counts the body bytes it sends so tests can prove a download stopped early.

Policy mode (`policy` set, see `tests/stubs/policy.py`): every authenticated request must be
allowed by the agency's policy, as OBS checks IAM: GetObject, GetObjectVersion (a `versionId`),
PutObject, ListBucket, plus the KMS actions for object data in a bucket listed in
`sse_kms_buckets`. A refusal is OBS's 403 `AccessDenied`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import threading
import time
import uuid
from dataclasses import dataclass, field
from email.utils import formatdate, parsedate_to_datetime
from urllib.parse import unquote
from xml.sax.saxutils import escape

from tests.stubs.policy import Denials, Policy, obs_requirements
from tests.stubs.server import RecordedRequest, StubResponse

#: Query parameters that are part of the signed resource (S3 v2 "sub-resources").
SUB_RESOURCES = frozenset(
    {
        "acl", "cors", "delete", "lifecycle", "location", "logging", "notification",
        "partnumber", "policy", "requestpayment", "restore", "tagging", "torrent",
        "uploadid", "uploads", "versionid", "versioning", "versions", "website",
        "response-cache-control", "response-content-disposition",
        "response-content-encoding", "response-content-language",
        "response-content-type", "response-expires",
    }
)  # fmt: skip
CLOCK_SKEW_S = 15 * 60


def string_to_sign(
    method: str, raw_path: str, query: list[tuple[str, str]], headers: dict[str, str], date: str
) -> str:
    """S3 v2: verb, Content-MD5, Content-Type, date, x-amz-* headers, resource."""
    amz = sorted(
        (name, value.strip()) for name, value in headers.items() if name.startswith("x-amz-")
    )
    amz_lines = "".join(f"{name}:{value}\n" for name, value in amz)
    resource = raw_path.split("?", 1)[0]
    signed_params = sorted(
        (name, value)
        for name, value in query
        if name.lower() in SUB_RESOURCES or name.lower().startswith("x-amz-")
    )
    if signed_params:
        resource += "?" + "&".join(f"{n}={v}" if v else n for n, v in signed_params)
    return (
        f"{method}\n{headers.get('content-md5', '')}\n{headers.get('content-type', '')}\n"
        f"{date}\n{amz_lines}{resource}"
    )


def sign(secret_key: str, text: str) -> str:
    digest = hmac.new(secret_key.encode(), text.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


@dataclass
class StoredObject:
    data: bytes
    content_type: str = "application/octet-stream"

    @property
    def etag(self) -> str:
        return '"' + hashlib.md5(self.data).hexdigest() + '"'


@dataclass
class ObsStub:
    access_key: str
    secret_key: str
    security_token: str | None = None
    objects: dict[tuple[str, str], StoredObject] = field(default_factory=dict)
    denied_buckets: set[str] = field(default_factory=set)
    bytes_served: int = 0
    auth_failures: list[str] = field(default_factory=list)
    #: Policy mode: the agency's policy, and the buckets whose default encryption is SSE-KMS.
    policy: Policy | None = None
    sse_kms_buckets: set[str] = field(default_factory=set)
    #: The KMS key resource SSE-KMS uses (OBS's default key of the region's project).
    kms_key: str = "KMS:*:*:KeyId:obs/default"
    denials: Denials = field(default_factory=Denials)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def put(self, bucket: str, key: str, data: bytes, content_type: str = "image/jpeg") -> None:
        self.objects[(bucket, key)] = StoredObject(data, content_type)

    # -- the handler -------------------------------------------------------------------
    def __call__(self, request: RecordedRequest) -> StubResponse:  # noqa: PLR0911 (one per answer)
        problem = self._authenticate(request)
        if problem is not None:
            self.auth_failures.append(problem)
            code = "InvalidAccessKeyId" if problem == "unknown access key" else problem
            return self._error(request, 403, code, "request not authenticated")
        bucket, _, key = request.path.lstrip("/").partition("/")
        bucket, key = unquote(bucket), unquote(key)
        if bucket in self.denied_buckets:
            return self._error(request, 403, "AccessDenied", "Access Denied")
        needed = obs_requirements(
            request.method,
            bucket,
            key,
            dict(request.query),
            kms_key=self.kms_key if bucket in self.sse_kms_buckets else None,
        )
        if self.denials.check(self.policy, needed) is not None:
            return self._error(request, 403, "AccessDenied", "Access Denied")
        if request.method == "GET" and not key:
            return self._list(request, bucket)
        if request.method == "PUT":
            content_type = request.header("content-type") or "application/octet-stream"
            self.put(bucket, key, request.body, content_type)
            return StubResponse(200, b"", self._headers(ETag=self.objects[(bucket, key)].etag))
        if request.method == "DELETE":  # OBS answers 204 whether or not the object existed
            self.objects.pop((bucket, key), None)
            return StubResponse(204, b"", self._headers())
        stored = self.objects.get((bucket, key))
        if stored is None:
            return self._error(request, 404, "NoSuchKey", "The specified key does not exist.")
        if request.method == "HEAD":
            headers = self._object_headers(stored)
            headers["Content-Length"] = str(len(stored.data))
            return StubResponse(200, b"", headers)
        if request.method != "GET":
            return self._error(request, 405, "MethodNotAllowed", "method not allowed")
        return self._get(request, stored)

    def _list(self, request: RecordedRequest, bucket: str) -> StubResponse:
        """ListObjects (v1): keys after `marker` under `prefix`, `max-keys` at a time."""
        query = dict(request.query)
        prefix, marker = query.get("prefix", ""), query.get("marker", "")
        max_keys = int(query.get("max-keys", "1000"))
        keys = sorted(
            k for b, k in self.objects if b == bucket and k.startswith(prefix) and k > marker
        )
        page = keys[:max_keys]
        contents = "".join(
            f"<Contents><Key>{escape(k)}</Key><ETag>{escape(self.objects[(bucket, k)].etag)}"
            f"</ETag><Size>{len(self.objects[(bucket, k)].data)}</Size></Contents>"
            for k in page
        )
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<ListBucketResult xmlns="http://obs.myhwclouds.com/doc/2015-06-30/">'
            f"<Name>{escape(bucket)}</Name><Prefix>{escape(prefix)}</Prefix>"
            f"<Marker>{escape(marker)}</Marker><MaxKeys>{max_keys}</MaxKeys>"
            f"<IsTruncated>{str(len(keys) > max_keys).lower()}</IsTruncated>{contents}"
            "</ListBucketResult>"
        )
        return StubResponse(
            200, body.encode(), self._headers(**{"Content-Type": "application/xml"})
        )

    def _get(self, request: RecordedRequest, stored: StoredObject) -> StubResponse:
        data = stored.data
        range_header = request.header("range")
        if range_header is None:
            self._count(len(data))
            return StubResponse(200, data, self._object_headers(stored))
        first_s, _, last_s = range_header.removeprefix("bytes=").partition("-")
        first = int(first_s)
        last = min(int(last_s) if last_s else len(data) - 1, len(data) - 1)
        if first >= len(data):
            return self._error(request, 416, "InvalidRange", "The requested range is not valid")
        part = data[first : last + 1]
        self._count(len(part))
        headers = self._object_headers(stored)
        headers["Content-Range"] = f"bytes {first}-{last}/{len(data)}"
        return StubResponse(206, part, headers)

    def _count(self, sent: int) -> None:
        with self._lock:
            self.bytes_served += sent

    # -- signature -----------------------------------------------------------------------
    def _authenticate(self, request: RecordedRequest) -> str | None:  # noqa: PLR0911
        query = dict(request.query)
        authorization = request.header("authorization")
        if authorization is not None:
            scheme, _, credential = authorization.partition(" ")
            access_key, _, signature = credential.rpartition(":")
            if scheme != "AWS":
                return "SignatureDoesNotMatch"
            date_problem = self._check_date(request)
            if date_problem:
                return date_problem
            date = "" if request.header("x-amz-date") else request.header("date", "") or ""
            token = request.header("x-amz-security-token")
        elif "Signature" in query:
            access_key, signature = query.get("AWSAccessKeyId", ""), query["Signature"]
            date = query.get("Expires", "0")
            if not date.isdigit() or int(date) < time.time():
                return "AccessDenied"  # "Request has expired"
            token = query.get("x-amz-security-token")
        else:
            return "AccessDenied"  # anonymous access to a private bucket
        if access_key != self.access_key:
            return "unknown access key"
        if self.security_token is not None and token != self.security_token:
            return "InvalidToken"
        expected = sign(
            self.secret_key,
            string_to_sign(request.method, request.raw_path, request.query, request.headers, date),
        )
        if not hmac.compare_digest(expected, signature):
            return "SignatureDoesNotMatch"
        return None

    @staticmethod
    def _check_date(request: RecordedRequest) -> str | None:
        text = request.header("x-amz-date") or request.header("date")
        if not text:
            return "AccessDenied"
        try:
            sent = parsedate_to_datetime(text).timestamp()
        except (TypeError, ValueError):
            return "AccessDenied"
        return "RequestTimeTooSkewed" if abs(sent - time.time()) > CLOCK_SKEW_S else None

    # -- answers -------------------------------------------------------------------------
    @staticmethod
    def _headers(**extra: str) -> dict[str, str]:
        return {
            "x-amz-request-id": uuid.uuid4().hex[:16].upper(),
            "Date": formatdate(usegmt=True),
            **extra,
        }

    def _object_headers(self, stored: StoredObject) -> dict[str, str]:
        headers = self._headers(ETag=stored.etag, **{"Content-Type": stored.content_type})
        headers["Accept-Ranges"] = "bytes"
        return headers

    def _error(
        self, request: RecordedRequest, status: int, code: str, message: str
    ) -> StubResponse:
        headers = self._headers(**{"Content-Type": "application/xml"})
        if request.method == "HEAD":
            return StubResponse(status, b"", headers)
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>'
            f"<Error><Code>{escape(code)}</Code><Message>{escape(message)}</Message>"
            f"<RequestId>{headers['x-amz-request-id']}</RequestId>"
            "<HostId>stub</HostId></Error>"
        )
        return StubResponse(status, body.encode(), headers)
