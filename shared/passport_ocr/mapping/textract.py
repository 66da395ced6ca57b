"""Amazon Textract AnalyzeID -> `Draft`.

The answer (botocore `textract/2018-06-27/service-2.json`: `AnalyzeIDResponse`,
`IdentityDocument` 2742ff, `IdentityDocumentField`, `AnalyzeIDDetections` 1053,
`NormalizedValue`, `Percent` 3372; API reference
https://docs.aws.amazon.com/textract/latest/dg/API_AnalyzeID.html):

    {"IdentityDocuments": [{"DocumentIndex": 1, "IdentityDocumentFields": [
        {"Type": {"Text": "DATE_OF_BIRTH"},
         "ValueDetection": {"Text": "14 MAR 1987", "Confidence": 98.2,
                            "NormalizedValue": {"Value": "1987-03-14T00:00:00",
                                                "ValueType": "DATE"}}}, ...]}],
     "DocumentMetadata": {"Pages": 1}, "AnalyzeIDModelVersion": "1.0"}

`Type.Text` is a normalized field name (the passport list of
https://docs.aws.amazon.com/textract/latest/dg/identitydocumentfields.html: FIRST_NAME,
LAST_NAME, MIDDLE_NAME, DOCUMENT_NUMBER, EXPIRATION_DATE, DATE_OF_BIRTH, PLACE_OF_BIRTH,
DATE_OF_ISSUE, ID_TYPE, MRZ_CODE; the page's own example spells them "first name", so both
spellings are read). Every field is the printed page's, except MRZ_CODE: the MRZ lines,
one per line of its text. Textract does not parse the MRZ itself, so `vendor_mrz` stays
empty and the shared validation reads the lines. Confidences are percentages (`Percent`,
0..100): divided by the vendor's scale, never clamped; a value outside 0..100 is a malformed
answer.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, Final

from passport_ocr.draft import Draft, PageFields
from passport_ocr.errors import MappingError
from passport_ocr.mapping.common import (
    date_from,
    raw_text,
    require_object,
    soft,
    text,
)
from passport_ocr.mrz.dates import DateKind
from passport_ocr.record import Finding, Severity, Source
from passport_ocr.vendors import VENDORS

VENDOR: Final = "textract"
API: Final = "AnalyzeID"
SCALE: Final = VENDORS[VENDOR].confidence_scale

#: Normalized field name -> record field name (the page fields this mapper reads).
RECORD_FIELDS: Final[Mapping[str, str]] = {
    "LAST_NAME": "surname",
    "FIRST_NAME": "given_names",
    "DOCUMENT_NUMBER": "document_number",
    "DATE_OF_BIRTH": "birth_date",
    "EXPIRATION_DATE": "expiry_date",
    "DATE_OF_ISSUE": "issue_date",
    "PLACE_OF_BIRTH": "place_of_birth",
    "MRZ_CODE": "mrz",
}
#: What ID_TYPE says of a passport.
PASSPORT_ID_TYPE: Final = "PASSPORT"


class _Detection:
    """One field's value, as read: text, the normalized date (if any), confidence 0..1."""

    def __init__(self, value: str | None, normalized: str | None, confidence: float | None):
        self.value = value
        self.normalized = normalized
        self.confidence = confidence


def _field_name(raw: str) -> str:
    """`FIRST_NAME` and the documentation example's `first name` alike."""
    return "_".join(raw.upper().split())


def _confidence(value: object, path: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise MappingError(VENDOR, path, "expected a number")
    number = float(value)
    if math.isnan(number) or not 0.0 <= number <= SCALE:
        raise MappingError(VENDOR, path, f"outside 0..{SCALE:g}")
    return number / SCALE


def _detection(item: Mapping[str, Any], path: str) -> tuple[str, _Detection]:
    kind = require_object(item.get("Type"), vendor=VENDOR, field=f"{path}.Type")
    name = text(kind.get("Text"), vendor=VENDOR, field=f"{path}.Type.Text")
    if name is None:
        raise MappingError(VENDOR, f"{path}.Type.Text", "missing")
    detection = require_object(
        item.get("ValueDetection"), vendor=VENDOR, field=f"{path}.ValueDetection"
    )
    where = f"{path}.ValueDetection"
    # MRZ lines are kept as sent (their line breaks matter); the rest is trimmed text.
    reader = raw_text if _field_name(name) == "MRZ_CODE" else text
    value = reader(detection.get("Text"), vendor=VENDOR, field=f"{where}.Text")
    normalized_value = None
    normalized = detection.get("NormalizedValue")
    if normalized is not None:
        normalized_obj = require_object(normalized, vendor=VENDOR, field=f"{where}.NormalizedValue")
        normalized_value = text(
            normalized_obj.get("Value"), vendor=VENDOR, field=f"{where}.NormalizedValue.Value"
        )
    confidence = _confidence(detection.get("Confidence"), f"{where}.Confidence")
    return _field_name(name), _Detection(value, normalized_value, confidence)


def detections(raw: object) -> dict[str, _Detection]:
    """The first identity document's fields by normalized name (the first non-empty
    value of a name wins); `MappingError` naming the path for any shape error."""
    answer = require_object(raw, vendor=VENDOR, field="answer")
    documents = answer.get("IdentityDocuments")
    if not isinstance(documents, list):
        raise MappingError(VENDOR, "IdentityDocuments", "expected a list")
    if not documents:
        raise MappingError(VENDOR, "IdentityDocuments", "empty: no identity document read")
    first = require_object(documents[0], vendor=VENDOR, field="IdentityDocuments[0]")
    fields = first.get("IdentityDocumentFields")
    path = "IdentityDocuments[0].IdentityDocumentFields"
    if not isinstance(fields, list):
        raise MappingError(VENDOR, path, "expected a list")
    found: dict[str, _Detection] = {}
    for index, item in enumerate(fields):
        item_path = f"{path}[{index}]"
        name, detection = _detection(
            require_object(item, vendor=VENDOR, field=item_path), item_path
        )
        if name not in found or found[name].value is None:
            found[name] = detection
    return found


def _date(
    found: Mapping[str, _Detection],
    name: str,
    findings: list[Finding],
    kind: DateKind,
    today: date | None,
) -> date | None:
    """The normalized date (YYYY-MM-DDTHH:MM:SS) when given, else the printed text."""
    detection = found.get(name)
    if detection is None:
        return None
    value = detection.normalized[:10] if detection.normalized else detection.value
    field = RECORD_FIELDS[name]
    return soft(
        lambda: date_from(value, vendor=VENDOR, field=field, kind=kind, today=today), findings
    )


def _value(found: Mapping[str, _Detection], name: str) -> str | None:
    detection = found.get(name)
    return detection.value if detection is not None else None


def mrz_lines(value: str | None) -> tuple[str, ...]:
    """MRZ_CODE's text, one MRZ line per line of it (blank lines dropped)."""
    if value is None:
        return ()
    return tuple(line for line in value.splitlines() if line.strip())


def _given_names(found: Mapping[str, _Detection]) -> str | None:
    parts = [part for part in (_value(found, "FIRST_NAME"), _value(found, "MIDDLE_NAME")) if part]
    return " ".join(parts) or None


def _confidences(found: Mapping[str, _Detection]) -> dict[str, float]:
    return {
        RECORD_FIELDS[name]: detection.confidence
        for name, detection in found.items()
        if name in RECORD_FIELDS
        and detection.value is not None
        and detection.confidence is not None
    }


def _id_type_findings(found: Mapping[str, _Detection]) -> Sequence[Finding]:
    id_type = _value(found, "ID_TYPE")
    if id_type is None or _field_name(id_type) == PASSPORT_ID_TYPE:
        return ()
    return (
        Finding(
            code="vendor.warning.not_a_passport",
            severity=Severity.WARNING,
            message="Textract classified the document as another kind of identity document",
        ),
    )


def to_draft(raw: object, *, request_id: str | None = None, today: date | None = None) -> Draft:
    found = detections(raw)
    findings: list[Finding] = []
    printed = PageFields(
        document_number=_value(found, "DOCUMENT_NUMBER"),
        surname=_value(found, "LAST_NAME"),
        given_names=_given_names(found),
        birth_date=_date(found, "DATE_OF_BIRTH", findings, "past", today),
        expiry_date=_date(found, "EXPIRATION_DATE", findings, "expiry", today),
        issue_date=_date(found, "DATE_OF_ISSUE", findings, "past", today),
        place_of_birth=_value(found, "PLACE_OF_BIRTH"),
    )
    findings.extend(_id_type_findings(found))
    return Draft(
        source=Source(vendor=VENDOR, api=API, request_id=request_id),
        printed=printed,
        mrz_lines=mrz_lines(_value(found, "MRZ_CODE")),
        confidence=_confidences(found),
        findings=tuple(findings),
    )
