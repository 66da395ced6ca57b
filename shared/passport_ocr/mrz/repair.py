"""Repair: only what the character classes or a check digit prove, always recorded."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from passport_ocr import countries
from passport_ocr.mrz.checkdigits import FILLER, safe_check_digit
from passport_ocr.mrz.cleaning import substitution
from passport_ocr.mrz.layouts import Layout, Span, field_label, long_number, record_field
from passport_ocr.mrz.lookalikes import (
    DIGIT_FOR_LETTER,
    FILLER_LOOKALIKES,
    LETTER_FOR_DIGIT,
    lookalike_twins,
)
from passport_ocr.record import Finding, Severity, Substitution


class LineEditor:
    """Mutable lines plus the substitutions made, for one repair pass; `field_at` names
    the record field of a position (each format has its own table)."""

    def __init__(self, lines: Sequence[str], field_at: Callable[[int, int], str | None]) -> None:
        self.lines = [list(line) for line in lines]
        self._field_at = field_at
        self.subs: list[Substitution] = []
        self.findings: list[Finding] = []
        self.repaired_fields: list[str] = []
        #: Fields a check digit chose a repair in (`mrz.check_digit_blind`).
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
        field_name = self._field_at(line, pos)
        self.subs.append(
            substitution(line, pos, self.lines[line][pos], char, reason, field_name=field_name)
        )
        self.lines[line][pos] = char
        if field_name and field_name not in self.repaired_fields:
            self.repaired_fields.append(field_name)


class Editor(LineEditor):
    """A `LineEditor` over an ICAO layout."""

    def __init__(self, lines: Sequence[str], layout: Layout) -> None:
        super().__init__(lines, lambda line, pos: record_field(layout.field_at(line, pos)))
        self.layout = layout


def repair_lines(lines: Sequence[str], layout: Layout) -> Editor:
    editor = Editor(lines, layout)
    _repair_letter_positions(editor)
    for name in ("birth_date", "expiry_date"):
        _repair_digit_field(editor, name)
    _repair_composite_digit(editor)
    for name in ("document_number", "optional_data"):
        if name in layout.checks:
            _repair_alnum_field(editor, name)
    _repair_composite_digit(editor)
    return editor


def _repair_letter_positions(editor: Editor) -> None:
    """Digits in letter-only positions: document code, states, names, sex fillers."""
    layout = editor.layout
    code = layout.document_code
    for pos in range(code.start, code.end):
        char = editor.get(code.line, pos)
        if char.isdigit() and char in LETTER_FOR_DIGIT:
            editor.set(code.line, pos, LETTER_FOR_DIGIT[char][0], "character_class")
    for span in (layout.issuing_state, layout.nationality):
        _repair_state(editor, span)
    _repair_name(editor, layout.name)


def _repair_state(editor: Editor, span: Span) -> None:
    raw = span.read(editor.text())
    if countries.is_known(raw.rstrip(FILLER)):
        return
    if any(char.isdigit() for char in raw):
        options = [LETTER_FOR_DIGIT.get(char, ()) if char.isdigit() else (char,) for char in raw]
        known = {
            "".join(combo)
            for combo in itertools.product(*options)
            if countries.is_known("".join(combo).rstrip(FILLER))
        }
    else:
        known = set(known_states_near(raw))
    if len(known) != 1:
        if len(known) > 1:
            name = record_field(editor.layout.field_at(span.line, span.start)) or "mrz"
            _ambiguous(editor, name, "more than one known state code is one OCR look-alike away")
        return
    (fixed,) = known
    for offset, (before, after) in enumerate(zip(raw, fixed, strict=True)):
        if before != after:
            editor.set(span.line, span.start + offset, after, "character_class")


def known_states_near(raw: str) -> tuple[str, ...]:
    """The known state codes one OCR look-alike from an unknown `raw` code (`NLO`: `NLD`;
    `O<<`: `D<<`), as they stand in the MRZ (fillers kept), sorted.

    One candidate is a repair; two or more (or none) leave the code as read.
    """
    if countries.is_known(raw.rstrip(FILLER)):
        return ()
    found: set[str] = set()
    for offset, char in enumerate(raw):
        for twin in lookalike_twins(char):
            if not twin.isalpha():
                continue
            candidate = raw[:offset] + twin + raw[offset + 1 :]
            if countries.is_known(candidate.rstrip(FILLER)):
                found.add(candidate)
    return tuple(sorted(found))


def _repair_name(editor: Editor, span: Span) -> None:
    field_text = span.read(editor.text())
    for offset, char in enumerate(field_text):
        pos = span.start + offset
        if isolated_in_fillers(field_text, offset) and char in FILLER_LOOKALIKES:
            editor.set(span.line, pos, FILLER, "filler")
        elif char.isdigit() and char in LETTER_FOR_DIGIT:
            editor.set(span.line, pos, LETTER_FOR_DIGIT[char][0], "character_class")


def isolated_in_fillers(text: str, offset: int) -> bool:
    """A single character in a trailing filler run: at least 3 fillers before, only after."""
    before = text[max(0, offset - 3) : offset]
    after = text[offset + 1 :]
    return len(before) == 3 and set(before) == {FILLER} and bool(after) and set(after) == {FILLER}


@dataclass(frozen=True)
class Verdict:
    """One field's check digit: what stands there, what the data computes to, and whether
    it agrees by ICAO 9303 (`strict`) or only by the reader's own tolerances (`lenient`)."""

    found: str
    computed: str
    lenient: bool
    strict: bool


def check_verdict(lines: Sequence[str], layout: Layout, name: str) -> Verdict:
    """The one check-digit rule of a field (not the composite), strict and lenient.

    Strict is ICAO 9303: the 7-3-1 digit; for an empty TD3 personal number also `<`
    (9303-4 §4.2.2 allows 0 or <); a TD1/TD2 long document number checked where note j
    puts its digit. Lenient adds what real cards do beyond the standard: a long number's
    check digit computed with the `<` that ends its first nine characters included.
    """
    line, pos = layout.checks[name]
    data, found = layout.spans()[name].read(lines), lines[line][pos]
    long = long_number(lines, layout) if name == "document_number" else None
    if long is not None:
        number, found = long
        computed = safe_check_digit(number) or "?"
        strict = found == computed
        with_filler = safe_check_digit(number[:9] + FILLER + number[9:])
        return Verdict(found, computed, strict or found == with_filler, strict)
    computed = safe_check_digit(data) or "?"
    strict = check_agrees(data, found, empty_filler=name == "optional_data")
    return Verdict(found, computed, strict, strict)


def field_verdict(editor: Editor, name: str) -> bool:
    """Does `name`'s check digit agree (the lenient verdict)?"""
    return check_verdict(editor.text(), editor.layout, name).lenient


def check_agrees(data: str, found: str, *, empty_filler: bool) -> bool:
    """The digit agrees, or (`empty_filler`) the field is empty and its check is `<`."""
    computed = safe_check_digit(data)
    if computed is None:
        return False
    if found == computed:
        return True
    return empty_filler and set(data) <= {FILLER} and found == FILLER


def composite_agrees(editor: Editor) -> bool | None:
    layout = editor.layout
    if layout.composite_at is None:
        return None
    lines = editor.text()
    data = "".join(span.read(lines) for span in layout.composite)
    return safe_check_digit(data) == lines[layout.composite_at[0]][layout.composite_at[1]]


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
    editor: Editor,
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
        if field_verdict(editor, name) and (not single or composite_agrees(editor) is not False):
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


def _ambiguous(
    editor: Editor, name: str, why: str = "more than one OCR repair satisfies the check digit"
) -> None:
    editor.findings.append(
        Finding(
            code="mrz.ambiguous_repair",
            field=name,
            severity=Severity.WARNING,
            message=f"{field_label(name)}: {why}; nothing was changed",
        )
    )


def _repair_digit_field(editor: Editor, name: str) -> None:
    """Dates: letters in digit positions become digits if the check digit then agrees."""
    span = editor.layout.spans()[name]
    check_line, check_pos = editor.layout.checks[name]
    positions = [(span.line, pos) for pos in range(span.start, span.end)]
    positions.append((check_line, check_pos))
    chars = [editor.get(line, pos) for line, pos in positions]
    if all(char.isdigit() for char in chars):
        return
    options = [(char,) if char.isdigit() else DIGIT_FOR_LETTER.get(char, ()) for char in chars]
    if any(not option for option in options):
        return
    if _try_candidates(editor, name, positions, options, "character_class", single=False) is None:
        _ambiguous(editor, name)


def _repair_alnum_field(editor: Editor, name: str) -> None:
    """Document number / personal number: check-digit-guided, outliers only."""
    if field_verdict(editor, name):
        return
    span = editor.layout.spans()[name]
    check_line, check_pos = editor.layout.checks[name]
    text = span.read(editor.text())
    positions: list[tuple[int, int]] = []
    options: list[tuple[str, ...]] = []
    for offset, char in enumerate(text):
        choices = alnum_choices(text, offset)
        if choices:
            positions.append((span.line, span.start + offset))
            options.append((char, *choices))
    check_char = editor.get(check_line, check_pos)
    check_choices: tuple[str, ...] = ()
    if not check_char.isdigit() and check_char != FILLER:
        check_choices = DIGIT_FOR_LETTER.get(check_char, ())
        if check_char in FILLER_LOOKALIKES and set(text) <= {FILLER}:
            check_choices = (*check_choices, FILLER)
    if check_choices:
        positions.append((check_line, check_pos))
        options.append((check_char, *check_choices))
    if not positions:
        return
    outcome = _try_candidates(editor, name, positions, options, "check_digit", single=True)
    if outcome is None:
        _ambiguous(editor, name)


def alnum_choices(text: str, offset: int) -> tuple[str, ...]:
    """Confusion partners for a character that breaks its neighbours' class."""
    char = text[offset]
    left = text[offset - 1] if offset > 0 else ""
    right = text[offset + 1] if offset + 1 < len(text) else ""
    if char in FILLER_LOOKALIKES and left == FILLER and right in (FILLER, ""):
        return (FILLER,)
    if not left or not right:
        return ()
    if char.isalpha() and left.isdigit() and right.isdigit():
        return DIGIT_FOR_LETTER.get(char, ())
    if char.isdigit() and left.isalpha() and right.isalpha():
        return LETTER_FOR_DIGIT.get(char, ())
    return ()


def _repair_composite_digit(editor: Editor) -> None:
    layout = editor.layout
    if layout.composite_at is None:
        return
    line, pos = layout.composite_at
    char = editor.get(line, pos)
    if char.isdigit():
        return
    lines = editor.text()
    computed = safe_check_digit("".join(span.read(lines) for span in layout.composite))
    if computed is not None and computed in DIGIT_FOR_LETTER.get(char, ()):
        editor.set(line, pos, computed, "character_class")
