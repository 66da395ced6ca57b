"""`read_mrz`: clean, detect, repair, parse, and judge one machine readable zone."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from passport_ocr.errors import MrzError
from passport_ocr.mrz.ambiguity import ambiguous_fields
from passport_ocr.mrz.checkdigits import FILLER, safe_check_digit
from passport_ocr.mrz.cleaning import clean_lines, split_text
from passport_ocr.mrz.dates import resolve_birth, resolve_expiry
from passport_ocr.mrz.detection import detect_format
from passport_ocr.mrz.findings import (
    ambiguity_findings,
    blind_findings,
    charset_findings,
    check_digit_findings,
    cleaning_findings,
    date_findings,
    repair_findings,
    state_findings,
    truncation_findings,
)
from passport_ocr.mrz.french_read import read_french_id
from passport_ocr.mrz.layouts import LAYOUTS, Layout, Span, long_number
from passport_ocr.mrz.names import parse_names
from passport_ocr.mrz.repair import check_verdict, repair_lines
from passport_ocr.mrz.results import MrzFields, MrzReading, NameParts
from passport_ocr.mrz.sex import sex_from_marker
from passport_ocr.mrz.structure import MAX_STRUCTURE_MISSES, structure_misses
from passport_ocr.record import CheckDigit, Finding, Mrz, MrzFormat, Severity


def _check_digits(lines: Sequence[str], layout: Layout) -> list[CheckDigit]:
    """Every check digit's verdict, strict (ICAO 9303) and lenient (`check_verdict`)."""
    results: list[CheckDigit] = []
    for name in layout.checks:
        verdict = check_verdict(lines, layout, name)
        results.append(
            CheckDigit(
                field=name,
                found=verdict.found,
                computed=verdict.computed,
                valid=verdict.lenient,
                valid_strict=verdict.strict,
            )
        )
    if layout.composite_at is not None:
        line, pos = layout.composite_at
        found = lines[line][pos]
        computed = safe_check_digit("".join(span.read(lines) for span in layout.composite)) or "?"
        results.append(
            CheckDigit(
                field="composite",
                found=found,
                computed=computed,
                valid=found == computed,
                valid_strict=found == computed,
            )
        )
    return results


def _optional(lines: Sequence[str], span: Span, long_number: bool) -> str:
    optional = span.read(lines)
    if long_number:
        # Skip the number's tail, its check digit and the filler that ends them.
        run = optional.split(FILLER, 1)[0]
        optional = optional[len(run) + 1 :]
    return optional.rstrip(FILLER)


def _parse(
    lines: Sequence[str], layout: Layout, today: date
) -> tuple[MrzFields, list[CheckDigit], NameParts]:
    spans = layout.spans()
    long = long_number(lines, layout)
    checks = _check_digits(lines, layout)
    names = parse_names(spans["name"].read(lines))
    birth_raw = spans["birth_date"].read(lines)
    expiry_raw = spans["expiry_date"].read(lines)
    optional = _optional(lines, layout.optional_data, long is not None)
    optional_2 = (
        layout.optional_data_2.read(lines).rstrip(FILLER)
        if layout.optional_data_2 is not None
        else None
    )
    fields = MrzFields(
        document_code=spans["document_code"].read(lines).rstrip(FILLER),
        issuing_state=spans["issuing_state"].read(lines).rstrip(FILLER),
        surname=names.surname,
        given_names=names.given_names,
        document_number=(long[0] if long else spans["document_number"].read(lines).rstrip(FILLER)),
        nationality=spans["nationality"].read(lines).rstrip(FILLER),
        birth_date_raw=birth_raw,
        birth_date=resolve_birth(birth_raw, today),
        expiry_date_raw=expiry_raw,
        expiry_date=resolve_expiry(expiry_raw, today),
        sex=sex_from_marker(spans["sex"].read(lines)),
        optional_data=optional,
        optional_data_2=optional_2,
    )
    return fields, checks, names


def read_mrz(
    text: str | Sequence[str], *, repair: bool = True, today: date | None = None
) -> MrzReading:
    """Read vendor MRZ text. Raises `MrzError` only when it cannot be an MRZ at all (no
    ICAO shape, or prose of the right lengths: `structure.structure_misses`).

    `repair=False` keeps the cleaned lines as they are (cleaning still happens: spaces,
    case, length); `today` anchors the two-digit years (default: the current date).
    """
    today = today or date.today()
    cleaned, cleaning_subs = clean_lines(text)
    lines_read = tuple(split_text(text))
    fmt = detect_format(cleaned)
    if fmt is MrzFormat.FRA_ID:
        return read_french_id(cleaned, lines_read, cleaning_subs, repair=repair, today=today)
    layout = LAYOUTS[fmt]
    misses = structure_misses(cleaned, layout)
    if len(misses) > MAX_STRUCTURE_MISSES:
        raise MrzError(
            "no MRZ found: the lines lack an MRZ's structure (" + ", ".join(misses) + ")"
        )
    editor = repair_lines(cleaned, layout) if repair else None
    lines = editor.text() if editor is not None else cleaned
    fields, checks, names = _parse(lines, layout, today)

    findings: list[Finding] = cleaning_findings(cleaning_subs)
    if editor is not None:
        findings.extend(repair_findings(editor))
    findings.extend(check_digit_findings(checks))
    charset = charset_findings(lines, layout)
    dates = date_findings(fields.birth_date, fields.expiry_date, today)
    findings.extend(charset + dates + truncation_findings(names) + state_findings(fields))
    findings.extend(
        blind_findings(fields, layout, editor.blind_fields if editor is not None else set())
    )
    findings.extend(ambiguity_findings(ambiguous_fields(lines, layout)))

    structure_ok = not charset and not any(f.code == "mrz.date_invalid" for f in dates)
    valid = structure_ok and all(check.valid for check in checks)
    valid_strict = structure_ok and all(check.valid_strict for check in checks)
    if valid and not valid_strict:
        findings.append(
            Finding(
                code="mrz.lenient_only",
                field=None,
                severity=Severity.INFO,
                message="valid only under the reader's lenient rules (a long document "
                "number's check digit computed with its filler), not by ICAO 9303",
            )
        )
    mrz = Mrz(
        format=layout.format,
        lines_read=lines_read,
        lines=tuple(lines),
        check_digits=tuple(checks),
        valid=valid,
        valid_strict=valid_strict,
        substitutions=tuple(cleaning_subs + (editor.subs if editor is not None else [])),
    )
    return MrzReading(mrz=mrz, fields=fields, findings=tuple(findings))
