"""Reading the French identity card's zone (`french_id`) by its own rules.

The same evidence rules as the ICAO path (`repair`, `findings`), on the card's table:
- repair: a digit where the `IDFRA` prefix or a name stands becomes its letter look-alike
  (a filler look-alike alone in a name's padding becomes `<`); letters where the issue
  month, the sequence number, the birth date or a check digit stand become their digit
  look-alikes only if the field's check digit then agrees (more than one way:
  `mrz.ambiguous_repair`, nothing changed); the composite's check character likewise.
  The department holds letters or digits, so only the ICAO alphanumeric rule reaches it: a
  character out of step with both neighbours takes the one look-alike that makes the
  number's check digit and the composite agree, and is then `mrz.check_digit_blind`.
- findings: the ICAO codes for the same facts (`mrz.check_digit`, `mrz.charset`,
  `mrz.date_invalid`, ...), plus `mrz.not_icao` (info: a national layout, not ICAO 9303)
  and `mrz.no_expiry` (info: the zone carries no expiry date, so none is checked).
- valid and valid_strict: the card's three check digits agree, every character fits its
  class and the birth date is a calendar date (the card has no tolerances of its own).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import date
from typing import Final

from passport_ocr.errors import MrzError
from passport_ocr.mrz import french_id
from passport_ocr.mrz.ambiguity import blind_field
from passport_ocr.mrz.checkdigits import FILLER
from passport_ocr.mrz.dates import resolve_birth, resolve_two_digit_year
from passport_ocr.mrz.findings import (
    blind_field_findings,
    check_digit_findings,
    class_findings,
    cleaning_findings,
    date_findings,
    implausible,
    invalid_date,
    repair_findings,
    state_findings,
    truncation_findings,
)
from passport_ocr.mrz.layouts import Span, field_label
from passport_ocr.mrz.lookalikes import DIGIT_FOR_LETTER, FILLER_LOOKALIKES, LETTER_FOR_DIGIT
from passport_ocr.mrz.repair import LineEditor, alnum_choices, isolated_in_fillers
from passport_ocr.mrz.results import MrzFields, MrzReading, NameParts
from passport_ocr.mrz.sex import sex_from_marker
from passport_ocr.mrz.structure import MAX_STRUCTURE_MISSES
from passport_ocr.record import CheckDigit, Finding, Mrz, Severity, Substitution

#: The card is issued only to French citizens: "La carte nationale d'identité est délivrée
#: ... à tout Français qui en fait la demande" (Décret n° 55-1397 du 22 octobre 1955,
#: article 2, https://www.legifrance.gouv.fr/loda/article_lc/LEGIARTI000035977535), so
#: its holder's nationality is France's, though the zone does not state it.
NATIONALITY: Final = "FRA"


def _span_places(span: Span) -> list[tuple[int, int]]:
    return [(span.line, pos) for pos in range(span.start, span.end)]


def _protected_digits() -> dict[str, list[tuple[int, int]]]:
    spans = french_id.SPANS
    checks = {check.name: check.at for check in french_id.CHECKS}
    return {
        "document_number": [
            *_span_places(spans["issue_month"]),
            *_span_places(spans["sequence"]),
            checks["document_number"],
        ],
        "birth_date": [*_span_places(spans["birth_date"]), checks["birth_date"]],
    }


def _repair(lines: Sequence[str]) -> LineEditor:
    editor = LineEditor(lines, french_id.field_at)
    for pos, letter in enumerate(french_id.PREFIX):
        if editor.lines[0][pos] != letter and letter in LETTER_FOR_DIGIT.get(
            editor.lines[0][pos], ()
        ):
            editor.set(0, pos, letter, "character_class")
    for name in ("surname", "given_names"):
        _repair_name(editor, french_id.SPANS[name])
    checks = {check.name: check for check in french_id.CHECKS}
    for name, places in _protected_digits().items():
        _repair_digits(editor, checks[name], places)
    _repair_department(editor, checks["document_number"], checks["composite"])
    _repair_composite(editor, checks["composite"])
    return editor


def _repair_department(
    editor: LineEditor, number: french_id.Check, composite: french_id.Check
) -> None:
    """The department holds letters or digits, so only the ICAO alphanumeric rule applies
    (`repair.alnum_choices`): a character out of step with both neighbours takes its
    look-alike when that alone makes the number's check digit and the composite agree. The
    check digit chose it, so it cannot vouch for it: `mrz.check_digit_blind`."""
    if number.agrees(editor.text()):
        return
    span, department = french_id.DOCUMENT_NUMBER, french_id.SPANS["department"]
    text = span.read(editor.text())
    winners: list[tuple[int, str]] = []
    for pos in range(department.start, department.end):
        for choice in alnum_choices(text, pos - span.start):
            trial = editor.text()
            trial[span.line] = trial[span.line][:pos] + choice + trial[span.line][pos + 1 :]
            if number.agrees(trial) and composite.agrees(trial):
                winners.append((pos, choice))
    if len(winners) == 1:
        pos, choice = winners[0]
        editor.set(span.line, pos, choice, "check_digit")
        editor.blind_fields.add(number.name)
    elif winners:
        editor.findings.append(_ambiguous(number.name))


def _repair_name(editor: LineEditor, span: Span) -> None:
    text = span.read(editor.text())
    for offset, char in enumerate(text):
        if isolated_in_fillers(text, offset) and char in FILLER_LOOKALIKES:
            editor.set(span.line, span.start + offset, FILLER, "filler")
        elif char.isdigit() and char in LETTER_FOR_DIGIT:
            editor.set(span.line, span.start + offset, LETTER_FOR_DIGIT[char][0], "character_class")


def _repair_digits(
    editor: LineEditor, check: french_id.Check, places: Sequence[tuple[int, int]]
) -> None:
    """Letters in a field's digit places become digits, if its check digit then agrees."""
    chars = [editor.lines[line][pos] for line, pos in places]
    if all(char.isdigit() for char in chars):
        return
    options = [(char,) if char.isdigit() else DIGIT_FOR_LETTER.get(char, ()) for char in chars]
    if any(not option for option in options):
        return
    winners = []
    for combo in itertools.product(*options):
        trial = [list(line) for line in editor.lines]
        for (line, pos), char in zip(places, combo, strict=True):
            trial[line][pos] = char
        if check.agrees(["".join(line) for line in trial]):
            winners.append(combo)
    if len(winners) > 1:
        editor.findings.append(_ambiguous(check.name))
    if len(winners) != 1:
        return
    for (line, pos), before, after in zip(places, chars, winners[0], strict=True):
        if before != after:
            editor.set(line, pos, after, "character_class")


def _ambiguous(name: str) -> Finding:
    return Finding(
        code="mrz.ambiguous_repair",
        field=name,
        severity=Severity.WARNING,
        message=f"{field_label(name)}: more than one OCR repair satisfies the check digit; "
        "nothing was changed",
    )


def _repair_composite(editor: LineEditor, check: french_id.Check) -> None:
    line, pos = check.at
    char = editor.lines[line][pos]
    if char.isdigit():
        return
    computed = check.computed(editor.text())
    if computed is not None and computed in DIGIT_FOR_LETTER.get(char, ()):
        editor.set(line, pos, computed, "character_class")


def _words(field: str) -> str:
    """A name field as words: every run of fillers is one space (`<<` parts given names)."""
    return " ".join(field.replace(FILLER, " ").split())


def _issue_month(raw: str, today: date) -> str | None:
    """YYMM as YYYY-MM, its century by the one rule for past dates (`dates`)."""
    if len(raw) != 4 or not raw.isdigit() or not 1 <= int(raw[2:]) <= 12:
        return None
    year = resolve_two_digit_year(int(raw[:2]), int(raw[2:]), 1, "past", today)
    return f"{year:04d}-{raw[2:]}"


def _parse(lines: Sequence[str], today: date) -> tuple[MrzFields, NameParts]:
    spans = french_id.SPANS
    surname_field = spans["surname"].read(lines)
    given_field = spans["given_names"].read(lines)
    names = NameParts(
        surname=_words(surname_field),
        given_names=_words(given_field),
        possibly_truncated=not surname_field.endswith(FILLER) or not given_field.endswith(FILLER),
    )
    birth_raw = spans["birth_date"].read(lines)
    issue_raw = spans["issue_month"].read(lines)
    fields = MrzFields(
        document_code=spans["document_code"].read(lines).rstrip(FILLER),
        issuing_state=spans["issuing_state"].read(lines).rstrip(FILLER),
        surname=names.surname,
        given_names=names.given_names,
        document_number=french_id.DOCUMENT_NUMBER.read(lines).rstrip(FILLER),
        nationality=NATIONALITY,
        birth_date_raw=birth_raw,
        birth_date=resolve_birth(birth_raw, today),
        expiry_date_raw="",
        expiry_date=None,
        sex=sex_from_marker(spans["sex"].read(lines)),
        optional_data=spans["office"].read(lines).rstrip(FILLER),
        optional_data_2=None,
        issue_month_raw=issue_raw,
        issue_month=_issue_month(issue_raw, today),
    )
    return fields, names


def _check_digits(lines: Sequence[str]) -> list[CheckDigit]:
    results = []
    for check in french_id.CHECKS:
        found, agrees = check.found(lines), check.agrees(lines)
        results.append(
            CheckDigit(
                field=check.name,
                found=found,
                computed=check.computed(lines) or "?",
                valid=agrees,
                valid_strict=agrees,
            )
        )
    return results


def _issue_findings(fields: MrzFields) -> list[Finding]:
    if fields.issue_month is None:
        return [invalid_date("issue_month", "YYMM")]
    birth = fields.birth_date
    if birth is not None and fields.issue_month < f"{birth.year:04d}-{birth.month:02d}":
        return [implausible("issue_month", "issue date is before the birth date")]
    return []


_FORMAT_FINDINGS: Final = (
    Finding(
        code="mrz.not_icao",
        field=None,
        severity=Severity.INFO,
        message="French national identity card (1988-2021): a national zone, not an ICAO "
        "9303 travel document; read and checked by the card's own layout and check digits",
    ),
    Finding(
        code="mrz.no_expiry",
        field="expiry_date",
        severity=Severity.INFO,
        message="this format carries no expiry date: none is read or checked from the MRZ",
    ),
)


def read_french_id(
    cleaned: Sequence[str],
    lines_read: Sequence[str],
    cleaning_subs: Sequence[Substitution],
    *,
    repair: bool,
    today: date,
) -> MrzReading:
    """`read_mrz` for lines `detection.is_french_id` found to be the French card; `MrzError`
    for lines of its shape that lack its structure (`french_id.structure_misses`)."""
    misses = french_id.structure_misses(cleaned)
    if len(misses) > MAX_STRUCTURE_MISSES:
        raise MrzError(
            "no MRZ found: the lines lack an MRZ's structure (" + ", ".join(misses) + ")"
        )
    editor = _repair(cleaned) if repair else None
    lines = editor.text() if editor is not None else list(cleaned)
    fields, names = _parse(lines, today)
    checks = _check_digits(lines)

    findings = [*_FORMAT_FINDINGS, *cleaning_findings(cleaning_subs)]
    if editor is not None:
        findings.extend(repair_findings(editor))
    findings.extend(check_digit_findings(checks))
    charset = class_findings(
        lines, french_id.class_map(), french_id.field_at, position="its position on the card"
    )
    dates = date_findings(fields.birth_date, None, today, carries_expiry=False)
    dates += _issue_findings(fields)
    findings.extend(charset + dates + truncation_findings(names) + state_findings(fields))
    blind = set(editor.blind_fields) if editor is not None else set()
    if blind_field(fields.document_number):
        blind.add("document_number")
    findings.extend(blind_field_findings(blind))

    valid = (
        not charset
        and not any(f.code == "mrz.date_invalid" for f in dates)
        and all(check.valid for check in checks)
    )
    mrz = Mrz(
        format=french_id.FORMAT,
        lines_read=tuple(lines_read),
        lines=tuple(lines),
        check_digits=tuple(checks),
        valid=valid,
        valid_strict=valid,
        substitutions=(*cleaning_subs, *(editor.subs if editor is not None else ())),
    )
    return MrzReading(mrz=mrz, fields=fields, findings=tuple(findings))
