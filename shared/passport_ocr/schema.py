"""The JSON Schema of `PassportRecord`, the contract topic consumers code against.

Regenerate the committed copy after changing the record:

    python -m passport_ocr.schema > schema/passport-record.schema.json
"""

from __future__ import annotations

import json
import sys
from typing import Any, Final

from passport_ocr.record import SCHEMA_ID, SCHEMA_VERSION, PassportRecord

DIALECT: Final = "https://json-schema.org/draft/2020-12/schema"


def record_json_schema() -> dict[str, Any]:
    """The schema, with its `$schema` dialect, `$id` and version first."""
    generated = PassportRecord.model_json_schema(mode="serialization")
    head = {
        "$schema": DIALECT,
        "$id": SCHEMA_ID,
        "title": "PassportRecord",
        "x-schema-version": SCHEMA_VERSION,
    }
    return {**head, **{key: value for key, value in generated.items() if key not in head}}


def render() -> str:
    """The schema as committed: two-space indent, keys in model order, trailing newline."""
    return json.dumps(record_json_schema(), indent=2, ensure_ascii=False) + "\n"


def main() -> int:
    sys.stdout.write(render())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
