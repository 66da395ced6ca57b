"""A small test-side MRZ builder: fields in, ICAO lines (with check digits) out.

Kept independent of the engine's layout tables on purpose: the positions here are
written straight from ICAO Doc 9303 Parts 4-6, so a layout bug in `passport_ocr.mrz`
cannot hide behind a shared table. Only `check_digit` is reused (tested on its own
against the ICAO worked examples).
"""

from __future__ import annotations

from dataclasses import dataclass

from passport_ocr.mrz import check_digit


@dataclass(frozen=True)
class Doc:
    document_code: str
    issuing_state: str
    surnames: tuple[str, ...]
    given_names: tuple[str, ...]
    document_number: str
    nationality: str
    birth: str  # YYMMDD
    sex: str  # M, F or <
    expiry: str  # YYMMDD
    optional_data: str = ""
    optional_data_2: str = ""  # TD1 line 2 only


def pad(text: str, length: int) -> str:
    if len(text) > length:
        raise ValueError(f"{text!r} does not fit in {length}")
    return text + "<" * (length - len(text))


def name_field(doc: Doc, length: int) -> str:
    primary = "<".join(doc.surnames)
    secondary = "<".join(doc.given_names)
    text = primary + ("<<" + secondary if secondary else "")
    return pad(text, length)


def td3(doc: Doc, *, empty_optional_check: str = "0") -> list[str]:
    line1 = pad(doc.document_code, 2) + pad(doc.issuing_state, 3) + name_field(doc, 39)
    number = pad(doc.document_number, 9)
    optional = pad(doc.optional_data, 14)
    optional_check = check_digit(optional) if doc.optional_data else empty_optional_check
    upper = number + check_digit(number)
    middle = doc.birth + check_digit(doc.birth)
    lower = doc.expiry + check_digit(doc.expiry) + optional + optional_check
    composite = check_digit(upper + middle + lower)
    line2 = upper + pad(doc.nationality, 3) + middle + doc.sex + lower + composite
    return [line1, line2]


def td2(doc: Doc) -> list[str]:
    line1 = pad(doc.document_code, 2) + pad(doc.issuing_state, 3) + name_field(doc, 31)
    number = pad(doc.document_number, 9)
    upper = number + check_digit(number)
    middle = doc.birth + check_digit(doc.birth)
    lower = doc.expiry + check_digit(doc.expiry) + pad(doc.optional_data, 7)
    composite = check_digit(upper + middle + lower)
    line2 = upper + pad(doc.nationality, 3) + middle + doc.sex + lower + composite
    return [line1, line2]


def td1(doc: Doc) -> list[str]:
    number = doc.document_number
    if len(number) <= 9:
        number_part = pad(number, 9) + check_digit(pad(number, 9)) + pad(doc.optional_data, 15)
    else:  # ICAO 9303-5 note j: the long document number continues in the optional data
        tail = number[9:] + check_digit(number) + "<"
        number_part = number[:9] + "<" + pad(tail + doc.optional_data, 15)
    line1 = pad(doc.document_code, 2) + pad(doc.issuing_state, 3) + number_part
    birth = doc.birth + check_digit(doc.birth)
    expiry = doc.expiry + check_digit(doc.expiry)
    optional_2 = pad(doc.optional_data_2, 11)
    composite = check_digit(line1[5:30] + birth + expiry + optional_2)
    line2 = birth + doc.sex + expiry + pad(doc.nationality, 3) + optional_2 + composite
    line3 = name_field(doc, 30)
    return [line1, line2, line3]


def mrv(doc: Doc, length: int) -> list[str]:
    """MRV-A (length 44) or MRV-B (length 36): no optional-data or composite check digit."""
    line1 = pad(doc.document_code, 2) + pad(doc.issuing_state, 3) + name_field(doc, length - 5)
    number = pad(doc.document_number, 9)
    line2 = (
        number
        + check_digit(number)
        + pad(doc.nationality, 3)
        + doc.birth
        + check_digit(doc.birth)
        + doc.sex
        + doc.expiry
        + check_digit(doc.expiry)
        + pad(doc.optional_data, length - 28)
    )
    return [line1, line2]
