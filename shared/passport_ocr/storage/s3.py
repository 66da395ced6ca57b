"""AWS S3 through botocore (`passport_ocr.aws_clients`).

On Lambda the role's temporary credentials come from botocore's default chain; elsewhere
they may be given explicitly. `endpoint_url` (settings.storage_endpoint) points the client
at a private endpoint or at moto's server in tests.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from passport_ocr.credentials import Credentials
from passport_ocr.errors import ConfigError
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


class S3Store:
    cloud: Cloud = "aws"

    def __init__(
        self,
        *,
        region: str | None = None,
        endpoint_url: str | None = None,
        credentials: Credentials | None = None,
        timeout_s: float = 10.0,
        client: Any = None,
    ) -> None:
        """Without `credentials`, botocore's default chain (the Lambda role) is used."""
        if client is None:
            # Lazy: only AWS functions need botocore.
            from botocore.config import Config  # noqa: PLC0415

            from passport_ocr.aws_clients import aws_client  # noqa: PLC0415

            config = Config(
                connect_timeout=timeout_s,
                read_timeout=timeout_s,
                retries={"mode": "standard", "max_attempts": 2},
                signature_version="s3v4",
            )
            client = aws_client(
                "s3",
                region_name=region,
                endpoint_url=endpoint_url,
                config=config,
                aws_access_key_id=credentials.access_key if credentials else None,
                aws_secret_access_key=credentials.secret_key if credentials else None,
                aws_session_token=credentials.security_token if credentials else None,
            )
        self._s3: Any = client  # botocore clients are dynamically typed

    def _call(self, what: str, ref_id: str, call: Any, *, accept: str = "") -> Any:
        from botocore.exceptions import (  # noqa: PLC0415
            BotoCoreError,
            ClientError,
            NoCredentialsError,
        )

        try:
            return call()
        except NoCredentialsError:
            raise no_aws_credentials() from None
        except ClientError as error:
            code = str(error.response.get("Error", {}).get("Code", ""))
            status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
            if accept and code == accept:
                return None
            if code in ("NoSuchKey", "NoSuchBucket", "NotFound", "404"):
                status = 404
            raise error_for_status(status, what, ref_id, code or None) from error
        except (BotoCoreError, OSError) as error:
            raise unreachable("S3", what, ref_id, error) from error

    def head(self, ref: ObjectRef) -> ObjectInfo:
        answer = self._call(
            "head",
            ref.object_id,
            lambda: self._s3.head_object(Bucket=ref.bucket, Key=ref.key, **version_params(ref)),
        )
        return ObjectInfo(
            size=int(answer.get("ContentLength", 0)),
            etag=answer.get("ETag"),
            content_type=answer.get("ContentType"),
        )

    def fetch(self, ref: ObjectRef, max_bytes: int = MAX_SOURCE_BYTES) -> bytes:
        check_declared_size(ref, max_bytes)

        def get() -> bytes:
            answer = self._s3.get_object(
                Bucket=ref.bucket,
                Key=ref.key,
                Range=ranged_header(max_bytes),
                **version_params(ref),
            )
            body = answer["Body"]
            try:
                return bytes(body.read(max_bytes + 1))
            finally:
                body.close()

        data = self._call("fetch", ref.object_id, get, accept="InvalidRange")
        if data is None:  # a ranged read of an empty object
            return b""
        return check_received(ref, data, max_bytes)

    def delete(self, ref: ObjectRef) -> None:
        self._call(
            "delete", ref.object_id, lambda: self._s3.delete_object(Bucket=ref.bucket, Key=ref.key)
        )

    def signed_url(self, ref: ObjectRef, expires_s: int = DEFAULT_URL_EXPIRY_S) -> str:
        params: dict[str, str] = {"Bucket": ref.bucket, "Key": ref.key, **version_params(ref)}
        url = self._call(
            "sign",
            ref.object_id,
            lambda: self._s3.generate_presigned_url(
                "get_object", Params=params, ExpiresIn=expires_s
            ),
        )
        return str(url)

    def put_json(self, bucket: str, key: str, doc: Mapping[str, Any]) -> None:
        self.put_bytes(bucket, key, json_bytes(doc), "application/json")

    def put_bytes(self, bucket: str, key: str, data: bytes, content_type: str) -> None:
        self._call(
            "put",
            "result",
            lambda: self._s3.put_object(
                Bucket=bucket, Key=key, Body=data, ContentType=content_type
            ),
        )


def no_aws_credentials() -> ConfigError:
    """botocore found no credentials anywhere in its chain: the operator's to fix, and not
    a store that is "unreachable"."""
    return ConfigError(
        "no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and "
        "AWS_SESSION_TOKEN for temporary ones), or AWS_PROFILE, or run where a role provides them"
    )
