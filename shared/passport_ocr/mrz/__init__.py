"""ICAO Doc 9303 machine readable zones: cleaning, format detection, parsing, check digits, repair.

`read_mrz` turns vendor MRZ text (one string or a list of lines) into an `MrzReading`: the
`record.Mrz` (lines as read, lines after cleaning and repair, per-field check digits, the
substitutions made), the decoded `MrzFields`, and `Finding`s. Formats: TD3 (passport booklet,
2x44), TD1 (card, 3x30), TD2 (2x36), MRV-A (visa, 2x44) and MRV-B (visa, 2x36); and one
national format, not ICAO: FRA_ID, the French identity card of 1988-2021 (2x36, its own
layout and check digits, no expiry: `french_id`, `french_read`; `mrz.not_icao` marks it).

Modules, one fact each: `checkdigits` (character values, the 7-3-1 digit, its blind pairs),
`lookalikes` (the one look-alike table), `layouts` (the one field-layout table, `LAYOUTS`),
`detection` (the one format rule), `cleaning`, `names`, `sex` (the one sex rule),
`dates` (the one two-digit-year rule per date kind), `repair`, `ambiguity`, `findings`,
`results` (the returned types) and `read` (`read_mrz`, which ties them together).

Validity
    `Mrz.valid` (lenient) is True when every check digit agrees AND the lines keep the ICAO
    character classes (letters where letters belong, digits in dates) AND the dates are
    calendar dates. `valid_strict` means "conforms to ICAO 9303": it accepts what the
    standard allows, `<` (or 0) as the check digit of an empty TD3 personal number
    (9303-4 §4.2.2) and a TD1/TD2 long document number in the note-j layout (9303-5 and
    9303-6 §4.2.2: `layouts.long_number`). Lenient adds the reader's own tolerances, seen
    on real cards: a long number's check digit computed with its `<` included
    (`mrz.lenient_only` when only that makes it valid).

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
      if the result is a known ICAO code. An unknown state code one OCR look-alike from
      exactly one known code (`NLO`: `NLD`, `O<<`: `D<<`; the twins of `lookalikes`) takes
      it; two such codes (`NLU`: `NIU` or `NLD`) leave it as read, `mrz.ambiguous_repair`.
      In the name field a lone `<` look-alike (K, X, C,
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
    Raw YYMMDD is kept; the century follows the one rule per date kind in `mrz.dates`,
    which the mappers use for printed YYMMDD dates too. Birth: the most recent century
    that does not put it after `today`. Expiry: at most 20 years ahead of `today`, else the
    century before (an old expired document resolves to its real date; a far-future typo
    lands before the birth date). A birth not before expiry is `mrz.date_implausible`
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
    `date_ambiguous`; FRA_ID only: `not_icao`, `no_expiry`. Messages never quote names,
    numbers, dates or MRZ lines.
"""

from __future__ import annotations

from passport_ocr.mrz.checkdigits import FILLER, char_value, check_digit, check_digit_blind_pairs
from passport_ocr.mrz.cleaning import clean_lines
from passport_ocr.mrz.detection import detect_format
from passport_ocr.mrz.names import parse_names
from passport_ocr.mrz.read import read_mrz
from passport_ocr.mrz.results import MrzFields, MrzReading, NameParts
from passport_ocr.record import MrzFormat

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
