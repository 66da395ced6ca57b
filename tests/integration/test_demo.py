"""`passport-ocr demo`: moto in-process, the real Lambda handler, the offline engine, end to end."""

from __future__ import annotations

import json
import shutil
from importlib import resources
from pathlib import Path

import pytest

from passport_ocr.errors import ConfigError
from passport_ocr.publishing.envelope import RECOGNIZED, REJECTED
from passport_ocr.tools.cli import main
from passport_ocr.tools.demo import bundled_images, images_from, run_demo

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("restore_logging")]

SPECIMENS = Path(str(resources.files("passport_ocr.tools") / "data" / "specimens"))
TRUTH = {
    image["file"]: image
    for image in json.loads((SPECIMENS / "ground_truth.json").read_text())["images"]
}


def test_the_demo_prints_one_row_per_bundled_specimen(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo"]) == 0
    captured = capsys.readouterr()
    header, _rule, *rows = captured.out.splitlines()
    assert header.split()[:4] == ["OBJECT", "OUTCOME", "STATUS", "DOCUMENT"]
    names = sorted(image.name for image in bundled_images())
    assert [row.split()[0] for row in rows] == names
    outcomes = {row.split()[0]: row.split()[1] for row in rows}
    assert outcomes["no-mrz.jpg"] == "rejected"
    assert all(outcomes[name] == "recognized" for name in names if name != "no-mrz.jpg")
    assert "provider.not_a_passport" in captured.out
    # Progress goes to stderr; nothing of moto's access log or the handler's logs.
    assert "moto (S3, SNS, SQS) on http://127.0.0.1:" in captured.err
    assert "HTTP/1.1" not in captured.err
    assert '"level"' not in captured.err


def test_events_are_the_masked_cloudevents_of_every_upload() -> None:
    result = run_demo()
    assert result.endpoint.startswith("http://127.0.0.1:")
    assert result.failed_messages == 0
    assert len(result.events) == len(result.uploaded) == len(bundled_images())
    by_name = {event["subject"].removeprefix("uploads/"): event for event in result.events}
    assert by_name["no-mrz.jpg"]["type"] == REJECTED
    for name, truth in TRUTH.items():
        if not truth.get("mrz_lines"):
            continue
        event = by_name[name]
        assert event["type"] == RECOGNIZED
        assert event["source"] == f"s3://{result.bucket}"
        assert event["payloadmode"] == "masked"
        number = truth["mrz_lines"][1][:9].rstrip("<")
        masked = event["data"]["document_number"]
        assert "*" in masked and masked != number and masked[-3:] == number[-3:]


def test_own_images_and_full_payload_as_json_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(SPECIMENS / "clean-page.jpg", tmp_path / "mine.jpg")
    (tmp_path / "notes.txt").write_text("skipped: not an image")
    assert main(["demo", "--images", str(tmp_path), "--payload", "full", "--json"]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    event = json.loads(line)
    assert event["subject"] == "uploads/mine.jpg"
    assert list(event["data"]["mrz"]["lines"]) == TRUTH["clean-page.jpg"]["mrz_lines"]


def test_no_images_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(ConfigError, match="no images"):
        images_from([str(tmp_path)])
    assert main(["demo", "--images", str(tmp_path / "missing")]) == 2
    assert "no such file or folder" in capsys.readouterr().err
