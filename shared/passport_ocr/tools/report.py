"""`process --report FILE`: one static HTML page to review a batch, self-contained.

A row per object: its thumbnail, key, status, the record's main fields, the findings with
their severity and message (a rejected or failed object: its error), and the marked MRZ
crop (`annotate.mrz_crop`). Buttons filter the rows by status, with counts. The page
refers to nothing outside itself: CSS and script inline, pictures as `data:` URIs (JPEG
thumbnails and crops, a few tens of kB per object), so it can be mailed or archived.

Every text is escaped (`html.escape`): keys, names and messages come from uploads and
vendors. The page holds records and pictures, which is its purpose: it is personal data,
kept like the scans; nothing here logs any of it.

Rows are built from the result documents (`ItemResult.document()`, the same JSON the
output holds), so objects done by an earlier run are listed too, from their results, with
a thumbnail of the object fetched again but no MRZ crop (their MRZ is not read again).
"""

from __future__ import annotations

import base64
import html
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from PIL import Image

from passport_ocr.tools.pictures import RowPictures, SeenReads, row_pictures, thumbnail

if TYPE_CHECKING:
    from passport_ocr.events.base import ObjectRef
    from passport_ocr.pipeline import Outcome
    from passport_ocr.providers.base import OcrProvider
    from passport_ocr.tools.batch.results import ItemResult

#: The filter buttons, in order; a row's status is its record's, else its outcome.
FILTERS: Final = ("all", "valid", "needs_review", "invalid", "rejected", "failed")
#: Rows for a reviewer: what needs a look first.
_ROW_ORDER: Final = {"needs_review": 0, "invalid": 1, "rejected": 2, "failed": 3, "valid": 4}
EARLIER_NOTE: Final = "from an earlier run: thumbnail only (its MRZ was not read again)"
EARLIER_UNREAD: Final = "from an earlier run: no picture (the object could not be read)"


@dataclass(frozen=True)
class ReportRow:
    document: Mapping[str, Any]
    pictures: RowPictures


def row_status(document: Mapping[str, Any]) -> str:
    """The status a row is filtered by: the record's, or `rejected` / `failed`."""
    status = document.get("status")
    if isinstance(status, str) and status:
        return status
    return str(document.get("outcome") or "failed")


def status_counts(rows: Sequence[ReportRow]) -> dict[str, int]:
    counts = Counter(row_status(row.document) for row in rows)
    return {name: len(rows) if name == "all" else counts.get(name, 0) for name in FILTERS}


def _text(value: object) -> str:
    """`value` as HTML text or attribute value: every `<`, `&` and quote escaped."""
    return html.escape("" if value is None else str(value), quote=True)


def data_uri(data: bytes, media_type: str = "image/jpeg") -> str:
    return f"data:{media_type};base64,{base64.b64encode(data).decode('ascii')}"


def _findings(document: Mapping[str, Any]) -> str:
    """The record's findings with severity and message; or the error of an object
    without a record."""
    record = document.get("record")
    items: list[str] = []
    if isinstance(record, Mapping):
        for finding in record.get("findings") or []:
            if not isinstance(finding, Mapping):
                continue
            severity = str(finding.get("severity") or "info")
            items.append(
                f'<li class="sev-{_text(severity)}"><code>{_text(finding.get("code"))}</code> '
                f"<span class=sev>{_text(severity)}</span> {_text(finding.get('message'))}</li>"
            )
    error = document.get("error")
    if isinstance(error, Mapping):
        items.append(
            f'<li class="sev-error"><code>{_text(error.get("code"))}</code> '
            f"<span class=sev>error</span> {_text(error.get('message'))}</li>"
        )
    return f"<ul>{''.join(items)}</ul>" if items else '<span class="none">none</span>'


def _fields(document: Mapping[str, Any]) -> str:
    record = document.get("record")
    if not isinstance(record, Mapping):
        return '<span class="none">no record</span>'
    parts = (record.get("surname"), record.get("given_names"))
    name = ", ".join(str(part) for part in parts if part)
    cells = (
        ("document", record.get("document_number")),
        ("name", name),
        ("nationality", record.get("nationality")),
        ("birth", record.get("birth_date")),
        ("expiry", record.get("expiry_date")),
    )
    rows = "".join(f"<dt>{label}</dt><dd>{_text(value or '-')}</dd>" for label, value in cells)
    return f"<dl>{rows}</dl>"


def _mrz_text(document: Mapping[str, Any]) -> str:
    """The record's MRZ lines after repair, under the picture of what was read."""
    record = document.get("record")
    mrz = record.get("mrz") if isinstance(record, Mapping) else None
    lines = mrz.get("lines") if isinstance(mrz, Mapping) else None
    text = "<br>".join(_text(line) for line in lines or [])
    return f'<div class="mrz">{text}</div>' if text else ""


def _picture(data: bytes | None, alt: str, css: str) -> str:
    if data is None:
        return ""
    return f'<img class="{css}" alt="{_text(alt)}" src="{data_uri(data)}">'


def render_row(row: ReportRow) -> str:
    document, pictures = row.document, row.pictures
    status = row_status(document)
    key = document.get("source") or document.get("key")
    crop = _picture(pictures.crop, "the MRZ as read, marked", "crop")
    note = f'<p class="note">{_text(pictures.note)}</p>' if pictures.note else ""
    return (
        f'<tr class="row" data-status="{_text(status)}">'
        f"<td>{_picture(pictures.thumbnail, 'thumbnail', 'thumb')}</td>"
        f'<td class="key">{_text(key)}</td>'
        f'<td><span class="status st-{_text(status)}">{_text(status)}</span></td>'
        f"<td>{_fields(document)}</td>"
        f"<td>{_findings(document)}</td>"
        f'<td class="pictured">{crop}{note}{_mrz_text(document)}</td>'
        "</tr>"
    )


_STYLE: Final = """
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}
h1{font-size:1.3em;margin:0 0 .2em}
.meta,.note,.none{color:#666}
.warn{background:#fff4d6;border:1px solid #e0c060;padding:.4em .7em;margin:.6em 0}
.filters button{margin:0 .3em .6em 0;padding:.35em .8em;border:1px solid #888;
 background:#f4f4f4;border-radius:4px;cursor:pointer}
.filters button.active{background:#205fb8;color:#fff;border-color:#205fb8}
table{border-collapse:collapse;width:100%}
th,td{border-top:1px solid #ddd;padding:.45em;vertical-align:top;text-align:left}
td.key{font-family:monospace;word-break:break-all;min-width:12em;max-width:20em}
.thumb{max-width:160px;max-height:160px}
td.pictured{width:40%}.crop{width:100%;max-width:900px}
.status{padding:.1em .5em;border-radius:3px;color:#fff;white-space:nowrap}
.st-valid{background:#22a046}.st-needs_review{background:#d38c00}
.st-invalid{background:#c0392b}.st-rejected{background:#7d3c98}.st-failed{background:#555}
ul{margin:0;padding-left:1.1em}
.sev{font-size:.85em;color:#666}
.sev-error code{color:#c0392b}.sev-warning code{color:#b36b00}
dl{display:grid;grid-template-columns:auto 1fr;gap:0 .6em;margin:0}
dt{color:#666}dd{margin:0;white-space:nowrap}
.mrz{font-family:monospace;font-size:.8em;margin-top:.3em;word-break:break-all}
tr.hidden{display:none}
"""

_SCRIPT: Final = """
(function () {
  var buttons = document.querySelectorAll('.filters button');
  var rows = document.querySelectorAll('tr.row');
  var shown = document.getElementById('shown');
  function show(status) {
    var count = 0;
    rows.forEach(function (row) {
      var visible = status === 'all' || row.dataset.status === status;
      row.classList.toggle('hidden', !visible);
      if (visible) { count += 1; }
    });
    buttons.forEach(function (button) {
      button.classList.toggle('active', button.dataset.filter === status);
    });
    shown.textContent = String(count);
  }
  buttons.forEach(function (button) {
    button.addEventListener('click', function () { show(button.dataset.filter); });
  });
  show('all');
})();
"""


def render_report(
    rows: Sequence[ReportRow], *, title: str, generated: datetime | None = None
) -> str:
    """The whole page (see module doc); rows as given, sorted for review by `sorted_rows`."""
    moment = (generated or datetime.now(timezone.utc)).strftime("%Y-%m-%d %H:%M UTC")
    counts = status_counts(rows)
    buttons = "".join(
        f'<button type="button" data-filter="{name}">{name} '
        f'<span class="count">{counts[name]}</span></button>'
        for name in FILTERS
    )
    body = "".join(render_row(row) for row in rows)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_text(title)}</title><style>{_STYLE}</style></head><body>"
        f"<h1>{_text(title)}</h1>"
        f'<p class="meta">{len(rows)} objects, made {moment} by passport-ocr process; '
        'showing <span id="shown">' + str(len(rows)) + "</span>.</p>"
        '<p class="warn">This page holds personal data (names, document numbers, birth '
        "dates, MRZ lines, pictures of the documents): keep it as you keep the scans.</p>"
        '<p class="meta">MRZ pictures: each character coloured by the reader\'s confidence '
        "(green &ge; 0.95, yellow 0.80&ndash;0.95, orange 0.50&ndash;0.80, red below); "
        "repaired characters outlined in magenta with what was read there.</p>"
        f'<div class="filters">{buttons}</div>'
        "<table><thead><tr><th>picture</th><th>object</th><th>status</th><th>record</th>"
        "<th>findings</th><th>MRZ as read, and after repair</th></tr></thead>"
        f"<tbody>{body}</tbody></table><script>{_SCRIPT}</script></body></html>\n"
    )


def sorted_rows(rows: Iterable[ReportRow]) -> list[ReportRow]:
    """What needs a look first (needs_review, invalid, rejected, failed, valid), by key."""

    def order(row: ReportRow) -> tuple[int, str]:
        return (_ROW_ORDER.get(row_status(row.document), 5), str(row.document.get("key")))

    return sorted(rows, key=order)


def _earlier_pictures(image: bytes | None) -> RowPictures:
    """An earlier run's row: the thumbnail when the object's bytes make a picture."""
    if image is None:
        return RowPictures(note=EARLIER_UNREAD)
    try:
        return RowPictures(thumbnail(image), note=EARLIER_NOTE)
    except (OSError, ValueError, Image.DecompressionBombError):  # not an image Pillow reads
        return RowPictures(note=EARLIER_UNREAD)


class ReportBuilder:
    """Collects a batch's rows as `run_batch` goes: wrap the provider and the process
    function with it, pass `add` as (part of) `on_result`, then `write`."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pictures: dict[str, RowPictures] = {}
        self._documents: dict[str, Mapping[str, Any]] = {}
        self._seen: SeenReads | None = None

    def provider(self, provider: OcrProvider) -> SeenReads:
        self._seen = SeenReads(provider)
        return self._seen

    def process(self, process: Callable[[ObjectRef], Outcome]) -> Callable[[ObjectRef], Outcome]:
        """`process`, then the object's pictures, in the same worker thread."""

        def with_pictures(ref: ObjectRef) -> Outcome:
            outcome: Outcome | None = None
            try:
                outcome = process(ref)
                return outcome
            finally:
                seen = self._seen.take() if self._seen is not None else None
                pictures = row_pictures(seen, outcome.record if outcome else None)
                with self._lock:
                    self._pictures[ref.key] = pictures

        return with_pictures

    def add(self, result: ItemResult | None) -> None:
        if result is not None:
            with self._lock:
                self._documents[result.key] = result.document()

    def rows(
        self,
        keys: Iterable[str],
        earlier: Mapping[str, Mapping[str, Any]],
        fetch: Callable[[str], bytes | None] = lambda key: None,
    ) -> list[ReportRow]:
        """A row per key of the batch: this run's result, else an earlier run's, whose
        thumbnail comes from `fetch(key)` (the object's bytes, or None): no OCR again."""
        rows = []
        for key in dict.fromkeys(keys):
            document = self._documents.get(key)
            if document is not None:
                pictures = self._pictures.get(key, RowPictures(note="no picture"))
            elif key in earlier:
                document, pictures = earlier[key], _earlier_pictures(fetch(key))
            else:
                continue  # not reached (the run stopped first)
            rows.append(ReportRow(document, pictures))
        return sorted_rows(rows)

    def write(self, path: Path, rows: Sequence[ReportRow], *, title: str) -> int:
        """The page to `path` (atomically); its size in bytes."""
        page = render_report(rows, title=title).encode("utf-8")
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_bytes(page)
        temporary.replace(path)
        return len(page)
