"""`process --report`'s page in a real headless Chromium: loaded from disk, rows checked in
the DOM after its script ran, a filter button clicked, a screenshot taken.

The batch is the bundled synthetic specimens read by the offline engine, checked against
2036-01-01: two of the four passports have expired by then (clean-page 2032-01-21,
upside-down 2031-05-03: ground_truth.json), so the page has valid, needs_review and
rejected (no-mrz.jpg) rows. One copy is named like markup, to show it renders as text.
"""

from __future__ import annotations

import io
import shutil
from importlib import resources
from pathlib import Path

import pytest
from PIL import Image

from passport_ocr.tools.cli import main
from tests.browser.cdp import chromium_binary, headless_page

pytestmark = pytest.mark.slow

SPECIMENS = Path(str(resources.files("passport_ocr.tools") / "data" / "specimens"))
HOSTILE = '<img src=x onerror="window.hacked=1"><script>window.hacked=2.jpg'
WIDTH, HEIGHT = 1280, 900


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    chromium_binary()  # no browser: skip (fail under CI) before reading any page
    folder = tmp_path_factory.mktemp("batch")
    scans = folder / "scans"
    scans.mkdir()
    for image in SPECIMENS.glob("*.jpg"):
        shutil.copyfile(image, scans / image.name)
    shutil.copyfile(SPECIMENS / "chn-layout.jpg", scans / HOSTILE)
    page = folder / "report.html"
    argv = ["process", str(scans), "-o", str(folder / "out"), "--report", str(page)]
    code = main([*argv, "--today", "2036-01-01", "--no-progress", "--workers", "1"])
    assert code == 1  # no-mrz.jpg is rejected
    return page


def _visible_statuses(page: object) -> list[str]:
    return page.evaluate(  # type: ignore[attr-defined, no-any-return]
        "[...document.querySelectorAll('tr.row')].filter(r => r.offsetParent !== null)"
        ".map(r => r.querySelector('.status').textContent)"
    )


def test_the_page_renders_a_row_per_object_and_filters_by_status(
    report: Path, tmp_path: Path
) -> None:
    with headless_page(tmp_path / "profile", width=WIDTH, height=HEIGHT) as page:
        page.open(report.as_uri())

        statuses = _visible_statuses(page)
        assert sorted(statuses) == sorted(
            ["needs_review", "needs_review", "rejected", "valid", "valid", "valid"]
        )
        buttons = page.evaluate(
            "[...document.querySelectorAll('.filters button')].map(b => b.textContent)"
        )
        assert buttons == [
            "all 6",
            "valid 3",
            "needs_review 2",
            "invalid 0",
            "rejected 1",
            "failed 0",
        ]
        # The markup-like name is text in its cell; nothing of it ran.
        keys = page.evaluate("[...document.querySelectorAll('td.key')].map(c => c.textContent)")
        assert any(key.endswith(HOSTILE) for key in keys)
        assert page.evaluate("window.hacked === undefined && document.scripts.length === 1")
        # Every picture is an image the browser decoded: thumbnails for all six, a marked
        # MRZ crop for the five read ones.
        pictures = page.evaluate(
            "[...document.images].map(i => [i.className, i.complete && i.naturalWidth > 0])"
        )
        assert sorted(pictures) == sorted([["thumb", True]] * 6 + [["crop", True]] * 5)
        notes = page.evaluate("[...document.querySelectorAll('.note')].map(n => n.textContent)")
        assert notes == ["no MRZ found"]

        page.click(".filters button[data-filter='needs_review']")
        assert _visible_statuses(page) == ["needs_review", "needs_review"]
        assert page.evaluate("document.getElementById('shown').textContent") == "2"
        active = page.evaluate("document.querySelector('.filters button.active').dataset.filter")
        assert active == "needs_review"
        shot = page.screenshot(tmp_path / "needs_review.png")

        page.click(".filters button[data-filter='rejected']")
        assert _visible_statuses(page) == ["rejected"]
        page.click(".filters button[data-filter='all']")
        assert len(_visible_statuses(page)) == 6

    with Image.open(io.BytesIO(shot)) as picture:
        assert picture.format == "PNG"
        assert picture.size == (WIDTH, HEIGHT)
        colours = picture.convert("RGB").getcolors(maxcolors=1 << 20)
        assert colours is not None and len(colours) > 1000  # text, badges, photos: not blank
