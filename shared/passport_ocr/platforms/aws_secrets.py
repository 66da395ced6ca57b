"""Lambda: another cloud's OCR keys from Secrets Manager or an SSM SecureString parameter.

`PASSPORT_OCR_VENDOR_SECRET` is an ARN, and its service decides the store:
- `arn:aws:secretsmanager:<region>:<account>:secret:<name>-<suffix>`: `GetSecretValue`
  (`SecretId` = the ARN, `VersionStage` = `PASSPORT_OCR_VENDOR_SECRET_VERSION`, default
  AWSCURRENT), the JSON in `SecretString`;
- `arn:aws:ssm:<region>:<account>:parameter/<name>`: `GetParameter` (`Name` = the ARN, which
  GetParameter takes, and needs for a parameter shared from another account;
  `WithDecryption` = true), the JSON in `Parameter.Value`.

Both with the Lambda role's credentials (botocore's default chain), in the ARN's region.
Botocore reads `AWS_ENDPOINT_URL_SECRETS_MANAGER` / `AWS_ENDPOINT_URL_SSM` by itself;
`PASSPORT_OCR_VENDOR_SECRET_ENDPOINT` overrides both. The role needs only
`secretsmanager:GetSecretValue` or `ssm:GetParameter` on that ARN (and `kms:Decrypt` on a
customer managed key): infra/aws grants exactly that when `vendor_secret_arn` is set.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from passport_ocr.errors import ConfigError, SecretError
from passport_ocr.vendor_secrets import SecretSource

_ARN = re.compile(
    r"^arn:(?P<partition>aws[a-z-]*):(?P<service>secretsmanager|ssm):(?P<region>[a-z0-9-]+):"
    r"(?P<account>\d{12}):(?P<resource>(?:secret:|parameter/).+)$"
)
#: Codes that mean the secret or parameter is not there (or not in that version or stage).
_NOT_FOUND = frozenset(
    {"ResourceNotFoundException", "ParameterNotFound", "ParameterVersionNotFound"}
)
#: Codes that mean the role may not read it, or may not decrypt it.
_DENIED = frozenset(
    {
        "AccessDeniedException",
        "AccessDenied",
        "UnrecognizedClientException",
        "InvalidSignatureException",
        "ExpiredTokenException",
        "DecryptionFailure",
        "InvalidKeyId",
        "KMSAccessDeniedException",
        "KMSDisabledException",
        "KMSNotFoundException",
    }
)
#: The request itself is refused: a value the operator set (a stage that is not there).
_INVALID = frozenset(
    {"InvalidParameterException", "InvalidRequestException", "ValidationException"}
)


@dataclass(frozen=True)
class SecretArn:
    service: str  # "secretsmanager" or "ssm"
    region: str
    arn: str


def parse_arn(text: str) -> SecretArn:
    """A Secrets Manager secret ARN or an SSM parameter ARN; anything else is a ConfigError."""
    match = _ARN.match(text.strip())
    is_secret = match is not None and match["service"] == "secretsmanager"
    if match is None or is_secret != match["resource"].startswith("secret:"):
        raise ConfigError(
            "PASSPORT_OCR_VENDOR_SECRET on Lambda must be a Secrets Manager secret ARN "
            "(arn:aws:secretsmanager:...:secret:...) or an SSM parameter ARN "
            "(arn:aws:ssm:...:parameter/...)"
        )
    return SecretArn(match["service"], match["region"], text.strip())


class AwsSecret:
    """`SecretSource` for one Secrets Manager secret or SSM SecureString parameter."""

    def __init__(
        self,
        reference: str,
        *,
        version: str | None = None,
        endpoint_url: str | None = None,
        client: Any = None,
    ) -> None:
        self.arn = parse_arn(reference)
        self.kind = (
            "Secrets Manager secret" if self.arn.service == "secretsmanager" else "SSM parameter"
        )
        self._version = version
        self._endpoint_url = endpoint_url
        self._client = client

    def __repr__(self) -> str:
        return f"AwsSecret({self.kind})"

    def read(self) -> str:
        from botocore.exceptions import BotoCoreError, ClientError  # noqa: PLC0415

        try:
            secret = self.arn.service == "secretsmanager"
            value = self._read_secret() if secret else self._read_ssm()
        except ClientError as error:
            raise self._client_error(error) from None
        except BotoCoreError as error:  # no route, timeout, no credentials in the chain
            raise SecretError(
                f"cannot read the {self.kind} ({type(error).__name__})",
                reason="unavailable",
                operator=False,
            ) from None
        if not isinstance(value, str):
            raise SecretError(
                f"the {self.kind} holds no text (a binary secret?)", reason="malformed"
            )
        return value

    def _read_secret(self) -> object:
        arguments: dict[str, str] = {"SecretId": self.arn.arn}
        if self._version:
            arguments["VersionStage"] = self._version
        answer = self.client().get_secret_value(**arguments)
        return answer.get("SecretString")

    def _read_ssm(self) -> object:
        answer = self.client().get_parameter(Name=self.arn.arn, WithDecryption=True)
        return answer.get("Parameter", {}).get("Value")

    def client(self) -> Any:
        if self._client is None:
            # In every Lambda runtime; lazy for the others.
            from botocore.config import Config  # noqa: PLC0415

            from passport_ocr.aws_clients import aws_client  # noqa: PLC0415

            self._client = aws_client(
                self.arn.service,
                region_name=self.arn.region,
                endpoint_url=self._endpoint_url,
                config=Config(connect_timeout=3, read_timeout=5, retries={"max_attempts": 2}),
            )
        return self._client

    def _client_error(self, error: Any) -> SecretError:
        code = str(error.response.get("Error", {}).get("Code", ""))
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        if code in _NOT_FOUND:
            return SecretError(f"the {self.kind} is not there ({code})", reason="not_found")
        if code in _DENIED:
            return SecretError(
                f"the function's role may not read the {self.kind} ({code})", reason="denied"
            )
        if code in _INVALID:
            return SecretError(f"the {self.kind} request was refused ({code})", reason="invalid")
        transient = not isinstance(status, int) or status >= 500 or status == 429
        return SecretError(
            f"cannot read the {self.kind} ({code or status})",
            reason="unavailable",
            operator=not transient,
        )


def open_secret(reference: str, *, version: str | None, endpoint_url: str | None) -> SecretSource:
    return AwsSecret(reference, version=version, endpoint_url=endpoint_url)
