"""The review page: escaped text, counts per status, nothing outside the file itself."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from typing import Any

from PIL import Image

from passport_ocr.tools.pictures import THUMBNAIL_SIDE, RowPictures
from passport_ocr.tools.report import (
    EARLIER_NOTE,
    EARLIER_UNREAD,
    ReportBuilder,
    ReportRow,
    render_report,
    row_status,
    sorted_rows,
    status_counts,
)

JPEG = b"\xff\xd8\xff\xe0 not really a jpeg"


def _doc(key: str, outcome: str = "recognized", status: str | None = "valid") -> dict[str, Any]:
    record = None
    if outcome == "recognized":
        record = {
            "surname": "ERIKSSON",
            "given_names": "ANNA MARIA",
            "document_number": "L898902C3",
            "findings": [
                {"code": "mrz.repaired", "severity": "warning", "message": "a <b>repair</b>"}
            ],
            "mrz": {"lines": ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"]},
        }
    error = None if record else {"code": "provider.not_a_passport", "message": "no MRZ found"}
    return {
        "source": key,
        "key": key,
        "outcome": outcome,
        "status": status if record else None,
        "record": record,
        "error": error,
    }


class _Tags(HTMLParser):
    """Every tag's attributes, and the text, as a browser's parser sees them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(page: str) -> _Tags:
    parser = _Tags()
    parser.feed(page)
    return parser


def test_a_key_with_markup_is_text_never_a_tag() -> None:
    hostile = 'scans/<script>alert("x")</script><img src=x onerror=alert(1)>.jpg'
    page = render_report([ReportRow(_doc(hostile), RowPictures())], title="t")
    parsed = _parse(page)
    scripts = [tag for tag, _ in parsed.tags if tag == "script"]
    assert len(scripts) == 1  # the page's own filter script only
    assert not any("onerror" in attrs for _, attrs in parsed.tags)
    assert hostile in "".join(parsed.text)  # shown as it is, as text
    assert "<b>repair</b>" in "".join(parsed.text)  # a message's markup too


def test_rows_carry_their_status_and_the_buttons_count_them() -> None:
    rows = [
        ReportRow(_doc("a.jpg"), RowPictures()),
        ReportRow(_doc("b.jpg", status="needs_review"), RowPictures()),
        ReportRow(_doc("c.jpg", outcome="rejected"), RowPictures()),
        ReportRow(_doc("d.jpg", outcome="failed"), RowPictures()),
    ]
    assert [row_status(row.document) for row in rows] == [
        "valid",
        "needs_review",
        "rejected",
        "failed",
    ]
    assert status_counts(rows) == {
        "all": 4,
        "valid": 1,
        "needs_review": 1,
        "invalid": 0,
        "rejected": 1,
        "failed": 1,
    }
    parsed = _parse(render_report(rows, title="t"))
    statuses = [attrs["data-status"] for tag, attrs in parsed.tags if tag == "tr" and attrs]
    assert statuses == ["valid", "needs_review", "rejected", "failed"]
    filters = [attrs["data-filter"] for tag, attrs in parsed.tags if tag == "button"]
    assert filters == ["all", "valid", "needs_review", "invalid", "rejected", "failed"]


def test_review_order_puts_what_needs_a_look_first() -> None:
    rows = [
        ReportRow(_doc("z.jpg"), RowPictures()),
        ReportRow(_doc("y.jpg", outcome="rejected"), RowPictures()),
        ReportRow(_doc("x.jpg", status="needs_review"), RowPictures()),
    ]
    assert [row.document["key"] for row in sorted_rows(rows)] == ["x.jpg", "y.jpg", "z.jpg"]


def test_the_page_refers_to_nothing_outside_itself() -> None:
    rows = [ReportRow(_doc("a.jpg"), RowPictures(thumbnail=JPEG, crop=JPEG))]
    page = render_report(rows, title="t")
    parsed = _parse(page)
    sources = [attrs.get("src") or "" for tag, attrs in parsed.tags if tag == "img"]
    assert len(sources) == 2 and all(src.startswith("data:image/jpeg;base64,") for src in sources)
    assert not [tag for tag, attrs in parsed.tags if tag == "link" or attrs.get("href")]
    assert not re.search(r"(https?:)?//[a-z0-9]", page.replace("data:", ""), re.IGNORECASE)


def test_findings_and_errors_show_code_severity_and_message() -> None:
    rows = [
        ReportRow(_doc("a.jpg"), RowPictures()),
        ReportRow(_doc("b.jpg", outcome="rejected"), RowPictures(note="no MRZ found")),
    ]
    text = " ".join(" ".join(_parse(render_report(rows, title="t")).text).split())
    assert "mrz.repaired warning a <b>repair</b>" in text
    assert "provider.not_a_passport error no MRZ found" in text


def test_builder_lists_earlier_results_and_skips_objects_never_reached() -> None:
    builder = ReportBuilder()
    earlier = {"old.jpg": _doc("old.jpg"), "elsewhere.jpg": _doc("elsewhere.jpg")}
    rows = builder.rows(["old.jpg", "never.jpg"], earlier)
    assert [row.document["key"] for row in rows] == ["old.jpg"]
    assert rows[0].pictures == RowPictures(note=EARLIER_UNREAD)  # nothing to fetch from


def test_earlier_rows_get_a_thumbnail_of_the_object_fetched_again() -> None:
    photo = io.BytesIO()
    Image.new("RGB", (1200, 800), "white").save(photo, "JPEG")
    objects = {"old.jpg": photo.getvalue(), "corrupt.jpg": JPEG, "gone.jpg": None}
    earlier = {key: _doc(key) for key in objects}
    rows = ReportBuilder().rows(list(objects), earlier, objects.get)
    pictures = {row.document["key"]: row.pictures for row in rows}
    old = pictures["old.jpg"]
    assert old.note == EARLIER_NOTE and old.crop is None and old.thumbnail is not None
    with Image.open(io.BytesIO(old.thumbnail)) as small:
        assert (small.format, max(small.size)) == ("JPEG", THUMBNAIL_SIDE)
    assert pictures["corrupt.jpg"] == pictures["gone.jpg"] == RowPictures(note=EARLIER_UNREAD)
