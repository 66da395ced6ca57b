"""Every platform the pipeline runs on, one descriptor each: the one place a cloud's identity
is written (its store, its default vendor, its handler, its trigger's key encoding, its
topic's size limit, its event parser, its runtime's Python).

Import-light on purpose: nothing here imports an SDK; modules are named, and imported by the
code that needs them, only when it needs them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final, Literal

CloudName = Literal["huaweicloud", "tencentcloud", "aws", "local"]
#: The clouds that deliver trigger events to a deployed function (all but `local`).
FunctionCloud = Literal["huaweicloud", "tencentcloud", "aws"]


@dataclass(frozen=True)
class Cloud:
    """What the rest of the project may know about one platform."""

    name: CloudName
    title: str
    #: What its functions are called ("FunctionGraph"), for messages and documents.
    function_title: str
    #: The URI scheme of its object store (`obs://bucket/key`), also the CloudEvents source.
    storage_scheme: str
    #: `module:Class` of its object store.
    store: str
    #: The OCR vendor a function on this cloud uses unless told otherwise.
    default_vendor: str
    #: The largest serialized CloudEvent its topic takes (bytes).
    topic_max_bytes: int
    #: Handler file relative to `functions/`, and its entry point; None: no function.
    handler: tuple[str, str] | None = None
    #: Whether its trigger URL-encodes object keys by default (None: no trigger).
    key_encoded: bool | None = None
    #: Module with `parse(event, *, results_prefix, key_encoded)` for its trigger events.
    event_parser: str | None = None
    #: The runtime's Python, e.g. "3.10": the bundle is compiled for it.
    python: str | None = None
    #: The `pip install 'passport-ocr-functions[EXTRA]'` its function needs.
    extra: str = ""
    #: Top-level modules that extra brings (a missing one is answered with the extra's name).
    sdk_modules: tuple[str, ...] = ()
    #: The secret-store SDK its function reads another cloud's vendor keys with
    #: (`PASSPORT_OCR_VENDOR_SECRET`), bundled with such a vendor (`package --with-vendor`).
    secret_packages: tuple[str, ...] = ()


CLOUDS: Final[Mapping[CloudName, Cloud]] = {
    "huaweicloud": Cloud(
        name="huaweicloud",
        function_title="FunctionGraph",
        title="Huawei Cloud FunctionGraph, OBS and SMN",
        storage_scheme="obs",
        store="passport_ocr.storage.obs:ObsStore",
        default_vendor="huawei",
        # SMN: "message <= 256 KB"; read as decimal kilobytes to stay on the safe side.
        topic_max_bytes=256_000,
        handler=("huaweicloud/index.py", "handler"),
        # OBS triggers (and EventGrid with Key_encode on, as infra/ creates it) encode keys.
        key_encoded=True,
        event_parser="passport_ocr.events.huaweicloud",
        python="3.10",
        extra="huaweicloud",
        secret_packages=("huaweicloudsdkcsms>=3.1.100",),
        sdk_modules=("huaweicloudsdkcore", "huaweicloudsdkocr", "huaweicloudsdksmn", "obs"),
    ),
    "tencentcloud": Cloud(
        name="tencentcloud",
        function_title="SCF",
        title="Tencent Cloud SCF, COS and TDMQ for CMQ",
        storage_scheme="cos",
        store="passport_ocr.storage.cos:CosStore",
        default_vendor="tencent",
        # TDMQ for CMQ: the API takes 1 MB, but a topic's `max_msg_size` is at most 64 KiB.
        topic_max_bytes=65_536,
        handler=("tencentcloud/index.py", "main_handler"),
        # COS triggers deliver keys as stored, not URL-encoded.
        key_encoded=False,
        event_parser="passport_ocr.events.tencentcloud",
        python="3.10",
        extra="tencentcloud",
        secret_packages=("tencentcloud-sdk-python-ssm>=3.0.1100",),
        sdk_modules=("tencentcloud", "qcloud_cos"),
    ),
    "aws": Cloud(
        name="aws",
        function_title="Lambda",
        title="AWS Lambda, S3 and SNS",
        storage_scheme="s3",
        store="passport_ocr.storage.s3:S3Store",
        # AWS's own reader: the Lambda role's credentials, and the S3 object read in place
        # (no download, no signed URL, no other cloud's long-lived keys). Tencent and
        # Huawei stay selectable (PASSPORT_OCR_PROVIDER).
        default_vendor="textract",
        # SNS: 256 KiB for the message and its attributes together.
        topic_max_bytes=262_144,
        handler=("aws/app.py", "lambda_handler"),
        # S3 event notifications always URL-encode keys (form encoding: '+' is a space).
        key_encoded=True,
        event_parser="passport_ocr.events.aws",
        python="3.12",
        extra="aws",
        sdk_modules=("boto3", "botocore", "aws_lambda_powertools"),
    ),
    "local": Cloud(
        name="local",
        function_title="the command line",
        title="This machine: folders as buckets, JSON lines as the topic",
        storage_scheme="file",
        store="passport_ocr.storage.local:LocalStore",
        default_vendor="local",
        topic_max_bytes=16 * 1024 * 1024,
    ),
}

#: The clouds with a deployed function, in a stable order.
FUNCTION_CLOUDS: Final[tuple[FunctionCloud, ...]] = tuple(
    name  # type: ignore[misc]
    for name, cloud in CLOUDS.items()
    if cloud.handler is not None
)
#: Storage scheme -> cloud (`obs` -> `huaweicloud`).
BY_SCHEME: Final[Mapping[str, CloudName]] = {
    cloud.storage_scheme: name for name, cloud in CLOUDS.items()
}


def cloud(name: str) -> Cloud:
    """The descriptor of `name`; KeyError names the known clouds."""
    try:
        return CLOUDS[name]  # type: ignore[index]
    except KeyError:
        raise KeyError(f"unknown platform {name!r} (known: {', '.join(CLOUDS)})") from None
