"""`passport-ocr recognize IMAGE...`: read passport images into checked records.

Each file goes through the functions' own pipeline (preflight, provider, mapper,
validation) with the chosen provider; the offline engine by default.
Exit 0 when every image gave a record, 1 when any was rejected or failed (or, with
`--fail-on`, a record has that status), 2 on bad usage.
"""

from __future__ import annotations

import argparse
import csv
import errno
import io
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any, Final

from passport_ocr.errors import ConfigError
from passport_ocr.tools.cli._common import (
    EXIT_NEGATIVE,
    EXIT_OK,
    STDIN,
    add_fail_on,
    add_verb,
    fails,
    file_key,
    iso_date,
    write_json,
)
from passport_ocr.tools.cli._render import severity_rank, table
from passport_ocr.vendors import cloud_vendors

#: The offline engine first: the default.
PROVIDERS = ("local", *cloud_vendors())
FORMATS = ("json", "jsonl", "table", "csv")

#: `--format csv` columns, in order: the same names as the JSON document and the record, so
#: a script reads either; documented in the README (keep them stable).
CSV_COLUMNS = (
    "source",
    "key",
    "outcome",
    "status",
    "status_rule",
    "document_code",
    "document_number",
    "issuing_state",
    "nationality",
    "surname",
    "given_names",
    "sex",
    "birth_date",
    "expiry_date",
    "mrz_valid",
    "findings",
    "error",
)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = add_verb(
        subparsers,
        "recognize",
        help="read passport images into checked records (exit 1 if any is rejected)",
    )
    parser.add_argument(
        "images", nargs="+", metavar="IMAGE", help="image files; - reads one image from stdin"
    )
    add_provider_options(parser)
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="json",
        help="output: a JSON list, JSON lines, a table, or CSV with a header and a row per "
        "image (default: %(default)s)",
    )
    add_fail_on(parser)
    parser.add_argument(
        "--annotate",
        metavar="DIR",
        type=Path,
        default=None,
        help="also write, per image, DIR/<name>.png: the photo with the MRZ outlined, each "
        "character coloured by confidence and repaired ones marked with what was read "
        "(offline engine only; the pictures show the document: keep them as you keep the "
        "scans; default: no pictures)",
    )
    parser.set_defaults(handler=run)


def add_provider_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--provider",
        choices=PROVIDERS,
        default="local",
        help="OCR: the offline engine (default: local) or a cloud vendor (credentials from the "
        "environment, settings from PASSPORT_OCR_* variables)",
    )
    parser.add_argument(
        "--today",
        type=iso_date,
        default=None,
        metavar="YYYY-MM-DD",
        help="the date to check expiry against (default: today)",
    )


def image_paths(arguments: list[str], stdin_copy: Path | None = None) -> list[Path]:
    """The files, absolute; a missing one is a usage error before any OCR starts. `-` is
    the image read from stdin (copied to `stdin_copy`); a folder is a hint to `process`."""
    paths: list[Path] = []
    for argument in arguments:
        if argument == "-" and stdin_copy is not None:
            stdin_copy.write_bytes(sys.stdin.buffer.read())
            paths.append(stdin_copy.resolve())
            continue
        path = Path(argument).expanduser().resolve()
        if path.is_dir():
            raise ConfigError(
                f"{argument} is a folder: to read every image in it, "
                f"use `passport-ocr process {argument} -o RESULTS`"
            )
        if not path.is_file():
            code = errno.EISDIR if path.is_dir() else errno.ENOENT
            raise OSError(code, os.strerror(code), argument)
        if len(path.parts) < 3:  # the store needs a folder to stand for the bucket
            raise OSError(errno.EINVAL, "move it out of the filesystem root", argument)
        paths.append(path)
    return paths


def run(args: argparse.Namespace) -> int:
    if args.images.count("-") > 1:
        raise ConfigError("stdin (-) holds one image: give it once")
    scratch = tempfile.TemporaryDirectory(prefix="passport-ocr-stdin-")
    with scratch:
        return _recognize(args, image_paths(args.images, Path(scratch.name) / "stdin"))


def _recognize(args: argparse.Namespace, paths: list[Path]) -> int:
    from passport_ocr.events.base import ObjectRef  # noqa: PLC0415
    from passport_ocr.storage.local import LocalStore  # noqa: PLC0415
    from passport_ocr.tools.batch.runner import (  # noqa: PLC0415 (heavy: pipeline and SDKs)
        build_cli_provider,
        cli_pipeline,
        cli_settings,
        process_one,
    )
    from passport_ocr.tools.pictures import SeenReads, photo_picture, picture_name  # noqa: PLC0415

    settings = cli_settings(args.provider)
    provider = build_cli_provider(settings)
    pictures = _picture_folder(args.annotate, provider.name)
    seen = SeenReads(provider) if pictures is not None else None
    # One store over the whole filesystem: /a/b/c.jpg is bucket "a", key "b/c.jpg".
    store = LocalStore(Path(paths[0].anchor))
    pipeline = cli_pipeline(settings, store, seen or provider, today=args.today)
    results = []
    names: set[str] = set()
    for argument, path in zip(args.images, paths, strict=True):
        ref = ObjectRef(cloud="local", bucket=path.parts[1], key=file_key(path))
        results.append(process_one(pipeline.process, ref, argument))
        read = seen.take() if seen is not None else None
        if pictures is not None and read is not None:
            outcome = results[-1].outcome
            picture = photo_picture(read, outcome.record if outcome else None)
            if picture is not None:
                (pictures / picture_name(argument, names)).write_bytes(picture)

    documents = [result.document() for result in results]
    for document in documents:
        if document["source"] == STDIN:  # its key is the scratch copy's: no object of the user's
            document["key"] = None
    if args.format == "json":
        write_json(documents)
    elif args.format == "jsonl":
        for document in documents:
            sys.stdout.write(json.dumps(document, ensure_ascii=False) + "\n")
    elif args.format == "csv":
        sys.stdout.write(records_csv(documents))
    else:
        sys.stdout.write(records_table(documents))
    recognized = all(result.kind == "recognized" for result in results)
    failing = any(fails(document.get("status"), args.fail_on) for document in documents)
    return EXIT_OK if recognized and not failing else EXIT_NEGATIVE


def _picture_folder(folder: Path | None, vendor: str) -> Path | None:
    """The --annotate folder, made; None (and a note on stderr) for a vendor: no geometry."""
    from passport_ocr.tools.pictures import NO_GEOMETRY  # noqa: PLC0415 (Pillow)

    if folder is None:
        return None
    if vendor != "local":
        sys.stderr.write(
            f"passport-ocr: --annotate: {NO_GEOMETRY.format(vendor=vendor)}: no pictures\n"
        )
        return None
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def finding_notes(record: dict[str, Any], codes: list[str]) -> str:
    """The findings as `code (severity)`, most serious first, each code once.

    Severity comes from the record's findings; an info finding must not read like a
    warning. Codes without a record (a rejected object) are shown as they are."""
    severity: dict[str, str] = {}
    for finding in record.get("findings") or []:
        if isinstance(finding, dict) and isinstance(finding.get("code"), str):
            code, level = finding["code"], str(finding.get("severity") or "")
            seen = severity.get(code)
            if seen is None or severity_rank(level) < severity_rank(seen):
                severity[code] = level
    unique = list(dict.fromkeys([*codes, *severity]))  # once each, in order
    unique.sort(key=lambda code: severity_rank(severity.get(code, "")))
    return ", ".join(
        f"{code} ({severity[code]})" if severity.get(code) else code for code in unique
    )


def records_table(documents: list[dict[str, Any]]) -> str:
    """One line per file: the record's main fields, or the error code."""
    headers = ["FILE", "OUTCOME", "STATUS", "DOCUMENT", "NAME", "NAT", "BIRTH", "EXPIRY", "NOTES"]
    rows = []
    for doc in documents:
        record, error = _mapping(doc.get("record")), _mapping(doc.get("error"))
        name = ", ".join(
            str(part) for part in (record.get("surname"), record.get("given_names")) if part
        )
        notes = error.get("code") or finding_notes(record, doc.get("findings") or [])
        cells = [
            doc.get("source"),
            doc.get("outcome"),
            doc.get("status"),
            record.get("document_number"),
            name,
            record.get("nationality"),
            record.get("birth_date"),
            record.get("expiry_date"),
            notes,
        ]
        rows.append([str(cell) if cell else "-" for cell in cells])
    return table(headers, rows)


def csv_row(document: dict[str, Any]) -> dict[str, str]:
    """One image's CSV row: the document's own fields, the record's, the finding codes
    (`;` between them) and the error code; an empty cell for what is absent."""
    record, error = _mapping(document.get("record")), _mapping(document.get("error"))
    mrz = _mapping(record.get("mrz"))
    values: dict[str, Any] = {
        **{column: record.get(column) for column in CSV_COLUMNS},
        "source": document.get("source"),
        "key": document.get("key"),
        "outcome": document.get("outcome"),
        "status": document.get("status"),
        "mrz_valid": mrz.get("valid") if mrz else None,
        "findings": ";".join(document.get("findings") or []),
        "error": error.get("code"),
    }
    return {column: _cell(values[column]) for column in CSV_COLUMNS}


#: A cell a spreadsheet would run as a formula starts with one of these (OWASP, "CSV
#: Injection"): keys and names come from uploads, so such a cell is quoted with `'`.
FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    """Absent as an empty cell, booleans as JSON writes them (true/false), and a text a
    spreadsheet would take for a formula led by `'` so that it stays text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if text == "-":  # standard input's name: a sign alone is no formula, and stays as written
        return text
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def records_csv(documents: list[dict[str, Any]]) -> str:
    """A header and one row per image, quoted by the csv module where a cell needs it."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    writer.writerows(csv_row(document) for document in documents)
    return out.getvalue()
