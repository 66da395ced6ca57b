"""Each constrained input variable of infra/<cloud>/variables.tf, planned by terraform with
values just inside and just outside the bound cited in provider_facts.VARIABLE_CONSTRAINTS.

Variable validation runs at plan time and needs no provider: the plans run in a scratch module
holding only the stack's variables.tf (it declares nothing but variables), so no provider is
downloaded and nothing is created."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.infra import provider_facts as facts
from tests.infra.infra_hcl import parse_tf

REPO = Path(__file__).resolve().parents[2]
CLOUDS = ("aws", "huaweicloud", "tencentcloud")
CASES = [
    pytest.param(row, value, accepted, id=f"{row.stack}-{row.variable}-{value!r:.20}-{verdict}")
    for row in facts.VARIABLE_CONSTRAINTS
    for accepted, verdict, values in ((True, "ok", row.accept), (False, "refused", row.refuse))
    for value in values
]


def _terraform() -> str:
    terraform = shutil.which("terraform")
    if terraform is None:  # not installable from a package registry; a local extra
        pytest.skip("terraform not on PATH")
    return terraform


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One scratch module per stack: a copy of its variables.tf and nothing else."""
    modules = {}
    for cloud in CLOUDS:
        variables = REPO / "infra" / cloud / "variables.tf"
        assert set(parse_tf(variables.read_text(encoding="utf-8"))) == {"variable"}, cloud
        module = tmp_path_factory.mktemp(cloud)
        shutil.copy(variables, module / "variables.tf")
        modules[cloud] = module
    return modules


def _plan(module: Path, *assignments: str) -> subprocess.CompletedProcess[str]:
    args = [arg for assignment in assignments for arg in ("-var", assignment)]
    return subprocess.run(
        [_terraform(), "plan", "-input=false", "-no-color", "-lock=false", *args],
        cwd=module,
        env={**os.environ, "TF_IN_AUTOMATION": "1", "CHECKPOINT_DISABLE": "1"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _error_messages(cloud: str, variable: str) -> list[str]:
    parsed = parse_tf((REPO / "infra" / cloud / "variables.tf").read_text(encoding="utf-8"))
    (body,) = (b[variable] for b in parsed["variable"] if variable in b)
    return [_flat(validation["error_message"]) for validation in body.get("validation", [])]


def _flat(text: str) -> str:
    """terraform wraps long messages: compare with the line breaks taken out."""
    return " ".join(text.split())


@pytest.mark.parametrize(("row", "value", "accepted"), CASES)
def test_plan_accepts_the_bound_and_refuses_just_outside_it(
    scratch: dict[str, Path], row: facts.VariableConstraint, value: object, accepted: bool
) -> None:
    completed = _plan(scratch[row.stack], f"{row.variable}={value}")
    output = _flat(completed.stdout + completed.stderr)
    if accepted:
        assert completed.returncode == 0, output[-2000:]
        assert "Invalid value for variable" not in output
    else:
        assert completed.returncode != 0, f"{row.variable}={value!r} was accepted"
        assert "Error: Invalid value for variable" in output
        assert f"var.{row.variable} is" in output
        assert any(message in output for message in _error_messages(row.stack, row.variable))


@pytest.mark.parametrize("cloud", CLOUDS)
def test_defaults_pass_their_own_validation(scratch: dict[str, Path], cloud: str) -> None:
    completed = _plan(scratch[cloud])
    assert completed.returncode == 0, completed.stdout[-2000:] + completed.stderr[-2000:]


def test_every_constrained_variable_has_its_validation_and_cases() -> None:
    seen = set()
    for row in facts.VARIABLE_CONSTRAINTS:
        assert (row.stack, row.variable) not in seen, "one row per variable"
        seen.add((row.stack, row.variable))
        assert row.accept and row.refuse, row
        assert _error_messages(row.stack, row.variable), row


def test_huawei_memory_rule_is_the_cited_enumeration() -> None:
    """The HCL list and the facts' tuple are one list: a size added to one fails here."""
    text = (REPO / "infra" / "huaweicloud" / "variables.tf").read_text(encoding="utf-8")
    (listed,) = re.findall(r"contains\(\[([\d, ]+)\], var\.memory_size\)", text)
    assert tuple(int(v) for v in listed.split(",")) == facts.HUAWEI_FGS_MEMORY_MB


def test_aws_log_retention_rule_is_the_cited_enumeration() -> None:
    text = (REPO / "infra" / "aws" / "variables.tf").read_text(encoding="utf-8")
    (listed,) = re.findall(r"contains\(\[([\d, ]+)\], var\.log_retention_days\)", text)
    assert tuple(int(v) for v in listed.split(",")) == facts.CLOUDWATCH_RETENTION_DAYS


# --- the AWS bounds, checked against the provider itself --------------------------------------
#: variable -> (resource type, HCL for one resource with the value, the provider's refusal).
AWS_PROVIDER_PROBES = {
    "memory_size": (
        "aws_lambda_function",
        'function_name = "probe"\n  role = "arn:aws:iam::123456789012:role/probe"\n'
        '  filename = "probe.zip"\n  handler = "app.handler"\n  runtime = "python3.12"\n'
        "  memory_size = {value}",
        "expected memory_size to be in the range (128 - 10240), got {value}",
    ),
    "timeout": (
        "aws_lambda_function",
        'function_name = "probe"\n  role = "arn:aws:iam::123456789012:role/probe"\n'
        '  filename = "probe.zip"\n  handler = "app.handler"\n  runtime = "python3.12"\n'
        "  timeout = {value}",
        "expected timeout to be in the range (1 - 900), got {value}",
    ),
    "log_retention_days": (
        "aws_cloudwatch_log_group",
        'name = "probe"\n  retention_in_days = {value}',
        "expected retention_in_days to be one of",
    ),
    "maximum_concurrency": (
        "aws_lambda_event_source_mapping",
        'function_name = "probe"\n  event_source_arn = "arn:aws:sqs:us-east-1:123456789012:q"\n'
        "  scaling_config {{\n    maximum_concurrency = {value}\n  }}",
        "expected scaling_config.0.maximum_concurrency to be at least (2), got {value}",
    ),
}


def _aws_provider_module(tmp_path: Path, values: dict[str, tuple[object, ...]]) -> Path:
    """One resource per (variable, value), configured with that value, in a module of its own."""
    resources = []
    for variable, probe_values in values.items():
        kind, body, _refusal = AWS_PROVIDER_PROBES[variable]
        for n, value in enumerate(probe_values):
            hcl = body.format(value=value)
            resources.append(f'resource "{kind}" "{variable}_{n}" {{\n  {hcl}\n}}\n')
    module = tmp_path / "probe"
    module.mkdir()
    (module / "main.tf").write_text(
        'terraform {\n  required_providers {\n    aws = { source = "hashicorp/aws" }\n  }\n}\n'
        + "\n".join(resources),
        encoding="utf-8",
    )
    return module


def _validate_with_aws_provider(module: Path) -> subprocess.CompletedProcess[str]:
    terraform = _terraform()
    plugins = Path(os.environ.get("TF_PLUGIN_DIR", "/opt/tf-plugins"))
    if not (plugins / "registry.terraform.io" / "hashicorp" / "aws").is_dir():
        pytest.skip("no hashicorp/aws plugin mirror (TF_PLUGIN_DIR, or /opt/tf-plugins)")
    env = {**os.environ, "TF_IN_AUTOMATION": "1", "CHECKPOINT_DISABLE": "1"}
    init = ["init", "-backend=false", "-input=false", f"-plugin-dir={plugins}"]
    for args in (init, ["validate"]):
        completed = subprocess.run(
            [terraform, *args, "-no-color"],
            cwd=module,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if args[0] == "init":
            assert completed.returncode == 0, completed.stdout[-2000:] + completed.stderr[-2000:]
    return completed


def _aws_rows() -> dict[str, facts.VariableConstraint]:
    return {
        row.variable: row
        for row in facts.VARIABLE_CONSTRAINTS
        if row.stack == "aws" and row.variable in AWS_PROVIDER_PROBES
    }


def test_the_aws_provider_accepts_what_the_variables_accept(tmp_path: Path) -> None:
    """hashicorp/aws (the plugin mirror) validates these arguments offline: every value the
    stack accepts must pass the provider too (whole numbers only: the provider's are ints)."""
    values = {
        name: tuple(v for v in row.accept if isinstance(v, int))
        for name, row in _aws_rows().items()
    }
    completed = _validate_with_aws_provider(_aws_provider_module(tmp_path, values))
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]


def test_the_aws_provider_refuses_the_bounds_the_variables_take_from_it(tmp_path: Path) -> None:
    """Just outside the bound, the provider refuses with its own message (where the stack is
    stricter than the provider, e.g. log retention 0 or concurrency above 1000, the value is
    left out: the provider's bound is then not the cited one)."""
    provider_refuses = {
        "memory_size": (127, 10241),
        "timeout": (0, 901),
        "log_retention_days": (2, 3654),
        "maximum_concurrency": (1,),
    }
    for name, refused in provider_refuses.items():
        assert set(refused) <= set(_aws_rows()[name].refuse), name
    completed = _validate_with_aws_provider(_aws_provider_module(tmp_path, provider_refuses))
    output = _flat(completed.stdout + completed.stderr)
    assert completed.returncode != 0
    for name, refused in provider_refuses.items():
        for value in refused:
            refusal = AWS_PROVIDER_PROBES[name][2].format(value=value)
            assert refusal in output, (name, value)
