"""Cleaning vendor MRZ text into candidate ICAO lines, every change recorded."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final, Literal

from passport_ocr.errors import MrzError
from passport_ocr.mrz import french_id
from passport_ocr.mrz.checkdigits import ALPHABET, FILLER, safe_check_digit
from passport_ocr.mrz.detection import detect_format
from passport_ocr.mrz.layouts import LAYOUTS
from passport_ocr.mrz.lookalikes import GLYPH_SYMBOLS
from passport_ocr.record import MrzFormat, Substitution

_NEWLINES: Final = re.compile(r"[\r\n]+")
_WHITESPACE: Final = re.compile(r"\s")


def split_text(text: str | Sequence[str]) -> list[str]:
    if isinstance(text, str):
        lines = [line for line in _NEWLINES.split(text) if line.strip()]
    else:
        lines = []
        for item in text:
            if not isinstance(item, str):
                raise MrzError(f"MRZ lines must be strings, got {type(item).__name__}")
            lines.extend(line for line in _NEWLINES.split(item) if line.strip())
    if len(lines) == 1:
        # One string holding the whole zone (e.g. lines joined by spaces): cut it up.
        joined = _WHITESPACE.sub("", lines[0])
        for count, length in ((2, 44), (3, 30), (2, 36)):
            if len(joined) == count * length:
                return [joined[i * length : (i + 1) * length] for i in range(count)]
    return lines


@dataclass
class _Cleaned:
    """One line being cleaned: its characters, where each came from in the line as read,
    and the substitutions made so far (positions in the line as read)."""

    index: int
    raw: str
    chars: list[str]
    origin: list[int]
    subs: list[Substitution]

    def text(self) -> str:
        return "".join(self.chars)

    def raw_position(self, pos: int) -> int:
        return self.origin[pos] if pos < len(self.origin) else len(self.raw)


def _char_fix(char: str) -> tuple[str, Literal["glyph", "length"] | None]:
    """The cleaned form of one character: itself, a mapped glyph, or '' (stray)."""
    if char in ALPHABET or char.isspace():
        return char, None
    if char in GLYPH_SYMBOLS:
        return GLYPH_SYMBOLS[char], "glyph"
    folded = unicodedata.normalize("NFKC", char).upper()  # full width, lower case
    folded = GLYPH_SYMBOLS.get(folded, folded)
    if len(folded) == 1 and folded in ALPHABET:
        return folded, "glyph"
    return "", "length"


def _clean_characters(raw: str, index: int, target: int | None) -> _Cleaned:
    """Case, glyphs, stray characters, and spaces: removed, or fillers where that fits."""
    fixed = [_char_fix(char) for char in raw]
    body = "".join(text for text, _ in fixed)
    inner = body.strip()
    removed, as_filler = _WHITESPACE.sub("", inner), _WHITESPACE.sub(FILLER, inner)
    spaces_are_fillers = target is not None and len(removed) != target and len(as_filler) == target
    first = len(body) - len(body.lstrip())
    last = len(body.rstrip())
    line = _Cleaned(index, raw, [], [], [])
    produced = 0  # position in `body`, to tell leading/trailing spaces from inner ones
    for pos, (char, (text, reason)) in enumerate(zip(raw, fixed, strict=True)):
        if text.isspace():
            inner_space = first <= produced < last
            if inner_space and spaces_are_fillers:
                line.subs.append(substitution(index, pos, char, FILLER, "filler"))
                line.chars.append(FILLER)
                line.origin.append(pos)
            else:
                line.subs.append(substitution(index, pos, char, "", "length"))
        else:
            if reason is not None:
                line.subs.append(substitution(index, pos, char, text, reason))
            line.chars.extend(text)
            line.origin.extend([pos] * len(text))
        produced += len(text)
    return line


def substitution(
    line: int,
    position: int,
    original: str,
    replacement: str,
    reason: Literal["check_digit", "character_class", "glyph", "filler", "length"],
    *,
    field_name: str | None = None,
) -> Substitution:
    return Substitution(
        line=line,
        position=position,
        original=original,
        replacement=replacement,
        field=field_name,
        reason=reason,
    )


def _target_length(lengths: Sequence[int]) -> int | None:
    """The ICAO line length these (cleaned) lines are closest to, or None."""
    if len(lengths) == 3:
        return 30
    if len(lengths) != 2:
        return None

    # Prefer the candidate that a line matches exactly, then the closest overall.
    def distance(target: int) -> tuple[int, int]:
        exact = sum(1 for length in lengths if length == target)
        return (-exact, sum(abs(length - target) for length in lengths))

    return min((44, 36), key=distance)


Scorer = Callable[[int, str], int]


def _fit_length(line: _Cleaned, target: int, score: Scorer) -> None:
    """Make a line `target` long when the evidence allows; otherwise leave it alone."""
    text = line.text()
    if len(text) in (target - 1, target + 1) and _apply_best_variant(line, target, score):
        # One character off: a dropped or doubled filler, placed where check digits agree.
        return
    if len(text) > target and (text[:target].endswith(FILLER) or set(text[target:]) <= {FILLER}):
        # Trailing junk after a filler run (e.g. text the reader picked up past the zone).
        for pos in range(target, len(text)):
            raw_pos = line.raw_position(pos)
            line.subs.append(substitution(line.index, raw_pos, line.raw[raw_pos], "", "length"))
        del line.chars[target:], line.origin[target:]
    elif len(text) == target - 1 and text.endswith(FILLER):
        line.subs.append(substitution(line.index, len(line.raw), "", FILLER, "filler"))
        line.chars.append(FILLER)
        line.origin.append(len(line.raw))


def _apply_best_variant(line: _Cleaned, target: int, score: Scorer) -> bool:
    """Drop or insert one filler where it makes the most check digits agree (unique best)."""
    text = line.text()
    variants: dict[str, int] = {}  # candidate line -> position dropped / inserted at
    if len(text) == target + 1:
        for pos, char in enumerate(text):
            if char == FILLER or pos in (0, len(text) - 1):
                variants.setdefault(text[:pos] + text[pos + 1 :], pos)
    else:
        for pos in range(len(text) + 1):
            if pos == len(text) or text[pos] == FILLER:
                variants.setdefault(text[:pos] + FILLER + text[pos:], pos)
    scored = sorted(((score(line.index, cand), cand) for cand in variants), reverse=True)
    if not scored or scored[0][0] <= 0 or (len(scored) > 1 and scored[1][0] == scored[0][0]):
        return False
    pos = variants[scored[0][1]]
    raw_pos = line.raw_position(pos)
    if len(text) == target + 1:
        line.subs.append(substitution(line.index, raw_pos, line.raw[raw_pos], "", "length"))
        del line.chars[pos], line.origin[pos]
    else:
        line.subs.append(substitution(line.index, raw_pos, "", FILLER, "filler"))
        line.chars.insert(pos, FILLER)
        line.origin.insert(pos, raw_pos)
    return True


def clean_lines(text: str | Sequence[str]) -> tuple[list[str], list[Substitution]]:
    """Vendor MRZ text -> candidate ICAO lines, with every change recorded.

    Handles spaces inside lines, lower case, look-alike glyphs, stray characters, a line
    one character short or long, and trailing junk after a filler run. Substitution
    positions index the lines as read (the input split into lines). Raises `MrzError` for
    input that is not text or holds no line at all.
    """
    if not isinstance(text, (str, Sequence)):
        raise MrzError(f"MRZ text must be a string or a list of strings, got {type(text).__name__}")
    raw_lines = split_text(text)
    if not raw_lines:
        raise MrzError("no MRZ text: the input is empty")
    compact = ["".join(_char_fix(char)[0] for char in raw) for raw in raw_lines]
    target = _target_length([len(_WHITESPACE.sub("", line)) for line in compact])
    lines = [_clean_characters(raw, index, target) for index, raw in enumerate(raw_lines)]
    if target is not None:

        def score(index: int, candidate: str) -> int:
            trial = [line.text() for line in lines]
            trial[index] = candidate
            return _check_score(trial)

        for line in lines:
            _fit_length(line, target, score)
    return [line.text() for line in lines], [sub for line in lines for sub in line.subs]


def _check_score(lines: Sequence[str]) -> int:
    """How many check digits agree, for ranking cleaning variants (0 when no layout fits)."""
    try:
        fmt = detect_format(lines)
    except MrzError:
        return 0
    # Name lines end in fillers far more often than in letters.
    endings = sum(1 for line in lines if line.endswith(FILLER + FILLER))
    if fmt is MrzFormat.FRA_ID:
        return french_id.checks_agreeing(lines) + endings
    layout = LAYOUTS[fmt]
    agreeing = 0
    for name, (line, pos) in layout.checks.items():
        span = layout.spans()[name]
        if safe_check_digit(span.read(lines)) == lines[line][pos]:
            agreeing += 1
    if layout.composite_at is not None:
        data = "".join(span.read(lines) for span in layout.composite)
        if safe_check_digit(data) == lines[layout.composite_at[0]][layout.composite_at[1]]:
            agreeing += 1
    return agreeing + endings
