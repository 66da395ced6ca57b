"""Cloud credentials for the OCR providers: one small value, and where to find it.

Functions get temporary credentials per invocation (FunctionGraph agency credentials from
the context, SCF role credentials from the environment), so a provider is built once per
container with a `CredentialsProvider` it calls on every request, never with a fixed key.
Secrets never appear in `repr()` or in error messages.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar

from passport_ocr.errors import ConfigError


@dataclass(frozen=True)
class Credentials:
    """An access key pair, with the security token that temporary credentials carry."""

    access_key: str
    secret_key: str = field(repr=False)
    security_token: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        # An empty AK/SK makes the Huawei SDK fall back to the ECS metadata service.
        if not self.access_key or not self.secret_key:
            raise ConfigError("credentials need both an access key and a secret key")

    @property
    def temporary(self) -> bool:
        return bool(self.security_token)


#: Called once per vendor request: temporary credentials may have been renewed since.
CredentialsProvider = Callable[[], Credentials]


def static_credentials(credentials: Credentials) -> CredentialsProvider:
    """A provider that always answers the same credentials (tests, long-lived keys)."""
    return lambda: credentials


def as_provider(credentials: Credentials | CredentialsProvider) -> CredentialsProvider:
    return static_credentials(credentials) if isinstance(credentials, Credentials) else credentials


ClientT = TypeVar("ClientT")


class ClientForCredentials(Generic[ClientT]):
    """One SDK client for the current credentials, rebuilt when they are renewed.

    SDK clients hold their credentials; temporary ones change between invocations.
    `close` releases the replaced client's connections, where the SDK has such a call.
    """

    def __init__(
        self,
        credentials: Credentials | CredentialsProvider,
        build: Callable[[Credentials], ClientT],
        close: Callable[[ClientT], None] | None = None,
    ) -> None:
        self._credentials = as_provider(credentials)
        self._build = build
        self._close = close
        self._current: tuple[Credentials, ClientT] | None = None

    def get(self) -> tuple[ClientT, Credentials]:
        credentials = self._credentials()
        if self._current is None or self._current[0] != credentials:
            if self._current is not None and self._close is not None:
                self._close(self._current[1])
            self._current = (credentials, self._build(credentials))
        return self._current[1], credentials


def _from_env(
    environ: Mapping[str, str], ak_name: str, sk_name: str, token_name: str
) -> Credentials | None:
    access_key, secret_key = environ.get(ak_name, ""), environ.get(sk_name, "")
    if not access_key and not secret_key:
        return None
    if not access_key or not secret_key:
        raise ConfigError(f"set both {ak_name} and {sk_name}, or neither")
    return Credentials(access_key, secret_key, environ.get(token_name) or None)


# -- Huawei Cloud ---------------------------------------------------------------------------
#: The Huawei SDK's own environment variable names, for local use.
HUAWEI_AK_ENV = "HUAWEICLOUD_SDK_AK"
HUAWEI_SK_ENV = "HUAWEICLOUD_SDK_SK"
HUAWEI_TOKEN_ENV = "HUAWEICLOUD_SDK_SECURITY_TOKEN"  # noqa: S105 (a variable name)
HUAWEI_PROJECT_ENV = "HUAWEICLOUD_SDK_PROJECT_ID"
#: Set by the FunctionGraph runtime (its Python developer guide, functiongraph_02_0420).
FUNCTIONGRAPH_PROJECT_ENV = "RUNTIME_PROJECT_ID"


class FunctionGraphContext(Protocol):
    """The part of FunctionGraph's `context` object the OCR provider reads."""

    def getSecurityAccessKey(self) -> str: ...  # noqa: N802 (FunctionGraph's names)
    def getSecuritySecretKey(self) -> str: ...  # noqa: N802
    def getSecurityToken(self) -> str: ...  # noqa: N802


def huawei_credentials_from_context(context: FunctionGraphContext) -> Credentials:
    """The function agency's temporary AK/SK/token (getAccessKey() is no longer maintained)."""
    access_key = context.getSecurityAccessKey() or ""
    secret_key = context.getSecuritySecretKey() or ""
    token = context.getSecurityToken() or None
    if not access_key or not secret_key:
        raise ConfigError(
            "FunctionGraph gave no temporary credentials: give the function an agency "
            "that allows OCR (ocr:passport:recognize)"
        )
    return Credentials(access_key, secret_key, token)


def huawei_credentials_from_env(environ: Mapping[str, str] | None = None) -> Credentials:
    """AK/SK (and token) from the SDK's own variables, for running outside FunctionGraph."""
    found = _from_env(
        os.environ if environ is None else environ, HUAWEI_AK_ENV, HUAWEI_SK_ENV, HUAWEI_TOKEN_ENV
    )
    if found is None:
        raise ConfigError(f"no Huawei Cloud credentials: set {HUAWEI_AK_ENV} and {HUAWEI_SK_ENV}")
    return found


def huawei_credentials_provider(
    context: FunctionGraphContext | None = None, environ: Mapping[str, str] | None = None
) -> CredentialsProvider:
    """Per-invocation credentials: the FunctionGraph context when there is one, else the env."""
    if context is not None:
        return lambda: huawei_credentials_from_context(context)
    return lambda: huawei_credentials_from_env(environ)


def huawei_project_id(
    configured: str | None,
    context: object | None = None,
    environ: Mapping[str, str] | None = None,
) -> str:
    """The project id, never looked up through IAM: setting, context, runtime or SDK env var."""
    env = os.environ if environ is None else environ
    from_context = getattr(context, "getProjectID", None)
    candidates = (
        configured,
        from_context() if callable(from_context) else None,
        env.get(FUNCTIONGRAPH_PROJECT_ENV),
        env.get(HUAWEI_PROJECT_ENV),
    )
    for candidate in candidates:
        if isinstance(candidate, str) and candidate.strip():
            return candidate.strip()
    raise ConfigError(
        "no Huawei project id: set PASSPORT_OCR_HUAWEI_PROJECT_ID "
        f"(or {HUAWEI_PROJECT_ENV} when running locally)"
    )


# -- Tencent Cloud (helper H4 adds its part below) ------------------------------------------
#: SCF puts the execution role's temporary credentials here (https://cloud.tencent.com/document/product/583/32389).
TENCENT_SCF_SECRET_ID_ENV = "TENCENTCLOUD_SECRETID"  # noqa: S105 (a variable name)
TENCENT_SCF_SECRET_KEY_ENV = "TENCENTCLOUD_SECRETKEY"  # noqa: S105
TENCENT_SCF_TOKEN_ENV = "TENCENTCLOUD_SESSIONTOKEN"  # noqa: S105
#: The names the Tencent SDK's own environment provider reads (it reads no token at all).
TENCENT_SDK_SECRET_ID_ENV = "TENCENTCLOUD_SECRET_ID"  # noqa: S105
TENCENT_SDK_SECRET_KEY_ENV = "TENCENTCLOUD_SECRET_KEY"  # noqa: S105


def tencent_credentials_from_env(
    environ: Mapping[str, str] | None = None, *, long_lived_only: bool = False
) -> Credentials:
    """SCF role credentials (with their token) first, else the SDK's long-lived key names.

    `long_lived_only`: for an API that refuses temporary keys (the legacy image API signs
    no token), the role's credentials are never used, even on SCF.
    """
    env = os.environ if environ is None else environ
    role = (
        None
        if long_lived_only
        else _from_env(
            env, TENCENT_SCF_SECRET_ID_ENV, TENCENT_SCF_SECRET_KEY_ENV, TENCENT_SCF_TOKEN_ENV
        )
    )
    found = role or _from_env(env, TENCENT_SDK_SECRET_ID_ENV, TENCENT_SDK_SECRET_KEY_ENV, "")
    if found is None and long_lived_only:
        raise ConfigError(
            "this Tencent API takes no temporary keys: set "
            f"{TENCENT_SDK_SECRET_ID_ENV} and {TENCENT_SDK_SECRET_KEY_ENV} (an SCF execution "
            "role's credentials are not used for it)"
        )
    if found is None:
        raise ConfigError(
            "no Tencent Cloud credentials: give the SCF function an execution role, or set "
            f"{TENCENT_SDK_SECRET_ID_ENV} and {TENCENT_SDK_SECRET_KEY_ENV} when running locally"
        )
    return found


def tencent_credentials_provider(
    environ: Mapping[str, str] | None = None, *, long_lived_only: bool = False
) -> CredentialsProvider:
    """Read the environment on every call: SCF renews the role credentials between invocations."""
    return lambda: tencent_credentials_from_env(environ, long_lived_only=long_lived_only)
