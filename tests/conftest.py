"""Fixtures shared by the handler, end-to-end and log tests (opt-in: none is autouse).

Each "stack" is one cloud on 127.0.0.1: the vendor's OCR, object store and topic served by
the signature-checking stubs of `tests/stubs` (Huawei, Tencent), or by moto's server (AWS),
plus the environment variables a deployed function would have, pointing at them.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from moto.server import ThreadedMotoServer

from tests.handler_helpers import (
    SPECIMEN,
    FunctionGraphContext,
    huawei_answer,
    page_jpeg,
    tencent_mlid_answer,
    textract_answer,
)
from tests.moto_helpers import REGION, Moto
from tests.stubs.cos import CosStub
from tests.stubs.huawei import HuaweiOcrStub
from tests.stubs.obs import ObsStub
from tests.stubs.policy import Policy, huawei_agency_policy, tencent_role_policy
from tests.stubs.server import StubServer
from tests.stubs.smn import SmnStub
from tests.stubs.tdmq import TdmqStub
from tests.stubs.tencent import Document, TencentOcrStub
from tests.stubs.textract import TextractStub

POWERTOOLS_SERVICE = "passport-ocr"
#: Loggers a handler import or a test reconfigures; restored after every test using them.
_TOUCHED_LOGGERS = ("passport_ocr", "botocore", "urllib3", "tencentcloud_sdk_common")


@pytest.fixture
def restore_logging() -> Iterator[None]:
    """Handler modules configure logging at import (as in a container): undo it afterwards,
    so that pytest's capture and other tests' loggers are as they were."""
    root = logging.getLogger()
    saved_root = (list(root.handlers), root.level)
    saved = {
        name: (list(lg.handlers), lg.level, lg.propagate, list(lg.filters))
        for name in _TOUCHED_LOGGERS
        for lg in [logging.getLogger(name)]
    }
    try:
        yield
    finally:
        # Powertools configures its service logger once per process: drop it, as a new
        # container would start without it.
        logging.root.manager.loggerDict.pop(POWERTOOLS_SERVICE, None)
        root.handlers, root.level = saved_root[0], saved_root[1]
        for name, (handlers, level, propagate, filters) in saved.items():
            lg = logging.getLogger(name)
            lg.handlers, lg.level, lg.propagate, lg.filters = handlers, level, propagate, filters


# -- Huawei Cloud: RecognizePassport, OBS, SMN ------------------------------------------------

HUAWEI_AK, HUAWEI_SK, HUAWEI_TOKEN = "HWTEMPAK0001", "huawei-agency-secret", "huawei-agency-token"
HUAWEI_PROJECT = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
#: The topic both Terraform modules create: `${var.name}-results` with the default name.
RESULTS_TOPIC = "passport-ocr-results"
SMN_URN = f"urn:smn:cn-north-4:{HUAWEI_PROJECT}:{RESULTS_TOPIC}"
OBS_BUCKET = "passport-scans"
#: infra/huaweicloud's variables for a deployment whose names are this stack's.
HUAWEI_TF_VARIABLES = {"bucket_name": OBS_BUCKET, "region": "cn-north-4"}


@dataclass
class HuaweiStack:
    ocr: HuaweiOcrStub
    ocr_server: StubServer
    obs: ObsStub
    obs_server: StubServer
    smn: SmnStub
    smn_server: StubServer
    image: bytes = field(default_factory=page_jpeg)

    def env(self, **extra: str) -> dict[str, str]:
        return {
            "PASSPORT_OCR_TOPIC": SMN_URN,
            "PASSPORT_OCR_TOPIC_ENDPOINT": self.smn_server.url,
            "PASSPORT_OCR_STORAGE_ENDPOINT": self.obs_server.url,
            "PASSPORT_OCR_HUAWEI_ENDPOINT": self.ocr_server.url,
            "PASSPORT_OCR_HUAWEI_REGION": "cn-north-4",
            "PASSPORT_OCR_OCR_MAX_ATTEMPTS": "3",
            "RUNTIME_PROJECT_ID": HUAWEI_PROJECT,
            **extra,
        }

    def context(self, **changes: Any) -> FunctionGraphContext:
        values: dict[str, Any] = {
            "access_key": HUAWEI_AK,
            "secret_key": HUAWEI_SK,
            "security_token": HUAWEI_TOKEN,
            "project_id": HUAWEI_PROJECT,
        }
        return FunctionGraphContext(**(values | changes))

    def ocr_calls(self) -> int:
        """Requests that reached the OCR endpoint (scripted answers included)."""
        return len(self.ocr_server.requests)


@pytest.fixture
def huawei_stack() -> Iterator[HuaweiStack]:
    ocr = HuaweiOcrStub(
        secrets={HUAWEI_AK: HUAWEI_SK},
        project_id=HUAWEI_PROJECT,
        tokens={HUAWEI_AK: HUAWEI_TOKEN},
        answer=lambda body: huawei_answer(SPECIMEN),
    )
    obs = ObsStub(HUAWEI_AK, HUAWEI_SK, HUAWEI_TOKEN)
    smn = SmnStub(
        secrets={HUAWEI_AK: HUAWEI_SK},
        project_id=HUAWEI_PROJECT,
        topics={SMN_URN},
        tokens={HUAWEI_AK: HUAWEI_TOKEN},
    )
    with StubServer(ocr) as ocr_server, StubServer(obs) as obs_server, StubServer(smn) as smn_srv:
        yield HuaweiStack(ocr, ocr_server, obs, obs_server, smn, smn_srv)


def huawei_terraform_policy() -> tuple[Policy, set[str]]:
    """The function agency's policy in infra/huaweicloud, and its SSE-KMS buckets."""
    return huawei_agency_policy(HUAWEI_TF_VARIABLES)


def with_agency_policy(stack: HuaweiStack, policy: Policy | None = None) -> HuaweiStack:
    """Policy mode: OBS, SMN and OCR refuse what the agency's policy (by default the one
    infra/huaweicloud declares) does not grant, as the vendor does."""
    declared, kms_buckets = huawei_terraform_policy()
    for stub in (stack.obs, stack.smn, stack.ocr):
        stub.policy = declared if policy is None else policy
    stack.obs.sse_kms_buckets = kms_buckets
    stack.obs.kms_key = f"KMS:cn-north-4:{HUAWEI_PROJECT}:KeyId:obs/default"
    return stack


# -- Tencent Cloud: MLIDPassportOCR, COS, TDMQ for CMQ --------------------------------------------

TENCENT_ID, TENCENT_KEY, TENCENT_TOKEN = "AKIDscfRoleTemp0001", "scf-role-secret", "scf-role-token"
TENCENT_APPID = "1250000000"
TENCENT_OWNER_UIN = "100000000001"
TDMQ_TOPIC = RESULTS_TOPIC
COS_BUCKET_NAME = "passports"  # the SDK's Bucket is `passports-<appid>`
TENCENT_REGION = "ap-shanghai"  # the region of `scf_context()`
#: infra/tencentcloud's variables, and what Terraform reads from the account at plan time.
TENCENT_TF_VARIABLES = {"bucket_name": COS_BUCKET_NAME, "region": TENCENT_REGION}
TENCENT_TF_KNOWN = {
    "data.tencentcloud_user_info.current.app_id": TENCENT_APPID,
    "data.tencentcloud_user_info.current.owner_uin": TENCENT_OWNER_UIN,
}


@dataclass
class TencentStack:
    ocr: TencentOcrStub
    ocr_server: StubServer
    cos: CosStub
    cos_server: StubServer
    tdmq: TdmqStub
    tdmq_server: StubServer
    image: bytes

    def env(self, **extra: str) -> dict[str, str]:
        """SCF's role credentials and the function's settings (platforms.md 3)."""
        return {
            "TENCENTCLOUD_SECRETID": TENCENT_ID,
            "TENCENTCLOUD_SECRETKEY": TENCENT_KEY,
            "TENCENTCLOUD_SESSIONTOKEN": TENCENT_TOKEN,
            "PASSPORT_OCR_TOPIC": TDMQ_TOPIC,
            "PASSPORT_OCR_TOPIC_ENDPOINT": self.tdmq_server.url,
            "PASSPORT_OCR_STORAGE_ENDPOINT": self.cos_server.url,
            "PASSPORT_OCR_TENCENT_ENDPOINT": self.ocr_server.url,
            **extra,
        }


def tencent_ocr_stub(image: bytes, *, temporary: bool = True) -> TencentOcrStub:
    """The OCR stub reading the specimen from `image`; `temporary`: the key needs the token."""
    return TencentOcrStub(
        keys={TENCENT_ID: TENCENT_KEY},
        tokens={TENCENT_ID: TENCENT_TOKEN} if temporary else {},
        documents={image: Document(mlid=tencent_mlid_answer(SPECIMEN), passport=None)},
    )


@pytest.fixture
def tencent_stack() -> Iterator[TencentStack]:
    image = page_jpeg()
    ocr = tencent_ocr_stub(image)
    cos = CosStub(TENCENT_ID, TENCENT_KEY, TENCENT_TOKEN)
    tdmq = TdmqStub(
        secrets={TENCENT_ID: TENCENT_KEY},
        topics={TDMQ_TOPIC: 65_536},
        tokens={TENCENT_ID: TENCENT_TOKEN},
    )
    with StubServer(ocr) as ocr_server, StubServer(cos) as cos_server, StubServer(tdmq) as tdmq_srv:
        yield TencentStack(ocr, ocr_server, cos, cos_server, tdmq, tdmq_srv, image)


def tencent_terraform_policy() -> tuple[Policy, set[str]]:
    """The execution role's CAM policy in infra/tencentcloud, and its SSE-KMS buckets."""
    return tencent_role_policy(TENCENT_TF_VARIABLES, TENCENT_TF_KNOWN)


def with_role_policy(stack: TencentStack, policy: Policy | None = None) -> TencentStack:
    """Policy mode: COS, TDMQ and OCR refuse what the role's CAM policy (by default the one
    infra/tencentcloud declares) does not grant, as the vendor does."""
    declared, kms_buckets = tencent_terraform_policy()
    chosen = declared if policy is None else policy
    stack.cos.policy = stack.tdmq.policy = stack.ocr.policy = chosen
    stack.tdmq.owner_uin = stack.ocr.owner_uin = TENCENT_OWNER_UIN
    stack.cos.bucket = f"{COS_BUCKET_NAME}-{TENCENT_APPID}"
    stack.cos.appid, stack.cos.region = TENCENT_APPID, TENCENT_REGION
    stack.cos.sse_kms = stack.cos.bucket in kms_buckets
    return stack


# -- AWS: moto's server for S3, SNS, SQS and DynamoDB; Textract (the Lambda default) or Tencent ---


@pytest.fixture(scope="session")
def moto_server() -> Iterator[Moto]:
    """One moto server for the session: tests name their resources uniquely."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield Moto(f"http://{host}:{port}")
    finally:
        server.stop()


@pytest.fixture
def moto(moto_server: Moto) -> Moto:
    """The session's moto server, for tests that only need its clients."""
    return moto_server


@dataclass
class AwsStack:
    moto: Moto
    bucket: str
    topic_arn: str
    #: A queue subscribed to the topic (raw delivery off): where consumers read events.
    events_queue_url: str
    table: str
    #: The queue S3 notifies of new objects (the Lambda's event source in serverless.yml).
    uploads_queue_url: str
    uploads_queue_arn: str
    ocr: TencentOcrStub
    ocr_server: StubServer
    image: bytes
    #: AnalyzeID, reading S3 objects from the same moto server.
    textract: TextractStub
    textract_server: StubServer

    def env(
        self, *, idempotency: bool = True, provider: str | None = "tencent", **extra: str
    ) -> dict[str, str]:
        """The Lambda's environment. `provider`: the OCR these tests script (the Tencent
        stub, by default, for the handler tests written against it); None: unset, so the
        Lambda's own default (Textract) reads the uploads."""
        values = {
            "AWS_REGION": REGION,
            "AWS_DEFAULT_REGION": REGION,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_ENDPOINT_URL_S3": self.moto.url,
            "AWS_ENDPOINT_URL_SNS": self.moto.url,
            "AWS_ENDPOINT_URL_SQS": self.moto.url,
            "AWS_ENDPOINT_URL_DYNAMODB": self.moto.url,
            "POWERTOOLS_SERVICE_NAME": POWERTOOLS_SERVICE,
            "POWERTOOLS_TRACE_DISABLED": "true",
            "POWERTOOLS_METRICS_NAMESPACE": "PassportOcr",
            # The Lambda's OCR: Tencent (its default), with a long-lived key from env.
            "TENCENTCLOUD_SECRET_ID": TENCENT_ID,
            "TENCENTCLOUD_SECRET_KEY": TENCENT_KEY,
            "PASSPORT_OCR_TENCENT_ENDPOINT": self.ocr_server.url,
            # Textract with the role's credentials (here moto's test keys) from the chain.
            "PASSPORT_OCR_TEXTRACT_ENDPOINT": self.textract_server.url,
            "PASSPORT_OCR_TOPIC": self.topic_arn,
            **extra,
        }
        if provider is not None:
            values.setdefault("PASSPORT_OCR_PROVIDER", provider)
        if idempotency:
            values["PASSPORT_OCR_IDEMPOTENCY_TABLE"] = self.table
        return values

    def put(self, key: str, data: bytes | None = None) -> dict[str, Any]:
        answer: dict[str, Any] = self.moto.client("s3").put_object(
            Bucket=self.bucket, Key=key, Body=self.image if data is None else data
        )
        return answer

    def notifications(self, at_least: int = 1) -> list[dict[str, Any]]:
        """S3's notification messages now in the uploads queue, as SQS hands them out."""
        return self.moto.drain(self.uploads_queue_url, at_least=at_least)

    def events(self, at_least: int = 1) -> list[dict[str, Any]]:
        """The CloudEvents that reached the subscribed queue (SNS envelopes unwrapped)."""
        messages = self.moto.drain(self.events_queue_url, at_least=at_least)
        return [json.loads(json.loads(m["Body"])["Message"]) for m in messages]


@pytest.fixture
def aws_stack(moto_server: Moto) -> Iterator[AwsStack]:
    suffix = uuid.uuid4().hex[:10]
    bucket, table = f"passport-scans-{suffix}", f"passport-ocr-idempotency-{suffix}"
    moto_server.client("s3").create_bucket(
        Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION}
    )
    topic_arn = moto_server.client("sns").create_topic(Name=f"passport-events-{suffix}")["TopicArn"]
    queue_url, queue_arn = moto_server.queue(f"passport-events-{suffix}")
    moto_server.client("sns").subscribe(TopicArn=topic_arn, Protocol="sqs", Endpoint=queue_arn)
    # The table Powertools' DynamoDBPersistenceLayer expects by default: partition key "id".
    moto_server.client("dynamodb").create_table(
        TableName=table,
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    uploads_url, uploads_arn = moto_server.queue(f"passport-uploads-{suffix}")
    moto_server.client("s3").put_bucket_notification_configuration(
        Bucket=bucket,
        NotificationConfiguration={
            "QueueConfigurations": [
                {
                    "QueueArn": uploads_arn,
                    "Events": ["s3:ObjectCreated:*"],
                    "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "uploads/"}]}},
                }
            ]
        },
    )
    moto_server.drain(uploads_url, at_least=0)  # S3's s3:TestEvent, if moto sends one
    image = page_jpeg()
    ocr = tencent_ocr_stub(image, temporary=False)  # a long-lived key in the Lambda's env
    textract = TextractStub(
        keys={"testing": "testing"},
        region=REGION,
        default=textract_answer(SPECIMEN),
        s3=moto_server.client("s3"),
    )
    with StubServer(ocr) as ocr_server, StubServer(textract) as textract_server:
        yield AwsStack(
            moto_server,
            bucket,
            topic_arn,
            queue_url,
            table,
            uploads_url,
            uploads_arn,
            ocr,
            ocr_server,
            image,
            textract,
            textract_server,
        )
