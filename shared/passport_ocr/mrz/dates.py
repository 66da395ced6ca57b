"""Two-digit years: the one rule per date kind, for the MRZ and the printed page alike."""

from __future__ import annotations

from datetime import date


def resolve_birth(raw: str, today: date) -> date | None:
    parsed = _yymmdd(raw)
    if parsed is None:
        return None
    yy, month, day = parsed
    year = (today.year // 100) * 100 + yy
    resolved = safe_date(year, month, day)
    if resolved is not None and resolved > today:
        resolved = safe_date(year - 100, month, day)
    return resolved


def resolve_expiry(raw: str, today: date) -> date | None:
    parsed = _yymmdd(raw)
    if parsed is None:
        return None
    yy, month, day = parsed
    year = (today.year // 100) * 100 + yy
    if year >= today.year + 50:
        year -= 100
    elif year < today.year - 50:
        year += 100
    return safe_date(year, month, day)


def _yymmdd(raw: str) -> tuple[int, int, int] | None:
    if len(raw) != 6 or not raw.isdigit():
        return None
    return int(raw[:2]), int(raw[2:4]), int(raw[4:6])


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
