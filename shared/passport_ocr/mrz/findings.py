"""The `mrz.*` findings a reading produces (codes listed in the package docstring)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from passport_ocr import countries
from passport_ocr.mrz.ambiguity import blind_field
from passport_ocr.mrz.dates import safe_date, years_between
from passport_ocr.mrz.layouts import CharClass, Layout, allowed, field_label, record_field
from passport_ocr.mrz.repair import LineEditor
from passport_ocr.mrz.results import MrzFields, NameParts
from passport_ocr.record import CheckDigit, Finding, Severity, Substitution


def date_findings(
    birth: date | None, expiry: date | None, today: date, *, carries_expiry: bool = True
) -> list[Finding]:
    """`carries_expiry=False`: the format has no expiry date (FRA_ID), so none is missing."""
    findings: list[Finding] = []
    dated = (("birth_date", birth), ("expiry_date", expiry))
    for name, resolved in dated if carries_expiry else dated[:1]:
        if resolved is None:
            findings.append(invalid_date(name, "YYMMDD"))
    if birth is not None:
        other = safe_date(birth.year - 100, birth.month, birth.day)
        if other is not None and years_between(other, today) <= 120:
            findings.append(
                Finding(
                    code="mrz.date_ambiguous",
                    field="birth_date",
                    severity=Severity.INFO,
                    message="birth date century is ambiguous (both readings give an age "
                    "of 120 or less); the most recent one was taken",
                )
            )
    # No "too far ahead" expiry check: `dates.resolve_expiry` never resolves beyond
    # EXPIRY_YEARS_AHEAD, so a far-future typo shows as an expiry before the birth date.
    if birth is not None and expiry is not None and birth >= expiry:
        findings.append(implausible("birth_date", "birth date is not before expiry date"))
    return findings


def invalid_date(name: str, form: str) -> Finding:
    return Finding(
        code="mrz.date_invalid",
        field=name,
        severity=Severity.ERROR,
        message=f"{field_label(name)} is not a calendar date in {form} form",
    )


def implausible(name: str, why: str) -> Finding:
    return Finding(code="mrz.date_implausible", field=name, severity=Severity.WARNING, message=why)


def charset_findings(lines: Sequence[str], layout: Layout) -> list[Finding]:
    return class_findings(
        lines,
        layout.class_map(),
        lambda line, pos: record_field(layout.field_at(line, pos)),
        position="its ICAO position",
    )


def class_findings(
    lines: Sequence[str],
    classes: Sequence[Sequence[CharClass]],
    field_at: Callable[[int, int], str | None],
    *,
    position: str,
) -> list[Finding]:
    """`mrz.charset` for each field holding a character its class does not allow."""
    bad_fields: list[str] = []
    for line_index, line in enumerate(lines):
        for pos, char in enumerate(line):
            if not allowed(classes[line_index][pos], char):
                name = field_at(line_index, pos) or "mrz"
                if name not in bad_fields:
                    bad_fields.append(name)
    return [
        Finding(
            code="mrz.charset",
            field=name,
            severity=Severity.ERROR,
            message=f"{field_label(name)} holds characters {position} does not allow",
        )
        for name in bad_fields
    ]


def state_findings(fields: MrzFields) -> list[Finding]:
    findings: list[Finding] = []
    for name, code in (
        ("issuing_state", fields.issuing_state),
        ("nationality", fields.nationality),
    ):
        if countries.is_specimen(code):
            findings.append(
                Finding(
                    code="mrz.specimen_state",
                    field=name,
                    severity=Severity.INFO,
                    message=f"{field_label(name)} is a specimen state (e.g. Utopia)",
                )
            )
        elif not countries.is_known(code):
            findings.append(
                Finding(
                    code="mrz.unknown_state",
                    field=name,
                    severity=Severity.WARNING,
                    message=f"{field_label(name)} is not an ICAO 9303 state code",
                )
            )
    return findings


def ambiguity_findings(fields: Sequence[str]) -> list[Finding]:
    return [
        Finding(
            code="mrz.ambiguous_reading",
            field=name,
            severity=Severity.WARNING,
            message=f"{field_label(name)}: another reading, correcting characters out of step with "
            "their neighbours, satisfies the check digits too; only the printed page can "
            "tell which is right",
        )
        for name in fields
    ]


def repair_findings(editor: LineEditor) -> list[Finding]:
    repaired = [
        Finding(
            code="mrz.repaired",
            field=name,
            severity=Severity.INFO,
            message=f"{field_label(name)}: OCR confusion repaired (see substitutions)",
        )
        for name in editor.repaired_fields
    ]
    return repaired + editor.findings


def check_digit_findings(checks: Sequence[CheckDigit]) -> list[Finding]:
    return [
        Finding(
            code="mrz.check_digit",
            field=check.field,
            severity=Severity.ERROR,
            message=f"{field_label(check.field)} check digit does not match",
        )
        for check in checks
        if not check.valid
    ]


def blind_findings(fields: MrzFields, layout: Layout, repaired: set[str]) -> list[Finding]:
    blind = set(repaired)
    for name in ("document_number", "optional_data"):
        if name in layout.checks and blind_field(getattr(fields, name)):
            blind.add(name)
    return blind_field_findings(blind)


def blind_field_findings(blind: set[str]) -> list[Finding]:
    """`mrz.check_digit_blind` for each named field."""
    return [
        Finding(
            code="mrz.check_digit_blind",
            field=name,
            severity=Severity.INFO,
            message=f"{field_label(name)} is not verified by its check digit alone (an OCR "
            "look-alike of equal value such as G/6, or a repair the check digit chose); "
            "only the printed page can confirm it",
        )
        for name in sorted(blind)
    ]


def cleaning_findings(subs: Sequence[Substitution]) -> list[Finding]:
    if not subs:
        return []
    return [
        Finding(
            code="mrz.cleaned",
            field=None,
            severity=Severity.INFO,
            message=f"{len(subs)} character(s) cleaned (spaces, case, glyphs, length)",
        )
    ]


def truncation_findings(names: NameParts) -> list[Finding]:
    if not names.possibly_truncated:
        return []
    return [
        Finding(
            code="mrz.name_truncated",
            field="given_names" if names.given_names else "surname",
            severity=Severity.WARNING,
            message="the name field is full to its last position; the name may be truncated",
        )
    ]
