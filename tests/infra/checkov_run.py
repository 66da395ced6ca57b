"""Run checkov offline and read its JSON report."""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class CheckovResult:
    passed: list[dict[str, Any]]
    failed: list[dict[str, Any]]
    skipped: list[dict[str, Any]]
    parsing_errors: list[str]


def run_checkov(checkov_bin: Path, *target: str, cwd: Path) -> CheckovResult:
    """`target` is `-f FILE` or `-d DIR`. --skip-download keeps checkov off the network."""
    completed = subprocess.run(
        [str(checkov_bin), *target, "--skip-download", "--compact", "-o", "json"],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    # Exit code 1 means failed checks; anything else non-zero is checkov itself failing.
    if completed.returncode not in (0, 1):
        raise RuntimeError(f"checkov exited {completed.returncode}: {completed.stderr[-2000:]}")
    report = json.loads(completed.stdout)
    reports = report if isinstance(report, list) else [report]
    passed: list[dict[str, Any]] = []
    failed: list[dict[str, Any]] = []
    skipped: list[dict[str, Any]] = []
    errors: list[str] = []
    for one in reports:
        results = one.get("results", {})  # a run with no applicable check has only a summary
        passed += results.get("passed_checks", [])
        failed += results.get("failed_checks", [])
        skipped += results.get("skipped_checks", [])
        errors += results.get("parsing_errors", [])
    return CheckovResult(passed, failed, skipped, errors)


def describe(checks: list[dict[str, Any]]) -> list[str]:
    return [f"{c['check_id']} {c.get('resource')}: {c.get('check_name')}" for c in checks]


def unexplained_skips(checks: list[dict[str, Any]]) -> list[str]:
    """Skipped checks whose inline reason is missing or too short to say anything."""
    return [
        f"{c['check_id']} {c.get('resource')}"
        for c in checks
        if len((c.get("check_result", {}).get("suppress_comment") or "").strip()) < 20
    ]
