"""FunctionGraph: another cloud's OCR keys from a CSMS (DEW) secret.

`PASSPORT_OCR_VENDOR_SECRET` is the secret's name; the value read is the version
`PASSPORT_OCR_VENDOR_SECRET_VERSION` (default `latest`, CSMS's alias of the newest version).
API facts, from huaweicloudsdkcsms 3.1.219 (`pip install
'passport-ocr-functions[huaweicloud-secrets]'`):
- ShowSecretVersion is `GET /v1/{project_id}/secrets/{secret_name}/versions/{version_id}`
  (huaweicloudsdkcsms/v1/csms_client.py:2292-2315, `show_secret_version` and its
  `_show_secret_version_http_info`), and "`latest`" as the version id reads the newest one
  (the same method's docstring, line 2296);
- the request model has `secret_name` and `version_id`
  (v1/model/show_secret_version_request.py:17-19);
- the answer is `{"version": {"version_metadata", "secret_binary", "secret_string"}}`
  (v1/model/show_secret_version_response.py:18-19, v1/model/version.py:17-27);
- the region's endpoint is KMS's, `https://kms.<region>.myhuaweicloud.com`
  (v1/region/csms_region.py:9-10, CsmsRegion).

Signed with the function agency's temporary AK/SK/token and the project id, as the OCR
client is: no IAM lookup at start-up. The agency needs `csms:secretVersion:get` (the
policy-based name of ShowSecretVersion's `csms:secret:getVersion`): infra/huaweicloud grants
it when `vendor_secret_name` is set.
"""

from __future__ import annotations

from typing import Any

from passport_ocr.credentials import CredentialsProvider
from passport_ocr.errors import SecretError
from passport_ocr.logs import adopt_sdk_logger

DEFAULT_VERSION = "latest"
KIND = "CSMS secret"
#: Seconds: reading a secret is quick or the store is not there.
CONNECT_TIMEOUT_SECONDS, READ_TIMEOUT_SECONDS = 3.0, 5.0


def csms_endpoint(region: str, endpoint: str | None) -> str:
    """A custom endpoint, the SDK's region table, or the documented naming pattern."""
    if endpoint:
        endpoint = endpoint.strip().rstrip("/")
        return endpoint if "://" in endpoint else f"https://{endpoint}"
    from huaweicloudsdkcsms.v1.region.csms_region import CsmsRegion  # noqa: PLC0415

    try:
        return str(CsmsRegion.value_of(region).endpoints[0])
    except KeyError:
        return f"https://kms.{region}.myhuaweicloud.com"


class CsmsSecret:
    """`SecretSource` for one CSMS secret version."""

    kind = KIND

    def __init__(
        self,
        name: str,
        *,
        project_id: str,
        region: str,
        credentials: CredentialsProvider,
        version: str | None = None,
        endpoint: str | None = None,
        verify_tls: bool = True,
    ) -> None:
        self.name = name.strip()
        self.version = version or DEFAULT_VERSION
        self._project_id = project_id
        self._region = region
        self._credentials = credentials
        self._endpoint = endpoint
        self._verify_tls = verify_tls

    def __repr__(self) -> str:
        return f"CsmsSecret({self.name!r}, version={self.version!r})"

    def read(self) -> str:
        from huaweicloudsdkcsms.v1 import ShowSecretVersionRequest  # noqa: PLC0415

        request = ShowSecretVersionRequest(secret_name=self.name, version_id=self.version)
        try:
            response = self._client().show_secret_version(request)
        except Exception as error:  # every SDK failure becomes a SecretError
            raise _secret_error(error) from None
        version = getattr(response, "version", None)
        text = getattr(version, "secret_string", None)
        if not isinstance(text, str):
            raise SecretError(f"the {KIND} holds no text (a binary secret?)", reason="malformed")
        return text

    def _client(self) -> Any:
        from huaweicloudsdkcore.auth.credentials import BasicCredentials  # noqa: PLC0415
        from huaweicloudsdkcore.http.http_config import HttpConfig  # noqa: PLC0415
        from huaweicloudsdkcsms.v1 import CsmsClient  # noqa: PLC0415

        keys = self._credentials()
        sdk_credentials = BasicCredentials(keys.access_key, keys.secret_key, self._project_id)
        if keys.security_token:
            sdk_credentials = sdk_credentials.with_security_token(keys.security_token)
        config = HttpConfig.get_default_config()
        config.ignore_ssl_verification = not self._verify_tls
        config.timeout = (CONNECT_TIMEOUT_SECONDS, READ_TIMEOUT_SECONDS)
        # Built per read (rare): the agency's temporary credentials change between reads.
        client = (
            CsmsClient.new_builder()
            .with_http_config(config)
            .with_credentials(sdk_credentials)
            .with_endpoints([csms_endpoint(self._region, self._endpoint)])
            .build()
        )
        adopt_sdk_logger(f"HuaweiCloud-SDK-{CsmsClient.__name__}")
        return client


def _secret_error(error: Exception) -> SecretError:
    from huaweicloudsdkcore.exceptions import exceptions as sdk_errors  # noqa: PLC0415

    if isinstance(error, SecretError):
        return error
    if isinstance(error, sdk_errors.ServiceResponseException):
        status = int(error.status_code) if error.status_code is not None else 0
        code = str(error.error_code or status)
        if status == 404:
            return SecretError(f"the {KIND} is not there ({code})", reason="not_found")
        if status in (401, 403):
            return SecretError(
                f"the function's agency may not read the {KIND} ({code})", reason="denied"
            )
        if status == 429 or status >= 500:
            return SecretError(
                f"cannot read the {KIND} ({code})", reason="unavailable", operator=False
            )
        return SecretError(f"the {KIND} request was refused ({code})", reason="invalid")
    return SecretError(
        f"cannot read the {KIND} ({type(error).__name__})", reason="unavailable", operator=False
    )
