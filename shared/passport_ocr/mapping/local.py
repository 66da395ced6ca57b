"""The offline engine's answer (`passport_ocr.tools.ocr.provider`) -> `Draft`.

Answer format (`VendorAnswer(format="local")`):

    {"engine": "rapidocr-3.10.0/PP-OCRv6_rec_small",
     "lines": [{"text": "P<UTO...", "raw_text": "...", "confidence": 0.98,
                "char_confidences": [0.99, ...]}, ...],
     "format": "TD3", "valid": true, "rotation": 0, "method": "locator",
     "substitutions": [...], "geometry": {...}, "timings_ms": {...}}

`geometry` (the MRZ outline and each character's box in the decoded photo, for pictures:
`passport_ocr.tools.annotate`) is not mapped: the record holds no coordinates.

`lines` is empty when no MRZ was found (the provider rejects such a page before mapping;
a mapped empty answer becomes a record without MRZ). There is no printed page: every
field comes from the MRZ, read and checked by `passport_ocr.validation` like any
vendor's MRZ lines; the engine's per-character confidences become field confidences.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, Final

from passport_ocr.draft import Draft
from passport_ocr.errors import MappingError
from passport_ocr.mapping.common import (
    confidence_from,
    raw_text,
    require_object,
    text,
)
from passport_ocr.mrz import french_id
from passport_ocr.record import Finding, MrzFormat, Severity, Source

VENDOR: Final = "local"
API: Final = "offline-mrz"

# (line, start, end) of each record field, by the number of characters per line.
_TD3_LIKE: Final = {
    "document_code": (0, 0, 2),
    "issuing_state": (0, 2, 5),
    "surname": (0, 5, None),
    "given_names": (0, 5, None),
    "document_number": (1, 0, 10),
    "nationality": (1, 10, 13),
    "birth_date": (1, 13, 20),
    "sex": (1, 20, 21),
    "expiry_date": (1, 21, 28),
}
_TD1: Final = {
    "document_code": (0, 0, 2),
    "issuing_state": (0, 2, 5),
    "document_number": (0, 5, 15),
    "birth_date": (1, 0, 7),
    "sex": (1, 7, 8),
    "expiry_date": (1, 8, 15),
    "nationality": (1, 15, 18),
    "surname": (2, 0, None),
    "given_names": (2, 0, None),
}

#: The French identity card (FRA_ID): its table's spans, a check digit with its field.
_FRA_ID: Final = {
    "document_code": (0, 0, 2),
    "issuing_state": (0, 2, 5),
    "surname": (0, french_id.SPANS["surname"].start, french_id.SPANS["surname"].end),
    "given_names": (1, french_id.SPANS["given_names"].start, french_id.SPANS["given_names"].end),
    "document_number": (1, french_id.DOCUMENT_NUMBER.start, french_id.DOCUMENT_NUMBER.end + 1),
    "birth_date": (1, french_id.SPANS["birth_date"].start, french_id.SPANS["birth_date"].end + 1),
    "sex": (1, french_id.SPANS["sex"].start, french_id.SPANS["sex"].end),
}


def to_draft(raw: object, *, request_id: str | None = None, today: date | None = None) -> Draft:
    """Map one engine answer. `today` is unused: the engine gives no dates of its own."""
    del today
    answer = require_object(raw, vendor=VENDOR, field="answer")
    engine = text(answer.get("engine"), vendor=VENDOR, field="engine")
    lines = _lines(answer.get("lines"))
    source = Source(vendor="local", api=engine or API, request_id=request_id)
    if not lines:
        finding = Finding(
            code="local.no_mrz",
            severity=Severity.ERROR,
            message="the offline engine found no machine readable zone",
        )
        return Draft(source=source, findings=(finding,))
    texts = tuple(line_text for line_text, _ in lines)
    confidences = [confs for _, confs in lines]
    return Draft(
        source=source,
        mrz_lines=texts,
        confidence=_field_confidences(confidences, answer.get("format")),
        findings=_state_repairs(answer.get("substitutions")),
    )


def _state_repairs(value: object) -> tuple[Finding, ...]:
    """The state codes the engine repaired from the code list (its `state_code`
    substitutions): the lines it answers hold the known code, so only the engine can say."""
    if not isinstance(value, list):
        return ()
    fields: list[str] = []
    for item in value:
        if isinstance(item, Mapping) and item.get("reason") == "state_code":
            name = str(item.get("field") or "issuing_state")
            if name not in fields:
                fields.append(name)
    return tuple(
        Finding(
            code="mrz.repaired",
            field=name,
            severity=Severity.INFO,
            message=f"{name.replace('_', ' ')}: an unknown code read one OCR look-alike from "
            "exactly one known state code was repaired to it",
        )
        for name in fields
    )


def _lines(value: object) -> list[tuple[str, list[float]]]:
    if value is None:
        raise MappingError(VENDOR, "lines", "missing")
    if not isinstance(value, list):
        raise MappingError(VENDOR, "lines", "expected a list")
    lines: list[tuple[str, list[float]]] = []
    for index, item in enumerate(value):
        path = f"lines[{index}]"
        line = require_object(item, vendor=VENDOR, field=path)
        line_text = raw_text(line.get("text"), vendor=VENDOR, field=f"{path}.text")
        if line_text is None:
            raise MappingError(VENDOR, f"{path}.text", "an MRZ line is empty")
        confidences = _char_confidences(line, path, len(line_text))
        lines.append((line_text, confidences))
    return lines


def _char_confidences(line: Mapping[str, Any], path: str, length: int) -> list[float]:
    """Per-character confidences; the line's own confidence when they are missing."""
    values = line.get("char_confidences")
    if values is None:
        overall = confidence_from(line.get("confidence"), vendor=VENDOR, field=f"{path}.confidence")
        return [overall if overall is not None else 0.0] * length
    if not isinstance(values, list):
        raise MappingError(VENDOR, f"{path}.char_confidences", "expected a list")
    if len(values) != length:
        raise MappingError(
            VENDOR, f"{path}.char_confidences", "must have one value per character of text"
        )
    return [
        confidence_from(value, vendor=VENDOR, field=f"{path}.char_confidences") or 0.0
        for value in values
    ]


def _field_confidences(
    confidences: Sequence[Sequence[float]], mrz_format: object = None
) -> dict[str, float]:
    """A field is as sure as its least sure character."""
    spans: Mapping[str, tuple[int, int, int | None]]
    if mrz_format == MrzFormat.FRA_ID.value:
        spans = _FRA_ID
    else:
        spans = _TD1 if len(confidences) >= 3 else _TD3_LIKE
    result: dict[str, float] = {}
    for name, (line, start, end) in spans.items():
        if line >= len(confidences):
            continue
        values = confidences[line][start:end]
        if values:
            result[name] = round(min(values), 4)
    return result
