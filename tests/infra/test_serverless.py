"""serverless.yml: `osls package` offline, then cfn-lint, checkov, and the template itself."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from passport_ocr.config import Settings, load_settings
from tests.infra import provider_facts as facts
from tests.infra.checkov_run import describe, run_checkov, unexplained_skips
from tests.infra.infra_hcl import blocks
from tests.infra.test_terraform import module_of

REPO = Path(__file__).resolve().parents[2]
TEMPLATE = Path(".serverless") / "cloudformation-template-update-stack.json"
FUNCTION = "ProcessUploadLambdaFunction"


def _offline_env(home: Path) -> dict[str, str]:
    """No real credentials, no telemetry, no prompts: `osls package` needs none of them."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "SLS_"))}
    env.update(
        HOME=str(home),
        AWS_ACCESS_KEY_ID="AKIAIOSFODNN7EXAMPLE",
        AWS_SECRET_ACCESS_KEY="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",  # AWS docs' example
        AWS_EC2_METADATA_DISABLED="true",
        SLS_TELEMETRY_DISABLED="1",
        SLS_NOTIFICATIONS_MODE="off",
        SLS_DEPRECATION_DISABLE="*",
        CI="1",
    )
    return env


def package(osls_bin: Path, workdir: Path, *params: str) -> Path:
    """Copy the service into `workdir`, run `osls package` there, return the template path."""
    completed = run_package(osls_bin, workdir, *params)
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    return workdir / TEMPLATE


def run_package(osls_bin: Path, workdir: Path, *params: str) -> subprocess.CompletedProcess[str]:
    """`osls package` on a copy of the service in `workdir`, whatever its outcome."""
    workdir.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "serverless.yml", workdir / "serverless.yml")
    artifact = workdir / "dist" / "passport-ocr-aws.zip"
    artifact.parent.mkdir(exist_ok=True)
    built = REPO / "dist" / "passport-ocr-aws.zip"
    if built.is_file():
        shutil.copy(built, artifact)
    else:  # osls only needs the artifact to exist; the bundle is built by `passport-ocr package`
        with zipfile.ZipFile(artifact, "w") as placeholder:
            placeholder.writestr("app.py", "def lambda_handler(event, context):\n    return {}\n")
    args = [str(osls_bin), "package", "--stage", "test", "--region", "eu-west-1"]
    args += [f"--param={param}" for param in params]
    return subprocess.run(
        args,
        cwd=workdir,
        env=_offline_env(workdir / "home"),
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )


@pytest.fixture(scope="module")
def template_path(osls_bin: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return package(osls_bin, tmp_path_factory.mktemp("sls"))


@pytest.fixture(scope="module")
def template(template_path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(template_path.read_text(encoding="utf-8"))
    return loaded


def resources_of(template: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {name: r for name, r in template["Resources"].items() if r["Type"] == kind}


def role_statements(template: dict[str, Any]) -> list[dict[str, Any]]:
    role = template["Resources"]["IamRoleLambdaExecution"]["Properties"]
    return [s for policy in role["Policies"] for s in policy["PolicyDocument"]["Statement"]]


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def flat(value: Any) -> Iterator[Any]:
    """Leaves of a CloudFormation value (intrinsics walked through)."""
    if isinstance(value, dict):
        for item in value.values():
            yield from flat(item)
    elif isinstance(value, list):
        for item in value:
            yield from flat(item)
    else:
        yield value


def test_template_passes_cfn_lint(cfn_lint_bin: Path, template_path: Path) -> None:
    completed = subprocess.run(
        [str(cfn_lint_bin), str(template_path)], capture_output=True, text=True, check=False
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_cfn_lint_catches_a_broken_template(
    cfn_lint_bin: Path, template: dict[str, Any], tmp_path: Path
) -> None:
    """The lint step is not a formality: a function without a runtime is reported."""
    broken = json.loads(json.dumps(template))
    del broken["Resources"][FUNCTION]["Properties"]["Runtime"]
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(broken), encoding="utf-8")
    completed = subprocess.run(
        [str(cfn_lint_bin), str(path)], capture_output=True, text=True, check=False
    )
    assert completed.returncode != 0
    assert "Runtime" in completed.stdout


def test_template_passes_checkov_with_reasoned_skips(
    checkov_bin: Path, template_path: Path
) -> None:
    result = run_checkov(
        checkov_bin,
        "-f",
        str(template_path),
        "--framework",
        "cloudformation",
        cwd=template_path.parent,
    )
    assert not result.parsing_errors
    assert result.passed, "checkov ran no check at all"
    assert not result.failed, describe(result.failed)
    assert not unexplained_skips(result.skipped)


def test_function_runs_the_aws_bundle(template: dict[str, Any]) -> None:
    props = template["Resources"][FUNCTION]["Properties"]
    assert props["Runtime"] == "python3.12"
    assert props["Handler"] == "app.lambda_handler"
    assert props["Code"]["S3Key"].endswith("/passport-ocr-aws.zip")
    assert props["TracingConfig"] == {"Mode": "Active"}


def test_uploads_reach_the_function_through_a_queue_with_a_dead_letter_queue(
    template: dict[str, Any],
) -> None:
    (mapping,) = resources_of(template, "AWS::Lambda::EventSourceMapping").values()
    props = mapping["Properties"]
    assert props["EventSourceArn"] == {"Fn::GetAtt": ["UploadsQueue", "Arn"]}
    assert props["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert props["ScalingConfig"]["MaximumConcurrency"] >= 2

    queue = template["Resources"]["UploadsQueue"]["Properties"]
    assert queue["RedrivePolicy"]["deadLetterTargetArn"] == {
        "Fn::GetAtt": ["UploadsDeadLetterQueue", "Arn"]
    }
    timeout = template["Resources"][FUNCTION]["Properties"]["Timeout"]
    assert int(queue["VisibilityTimeout"]) >= 6 * int(timeout)

    policy = template["Resources"]["UploadsQueuePolicy"]["Properties"]["PolicyDocument"]
    (statement,) = policy["Statement"]
    assert statement["Principal"] == {"Service": "s3.amazonaws.com"}
    assert statement["Action"] == "sqs:SendMessage"
    assert "aws:SourceArn" in statement["Condition"]["ArnEquals"]


def test_bucket_notifies_only_for_the_upload_prefix_and_suffix(template: dict[str, Any]) -> None:
    bucket = template["Resources"]["UploadBucket"]
    assert bucket["Condition"] == "CreateUploadBucket"
    (notification,) = bucket["Properties"]["NotificationConfiguration"]["QueueConfigurations"]
    assert notification["Event"] == "s3:ObjectCreated:*"
    rules = {r["Name"]: r["Value"] for r in notification["Filter"]["S3Key"]["Rules"]}
    assert set(rules) == {"prefix", "suffix"}
    env = template["Resources"][FUNCTION]["Properties"]["Environment"]["Variables"]
    assert rules["prefix"] == env["PASSPORT_OCR_UPLOAD_PREFIX"]
    # Results are written outside the watched prefix: no self-trigger loop.
    assert not env["PASSPORT_OCR_RESULTS_PREFIX"].startswith(rules["prefix"])
    assert not rules["prefix"].startswith(env["PASSPORT_OCR_RESULTS_PREFIX"])
    access = bucket["Properties"]["PublicAccessBlockConfiguration"]
    assert all(access.values())


def test_iam_grants_only_what_the_function_uses(template: dict[str, Any]) -> None:
    by_action: dict[str, list[Any]] = {}
    for statement in role_statements(template):
        assert statement["Effect"] == "Allow"
        for action in as_list(statement["Action"]):
            assert "*" not in action, f"wildcard action {action}"
            by_action.setdefault(action, []).extend(as_list(statement["Resource"]))

    s3_get = list(flat(by_action.pop("s3:GetObject")))
    assert s3_get[-1] == "/uploads/*", s3_get  # the object ARN ends with the upload prefix
    assert list(flat(by_action.pop("s3:GetObjectVersion"))) == s3_get
    s3_put = list(flat(by_action.pop("s3:PutObject")))
    assert s3_put[-1] == "/results/*", s3_put
    assert by_action.pop("sns:Publish") == [{"Ref": "ResultsTopic"}]
    table = [{"Fn::GetAtt": ["IdempotencyTable", "Arn"]}]
    for action in ("GetItem", "PutItem", "UpdateItem", "DeleteItem"):
        assert by_action.pop(f"dynamodb:{action}") == table
    queue = [{"Fn::GetAtt": ["UploadsQueue", "Arn"]}]
    for action in ("ReceiveMessage", "DeleteMessage", "GetQueueAttributes"):
        assert by_action.pop(f"sqs:{action}") == queue
    # AnalyzeID and X-Ray have no resource-level permissions; the rest is the function's logs.
    assert by_action.pop("textract:AnalyzeID") == ["*"]
    assert by_action.pop("xray:PutTraceSegments") == ["*"]
    assert by_action.pop("xray:PutTelemetryRecords") == ["*"]
    assert "s3:DeleteObject" not in by_action  # only with deleteAfter=recognized
    # The function's own log group, not `/aws/lambda/passport-ocr-test*` (OSLS_LOG_GROUP_SCOPE).
    log_group = "log-group:/aws/lambda/passport-ocr-upload-test:"
    for action, resources in by_action.items():
        assert action.startswith("logs:"), action
        for resource in resources:
            arn = resource["Fn::Sub"]
            assert log_group in arn, arn
            assert "*" not in arn.split("log-group:")[1].split(":")[0], arn


def test_environment_is_valid_settings(template: dict[str, Any]) -> None:
    env = template["Resources"][FUNCTION]["Properties"]["Environment"]["Variables"]
    # Set only with deleteAfter=recognized (CloudFormation drops it otherwise); the application
    # side of the setting is another change (issue 12, section 3).
    assert env.pop("PASSPORT_OCR_DELETE_AFTER") == {
        "Fn::If": ["DeleteAfterRecognized", "recognized", {"Ref": "AWS::NoValue"}]
    }
    prefixed = {k: v for k, v in env.items() if k.startswith("PASSPORT_OCR_")}
    unknown = {k[len("PASSPORT_OCR_") :].lower() for k in prefixed} - set(Settings.model_fields)
    assert not unknown, f"not a setting: {unknown}"
    # Values CloudFormation fills in at deploy time stand in as placeholders.
    literal = {k: v if isinstance(v, str) else "resolved-at-deploy" for k, v in prefixed.items()}
    settings = load_settings(literal)
    assert settings.provider == "textract"  # the role's own reader; no offline engine here
    assert settings.payload == "masked"
    assert env["PASSPORT_OCR_TOPIC"] == {"Ref": "ResultsTopic"}
    assert env["PASSPORT_OCR_IDEMPOTENCY_TABLE"] == {"Ref": "IdempotencyTable"}
    assert {"POWERTOOLS_SERVICE_NAME", "POWERTOOLS_METRICS_NAMESPACE", "LOG_LEVEL"} <= set(env)


def test_idempotency_table_expires_entries_and_logs_are_retained(template: dict[str, Any]) -> None:
    table = template["Resources"]["IdempotencyTable"]["Properties"]
    assert table["KeySchema"] == [{"AttributeName": "id", "KeyType": "HASH"}]
    assert table["TimeToLiveSpecification"] == {"AttributeName": "expiration", "Enabled": True}
    (log_group,) = resources_of(template, "AWS::Logs::LogGroup").values()
    assert log_group["Properties"]["RetentionInDays"] == 30


def test_existing_bucket_by_parameter(osls_bin: Path, cfn_lint_bin: Path, tmp_path: Path) -> None:
    path = package(osls_bin, tmp_path, "uploadBucket=existing-passports", "uploadPrefix=scans/")
    template = json.loads(path.read_text(encoding="utf-8"))
    assert template["Parameters"]["UploadBucketParameter"]["Default"] == "existing-passports"
    get = next(s for s in role_statements(template) if s.get("Sid") == "ReadUploads")
    assert list(flat(get["Resource"]))[-1] == "/scans/*"
    env = template["Resources"][FUNCTION]["Properties"]["Environment"]["Variables"]
    assert env["PASSPORT_OCR_UPLOAD_PREFIX"] == "scans/"
    completed = subprocess.run(
        [str(cfn_lint_bin), str(path)], capture_output=True, text=True, check=False
    )
    assert completed.returncode == 0, completed.stdout


def lifecycle_rules(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    bucket = template["Resources"]["UploadBucket"]["Properties"]
    return {rule["Prefix"]: rule for rule in bucket["LifecycleConfiguration"]["Rules"]}


def test_uploads_and_results_expire_with_their_old_versions(template: dict[str, Any]) -> None:
    rules = lifecycle_rules(template)
    assert set(rules) == {"uploads/", "results/"}
    assert rules["uploads/"]["ExpirationInDays"] == 30
    assert rules["results/"]["ExpirationInDays"] == 90
    for rule in rules.values():
        assert rule["Status"] == "Enabled"
        assert 1 <= rule["NoncurrentVersionExpiration"]["NoncurrentDays"] <= 30
    assert template["Parameters"]["DeleteAfterParameter"]["Default"] == "never"
    policy = template["Resources"]["DeleteRecognizedUploadsPolicy"]
    assert policy["Condition"] == "DeleteAfterRecognized"
    assert template["Conditions"]["DeleteAfterRecognized"] == {
        "Fn::Equals": [{"Ref": "DeleteAfterParameter"}, "recognized"]
    }


def test_retention_and_delete_after_by_parameter(
    osls_bin: Path, cfn_lint_bin: Path, tmp_path: Path
) -> None:
    path = package(
        osls_bin,
        tmp_path,
        "uploadRetentionDays=7",
        "resultsRetentionDays=14",
        "noncurrentVersionDays=1",
        "deleteAfter=recognized",
        "uploadPrefix=scans/",
    )
    template = json.loads(path.read_text(encoding="utf-8"))
    rules = lifecycle_rules(template)
    # --param values arrive as strings; CloudFormation reads "7" as the integer 7 (cfn-lint
    # below checks the type).
    assert int(rules["scans/"]["ExpirationInDays"]) == 7
    assert int(rules["results/"]["ExpirationInDays"]) == 14
    noncurrent = {int(r["NoncurrentVersionExpiration"]["NoncurrentDays"]) for r in rules.values()}
    assert noncurrent == {1}
    assert template["Parameters"]["DeleteAfterParameter"]["Default"] == "recognized"
    policy = template["Resources"]["DeleteRecognizedUploadsPolicy"]["Properties"]
    assert policy["Roles"] == [{"Ref": "IamRoleLambdaExecution"}]
    (statement,) = policy["PolicyDocument"]["Statement"]
    assert statement["Action"] == "s3:DeleteObject"
    assert list(flat(statement["Resource"]))[-1] == "/scans/*"  # the upload prefix only
    completed = subprocess.run(
        [str(cfn_lint_bin), str(path)], capture_output=True, text=True, check=False
    )
    assert completed.returncode == 0, completed.stdout


# --- the two AWS stacks grant the same --------------------------------------------------------

#: What each stack's resource expressions stand for. Terraform names them by reference,
#: CloudFormation by intrinsic; both must come down to the same few things.
_TERRAFORM_RESOURCES = {
    "${local.bucket_arn}/${var.upload_prefix}*": "upload objects",
    "${local.results_arn}/${var.results_prefix}*": "result objects",
    "${aws_sns_topic.results.arn}": "results topic",
    "${aws_dynamodb_table.idempotency.arn}": "idempotency table",
    "${aws_sqs_queue.uploads.arn}": "uploads queue",
    "${aws_cloudwatch_log_group.function.arn}:*": "function log streams",
    "${var.vendor_secret_arn}": "vendor secret",
    "${var.vendor_secret_kms_key_arn}": "vendor secret key",
    "*": "*",
}
_CLOUDFORMATION_REFS = {
    "ResultsTopic": "results topic",
    "IdempotencyTable": "idempotency table",
    "UploadsQueue": "uploads queue",
    "VendorSecretParameter": "vendor secret",
    "VendorSecretKmsKeyParameter": "vendor secret key",
}
#: The condition under which a grant exists, in each stack's words.
_TERRAFORM_CONDITIONS = {
    'var.delete_after == "recognized"': "delete after recognized",
    'local.vendor_secret_service == "secretsmanager"': "secret in Secrets Manager",
    'local.vendor_secret_service == "ssm"': "secret in SSM",
    'var.vendor_secret_arn != "" && var.vendor_secret_kms_key_arn != ""': "secret with a key",
}
_CLOUDFORMATION_CONDITIONS = {
    "DeleteAfterRecognized": "delete after recognized",
    ("VendorSecretInSsm", True): "secret in SSM",
    ("VendorSecretInSsm", False): "secret in Secrets Manager",
    "HasVendorSecretKey": "secret with a key",
}

#: Log actions the framework adds to every role it generates, whatever serverless.yml says
#: (osls 4.3.1 lib/plugins/aws/package/lib/iam-role-lambda-execution-template.json:24): it
#: lets Lambda create the log group, which Terraform creates itself
#: (aws_cloudwatch_log_group.function), so the Terraform role does without them.
_FRAMEWORK_ONLY = {
    ("logs:CreateLogGroup", "function log streams", None),
    ("logs:TagResource", "function log streams", None),
}

Grant = tuple[str, str, str | None]  # action, what it is granted on, under which condition


def _cloudformation_resource(value: Any) -> str:
    leaves = [leaf for leaf in flat(value) if isinstance(leaf, str)]
    if value in ("*", ["*"]):
        return "*"
    if isinstance(value, dict) and "Fn::Join" in value:
        bucket = "result objects" if "SeparateResultsBucket" in leaves else "upload objects"
        expected_suffix = "/results/*" if bucket == "result objects" else "/uploads/*"
        assert leaves[-1] == expected_suffix, leaves
        return bucket
    for logical, meaning in _CLOUDFORMATION_REFS.items():
        if logical in leaves:
            return meaning
    (arn,) = leaves
    assert ":log-group:/aws/lambda/passport-ocr-upload-test:" in arn, arn
    return "function log streams"


def _cloudformation_statements(
    statements: list[Any], condition: str | None
) -> Iterator[tuple[dict[str, Any], str | None]]:
    """Statements with the condition each holds under (`Fn::If` around one included)."""
    for statement in statements:
        if isinstance(statement, dict) and "Fn::If" in statement:
            name, then, otherwise = statement["Fn::If"]
            assert otherwise == {"Ref": "AWS::NoValue"}, statement
            yield then, _CLOUDFORMATION_CONDITIONS[name]
        else:
            yield statement, condition


def _cloudformation_grants(template: dict[str, Any]) -> set[Grant]:
    documents: list[tuple[list[Any], str | None]] = [(role_statements(template), None)]
    for resource in resources_of(template, "AWS::IAM::Policy").values():
        condition = resource.get("Condition")
        statements = resource["Properties"]["PolicyDocument"]["Statement"]
        documents.append((statements, _CLOUDFORMATION_CONDITIONS.get(condition)))
    found: set[Grant] = set()
    for statements, condition in documents:
        for statement, holds in _cloudformation_statements(statements, condition):
            assert statement["Effect"] == "Allow"
            resources = as_list(statement["Resource"])
            if any(isinstance(r, dict) and "Fn::Join" in r for r in resources):
                resources = [statement["Resource"]]  # one ARN joined from parts
            action = statement["Action"]
            if isinstance(action, dict) and "Fn::If" in action:  # one action or the other
                name, then, otherwise = action["Fn::If"]
                choices = [
                    (then, _CLOUDFORMATION_CONDITIONS[(name, True)]),
                    (otherwise, _CLOUDFORMATION_CONDITIONS[(name, False)]),
                ]
            else:
                choices = [(a, holds) for a in as_list(action)]
            for granted, under in choices:
                for resource in resources:
                    found.add((granted, _cloudformation_resource(resource), under))
    return found


def _terraform_grants() -> set[Grant]:
    document = module_of("aws").data[("aws_iam_policy_document", "function")]
    statements: list[tuple[dict[str, Any], str | None]] = [
        (statement, None) for statement in blocks(document, "statement")
    ]
    for block in document.get("dynamic", []):
        spec = block["statement"]
        content = spec["content"][0] if isinstance(spec["content"], list) else spec["content"]
        for_each = spec["for_each"].removeprefix("${").removesuffix("}")
        test = for_each.split(" ? ")[0]
        statements.append((content, _TERRAFORM_CONDITIONS[test]))
    found: set[Grant] = set()
    for statement, condition in statements:
        assert statement.get("effect", "Allow") == "Allow"
        for action in statement["actions"]:
            for resource in statement["resources"]:
                found.add((action, _TERRAFORM_RESOURCES[resource], condition))
    return found


def test_terraform_and_serverless_grant_the_function_the_same(template: dict[str, Any]) -> None:
    """infra/aws and serverless.yml are two ways to deploy one function: the same actions on
    the same things, under the same condition, but for what the framework adds by itself."""
    serverless = _cloudformation_grants(template)
    assert serverless >= _FRAMEWORK_ONLY
    assert _terraform_grants() == serverless - _FRAMEWORK_ONLY


# --- SnapStart (provider_facts.SNAP_START) ------------------------------------------------------

#: cfn-lint findings a SnapStart template may carry. W3005: osls gives its SnapStart alias
#: `DependsOn: <function>` although the alias already `Ref`s it (osls 4.3.1
#: lib/plugins/aws/package/compile/functions.js:695-701): redundant, harmless, not ours to fix.
SNAP_START_LINT_ACCEPTED = {"W3005"}


def _lint_findings(cfn_lint_bin: Path, path: Path) -> list[tuple[str, str]]:
    completed = subprocess.run(
        [str(cfn_lint_bin), "--format", "json", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    found: list[dict[str, Any]] = json.loads(completed.stdout or "[]")
    return [(m["Rule"]["Id"], m["Level"]) for m in found]


@pytest.fixture(scope="module")
def snap_start_template_path(osls_bin: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return package(osls_bin, tmp_path_factory.mktemp("sls-snapstart"), "snapStart=true")


@pytest.fixture(scope="module")
def snap_start_template(snap_start_template_path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(snap_start_template_path.read_text(encoding="utf-8"))
    return loaded


def test_snap_start_is_off_by_default(template: dict[str, Any]) -> None:
    props = template["Resources"][FUNCTION]["Properties"]
    assert "SnapStart" not in props
    assert not resources_of(template, "AWS::Lambda::Alias")
    (mapping,) = resources_of(template, "AWS::Lambda::EventSourceMapping").values()
    assert mapping["Properties"]["FunctionName"] == {"Fn::GetAtt": [FUNCTION, "Arn"]}


def test_snap_start_param_snapshots_a_published_version(
    snap_start_template: dict[str, Any],
) -> None:
    resources = snap_start_template["Resources"]
    props = resources[FUNCTION]["Properties"]
    assert props["SnapStart"] == {"ApplyOn": facts.SNAP_START["apply_on_values"][0][0]}
    major, minor = (int(part) for part in props["Runtime"].removeprefix("python").split("."))
    assert (major, minor) >= facts.SNAP_START["lowest_python"][0]
    ((alias_id, alias),) = resources_of(snap_start_template, "AWS::Lambda::Alias").items()
    assert alias_id.endswith(facts.SNAP_START["osls_alias_logical_id_suffix"])
    alias_name = facts.SNAP_START["osls_alias"][0]
    assert alias["Properties"]["Name"] == alias_name
    assert alias["Properties"]["FunctionName"] == {"Ref": FUNCTION}
    version_id, attribute = alias["Properties"]["FunctionVersion"]["Fn::GetAtt"]
    assert attribute == "Version"
    assert resources[version_id]["Type"] == "AWS::Lambda::Version"
    assert resources[version_id]["Properties"]["FunctionName"] == {"Ref": FUNCTION}


def test_snap_start_queue_invokes_the_alias_not_latest(snap_start_template: dict[str, Any]) -> None:
    (alias_id,) = resources_of(snap_start_template, "AWS::Lambda::Alias")
    (mapping,) = resources_of(snap_start_template, "AWS::Lambda::EventSourceMapping").values()
    props = mapping["Properties"]
    assert props["FunctionName"] == {
        "Fn::Join": [":", [{"Fn::GetAtt": [FUNCTION, "Arn"]}, facts.SNAP_START["osls_alias"][0]]]
    }
    assert alias_id in mapping["DependsOn"]  # the mapping waits for the alias
    assert props["EventSourceArn"] == {"Fn::GetAtt": ["UploadsQueue", "Arn"]}
    assert props["FunctionResponseTypes"] == ["ReportBatchItemFailures"]


def test_snap_start_template_passes_cfn_lint_and_checkov(
    cfn_lint_bin: Path, checkov_bin: Path, snap_start_template_path: Path
) -> None:
    findings = _lint_findings(cfn_lint_bin, snap_start_template_path)
    assert {rule for rule, _level in findings} <= SNAP_START_LINT_ACCEPTED, findings
    assert all(level != "Error" for _rule, level in findings)
    result = run_checkov(
        checkov_bin,
        "-f",
        str(snap_start_template_path),
        "--framework",
        "cloudformation",
        cwd=snap_start_template_path.parent,
    )
    assert not result.parsing_errors
    assert result.passed
    assert not result.failed, describe(result.failed)
    assert not unexplained_skips(result.skipped)


def test_snap_start_param_refuses_anything_but_a_boolean_string(
    osls_bin: Path, tmp_path: Path
) -> None:
    completed = run_package(osls_bin, tmp_path, "snapStart=yes")
    assert completed.returncode != 0
    assert "strToBool" in completed.stdout + completed.stderr
