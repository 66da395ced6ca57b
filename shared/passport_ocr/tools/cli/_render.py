"""Plain text for the terminal: tables (column widths that respect wide CJK characters) and
the order findings are shown in."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

#: Most serious first: a reviewer reads the errors before the informational notes.
_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def severity_rank(severity: str) -> int:
    """Sort key for finding severities, most serious first (unknown ones last)."""
    return _SEVERITY_ORDER.get(severity, len(_SEVERITY_ORDER))


def display_width(text: str) -> int:
    """Terminal columns: East Asian wide and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in ("W", "F") else 1 for char in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Left-aligned columns separated by two spaces, with a rule under the header."""
    widths = [display_width(header) for header in headers]
    for row in rows:
        widths = [max(width, display_width(cell)) for width, cell in zip(widths, row, strict=True)]
    lines = [
        "  ".join(_pad(header, width) for header, width in zip(headers, widths, strict=True)),
        "  ".join("-" * width for width in widths),
    ]
    lines += [
        "  ".join(_pad(cell, width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    return "\n".join(line.rstrip() for line in lines) + "\n"
