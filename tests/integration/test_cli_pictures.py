"""`recognize --annotate DIR` and `process --report FILE` on the bundled synthetic specimens,
with the offline engine for real, through `main`."""

from __future__ import annotations

import io
import json
import shutil
from importlib import resources
from pathlib import Path

import pytest
from PIL import Image

from passport_ocr.tools.annotate import OUTLINE_COLOUR, PHOTO_MAX_SIDE, REPAIR_COLOUR
from passport_ocr.tools.cli import main

pytestmark = pytest.mark.slow  # the offline engine loads its models once per process

SPECIMENS = Path(str(resources.files("passport_ocr.tools") / "data" / "specimens"))


def _count(picture: Image.Image, colour: tuple[int, int, int], height: int) -> int:
    """Pixels of exactly `colour` in the top `height` rows (the photo, not the legend)."""
    area = picture.crop((0, 0, picture.width, height)).convert("RGB")
    return sum(
        area.getpixel((x, y)) == colour for x in range(0, area.width, 2) for y in range(area.height)
    )


def test_annotate_writes_a_marked_picture_per_image_named_after_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clean, blank = SPECIMENS / "clean-page.jpg", SPECIMENS / "no-mrz.jpg"
    out = tmp_path / "pictures"
    code = main(["recognize", str(clean), str(blank), "--annotate", str(out)])
    assert [doc["outcome"] for doc in json.loads(capsys.readouterr().out)] == [
        "recognized",
        "rejected",
    ]
    assert code == 1  # no-mrz.jpg is rejected, as without --annotate
    assert sorted(path.name for path in out.iterdir()) == ["clean-page.png", "no-mrz.png"]

    with Image.open(clean) as photo:
        size = photo.size
    with Image.open(out / "clean-page.png") as picture:
        assert picture.format == "PNG"
        assert picture.width == min(size[0], PHOTO_MAX_SIDE)
        assert picture.height > size[1]  # the photo, then the legend
        assert _count(picture, OUTLINE_COLOUR, size[1]) > 500  # the MRZ outlined
        # The engine repairs three characters of this page's name (0 read where the name
        # holds O: its answer's `substitutions`, December 2026): marked in magenta.
        assert _count(picture, REPAIR_COLOUR, size[1]) > 0
    with Image.open(out / "no-mrz.png") as picture:
        assert _count(picture, OUTLINE_COLOUR, size[1]) == 0  # nothing located, nothing drawn


def test_annotate_does_not_change_the_records(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = SPECIMENS / "upside-down.jpg"
    assert main(["recognize", str(page)]) == 0
    plain = json.loads(capsys.readouterr().out)
    assert main(["recognize", str(page), "--annotate", str(tmp_path)]) == 0
    annotated = json.loads(capsys.readouterr().out)
    for doc in (*plain, *annotated):
        doc.pop("timings_ms")
    assert annotated == plain
    assert (tmp_path / "upside-down.png").is_file()


def test_annotate_names_two_inputs_of_one_name_apart(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "copy" / "clean-page.jpg"
    copy.parent.mkdir()
    shutil.copyfile(SPECIMENS / "clean-page.jpg", copy)
    out = tmp_path / "out"
    assert (
        main(["recognize", str(SPECIMENS / "clean-page.jpg"), str(copy), "--annotate", str(out)])
        == 0
    )
    capsys.readouterr()
    assert sorted(path.name for path in out.iterdir()) == ["clean-page-2.png", "clean-page.png"]
    first, second = ((out / name).read_bytes() for name in ("clean-page.png", "clean-page-2.png"))
    assert first == second  # the same photo, the same picture
    Image.open(io.BytesIO(first)).verify()


def test_annotate_with_a_vendor_says_why_there_are_no_pictures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from passport_ocr.tools.cli.recognize import _picture_folder

    assert _picture_folder(tmp_path / "pictures", "huawei") is None
    assert capsys.readouterr().err == (
        "passport-ocr: --annotate: huawei gives no character positions (only the offline "
        "engine does): no pictures\n"
    )
    assert not (tmp_path / "pictures").exists()


def _rows(page: str) -> list[dict[str, object]]:
    """Each table row of the page: its status, pictures and notes, as a parser sees them."""
    from html.parser import HTMLParser

    rows: list[dict[str, object]] = []

    class Rows(HTMLParser):
        note = False

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found = dict(attrs)
            if tag == "tr" and found.get("data-status"):
                rows.append({"status": found["data-status"], "images": [], "notes": []})
            elif tag == "img" and rows:
                rows[-1]["images"].append(found["class"])  # type: ignore[attr-defined]
            self.note = tag == "p" and found.get("class") == "note"

        def handle_data(self, data: str) -> None:
            if self.note and rows:
                rows[-1]["notes"].append(data)  # type: ignore[attr-defined]
                self.note = False

    Rows().feed(page)
    return rows


@pytest.mark.parametrize("output", ["out", "out.jsonl"])
def test_report_lists_this_runs_objects_with_pictures_and_earlier_ones_from_results(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], output: str
) -> None:
    from passport_ocr.tools.pictures import NOT_READ
    from passport_ocr.tools.report import EARLIER_NOTE

    scans = tmp_path / "scans"
    scans.mkdir()
    shutil.copyfile(SPECIMENS / "clean-page.jpg", scans / "clean-page.jpg")
    results, page = str(tmp_path / output), tmp_path / "review" / "report.html"
    assert main(["process", str(scans), "-o", results, "--no-progress"]) == 0
    for name in ("upside-down.jpg", "no-mrz.jpg"):
        shutil.copyfile(SPECIMENS / name, scans / name)
    (scans / "broken.jpg").write_bytes(b"\xff\xd8 not a whole JPEG")  # refused by preflight
    capsys.readouterr()

    argv = ["process", str(scans), "-o", results, "--report", str(page), "--no-progress"]
    assert main(argv) == 1  # no-mrz.jpg is rejected
    err = capsys.readouterr().err
    assert "report of 4 objects" in err
    assert str(scans) not in err.split("report of")[1]  # counts and size only

    rows = _rows(page.read_text(encoding="utf-8"))
    assert [row["status"] for row in rows] == ["rejected", "rejected", "valid", "valid"]
    broken, blank, *valid = rows
    assert broken == {"status": "rejected", "images": [], "notes": [NOT_READ]}
    assert blank == {"status": "rejected", "images": ["thumb"], "notes": ["no MRZ found"]}
    assert sorted(str(row["images"]) + str(row["notes"]) for row in valid) == sorted(
        [str(["thumb", "crop"]) + "[]", str(["thumb"]) + str([EARLIER_NOTE])]
    )
