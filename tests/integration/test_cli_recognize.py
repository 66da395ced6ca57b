"""`passport-ocr recognize`: the offline engine on the bundled specimens, through `main`."""

from __future__ import annotations

import csv
import io
import json
from importlib import resources
from pathlib import Path

import pytest

from passport_ocr.tools.cli import main
from passport_ocr.tools.cli.recognize import CSV_COLUMNS

pytestmark = pytest.mark.slow  # the offline engine loads its models once per process

SPECIMENS = Path(str(resources.files("passport_ocr.tools") / "data" / "specimens"))
TRUTH = {
    image["file"]: image
    for image in json.loads((SPECIMENS / "ground_truth.json").read_text())["images"]
}


def test_json_output_has_a_record_per_readable_image_and_exits_1_for_a_rejected_one(
    capsys: pytest.CaptureFixture[str],
) -> None:
    clean, blank = SPECIMENS / "clean-page.jpg", SPECIMENS / "no-mrz.jpg"
    code = main(["recognize", str(clean), str(blank), "--today", "2026-01-01"])
    out = capsys.readouterr().out
    docs = json.loads(out)

    assert code == 1
    assert [doc["source"] for doc in docs] == [str(clean), str(blank)]
    recognized, rejected = docs
    assert recognized["outcome"] == "recognized"
    assert list(recognized["record"]["mrz"]["lines"]) == TRUTH["clean-page.jpg"]["mrz_lines"]
    assert recognized["record"]["mrz"]["valid"] is True
    assert recognized["record"]["source"]["vendor"] == "local"
    assert recognized["status"] == recognized["record"]["status"]
    assert rejected["outcome"] == "rejected" and rejected["record"] is None
    assert rejected["error"]["code"] == "provider.not_a_passport"
    assert "no MRZ found" in rejected["error"]["message"]


def test_jsonl_and_table_formats_and_exit_0_when_every_image_is_read(
    capsys: pytest.CaptureFixture[str],
) -> None:
    page = SPECIMENS / "upside-down.jpg"
    assert main(["recognize", str(page), "--format", "jsonl"]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    doc = json.loads(line)
    assert list(doc["record"]["mrz"]["lines"]) == TRUTH["upside-down.jpg"]["mrz_lines"]

    assert main(["recognize", str(page), "--format", "table"]) == 0
    header, rule, row = capsys.readouterr().out.splitlines()
    assert header.split()[:4] == ["FILE", "OUTCOME", "STATUS", "DOCUMENT"]
    assert set(rule.replace(" ", "")) == {"-"}
    assert row.startswith(str(page))
    assert doc["record"]["document_number"] in row and doc["record"]["surname"] in row


def test_a_missing_file_is_one_line_on_stderr_and_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    missing = tmp_path / "nope.jpg"
    assert main(["recognize", str(SPECIMENS / "clean-page.jpg"), str(missing)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert (
        captured.err == f"passport-ocr: error: cannot read {missing}: No such file or directory\n"
    )
    assert main(["recognize", str(tmp_path)]) == 2
    assert "is a folder: to read every image in it" in capsys.readouterr().err


def test_debug_shows_the_traceback_instead(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        main(["recognize", str(tmp_path / "nope.jpg"), "--debug"])


def test_a_cloud_provider_without_credentials_is_one_clear_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK", "HUAWEICLOUD_SDK_PROJECT_ID",
                 "RUNTIME_PROJECT_ID", "PASSPORT_OCR_HUAWEI_PROJECT_ID"):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    code = main(["recognize", str(SPECIMENS / "clean-page.jpg"), "--provider", "huawei"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("passport-ocr: error: ") and err.count("\n") == 1
    assert "Traceback" not in err
    assert "HUAWEICLOUD_SDK" in err or "project id" in err


def test_csv_format_has_the_json_s_values_row_by_row(capsys: pytest.CaptureFixture[str]) -> None:
    images = [str(SPECIMENS / "upside-down.jpg"), str(SPECIMENS / "no-mrz.jpg")]
    assert main(["recognize", *images, "--format", "jsonl"]) == 1
    documents = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert main(["recognize", *images, "--format", "csv"]) == 1
    reader = csv.DictReader(io.StringIO(capsys.readouterr().out))
    rows = list(reader)
    assert tuple(reader.fieldnames or ()) == CSV_COLUMNS
    assert [row["source"] for row in rows] == images
    read, rejected = rows
    record = documents[0]["record"]
    assert read["key"] == documents[0]["key"] and read["outcome"] == "recognized"
    assert (read["document_number"], read["surname"]) == (
        record["document_number"],
        record["surname"],
    )
    assert read["mrz_valid"] == "true"
    assert (rejected["outcome"], rejected["error"]) == ("rejected", "provider.not_a_passport")
