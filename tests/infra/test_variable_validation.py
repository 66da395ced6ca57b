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
