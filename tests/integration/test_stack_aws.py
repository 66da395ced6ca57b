"""The AWS stack as `osls package` writes it, deployed into moto's CloudFormation, then an
upload run through what the stack created, with the function role's own permissions.

Deployment is the framework's: the create-stack template (the deployment bucket), the code zip
uploaded to it, then the update-stack template. What moto 5.2's CloudFormation does not do is
done here with boto3 from the template's own values, and said where it happens:

- `AWS::S3::Bucket` `NotificationConfiguration` is ignored (moto/s3/models.py:1560
  `create_from_cloudformation_json` reads only the name, encryption, versioning, tags...),
  so the bucket's queue notification is put from the template's `QueueConfigurations`;
- `AWS::S3::BucketPolicy` and `AWS::SQS::QueuePolicy` are not supported
  (moto/cloudformation/parsing.py:279 "No Moto CloudFormation support"): not needed for the run;
- the stack's `AWS::Lambda::EventSourceMapping` is created, but moto invokes its function
  through Docker on every message (moto/sqs/models.py:577 `send_sqs_batch`): the test disables
  it and plays Lambda's poller, handing the queue's batch (the mapping's `BatchSize`) to the
  project's handler in-process, with the function's environment as moto stored it.

IAM: the handler runs with temporary credentials of the stack's `IamRoleLambdaExecution`
(STS AssumeRole), and moto's IAM authorization is on (moto/core/authorization.py:126
`enable_iam_authentication`: every request is signed-checked and its action matched against the
caller's policies). moto matches S3 actions against the object's ARN
(moto/core/authorization.py:73), other services' actions against `*` unless the service names
its resource (moto/core/responses.py:457; only SQS, IAM and STS do). A policy without an action
the function calls therefore fails the upload.
"""

from __future__ import annotations

import ast
import json
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto.core.authorization import enable_iam_authentication
from moto.iam.access_control import IAMPolicy, PermissionResult

from passport_ocr.publishing.envelope import RECOGNIZED
from passport_ocr.tools import invocation
from tests.handler_helpers import (
    SPECIMEN,
    LambdaContext,
    import_handler,
    page_jpeg,
    textract_answer,
)
from tests.infra.conftest import TOOLS, _find_tool
from tests.infra.test_serverless import package
from tests.moto_helpers import Moto
from tests.stubs.server import StubServer
from tests.stubs.textract import TextractStub

pytestmark = [
    pytest.mark.usefixtures("restore_logging"),
    pytest.mark.filterwarnings("ignore:Tried to parse AWS"),
]

REGION = "eu-west-1"  # the region tests/infra/test_serverless.py packages for
STACK = "passport-ocr-test"  # service-stage: the names the template derives from it
ROLE = "IamRoleLambdaExecution"


def client(moto: Moto, service: str) -> Any:
    return Moto(moto.url, region=REGION).client(service)


@pytest.fixture(scope="module")
def moto(moto_server: Moto) -> Moto:
    return Moto(moto_server.url, region=REGION)


@pytest.fixture(scope="module")
def serverless_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    osls = _find_tool("OSLS_BIN", TOOLS / "node" / "node_modules" / ".bin" / "osls", "osls")
    return package(osls, tmp_path_factory.mktemp("sls")).parent


@pytest.fixture(scope="module")
def stack(moto: Moto, serverless_dir: Path) -> dict[str, Any]:
    """Deploy as the framework does; return the outputs, resources and the template."""
    cfn = client(moto, "cloudformation")
    create = (serverless_dir / "cloudformation-template-create-stack.json").read_text()
    cfn.create_stack(StackName=STACK, TemplateBody=create)
    resources = _resources(cfn)
    template = json.loads(
        (serverless_dir / "cloudformation-template-update-stack.json").read_text()
    )
    code = template["Resources"]["ProcessUploadLambdaFunction"]["Properties"]["Code"]
    zip_path = serverless_dir.parent / "dist" / "passport-ocr-aws.zip"
    client(moto, "s3").put_object(
        Bucket=resources["ServerlessDeploymentBucket"],
        Key=code["S3Key"],
        Body=zip_path.read_bytes(),
    )
    cfn.update_stack(
        StackName=STACK, TemplateBody=json.dumps(template), Capabilities=["CAPABILITY_IAM"]
    )
    (described,) = cfn.describe_stacks(StackName=STACK)["Stacks"]
    assert described["StackStatus"] == "UPDATE_COMPLETE", described.get("StackStatusReason")
    outputs = {o["OutputKey"]: o["OutputValue"] for o in described["Outputs"]}
    resources = _resources(cfn)

    # The stack's event source mapping exists, but moto would run each message through Docker
    # (even S3's test event): disabled first, this test plays the poller.
    lam = client(moto, "lambda")
    (mapping,) = [
        m
        for m in lam.list_event_source_mappings()["EventSourceMappings"]
        if m["EventSourceArn"] == outputs["UploadsQueueArn"]
    ]
    assert mapping["FunctionArn"].endswith(f":function:{outputs['FunctionName']}")
    lam.update_event_source_mapping(UUID=mapping["UUID"], Enabled=False)

    # moto ignores NotificationConfiguration: put the template's own, for the created queue.
    bucket_props = template["Resources"]["UploadBucket"]["Properties"]
    (queue_config,) = bucket_props["NotificationConfiguration"]["QueueConfigurations"]
    assert queue_config["Queue"] == {"Fn::GetAtt": ["UploadsQueue", "Arn"]}
    # An empty rule value (the default uploadSuffix "") filters nothing; moto refuses it
    # (moto/s3/responses.py:3089), so it is left out.
    rules = [
        {"Name": r["Name"], "Value": r["Value"]}
        for r in queue_config["Filter"]["S3Key"]["Rules"]
        if r["Value"]
    ]
    client(moto, "s3").put_bucket_notification_configuration(
        Bucket=outputs["UploadBucketName"],
        NotificationConfiguration={
            "QueueConfigurations": [
                {
                    "QueueArn": outputs["UploadsQueueArn"],
                    "Events": [queue_config["Event"]],
                    "Filter": {"Key": {"FilterRules": rules}},
                }
            ]
        },
    )
    moto.drain(resources["UploadsQueue"], at_least=0)  # s3:TestEvent
    return {"outputs": outputs, "resources": resources, "mapping": mapping}


def _resources(cfn: Any) -> dict[str, str]:
    summaries = cfn.list_stack_resources(StackName=STACK)["StackResourceSummaries"]
    return {r["LogicalResourceId"]: r["PhysicalResourceId"] for r in summaries}


@pytest.fixture
def ocr_server() -> Iterator[tuple[TextractStub, StubServer]]:
    """Textract, the stack's default reader. Its keys and its S3 reads are the role's: set
    per upload (Textract reads an S3Object with the caller's permissions)."""
    ocr = TextractStub(keys={}, tokens={}, region=REGION, default=textract_answer(SPECIMEN))
    with StubServer(ocr) as server:
        yield ocr, server


def role_policies(moto: Moto, role_name: str) -> dict[str, dict[str, Any]]:
    iam = client(moto, "iam")
    names = iam.list_role_policies(RoleName=role_name)["PolicyNames"]
    documents = {}
    for name in names:
        document = iam.get_role_policy(RoleName=role_name, PolicyName=name)["PolicyDocument"]
        if isinstance(document, str):
            # moto's CloudFormation stores a role's inline `Policies` as the template's dict
            # (moto/iam/models.py:793), which its IAM API then returns as a Python repr; its own
            # authorizer cannot read that either, hence roles re-created here with JSON.
            document = ast.literal_eval(document)
        documents[name] = document
    return documents


#: Services whose requests moto authorizes against resource `*` only (no `_determine_resource`
#: in their responses, moto/core/responses.py:457): a statement scoped to a topic or table ARN
#: never matches there, so their statements are evaluated with `Resource: *`. The actions are
#: still checked one by one; resource scoping is checked statically in
#: tests/infra/test_serverless.py (test_iam_grants_only_what_the_function_uses).
STAR_ONLY_SERVICES = ("sns", "dynamodb", "logs", "xray")


def evaluable_role(moto: Moto, source: str, *, without: str | None = None) -> str:
    """A role with the stack role's policies as moto's CloudFormation stored them (minus one
    action when `without`), in the form moto can evaluate; its ARN."""
    iam = client(moto, "iam")
    role = iam.get_role(RoleName=source)["Role"]
    name = f"fn-{uuid.uuid4().hex[:10]}"
    arn: str = iam.create_role(
        RoleName=name, AssumeRolePolicyDocument=json.dumps(role["AssumeRolePolicyDocument"])
    )["Role"]["Arn"]
    removed = 0
    for policy_name, document in role_policies(moto, source).items():
        for statement in document["Statement"]:
            actions = statement["Action"]
            actions = [actions] if isinstance(actions, str) else actions
            removed += actions.count(without) if without else 0
            statement["Action"] = [a for a in actions if a != without]
            if all(a.split(":")[0] in STAR_ONLY_SERVICES for a in actions):
                statement["Resource"] = "*"
        document["Statement"] = [s for s in document["Statement"] if s["Action"]]
        iam.put_role_policy(
            RoleName=name, PolicyName=policy_name, PolicyDocument=json.dumps(document)
        )
    if without:
        assert removed == 1, f"the stack role grants {without} {removed} times"
    return arn


def role_authorizer(moto: Moto, role_arn: str, access_key: str) -> Callable[[str, str], bool]:
    """Textract's IAM check, for the stub: the role's own policies, evaluated by moto's
    policy evaluator (moto/iam/access_control.py `IAMPolicy`), for the role's key only."""
    documents = role_policies(moto, role_arn.rsplit("/", 1)[-1]).values()
    policies = [IAMPolicy(json.dumps(document)) for document in documents]

    def authorize(key: str, action: str) -> bool:
        results = [policy.is_action_permitted(action) for policy in policies]
        return (
            key == access_key
            and PermissionResult.DENIED not in results
            and PermissionResult.PERMITTED in results
        )

    return authorize


def role_credentials(moto: Moto, role_arn: str) -> dict[str, str]:
    answer = client(moto, "sts").assume_role(RoleArn=role_arn, RoleSessionName="lambda")
    creds = answer["Credentials"]
    return {
        "AWS_ACCESS_KEY_ID": creds["AccessKeyId"],
        "AWS_SECRET_ACCESS_KEY": creds["SecretAccessKey"],
        "AWS_SESSION_TOKEN": creds["SessionToken"],
    }


def run_upload(
    moto: Moto,
    stack: dict[str, Any],
    ocr_server: tuple[TextractStub, StubServer],
    monkeypatch: pytest.MonkeyPatch,
    *,
    role_arn: str,
    key: str,
    payload: str = "masked",
) -> dict[str, Any]:
    """Upload, poll the stack's queue as the mapping would, run the handler as the role
    (`payload`: its PASSPORT_OCR_PAYLOAD)."""
    outputs, resources = stack["outputs"], stack["resources"]
    ocr, server = ocr_server
    client(moto, "s3").put_object(Bucket=outputs["UploadBucketName"], Key=key, Body=page_jpeg())
    messages = moto.drain(resources["UploadsQueue"])[: stack["mapping"]["BatchSize"]]
    config = client(moto, "lambda").get_function_configuration(FunctionName=outputs["FunctionName"])
    env = dict(config["Environment"]["Variables"])
    env.update(
        AWS_REGION=REGION,
        AWS_DEFAULT_REGION=REGION,
        AWS_ENDPOINT_URL=moto.url,
        POWERTOOLS_TRACE_DISABLED="true",
        PASSPORT_OCR_TEXTRACT_ENDPOINT=server.url,
        **role_credentials(moto, role_arn),
        PASSPORT_OCR_PAYLOAD=payload,
    )
    ocr.keys = {env["AWS_ACCESS_KEY_ID"]: env["AWS_SECRET_ACCESS_KEY"]}
    ocr.authorize = role_authorizer(moto, role_arn, env["AWS_ACCESS_KEY_ID"])
    ocr.tokens = {env["AWS_ACCESS_KEY_ID"]: env["AWS_SESSION_TOKEN"]}
    ocr.s3 = boto3.client(
        "s3",
        endpoint_url=moto.url,
        region_name=REGION,
        aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
        aws_session_token=env["AWS_SESSION_TOKEN"],
    )
    module = import_handler("aws", env, monkeypatch)
    event = invocation.lambda_sqs_event(messages, outputs["UploadsQueueArn"], REGION)
    with enable_iam_authentication():
        answer: dict[str, Any] = module.lambda_handler(event, LambdaContext())
    return answer


@pytest.mark.parametrize("payload", ["masked", "reference"])
def test_an_upload_runs_through_the_deployed_stack_with_the_role_s_permissions(
    moto: Moto,
    stack: dict[str, Any],
    ocr_server: tuple[TextractStub, StubServer],
    monkeypatch: pytest.MonkeyPatch,
    payload: str,
) -> None:
    outputs = stack["outputs"]
    role_arn = evaluable_role(moto, stack["resources"][ROLE])
    events_url, events_arn = moto.queue(f"stack-events-{uuid.uuid4().hex[:8]}")
    client(moto, "sns").subscribe(
        TopicArn=outputs["ResultsTopicArn"], Protocol="sqs", Endpoint=events_arn
    )
    key = f"uploads/2026/stack scan {payload}.jpg"

    answer = run_upload(
        moto,
        stack,
        ocr_server,
        monkeypatch,
        role_arn=role_arn,
        key=key,
        payload=payload,
    )

    assert answer == {"batchItemFailures": []}
    # Textract read the object itself, with the role's credentials, in moto's S3.
    assert ocr_server[0].documents[-1][:3] == ("object", outputs["UploadBucketName"], key)
    (message,) = moto.drain(events_url)
    event = json.loads(json.loads(message["Body"])["Message"])
    assert (event["type"], event["subject"]) == (RECOGNIZED, key)
    assert event["source"] == f"s3://{outputs['UploadBucketName']}"
    if payload == "reference":  # the record itself went to S3, under the results prefix
        where = event["data"]["record"]
        config = client(moto, "lambda").get_function_configuration(
            FunctionName=outputs["FunctionName"]
        )
        assert where["key"].startswith(
            config["Environment"]["Variables"]["PASSPORT_OCR_RESULTS_PREFIX"]
        )
        stored = client(moto, "s3").get_object(Bucket=where["bucket"], Key=where["key"])
        assert json.loads(stored["Body"].read())["document_number"]


# Each action the function's path needs, removed in turn. moto enforces S3, SNS and DynamoDB
# (IAM authorization mode); the Textract stub asks moto's policy evaluator. Not here:
# s3:GetObjectVersion, which real S3 requires for a read naming a version (GetObject API
# reference, "Permissions": https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html)
# while moto 5.2.6 authorizes such a read as s3:GetObject (measured: a role with only
# s3:GetObjectVersion is refused a versioned GET); the versioned-read grant is enforced by the
# OBS policy-mode stub (obs:object:GetObjectVersion) and checked statically in
# tests/infra/test_serverless.py.
@pytest.mark.parametrize(
    "case",  # (the action removed, the payload mode)
    [
        ("dynamodb:PutItem", "masked"),
        ("s3:GetObject", "masked"),
        ("textract:AnalyzeID", "masked"),
        ("sns:Publish", "masked"),
        ("s3:PutObject", "reference"),  # the record written under the results prefix
    ],
)
def test_an_action_missing_from_the_role_fails_the_record(
    moto: Moto,
    stack: dict[str, Any],
    ocr_server: tuple[TextractStub, StubServer],
    monkeypatch: pytest.MonkeyPatch,
    case: tuple[str, str],
) -> None:
    """The stack role's policies, as moto's CloudFormation stored them, minus one action, on a
    role of their own: the record is reported failed (SQS redelivers it, then the dead-letter
    queue keeps it), nothing is lost."""
    action, payload = case
    role_arn = evaluable_role(moto, stack["resources"][ROLE], without=action)
    name = role_arn.rsplit("/", 1)[-1]

    answer = run_upload(
        moto,
        stack,
        ocr_server,
        monkeypatch,
        role_arn=role_arn,
        key=f"uploads/{name}.jpg",
        payload=payload,
    )

    assert len(answer["batchItemFailures"]) == 1


def test_a_kept_answer_store_the_role_cannot_read_costs_an_ocr_call_and_says_so(
    moto: Moto,
    stack: dict[str, Any],
    ocr_server: tuple[TextractStub, StubServer],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Without dynamodb:GetItem the kept answers cannot be recalled: the upload still goes
    through (the store only saves a second OCR call on a redelivery), and the refusal is
    logged as a warning naming the step and the status, so the missing grant is seen."""
    role_arn = evaluable_role(moto, stack["resources"][ROLE], without="dynamodb:GetItem")
    name = role_arn.rsplit("/", 1)[-1]

    answer = run_upload(
        moto, stack, ocr_server, monkeypatch, role_arn=role_arn, key=f"uploads/{name}.jpg"
    )

    assert answer == {"batchItemFailures": []}
    warnings = [
        json.loads(line)
        for line in capsys.readouterr().out.splitlines()
        if line.startswith("{") and '"WARNING"' in line
    ]
    assert [(w["step"], w["error"]) for w in warnings] == [("recall", "403")]
