"""`recognize --format csv`: a header and one row per image, read back by csv.DictReader."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from passport_ocr.mapping import to_record
from passport_ocr.tools.cli.recognize import CSV_COLUMNS, records_csv
from tests import paths


def recognized(sample: str, source: str) -> dict[str, Any]:
    """The document `recognize` prints for an image, around a real mapped record."""
    fmt, _, _ = sample.partition("_")
    answer = json.loads((paths.VENDOR_SAMPLES / sample).read_text(encoding="utf-8"))
    record = to_record(fmt, answer)
    return {
        "source": source,
        "key": f"scans/{source}",
        "outcome": "recognized",
        "status": record.status.value,
        "findings": record.finding_codes(),
        "record": record.model_dump(mode="json"),
        "error": None,
    }


REJECTED: dict[str, Any] = {
    "source": "blank, page.jpg",  # a comma: the cell must be quoted
    "key": "scans/blank, page.jpg",
    "outcome": "rejected",
    "status": None,
    "findings": [],
    "record": None,
    "error": {"code": "provider.not_a_passport", "message": "no MRZ found"},
}


def parse(text: str) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text))
    rows = list(reader)
    return list(reader.fieldnames or []), rows


def test_a_row_per_image_under_stable_column_names() -> None:
    page = recognized("huawei_chn.json", "chn.jpg")
    header, rows = parse(records_csv([page, REJECTED]))
    assert tuple(header) == CSV_COLUMNS
    first, second = rows
    record = page["record"]
    assert (first["source"], first["key"], first["outcome"]) == ("chn.jpg", "scans/chn.jpg",
                                                                 "recognized")  # fmt: skip
    assert first["status"] == record["status"] == "needs_review"
    assert first["status_rule"] == record["status_rule"]
    for column in ("document_number", "nationality", "surname", "birth_date", "expiry_date"):
        assert first[column] == (record[column] or ""), column
    assert first["findings"].split(";") == page["findings"]
    assert first["mrz_valid"] == ""  # the CHN sample has no MRZ
    assert first["error"] == ""
    assert second["source"] == "blank, page.jpg"
    assert (second["outcome"], second["status"], second["error"]) == (
        "rejected",
        "",
        "provider.not_a_passport",
    )


def test_the_mrz_verdict_is_written_as_json_writes_it() -> None:
    page = recognized("tencent_passport.json", "t.jpg")
    (row,) = parse(records_csv([page]))[1]
    assert page["record"]["mrz"]["valid"] is False  # the sample's check digit fails
    assert row["mrz_valid"] == "false" and row["status"] == "invalid"


def test_no_images_is_the_header_alone() -> None:
    assert records_csv([]).splitlines() == [",".join(CSV_COLUMNS)]


def test_a_key_a_spreadsheet_would_run_as_a_formula_stays_text() -> None:
    hostile = {**REJECTED, "source": "=HYPERLINK(\"http://x\")", "key": "@SUM(A1)",
               "error": {"code": "-1+1"}}  # fmt: skip
    (row,) = csv.DictReader(io.StringIO(records_csv([hostile])))
    assert (row["source"], row["key"], row["error"]) == (
        '\'=HYPERLINK("http://x")',
        "'@SUM(A1)",
        "'-1+1",
    )
    (plain,) = csv.DictReader(io.StringIO(records_csv([REJECTED])))
    assert plain["source"] == "blank, page.jpg"  # nothing else is touched


def test_standard_inputs_name_stays_as_written() -> None:
    """`recognize -` names its source `-`, as the JSON does: a sign alone is no formula."""
    (row,) = csv.DictReader(io.StringIO(records_csv([{**REJECTED, "source": "-"}])))
    assert row["source"] == "-"
