"""infra/<cloud>/*.tf checked offline: parse, references, required arguments, checkov, and
the stack's own contract (least privilege, trigger filters, settings, outputs)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from passport_ocr.config import Settings
from tests.infra.checkov_run import describe, run_checkov, unexplained_skips
from tests.infra.infra_hcl import (
    Module,
    add_to_module,
    arguments,
    blocks,
    load_module,
    missing_arguments,
    parse_tf,
    references,
    unresolved_references,
)

REPO = Path(__file__).resolve().parents[2]
CLOUDS = ("huaweicloud", "tencentcloud", "aws")

# Arguments each resource type needs: the provider's Required ones (from its registry docs),
# plus the ones this product cannot do without (code, handler, runtime, filters).
REQUIRED: dict[str, frozenset[str]] = {
    # huaweicloud/huaweicloud
    "huaweicloud_obs_bucket": frozenset({"bucket", "acl"}),
    "huaweicloud_obs_bucket_object": frozenset({"bucket", "key", "source"}),
    "huaweicloud_smn_topic": frozenset({"name"}),
    "huaweicloud_fgs_function": frozenset(
        {
            "name",
            "app",
            "handler",
            "memory_size",
            "runtime",
            "timeout",
            "code_type",
            "code_url",
            "agency",
        }
    ),
    "huaweicloud_fgs_function_trigger": frozenset({"function_urn", "type", "event_data"}),
    "huaweicloud_fgs_async_invoke_configuration": frozenset(
        {"function_urn", "max_async_event_age_in_seconds", "max_async_retry_attempts", "on_failure"}
    ),
    "huaweicloud_identity_role": frozenset({"name", "description", "type", "policy"}),
    "huaweicloud_identity_agency": frozenset({"name", "delegated_service_name"}),
    # tencentcloudstack/tencentcloud
    "tencentcloud_cos_bucket": frozenset({"bucket", "acl"}),
    "tencentcloud_cos_bucket_object": frozenset({"bucket", "key", "source"}),
    "tencentcloud_tcmq_topic": frozenset({"topic_name"}),
    "tencentcloud_scf_function": frozenset(
        {
            "name",
            "handler",
            "runtime",
            "role",
            "cos_bucket_name",
            "cos_object_name",
            "cos_bucket_region",
            "triggers",
        }
    ),
    "tencentcloud_scf_function_event_invoke_config": frozenset(
        {"function_name", "async_trigger_config"}
    ),
    "tencentcloud_cam_role": frozenset({"name", "document"}),
    "tencentcloud_cam_policy": frozenset({"name", "document"}),
    "tencentcloud_cam_role_policy_attachment": frozenset({"role_id", "policy_id"}),
    # hashicorp/aws
    "aws_s3_bucket": frozenset({"bucket"}),
    "aws_s3_bucket_versioning": frozenset({"bucket", "versioning_configuration"}),
    "aws_s3_bucket_server_side_encryption_configuration": frozenset({"bucket", "rule"}),
    "aws_s3_bucket_public_access_block": frozenset({"bucket"}),
    "aws_s3_bucket_ownership_controls": frozenset({"bucket", "rule"}),
    "aws_s3_bucket_lifecycle_configuration": frozenset({"bucket", "rule"}),
    "aws_s3_bucket_policy": frozenset({"bucket", "policy"}),
    "aws_s3_bucket_notification": frozenset({"bucket"}),
    "aws_sqs_queue": frozenset({"name"}),
    "aws_sqs_queue_policy": frozenset({"queue_url", "policy"}),
    "aws_sns_topic": frozenset({"name"}),
    "aws_dynamodb_table": frozenset({"name", "hash_key", "attribute"}),
    "aws_cloudwatch_log_group": frozenset({"name", "retention_in_days"}),
    "aws_lambda_function": frozenset(
        {"function_name", "role", "handler", "runtime", "filename", "source_code_hash"}
    ),
    "aws_lambda_event_source_mapping": frozenset({"function_name", "event_source_arn"}),
    "aws_iam_role": frozenset({"assume_role_policy"}),
    "aws_iam_role_policy": frozenset({"role", "policy"}),
}


@pytest.fixture(scope="module", params=CLOUDS)
def cloud(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


def module_of(cloud: str) -> Module:
    return load_module(REPO / "infra" / cloud)


# --- generic checks, every cloud ----------------------------------------------------------


def test_every_file_parses_and_declares_a_stack(cloud: str) -> None:
    module = module_of(cloud)
    assert module.resources
    assert "terraform" in module.other
    assert "provider" in module.other


def test_references_resolve(cloud: str) -> None:
    assert unresolved_references(module_of(cloud)) == set()


def test_resources_have_their_required_arguments(cloud: str) -> None:
    assert missing_arguments(module_of(cloud), REQUIRED) == {}


def test_variables_are_documented_with_defaults(cloud: str) -> None:
    variables = module_of(cloud).variables
    for name, body in variables.items():
        assert len(body.get("description", "")) > 10, f"var.{name} has no description"
        assert "type" in body, f"var.{name} has no type"
        assert "default" in body, f"var.{name} has no default"


def test_outputs_name_bucket_topic_and_function(cloud: str) -> None:
    outputs = module_of(cloud).outputs
    kinds = {"bucket": False, "topic": False, "function": False}
    for name, body in outputs.items():
        assert body.get("description"), f"output {name} has no description"
        for kind in kinds:
            kinds[kind] |= kind in name
    assert all(kinds.values()), kinds


def test_function_settings_are_known(cloud: str) -> None:
    """Every PASSPORT_OCR_* variable the stack sets is a field of Settings."""
    text = "\n".join(p.read_text() for p in (REPO / "infra" / cloud).glob("*.tf"))
    names = set(re.findall(r"\bPASSPORT_OCR_([A-Z0-9_]+)\s*=", text))
    assert {"TOPIC", "UPLOAD_PREFIX", "RESULTS_PREFIX", "PROVIDER"} <= names
    assert {n.lower() for n in names} - set(Settings.model_fields) == set()


def test_checkov_passes_with_reasoned_skips(cloud: str, checkov_bin: Path) -> None:
    result = run_checkov(checkov_bin, "-d", f"infra/{cloud}", "--framework", "terraform", cwd=REPO)
    assert not result.parsing_errors
    assert not result.failed, describe(result.failed)
    assert not unexplained_skips(result.skipped)
    if cloud == "aws":  # checkov has no rules for the huaweicloud provider and none of
        assert len(result.passed) > 50  # its tencentcloud rules cover these resources


def test_terraform_fmt_is_clean(cloud: str) -> None:
    terraform = shutil.which("terraform")
    if terraform is None:  # not installable from a package registry; a local extra
        pytest.skip("terraform not on PATH")
    completed = subprocess.run(
        [terraform, "fmt", "-check", "-diff", "-no-color", str(REPO / "infra" / cloud)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout


# --- the checkers themselves catch mistakes -----------------------------------------------

BROKEN = """
variable "region" {
  type = string
}
resource "aws_sqs_queue" "q" {
  name = "${var.name}-q"
}
resource "aws_lambda_function" "f" {
  function_name = local.missing
  role          = aws_iam_role.absent.arn
  depends_on    = [aws_sqs_queue.q]
}
"""


def test_checkers_report_undeclared_references_and_missing_arguments() -> None:
    module = Module()
    add_to_module(module, parse_tf(BROKEN))
    assert unresolved_references(module) == {"var.name", "local.missing", "aws_iam_role.absent"}
    missing = missing_arguments(module, REQUIRED)
    assert missing["aws_lambda_function.f"] == {
        "handler",
        "runtime",
        "filename",
        "source_code_hash",
    }
    assert "aws_sqs_queue.q" not in missing
    unknown = Module()
    add_to_module(unknown, parse_tf('resource "aws_instance" "x" {}'))
    assert "aws_instance.x" in missing_arguments(unknown, REQUIRED)


def test_references_ignore_literals_and_see_nested_expressions() -> None:
    parsed = parse_tf(
        'resource "x_y" "z" {\n'
        '  a = "obs.var.region.example.com"\n'
        '  b = jsonencode({ bucket = huaweicloud_obs_bucket.u.bucket, e = ["s3:Object:*"] })\n'
        '  c = "${data.tencentcloud_user_info.me.app_id}-${var.bucket_name}"\n'
        "}\n"
    )
    assert references(parsed) == {
        "huaweicloud_obs_bucket.u",
        "data.tencentcloud_user_info.me",
        "var.bucket_name",
    }


# --- Huawei Cloud ---------------------------------------------------------------------------


def statements(policy: dict[str, Any], key: str = "Statement") -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = policy[key]
    return found


def test_huawei_trigger_is_the_current_obs_trigger_with_filters() -> None:
    module = module_of("huaweicloud")
    assert not module.of_type("huaweicloud_fgs_trigger"), "deprecated trigger resource"
    (trigger,) = module.of_type("huaweicloud_fgs_function_trigger").values()
    assert trigger["type"] == "OBS"
    event_data = trigger["event_data"]
    for key in ("bucket", "events", "prefix = var.upload_prefix", "suffix = var.upload_suffix"):
        assert key in event_data
    assert "s3:ObjectCreated:*" in event_data
    (function,) = module.of_type("huaweicloud_fgs_function").values()
    assert function["handler"] == "index.handler"
    assert function["runtime"] == "${var.runtime}"
    assert module.variables["runtime"]["default"] in ("Python3.10", "Python3.12")


def test_huawei_async_failures_go_to_a_destination_outside_the_upload_prefix() -> None:
    module = module_of("huaweicloud")
    (config,) = module.of_type("huaweicloud_fgs_async_invoke_configuration").values()
    (on_failure,) = blocks(config, "on_failure")
    assert on_failure["destination"] == "OBS"
    assert "var.failure_prefix" in on_failure["param"]
    defaults = {name: body.get("default") for name, body in module.variables.items()}
    assert 0 < defaults["max_async_retries"] <= 3
    for other in ("failure_prefix", "results_prefix", "code_prefix"):
        assert not defaults[other].startswith(defaults["upload_prefix"])


def test_huawei_agency_is_least_privilege() -> None:
    module = module_of("huaweicloud")
    obs = statements(module.locals["obs_policy"])
    grants = {action: s["Resource"] for s in obs for action in s["Action"]}
    assert grants["obs:object:GetObject"] == [
        "obs:*:*:object:${huaweicloud_obs_bucket.uploads.bucket}/${var.upload_prefix}*"
    ]
    assert sorted(grants["obs:object:PutObject"]) == [
        "obs:*:*:object:${huaweicloud_obs_bucket.uploads.bucket}/${var.failure_prefix}*",
        "obs:*:*:object:${huaweicloud_obs_bucket.uploads.bucket}/${var.results_prefix}*",
    ]
    assert grants["obs:object:GetObjectVersion"] == grants["obs:object:GetObject"]
    assert set(grants) == {
        "obs:object:GetObject",
        "obs:object:GetObjectVersion",
        "obs:object:PutObject",
    }
    project = statements(module.locals["ocr_smn_policy"])
    publish = next(s for s in project if s["Action"] == ["smn:topic:publish"])
    assert publish["Resource"] == ["smn:*:*:topic:${huaweicloud_smn_topic.results.name}"]
    assert module.variables["ocr_actions"]["default"] == ["ocr:*:*"]
    (agency,) = module.of_type("huaweicloud_identity_agency").values()
    assert agency["delegated_service_name"] == "op_svc_cff"  # FunctionGraph
    assert references(agency) == {
        "huaweicloud_identity_role.ocr_publish",
        "huaweicloud_identity_role.obs_access",
        "var.name",
        "var.region",
    }


# --- Tencent Cloud --------------------------------------------------------------------------


def test_tencent_cos_trigger_filters_prefix_and_suffix() -> None:
    module = module_of("tencentcloud")
    (function,) = module.of_type("tencentcloud_scf_function").values()
    assert function["handler"] == "index.main_handler"
    (trigger,) = blocks(function, "triggers")
    assert trigger["type"] == "cos"
    assert trigger["name"].endswith(".cos.${var.region}.myqcloud.com")
    desc = trigger["trigger_desc"]
    assert "cos:ObjectCreated:*" in desc
    assert "Prefix = var.upload_prefix" in desc
    assert "Suffix = var.upload_suffix" in desc
    (retry,) = module.of_type("tencentcloud_scf_function_event_invoke_config").values()
    (config,) = blocks(retry, "async_trigger_config")
    (retry_config,) = blocks(config, "retry_config")
    assert retry_config["retry_num"] == "${var.retry_num}"


def test_tencent_role_is_least_privilege() -> None:
    module = module_of("tencentcloud")
    assume = module.locals["assume_role"]["statement"]
    assert assume == [
        {
            "action": ["name/sts:AssumeRole"],
            "effect": "allow",
            "principal": {"service": ["scf.qcloud.com"]},
        }
    ]
    grants = {
        action: s["resource"]
        for s in statements(module.locals["function_policy"], "statement")
        for action in s["action"]
    }
    assert grants == {
        "name/cos:GetObject": ["${local.cos_resource}/${var.upload_prefix}*"],
        "name/cos:PutObject": ["${local.cos_resource}/${var.results_prefix}*"],
        "name/ocr:PassportOCR": ["*"],
        "name/ocr:MLIDPassportOCR": ["*"],
        "name/tdmq:PublishCmqMsg": [
            "qcs::tdmq:${var.region}:uin/${data.tencentcloud_user_info.current.owner_uin}"
            ":cmqtopic/${tencentcloud_tcmq_topic.results.topic_name}"
        ],
    }
    (topic,) = module.of_type("tencentcloud_tcmq_topic").values()
    assert "topic_name" in arguments(topic)


# --- AWS --------------------------------------------------------------------------------------


def test_aws_stack_matches_the_serverless_service() -> None:
    module = module_of("aws")
    (function,) = module.of_type("aws_lambda_function").values()
    assert function["runtime"] == "python3.12"
    assert function["handler"] == "app.lambda_handler"
    (mapping,) = module.of_type("aws_lambda_event_source_mapping").values()
    assert mapping["function_response_types"] == ["ReportBatchItemFailures"]
    queue = module.of_type("aws_sqs_queue")["uploads"]
    assert "aws_sqs_queue.dead_letter.arn" in queue["redrive_policy"]
    (notification,) = module.of_type("aws_s3_bucket_notification").values()
    (target,) = blocks(notification, "queue")
    assert target["filter_prefix"] == "${var.upload_prefix}"
    assert target["filter_suffix"] == "${var.upload_suffix}"
    (table,) = module.of_type("aws_dynamodb_table").values()
    (ttl,) = blocks(table, "ttl")
    assert ttl == {"attribute_name": "expiration", "enabled": True, "__is_block__": True}


def test_aws_role_is_least_privilege() -> None:
    module = module_of("aws")
    document = module.data[("aws_iam_policy_document", "function")]
    grants: dict[str, list[str]] = {}
    for statement in blocks(document, "statement"):
        assert statement.get("effect", "Allow") == "Allow"
        for action in statement["actions"]:
            grants[action] = statement["resources"]
    assert grants.pop("s3:GetObject") == ["${local.bucket_arn}/${var.upload_prefix}*"]
    assert grants.pop("s3:GetObjectVersion") == ["${local.bucket_arn}/${var.upload_prefix}*"]
    assert grants.pop("s3:PutObject") == ["${local.results_arn}/${var.results_prefix}*"]
    assert grants.pop("sns:Publish") == ["${aws_sns_topic.results.arn}"]
    for action in ("GetItem", "PutItem", "UpdateItem", "DeleteItem"):
        assert grants.pop(f"dynamodb:{action}") == ["${aws_dynamodb_table.idempotency.arn}"]
    for action in ("ReceiveMessage", "DeleteMessage", "GetQueueAttributes"):
        assert grants.pop(f"sqs:{action}") == ["${aws_sqs_queue.uploads.arn}"]
    assert grants.pop("textract:AnalyzeID") == ["*"]  # AnalyzeID has no resource types
    assert grants.pop("xray:PutTraceSegments") == ["*"]  # X-Ray has no resource scope
    assert grants.pop("xray:PutTelemetryRecords") == ["*"]
    assert set(grants) == {"logs:CreateLogStream", "logs:PutLogEvents"}
    assert all(r == ["${aws_cloudwatch_log_group.function.arn}:*"] for r in grants.values())


def test_readme_shows_init_and_apply_for_every_cloud() -> None:
    readme = (REPO / "infra" / "README.md").read_text(encoding="utf-8")
    for cloud in CLOUDS:
        assert f"cd infra/{cloud}" in readme
    assert readme.count("terraform init && terraform apply") >= len(CLOUDS)
    # every variable of every stack is listed
    for cloud in CLOUDS:
        for name in module_of(cloud).variables:
            assert f"`{name}`" in readme, f"{cloud}: var.{name} missing from infra/README.md"
