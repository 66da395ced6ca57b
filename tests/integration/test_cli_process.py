"""`passport-ocr process`: a folder and an S3 prefix (moto) with the offline engine."""

from __future__ import annotations

import json
import shutil
from importlib import resources
from pathlib import Path

import pytest

from passport_ocr.tools.batch.results import FolderWriter, read_jsonl
from passport_ocr.tools.cli import main
from passport_ocr.tools.cli.process import default_workers
from tests.moto_helpers import REGION, Moto

pytestmark = pytest.mark.slow  # the offline engine loads its models once per process

SPECIMENS = Path(str(resources.files("passport_ocr.tools") / "data" / "specimens"))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    scans = tmp_path / "scans"
    (scans / "2026").mkdir(parents=True)
    shutil.copy(SPECIMENS / "clean-page.jpg", scans / "2026" / "clean page.jpg")
    shutil.copy(SPECIMENS / "no-mrz.jpg", scans / "no-mrz.jpg")
    (scans / "README.txt").write_text("not processed: no image suffix")
    return scans


def summary_of(text: str) -> dict[str, object]:
    doc: dict[str, object] = json.loads(text)
    return doc


def test_folder_to_folder_then_resume(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "results"
    args = ["process", str(folder), "-o", str(out), "--summary", "json", "--no-progress"]

    assert main(args) == 1  # one page has no MRZ: rejected
    first = summary_of(capsys.readouterr().out)
    assert (first["recognized"], first["rejected"], first["skipped"]) == (1, 1, 0)
    assert first["errors"] == {"provider.not_a_passport": 1}
    assert first["rate_per_second"] is None  # the offline engine has no vendor limit
    assert first["workers"] == default_workers("local")  # one per core
    record = json.loads(FolderWriter(out).path_for("2026/clean page.jpg").read_text())["record"]
    assert record["mrz"]["valid"] is True
    assert not list(out.glob("README.txt*"))

    # Nothing left to read, but the batch still holds the rejected page: said, and exit 1.
    assert main(args) == 1
    second = summary_of(capsys.readouterr().out)
    assert (second["processed"], second["skipped"], second["rejected"]) == (0, 2, 0)
    assert second["batch"] == {
        "objects": 2,
        "recognized": 1,
        "rejected": 1,
        "failed": 0,
        "not_read": 0,
        "statuses": first["statuses"],
    }
    assert second["rejected_keys"] == [
        {
            "source": str(folder / "no-mrz.jpg"),
            "key": "no-mrz.jpg",
            "error": "provider.not_a_passport",
        }
    ]

    # --force reads both again; the text summary names the rejected page.
    assert main([*args[:-3], "--no-progress", "--force"]) == 1
    text = capsys.readouterr().out
    assert "processed 2 objects in " in text and "skipped 0 objects already done" in text
    assert f"rejected (1):\n  {folder / 'no-mrz.jpg'} (provider.not_a_passport)\n" in text


def test_text_summary_and_jsonl_output(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "results.jsonl"
    code = main(["process", str(folder), "-o", str(out), "--workers", "1", "--rate", "4"])
    text = capsys.readouterr().out
    assert code == 1
    assert "outcomes: recognized 1, rejected 1, failed 0" in text
    assert "1 worker, 4 OCR requests/s" in text
    assert sorted(doc["key"] for doc in read_jsonl(out)) == ["2026/clean page.jpg", "no-mrz.jpg"]


def test_s3_prefix_on_moto(
    moto_server: Moto,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_REGION": REGION,
        "AWS_ENDPOINT_URL_S3": moto_server.url,
    }.items():
        monkeypatch.setenv(name, value)
    s3 = moto_server.client("s3")
    bucket = "cli-process-scans"
    s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
    s3.put_object(
        Bucket=bucket, Key="uploads/a b.jpg", Body=(SPECIMENS / "tilted-photo.jpg").read_bytes()
    )
    s3.put_object(Bucket=bucket, Key="elsewhere/x.jpg", Body=b"not listed")
    out = tmp_path / "s3.jsonl"

    code = main(["process", f"s3://{bucket}/uploads/", "-o", str(out), "--summary", "json"])
    assert code == 0, capsys.readouterr().err
    assert summary_of(capsys.readouterr().out)["recognized"] == 1
    (doc,) = read_jsonl(out)
    assert doc["source"] == f"s3://{bucket}/uploads/a b.jpg"
    assert doc["record"]["issuing_state"] == "CAN"

    args = ["process", f"s3://{bucket}/uploads/", "-o", str(out), "--summary", "json"]
    assert main(args) == 0  # done: skipped, and the whole batch still counts it
    rerun = summary_of(capsys.readouterr().out)
    assert (rerun["processed"], rerun["skipped"], rerun["batch"]["recognized"]) == (0, 1, 1)
    # A new upload under the same key (a new ETag) is read again; --force reads all.
    s3.put_object(
        Bucket=bucket, Key="uploads/a b.jpg", Body=(SPECIMENS / "upside-down.jpg").read_bytes()
    )
    assert main(args) == 0
    replaced = summary_of(capsys.readouterr().out)
    assert (replaced["processed"], replaced["skipped"]) == (1, 0)
    assert main([*args, "--force"]) == 0
    assert summary_of(capsys.readouterr().out)["processed"] == 1
    assert [line["object_id"] == doc["object_id"] for line in read_jsonl(out)] == [
        True,
        False,
        False,
    ]


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("gs://bucket/x", "unknown source scheme gs://"),
        ("/definitely/not/here", "is not a folder"),
    ],
)
def test_a_bad_source_is_one_line_and_exit_2(
    source: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["process", source, "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("passport-ocr: error: ") and message in err and err.count("\n") == 1
