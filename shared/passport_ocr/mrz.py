"""ICAO Doc 9303 machine readable zones: cleaning, format detection, parsing, check digits, repair.

`read_mrz` turns vendor MRZ text (one string or a list of lines) into an `MrzReading`: the
`record.Mrz` (lines as read, lines after cleaning and repair, per-field check digits, the
substitutions made), the decoded `MrzFields`, and `Finding`s. Formats: TD3 (passport booklet,
2x44), TD1 (card, 3x30), TD2 (2x36), MRV-A (visa, 2x44) and MRV-B (visa, 2x36).

Validity
    `Mrz.valid` (lenient) is True when every check digit agrees AND the lines keep the ICAO
    character classes (letters where letters belong, digits in dates) AND the dates are
    calendar dates. Lenient check digits also accept `<` or `0` for an empty optional
    field and the TD1 long document number (ICAO 9303-5, note j); `valid_strict` does not.

Cleaning (`clean_lines`)
    Spaces, lower case, look-alike glyphs (`«`, `‹`, full-width and Cyrillic capitals, ...),
    stray characters, and a line one character short or long (or long by trailing junk after
    a filler run) are fixed before the format is detected. Every change is a `Substitution`
    (reason `glyph`, `filler` or `length`; a deleted character has `replacement=""`, an
    inserted one `original=""`). Cleaning positions index the line as read
    (`Mrz.lines_read`); repair positions index the line after cleaning (`Mrz.lines`).

Repair (`read_mrz(..., repair=True)`)
    Only what evidence proves is changed, always recorded:
    - character class: a letter in a digit-only position (dates, check digits) becomes the
      digit it is commonly confused with (O/Q/D/U->0, I/L/J->1, Z->2, A->4, S->5, G->6, T->7,
      B->8), but inside a check-digit-protected field only if the check digit then agrees.
      A digit in a letter-only position (document code, states, names) becomes its look-alike
      letter (0->O, 1->I, 2->Z, 4->A, 5->S, 6->G, 7->T, 8->B); a state code is changed only
      if the result is a known ICAO code. In the name field a lone `<` look-alike (K, X, C,
      S, 3) after three or more fillers and followed only by fillers becomes `<` (reason
      `filler`): no name continues after such a run. Names and line 1 have no check digit,
      so nothing else is repaired there.
    - check digit: in the alphanumeric fields (document number, optional data) a character
      that breaks the class of both its neighbours (a letter between digits or a digit between
      letters), or a `<` look-alike (X, C, S, 3) between fillers, is replaced by its
      confusion partner when that makes the field's check digit (and the composite) agree.
      Two different repairs that both validate: nothing is changed, `mrz.ambiguous_repair`.
      A single check digit cannot both detect and correct: a repair it chose is right for
      OCR confusions but could mask an unrelated misread elsewhere in the field, so such a
      field is also reported `mrz.check_digit_blind` (see below), never as verified.

Check-digit blind spots
    The 7-3-1 check digit works modulo 10, so a letter and a digit whose values differ by a
    multiple of 10 (G=16/6, L=21/1, U=30/0, S=28/8, K=20/`<`, ...) are indistinguishable to
    every check digit, field and composite alike. The engine therefore never claims such a
    field as verified by the MRZ: it gets `mrz.check_digit_blind` (info) when its check digit
    chose a repair in it, when a member of an OCR-confusable blind pair (G/6, L/1, U/0, S/8)
    sits where a letter run meets a digit run (no context tells the reader which class it
    is, e.g. `GG2292599` read for `G62292599`), or when a K touches a filler (K/`<`).
    Characters inside a homogeneous run are taken as read. The printed page must confirm a
    flagged field (the mappers cross-check it).

Dates
    Raw YYMMDD is kept. Birth: the most recent past century relative to `today`. Expiry: the
    century that puts its year within `today.year - 50 .. today.year + 49` (a window centred
    on today: an old expired document and a far-future typo both keep their evidence, and
    plausibility is judged separately rather than by moving the date a century); an expiry
    more than 20 years ahead, or a birth not before expiry, is `mrz.date_implausible`
    (warning); Feb 30 and the like are `mrz.date_invalid` (error). A two-digit birth year
    resolved to the most recent past century always gives an age under 100, so "age over
    120" cannot arise from the MRZ alone: what can is a birth date whose other century also
    gives a possible age (120 or less), reported as `mrz.date_ambiguous` (info) - e.g. the
    Czech specimen's 110101, born 1911 per its printed page. The validation layer, which has
    the printed page's four-digit year, judges the age.

Findings (all codes start with `mrz.`)
    error: `check_digit` (one per failing field), `charset`, `date_invalid`;
    warning: `ambiguous_repair`, `name_truncated`, `unknown_state`, `date_implausible`;
    info: `cleaned`, `repaired`, `lenient_only`, `check_digit_blind`, `specimen_state`,
    `date_ambiguous`. Messages never quote names, numbers, dates or MRZ lines.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Final, Literal

from passport_ocr import countries
from passport_ocr.errors import MrzError
from passport_ocr.record import (
    CheckDigit,
    Finding,
    Mrz,
    MrzFormat,
    Severity,
    Substitution,
)

__all__ = [
    "FILLER",
    "MrzFields",
    "MrzFormat",
    "MrzReading",
    "NameParts",
    "char_value",
    "check_digit",
    "check_digit_blind_pairs",
    "clean_lines",
    "detect_format",
    "parse_names",
    "read_mrz",
]

FILLER: Final = "<"
_ALPHABET: Final = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<")
_WEIGHTS: Final = (7, 3, 1)

# OCR confusions, by the class the position demands.
_DIGIT_FOR_LETTER: Final[Mapping[str, tuple[str, ...]]] = {
    "O": ("0",),
    "Q": ("0",),
    "D": ("0",),
    "U": ("0",),
    "I": ("1",),
    "L": ("1",),
    "J": ("1",),
    "Z": ("2",),
    "A": ("4",),
    "S": ("5", "8"),
    "G": ("6",),
    "T": ("7",),
    "B": ("8",),
}
# The preferred letter first: class repairs in names take it; state codes try them all.
_LETTER_FOR_DIGIT: Final[Mapping[str, tuple[str, ...]]] = {
    "0": ("O", "D", "Q"),
    "1": ("I", "L"),
    "2": ("Z",),
    "4": ("A",),
    "5": ("S",),
    "6": ("G",),
    "7": ("T",),
    "8": ("B",),
}
# What a filler `<` is commonly read as.
_FILLER_LOOKALIKES: Final = frozenset("KXCS3")
# OCR-confusable pairs the 7-3-1 check digit cannot tell apart (values equal modulo 10).
_BLIND_PAIRS: Final = (("G", "6"), ("L", "1"), ("U", "0"), ("S", "8"), ("K", "<"))
_BLIND_CHARS: Final = frozenset(c for pair in _BLIND_PAIRS for c in pair)
# Glyphs some readers produce for `<`.
_FILLER_GLYPHS: Final[Mapping[str, str]] = {
    "«": "<<",
    "‹": "<",
    "〈": "<",
    "＜": "<",
    "く": "<",
    "≤": "<",
}


# ---------------------------------------------------------------------------------------
# Check digits
# ---------------------------------------------------------------------------------------


def char_value(char: str) -> int:
    """The ICAO 9303 value of one MRZ character: digits 0-9, A=10 .. Z=35, `<`=0."""
    if len(char) != 1 or char not in _ALPHABET:
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
    return _BLIND_PAIRS


def _safe_check_digit(data: str) -> str | None:
    """`check_digit`, or None when the data holds characters outside the alphabet."""
    if any(char not in _ALPHABET for char in data):
        return None
    return check_digit(data)


# ---------------------------------------------------------------------------------------
# Layouts
# ---------------------------------------------------------------------------------------

CharClass = Literal["code", "alpha", "digit", "check", "alnum", "sex"]


@dataclass(frozen=True)
class _Span:
    line: int
    start: int
    end: int  # exclusive
    cls: CharClass

    def read(self, lines: Sequence[str]) -> str:
        return lines[self.line][self.start : self.end]


@dataclass(frozen=True)
class _Layout:
    format: MrzFormat
    line_count: int
    line_length: int
    document_code: _Span
    issuing_state: _Span
    name: _Span
    document_number: _Span
    nationality: _Span
    birth_date: _Span
    sex: _Span
    expiry_date: _Span
    optional_data: _Span
    optional_data_2: _Span | None
    #: field name -> (line, position) of its check digit
    checks: Mapping[str, tuple[int, int]]
    composite: tuple[_Span, ...] = ()
    composite_at: tuple[int, int] | None = None

    def spans(self) -> dict[str, _Span]:
        found = {
            "document_code": self.document_code,
            "issuing_state": self.issuing_state,
            "name": self.name,
            "document_number": self.document_number,
            "nationality": self.nationality,
            "birth_date": self.birth_date,
            "sex": self.sex,
            "expiry_date": self.expiry_date,
            "optional_data": self.optional_data,
        }
        if self.optional_data_2 is not None:
            found["optional_data_2"] = self.optional_data_2
        return found

    def class_map(self) -> list[list[CharClass]]:
        classes: list[list[CharClass]] = [
            ["alnum"] * self.line_length for _ in range(self.line_count)
        ]
        for span in self.spans().values():
            for pos in range(span.start, span.end):
                classes[span.line][pos] = span.cls
        classes[self.document_code.line][self.document_code.start + 1] = "alpha"
        for line, pos in self.checks.values():
            classes[line][pos] = "check"
        if self.composite_at is not None:
            classes[self.composite_at[0]][self.composite_at[1]] = "check"
        return classes

    def field_at(self, line: int, pos: int) -> str | None:
        for name, span in self.spans().items():
            if span.line == line and span.start <= pos < span.end:
                return name
        for name, (check_line, check_pos) in self.checks.items():
            if (check_line, check_pos) == (line, pos):
                return name
        if self.composite_at == (line, pos):
            return "composite"
        return None


def _visa_or_td(fmt: MrzFormat, length: int, *, optional_check: bool, composite: bool) -> _Layout:
    """TD3, TD2, MRV-A and MRV-B share one lower-line layout up to the optional data."""
    optional_end = length - 2 if optional_check else (length - 1 if composite else length)
    checks = {"document_number": (1, 9), "birth_date": (1, 19), "expiry_date": (1, 27)}
    if optional_check:
        checks["optional_data"] = (1, length - 2)
    return _Layout(
        format=fmt,
        line_count=2,
        line_length=length,
        document_code=_Span(0, 0, 2, "code"),
        issuing_state=_Span(0, 2, 5, "alpha"),
        name=_Span(0, 5, length, "alpha"),
        document_number=_Span(1, 0, 9, "alnum"),
        nationality=_Span(1, 10, 13, "alpha"),
        birth_date=_Span(1, 13, 19, "digit"),
        sex=_Span(1, 20, 21, "sex"),
        expiry_date=_Span(1, 21, 27, "digit"),
        optional_data=_Span(1, 28, optional_end, "alnum"),
        optional_data_2=None,
        checks=checks,
        composite=(
            (_Span(1, 0, 10, "alnum"), _Span(1, 13, 20, "alnum"), _Span(1, 21, length - 1, "alnum"))
            if composite
            else ()
        ),
        composite_at=(1, length - 1) if composite else None,
    )


_TD1: Final = _Layout(
    format=MrzFormat.TD1,
    line_count=3,
    line_length=30,
    document_code=_Span(0, 0, 2, "code"),
    issuing_state=_Span(0, 2, 5, "alpha"),
    document_number=_Span(0, 5, 14, "alnum"),
    optional_data=_Span(0, 15, 30, "alnum"),
    birth_date=_Span(1, 0, 6, "digit"),
    sex=_Span(1, 7, 8, "sex"),
    expiry_date=_Span(1, 8, 14, "digit"),
    nationality=_Span(1, 15, 18, "alpha"),
    optional_data_2=_Span(1, 18, 29, "alnum"),
    name=_Span(2, 0, 30, "alpha"),
    checks={"document_number": (0, 14), "birth_date": (1, 6), "expiry_date": (1, 14)},
    composite=(
        _Span(0, 5, 30, "alnum"),
        _Span(1, 0, 7, "alnum"),
        _Span(1, 8, 15, "alnum"),
        _Span(1, 18, 29, "alnum"),
    ),
    composite_at=(1, 29),
)

LAYOUTS: Final[Mapping[MrzFormat, _Layout]] = {
    MrzFormat.TD3: _visa_or_td(MrzFormat.TD3, 44, optional_check=True, composite=True),
    MrzFormat.TD2: _visa_or_td(MrzFormat.TD2, 36, optional_check=False, composite=True),
    MrzFormat.MRVA: _visa_or_td(MrzFormat.MRVA, 44, optional_check=False, composite=False),
    MrzFormat.MRVB: _visa_or_td(MrzFormat.MRVB, 36, optional_check=False, composite=False),
    MrzFormat.TD1: _TD1,
}

# First character of the document code per format family (ICAO 9303 parts 4-7).
_TD3_CODES: Final = frozenset("P")
_CARD_CODES: Final = frozenset("IAC")
_VISA_CODES: Final = frozenset("V")


# ---------------------------------------------------------------------------------------
# Public result types
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NameParts:
    surname: str
    given_names: str
    #: The name field is full to its last position: the name may have been cut.
    possibly_truncated: bool


@dataclass(frozen=True)
class MrzFields:
    document_code: str
    issuing_state: str
    surname: str
    given_names: str
    document_number: str
    nationality: str
    birth_date_raw: str
    birth_date: date | None
    expiry_date_raw: str
    expiry_date: date | None
    sex: Literal["M", "F", "X"] | None  # '<' (unspecified) -> "X"
    #: TD3/TD2/MRV optional data (TD3: personal number); TD1: line-1 optional data.
    optional_data: str
    #: TD1 line-2 optional data; None for the other formats.
    optional_data_2: str | None


@dataclass(frozen=True)
class MrzReading:
    mrz: Mrz
    fields: MrzFields
    findings: tuple[Finding, ...]

    @property
    def valid(self) -> bool:
        return self.mrz.valid

    def finding_codes(self) -> list[str]:
        return [finding.code for finding in self.findings]

    def to_json(self) -> dict[str, Any]:
        """Exactly what `passport-ocr mrz` prints."""
        fields: dict[str, Any] = {
            "document_code": self.fields.document_code,
            "issuing_state": self.fields.issuing_state,
            "surname": self.fields.surname,
            "given_names": self.fields.given_names,
            "document_number": self.fields.document_number,
            "nationality": self.fields.nationality,
            "birth_date": _date_json(self.fields.birth_date_raw, self.fields.birth_date),
            "expiry_date": _date_json(self.fields.expiry_date_raw, self.fields.expiry_date),
            "sex": self.fields.sex,
            "optional_data": self.fields.optional_data,
        }
        if self.fields.optional_data_2 is not None:
            fields["optional_data_2"] = self.fields.optional_data_2
        return {
            "format": self.mrz.format.value,
            "fields": fields,
            "check_digits": {check.field: check.valid for check in self.mrz.check_digits},
            "valid": self.mrz.valid,
            "valid_strict": self.mrz.valid_strict,
            "repairs": [sub.model_dump(mode="json") for sub in self.mrz.substitutions],
            "findings": [finding.model_dump(mode="json") for finding in self.findings],
        }


def _date_json(raw: str, resolved: date | None) -> dict[str, str | None]:
    return {"raw": raw, "iso": resolved.isoformat() if resolved else None}


# ---------------------------------------------------------------------------------------
# Cleaning
# ---------------------------------------------------------------------------------------

_NEWLINES: Final = re.compile(r"[\r\n]+")
_WHITESPACE: Final = re.compile(r"\s")


def _split_text(text: str | Sequence[str]) -> list[str]:
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


# Cyrillic and Greek capitals that look like Latin ones (some readers mix scripts).
_HOMOGLYPHS: Final[Mapping[str, str]] = dict(
    zip("АВЕКМНОРСТХУІЈЅΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "ABEKMHOPCTXYIJSABEZHIKMNOPTYX", strict=True)
)


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
    if char in _ALPHABET or char.isspace():
        return char, None
    if char in _FILLER_GLYPHS:
        return _FILLER_GLYPHS[char], "glyph"
    folded = unicodedata.normalize("NFKC", char).upper()  # full width, lower case
    folded = _HOMOGLYPHS.get(folded, folded)
    if len(folded) == 1 and folded in _ALPHABET:
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
                line.subs.append(_sub(index, pos, char, FILLER, "filler"))
                line.chars.append(FILLER)
                line.origin.append(pos)
            else:
                line.subs.append(_sub(index, pos, char, "", "length"))
        else:
            if reason is not None:
                line.subs.append(_sub(index, pos, char, text, reason))
            line.chars.extend(text)
            line.origin.extend([pos] * len(text))
        produced += len(text)
    return line


def _sub(
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
            line.subs.append(_sub(line.index, raw_pos, line.raw[raw_pos], "", "length"))
        del line.chars[target:], line.origin[target:]
    elif len(text) == target - 1 and text.endswith(FILLER):
        line.subs.append(_sub(line.index, len(line.raw), "", FILLER, "filler"))
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
        line.subs.append(_sub(line.index, raw_pos, line.raw[raw_pos], "", "length"))
        del line.chars[pos], line.origin[pos]
    else:
        line.subs.append(_sub(line.index, raw_pos, "", FILLER, "filler"))
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
    raw_lines = _split_text(text)
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
        layout = LAYOUTS[detect_format(lines)]
    except MrzError:
        return 0
    agreeing = 0
    for name, (line, pos) in layout.checks.items():
        span = layout.spans()[name]
        if _safe_check_digit(span.read(lines)) == lines[line][pos]:
            agreeing += 1
    if layout.composite_at is not None:
        data = "".join(span.read(lines) for span in layout.composite)
        if _safe_check_digit(data) == lines[layout.composite_at[0]][layout.composite_at[1]]:
            agreeing += 1
    # Name lines end in fillers far more often than in letters.
    agreeing += sum(1 for line in lines if line.endswith(FILLER + FILLER))
    return agreeing


# ---------------------------------------------------------------------------------------
# Format detection
# ---------------------------------------------------------------------------------------


def _first_letter(line: str) -> str:
    first = line[:1]
    return _LETTER_FOR_DIGIT.get(first, (first,))[0]


def _is_french_national_id(lines: Sequence[str]) -> bool:
    """The pre-2021 French identity card: 2x36 starting `IDFRA`, digits ending line 1."""
    if len(lines) != 2 or not lines[0].startswith("IDFRA"):
        return False
    tail = lines[0][30:36]
    return len(lines[0]) == 36 and any(char.isdigit() for char in tail)


def detect_format(lines: Sequence[str]) -> MrzFormat:
    """The ICAO format of cleaned lines, or `MrzError` saying why they are none."""
    if isinstance(lines, str):
        raise MrzError("detect_format expects a sequence of lines, not one string")
    count = len(lines)
    lengths = [len(line) for line in lines]
    if count not in (2, 3):
        raise MrzError(
            f"an ICAO MRZ has 2 or 3 lines, got {count} (a single line is not a whole MRZ)"
        )
    if _is_french_national_id(lines):
        raise MrzError(
            "French national identity card (2x36, 'IDFRA', pre-2021): not an ICAO 9303 "
            "travel document; its zone has no ICAO layout"
        )
    if count == 3:
        if lengths != [30, 30, 30]:
            raise MrzError(f"three lines must be 30 characters each (TD1), got {lengths}")
        first = _first_letter(lines[0])
        if first not in _CARD_CODES:
            raise MrzError(
                "a 3x30 MRZ (TD1) starts with I, A or C; this one does not "
                "(not an ICAO travel document)"
            )
        return MrzFormat.TD1
    if lengths[0] != lengths[1] or lengths[0] not in (44, 36):
        raise MrzError(
            f"two lines must both be 44 (TD3, MRV-A) or 36 (TD2, MRV-B) characters, got {lengths}"
        )
    first = _first_letter(lines[0])
    if lengths[0] == 44:
        if first in _TD3_CODES:
            return MrzFormat.TD3
        if first in _VISA_CODES:
            return MrzFormat.MRVA
        raise MrzError(
            "a 2x44 MRZ starts with P (passport, TD3) or V (visa, MRV-A); this one does not"
        )
    if first in _VISA_CODES:
        return MrzFormat.MRVB
    if first in _CARD_CODES or first in _TD3_CODES:
        return MrzFormat.TD2
    raise MrzError("a 2x36 MRZ starts with I, A, C or P (TD2) or V (MRV-B); this one does not")


# ---------------------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------------------


def parse_names(name_field: str) -> NameParts:
    """Primary and secondary identifiers: `<<` separates them, `<` becomes a space."""
    possibly_truncated = bool(name_field) and not name_field.endswith(FILLER)
    body = name_field.rstrip(FILLER)
    primary, separator, secondary = body.partition(FILLER + FILLER)
    if not separator:
        secondary = ""
    return NameParts(
        surname=primary.replace(FILLER, " ").strip(),
        given_names=secondary.replace(FILLER, " ").strip(),
        possibly_truncated=possibly_truncated,
    )


# ---------------------------------------------------------------------------------------
# Repair
# ---------------------------------------------------------------------------------------


def _allowed(cls: CharClass, char: str) -> bool:
    if cls == "digit":
        return char.isdigit()
    if cls == "check":
        return char.isdigit() or char == FILLER
    if cls == "alpha":
        return char.isalpha() or char == FILLER
    if cls == "code":
        return char.isalpha()
    if cls == "sex":
        return char in "MFX<"
    return char in _ALPHABET


class _Editor:
    """Mutable lines plus the substitutions made, for one repair pass."""

    def __init__(self, lines: Sequence[str], layout: _Layout) -> None:
        self.lines = [list(line) for line in lines]
        self.layout = layout
        self.subs: list[Substitution] = []
        self.findings: list[Finding] = []
        self.repaired_fields: list[str] = []
        self.blind_fields: set[str] = set()

    def text(self) -> list[str]:
        return ["".join(line) for line in self.lines]

    def get(self, line: int, pos: int) -> str:
        return self.lines[line][pos]

    def set(
        self,
        line: int,
        pos: int,
        char: str,
        reason: Literal["check_digit", "character_class", "filler"],
    ) -> None:
        field_name = _record_field(self.layout.field_at(line, pos))
        self.subs.append(
            _sub(line, pos, self.lines[line][pos], char, reason, field_name=field_name)
        )
        self.lines[line][pos] = char
        if field_name and field_name not in self.repaired_fields:
            self.repaired_fields.append(field_name)


def _record_field(layout_field: str | None) -> str | None:
    """Layout field names -> record field names where they differ."""
    if layout_field == "name":
        return "names"
    return layout_field


def _repair(lines: Sequence[str], layout: _Layout) -> _Editor:
    editor = _Editor(lines, layout)
    _repair_letter_positions(editor)
    for name in ("birth_date", "expiry_date"):
        _repair_digit_field(editor, name)
    _repair_composite_digit(editor)
    for name in ("document_number", "optional_data"):
        if name in layout.checks:
            _repair_alnum_field(editor, name)
    _repair_composite_digit(editor)
    return editor


def _repair_letter_positions(editor: _Editor) -> None:
    """Digits in letter-only positions: document code, states, names, sex fillers."""
    layout = editor.layout
    code = layout.document_code
    for pos in range(code.start, code.end):
        char = editor.get(code.line, pos)
        if char.isdigit() and char in _LETTER_FOR_DIGIT:
            editor.set(code.line, pos, _LETTER_FOR_DIGIT[char][0], "character_class")
    for span in (layout.issuing_state, layout.nationality):
        _repair_state(editor, span)
    _repair_name(editor, layout.name)


def _repair_state(editor: _Editor, span: _Span) -> None:
    raw = span.read(editor.text())
    if countries.is_known(raw.rstrip(FILLER)) or not any(char.isdigit() for char in raw):
        return
    options = [_LETTER_FOR_DIGIT.get(char, ()) if char.isdigit() else (char,) for char in raw]
    known = {
        "".join(combo)
        for combo in itertools.product(*options)
        if countries.is_known("".join(combo).rstrip(FILLER))
    }
    if len(known) != 1:
        return
    (fixed,) = known
    for offset, (before, after) in enumerate(zip(raw, fixed, strict=True)):
        if before != after:
            editor.set(span.line, span.start + offset, after, "character_class")


def _repair_name(editor: _Editor, span: _Span) -> None:
    field_text = span.read(editor.text())
    for offset, char in enumerate(field_text):
        pos = span.start + offset
        if _isolated_in_fillers(field_text, offset) and char in _FILLER_LOOKALIKES:
            editor.set(span.line, pos, FILLER, "filler")
        elif char.isdigit() and char in _LETTER_FOR_DIGIT:
            editor.set(span.line, pos, _LETTER_FOR_DIGIT[char][0], "character_class")


def _isolated_in_fillers(text: str, offset: int) -> bool:
    """A single character in a trailing filler run: at least 3 fillers before, only after."""
    before = text[max(0, offset - 3) : offset]
    after = text[offset + 1 :]
    return len(before) == 3 and set(before) == {FILLER} and bool(after) and set(after) == {FILLER}


def _field_verdict(editor: _Editor, name: str) -> bool:
    """Does `name`'s check digit agree (lenient empty-field rule included)?"""
    lines = editor.text()
    span = editor.layout.spans()[name]
    line, pos = editor.layout.checks[name]
    return _check_agrees(span.read(lines), lines[line][pos], lenient_empty=name == "optional_data")


def _check_agrees(data: str, found: str, *, lenient_empty: bool) -> bool:
    computed = _safe_check_digit(data)
    if computed is None:
        return False
    if found == computed:
        return True
    return lenient_empty and set(data) <= {FILLER} and found in (FILLER, "0")


def _composite_agrees(editor: _Editor) -> bool | None:
    layout = editor.layout
    if layout.composite_at is None:
        return None
    lines = editor.text()
    data = "".join(span.read(lines) for span in layout.composite)
    return _safe_check_digit(data) == lines[layout.composite_at[0]][layout.composite_at[1]]


def _single_changes(
    originals: Sequence[str], options: Sequence[Sequence[str]]
) -> list[tuple[str, ...]]:
    """Every variant of `originals` that changes exactly one position to one of its options."""
    variants: list[tuple[str, ...]] = []
    for index, choices in enumerate(options):
        for choice in choices:
            if choice != originals[index]:
                variant = list(originals)
                variant[index] = choice
                variants.append(tuple(variant))
    return variants


def _try_candidates(
    editor: _Editor,
    name: str,
    positions: Sequence[tuple[int, int]],
    options: Sequence[Sequence[str]],
    reason: Literal["check_digit", "character_class"],
    *,
    single: bool,
) -> bool | None:
    """Search replacements; apply the unique one that makes the field's check digit agree.

    `single` (check-digit-guided guess): at most one position changes, and where the format
    has a composite check digit it must agree too. Otherwise (class-forced: every position
    must take one of its options) the field's own check digit decides. Returns True when a
    repair was applied, False when none validates, None when more than one does.
    """
    originals = tuple(editor.get(line, pos) for line, pos in positions)
    combos: Iterable[tuple[str, ...]] = (
        _single_changes(originals, options) if single else itertools.product(*options)
    )
    winners: list[tuple[str, ...]] = []
    for combo in combos:
        if combo == originals:
            continue
        for (line, pos), char in zip(positions, combo, strict=True):
            editor.lines[line][pos] = char
        if _field_verdict(editor, name) and (not single or _composite_agrees(editor) is not False):
            winners.append(combo)
        for (line, pos), char in zip(positions, originals, strict=True):
            editor.lines[line][pos] = char
    if len(winners) != 1:
        return None if winners else False
    for (line, pos), before, after in zip(positions, originals, winners[0], strict=True):
        if before != after:
            editor.set(line, pos, after, reason)
            if reason == "check_digit":
                # The check digit chose this repair, so it can no longer vouch for the field.
                editor.blind_fields.add(name)
    return True


def _ambiguous(editor: _Editor, name: str) -> None:
    editor.findings.append(
        Finding(
            code="mrz.ambiguous_repair",
            field=name,
            severity=Severity.WARNING,
            message=f"{_label(name)}: more than one OCR repair satisfies the check digit; "
            "nothing was changed",
        )
    )


def _repair_digit_field(editor: _Editor, name: str) -> None:
    """Dates: letters in digit positions become digits if the check digit then agrees."""
    span = editor.layout.spans()[name]
    check_line, check_pos = editor.layout.checks[name]
    positions = [(span.line, pos) for pos in range(span.start, span.end)]
    positions.append((check_line, check_pos))
    chars = [editor.get(line, pos) for line, pos in positions]
    if all(char.isdigit() for char in chars):
        return
    options = [(char,) if char.isdigit() else _DIGIT_FOR_LETTER.get(char, ()) for char in chars]
    if any(not option for option in options):
        return
    if _try_candidates(editor, name, positions, options, "character_class", single=False) is None:
        _ambiguous(editor, name)


def _repair_alnum_field(editor: _Editor, name: str) -> None:
    """Document number / personal number: check-digit-guided, outliers only."""
    if _field_verdict(editor, name):
        return
    span = editor.layout.spans()[name]
    check_line, check_pos = editor.layout.checks[name]
    text = span.read(editor.text())
    positions: list[tuple[int, int]] = []
    options: list[tuple[str, ...]] = []
    for offset, char in enumerate(text):
        choices = _alnum_choices(text, offset)
        if choices:
            positions.append((span.line, span.start + offset))
            options.append((char, *choices))
    check_char = editor.get(check_line, check_pos)
    check_choices: tuple[str, ...] = ()
    if not check_char.isdigit() and check_char != FILLER:
        check_choices = _DIGIT_FOR_LETTER.get(check_char, ())
        if check_char in _FILLER_LOOKALIKES and set(text) <= {FILLER}:
            check_choices = (*check_choices, FILLER)
    if check_choices:
        positions.append((check_line, check_pos))
        options.append((check_char, *check_choices))
    if not positions:
        return
    outcome = _try_candidates(editor, name, positions, options, "check_digit", single=True)
    if outcome is None:
        _ambiguous(editor, name)


def _alnum_choices(text: str, offset: int) -> tuple[str, ...]:
    """Confusion partners for a character that breaks its neighbours' class."""
    char = text[offset]
    left = text[offset - 1] if offset > 0 else ""
    right = text[offset + 1] if offset + 1 < len(text) else ""
    if char in _FILLER_LOOKALIKES and left == FILLER and right in (FILLER, ""):
        return (FILLER,)
    if not left or not right:
        return ()
    if char.isalpha() and left.isdigit() and right.isdigit():
        return _DIGIT_FOR_LETTER.get(char, ())
    if char.isdigit() and left.isalpha() and right.isalpha():
        return _LETTER_FOR_DIGIT.get(char, ())
    return ()


def _o_zero_choices(text: str, offset: int) -> tuple[str, ...]:
    """O for 0 and 0 for O where a letter run meets a digit run (on either side).

    The one confusion whose pairs cancel easily: O and 0 differ by 24, so two O->0 slips
    at weights 7 and 3 (or O->0 and 0->O at equal weights) leave every check digit intact,
    and a boundary character has no class to lean on (`0AH7OQDL` read as `OAH70QDL`).
    Kept to O and 0 and to boundaries: trying every partner of every boundary character
    would find some other valid reading for most mixed document numbers.
    """
    char = text[offset]
    if char not in "O0":
        return ()
    other = str.isdigit if char == "O" else str.isalpha
    neighbours = text[max(offset - 1, 0) : offset] + text[offset + 1 : offset + 2]
    if not any(other(neighbour) for neighbour in neighbours):
        return ()
    return ("0",) if char == "O" else ("O",)


def _repair_composite_digit(editor: _Editor) -> None:
    layout = editor.layout
    if layout.composite_at is None:
        return
    line, pos = layout.composite_at
    char = editor.get(line, pos)
    if char.isdigit():
        return
    lines = editor.text()
    computed = _safe_check_digit("".join(span.read(lines) for span in layout.composite))
    if computed is not None and computed in _DIGIT_FOR_LETTER.get(char, ()):
        editor.set(line, pos, computed, "character_class")


# ---------------------------------------------------------------------------------------
# Parsing and verdicts
# ---------------------------------------------------------------------------------------


def _label(name: str) -> str:
    return name.replace("_", " ")


def _check_digits(
    lines: Sequence[str], layout: _Layout, long_number: tuple[str, str] | None
) -> list[CheckDigit]:
    """Every check digit's verdict (`long_number`: a TD1 number continued per 9303-5 note j)."""
    results: list[CheckDigit] = []
    spans = layout.spans()
    for name, (line, pos) in layout.checks.items():
        data, found = spans[name].read(lines), lines[line][pos]
        computed = _safe_check_digit(data) or "?"
        strict = found == computed
        lenient = _check_agrees(data, found, lenient_empty=name == "optional_data")
        if name == "document_number" and long_number is not None:
            # Lenient only: the strict reading sees a filler where the check digit belongs.
            number, found = long_number
            computed = _safe_check_digit(number) or "?"
            lenient, strict = found == computed, False
        results.append(
            CheckDigit(
                field=name, found=found, computed=computed, valid=lenient, valid_strict=strict
            )
        )
    if layout.composite_at is not None:
        line, pos = layout.composite_at
        found = lines[line][pos]
        computed = _safe_check_digit("".join(span.read(lines) for span in layout.composite)) or "?"
        results.append(
            CheckDigit(
                field="composite",
                found=found,
                computed=computed,
                valid=found == computed,
                valid_strict=found == computed,
            )
        )
    return results


def _td1_long_number(lines: Sequence[str]) -> tuple[str, str] | None:
    """ICAO 9303-5 note j: 9 characters, `<`, the rest in optional data, then its check."""
    head = lines[0][5:14]
    run = lines[0][15:30].split(FILLER, 1)[0]
    if FILLER in head or len(run) < 2 or not run[-1].isdigit():
        return None
    return head + run[:-1], run[-1]


def _td1_optional(lines: Sequence[str], long_number: bool) -> str:
    optional = lines[0][15:30]
    if long_number:
        # Skip the number's tail, its check digit and the filler that ends them.
        run = optional.split(FILLER, 1)[0]
        optional = optional[len(run) + 1 :]
    return optional.rstrip(FILLER)


def _resolve_birth(raw: str, today: date) -> date | None:
    parsed = _yymmdd(raw)
    if parsed is None:
        return None
    yy, month, day = parsed
    year = (today.year // 100) * 100 + yy
    resolved = _safe_date(year, month, day)
    if resolved is not None and resolved > today:
        resolved = _safe_date(year - 100, month, day)
    return resolved


def _resolve_expiry(raw: str, today: date) -> date | None:
    parsed = _yymmdd(raw)
    if parsed is None:
        return None
    yy, month, day = parsed
    year = (today.year // 100) * 100 + yy
    if year >= today.year + 50:
        year -= 100
    elif year < today.year - 50:
        year += 100
    return _safe_date(year, month, day)


def _yymmdd(raw: str) -> tuple[int, int, int] | None:
    if len(raw) != 6 or not raw.isdigit():
        return None
    return int(raw[:2]), int(raw[2:4]), int(raw[4:6])


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _date_findings(birth: date | None, expiry: date | None, today: date) -> list[Finding]:
    findings: list[Finding] = []
    for name, resolved in (("birth_date", birth), ("expiry_date", expiry)):
        if resolved is None:
            findings.append(
                Finding(
                    code="mrz.date_invalid",
                    field=name,
                    severity=Severity.ERROR,
                    message=f"{_label(name)} is not a calendar date in YYMMDD form",
                )
            )
    if birth is not None:
        other = _safe_date(birth.year - 100, birth.month, birth.day)
        if other is not None and _years_between(other, today) <= 120:
            findings.append(
                Finding(
                    code="mrz.date_ambiguous",
                    field="birth_date",
                    severity=Severity.INFO,
                    message="birth date century is ambiguous (both readings give an age "
                    "of 120 or less); the most recent one was taken",
                )
            )
    if expiry is not None and _years_between(today, expiry) > 20:
        findings.append(_implausible("expiry_date", "expiry more than 20 years ahead"))
    if birth is not None and expiry is not None and birth >= expiry:
        findings.append(_implausible("birth_date", "birth date is not before expiry date"))
    return findings


def _years_between(earlier: date, later: date) -> int:
    years = later.year - earlier.year
    if (later.month, later.day) < (earlier.month, earlier.day):
        years -= 1
    return years


def _implausible(name: str, why: str) -> Finding:
    return Finding(code="mrz.date_implausible", field=name, severity=Severity.WARNING, message=why)


def _sex(char: str) -> Literal["M", "F", "X"] | None:
    if char == "M":
        return "M"
    if char == "F":
        return "F"
    if char in (FILLER, "X"):
        return "X"
    return None


def _charset_findings(lines: Sequence[str], layout: _Layout) -> list[Finding]:
    classes = layout.class_map()
    bad_fields: list[str] = []
    for line_index, line in enumerate(lines):
        for pos, char in enumerate(line):
            if not _allowed(classes[line_index][pos], char):
                name = _record_field(layout.field_at(line_index, pos)) or "mrz"
                if name not in bad_fields:
                    bad_fields.append(name)
    return [
        Finding(
            code="mrz.charset",
            field=name,
            severity=Severity.ERROR,
            message=f"{_label(name)} holds characters its ICAO position does not allow",
        )
        for name in bad_fields
    ]


def _state_findings(fields: MrzFields) -> list[Finding]:
    findings: list[Finding] = []
    for name, code in (
        ("issuing_state", fields.issuing_state),
        ("nationality", fields.nationality),
    ):
        if countries.is_specimen(code):
            findings.append(
                Finding(
                    code="mrz.specimen_state",
                    field=name,
                    severity=Severity.INFO,
                    message=f"{_label(name)} is a specimen state (e.g. Utopia)",
                )
            )
        elif not countries.is_known(code):
            findings.append(
                Finding(
                    code="mrz.unknown_state",
                    field=name,
                    severity=Severity.WARNING,
                    message=f"{_label(name)} is not an ICAO 9303 state code",
                )
            )
    return findings


def _blind_field(text: str) -> bool:
    """A blind-pair character where a letter run meets a digit run (no context to lean on),
    or a K next to a filler (K and `<` weigh the same)."""
    for left, right in itertools.pairwise(text):
        if FILLER in (left, right) and "K" in (left, right):
            return True
        boundary = (left.isalpha() and right.isdigit()) or (left.isdigit() and right.isalpha())
        if boundary and (left in _BLIND_CHARS or right in _BLIND_CHARS):
            return True
    return False


#: How many out-of-step characters an alternative reading may change at once.
_MAX_ALTERNATIVE_CHANGES = 3


def _ambiguous_fields(lines: Sequence[str], layout: _Layout) -> list[str]:
    """Alphanumeric fields whose check digits do not single out the reading.

    A reading that passes its check digits is still wrong if two or more OCR confusions
    cancel out (two O read as 0 at weights 7 and 3 shift the sum by 240). So: take the
    characters that break the class of both neighbours (a digit between letters, a letter
    between digits: where OCR confusions live), and every O or 0 where letters meet digits,
    and try their confusion partners, up to `_MAX_ALTERNATIVE_CHANGES` at a time. If
    another reading also satisfies the field's check digit and the composite, the check
    digits cannot tell the two apart.
    """
    editor = _Editor(lines, layout)
    ambiguous: list[str] = []
    for name in ("document_number", "optional_data"):
        if name not in layout.checks or not _field_verdict(editor, name):
            continue
        span = layout.spans()[name]
        text = span.read(editor.text())
        suspects = [
            (span.start + offset, choices)
            for offset in range(len(text))
            if (choices := _alnum_choices(text, offset) or _o_zero_choices(text, offset))
            and text[offset] != FILLER
        ]
        if any(
            _alternative_validates(editor, name, span.line, combo)
            for size in range(1, min(len(suspects), _MAX_ALTERNATIVE_CHANGES) + 1)
            for combo in itertools.combinations(suspects, size)
        ):
            ambiguous.append(name)
    return ambiguous


def _alternative_validates(
    editor: _Editor, name: str, line: int, changes: Sequence[tuple[int, tuple[str, ...]]]
) -> bool:
    originals = [editor.lines[line][pos] for pos, _ in changes]
    try:
        for replacement in itertools.product(*(choices for _, choices in changes)):
            for (pos, _), char in zip(changes, replacement, strict=True):
                editor.lines[line][pos] = char
            if _field_verdict(editor, name) and _composite_agrees(editor) is not False:
                return True
        return False
    finally:
        for (pos, _), char in zip(changes, originals, strict=True):
            editor.lines[line][pos] = char


def _ambiguity_findings(fields: Sequence[str]) -> list[Finding]:
    return [
        Finding(
            code="mrz.ambiguous_reading",
            field=name,
            severity=Severity.WARNING,
            message=f"{_label(name)}: another reading, correcting characters out of step with "
            "their neighbours, satisfies the check digits too; only the printed page can "
            "tell which is right",
        )
        for name in fields
    ]


def _parse(
    lines: Sequence[str], layout: _Layout, today: date
) -> tuple[MrzFields, list[CheckDigit], NameParts]:
    spans = layout.spans()
    long_number = (
        _td1_long_number(lines)
        if layout.format is MrzFormat.TD1 and lines[0][14] == FILLER
        else None
    )
    checks = _check_digits(lines, layout, long_number)
    names = parse_names(spans["name"].read(lines))
    birth_raw = spans["birth_date"].read(lines)
    expiry_raw = spans["expiry_date"].read(lines)
    if layout.format is MrzFormat.TD1:
        optional = _td1_optional(lines, long_number is not None)
        optional_2: str | None = spans["optional_data_2"].read(lines).rstrip(FILLER)
    else:
        optional = spans["optional_data"].read(lines).rstrip(FILLER)
        optional_2 = None
    fields = MrzFields(
        document_code=spans["document_code"].read(lines).rstrip(FILLER),
        issuing_state=spans["issuing_state"].read(lines).rstrip(FILLER),
        surname=names.surname,
        given_names=names.given_names,
        document_number=(
            long_number[0] if long_number else spans["document_number"].read(lines).rstrip(FILLER)
        ),
        nationality=spans["nationality"].read(lines).rstrip(FILLER),
        birth_date_raw=birth_raw,
        birth_date=_resolve_birth(birth_raw, today),
        expiry_date_raw=expiry_raw,
        expiry_date=_resolve_expiry(expiry_raw, today),
        sex=_sex(spans["sex"].read(lines)),
        optional_data=optional,
        optional_data_2=optional_2,
    )
    return fields, checks, names


def _repair_findings(editor: _Editor) -> list[Finding]:
    repaired = [
        Finding(
            code="mrz.repaired",
            field=name,
            severity=Severity.INFO,
            message=f"{_label(name)}: OCR confusion repaired (see substitutions)",
        )
        for name in editor.repaired_fields
    ]
    return repaired + editor.findings


def _check_digit_findings(checks: Sequence[CheckDigit]) -> list[Finding]:
    return [
        Finding(
            code="mrz.check_digit",
            field=check.field,
            severity=Severity.ERROR,
            message=f"{_label(check.field)} check digit does not match",
        )
        for check in checks
        if not check.valid
    ]


def _blind_findings(fields: MrzFields, layout: _Layout, repaired: set[str]) -> list[Finding]:
    blind = set(repaired)
    for name in ("document_number", "optional_data"):
        if name in layout.checks and _blind_field(getattr(fields, name)):
            blind.add(name)
    return [
        Finding(
            code="mrz.check_digit_blind",
            field=name,
            severity=Severity.INFO,
            message=f"{_label(name)} is not verified by its check digit alone (an OCR "
            "look-alike of equal value such as G/6, or a repair the check digit chose); "
            "only the printed page can confirm it",
        )
        for name in sorted(blind)
    ]


def _truncation_findings(names: NameParts) -> list[Finding]:
    if not names.possibly_truncated:
        return []
    return [
        Finding(
            code="mrz.name_truncated",
            field="given_names" if names.given_names else "surname",
            severity=Severity.WARNING,
            message="the name field is full to its last position; the name may be truncated",
        )
    ]


def read_mrz(
    text: str | Sequence[str], *, repair: bool = True, today: date | None = None
) -> MrzReading:
    """Read vendor MRZ text. Raises `MrzError` only when it cannot be an MRZ at all.

    `repair=False` keeps the cleaned lines as they are (cleaning still happens: spaces,
    case, length); `today` anchors the two-digit years (default: the current date).
    """
    today = today or date.today()
    cleaned, cleaning_subs = clean_lines(text)
    lines_read = tuple(_split_text(text))
    layout = LAYOUTS[detect_format(cleaned)]
    editor = _repair(cleaned, layout) if repair else None
    lines = editor.text() if editor is not None else cleaned
    fields, checks, names = _parse(lines, layout, today)

    findings: list[Finding] = []
    if cleaning_subs:
        findings.append(
            Finding(
                code="mrz.cleaned",
                field=None,
                severity=Severity.INFO,
                message=f"{len(cleaning_subs)} character(s) cleaned (spaces, case, glyphs, length)",
            )
        )
    if editor is not None:
        findings.extend(_repair_findings(editor))
    findings.extend(_check_digit_findings(checks))
    charset = _charset_findings(lines, layout)
    dates = _date_findings(fields.birth_date, fields.expiry_date, today)
    findings.extend(charset + dates + _truncation_findings(names) + _state_findings(fields))
    findings.extend(
        _blind_findings(fields, layout, editor.blind_fields if editor is not None else set())
    )
    findings.extend(_ambiguity_findings(_ambiguous_fields(lines, layout)))

    structure_ok = not charset and not any(f.code == "mrz.date_invalid" for f in dates)
    valid = structure_ok and all(check.valid for check in checks)
    valid_strict = structure_ok and all(check.valid_strict for check in checks)
    if valid and not valid_strict:
        findings.append(
            Finding(
                code="mrz.lenient_only",
                field=None,
                severity=Severity.INFO,
                message="valid only under the lenient rules (filler check digit of an empty "
                "field, or a TD1 long document number)",
            )
        )
    mrz = Mrz(
        format=layout.format,
        lines_read=lines_read,
        lines=tuple(lines),
        check_digits=tuple(checks),
        valid=valid,
        valid_strict=valid_strict,
        substitutions=tuple(cleaning_subs + (editor.subs if editor is not None else [])),
    )
    return MrzReading(mrz=mrz, fields=fields, findings=tuple(findings))
