"""Each stack's runtime is the Python its bundle is compiled for: one place decides it
(`passport_ocr.clouds`, read by `tools/bundle.py`), and every stack must agree with it."""

from __future__ import annotations

import re
from pathlib import Path

from passport_ocr.clouds import CLOUDS
from passport_ocr.tools.bundle import SPECS
from tests.infra.infra_hcl import load_module

REPO = Path(__file__).resolve().parents[2]


def _python(cloud: str) -> str:
    python = CLOUDS[cloud].python  # type: ignore[index]
    assert python is not None and SPECS[cloud].python == python
    return python


def test_functiongraph_and_scf_stacks_allow_exactly_the_bundles_python() -> None:
    for cloud in ("huaweicloud", "tencentcloud"):
        runtime = load_module(REPO / "infra" / cloud).variables["runtime"]
        expected = f"Python{_python(cloud)}"
        assert runtime["default"] == expected, cloud
        (rule,) = runtime["validation"]
        # The validation admits that one value and no other (a 3.12 runtime with a 3.10
        # bundle would fail at import).
        assert re.findall(r'"(Python[0-9.]+)"', str(rule["condition"])) == [expected], cloud


def test_both_lambda_stacks_run_the_bundles_python() -> None:
    expected = f"python{_python('aws')}"
    serverless = (REPO / "serverless.yml").read_text(encoding="utf-8")
    assert re.findall(r"^\s+runtime: (\S+)", serverless, flags=re.MULTILINE) == [expected]
    main = (REPO / "infra" / "aws" / "main.tf").read_text(encoding="utf-8")
    assert re.findall(r'runtime\s+=\s+"([^"]+)"', main) == [expected]
