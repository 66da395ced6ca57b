"""Huawei OBS through esdk-obs-python's `ObsClient`.

ObsClient does not raise on HTTP errors (it returns a result with `.status`) and lets a raw
`OSError` escape on network failure: both become `StorageError` here. Credentials are read
per call, because FunctionGraph agency credentials are temporary.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from passport_ocr.credentials import (
    ClientForCredentials,
    Credentials,
    CredentialsProvider,
)
from passport_ocr.errors import PassportOcrError, StorageError
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
)


def obs_server(region: str, endpoint: str | None = None) -> str:
    """The OBS endpoint: an override (private, sovereign or test), else the region's public one."""
    return endpoint or f"https://obs.{region}.myhuaweicloud.com"


class ObsStore:
    cloud: Cloud = "huaweicloud"

    def __init__(
        self,
        credentials: Credentials | CredentialsProvider,
        server: str,
        *,
        path_style: bool = False,
        timeout_s: int = 30,
        max_retry_count: int = 1,
    ) -> None:
        self._server = server
        self._path_style = path_style
        self._timeout_s = timeout_s
        self._max_retry_count = max_retry_count
        self._clients = ClientForCredentials(credentials, self._new_client, lambda c: c.close())

    def _new_client(self, credentials: Credentials) -> Any:
        from obs import ObsClient  # noqa: PLC0415 (lazy: only OBS functions ship it)

        return ObsClient(
            access_key_id=credentials.access_key,
            secret_access_key=credentials.secret_key,
            security_token=credentials.security_token,
            server=self._server,
            path_style=self._path_style,
            timeout=self._timeout_s,
            max_retry_count=self._max_retry_count,
        )

    def _obs(self) -> Any:
        """An ObsClient for the current credentials (rebuilt when they are renewed)."""
        return self._clients.get()[0]

    def _call(self, what: str, ref_id: str, call: Any, *, accept: int = 0) -> Any:
        """Run `call(client)`; map every failure to `StorageError`. `accept`: one more OK status."""
        try:
            result = call(self._obs())
        except OSError as error:  # ConnectionRefusedError, timeouts, resets
            raise unreachable("OBS", what, ref_id, error) from error
        except PassportOcrError:  # ours (no credentials, ...): already typed
            raise
        except Exception as error:
            # esdk-obs-python raises a bare Exception for a body cut short ("premature end of
            # Content-Length delimiter message body"): a broken transfer, worth a retry.
            raise unreachable("OBS", what, ref_id, error) from error
        status = getattr(result, "status", None)
        if status == accept and accept:
            return result
        if not isinstance(status, int) or status >= 300:
            raise error_for_status(
                status if isinstance(status, int) else None,
                what,
                ref_id,
                getattr(result, "errorCode", None),
            )
        return result

    def head(self, ref: ObjectRef) -> ObjectInfo:
        result = self._call(
            "head",
            ref.object_id,
            lambda c: c.getObjectMetadata(ref.bucket, ref.key, versionId=ref.version_id),
        )
        body = result.body
        return ObjectInfo(
            size=int(getattr(body, "contentLength", 0) or 0),
            etag=getattr(body, "etag", None),
            content_type=getattr(body, "contentType", None),
        )

    def fetch(self, ref: ObjectRef, max_bytes: int = MAX_SOURCE_BYTES) -> bytes:
        check_declared_size(ref, max_bytes)
        from obs import GetObjectHeader, GetObjectRequest  # noqa: PLC0415

        def get(client: Any) -> Any:
            return client.getObject(
                ref.bucket,
                ref.key,
                getObjectRequest=GetObjectRequest(versionId=ref.version_id),
                headers=GetObjectHeader(range=ranged_header(max_bytes)),
                loadStreamInMemory=True,
            )

        result = self._call("fetch", ref.object_id, get, accept=416)
        if result.status == 416:  # 416 Range Not Satisfiable: the object is empty
            return b""
        buffer = result.body.buffer
        return check_received(ref, bytes(buffer or b""), max_bytes)

    def delete(self, ref: ObjectRef) -> None:
        self._call("delete", ref.object_id, lambda c: c.deleteObject(ref.bucket, ref.key))

    def signed_url(self, ref: ObjectRef, expires_s: int = DEFAULT_URL_EXPIRY_S) -> str:
        query = {"versionId": ref.version_id} if ref.version_id else None
        try:
            signed = self._obs().createSignedUrl(
                "GET", ref.bucket, ref.key, expires=expires_s, queryParams=query
            )
        except (OSError, ValueError, TypeError) as error:
            raise StorageError(
                f"sign: cannot sign a URL for object {ref.object_id} ({type(error).__name__})",
                permanent=True,
                code="storage.sign_failed",
            ) from error
        return str(signed.signedUrl)

    def put_json(self, bucket: str, key: str, doc: Mapping[str, Any]) -> None:
        self.put_bytes(bucket, key, json_bytes(doc), "application/json")

    def put_bytes(self, bucket: str, key: str, data: bytes, content_type: str) -> None:
        from obs import PutObjectHeader  # noqa: PLC0415

        self._call(
            "put",
            "result",
            lambda c: c.putContent(
                bucket, key, content=data, headers=PutObjectHeader(contentType=content_type)
            ),
        )
