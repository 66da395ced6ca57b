"""ICAO 9303 check digits (ICAO 9303-3 §4.9): values, the 7-3-1 sum, and its blind spots."""

from __future__ import annotations

from typing import Final

from passport_ocr.errors import MrzError

FILLER: Final = "<"
ALPHABET: Final = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<")
_WEIGHTS: Final = (7, 3, 1)


# OCR-confusable pairs the 7-3-1 check digit cannot tell apart (values equal modulo 10).
BLIND_PAIRS: Final = (("G", "6"), ("L", "1"), ("U", "0"), ("S", "8"), ("K", "<"))
BLIND_CHARS: Final = frozenset(c for pair in BLIND_PAIRS for c in pair)


def char_value(char: str) -> int:
    """The ICAO 9303 value of one MRZ character: digits 0-9, A=10 .. Z=35, `<`=0."""
    if len(char) != 1 or char not in ALPHABET:
        raise MrzError(f"character {char!r} is not in the MRZ alphabet (A-Z, 0-9, <)")
    if char.isdigit():
        return int(char)
    if char == FILLER:
        return 0
    return ord(char) - ord("A") + 10


def check_digit(data: str) -> str:
    """The ICAO 9303 check digit of `data` (weights 7, 3, 1 repeating, sum modulo 10)."""
    total = sum(char_value(char) * _WEIGHTS[i % 3] for i, char in enumerate(data))
    return str(total % 10)


def check_digit_blind_pairs() -> tuple[tuple[str, str], ...]:
    """The OCR-confusable pairs no check digit can distinguish (documented in the module)."""
    return BLIND_PAIRS


def safe_check_digit(data: str) -> str | None:
    """`check_digit`, or None when the data holds characters outside the alphabet."""
    if any(char not in ALPHABET for char in data):
        return None
    return check_digit(data)
