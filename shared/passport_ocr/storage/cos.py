"""Tencent COS through cos-python-sdk-v5's `CosS3Client`.

COS buckets are named `name-appid`; SCF's COS events give the name without the appid, so
the store adds it. With temporary credentials (the SCF role's) the token must travel with
every request (`x-cos-security-token`, which the SDK adds) and inside every presigned URL
(which `get_presigned_url` does not add by itself: it is passed as a signed parameter).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from passport_ocr.credentials import (
    ClientForCredentials,
    Credentials,
    CredentialsProvider,
)
from passport_ocr.errors import StorageError
from passport_ocr.events.base import Cloud, ObjectRef
from passport_ocr.images import MAX_SOURCE_BYTES
from passport_ocr.storage.base import (
    DEFAULT_URL_EXPIRY_S,
    ObjectInfo,
    check_declared_size,
    check_received,
    error_for_status,
    json_bytes,
    ranged_header,
    unreachable,
    version_params,
)

TOKEN_PARAM = "x-cos-security-token"  # noqa: S105 (a parameter name)


def full_bucket_name(bucket: str, appid: str | None) -> str:
    """`name-appid`, whether the event gave the short or the full name."""
    if not appid or bucket.endswith(f"-{appid}"):
        return bucket
    return f"{bucket}-{appid}"


class CosStore:
    cloud: Cloud = "tencentcloud"

    def __init__(
        self,
        credentials: Credentials | CredentialsProvider,
        region: str,
        *,
        appid: str | None = None,
        domain: str | None = None,
        scheme: str = "https",
        timeout_s: int = 30,
        retries: int = 1,
    ) -> None:
        self._region = region
        self._appid = appid
        self._domain = domain
        self._scheme = scheme
        self._timeout_s = timeout_s
        self._retries = retries
        self._clients = ClientForCredentials(credentials, self._new_client)

    @classmethod
    def from_endpoint(
        cls,
        credentials: Credentials | CredentialsProvider,
        region: str,
        endpoint: str | None,
        *,
        appid: str | None = None,
    ) -> CosStore:
        """`endpoint` as in `settings.storage_endpoint`: `http(s)://host[:port]` or a host."""
        if endpoint is None:
            return cls(credentials, region, appid=appid)
        scheme, _, host = endpoint.rpartition("://")
        return cls(credentials, region, appid=appid, domain=host, scheme=scheme or "https")

    def _new_client(self, credentials: Credentials) -> Any:
        from qcloud_cos import CosConfig, CosS3Client  # noqa: PLC0415 (lazy: SCF only)

        config = CosConfig(
            Region=self._region,
            SecretId=credentials.access_key,
            SecretKey=credentials.secret_key,
            Token=credentials.security_token,
            Scheme=self._scheme,
            Domain=self._domain,
            Timeout=self._timeout_s,
        )
        return CosS3Client(config, retry=self._retries)

    def _cos(self) -> tuple[Any, Credentials]:
        """A CosS3Client for the current credentials (rebuilt when they are renewed)."""
        return self._clients.get()

    def _bucket(self, bucket: str) -> str:
        return full_bucket_name(bucket, self._appid)

    def _call(self, what: str, ref_id: str, call: Any, *, accept: int = 0) -> Any:
        """Run `call(client)`; every SDK failure becomes a `StorageError`."""
        from qcloud_cos.cos_exception import (  # noqa: PLC0415
            CosClientError,
            CosServiceError,
        )

        try:
            return call(self._cos()[0])
        except CosServiceError as error:
            status = error.get_status_code()
            if accept and status == accept:
                return None
            raise error_for_status(status, what, ref_id, error.get_error_code()) from error
        except (CosClientError, OSError) as error:
            raise unreachable("COS", what, ref_id, error) from error

    def head(self, ref: ObjectRef) -> ObjectInfo:
        headers = self._call(
            "head",
            ref.object_id,
            lambda c: c.head_object(
                Bucket=self._bucket(ref.bucket), Key=ref.key, **version_params(ref)
            ),
        )
        return ObjectInfo(
            size=int(headers.get("Content-Length") or 0),
            etag=headers.get("ETag"),
            content_type=headers.get("Content-Type"),
        )

    def fetch(self, ref: ObjectRef, max_bytes: int = MAX_SOURCE_BYTES) -> bytes:
        check_declared_size(ref, max_bytes)

        def get(client: Any) -> bytes:
            response = client.get_object(
                Bucket=self._bucket(ref.bucket),
                Key=ref.key,
                Range=ranged_header(max_bytes),
                **version_params(ref),
            )
            # Read at most one byte past the limit, whatever the server sends.
            return bytes(response["Body"].get_raw_stream().read(max_bytes + 1))

        data = self._call("fetch", ref.object_id, get, accept=416)
        if data is None:  # 416 Range Not Satisfiable: the object is empty
            return b""
        return check_received(ref, data, max_bytes)

    def delete(self, ref: ObjectRef) -> None:
        self._call(
            "delete",
            ref.object_id,
            lambda c: c.delete_object(Bucket=self._bucket(ref.bucket), Key=ref.key),
        )

    def signed_url(self, ref: ObjectRef, expires_s: int = DEFAULT_URL_EXPIRY_S) -> str:
        client, credentials = self._cos()
        params: dict[str, str] = {}
        if ref.version_id:
            params["versionId"] = ref.version_id
        if credentials.security_token:
            params[TOKEN_PARAM] = credentials.security_token
        try:
            url = client.get_presigned_url(
                Bucket=self._bucket(ref.bucket),
                Key=ref.key,
                Method="GET",
                Expired=expires_s,
                Params=params,
            )
        except Exception as error:  # the SDK raises CosClientError or plain ValueError
            raise StorageError(
                f"sign: cannot sign a URL for object {ref.object_id} ({type(error).__name__})",
                permanent=True,
                code="storage.sign_failed",
            ) from error
        return str(url)

    def put_json(self, bucket: str, key: str, doc: Mapping[str, Any]) -> None:
        self.put_bytes(bucket, key, json_bytes(doc), "application/json")

    def put_bytes(self, bucket: str, key: str, data: bytes, content_type: str) -> None:
        self._call(
            "put",
            "result",
            lambda c: c.put_object(
                Bucket=self._bucket(bucket), Body=data, Key=key, ContentType=content_type
            ),
        )
