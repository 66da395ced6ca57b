"""`passport-ocr mrz` and `passport-ocr normalize`, through main() and the console script."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from passport_ocr.tools.cli import main
from tests import paths

SAMPLES = paths.VENDOR_SAMPLES
SPECIMEN = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_mrz_prints_the_reading_and_exits_0_when_valid(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "mrz", *SPECIMEN, "--today", "2026-11-21")
    assert (code, err) == (0, "")
    reading = json.loads(out)
    assert reading["format"] == "TD3"
    assert reading["valid"] is True
    fields = reading["fields"]
    assert fields["document_number"] == "L898902C3"
    assert fields["birth_date"] == {"raw": "740812", "iso": "1974-08-12"}
    assert fields["expiry_date"] == {"raw": "120415", "iso": "2012-04-15"}
    assert reading["check_digits"]["composite"] is True
    assert set(reading) >= {"valid_strict", "repairs", "findings"}


def test_mrz_exits_1_when_a_check_digit_fails(capsys: pytest.CaptureFixture[str]) -> None:
    line2 = SPECIMEN[1][:9] + "7" + SPECIMEN[1][10:]
    code, out, _ = run(capsys, "mrz", "--no-repair", SPECIMEN[0], line2)
    assert code == 1
    assert json.loads(out)["check_digits"]["document_number"] is False


def test_mrz_accepts_both_lines_in_one_argument(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "mrz", "\n".join(SPECIMEN))
    assert code == 0
    assert json.loads(out)["fields"]["surname"] == "ERIKSSON"


def test_mrz_reads_stdin(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(SPECIMEN) + "\n"))
    code, out, _ = run(capsys, "mrz", "-")
    assert code == 0
    assert json.loads(out)["fields"]["given_names"] == "ANNA MARIA"


def test_mrz_unusable_input_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "mrz", "NOT AN MRZ")
    assert code == 2
    assert out == ""
    assert err.startswith("passport-ocr: error: ")
    assert err.count("\n") == 1
    assert "[mrz.unusable]" in err


def test_normalize_prints_the_record(capsys: pytest.CaptureFixture[str]) -> None:
    sample = str(SAMPLES / "huawei_chn.json")
    code, out, err = run(capsys, "normalize", "--vendor", "huawei", sample, "--today", "2026-11-21")
    assert (code, err) == (0, "")
    assert "张三" in out  # ensure_ascii=False
    assert out.startswith('{\n  "source"')  # indent 2
    document = json.loads(out)
    record = document["record"]
    assert document["status"] == record["status"]
    assert document["findings"] == [finding["code"] for finding in record["findings"]]
    assert "document.expired" in document["findings"]  # passed on 2026-11-21
    assert record["nationality"] == "CHN"
    assert record["status"] == "needs_review"
    assert record["status_rule"] == "mrz.absent"
    assert record["birth_date"] == "1990-12-12"


def test_normalize_reads_stdin(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = (SAMPLES / "tencent_passport.json").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    code, out, _ = run(capsys, "normalize", "--vendor", "tencent", "-")
    assert code == 0
    document = json.loads(out)
    assert (document["source"], document["key"]) == ("-", None)
    record = document["record"]
    assert record["status"] == "invalid"
    assert record["status_rule"] == "mrz.check_digit"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "not valid JSON"),
        (b'{"error_code": "AIS.0103", "error_msg": "size"}', "field 'error_code'"),
        (b"[]", "field '$'"),
        (b"\xff\xfe", "not UTF-8"),
    ],
)
def test_normalize_bad_input_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: bytes, message: str
) -> None:
    answer = tmp_path / "answer.json"
    answer.write_bytes(content)
    code, out, err = run(capsys, "normalize", "--vendor", "huawei", str(answer))
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert message in err
    assert "Traceback" not in err


def test_normalize_missing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "normalize", "--vendor", "tencent", str(tmp_path / "nope.json"))
    assert code == 2
    assert "cannot read" in err


def test_debug_shows_the_error(tmp_path: Path) -> None:
    from passport_ocr.errors import MappingError

    answer = tmp_path / "answer.json"
    answer.write_text("[]", encoding="utf-8")
    with pytest.raises(MappingError):
        main(["normalize", "--vendor", "huawei", str(answer), "--debug"])
    with pytest.raises(MappingError):
        main(["--debug", "normalize", "--vendor", "huawei", str(answer)])


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in ([], ["normalize"], ["normalize", "--vendor", "acme", "x.json"]):
        with pytest.raises(SystemExit) as caught:
            main(argv)
        assert caught.value.code == 2
    capsys.readouterr()


def test_console_script(tmp_path: Path) -> None:
    script = shutil.which("passport-ocr", path=str(Path(sys.executable).parent))
    if script is None:
        pytest.skip("the package is not installed in this environment (pip install -e .)")
    result = subprocess.run(
        [script, "normalize", "--vendor", "tencent-legacy", str(SAMPLES / "tencent_legacy.json")],
        capture_output=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout.decode("utf-8"))["record"]
    assert record["given_names"] == "QI"
    failed = subprocess.run([script, "mrz", "P<UTO"], capture_output=True, text=True, check=False)
    assert failed.returncode == 2
    assert failed.stderr.startswith("passport-ocr: error: ")


# --- source and key, as `recognize` gives them ------------------------------------------------


def test_mrz_and_normalize_name_their_input_as_recognize_does(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    answer = tmp_path / "answers" / "huawei.json"
    answer.parent.mkdir()
    shutil.copy(SAMPLES / "huawei_chn.json", answer)
    _, out, _ = run(capsys, "normalize", str(answer))
    document = json.loads(out)
    # recognize's convention (tools/cli/recognize.py): the argument as given, and the file
    # as an object of one store over the filesystem (first folder the bucket).
    assert document["source"] == str(answer)
    assert document["key"] == "/".join(answer.resolve().parts[2:])
    assert list(document) == ["source", "key", "status", "findings", "record"]

    _, out, _ = run(capsys, "mrz", *SPECIMEN)
    assert list(json.loads(out))[:3] == ["source", "key", "format"]
    assert (json.loads(out)["source"], json.loads(out)["key"]) == ("argv", None)
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(SPECIMEN) + "\n"))
    _, out, _ = run(capsys, "mrz", "-")
    assert (json.loads(out)["source"], json.loads(out)["key"]) == ("-", None)


# --- mrz --format text ------------------------------------------------------------------------


def test_mrz_text_is_one_field_per_line_with_severities(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The composite check digit read as the letter O: repaired to 0 (an info finding).
    read_as_o = SPECIMEN[1][:-1] + "O"
    code, out, err = run(capsys, "mrz", SPECIMEN[0], read_as_o, "--format", "text")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[:3] == ["format: TD3", "valid: yes (strict: yes)", "document_code: P"]
    assert "document_number: L898902C3" in lines
    assert "birth_date: 1974-08-12 (740812)" in lines
    assert "check digits: document_number ok, birth_date ok, expiry_date ok, " \
        "optional_data ok, composite ok" in lines  # fmt: skip
    assert lines[lines.index("repairs:") + 1] == (
        "  line 2, character 44: O -> 0 (composite; character_class)"
    )
    findings = lines[lines.index("findings:") + 1 :]
    assert "  info: mrz.repaired: composite: OCR confusion repaired (see substitutions)" in findings
    # The same reading as the JSON: every finding, once each.
    _, out, _ = run(capsys, "mrz", SPECIMEN[0], read_as_o)
    assert len(findings) == len(json.loads(out)["findings"])


def test_mrz_text_of_an_invalid_mrz_says_which_check_failed(
    capsys: pytest.CaptureFixture[str],
) -> None:
    line2 = SPECIMEN[1][:9] + "7" + SPECIMEN[1][10:]
    code, out, _ = run(capsys, "mrz", "--no-repair", SPECIMEN[0], line2, "--format", "text")
    assert code == 1
    assert "valid: no (strict: no)" in out.splitlines()
    assert "document_number FAILED" in out and "repairs: none" in out.splitlines()
    findings = out.split("findings:\n", 1)[1].splitlines()
    severities = [line.split(":")[0].strip() for line in findings]
    assert severities[0] == "error"
    assert severities == sorted(severities, key={"error": 0, "warning": 1, "info": 2}.get)


class _CtrlC(io.StringIO):
    """stdin as the terminal gives it when the user presses Ctrl-C while a verb reads it."""

    def read(self, size: int | None = -1) -> str:
        raise KeyboardInterrupt


def test_ctrl_c_in_any_verb_exits_130_without_a_traceback(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", _CtrlC())
    code, out, err = run(capsys, "mrz", "-")
    assert (code, out, err) == (130, "", "passport-ocr: interrupted\n")
