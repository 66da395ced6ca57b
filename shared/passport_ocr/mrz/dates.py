"""Two-digit years: the one rule per date kind, for the MRZ and the printed page alike.

ICAO 9303-3 §4.3 writes dates as YYMMDD and leaves the century to the reader. One rule per
kind of date, used by `read_mrz` and by the mappers (a printed page in YYMMDD form), so that
the same six digits never resolve to two dates:

- `past` (birth, issue): the most recent century that does not put the date after
  `today` (today itself is not the future).
- `expiry`: at most `EXPIRY_YEARS_AHEAD` years ahead of `today`, otherwise the century
  before. Passports are issued for at most ten years (9303-2 leaves validity to the
  issuer; no state exceeds ten), so 20 years ahead leaves room for long-validity cards and
  extensions, while an expired document from up to 80 years ago still resolves to its
  real, past date instead of to an impossible one decades ahead.
"""

from __future__ import annotations

from datetime import date
from typing import Final, Literal

#: How a two-digit year is resolved (see the module docstring).
DateKind = Literal["past", "expiry"]

#: The furthest ahead of today an expiry year may lie; beyond it is the century before.
EXPIRY_YEARS_AHEAD: Final = 20


def resolve_two_digit_year(yy: int, month: int, day: int, kind: DateKind, today: date) -> int:
    """The four-digit year for YY, by the rule of its date kind."""
    year = today.year // 100 * 100 + yy
    if kind == "past":
        if (year, month, day) > (today.year, today.month, today.day):
            year -= 100
    elif year > today.year + EXPIRY_YEARS_AHEAD:
        year -= 100
    elif year < today.year + EXPIRY_YEARS_AHEAD - 100:
        year += 100
    return year


def resolve_yymmdd(raw: str, kind: DateKind, today: date) -> date | None:
    """A YYMMDD text as a date, its century by `kind`; None when it is no calendar date."""
    if len(raw) != 6 or not raw.isdigit():
        return None
    yy, month, day = int(raw[:2]), int(raw[2:4]), int(raw[4:6])
    return safe_date(resolve_two_digit_year(yy, month, day, kind, today), month, day)


def resolve_birth(raw: str, today: date) -> date | None:
    return resolve_yymmdd(raw, "past", today)


def resolve_expiry(raw: str, today: date) -> date | None:
    return resolve_yymmdd(raw, "expiry", today)


def safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def years_between(earlier: date, later: date) -> int:
    years = later.year - earlier.year
    if (later.month, later.day) < (earlier.month, earlier.day):
        years -= 1
    return years
