"""Helpers vendor modules use to turn an answer into a `passport_ocr.draft.Draft`.

A vendor module turns raw JSON into a `Draft` and nothing more: it decides which JSON key
holds which field, in which format. Everything that needs judgement (reading the MRZ,
merging it with the printed page, cross-checks, status) happens once, in
`passport_ocr.validation.build_record`, for every vendor alike.

Two kinds of bad input, two outcomes:
- the answer does not have the documented shape (not an object, a field of the wrong
  type, an error body): `MappingError`, the upload is rejected;
- a field has the right type but unreadable content (an OCR'd date "1990-13-45", a sex
  "Q"): `UnreadableValueError`, a subclass of `MappingError` that vendor modules turn into a
  `vendor.unreadable_value` finding with `soft()`, so one misread field does not discard
  the whole page (the MRZ may still provide it).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Final, TypeVar

from passport_ocr.draft import has_non_latin
from passport_ocr.errors import MappingError
from passport_ocr.mrz.dates import DateKind, resolve_two_digit_year
from passport_ocr.mrz.sex import SEX_MARKERS
from passport_ocr.record import Finding, Severity, Sex

T = TypeVar("T")


class UnreadableValueError(MappingError):
    """A field has the documented type but content no format explains (an OCR misread)."""

    code = "mapping.unreadable_value"

    def __init__(self, vendor: str, field: str, reason: str) -> None:
        super().__init__(vendor, field, reason)
        self.reason = reason


# --- small readers -------------------------------------------------------------------


def require_object(value: object, *, vendor: str, field: str) -> Mapping[str, Any]:
    """`value` as a JSON object, or MappingError naming `field`."""
    if not isinstance(value, Mapping):
        raise MappingError(vendor, field, f"expected an object, got {_type_name(value)}")
    if not all(isinstance(key, str) for key in value):
        raise MappingError(vendor, field, "object keys must be strings")
    return value


def optional_object(
    parent: Mapping[str, Any], key: str, *, vendor: str, path: str | None = None
) -> Mapping[str, Any]:
    """`parent[key]` as an object; missing or null reads as an empty object."""
    value = parent.get(key)
    if value is None:
        return {}
    return require_object(value, vendor=vendor, field=path or key)


def text(value: object, *, vendor: str, field: str) -> str | None:
    """A string field, whitespace trimmed and runs of whitespace collapsed; "" -> None."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise MappingError(vendor, field, f"expected a string, got {_type_name(value)}")
    cleaned = " ".join(value.split())
    return cleaned or None


def raw_text(value: object, *, vendor: str, field: str) -> str | None:
    """A string field kept as is (MRZ lines: the engine does its own cleaning); "" -> None."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise MappingError(vendor, field, f"expected a string, got {_type_name(value)}")
    return value if value.strip() else None


_MONTHS: Final = {
    name: number
    for number, names in enumerate(
        (
            ("JAN",),
            ("FEB", "FEV", "FÉV"),
            ("MAR", "MARS"),
            ("APR", "AVR"),
            ("MAY", "MAI"),
            ("JUN", "JUIN"),
            ("JUL", "JUIL"),
            ("AUG", "AOU", "AOÛ"),
            ("SEP", "SEPT"),
            ("OCT",),
            ("NOV",),
            ("DEC", "DÉC"),
        ),
        start=1,
    )
    for name in names
}

# Each pattern names its groups: y (4 digits), yy (2 digits), m (digits), mon (a name), d.
_DATE_PATTERNS: Final = (
    re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"),  # 1990-12-12 (Huawei)
    re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})"),  # 19920922 (Tencent)
    re.compile(r"(?P<yy>\d{2})(?P<m>\d{2})(?P<d>\d{2})"),  # 870704 (legacy, MRZ style)
    re.compile(r"(?P<y>\d{4})[./](?P<m>\d{1,2})[./](?P<d>\d{1,2})"),  # 1990/12/12, 1990.12.12
    re.compile(r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日?"),  # 1990年12月12日
    # 12 DEC 1990, 12 DEC/DÉC 1990, 12 12月/DEC 1990, 12-DEC-1990 (printed pages)
    re.compile(
        r"(?P<d>\d{1,2})[\s\-.]*(?:\d{1,2}\s*月\s*/\s*)?(?P<mon>[A-ZÉÛ]{3,4})"
        r"(?:\s*/\s*[A-ZÉÛ]{3,4})?[\s\-.]*(?P<y>\d{4})"
    ),
)


def date_from(
    value: object,
    *,
    vendor: str,
    field: str,
    kind: DateKind = "past",
    today: date | None = None,
) -> date | None:
    """A date in any format a vendor uses -> `date`; None or "" -> None.

    Formats: YYYY-MM-DD, YYYYMMDD, YYMMDD (century from `kind`), YYYY/MM/DD, YYYY.MM.DD,
    YYYY年MM月DD日, DD MMM YYYY (also DD MMM/MMM YYYY and DD MM月/MMM YYYY).
    """
    raw = text(value, vendor=vendor, field=field)
    if raw is None:
        return None
    candidate = raw.upper()
    for pattern in _DATE_PATTERNS:
        match = pattern.fullmatch(candidate)
        if match is None:
            continue
        parts = match.groupdict()
        day = int(parts["d"])
        month = _MONTHS.get(parts["mon"], 0) if parts.get("mon") else int(parts["m"])
        if parts.get("yy") is not None:
            reference = today or date.today()
            year = resolve_two_digit_year(int(parts["yy"]), month, day, kind, reference)
        else:
            year = int(parts["y"])
        try:
            return date(year, month, day)
        except ValueError:
            raise UnreadableValueError(vendor, field, "not a calendar date") from None
    raise UnreadableValueError(vendor, field, "no known date format matches")


#: The ICAO markers (one rule, `mrz.sex`) plus the words printed pages use for them.
_SEX_WORDS: Final[Mapping[str, Sex]] = {
    **SEX_MARKERS,
    "FEMALE": "F",
    "女": "F",
    "W": "F",  # weiblich (DEU), as some printed pages show it
    "MALE": "M",
    "男": "M",
    "UNSPECIFIED": "X",
}


def sex_from(value: object, *, vendor: str, field: str) -> Sex | None:
    """F/M/X from F, M, X, <, FEMALE, MALE, 女, 男, and bilingual forms like "女/F"."""
    raw = text(value, vendor=vendor, field=field)
    if raw is None:
        return None
    verdicts = {_SEX_WORDS.get(part.strip().upper()) for part in raw.split("/") if part.strip()}
    if len(verdicts) == 1 and None not in verdicts:
        return verdicts.pop()
    raise UnreadableValueError(vendor, field, "not a recognised sex marker")


def confidence_from(value: object, *, vendor: str, field: str) -> float | None:
    """A vendor confidence as 0..1: numbers outside the range are clamped, None stays None."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise MappingError(vendor, field, f"expected a number, got {_type_name(value)}")
    number = float(value)
    if math.isnan(number):
        raise MappingError(vendor, field, "confidence is NaN")
    return min(1.0, max(0.0, number))


def int_list(value: object, *, vendor: str, field: str) -> tuple[int, ...]:
    """A list of integer codes (Tencent's Warn, WarnCardInfos); null reads as empty."""
    if value is None:
        return ()
    if not isinstance(value, list):
        raise MappingError(vendor, field, f"expected a list, got {_type_name(value)}")
    codes: list[int] = []
    for item in value:
        if isinstance(item, bool) or not isinstance(item, int):
            raise MappingError(vendor, field, f"expected integers, got {_type_name(item)}")
        codes.append(item)
    return tuple(codes)


def soft(read: Callable[[], T | None], findings: list[Finding]) -> T | None:
    """Run one field reader; an `UnreadableValueError` becomes a warning finding and None.

    Shape errors (plain `MappingError`) still propagate: the answer itself is broken.
    """
    try:
        return read()
    except UnreadableValueError as error:
        findings.append(
            Finding(
                code="vendor.unreadable_value",
                field=error.field,
                severity=Severity.WARNING,
                # The field name and reason only: never the value (it may be personal).
                message=f"{error.vendor} gave a value for {error.field} that cannot be "
                f"read ({error.reason}); it is left empty",
            )
        )
        return None


@dataclass
class FieldReader:
    """Reads the fields of one JSON object of a vendor answer, naming each by its path.

    Shape errors raise `MappingError`; unreadable dates and sex markers become
    `vendor.unreadable_value` findings collected in `findings`.
    """

    vendor: str
    source: Mapping[str, Any]
    path: str
    findings: list[Finding]
    today: date | None = None

    def _name(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def text(self, key: str) -> str | None:
        return text(self.source.get(key), vendor=self.vendor, field=self._name(key))

    def raw(self, key: str) -> str | None:
        return raw_text(self.source.get(key), vendor=self.vendor, field=self._name(key))

    def date(self, key: str, kind: DateKind = "past") -> date | None:
        value, name = self.source.get(key), self._name(key)
        return soft(
            lambda: date_from(value, vendor=self.vendor, field=name, kind=kind, today=self.today),
            self.findings,
        )

    def sex(self, key: str) -> Sex | None:
        value, name = self.source.get(key), self._name(key)
        return soft(lambda: sex_from(value, vendor=self.vendor, field=name), self.findings)

    def confidence(self, key: str) -> float | None:
        return confidence_from(self.source.get(key), vendor=self.vendor, field=self._name(key))

    def object(self, key: str) -> FieldReader:
        """The nested object at `key` (missing or null: empty), read the same way."""
        nested = optional_object(self.source, key, vendor=self.vendor, path=self._name(key))
        return FieldReader(self.vendor, nested, self._name(key), self.findings, self.today)


def _type_name(value: object) -> str:
    if value is None:
        return "null"
    return {
        bool: "a boolean",
        int: "a number",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "an object",
    }.get(type(value), type(value).__name__)


def split_bilingual(value: str | None) -> tuple[str | None, str | None]:
    """`上海/SHANGHAI` -> ("SHANGHAI", "上海"): a printed value in two scripts, split into its
    Latin part and its local part. Anything else comes back whole, as the Latin part."""
    if value is None or value.count("/") != 1:
        return value, None
    left, right = (part.strip() for part in value.split("/"))
    if not left or not right or has_non_latin(left) == has_non_latin(right):
        return value, None
    return (right, left) if has_non_latin(left) else (left, right)
