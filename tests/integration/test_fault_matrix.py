"""Every fault of `passport_ocr.faults.FAULTS`, on every platform, in every payload mode.

The handler runs end to end against the signature-checking stubs with one fault injected;
the outcome it reaches (a recognized or rejected event published, or an invocation that
fails for the platform to retry) must be the table's. The README's table is generated from
the same one, so the document, the code and this test cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from passport_ocr.faults import FAULTS, Fault, Outcome, PayloadMode
from passport_ocr.platforms.common import InvocationFailedError
from passport_ocr.publishing.envelope import RECOGNIZED, REJECTED, CloudEvent
from tests.conftest import OBS_BUCKET, AwsStack, HuaweiStack, TencentStack
from tests.handler_helpers import LambdaContext, cos_event, import_handler, obs_event, scf_context
from tests.moto_helpers import lambda_sqs_event
from tests.stubs.huawei import apig_error, apig_throttled, html_error_page
from tests.stubs.server import StubResponse, StubServer
from tests.stubs.tencent import tencent_error
from tests.stubs.textract import textract_error

pytestmark = pytest.mark.usefixtures("restore_logging")

MODES: tuple[PayloadMode, ...] = ("masked", "full", "reference")
KEY = "uploads/matrix.jpg"
#: One try per call and a short timeout: the retry loop has its own tests.
SETTINGS = {
    "PASSPORT_OCR_OCR_MAX_ATTEMPTS": "1",
    "PASSPORT_OCR_OCR_TIMEOUT_SECONDS": "0.5",
    "PASSPORT_OCR_IMAGE_TRANSFER": "bytes",
}
SLOW = StubResponse(200, b"{}", {"Content-Type": "application/json"}, delay=2.0)
DROPPED = StubResponse(drop=True)
#: Every try of the store's SDK (they retry 5xx themselves: one 503 is cured by the next try).
UNAVAILABLE = [html_error_page(503, "Service Unavailable")] * 8
NOT_JSON = StubResponse(200, b"<html><body>Welcome</body></html>", {"Content-Type": "text/html"})


def _verdict(run: Callable[[], Any], published: Callable[[], list[CloudEvent]]) -> Outcome:
    try:
        run()
    except InvocationFailedError:
        assert published() == [], "a raised upload published something"
        return "raised"
    (event,) = published()
    assert event.type in (RECOGNIZED, REJECTED)
    return "recognized" if event.type == RECOGNIZED else "rejected"


# -- Huawei Cloud: FunctionGraph, OBS, RecognizePassport, SMN ------------------------------------

HUAWEI_OCR: dict[str, StubResponse] = {
    "throttled": apig_throttled(),
    "server error (5xx)": html_error_page(503, "Service Unavailable"),
    "timeout": SLOW,
    "connection dropped": DROPPED,
    "200, not JSON": NOT_JSON,
    "JSON of the wrong shape": StubResponse.json(200, '{"result": {"unexpected": true}}'),
    "image unusable": apig_error(400, "AIS.0104", "image quality is too poor"),
    "no passport": apig_error(400, "AIS.0105", "recognition failed"),
    "credentials refused": apig_error(401, "APIG.0301", "Incorrect IAM authentication"),
    "service not subscribed": apig_error(403, "ModelArts.4204", "service not subscribed"),
    "quota or arrears": apig_error(403, "ModelArts.4106", "account restricted"),
    "deployment misconfigured": apig_error(404, "APIG.0101", "The API does not exist"),
}


def _huawei_fault(stack: HuaweiStack, fault: Fault) -> dict[str, str]:
    """Inject `fault`; return extra settings it needs."""
    if fault.name in HUAWEI_OCR:
        stack.ocr_server.then(HUAWEI_OCR[fault.name])
    elif fault.name == "upload gone (404)":
        del stack.obs.objects[(OBS_BUCKET, KEY)]
    elif fault.name == "read denied (403)":
        stack.obs.denied_buckets.add(OBS_BUCKET)
    elif fault.name == "store unavailable (5xx)":
        stack.obs_server.then(*UNAVAILABLE)
    elif fault.name == "results write refused (4xx)":
        no_bucket = StubResponse(404, b"<Error><Code>NoSuchBucket</Code></Error>")
        stack.obs_server.then(stack.obs, no_bucket)  # the read goes through, the write not
    elif fault.name == "results write denied (403)":
        stack.obs.denied_buckets.add("passport-results")
        return {"PASSPORT_OCR_RESULTS_BUCKET": "passport-results"}
    elif fault.name == "topic down":
        stack.smn_server.then(StubResponse.json(503, '{"error_code":"SMN.0500","error_msg":"x"}'))
    else:
        assert fault.name == "none", f"no way to inject {fault.name!r} on FunctionGraph"
    return {}


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("fault", FAULTS, ids=lambda fault: fault.name)
def test_functiongraph_meets_each_fault_as_the_table_says(
    huawei_stack: HuaweiStack, monkeypatch: pytest.MonkeyPatch, fault: Fault, mode: PayloadMode
) -> None:
    stack = huawei_stack
    stack.obs.put(OBS_BUCKET, KEY, stack.image)
    etag = stack.obs.objects[(OBS_BUCKET, KEY)].etag.strip('"')
    event = obs_event(KEY, len(stack.image), etag, bucket=OBS_BUCKET)
    extra = _huawei_fault(stack, fault)
    env = stack.env(PASSPORT_OCR_PAYLOAD=mode, **SETTINGS, **extra)
    module = import_handler("huaweicloud", env, monkeypatch)

    def published() -> list[CloudEvent]:
        return [CloudEvent.from_json(m["message"]) for m in stack.smn.published]

    verdict = _verdict(lambda: module.handler(event, stack.context()), published)
    assert verdict == fault.expected(mode)


# -- Tencent Cloud: SCF, COS, MLIDPassportOCR, TDMQ for CMQ ---------------------------------------

TENCENT_OCR: dict[str, StubResponse] = {
    "throttled": tencent_error("RequestLimitExceeded"),
    "server error (5xx)": html_error_page(502),
    "timeout": SLOW,
    "connection dropped": DROPPED,
    "200, not JSON": NOT_JSON,
    "JSON of the wrong shape": StubResponse.json(200, '{"Response": {"RequestId": "r-1"}}'),
    "image unusable": tencent_error("FailedOperation.ImageDecodeFailed"),
    "no passport": tencent_error("FailedOperation.NoPassport"),
    "credentials refused": tencent_error("AuthFailure.SecretIdNotFound"),
    "service not subscribed": tencent_error("FailedOperation.UnOpenError"),
    "quota or arrears": tencent_error("ResourceUnavailable.InArrears"),
    "deployment misconfigured": tencent_error("UnsupportedRegion"),
}


def _tencent_fault(stack: TencentStack, fault: Fault) -> None:
    if fault.name in TENCENT_OCR:
        stack.ocr_server.then(TENCENT_OCR[fault.name])
    elif fault.name == "upload gone (404)":
        del stack.cos.objects[KEY]
    elif fault.name == "read denied (403)":
        stack.cos.denied_prefixes.add("uploads/")
    elif fault.name == "store unavailable (5xx)":
        stack.cos_server.then(*UNAVAILABLE)
    elif fault.name == "results write refused (4xx)":
        no_bucket = StubResponse(404, b"<Error><Code>NoSuchBucket</Code></Error>")
        stack.cos_server.then(stack.cos, no_bucket)
    elif fault.name == "results write denied (403)":
        stack.cos.denied_prefixes.add("results/")
    elif fault.name == "topic down":
        stack.tdmq_server.then(tencent_error("InternalError", "busy"))
    else:
        assert fault.name == "none", f"no way to inject {fault.name!r} on SCF"


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("fault", FAULTS, ids=lambda fault: fault.name)
def test_scf_meets_each_fault_as_the_table_says(
    tencent_stack: TencentStack, monkeypatch: pytest.MonkeyPatch, fault: Fault, mode: PayloadMode
) -> None:
    stack = tencent_stack
    stack.cos.put(KEY, stack.image)
    event = cos_event(KEY, len(stack.image))
    _tencent_fault(stack, fault)
    module = import_handler(
        "tencentcloud", stack.env(PASSPORT_OCR_PAYLOAD=mode, **SETTINGS), monkeypatch
    )

    def published() -> list[CloudEvent]:
        return [CloudEvent.from_json(m["MsgContent"]) for m in stack.tdmq.published]

    verdict = _verdict(lambda: module.main_handler(event, scf_context()), published)
    assert verdict == fault.expected(mode)


# -- AWS: Lambda, S3 and SNS on moto, Textract (its default) on the SigV4-checking stub ----------

TEXTRACT: dict[str, StubResponse] = {
    "throttled": textract_error("ThrottlingException"),
    "server error (5xx)": textract_error("InternalServerError"),
    "timeout": SLOW,
    "connection dropped": DROPPED,
    "200, not JSON": NOT_JSON,
    "JSON of the wrong shape": StubResponse(
        200, b'{"IdentityDocuments": []}', {"Content-Type": "application/x-amz-json-1.1"}
    ),
    "image unusable": textract_error("UnsupportedDocumentException"),
    "credentials refused": textract_error("AccessDeniedException"),
}
#: Faults this cloud cannot show here, and why (the test says so instead of passing).
NOT_ON_AWS = {
    "no passport": "AnalyzeID has no 'no document' error: it answers with empty fields",
    "service not subscribed": "Textract needs no subscription",
    "quota or arrears": "Textract has no quota error besides throttling",
    "deployment misconfigured": "no Textract code means a misconfigured deployment",
    "results write denied (403)": "moto's S3 enforces no bucket policy without IAM mode",
}


def _always(response: StubResponse) -> StubServer:
    return StubServer(lambda request: response)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("fault", FAULTS, ids=lambda fault: fault.name)
def test_lambda_meets_each_fault_as_the_table_says(
    aws_stack: AwsStack, monkeypatch: pytest.MonkeyPatch, fault: Fault, mode: PayloadMode
) -> None:
    if fault.name in NOT_ON_AWS:
        pytest.skip(NOT_ON_AWS[fault.name])
    stack = aws_stack
    key = f"uploads/matrix-{mode}.jpg"
    stack.put(key)
    event = lambda_sqs_event(stack.notifications(at_least=1), stack.uploads_queue_arn)
    extra: dict[str, str] = {}
    unavailable = _always(StubResponse(503, b"<Error><Code>SlowDown</Code></Error>"))
    denied = _always(StubResponse(403, b"<Error><Code>AccessDenied</Code></Error>"))
    with unavailable, denied:
        if fault.name in TEXTRACT:
            stack.textract_server.then(TEXTRACT[fault.name])
        elif fault.name == "upload gone (404)":
            stack.moto.client("s3").delete_object(Bucket=stack.bucket, Key=key)
        elif fault.name == "read denied (403)":
            extra["AWS_ENDPOINT_URL_S3"] = denied.url
        elif fault.name == "store unavailable (5xx)":
            extra["AWS_ENDPOINT_URL_S3"] = unavailable.url
        elif fault.name == "results write refused (4xx)":
            extra["PASSPORT_OCR_RESULTS_BUCKET"] = f"no-such-bucket-{mode}"
        elif fault.name == "topic down":
            extra["AWS_ENDPOINT_URL_SNS"] = unavailable.url
        else:
            assert fault.name == "none", f"no way to inject {fault.name!r} on Lambda"
        env = stack.env(
            idempotency=False, provider=None, PASSPORT_OCR_PAYLOAD=mode, **SETTINGS, **extra
        )
        module = import_handler("aws", env, monkeypatch)
        answer = module.lambda_handler(event, LambdaContext())
    published = stack.events(at_least=0)
    if answer["batchItemFailures"]:
        assert published == [], "a raised upload published something"
        verdict: Outcome = "raised"
    else:
        (cloud_event,) = published
        verdict = "recognized" if cloud_event["type"] == RECOGNIZED else "rejected"
    assert verdict == fault.expected(mode)
