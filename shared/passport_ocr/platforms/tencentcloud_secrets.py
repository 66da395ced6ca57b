"""SCF: another cloud's OCR keys from a Secrets Manager (SSM) secret.

`PASSPORT_OCR_VENDOR_SECRET` is the secret's name and `PASSPORT_OCR_VENDOR_SECRET_VERSION`
its version id, which GetSecretValue requires (`SSM_Current` names the version in use of a
rotated cloud-product secret). A user-defined secret is rotated by updating that version's
value (UpdateSecret) or by pointing the setting at a new version.
API facts, from tencentcloud-sdk-python-ssm 3.1.194 (`pip install
'passport-ocr-functions[tencentcloud-secrets]'`):
- service `ssm`, version `2019-09-23`, endpoint `ssm.tencentcloudapi.com`
  (tencentcloud/ssm/v20190923/ssm_client.py:24-26);
- action `GetSecretValue` (ssm_client.py:377-389: "通过指定凭据名称和版本来获取凭据的明文信息",
  `SSM_Current` for the version in use of a cloud-product secret);
- request `SecretName`, `VersionId` (models.py:2480-2498, GetSecretValueRequest); answer
  `SecretName`, `VersionId`, `SecretBinary` (base64), `SecretString`, `RequestId`
  (models.py:2563-2587, GetSecretValueResponse);
- error codes such as `ResourceNotFound.SecretNotExist`, `ResourceUnavailable.ResourceDisabled`,
  `UnauthorizedOperation.AccessKmsError` (tencentcloud/ssm/v20190923/errorcodes.py).

Signed with the execution role's temporary credentials (TC3, with the token). The role
needs `name/ssm:GetSecretValue` on `qcs::ssm:<region>:uin/<uin>:secret/<name>`:
infra/tencentcloud grants exactly that when `vendor_secret_name` is set.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from passport_ocr.credentials import CredentialsProvider
from passport_ocr.errors import ConfigError, SecretError

KIND = "SSM secret"
ENDPOINT = "ssm.tencentcloudapi.com"
#: Whole seconds (the SDK's unit): reading a secret is quick or the store is not there.
TIMEOUT_SECONDS = 5
_TRANSIENT_CODES = ("InternalError", "RequestLimitExceeded", "ClientNetworkError")
_NOT_FOUND_CODES = ("ResourceNotFound",)
_DENIED_CODES = ("AuthFailure", "UnauthorizedOperation", "OperationDenied")


def split_endpoint(endpoint: str | None) -> tuple[str, str]:
    """(scheme, host[:port]) of a host name or an http(s) origin; default the public one."""
    text = (endpoint or ENDPOINT).strip().rstrip("/")
    if "://" not in text:
        return "https", text
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError("PASSPORT_OCR_VENDOR_SECRET_ENDPOINT must be a host or an http(s) origin")
    return parts.scheme, parts.netloc


class SsmSecret:
    """`SecretSource` for one SSM secret version."""

    kind = KIND

    def __init__(
        self,
        name: str,
        *,
        region: str,
        credentials: CredentialsProvider,
        version: str | None,
        endpoint: str | None = None,
    ) -> None:
        if not version:
            raise ConfigError(
                "set PASSPORT_OCR_VENDOR_SECRET_VERSION: SSM's GetSecretValue needs the "
                "secret's version id"
            )
        self.name = name.strip()
        self.version = version
        self._region = region
        self._credentials = credentials
        self._scheme, self._host = split_endpoint(endpoint)

    def __repr__(self) -> str:
        return f"SsmSecret({self.name!r}, version={self.version!r})"

    def read(self) -> str:
        from tencentcloud.ssm.v20190923 import models  # noqa: PLC0415

        request = models.GetSecretValueRequest()
        request.SecretName = self.name
        request.VersionId = self.version
        try:
            response = self._client().GetSecretValue(request)
        except Exception as error:  # every SDK failure becomes a SecretError
            raise _secret_error(error) from None
        text = getattr(response, "SecretString", None)
        if not isinstance(text, str) or not text:
            raise SecretError(f"the {KIND} holds no text (a binary secret?)", reason="malformed")
        return text

    def _client(self) -> Any:
        from tencentcloud.common.credential import Credential  # noqa: PLC0415
        from tencentcloud.common.profile.client_profile import ClientProfile  # noqa: PLC0415
        from tencentcloud.common.profile.http_profile import HttpProfile  # noqa: PLC0415
        from tencentcloud.ssm.v20190923.ssm_client import SsmClient  # noqa: PLC0415

        keys = self._credentials()
        http = HttpProfile(
            protocol=self._scheme, endpoint=self._host, reqMethod="POST", reqTimeout=TIMEOUT_SECONDS
        )
        profile = ClientProfile(httpProfile=http, language="en-US")
        # Built per read (rare): the role's temporary credentials change between reads.
        credential = Credential(keys.access_key, keys.secret_key, keys.security_token)
        return SsmClient(credential, self._region, profile)


def _secret_error(error: Exception) -> SecretError:
    from tencentcloud.common.exception.tencent_cloud_sdk_exception import (  # noqa: PLC0415
        TencentCloudSDKException,
    )

    if isinstance(error, TencentCloudSDKException):
        code = str(error.code or "")
        family = code.split(".", 1)[0]
        if family in _NOT_FOUND_CODES:
            return SecretError(f"the {KIND} is not there ({code})", reason="not_found")
        if family in _DENIED_CODES:
            return SecretError(
                f"the function's role may not read the {KIND} ({code})", reason="denied"
            )
        if family in _TRANSIENT_CODES or code == "ServerNetworkError":
            return SecretError(
                f"cannot read the {KIND} ({code})", reason="unavailable", operator=False
            )
        return SecretError(f"the {KIND} request was refused ({code})", reason="invalid")
    return SecretError(
        f"cannot read the {KIND} ({type(error).__name__})", reason="unavailable", operator=False
    )
