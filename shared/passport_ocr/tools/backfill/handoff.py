"""Handing objects to the deployed function, as its own trigger would, at the vendor's pace.

- aws queue: S3 notifications (the upload queue's message body) by SQS SendMessageBatch,
  10 entries per call (the SendMessageBatch maximum, botocore sqs model `SendMessageBatch`);
- aws batch-operations: an S3 Batch Operations CSV manifest and a `CreateJob` request
  (see `batch_operations`);
- huaweicloud: FunctionGraph asynchronous invocation (`POST /v2/{project_id}/fgs/functions/
  {function_urn}/invocations-async`, huaweicloudsdkfunctiongraph `AsyncInvokeFunction`) of an
  OBS trigger event;
- tencentcloud: SCF `Invoke` with `InvocationType=Event` (asynchronous) of a COS trigger event.

Throttling and 5xx answers are retried with backoff (`RetryPolicy`); what still fails is
counted and left out of the state file, so the next run hands it off again.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Protocol

from passport_ocr.errors import ConfigError, PassportOcrError
from passport_ocr.events.base import ObjectRef
from passport_ocr.providers.base import RetryPolicy
from passport_ocr.tools.batch.ratelimit import TokenBucket
from passport_ocr.tools.event_samples import sample_event
from passport_ocr.tools.words import counted
from passport_ocr.vendors import VENDORS

#: Huawei OCR publishes no passport QPS ("concurrency adjusted dynamically", docs/platforms.md
#: §6.3): 2/s is this project's conservative pick, not a vendor figure. The same for vendors
#: whose descriptor names no rate.
UNDOCUMENTED_RATE: Final = 2.0
SQS_BATCH: Final = 10


def default_rate(vendor: str) -> tuple[float, str]:
    """Requests/s and where the figure comes from: the slowest API in the vendor's table
    (Tencent MLIDPassportOCR 5/s, PassportOCR 10/s: seeds/002 line 4, platforms.md §7)."""
    limits = VENDORS[vendor].rate_limits  # type: ignore[index]
    if limits:
        return float(min(limits.values())), "the vendor's documented request rate"
    return UNDOCUMENTED_RATE, "no published rate: a conservative default"


class HandoffError(PassportOcrError):
    """A hand-off the platform refused; `retryable` for throttling and 5xx."""

    def __init__(self, message: str, *, retryable: bool) -> None:
        super().__init__(message)
        self.retryable = retryable


class Sender(Protocol):
    batch_size: int

    def send(self, refs: Sequence[ObjectRef]) -> None: ...


@dataclass
class Summary:
    handed_off: int = 0
    failed: int = 0
    retries: int = 0
    errors: list[str] = field(default_factory=list)


def chunks(refs: Iterable[ObjectRef], size: int) -> Iterator[list[ObjectRef]]:
    batch: list[ObjectRef] = []
    for ref in refs:
        batch.append(ref)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def deliver(
    refs: Iterable[ObjectRef],
    sender: Sender,
    *,
    bucket: TokenBucket,
    done: Callable[[ObjectRef], None],
    retry: RetryPolicy | None = None,
    sleep: Callable[[float], None] | None = None,
) -> Summary:
    """Every ref to `sender`, one token per object (each becomes one OCR call)."""
    import time  # noqa: PLC0415

    policy = retry or RetryPolicy(max_attempts=5)
    pause = sleep or time.sleep
    summary = Summary()
    for batch in chunks(refs, sender.batch_size):
        for _ in batch:
            bucket.acquire()
        attempt = 1
        while True:
            try:
                sender.send(batch)
            except HandoffError as error:
                if error.retryable and attempt < policy.max_attempts:
                    pause(policy.delay(attempt))
                    attempt += 1
                    summary.retries += 1
                    continue
                summary.failed += len(batch)
                summary.errors.append(error.message)
                break
            summary.handed_off += len(batch)
            for ref in batch:
                done(ref)
            break
    return summary


# -- AWS: the upload queue ----------------------------------------------------------------


def s3_notification(ref: ObjectRef) -> dict[str, Any]:
    """The S3 event the upload queue receives for this object (the body of one message)."""
    return sample_event(ref.cloud, shape="s3", bucket=ref.bucket, key=ref.key, size=ref.size or 0,
                        region=ref.region, etag=ref.etag)  # fmt: skip


@dataclass
class SqsSender:
    client: Any
    queue_url: str
    batch_size: int = SQS_BATCH

    def send(self, refs: Sequence[ObjectRef]) -> None:
        from botocore.exceptions import ClientError  # noqa: PLC0415

        entries = [{"Id": str(i), "MessageBody": json.dumps(s3_notification(ref))}
                   for i, ref in enumerate(refs)]  # fmt: skip
        try:
            answer = self.client.send_message_batch(QueueUrl=self.queue_url, Entries=entries)
        except ClientError as error:
            status = int(error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0))
            code = str(error.response.get("Error", {}).get("Code", "error"))
            raise HandoffError(f"SQS refused the batch ({code})",
                               retryable=status >= 500 or "Throttl" in code) from error  # fmt: skip
        failed = answer.get("Failed") or []
        if failed:
            # All or nothing per batch: a resend of the ones that went is a duplicate
            # delivery, which the function's idempotency absorbs.
            sender_fault = any(entry.get("SenderFault") for entry in failed)
            sent = len(refs) - len(failed)
            raise HandoffError(f"SQS took {sent} of {counted(len(refs), 'message')}",
                               retryable=not sender_fault)  # fmt: skip


# -- Huawei: FunctionGraph asynchronous invocation -----------------------------------------


def obs_event(ref: ObjectRef) -> dict[str, Any]:
    return sample_event(ref.cloud, shape="obs", bucket=ref.bucket, key=ref.key,
                        size=ref.size or 0, region=ref.region, etag=ref.etag)  # fmt: skip


@dataclass
class FunctionGraphSender:
    client: Any
    function_urn: str
    batch_size: int = 1

    def send(self, refs: Sequence[ObjectRef]) -> None:
        from huaweicloudsdkcore.exceptions import exceptions  # noqa: PLC0415
        from huaweicloudsdkfunctiongraph.v2 import AsyncInvokeFunctionRequest  # noqa: PLC0415

        for ref in refs:
            request = AsyncInvokeFunctionRequest(
                function_urn=self.function_urn, body=obs_event(ref)
            )
            try:
                self.client.async_invoke_function(request)
            except exceptions.ServiceResponseException as error:
                status = int(error.status_code or 0)
                raise HandoffError(f"FunctionGraph refused ({error.error_code or status})",
                                   retryable=status == 429 or status >= 500) from error  # fmt: skip
            except exceptions.SdkException as error:  # connection, timeout
                raise HandoffError(f"FunctionGraph unreachable ({type(error).__name__})",
                                   retryable=True) from error  # fmt: skip


def functiongraph_client(
    access_key: str, secret_key: str, project_id: str, endpoint: str, token: str | None = None
) -> Any:
    from huaweicloudsdkcore.auth.credentials import BasicCredentials  # noqa: PLC0415
    from huaweicloudsdkfunctiongraph.v2 import FunctionGraphClient  # noqa: PLC0415

    credentials = BasicCredentials(access_key, secret_key, project_id)
    if token:
        credentials = credentials.with_security_token(token)
    return (FunctionGraphClient.new_builder().with_credentials(credentials)
            .with_endpoints([endpoint]).build())  # fmt: skip


# -- Tencent: SCF Invoke, asynchronous -----------------------------------------------------


def cos_event(ref: ObjectRef) -> dict[str, Any]:
    return sample_event(ref.cloud, shape="cos", bucket=ref.bucket, key=ref.key,
                        size=ref.size or 0, region=ref.region, etag=ref.etag)  # fmt: skip


#: Tencent API 3.0 error codes worth a retry (common error codes: RequestLimitExceeded,
#: InternalError, ServiceUnavailable... https://cloud.tencent.com/document/api/583/17238).
_TENCENT_RETRYABLE: Final = ("RequestLimitExceeded", "InternalError", "ServiceUnavailable",
                             "ResourceUnavailable", "ClientNetworkError")  # fmt: skip


@dataclass
class ScfSender:
    client: Any
    function_name: str
    namespace: str = "default"
    qualifier: str = "$LATEST"
    batch_size: int = 1

    def send(self, refs: Sequence[ObjectRef]) -> None:
        from tencentcloud.common.exception.tencent_cloud_sdk_exception import (  # noqa: PLC0415
            TencentCloudSDKException,
        )
        from tencentcloud.scf.v20180416 import models  # noqa: PLC0415

        for ref in refs:
            request = models.InvokeRequest()
            request.FunctionName = self.function_name
            request.InvocationType = "Event"
            request.Namespace = self.namespace
            request.Qualifier = self.qualifier
            request.ClientContext = json.dumps(cos_event(ref))
            try:
                self.client.Invoke(request)
            except TencentCloudSDKException as error:
                code = str(error.get_code() or "")
                retryable = code.startswith(_TENCENT_RETRYABLE)
                raise HandoffError(f"SCF refused ({code})", retryable=retryable) from error


def scf_client(
    secret_id: str, secret_key: str, region: str, endpoint: str, token: str | None = None
) -> Any:
    from tencentcloud.common.credential import Credential  # noqa: PLC0415
    from tencentcloud.common.profile.client_profile import ClientProfile  # noqa: PLC0415
    from tencentcloud.common.profile.http_profile import HttpProfile  # noqa: PLC0415
    from tencentcloud.scf.v20180416.scf_client import ScfClient  # noqa: PLC0415

    scheme, _, host = endpoint.rpartition("://")
    http = HttpProfile(protocol=scheme or "https", endpoint=host, reqMethod="POST")
    return ScfClient(Credential(secret_id, secret_key, token), region,
                     ClientProfile(httpProfile=http))  # fmt: skip


# -- one sender per function cloud ---------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """The deployed function (or queue) a backfill hands to, as the command line names it."""

    queue_url: str | None = None
    function: str | None = None
    project_id: str | None = None
    namespace: str = "default"
    qualifier: str = "$LATEST"
    endpoint: str | None = None


def _require(cloud: str, target: Target, *names: str) -> None:
    missing = [f"--{name.replace('_', '-')}" for name in names if not getattr(target, name)]
    if missing:
        raise ConfigError(f"--platform {cloud} needs {', '.join(missing)}")


def _aws_sender(target: Target, region: str | None) -> Sender:
    import boto3  # noqa: PLC0415

    _require("aws", target, "queue_url")
    assert target.queue_url is not None
    client = boto3.client("sqs", region_name=region, endpoint_url=target.endpoint)
    return SqsSender(client, target.queue_url)


def _huaweicloud_sender(target: Target, region: str | None) -> Sender:
    from passport_ocr.credentials import huawei_credentials_from_env  # noqa: PLC0415

    _require("huaweicloud", target, "function", "project_id")
    assert target.function is not None and target.project_id is not None
    keys = huawei_credentials_from_env()
    endpoint = target.endpoint or f"https://functiongraph.{region}.myhuaweicloud.com"
    client = functiongraph_client(keys.access_key, keys.secret_key, target.project_id,
                                  endpoint, keys.security_token)  # fmt: skip
    return FunctionGraphSender(client, target.function)


def _tencentcloud_sender(target: Target, region: str | None) -> Sender:
    from passport_ocr.credentials import tencent_credentials_from_env  # noqa: PLC0415

    _require("tencentcloud", target, "function")
    assert target.function is not None
    keys = tencent_credentials_from_env()
    endpoint = target.endpoint or "https://scf.tencentcloudapi.com"
    client = scf_client(keys.access_key, keys.secret_key, region or "ap-guangzhou", endpoint,
                        keys.security_token)  # fmt: skip
    return ScfSender(client, target.function, target.namespace, target.qualifier)


SENDERS: Final[dict[str, Callable[[Target, str | None], Sender]]] = {
    "aws": _aws_sender,
    "huaweicloud": _huaweicloud_sender,
    "tencentcloud": _tencentcloud_sender,
}
#: The cloud whose object store runs jobs of its own (`--via batch-operations`).
BATCH_OPERATIONS_CLOUD: Final = "aws"
