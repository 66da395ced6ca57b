"""The command-line tools the infrastructure tests drive, installed by scripts/install-tools.sh.

A missing tool skips its tests with the reason, except in CI (`CI` set), where it fails them:
CI runs install-tools.sh, so a missing tool there is a broken setup, not an option.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
TOOLS = REPO / ".tools"


def _find_tool(env_var: str, installed: Path, name: str) -> Path:
    candidates = [os.environ.get(env_var), str(installed), shutil.which(name)]
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return Path(candidate)
    reason = (
        f"{name} not found (${env_var}, {installed}, PATH): run `source scripts/install-tools.sh`"
    )
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def checkov_bin() -> Path:
    return _find_tool("CHECKOV_BIN", TOOLS / "checkov-venv" / "bin" / "checkov", "checkov")


@pytest.fixture(scope="session")
def osls_bin() -> Path:
    return _find_tool("OSLS_BIN", TOOLS / "node" / "node_modules" / ".bin" / "osls", "osls")


@pytest.fixture(scope="session")
def cfn_lint_bin() -> Path:
    # cfn-lint is a project dev dependency: it sits next to the interpreter running the tests.
    return _find_tool("CFN_LINT_BIN", Path(sys.executable).parent / "cfn-lint", "cfn-lint")
