"""Readings the check digits cannot single out: blind pairs and cancelling confusions."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from passport_ocr.mrz.checkdigits import BLIND_CHARS, FILLER
from passport_ocr.mrz.layouts import Layout
from passport_ocr.mrz.repair import Editor, alnum_choices, composite_agrees, field_verdict


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


def blind_field(text: str) -> bool:
    """A blind-pair character where a letter run meets a digit run (no context to lean on),
    or a K next to a filler (K and `<` weigh the same)."""
    for left, right in itertools.pairwise(text):
        if FILLER in (left, right) and "K" in (left, right):
            return True
        boundary = (left.isalpha() and right.isdigit()) or (left.isdigit() and right.isalpha())
        if boundary and (left in BLIND_CHARS or right in BLIND_CHARS):
            return True
    return False


#: How many out-of-step characters an alternative reading may change at once.
_MAX_ALTERNATIVE_CHANGES = 3


def ambiguous_fields(lines: Sequence[str], layout: Layout) -> list[str]:
    """Alphanumeric fields whose check digits do not single out the reading.

    A reading that passes its check digits is still wrong if two or more OCR confusions
    cancel out (two O read as 0 at weights 7 and 3 shift the sum by 240). So: take the
    characters that break the class of both neighbours (a digit between letters, a letter
    between digits: where OCR confusions live), and every O or 0 where letters meet digits,
    and try their confusion partners, up to `_MAX_ALTERNATIVE_CHANGES` at a time. If
    another reading also satisfies the field's check digit and the composite, the check
    digits cannot tell the two apart.
    """
    editor = Editor(lines, layout)
    ambiguous: list[str] = []
    for name in ("document_number", "optional_data"):
        if name not in layout.checks or not field_verdict(editor, name):
            continue
        span = layout.spans()[name]
        text = span.read(editor.text())
        suspects = [
            (span.start + offset, choices)
            for offset in range(len(text))
            if (choices := alnum_choices(text, offset) or _o_zero_choices(text, offset))
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
    editor: Editor, name: str, line: int, changes: Sequence[tuple[int, tuple[str, ...]]]
) -> bool:
    originals = [editor.lines[line][pos] for pos, _ in changes]
    try:
        for replacement in itertools.product(*(choices for _, choices in changes)):
            for (pos, _), char in zip(changes, replacement, strict=True):
                editor.lines[line][pos] = char
            if field_verdict(editor, name) and composite_agrees(editor) is not False:
                return True
        return False
    finally:
        for (pos, _), char in zip(changes, originals, strict=True):
            editor.lines[line][pos] = char
