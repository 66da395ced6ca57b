"""Run a real function handler on this machine, as its platform would (`passport-ocr invoke`).

The handler module is imported from `functions/<platform>/` by path under a fresh module
name, after the requested environment variables are set, exactly as a new container
imports it; it is then called once with the event and a context object shaped like the
platform's own:

- FunctionGraph: an object with the runtime's getter methods (`getRequestID`,
  `getRemainingTimeInMilliSeconds`, `getSecurityAccessKey`/`SecretKey`/`Token`,
  `getProjectID`, `getUserData`, ...). The agency's temporary credentials are stood in for
  by the Huawei SDK's variables (HUAWEICLOUD_SDK_AK, _SK, _SECURITY_TOKEN, _PROJECT_ID).
- SCF: a dict (`request_id`, `time_limit_in_ms`, `tencentcloud_region`, ...); the role's
  credentials are read from the environment by the handler itself, as on SCF.
- Lambda: an object with the attributes Powertools reads (`function_name`,
  `aws_request_id`, `invoked_function_arn`, ...) and `get_remaining_time_in_millis()`.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import logging
import os
import sys
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from passport_ocr.clouds import CLOUDS
from passport_ocr.errors import ConfigError

#: Where each platform's handler lives, relative to `functions/`, and its entry point.
HANDLERS: Final[dict[str, tuple[str, str]]] = {
    name: handler for name, item in CLOUDS.items() if (handler := item.handler) is not None
}
FUNCTION_NAME: Final = "passport-ocr"

Handler = Callable[[Any, Any], Any]


def functions_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """`functions/`: given, else found from the working folder up, else beside the package
    source (an editable install of this repository)."""
    if explicit is not None:
        folder = Path(explicit).expanduser().resolve()
        if not folder.is_dir():
            raise ConfigError(f"{explicit} is not a folder")
        return folder
    here = Path.cwd().resolve()
    package_checkout = Path(__file__).resolve().parents[3]
    for candidate in (here, *here.parents, package_checkout):
        folder = candidate / "functions"
        if (folder / HANDLERS["aws"][0]).is_file():
            return folder
    raise ConfigError(
        "cannot find the functions/ folder of passport-ocr-functions: run from the repository "
        "or give --functions-dir"
    )


def load_handler(platform: str, folder: Path) -> Handler:
    """Import the handler module afresh (its settings are read at import) and return the
    entry point."""
    if platform not in HANDLERS:
        raise ConfigError(f"no function handler for platform {platform!r}")
    relative, entry = HANDLERS[platform]
    path = folder / relative
    if not path.is_file():
        raise ConfigError(f"no handler at {path}")
    if str(path.parent) not in sys.path:  # the runtime runs handlers from their folder
        sys.path.insert(0, str(path.parent))
    name = f"_passport_ocr_handler_{platform}_{uuid.uuid4().hex[:8]}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ConfigError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses and pickling look modules up by name
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    handler = getattr(module, entry, None)
    if not callable(handler):
        raise ConfigError(f"{path} has no function {entry}()")
    return handler  # type: ignore[no-any-return]


@contextlib.contextmanager
def environment(changes: Mapping[str, str | None]) -> Iterator[None]:
    """Set (or, for None, remove) environment variables for a while, then restore them."""
    saved = {name: os.environ.get(name) for name in changes}
    for name, value in changes.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


# -- contexts -------------------------------------------------------------------------------


@dataclass
class _Deadline:
    timeout_ms: int
    clock: Callable[[], float] = time.monotonic
    started: float = field(init=False)

    def __post_init__(self) -> None:
        self.started = self.clock()

    def remaining_ms(self) -> int:
        return max(0, int(self.timeout_ms - (self.clock() - self.started) * 1000))


class FunctionGraphContext:
    """What FunctionGraph's Python runtime passes as `context` (https://support.huaweicloud.com/devg-functiongraph/functiongraph_02_0420.html)."""

    def __init__(
        self,
        timeout_ms: int,
        environ: Mapping[str, str],
        *,
        memory_mb: int = 1024,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._deadline = _Deadline(timeout_ms, clock)
        self._environ = dict(environ)
        self._memory_mb = memory_mb
        self._request_id = str(uuid.uuid4())

    # N802: the runtime's own method names.
    def getRequestID(self) -> str:  # noqa: N802
        return self._request_id

    def getRemainingTimeInMilliSeconds(self) -> int:  # noqa: N802
        return self._deadline.remaining_ms()

    def getRunningTimeInSeconds(self) -> int:  # noqa: N802
        return self._deadline.timeout_ms // 1000

    def getSecurityAccessKey(self) -> str:  # noqa: N802
        return self._environ.get("HUAWEICLOUD_SDK_AK", "")

    def getSecuritySecretKey(self) -> str:  # noqa: N802
        return self._environ.get("HUAWEICLOUD_SDK_SK", "")

    def getSecurityToken(self) -> str:  # noqa: N802
        return self._environ.get("HUAWEICLOUD_SDK_SECURITY_TOKEN", "")

    def getAccessKey(self) -> str:  # noqa: N802 (no longer maintained by FunctionGraph)
        return ""

    def getSecretKey(self) -> str:  # noqa: N802
        return ""

    def getToken(self) -> str:  # noqa: N802
        return ""

    def getProjectID(self) -> str:  # noqa: N802
        return self._environ.get("HUAWEICLOUD_SDK_PROJECT_ID", "")

    def getUserData(self, key: str, default: str | None = None) -> str | None:  # noqa: N802
        return self._environ.get(key, default)

    def getFunctionName(self) -> str:  # noqa: N802
        return FUNCTION_NAME

    def getVersion(self) -> str:  # noqa: N802
        return "latest"

    def getAlias(self) -> str:  # noqa: N802
        return ""

    def getPackage(self) -> str:  # noqa: N802
        return "default"

    def getMemorySize(self) -> int:  # noqa: N802
        return self._memory_mb

    def getCPUNumber(self) -> int:  # noqa: N802
        return 1

    def getLogger(self) -> logging.Logger:  # noqa: N802
        return logging.getLogger("functiongraph")


def scf_context(
    timeout_ms: int, environ: Mapping[str, str], *, memory_mb: int = 1024
) -> dict[str, Any]:
    """What SCF passes as `context`: a plain dict (the time limit, not the time left)."""
    region = environ.get("TENCENTCLOUD_REGION", "ap-guangzhou")
    return {
        "callbackWaitsForEmptyEventLoop": True,
        "memory_limit_in_mb": memory_mb,
        "time_limit_in_ms": timeout_ms,
        "request_id": str(uuid.uuid4()),
        "environment": "{}",
        "environ": "",
        "function_version": "$LATEST",
        "function_name": FUNCTION_NAME,
        "namespace": "default",
        "tencentcloud_region": region,
        "tencentcloud_appid": environ.get("TENCENTCLOUD_APPID", "1250000000"),
        "tencentcloud_uin": environ.get("TENCENTCLOUD_UIN", "100000000001"),
    }


class LambdaContext:
    """The attributes of Lambda's Python `context` (what Powertools' decorators read)."""

    def __init__(
        self,
        timeout_ms: int,
        environ: Mapping[str, str],
        *,
        memory_mb: int = 1024,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        region = environ.get("AWS_REGION") or environ.get("AWS_DEFAULT_REGION") or "eu-central-1"
        self._deadline = _Deadline(timeout_ms, clock)
        self.function_name = FUNCTION_NAME
        self.function_version = "$LATEST"
        self.invoked_function_arn = f"arn:aws:lambda:{region}:123456789012:function:{FUNCTION_NAME}"
        self.memory_limit_in_mb = memory_mb
        self.aws_request_id = str(uuid.uuid4())
        self.log_group_name = f"/aws/lambda/{FUNCTION_NAME}"
        self.log_stream_name = f"local/[$LATEST]{uuid.uuid4().hex}"
        self.identity = None
        self.client_context = None

    def get_remaining_time_in_millis(self) -> int:
        return self._deadline.remaining_ms()


#: How each platform hands its function a context (a test checks one per function cloud).
CONTEXTS: Final[dict[str, Callable[[int, Mapping[str, str]], Any]]] = {
    "huaweicloud": FunctionGraphContext,
    "tencentcloud": scf_context,
    "aws": LambdaContext,
}


def make_context(platform: str, timeout_ms: int, environ: Mapping[str, str]) -> Any:
    make = CONTEXTS.get(platform)
    if make is None:
        raise ConfigError(f"no function context for platform {platform!r}")
    return make(timeout_ms, environ)


def _huawei_credentials(environ: Mapping[str, str]) -> None:
    # The local context hands out the SDK's variables as the agency's credentials.
    from passport_ocr.credentials import huawei_credentials_from_env  # noqa: PLC0415

    huawei_credentials_from_env(environ)


def _tencent_credentials(environ: Mapping[str, str]) -> None:
    from passport_ocr.credentials import tencent_credentials_from_env  # noqa: PLC0415

    tencent_credentials_from_env(environ)


def _aws_credentials(environ: Mapping[str, str]) -> None:
    # botocore's chain reads the process's environment (which `invoke` has set) and files.
    import botocore.session  # noqa: PLC0415

    from passport_ocr.storage.s3 import no_aws_credentials  # noqa: PLC0415

    if botocore.session.get_session().get_credentials() is None:
        raise no_aws_credentials()


#: Each platform's credential chain, as its handler resolves it for the object store (which
#: every upload reads, whatever the OCR vendor): a `ConfigError` naming what to set, which
#: the handler would only log per upload (and retry); locally it is a setup problem.
CREDENTIAL_CHECKS: Final[dict[str, Callable[[Mapping[str, str]], None]]] = {
    "huaweicloud": _huawei_credentials,
    "tencentcloud": _tencent_credentials,
    "aws": _aws_credentials,
}


def invoke(
    platform: str,
    event: Any,
    *,
    env: Mapping[str, str | None] | None = None,
    folder: Path | None = None,
    timeout_ms: int = 30_000,
) -> Any:
    """Import the platform's handler with `env` set, and call it once with `event`.

    The handler's own log lines (JSON on stdout, as the platforms collect them) go to
    stderr here, so that stdout carries only the handler's return value."""
    with environment(env or {}), contextlib.redirect_stdout(sys.stderr):
        handler = load_handler(platform, folder or functions_dir())
        context = make_context(platform, timeout_ms, os.environ)
        CREDENTIAL_CHECKS[platform](os.environ)
        return handler(event, context)


def lambda_sqs_event(
    messages: Sequence[Mapping[str, Any]], queue_arn: str, region: str
) -> dict[str, Any]:
    """The event Lambda's SQS event source mapping builds from `ReceiveMessage` results."""
    return {
        "Records": [
            {
                "messageId": m["MessageId"],
                "receiptHandle": m["ReceiptHandle"],
                "body": m["Body"],
                "attributes": m.get("Attributes", {}),
                "messageAttributes": {
                    name: {
                        "stringValue": value.get("StringValue"),
                        "stringListValues": [],
                        "binaryListValues": [],
                        "dataType": value["DataType"],
                    }
                    for name, value in m.get("MessageAttributes", {}).items()
                },
                "md5OfBody": m.get("MD5OfBody")
                or hashlib.md5(m["Body"].encode(), usedforsecurity=False).hexdigest(),
                "eventSource": "aws:sqs",
                "eventSourceARN": queue_arn,
                "awsRegion": region,
            }
            for m in messages
        ]
    }
