"""The committed JSON Schema is exactly what the model generates, and it validates records."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date

import pytest

from passport_ocr.mapping import to_record
from passport_ocr.record import SCHEMA_ID, SCHEMA_VERSION
from passport_ocr.schema import record_json_schema, render
from tests import paths

ROOT = paths.REPO
COMMITTED = ROOT / "schema" / "passport-record.schema.json"
SAMPLES = paths.VENDOR_SAMPLES
REGENERATE = "python -m passport_ocr.schema > schema/passport-record.schema.json"


def test_committed_schema_matches_the_model() -> None:
    assert COMMITTED.read_text(encoding="utf-8") == render(), (
        f"schema/passport-record.schema.json is stale; regenerate it with: {REGENERATE}"
    )


def test_schema_carries_id_and_version() -> None:
    schema = record_json_schema()
    assert schema["$id"] == SCHEMA_ID
    assert schema["x-schema-version"] == SCHEMA_VERSION
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert SCHEMA_VERSION in SCHEMA_ID
    assert schema["properties"]["schema_version"]["const"] == SCHEMA_VERSION
    assert {"status", "status_rule", "source"} <= set(schema["required"])


def test_module_prints_the_schema() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "passport_ocr.schema"], capture_output=True, text=True, check=True
    )
    assert json.loads(result.stdout) == record_json_schema()


def test_records_satisfy_the_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")  # installed with cfn-lint (dev extra)
    schema = record_json_schema()
    raw = json.loads((SAMPLES / "tencent_legacy.json").read_text(encoding="utf-8"))
    record = to_record("tencent-legacy", raw, today=date(2026, 11, 21))
    jsonschema.Draft202012Validator(schema).validate(record.model_dump(mode="json"))
    broken = record.model_dump(mode="json") | {"status": "fine"}
    assert not jsonschema.Draft202012Validator(schema).is_valid(broken)
