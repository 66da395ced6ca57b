"""From a vendor `Draft` to a checked `PassportRecord`: MRZ read, merge, cross-checks, status.

Policy (the same for every vendor):

- The MRZ is read with `passport_ocr.mrz.read_mrz` (cleaning, check digits, repair).
  Lines that the vendor masked (`XXXX`) are read without repair, so that no repair can
  invent the hidden characters.
- Which value a record field holds when the MRZ and the printed page disagree: the MRZ
  value, because it is in ICAO form and, for the document number and the dates, verified
  by its check digit. The one exception: a check-digit-protected field whose check digit
  fails while the printed page has a value; then the printed value is kept, since the MRZ
  one is known to be wrong or suspect. Every disagreement is a `cross_check.mismatch`
  error finding either way, so the record is `invalid` and nothing is hidden.
- Provenance per field: `mrz_and_printed` when both sources have it and agree, else the
  source the value came from. Fields the vendor parsed out of the MRZ itself
  (`Draft.vendor_mrz`) are used only when the MRZ lines are missing or unusable, and are
  then marked `mrz`: they never confirm the MRZ.
- Status: any error finding -> `invalid`; else any warning -> `needs_review`; else
  `valid`. `status_rule` is the code of the first finding of the deciding severity, in
  the order findings are listed (MRZ, cross-checks, vendor, caller's, document), or
  `all_checks_passed`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Final

from passport_ocr import countries
from passport_ocr.draft import Draft, PageFields, has_non_latin
from passport_ocr.errors import MrzError
from passport_ocr.mrz import MrzReading, check_digit_blind_pairs, read_mrz
from passport_ocr.mrz.sex import sex_from_marker
from passport_ocr.policy import DocumentPolicy
from passport_ocr.record import (
    DocumentKind,
    Finding,
    MrzFormat,
    PassportRecord,
    Provenance,
    Severity,
    Status,
)

#: Fields both the MRZ and the printed page state, in the order they are reported.
SHARED_FIELDS: Final = (
    "document_code",
    "issuing_state",
    "document_number",
    "surname",
    "given_names",
    "nationality",
    "sex",
    "birth_date",
    "expiry_date",
)
#: Fields only the printed page states.
PRINTED_ONLY: Final = (
    "issue_date",
    "place_of_birth",
    "place_of_issue",
    "issuing_authority",
    "personal_number",
)
#: Fields whose MRZ value a check digit protects (CheckDigit.field names).
PROTECTED: Final = frozenset({"document_number", "birth_date", "expiry_date"})
#: The document code is not cross-checked: vendors print national type letters where the
#: MRZ carries ICAO codes (PO, PD); the mapper states their kind (`Draft.printed_kind`).
NOT_CROSS_CHECKED: Final = frozenset({"document_code"})

_MASK: Final = re.compile(r"X{4}|\*{2,}|#{3,}")

#: No checks beyond the expiry (a warning): what a record gets unless the operator asks.
DEFAULT_POLICY: Final = DocumentPolicy()


@dataclass(frozen=True)
class _Merged:
    values: dict[str, object]
    provenance: dict[str, Provenance]


@dataclass(frozen=True)
class Assessment:
    """What checking a draft found: the MRZ reading, the merged values, the findings."""

    reading: MrzReading | None
    merged: _Merged
    findings: tuple[Finding, ...]


def build_record(
    draft: Draft,
    *,
    today: date | None = None,
    extra_findings: Sequence[Finding] = (),
    policy: DocumentPolicy = DEFAULT_POLICY,
) -> PassportRecord:
    """Check a draft and make the record, with findings and a status."""
    assessment = assess(
        draft, today=today or date.today(), extra_findings=extra_findings, policy=policy
    )
    return construct_record(draft, assessment)


def assess(
    draft: Draft,
    *,
    today: date,
    extra_findings: Sequence[Finding] = (),
    policy: DocumentPolicy = DEFAULT_POLICY,
) -> Assessment:
    """Read the MRZ, merge it with the printed page, and list every finding, in order."""
    printed, country_findings = _normalize_countries(draft.printed)
    vendor_mrz, _ = _normalize_countries(draft.vendor_mrz)
    masked = _masked(draft)

    mrz_findings: list[Finding] = []
    reading = _read(draft.mrz_lines, masked=masked, today=today, findings=mrz_findings)
    mrz_values = _mrz_values(reading) if reading is not None else {}
    if reading is not None:
        mrz_findings = _adjust_engine_findings(
            reading, printed, mrz_values, draft.confidence, masked=masked
        )

    cross: list[Finding] = []
    merged = _merge(reading, mrz_values, printed, vendor_mrz, masked=masked, findings=cross)
    if reading is not None:
        cross.extend(_vendor_parse_differences(vendor_mrz, mrz_values, masked=masked))

    vendor_findings = [*country_findings, *draft.findings, *_masked_findings(masked)]
    document_findings = policy.findings(merged.values, today) + _low_confidence_findings(
        draft.confidence, merged.provenance, fixed=_fixed_by_format(reading)
    )
    findings = (*mrz_findings, *cross, *vendor_findings, *extra_findings, *document_findings)
    return Assessment(reading, merged, findings)


def construct_record(draft: Draft, assessment: Assessment) -> PassportRecord:
    """The record the assessment supports: merged values, provenance, findings, status."""
    status, rule = decide_status(assessment.findings)
    values, provenance, reading = (
        assessment.merged.values,
        assessment.merged.provenance,
        assessment.reading,
    )
    # A type letter from the printed page may be national: the mapper gave its kind.
    from_page = provenance.get("document_code") is Provenance.PRINTED
    return PassportRecord(
        document_code=_str(values.get("document_code")),
        document_kind=document_kind(
            _str(values.get("document_code")),
            _str(values.get("issuing_state")),
            printed_kind=draft.printed_kind if from_page else None,
        ),
        issuing_state=_str(values.get("issuing_state")),
        document_number=_str(values.get("document_number")),
        surname=_str(values.get("surname")),
        given_names=_str(values.get("given_names")),
        nationality=_str(values.get("nationality")),
        sex=sex_from_marker(values.get("sex")),
        birth_date=_date(values.get("birth_date")),
        expiry_date=_date(values.get("expiry_date")),
        issue_date=_date(values.get("issue_date")),
        issue_month=_str(values.get("issue_month")),
        place_of_birth=_str(values.get("place_of_birth")),
        place_of_issue=_str(values.get("place_of_issue")),
        issuing_authority=_str(values.get("issuing_authority")),
        personal_number=_str(values.get("personal_number")),
        optional_data=_str(values.get("optional_data")),
        local=draft.local,
        signature=draft.signature,
        mrz=reading.mrz if reading is not None else None,
        confidence=dict(draft.confidence),
        provenance=provenance,
        findings=assessment.findings,
        status=status,
        status_rule=rule,
        source=draft.source,
    )


def _masked_findings(masked: bool) -> list[Finding]:
    if not masked:
        return []
    return [
        Finding(
            code="vendor.masked_value",
            field="document_number",
            severity=Severity.WARNING,
            message="the vendor masked part of the document number (XXXX); it cannot be "
            "verified or compared",
        )
    ]


def decide_status(findings: Sequence[Finding]) -> tuple[Status, str]:
    """Errors make a record invalid, warnings send it to review; the first one names why."""
    for severity, status in (
        (Severity.ERROR, Status.INVALID),
        (Severity.WARNING, Status.NEEDS_REVIEW),
    ):
        for finding in findings:
            if finding.severity == severity:
                return status, finding.code
    return Status.VALID, "all_checks_passed"


# --- the MRZ ---------------------------------------------------------------------------


def _read(
    lines: tuple[str, ...], *, masked: bool, today: date, findings: list[Finding]
) -> MrzReading | None:
    if not lines:
        findings.append(
            Finding(
                code="mrz.absent",
                field="mrz",
                severity=Severity.WARNING,
                message="the answer has no MRZ: nothing verifies the printed fields",
            )
        )
        return None
    try:
        # Masked lines: no repair, so that nothing is "repaired" into the hidden part.
        return read_mrz(list(lines), repair=not masked, today=today)
    except MrzError as error:
        findings.append(
            Finding(
                code="mrz.unreadable",
                field="mrz",
                severity=Severity.WARNING,
                message=f"the MRZ cannot be read ({error.message}); the fields are unverified",
            )
        )
        return None


def _mrz_values(reading: MrzReading) -> dict[str, object]:
    fields = reading.fields
    optional = " ".join(
        part for part in (fields.optional_data, getattr(fields, "optional_data_2", None)) if part
    )
    values: dict[str, object] = {
        "document_code": fields.document_code,
        "issuing_state": fields.issuing_state,
        "document_number": fields.document_number,
        "surname": fields.surname,
        "given_names": fields.given_names,
        "nationality": fields.nationality,
        "sex": sex_from_marker(fields.sex),
        "birth_date": fields.birth_date,
        "expiry_date": fields.expiry_date,
        "optional_data": optional,
        "issue_month": fields.issue_month,  # FRA_ID only
    }
    return {name: value for name, value in values.items() if value not in (None, "")}


def _check_digit_ok(reading: MrzReading | None, field: str) -> bool:
    if reading is None:
        return False
    verdicts = [check.valid for check in reading.mrz.check_digits if check.field == field]
    return bool(verdicts) and all(verdicts)


def _low_confidence_findings(
    confidence: Mapping[str, float],
    provenance: Mapping[str, Provenance],
    *,
    fixed: frozenset[str] = frozenset(),
) -> list[Finding]:
    """Unprotected fields read with low confidence, unless the printed page agrees or the
    format fixes their value (`_fixed_by_format`)."""
    return [
        Finding(
            code="field.low_confidence",
            field=name,
            severity=Severity.WARNING,
            message="read with low confidence, and no check digit or printed value confirms it",
        )
        for name in _UNPROTECTED
        if confidence.get(name, 1.0) < LOW_CONFIDENCE
        and provenance.get(name) is not Provenance.MRZ_AND_PRINTED
        and name not in fixed
    ]


def _fixed_by_format(reading: MrzReading | None) -> frozenset[str]:
    """Fields whose value the MRZ format itself fixes: the French card is recognised by its
    `IDFRA` prefix (`mrz.detection.is_french_id`), so its code and state cannot be other
    than `ID` and `FRA`, however doubtfully the reader saw them."""
    if reading is not None and reading.mrz.format is MrzFormat.FRA_ID:
        return frozenset({"document_code", "issuing_state"})
    return frozenset()


#: MRZ findings that only the printed page can settle.
_NEEDS_CONFIRMATION = frozenset({"mrz.check_digit_blind", "mrz.ambiguous_reading"})
#: Where the printed page states what an MRZ field holds, when the names differ.
_PRINTED_COUNTERPART = {"optional_data": "personal_number"}

#: Fields no check digit protects: only the reader's confidence or the printed page vouch.
_UNPROTECTED = ("document_code", "issuing_state", "surname", "given_names", "nationality", "sex")
#: Below this confidence an unprotected field needs a person (or the printed page).
LOW_CONFIDENCE = 0.5

#: Below this reader confidence, a blind-spot character is treated as doubtful. A look-alike
#: read wrongly (G for 6, S for 8, ...) is invisible to every check digit, so only the
#: reader's own doubt can catch it: at 0.90 the offline engine let one through (a G read as
#: 6 at 0.902, in 800 development pages); 0.95 sends 8 % more records to review instead.
BLIND_SPOT_MIN_CONFIDENCE = 0.95
#: Number fields, where letters and digits both belong, so a look-alike has no class to betray it.
_ALPHANUMERIC_FIELDS = ("document_number", "optional_data")
_LOOK_ALIKES = frozenset(char for pair in check_digit_blind_pairs() for char in pair) - {"<"}


def _adjust_engine_findings(
    reading: MrzReading,
    printed: PageFields,
    mrz_values: Mapping[str, object],
    confidence: Mapping[str, float],
    *,
    masked: bool,
) -> list[Finding]:
    """The engine's findings, re-graded with what the printed page and the vendor tell.

    - A check digit that fails only because the vendor masked the document number (the
      number itself, or the composite over it) is an artefact: info, not an error.
    - `mrz.check_digit_blind` (a value no check digit can vouch for): info when the printed
      page states the same value. Without that confirmation it is a warning when there is
      evidence of doubt: the check digit itself chose a repair in the field, or the reader's
      confidence in the field is below `BLIND_SPOT_MIN_CONFIDENCE`. A look-alike read
      confidently and left as read stays info: flagging every G-series number on no
      evidence would make `valid` unreachable for MRZ-only readers.
    """
    repaired = {sub.field for sub in reading.mrz.substitutions if sub.reason == "check_digit"}
    regraded = [
        _regrade(
            f, reading, printed, mrz_values, confidence=confidence, repaired=repaired, masked=masked
        )
        for f in reading.findings
    ]
    return regraded + _doubtful_look_alikes(regraded, printed, mrz_values, confidence, reading)


def _printed_confirms(
    name: str, printed: PageFields, mrz_value: object, reading: MrzReading
) -> bool:
    """The printed page states the same value as the MRZ for this field."""
    confirmed = getattr(printed, _PRINTED_COUNTERPART.get(name, name), None)
    return confirmed is not None and _agree(name, confirmed, mrz_value, reading)


def _doubtful_look_alikes(
    findings: Sequence[Finding],
    printed: PageFields,
    mrz_values: Mapping[str, object],
    confidence: Mapping[str, float],
    reading: MrzReading,
) -> list[Finding]:
    """Look-alikes anywhere in a number field read with doubt, not only where letters meet
    digits (which `mrz.check_digit_blind` already covers): `4G006166` read as `46006166`
    is all digits and passes every check digit."""
    covered = {f.field for f in findings if f.code == "mrz.check_digit_blind"}
    doubtful = []
    for name in _ALPHANUMERIC_FIELDS:
        value, field_confidence = mrz_values.get(name), confidence.get(name)
        if (
            name in covered
            or not isinstance(value, str)
            or not _LOOK_ALIKES & set(value)
            or field_confidence is None
            or field_confidence >= BLIND_SPOT_MIN_CONFIDENCE
        ):
            continue
        if _printed_confirms(name, printed, value, reading):
            continue
        doubtful.append(
            Finding(
                code="mrz.check_digit_blind",
                field=name,
                severity=Severity.WARNING,
                message=f"{name.replace('_', ' ')} holds look-alikes no check digit can tell "
                "apart (G/6, L/1, U/0, S/8, K), read with low confidence, no printed value",
            )
        )
    return doubtful


def _regrade(
    finding: Finding,
    reading: MrzReading,
    printed: PageFields,
    mrz_values: Mapping[str, object],
    *,
    confidence: Mapping[str, float],
    repaired: set[str | None],
    masked: bool,
) -> Finding:
    if finding.code in _NEEDS_CONFIRMATION and finding.field is not None:
        field_confidence = confidence.get(finding.field)
        if _printed_confirms(finding.field, printed, mrz_values.get(finding.field), reading):
            severity, note = Severity.INFO, "the printed page confirms the value"
        elif finding.code == "mrz.ambiguous_reading":
            return finding  # the ambiguity itself is the evidence: stays a warning
        elif finding.field in repaired:
            severity, note = Severity.WARNING, "a repair chose it and no printed value confirms it"
        elif field_confidence is not None and field_confidence < BLIND_SPOT_MIN_CONFIDENCE:
            severity, note = Severity.WARNING, "read with low confidence, no printed value"
        else:
            return finding
    elif (
        masked
        and finding.code.startswith("mrz.check_digit")
        and finding.field in ("document_number", "composite")
    ):
        severity, note = Severity.INFO, "the vendor masked the document number"
    else:
        return finding
    return finding.model_copy(
        update={"severity": severity, "message": f"{finding.message} ({note})"}
    )


# --- merging and cross-checks ----------------------------------------------------------


def _merge(
    reading: MrzReading | None,
    mrz_values: Mapping[str, object],
    printed: PageFields,
    vendor_mrz: PageFields,
    *,
    masked: bool,
    findings: list[Finding],
) -> _Merged:
    values: dict[str, object] = {}
    provenance: dict[str, Provenance] = {}
    for name in SHARED_FIELDS:
        from_mrz = mrz_values.get(name)
        from_page = getattr(printed, name)
        if from_mrz is None and reading is None:
            from_mrz = getattr(vendor_mrz, name)  # the vendor's unverified parse
        if from_mrz is not None and from_page is not None:
            if name in NOT_CROSS_CHECKED or _agree(name, from_page, from_mrz, reading):
                values[name], provenance[name] = (
                    from_mrz,
                    (Provenance.MRZ if name in NOT_CROSS_CHECKED else Provenance.MRZ_AND_PRINTED),
                )
            elif name == "document_number" and masked:
                values[name], provenance[name] = from_mrz, Provenance.MRZ
            else:
                findings.append(_mismatch(name))
                keep_printed = name in PROTECTED and not _check_digit_ok(reading, name)
                values[name] = from_page if keep_printed else from_mrz
                provenance[name] = Provenance.PRINTED if keep_printed else Provenance.MRZ
        elif from_mrz is not None:
            values[name], provenance[name] = from_mrz, Provenance.MRZ
        elif from_page is not None:
            values[name], provenance[name] = from_page, Provenance.PRINTED
    for name in PRINTED_ONLY:
        value = getattr(printed, name)
        if value is not None:
            values[name], provenance[name] = value, Provenance.PRINTED
    for name in ("optional_data", "issue_month"):
        if name in mrz_values:
            values[name], provenance[name] = mrz_values[name], Provenance.MRZ
    return _Merged(values, provenance)


def _mismatch(name: str) -> Finding:
    return Finding(
        code="cross_check.mismatch",
        field=name,
        severity=Severity.ERROR,
        message=f"the printed page and the MRZ disagree on {name.replace('_', ' ')}",
    )


def _vendor_parse_differences(
    vendor_mrz: PageFields, mrz_values: Mapping[str, object], *, masked: bool
) -> list[Finding]:
    """Where the vendor's own MRZ parse differs from this engine's (for diagnosis only)."""
    differences: list[Finding] = []
    for name, value in vendor_mrz.present().items():
        ours = mrz_values.get(name)
        if ours is None or name in NOT_CROSS_CHECKED or (masked and name == "document_number"):
            continue
        if not _agree(name, value, ours, None):
            differences.append(
                Finding(
                    code="vendor.mrz_parse_differs",
                    field=name,
                    severity=Severity.INFO,
                    message=f"the vendor parsed {name.replace('_', ' ')} from the MRZ "
                    "differently; the checked MRZ value is used",
                )
            )
    return differences


def _agree(name: str, printed: object, mrz: object, reading: MrzReading | None) -> bool:
    if printed is None or mrz is None:
        return True
    if name in ("surname", "given_names"):
        return names_agree(str(printed), str(mrz), truncated=_names_truncated(reading))
    if name == "document_number":
        return _plain(str(printed)) == _plain(str(mrz))
    return printed == mrz


def _names_truncated(reading: MrzReading | None) -> bool:
    """True when the MRZ name field fills its line (ICAO truncation may have happened)."""
    if reading is None or not reading.mrz.lines:
        return False
    if reading.mrz.format is MrzFormat.FRA_ID:
        # Its names stand on both lines, each in a field of its own.
        return "mrz.name_truncated" in reading.finding_codes()
    names_line = reading.mrz.lines[2] if reading.mrz.format.value == "TD1" else reading.mrz.lines[0]
    return not names_line.endswith("<")


# --- names -----------------------------------------------------------------------------

#: ICAO 9303-3 §6 transliterations that differ from simply dropping the accent.
_ICAO_EXPANSIONS: Final = {
    "Ä": "AE",
    "Ö": "OE",
    "Ü": "UE",
    "Å": "AA",
    "Æ": "AE",
    "Ø": "OE",
    "Œ": "OE",
    "ß": "SS",
    "Þ": "TH",
    "Ð": "D",
    "Đ": "D",
    "Ł": "L",
    "Ĳ": "IJ",
}


#: The other common form: the base letter (letters without a Unicode decomposition listed).
_SIMPLE: Final = {
    "Ø": "O",
    "Đ": "D",
    "Ð": "D",
    "Ł": "L",
    "Æ": "AE",
    "Œ": "OE",
    "ß": "SS",
    "Þ": "TH",
    "Ĳ": "IJ",
}


def _strip_accents(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _name_forms(value: str) -> set[str]:
    """The MRZ forms a printed name may take: letters only, both transliteration styles."""
    upper = value.upper().replace("ẞ", "ß")
    expanded = "".join(_ICAO_EXPANSIONS.get(ch, ch) for ch in upper)
    simple = "".join(_SIMPLE.get(ch, ch) for ch in upper)
    return {_letters(_strip_accents(form)) for form in (expanded, simple)}


def _letters(value: str) -> str:
    # Spaces, hyphens, apostrophes and fillers all vanish: "O'NEIL-SMITH" ~ "ONEIL SMITH".
    return "".join(ch for ch in value.upper() if "A" <= ch <= "Z")


def names_agree(printed: str, mrz: str, *, truncated: bool = False) -> bool:
    """Whether a printed name and an MRZ name are the same name, ICAO-transliterated.

    Tolerates accents, ICAO expansions (Ü -> UE or U), spacing and punctuation, and a
    truncated MRZ name (when `truncated`). A printed name in a non-Latin script cannot be
    compared and counts as agreeing.
    """
    if has_non_latin(printed):
        return True
    target = _letters(mrz.replace("<", " "))
    for form in _name_forms(printed):
        if form == target or (truncated and target and form.startswith(target)):
            return True
    return False


# --- countries, kinds, small conversions ----------------------------------------------


def _normalize_countries(fields: PageFields) -> tuple[PageFields, list[Finding]]:
    """Issuing state and nationality as ICAO codes ("CHINESE", "中国" -> "CHN").

    A value no code fits is dropped from the comparison (an info finding says so); the
    record then takes the MRZ's code, or, with no MRZ, nothing for that field.
    """
    findings: list[Finding] = []
    issuing_state = _country_or_note(fields.issuing_state, "issuing_state", findings)
    nationality = _country_or_note(fields.nationality, "nationality", findings)
    return replace(fields, issuing_state=issuing_state, nationality=nationality), findings


def _country_or_note(value: str | None, name: str, findings: list[Finding]) -> str | None:
    if value is None:
        return None
    code = country_code(value)
    if code is None:
        findings.append(
            Finding(
                code="vendor.unknown_country",
                field=name,
                severity=Severity.INFO,
                message=f"the vendor's {name.replace('_', ' ')} is not a country name or code "
                "this product knows; it is not used",
            )
        )
    return code


def country_code(value: str) -> str | None:
    """An ICAO code for a vendor's country text, or None when none fits."""
    candidate = value.strip().upper()
    if countries.is_known(candidate):
        return candidate
    return countries.code_for_nationality(value.strip())


#: The second letter of a passport's MRZ document code (issuer's discretion, 9303-4).
_PASSPORT_KINDS: Final = {
    "<": DocumentKind.ORDINARY,
    "P": DocumentKind.ORDINARY,
    "D": DocumentKind.DIPLOMATIC,
    "S": DocumentKind.SERVICE,
    "O": DocumentKind.SERVICE,
    "E": DocumentKind.EMERGENCY,
    "T": DocumentKind.TRAVEL_DOCUMENT,
    "R": DocumentKind.TRAVEL_DOCUMENT,
}
#: The first letter of non-passport MRZ document codes (9303-5, -6, -7).
_OTHER_DOCUMENTS: Final = {
    "I": DocumentKind.IDENTITY_CARD,
    "A": DocumentKind.IDENTITY_CARD,
    "C": DocumentKind.IDENTITY_CARD,
    "V": DocumentKind.VISA,
}


def document_kind(
    code: str | None, issuing_state: str | None, *, printed_kind: DocumentKind | None = None
) -> DocumentKind:
    """The kind of document: what the vendor's printed type letter states, else the ICAO code.

    China prints "PO" in the MRZ of its ordinary e-passports, so PO is ordinary there.
    """
    if printed_kind is not None:
        return printed_kind
    code = (code or "").upper()
    if not code:
        return DocumentKind.UNKNOWN
    if code[0] != "P":
        return _OTHER_DOCUMENTS.get(code[0], DocumentKind.OTHER)
    second = code[1] if len(code) > 1 else "<"
    if second == "O" and issuing_state == "CHN":
        return DocumentKind.ORDINARY
    return _PASSPORT_KINDS.get(second, DocumentKind.OTHER)


def _masked(draft: Draft) -> bool:
    numbers = (draft.printed.document_number, draft.vendor_mrz.document_number)
    texts = [n for n in numbers if n] + [line for line in draft.mrz_lines[1:] if line]
    return any(_MASK.search(value.upper()) for value in texts)


def _plain(value: str) -> str:
    return "".join(ch for ch in value.upper() if ch.isalnum())


def _str(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _date(value: object) -> date | None:
    return value if isinstance(value, date) else None
