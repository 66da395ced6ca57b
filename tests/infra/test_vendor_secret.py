"""Issue 12 section 3 in the stacks: the vendor secret's variable, setting and one read grant.

Each stack takes the secret as a variable (default empty), passes it as
PASSPORT_OCR_VENDOR_SECRET only when set, and grants reading it only then. Huawei and
Tencent are evaluated with the policy reader the stubs use in policy mode
(`tests/stubs/policy.py`), so the grant is checked against what `tests/stubs/csms.py` and
`tests/stubs/ssm.py` require of a read; AWS's statements are read from the HCL and from the
template `osls package` makes of serverless.yml.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from passport_ocr.config import Settings
from tests.conftest import (
    HUAWEI_PROJECT,
    HUAWEI_TF_VARIABLES,
    TENCENT_OWNER_UIN,
    TENCENT_REGION,
    TENCENT_TF_KNOWN,
    TENCENT_TF_VARIABLES,
)
from tests.infra.test_serverless import FUNCTION, package
from tests.infra.test_terraform import blocks, module_of
from tests.stubs.csms import csms_requirements
from tests.stubs.policy import huawei_agency_policy, tencent_role_policy
from tests.stubs.ssm import ssm_requirements

CLOUDS_AND_VARIABLES = {
    "aws": ("vendor_secret_arn",),
    "huaweicloud": ("vendor_secret_name",),
    "tencentcloud": ("vendor_secret_name", "vendor_secret_version"),
}
SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:passport-ocr/tencent-AbCdEf"
PARAMETER_ARN = "arn:aws:ssm:eu-west-1:123456789012:parameter/passport-ocr/tencent"
KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"


@pytest.mark.parametrize("cloud", sorted(CLOUDS_AND_VARIABLES))
def test_the_secret_is_a_variable_and_a_setting_set_only_when_given(cloud: str) -> None:
    module = module_of(cloud)
    first = CLOUDS_AND_VARIABLES[cloud][0]
    assert module.variables[first]["default"] == ""
    environment = module.locals["environment"]
    assert f'var.{first} == "" ? {{}} :' in environment
    assert "PASSPORT_OCR_VENDOR_SECRET" in environment
    assert "vendor_secret" in Settings.model_fields


def test_huawei_agency_may_read_the_secret_only_when_one_is_named() -> None:
    needed = csms_requirements("cn-north-4", HUAWEI_PROJECT, "passport-ocr-tencent")
    without, _ = huawei_agency_policy(HUAWEI_TF_VARIABLES)
    assert without.missing(needed) == needed[0]
    named = {**HUAWEI_TF_VARIABLES, "vendor_secret_name": "passport-ocr-tencent"}
    policy, _ = huawei_agency_policy(named)
    assert policy.missing(needed) is None
    assert policy.allows("kms:dek:decrypt", "*")
    # Nothing else of CSMS: no listing, no writing.
    assert not policy.allows("csms:secret:list", "*")
    assert not policy.allows("csms:secretVersion:create", "*")


def test_tencent_role_may_read_that_one_secret_only_when_one_is_named() -> None:
    needed = ssm_requirements(TENCENT_REGION, TENCENT_OWNER_UIN, "100000000002", "ocr-key")
    without, _ = tencent_role_policy(TENCENT_TF_VARIABLES, TENCENT_TF_KNOWN)
    assert without.missing(needed) == needed[0]
    named = {**TENCENT_TF_VARIABLES, "vendor_secret_name": "ocr-key"}
    policy, _ = tencent_role_policy(named, TENCENT_TF_KNOWN)
    assert policy.missing(needed) is None
    # Whoever created it; but no other secret, and no other region.
    assert (
        policy.missing(ssm_requirements(TENCENT_REGION, TENCENT_OWNER_UIN, "1", "ocr-key")) is None
    )
    assert policy.missing(ssm_requirements(TENCENT_REGION, TENCENT_OWNER_UIN, "1", "other"))
    assert policy.missing(ssm_requirements("ap-beijing", TENCENT_OWNER_UIN, "1", "ocr-key"))


def _dynamic(sid: str) -> dict[str, Any]:
    document = module_of("aws").data[("aws_iam_policy_document", "function")]
    (found,) = [d for d in document["dynamic"] if d["statement"]["content"][0]["sid"] == sid]
    return dict(found["statement"])


def test_aws_grants_one_read_action_on_that_arn_by_its_service() -> None:
    module = module_of("aws")
    assert module.locals["vendor_secret_service"] == (
        '${var.vendor_secret_arn == "" ? "" : split(":", var.vendor_secret_arn)[2]}'
    )
    secret = _dynamic("ReadVendorSecret")
    assert secret["for_each"] == '${local.vendor_secret_service == "secretsmanager" ? [1] : []}'
    assert secret["content"][0]["actions"] == ["secretsmanager:GetSecretValue"]
    assert secret["content"][0]["resources"] == ["${var.vendor_secret_arn}"]
    parameter = _dynamic("ReadVendorParameter")
    assert parameter["for_each"] == '${local.vendor_secret_service == "ssm" ? [1] : []}'
    assert parameter["content"][0]["actions"] == ["ssm:GetParameter"]
    assert parameter["content"][0]["resources"] == ["${var.vendor_secret_arn}"]
    decrypt = _dynamic("DecryptVendorSecret")
    assert "var.vendor_secret_kms_key_arn" in decrypt["for_each"]
    (content,) = decrypt["content"]
    assert content["actions"] == ["kms:Decrypt"]
    assert content["resources"] == ["${var.vendor_secret_kms_key_arn}"]
    (condition,) = blocks(content, "condition")
    assert condition["variable"] == "kms:ViaService"


# -- serverless.yml ------------------------------------------------------------------------------


def test_serverless_default_grants_nothing_and_sets_nothing(template: dict[str, Any]) -> None:
    policy = template["Resources"]["VendorSecretPolicy"]
    assert policy["Condition"] == "HasVendorSecret"
    assert template["Parameters"]["VendorSecretParameter"]["Default"] == ""
    env = template["Resources"][FUNCTION]["Properties"]["Environment"]["Variables"]
    assert env["PASSPORT_OCR_VENDOR_SECRET"] == {
        "Fn::If": ["HasVendorSecret", {"Ref": "VendorSecretParameter"}, {"Ref": "AWS::NoValue"}]
    }


@pytest.mark.parametrize(
    ("arn", "key"),
    [(SECRET_ARN, ""), (PARAMETER_ARN, KEY_ARN)],
)
def test_serverless_param_grants_that_arn_only(
    osls_bin: Path, cfn_lint_bin: Path, tmp_path: Path, arn: str, key: str
) -> None:
    params = [f"vendorSecretArn={arn}", "provider=tencent"]
    if key:
        params.append(f"vendorSecretKmsKeyArn={key}")
    path = package(osls_bin, tmp_path, *params)
    template = json.loads(path.read_text(encoding="utf-8"))
    assert template["Parameters"]["VendorSecretParameter"]["Default"] == arn
    assert template["Parameters"]["VendorSecretKmsKeyParameter"]["Default"] == key
    read, decrypt = template["Resources"]["VendorSecretPolicy"]["Properties"]["PolicyDocument"][
        "Statement"
    ]
    assert read["Action"] == {
        "Fn::If": ["VendorSecretInSsm", "ssm:GetParameter", "secretsmanager:GetSecretValue"]
    }
    assert read["Resource"] == {"Ref": "VendorSecretParameter"}
    assert decrypt["Fn::If"][0] == "HasVendorSecretKey"
    assert decrypt["Fn::If"][1]["Action"] == "kms:Decrypt"
    # CloudFormation chooses the action by the ARN's third field, as the function does.
    condition = template["Conditions"]["VendorSecretInSsm"]["Fn::Equals"]
    assert condition[1] == "ssm"
    assert condition[0]["Fn::Select"][0] == 2
    completed = subprocess.run(
        [str(cfn_lint_bin), str(path)], capture_output=True, text=True, check=False
    )
    assert completed.returncode == 0, completed.stdout


@pytest.fixture(scope="module")
def template(osls_bin: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    path = package(osls_bin, tmp_path_factory.mktemp("sls"))
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded
