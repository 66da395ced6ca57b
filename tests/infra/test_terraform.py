"""infra/<cloud>/*.tf checked offline: parse, references, required arguments, checkov, and
the stack's own contract (least privilege, trigger filters, settings, outputs)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest

from passport_ocr.config import Settings
from tests.infra import provider_facts as facts
from tests.infra.checkov_run import describe, run_checkov, unexplained_skips
from tests.infra.infra_hcl import (
    Module,
    add_to_module,
    blocks,
    load_module,
    missing_arguments,
    parse_tf,
    references,
    unresolved_references,
)

REPO = Path(__file__).resolve().parents[2]
CLOUDS = ("huaweicloud", "tencentcloud", "aws")

# Arguments each resource type needs. Huawei and Tencent: the provider's Required ones, cited
# line by line in provider_facts.REQUIRED (and re-read by test_provider_facts.py), plus the
# ones this product cannot do without (provider_facts.PRODUCT_REQUIRED). AWS: from the
# provider's registry documentation (Argument Reference, "Required"), not re-read here; see
# infra/README.md.
AWS_REQUIRED: dict[str, frozenset[str]] = {
    "aws_s3_bucket": frozenset({"bucket"}),
    "aws_s3_bucket_versioning": frozenset({"bucket", "versioning_configuration"}),
    "aws_s3_bucket_server_side_encryption_configuration": frozenset({"bucket", "rule"}),
    "aws_s3_bucket_public_access_block": frozenset({"bucket"}),
    "aws_s3_bucket_ownership_controls": frozenset({"bucket", "rule"}),
    # bucket Required: internal/service/s3/bucket_lifecycle_configuration.go at commit
    # 01606926a0c0ab9174aec440f976a48b0baee722 (rule: listvalidator.SizeAtLeast(1)).
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
    # Required at hashicorp/aws 5.100.0 (provider_facts.SNAP_START["tf_alias"]).
    "aws_lambda_alias": frozenset({"name", "function_name", "function_version"}),
    "aws_iam_role": frozenset({"assume_role_policy"}),
    "aws_iam_role_policy": frozenset({"role", "policy"}),
}
REQUIRED: dict[str, frozenset[str]] = {
    **AWS_REQUIRED,
    **{
        kind: frozenset(required) | facts.PRODUCT_REQUIRED.get(kind, frozenset())
        for kind, required in facts.REQUIRED.items()
    },
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
    assert {"TOPIC", "UPLOAD_PREFIX", "RESULTS_PREFIX", "PROVIDER", "DELETE_AFTER"} <= names
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


def grants_of(
    listed: list[dict[str, Any]], action: str = "Action", resource: str = "Resource"
) -> dict[str, Any]:
    """action -> resources; an action list given by an expression stays one key."""
    return {
        a: s.get(resource)
        for s in listed
        for a in ([s[action]] if isinstance(s[action], str) else s[action])
    }


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
    assert function["functiongraph_version"] in facts.HUAWEI_FGS_FUNCTIONGRAPH_VERSIONS["values"]


def test_huawei_runtime_is_the_one_the_bundle_is_built_for() -> None:
    runtime = module_of("huaweicloud").variables["runtime"]
    assert runtime["default"] == facts.BUNDLE_RUNTIME["huaweicloud"]
    (validation,) = runtime["validation"]
    assert validation["condition"] == '${var.runtime == "Python3.10"}'


def test_huawei_code_is_read_from_the_bucket_domain_and_not_re_uploaded() -> None:
    module = module_of("huaweicloud")
    (code,) = module.of_type("huaweicloud_obs_bucket_object").values()
    # Under SSE-KMS the ETag is not the file's MD5 (provider_facts.HUAWEI_OBJECT_ETAG_UNDER_SSE).
    assert "etag" not in code
    assert "local.bundle_md5" in module.locals["code_key"]  # a new bundle is a new key
    (function,) = module.of_type("huaweicloud_fgs_function").values()
    assert function["code_url"] == (
        "https://${huaweicloud_obs_bucket.uploads.bucket_domain_name}/"
        "${huaweicloud_obs_bucket_object.code.key}"
    )
    assert "obs_endpoint" not in module.variables


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


def test_huawei_agency_grants_what_the_function_does() -> None:
    module = module_of("huaweicloud")
    locals_ = module.locals
    obj = "${local.obs_object}"
    assert locals_["obs_object"] == "obs:*:*:object:${huaweicloud_obs_bucket.uploads.bucket}"
    grants = grants_of(locals_["obs_statements"])
    upload = [f"{obj}/${{var.upload_prefix}}*"]
    assert grants == {
        "obs:object:GetObject": upload,
        "obs:object:GetObjectVersion": upload,  # the event's versionId is read
        "obs:object:PutObject": [
            f"{obj}/${{var.results_prefix}}*",
            f"{obj}/${{var.failure_prefix}}*",
        ],
    }
    # DeleteObject only with delete_after = "recognized", on the upload prefix only.
    assert grants_of(locals_["obs_delete_statements"]) == {"obs:object:DeleteObject": upload}
    assert locals_["obs_policy"]["Statement"] == (
        '${concat(local.obs_statements, var.delete_after == "recognized" ? '
        "local.obs_delete_statements : [])}"
    )
    assert locals_["regional_policy"]["Statement"] == (
        '${concat(local.regional_statements, var.vendor_secret_name == "" ? [] : '
        "local.csms_statements)}"
    )
    regional = grants_of(locals_["regional_statements"])
    assert regional.pop("smn:topic:publish") == [
        "smn:*:*:topic:${huaweicloud_smn_topic.results.name}"
    ]
    # The bucket is SSE-KMS: every read and write needs the data key.
    (bucket,) = module.of_type("huaweicloud_obs_bucket").values()
    assert bucket["sse_algorithm"] == "kms"
    for action in ("kms:cmk:get", "kms:cmk:list", "kms:dek:create", "kms:dek:crypto"):
        assert action in regional, action
    assert "${var.ocr_actions}" in regional
    assert module.variables["ocr_actions"]["default"] == ["ocr:*:*"]
    (agency,) = module.of_type("huaweicloud_identity_agency").values()
    assert agency["delegated_service_name"] == facts.HUAWEI_FUNCTIONGRAPH_AGENCY_SERVICE[0]
    assert references(agency) == {
        "huaweicloud_identity_role.regional",
        "huaweicloud_identity_role.obs_access",
        "var.name",
        "var.region",
    }


def test_every_action_granted_is_a_cited_action() -> None:
    huawei = module_of("huaweicloud")
    granted: set[str] = set(huawei.variables["ocr_actions"]["default"])
    for name in ("obs_statements", "obs_delete_statements"):
        granted |= set(grants_of(huawei.locals[name]))
    for name in ("regional_statements", "csms_statements"):
        granted |= {a for a in grants_of(huawei.locals[name]) if ":" in a}
    assert granted - set(facts.HUAWEI_IAM_ACTIONS) == set()
    tencent = module_of("tencentcloud")
    granted = set()
    for name in ("function_statements", "delete_statements", "vendor_secret_statements"):
        granted |= set(grants_of(tencent.locals[name], "action", "resource"))
    granted |= set(tencent.locals["assume_role"]["statement"][0]["action"])
    policy = tencent.of_type("tencentcloud_cos_bucket_policy")["tls_only"]["policy"]
    granted |= set(re.findall(r'"(name/[a-z]+:[A-Za-z*]+)"', policy))
    assert granted - set(facts.TENCENT_CAM_ACTIONS) == set()
    aws = module_of("aws")
    granted = set()
    document = aws.data[("aws_iam_policy_document", "function")]
    for statement in blocks(document, "statement"):
        granted |= set(statement["actions"])
    for dynamic in document.get("dynamic", []):
        for content in dynamic["statement"]["content"]:
            granted |= set(content["actions"])
    assert granted - set(facts.AWS_ACTIONS) == set()


# --- Tencent Cloud --------------------------------------------------------------------------


def test_tencent_cos_trigger_names_the_bare_bucket() -> None:
    """The provider appends `.cos.<cos_region>.myqcloud.com` to the trigger's name itself
    (provider_facts.TENCENT_COS_TRIGGER_NAME): the stack passes the bucket id alone."""
    module = module_of("tencentcloud")
    (function,) = module.of_type("tencentcloud_scf_function").values()
    assert function["handler"] == "index.main_handler"
    (trigger,) = blocks(function, "triggers")
    assert trigger["type"] == "cos"
    assert trigger["name"] == "${tencentcloud_cos_bucket.uploads.bucket}"
    suffix = facts.TENCENT_COS_TRIGGER_NAME["rewrite"].removeprefix("{name}").split("{")[0]
    assert suffix == ".cos."
    assert "myqcloud.com" not in trigger["name"]
    assert trigger["cos_region"] == "${var.region}"
    desc = trigger["trigger_desc"]
    assert "cos:ObjectCreated:*" in desc
    assert "Prefix = var.upload_prefix" in desc
    assert "Suffix = var.upload_suffix" in desc
    (retry,) = module.of_type("tencentcloud_scf_function_event_invoke_config").values()
    (config,) = blocks(retry, "async_trigger_config")
    (retry_config,) = blocks(config, "retry_config")
    assert retry_config["retry_num"] == "${var.retry_num}"


def test_tencent_code_object_name_starts_with_a_slash() -> None:
    module = module_of("tencentcloud")
    (function,) = module.of_type("tencentcloud_scf_function").values()
    name = function["cos_object_name"]
    assert name.startswith(facts.TENCENT_SCF_COS_OBJECT_NAME["starts_with"])
    assert name == "/${tencentcloud_cos_bucket_object.code.key}"
    (code,) = module.of_type("tencentcloud_cos_bucket_object").values()
    assert code["key"].endswith(facts.TENCENT_SCF_COS_OBJECT_NAME["suffixes"])
    assert not code["key"].startswith("/")  # a COS key; the slash is SCF's path syntax
    runtime = module.variables["runtime"]
    assert runtime["default"] == facts.BUNDLE_RUNTIME["tencentcloud"]
    (validation,) = runtime["validation"]
    assert validation["condition"] == '${var.runtime == "Python3.10"}'


def test_tencent_role_grants_what_the_function_does() -> None:
    module = module_of("tencentcloud")
    assume = module.locals["assume_role"]["statement"]
    assert assume == [
        {
            "action": ["name/sts:AssumeRole"],
            "effect": "allow",
            "principal": {"service": ["scf.qcloud.com"]},
        }
    ]
    upload = ["${local.cos_resource}/${var.upload_prefix}*"]
    assert grants_of(module.locals["function_statements"], "action", "resource") == {
        "name/cos:GetObject": upload,
        "name/cos:HeadObject": upload,  # the function heads the object first
        "name/cos:PutObject": ["${local.cos_resource}/${var.results_prefix}*"],
        "name/ocr:PassportOCR": ["*"],
        "name/ocr:MLIDPassportOCR": ["*"],
        "name/tdmq:PublishCmqMsg": [
            "qcs::tdmq:${var.region}:uin/${data.tencentcloud_user_info.current.owner_uin}"
            ":cmqtopic/${tencentcloud_tcmq_topic.results.topic_name}"
        ],
    }
    assert grants_of(module.locals["delete_statements"], "action", "resource") == {
        "name/cos:DeleteObject": upload
    }
    assert module.locals["function_policy"]["statement"] == (
        '${concat(local.function_statements, var.delete_after == "recognized" ? '
        'local.delete_statements : [], var.vendor_secret_name == "" ? [] : '
        "local.vendor_secret_statements)}"
    )


# --- retention, deletion and transport, every cloud ---------------------------------------


def test_retention_variables_are_on_by_default(cloud: str) -> None:
    variables = module_of(cloud).variables
    assert variables["upload_retention_days"]["default"] == 30
    assert variables["results_retention_days"]["default"] == 90
    assert 1 <= variables["noncurrent_version_days"]["default"] <= 30
    assert variables["delete_after"]["default"] == "never"
    for name in ("upload_retention_days", "results_retention_days", "noncurrent_version_days"):
        (validation,) = variables[name]["validation"]
        assert f"var.{name} >= 1" in validation["condition"]


def test_scans_and_records_expire_with_their_versions(cloud: str) -> None:
    module = module_of(cloud)
    if cloud == "aws":
        (config,) = module.of_type("aws_s3_bucket_lifecycle_configuration").values()
        by_prefix = {}
        for rule in blocks(config, "rule"):
            assert rule["status"] == "Enabled"
            (filter_,) = blocks(rule, "filter")
            if "abort_incomplete_multipart_upload" in rule:  # the bucket-wide cleanup rule
                assert filter_ == {"__is_block__": True}
                assert "expiration" not in rule
                continue
            (expiration,) = blocks(rule, "expiration")
            (noncurrent,) = blocks(rule, "noncurrent_version_expiration")
            assert noncurrent["noncurrent_days"] == "${var.noncurrent_version_days}"
            by_prefix[filter_["prefix"]] = expiration["days"]
        assert by_prefix == {
            "${var.upload_prefix}": "${var.upload_retention_days}",
            "${var.results_prefix}": "${var.results_retention_days}",
        }
        return
    listed: list[dict[str, Any]] = module.locals["lifecycle"]
    rules = {r["prefix"]: r["days"] for r in listed}
    assert rules["${var.upload_prefix}"] == "${var.upload_retention_days}"
    assert rules["${var.results_prefix}"] == "${var.results_retention_days}"
    assert rules["${var.code_prefix}"] is None  # code: only superseded versions expire
    kind, block, prefix_key, noncurrent, days = {
        "huaweicloud": (
            "huaweicloud_obs_bucket",
            "lifecycle_rule",
            "prefix",
            "noncurrent_version_expiration",
            "days",
        ),
        "tencentcloud": (
            "tencentcloud_cos_bucket",
            "lifecycle_rules",
            "filter_prefix",
            "non_current_expiration",
            "non_current_days",
        ),
    }[cloud]
    (bucket,) = module.of_type(kind).values()
    (dynamic,) = bucket["dynamic"]
    assert dynamic[block]["for_each"] == "${local.lifecycle}"
    (content,) = dynamic[block]["content"]
    assert content[prefix_key] == f"${{{block}.value.prefix}}"
    (expiration,) = content["dynamic"]
    assert expiration["expiration"]["content"][0]["days"] == "${expiration.value}"
    (version_rule,) = blocks(content, noncurrent)
    assert version_rule[days] == "${var.noncurrent_version_days}"


def test_delete_after_is_passed_only_when_enabled(cloud: str) -> None:
    environment = module_of(cloud).locals["environment"]
    assert (
        'var.delete_after == "recognized" ? { PASSPORT_OCR_DELETE_AFTER = "recognized" } : {}'
        in environment.replace("{PASSPORT", "{ PASSPORT").replace('"}', '" }')
    )


def test_aws_delete_grant_is_conditional_and_on_the_upload_prefix() -> None:
    document = module_of("aws").data[("aws_iam_policy_document", "function")]
    (dynamic,) = [
        d
        for d in document["dynamic"]
        if d["statement"]["content"][0]["sid"] == "DeleteRecognizedUploads"
    ]
    assert dynamic["statement"]["for_each"] == '${var.delete_after == "recognized" ? [1] : []}'
    (content,) = dynamic["statement"]["content"]
    assert content["actions"] == ["s3:DeleteObject"]
    assert content["resources"] == ["${local.bucket_arn}/${var.upload_prefix}*"]


def test_obs_and_cos_buckets_refuse_plain_http() -> None:
    huawei = module_of("huaweicloud")
    (policy,) = huawei.of_type("huaweicloud_obs_bucket_policy").values()
    assert policy["count"] == "${var.enforce_tls ? 1 : 0}"
    assert huawei.variables["enforce_tls"]["default"] is True
    text = policy["policy"]
    assert 'Effect = "Deny"' in text
    assert 'Action = ["*"]' in text
    condition_key = next(iter(facts.HUAWEI_OBS_CONDITIONS))
    assert f'Condition = {{Bool = {{{condition_key} = ["false"]}}}}' in text
    tencent = module_of("tencentcloud")
    (policy,) = tencent.of_type("tencentcloud_cos_bucket_policy").values()
    assert policy["count"] == "${var.enforce_tls ? 1 : 0}"
    assert tencent.variables["enforce_tls"]["default"] is True
    text = policy["policy"]
    assert 'effect = "deny"' in text
    assert 'principal = {qcs = ["qcs::cam::anyone:anyone"]}' in text
    condition_key = next(iter(facts.TENCENT_COS_CONDITIONS))
    assert f'"{condition_key}" = "false"' in text


# --- AWS --------------------------------------------------------------------------------------


def test_aws_stack_matches_the_serverless_service() -> None:
    module = module_of("aws")
    (function,) = module.of_type("aws_lambda_function").values()
    assert function["runtime"] == "${local.runtime}"
    assert module.locals["runtime"] == "python3.12"
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


# --- AWS: SnapStart ---------------------------------------------------------------------------


def test_aws_snap_start_is_off_by_default_and_wires_a_published_version() -> None:
    """`snap_start` publishes a version with SnapStart on it and feeds the queue to its alias
    (SnapStart restores published versions only: provider_facts.SNAP_START)."""
    module = module_of("aws")
    variable = module.variables["snap_start"]
    assert (variable["type"], variable["default"]) == ("bool", False)
    function = module.of_type("aws_lambda_function")["ocr"]
    assert function["publish"] == "${var.snap_start}"
    (dynamic,) = [d["snap_start"] for d in function["dynamic"] if "snap_start" in d]
    assert dynamic["for_each"] == "${var.snap_start ? [1] : []}"
    (content,) = dynamic["content"]
    assert content["apply_on"] == facts.SNAP_START["apply_on_values"][0][0]  # PublishedVersions
    alias = module.of_type("aws_lambda_alias")["live"]
    assert alias["count"] == "${var.snap_start ? 1 : 0}"
    assert alias["function_version"] == "${aws_lambda_function.ocr.version}"
    mapping = module.of_type("aws_lambda_event_source_mapping")["uploads"]
    assert mapping["function_name"] == (
        "${var.snap_start ? aws_lambda_alias.live[0].arn : aws_lambda_function.ocr.arn}"
    )
    assert "aws_lambda_alias.live[0].arn" in module.outputs["function_alias_arn"]["value"]


def test_aws_snap_start_precondition_is_snap_starts_python_floor() -> None:
    (lifecycle,) = module_of("aws").of_type("aws_lambda_function")["ocr"]["lifecycle"]
    (precondition,) = lifecycle["precondition"]
    major, minor = facts.SNAP_START["lowest_python"][0]
    condition = precondition["condition"]
    assert condition.startswith("${!var.snap_start || ")
    assert f"local.runtime_python[0] == {major} && local.runtime_python[1] >= {minor}" in condition


def _terraform_with_aws_provider() -> tuple[str, Path]:
    """terraform and a local mirror of hashicorp/aws (`terraform init -plugin-dir`): the
    registry is not reachable from the tests. TF_PLUGIN_DIR, or /opt/tf-plugins."""
    terraform = shutil.which("terraform")
    plugins = Path(os.environ.get("TF_PLUGIN_DIR", "/opt/tf-plugins"))
    if terraform is None or not (plugins / "registry.terraform.io" / "hashicorp" / "aws").is_dir():
        pytest.skip("terraform or a hashicorp/aws plugin mirror (TF_PLUGIN_DIR) not available")
    return terraform, plugins


def _stack_copy(tmp_path: Path, runtime: str | None = None) -> Path:
    """infra/aws and its tests in `tmp_path` (init writes .terraform/ there), with an empty
    zip as the bundle; `runtime` replaces the stack's Python."""
    stack = tmp_path / "aws"
    shutil.copytree(REPO / "infra" / "aws", stack, ignore=shutil.ignore_patterns(".terraform*"))
    if runtime is not None:
        main = stack / "main.tf"
        text = main.read_text(encoding="utf-8")
        assert text.count('runtime = "python3.12"') == 1
        main.write_text(text.replace('runtime = "python3.12"', f'runtime = "{runtime}"'))
    with zipfile.ZipFile(stack / "bundle.zip", "w") as bundle:
        bundle.writestr("app.py", "")
    return stack


def _terraform_test(stack: Path) -> subprocess.CompletedProcess[str]:
    terraform, plugins = _terraform_with_aws_provider()
    env = {**os.environ, "TF_IN_AUTOMATION": "1", "CHECKPOINT_DISABLE": "1"}
    for args in (
        ["init", "-backend=false", "-input=false", f"-plugin-dir={plugins}"],
        ["test", "-var", "bundle_path=bundle.zip"],
    ):
        completed = subprocess.run(
            [terraform, *args, "-no-color"],
            cwd=stack,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if completed.returncode != 0:
            return completed
    return completed


def test_aws_snap_start_under_terraform_test(tmp_path: Path) -> None:
    """infra/aws/tests/snap_start.tftest.hcl: off, then on (mocked provider, nothing created)."""
    _terraform_with_aws_provider()
    completed = _terraform_test(_stack_copy(tmp_path))
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    assert "2 passed, 0 failed" in completed.stdout


#: The stack's tests with their mocked provider but one run: SnapStart on, refused at plan.
PRECONDITION_RUN = """
run "snap_start_refused" {
  command = plan
  variables {
    snap_start = true
  }
  expect_failures = [aws_lambda_function.ocr]
}
"""


def test_aws_snap_start_refuses_a_python_older_than_3_12(tmp_path: Path) -> None:
    _terraform_with_aws_provider()
    stack = _stack_copy(tmp_path, runtime="python3.11")
    tests = stack / "tests" / "snap_start.tftest.hcl"
    mocks = tests.read_text(encoding="utf-8").split('\nrun "')[0]
    tests.write_text(mocks + PRECONDITION_RUN, encoding="utf-8")
    completed = _terraform_test(stack)
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    assert "1 passed, 0 failed" in completed.stdout
