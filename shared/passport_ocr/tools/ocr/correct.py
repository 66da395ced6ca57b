"""From what the recogniser saw to the most likely MRZ the check digits allow.

Three steps, each recorded as substitutions so the record can show its evidence:
1. length: each line gets exactly the characters its format has: the model's frames are
   decoded again as the best path with that many characters (`recognize.constrained_path`:
   a repeated glyph merged, `9999999` read `999999`, or a filler dropped from a long `<`
   run, are the usual slips of a CTC decoder); without frames, a filler is put back or
   taken out where the spacing of the characters says;
2. character class: where ICAO allows only letters (all of a name line, state codes) or
   only digits (dates, check digits), the most probable allowed symbol is chosen;
   a name line has no check digit, so without this `0` for `O` would go unnoticed;
   then the structure: letters read with doubt where only fillers stand (after the
   name, in empty optional data) become fillers (`filler`), and an unknown state code
   one look-alike from exactly one known code takes it (`state_code`);
3. check digits: a field whose check digit fails may take the recogniser's second
   choices (or the OCR-B look-alike) at one or two places, the most probable
   combination that makes its check digit agree. Only the model's own alternatives are
   tried, never an arbitrary digit: this repairs misreads without inventing a number.
   The composite confirms: it is not repaired while a field inside it fails, and when it
   still fails at the end, the fields' repairs are undone.
The MRZ is valid only when every check digit agrees afterwards.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass, field
from typing import Final

import numpy as np

from passport_ocr.mrz import french_id
from passport_ocr.mrz import layouts as icao
from passport_ocr.mrz.lookalikes import (
    DIGIT_FOR_LETTER,
    FILLER_LOOKALIKES,
    LETTER_FOR_DIGIT,
    likeliest_twin,
)
from passport_ocr.mrz.repair import known_states_near
from passport_ocr.record import MrzFormat
from passport_ocr.tools.ocr.glyphs import MRZ_ALPHABET, SYMBOL_INDEX
from passport_ocr.tools.ocr.layout import (
    CLASS_SYMBOLS,
    FILLER,
    CheckField,
    Layout,
    alternative_layout,
    choose_layout,
    field_positions,
    field_valid,
)
from passport_ocr.tools.ocr.recognize import CharRead, LineRead

#: OCR-B shapes the recogniser confuses, used when its own alternatives are too unlikely:
#: each symbol's likeliest twin from the one confusion table (`mrz.lookalikes`).
LOOKALIKE: Final = {
    symbol: twin
    for symbol in (*DIGIT_FOR_LETTER, *LETTER_FOR_DIGIT)
    if (twin := likeliest_twin(symbol)) is not None
}
#: A look-alike the model gave (almost) no probability still gets this much.
LOOKALIKE_PRIOR: Final = 0.02
#: Alternatives below this probability are not evidence.
MIN_ALTERNATIVE: Final = 0.003
#: A class of fewer symbols gives an out-of-class glyph's replacement no class-conditional
#: confidence (`_best_allowed`).
MIN_CONDITIONAL_CHOICES: Final = 10
#: Most places changed to satisfy one check digit.
MAX_CHANGES: Final = 2
#: Only the least confident places of a field are candidates for a change.
MAX_CANDIDATE_PLACES: Final = 6
#: A repair must be this much likelier (log-odds) than any other repair of the field:
#: the weights 7-3-1 repeat, so an `O` at place 0 or place 3 gives the same check digit.
AMBIGUITY_MARGIN: Final = math.log(4.0)


@dataclass(frozen=True)
class Change:
    line: int
    position: int
    original: str
    replacement: str
    reason: str  # "length", "character_class", "state_code", "filler", "check_digit"
    field: str | None = None


@dataclass
class Reading:
    """The corrected MRZ of one candidate, with what it cost to get there."""

    layout: Layout
    lines: list[str]
    confidences: list[list[float]]
    changes: list[Change] = field(default_factory=list)
    class_fit: float = 0.0  # share of read characters already allowed at their place
    checks_passed: int = 0
    valid: bool = False

    @property
    def mean_confidence(self) -> float:
        values = [value for line in self.confidences for value in line]
        return float(np.mean(values)) if values else 0.0

    @property
    def score(self) -> float:
        return (
            100.0 * self.valid
            + 10.0 * self.checks_passed
            + 5.0 * self.class_fit
            + (self.mean_confidence)
        )


def layout_of(reads: list[LineRead]) -> Layout:
    """The layout the lines' lengths (as the model read them) and first letter point to."""
    first = reads[0].text[:1] if reads and reads[0].text else "P"
    return choose_layout([read.seen_length for read in reads], first)


def fit_reads(reads: list[LineRead]) -> list[LineRead]:
    """Each line decoded again as exactly its format's length, where the model's frames
    allow it (`LineRead.with_length`: the CTC best path with that many characters)."""
    layout = layout_of(reads)
    fitted: list[LineRead] = []
    for read, expected in zip(reads, layout.lengths, strict=False):
        refit = read.with_length(expected)
        fitted.append(refit if refit is not None else read)
    return fitted


def correct(reads: list[LineRead]) -> Reading:
    """The best MRZ `reads` (2 or 3 lines, top to bottom) support.

    A zone that may be in two layouts (a 2x36 zone opening `IDFRA`: TD2 or the French
    identity card, `layout.alternative_layout`) is decoded under both; the reading whose
    check digits all agree wins, else the one whose characters fit their places better
    (the card on a tie: an `IDFRA` TD2 is the rarer document), as `mrz.detection` decides.
    """
    layout = layout_of(reads)
    reading = correct_as(layout, reads)
    other = alternative_layout(layout, reads[0].text if reads else "")
    if other is None:
        return reading
    alternative = correct_as(other, reads)
    if reading.valid != alternative.valid:
        return reading if reading.valid else alternative
    return reading if reading.class_fit > alternative.class_fit else alternative


def correct_as(layout: Layout, reads: list[LineRead]) -> Reading:
    """The best MRZ `reads` support under `layout`."""
    lines: list[list[CharRead]] = []
    changes: list[Change] = []
    for index, (read, expected) in enumerate(zip(reads, layout.lengths, strict=False)):
        refit = read.with_length(expected)
        fitted = list(refit.chars) if refit is not None else fit_length(list(read.chars), expected)
        if read.seen_length != expected:
            changes.append(Change(index, 0, str(read.seen_length), str(expected), "length"))
        lines.append(fitted)
    reading = _apply_classes(layout, lines, changes)
    _repair_fillers(reading)
    _repair_states(reading, lines)
    _repair_check_digits(reading, lines)
    return reading


# --- 2a. structural fillers ------------------------------------------------------------


def _repair_fillers(reading: Reading) -> None:
    """Doubtful letters where the layout has only fillers become fillers (reason `filler`).

    Fields are written from their start and padded with `<` to their end, so after a
    field's content only fillers stand: in the name, after the given names (the second
    `<<`, the first ending the surname), and in an optional data field after its first
    `<<`. A stamp across the zone or a dim photo makes the model read letters there
    (`<<<C<<CA<<`): such a letter read with doubt (below `FILLER_DOUBT`) is a filler. A
    letter read confidently is left alone: the layout may be misread, not the letter.

    Runs of doubtful letters after a given name's `<` up to the field's end or where the
    padding starts are the same slip over the padding (`DIL<CCCERRSKEK...`,
    `DIL<CCCCX<<<...`, `DIL<CCCCX<SKKX...`) when most of each run's letters are what
    fillers are commonly read as (`lookalikes.FILLER_LOOKALIKES`): a name fills its
    field only when truncated, and then not with doubtful K, X, C and S.

    In a field a check digit covers, the change is kept only if no check digit that
    agreed before fails after it. The new fillers keep the letters' low confidence: no
    check digit covers a name, so the record must carry the doubt.
    """
    for span, is_name in _padded_spans(reading.layout.format):
        text = span.read(reading.lines)
        confs = reading.confidences[span.line][span.start : span.end]
        offsets = _padding_letters(text, confs, name=is_name)
        if not offsets:
            continue
        before = [field_valid(reading.lines, check) for check in reading.layout.checks]
        line = list(reading.lines[span.line])
        for offset in offsets:
            line[span.start + offset] = FILLER
        trial = list(reading.lines)
        trial[span.line] = "".join(line)
        after = [field_valid(trial, check) for check in reading.layout.checks]
        if any(was and not now for was, now in zip(before, after, strict=True)):
            continue
        for offset in offsets:
            reading.changes.append(
                Change(span.line, span.start + offset, text[offset], FILLER, "filler")
            )
        reading.lines = trial


def _padded_spans(mrz_format: str) -> list[tuple[icao.Span, bool]]:
    """The fields padded with fillers, each with whether it is a name field.

    The French card's two name fields each read as a name: the surname's padding follows
    its first `<<`, the given names' follows the `<<` after the last given name."""
    if mrz_format == french_id.FORMAT.value:
        return [(french_id.SPANS[name], True) for name in ("surname", "given_names")]
    table = icao.LAYOUTS[MrzFormat(mrz_format)]
    spans = [(table.name, True), (table.optional_data, False)]
    if table.optional_data_2 is not None:
        spans.append((table.optional_data_2, False))
    return spans


def _state_spans(mrz_format: str) -> list[tuple[icao.Span, str]]:
    if mrz_format == french_id.FORMAT.value:
        return [(french_id.SPANS["issuing_state"], "issuing_state")]
    table = icao.LAYOUTS[MrzFormat(mrz_format)]
    return [(table.issuing_state, "issuing_state"), (table.nationality, "nationality")]


#: Below this confidence a letter where only fillers belong is taken for a filler.
FILLER_DOUBT: Final = 0.9


def _padding_letters(text: str, confs: list[float], *, name: bool) -> list[int]:
    """Offsets of the doubtful letters in the filler padding of one field's `text`."""
    if not name:
        # Optional data may hold content anywhere (`<<<A5AA3774`): only a group of one or
        # two doubtful characters between fillers, two of them before, is padding.
        found: list[int] = []
        for match in re.finditer(r"(?<=<<)[^<]{1,2}(?=<|$)", text):
            group = range(match.start(), match.end())
            if all(confs[offset] < FILLER_DOUBT for offset in group):
                found.extend(group)
        return found
    separator = text.find(FILLER * 2)
    if separator < 0:
        return []
    given = separator + 2
    end = text.find(FILLER * 2, given) if text[given : given + 1] != FILLER else separator
    padding: list[int] = []
    if end >= 0:
        padding = [
            offset
            for offset in range(end, len(text))
            if text[offset] != FILLER and confs[offset] < FILLER_DOUBT
        ]
    else:
        end = len(text)  # no padding left
    # Runs of letters before the padding, after a given name, from the last one back: the
    # stamp's slip over the padding (`DIL<CCCERR...`, `DIL<CCCCX<<<`, `DIL<CCCCX<SKKX...`)
    # while each run is doubtful and mostly filler look-alikes. The first given name stays.
    for match in reversed(list(re.finditer(r"[^<]+", text[:end]))):
        run = range(match.start(), match.end())
        if (
            match.start() <= given
            or not all(confs[offset] < FILLER_DOUBT for offset in run)
            or 2 * sum(text[offset] in FILLER_LOOKALIKES for offset in run) < len(run)
        ):
            break
        padding = [*run, *padding]
    return padding


# --- 2b. state codes -------------------------------------------------------------------


def _repair_states(reading: Reading, lines: list[list[CharRead]]) -> None:
    """An unknown state code one OCR look-alike from exactly one known code takes it
    (`NLO`: `NLD`, `O<<`: the German `D<<`; `mrz.repair.known_states_near`, the one rule
    vendor text is repaired by too). Two candidates, or none, leave the code as read."""
    for span, field_name in _state_spans(reading.layout.format):
        raw = span.read(reading.lines)
        near = known_states_near(raw)
        if len(near) != 1:
            continue
        text = list(reading.lines[span.line])
        for offset, (before, after) in enumerate(zip(raw, near[0], strict=True)):
            if before == after:
                continue
            position = span.start + offset
            reading.changes.append(
                Change(span.line, position, before, after, "state_code", field_name)
            )
            text[position] = after
            # As sure as the model was of the new letter: the code list chose it, the
            # glyph did not, and no check digit covers a state.
            char = lines[span.line][position]
            reading.confidences[span.line][position] = float(char.probs[SYMBOL_INDEX[after]])
        reading.lines[span.line] = "".join(text)


# --- 1. length -----------------------------------------------------------------------


def _filler(confidence: float) -> CharRead:
    probs = np.zeros(len(MRZ_ALPHABET), dtype=np.float32)
    probs[SYMBOL_INDEX[FILLER]] = confidence
    return CharRead(FILLER, confidence, probs, -1.0)


def fit_length(chars: list[CharRead], expected: int) -> list[CharRead]:
    """`chars` made exactly `expected` long, where the evidence says a filler slipped."""
    chars = list(chars)
    while len(chars) > expected:
        chars.pop(_extra_index(chars))
    while len(chars) < expected:
        index, symbol = _missing_place(chars)
        if symbol == FILLER:
            chars.insert(index, _filler(0.5))
        else:
            # A doubled character the decoder merged: repeat it, with less confidence.
            twin = chars[index - 1]
            chars.insert(index, CharRead(twin.symbol, twin.confidence * 0.5, twin.probs, -1.0))
    return chars


def _gaps(chars: list[CharRead]) -> list[float]:
    return [b.frame - a.frame for a, b in itertools.pairwise(chars)]


def _extra_index(chars: list[CharRead]) -> int:
    gaps = _gaps(chars)
    pitch = float(np.median(gaps)) if gaps else 1.0
    # Noise beyond either end of the line stands apart from it.
    if len(gaps) > 2 and gaps[0] > 1.8 * pitch:
        return 0
    if len(gaps) > 2 and gaps[-1] > 1.8 * pitch:
        return len(chars) - 1
    # Otherwise the least confident of two characters squeezed into one place.
    squeezed = [i + 1 for i, gap in enumerate(gaps) if gap < 0.55 * pitch]
    pool = squeezed or range(len(chars))
    return min(pool, key=lambda i: chars[i].confidence)


def _missing_place(chars: list[CharRead]) -> tuple[int, str]:
    """Where one character is missing, and whether it was a filler or a merged twin."""
    gaps = _gaps(chars)
    if gaps:
        pitch = float(np.median(gaps))
        widest = max(range(len(gaps)), key=gaps.__getitem__)
        if gaps[widest] > 1.6 * pitch:
            left, right = chars[widest], chars[widest + 1]
            if left.symbol == right.symbol and left.symbol != FILLER:
                return widest + 1, left.symbol
            return widest + 1, FILLER
    # No visible hole: the longest filler run lost one (runs are where CTC slips).
    best_end, best_length, run = len(chars), 0, 0
    for index, char in enumerate(chars):
        run = run + 1 if char.symbol == FILLER else 0
        if run > best_length:
            best_end, best_length = index + 1, run
    return best_end, FILLER


# --- 2. character classes ------------------------------------------------------------


def _best_allowed(char: CharRead, allowed: frozenset[str]) -> tuple[str, float]:
    """The likeliest symbol this position allows, and how sure the model is of it there.

    The confidence is class-conditional: the symbol's share of the probability the model
    gave to the allowed symbols. A `0` seen sharply where only letters may stand is an `O`
    (0.99), but a `9` there is an A, B or Q (0.27 for the best): that is the doubt a record
    must carry, because no check digit protects names and codes. A known look-alike twin
    the model gave (almost) nothing is as sure as the glyph it saw.
    """
    best, best_p, mass = "", -1.0, 0.0
    for symbol in allowed:
        p = float(char.probs[SYMBOL_INDEX[symbol]])
        mass += p
        if p > best_p:
            best, best_p = symbol, p
    lookalike = LOOKALIKE.get(char.symbol)
    if best_p < LOOKALIKE_PRIOR and lookalike in allowed:
        return lookalike, char.confidence
    if len(allowed) < MIN_CONDITIONAL_CHOICES:
        # Among a handful of symbols (a format's first letters, the sex) the share means
        # nothing: a `2` where only A, C or I may stand is a guess, as sure as the model's
        # own probability for the letter chosen.
        return best, best_p
    return best, best_p / mass if mass > 0 else 0.0


def _allowed_confidence(char: CharRead, allowed: frozenset[str]) -> float:
    """The confidence of an allowed symbol, not counting symbols the place cannot hold.

    An `O` in a name read as O 0.5 / 0 0.5 is an O for certain: the digit's share is no
    doubt about which letter stands there. Blank and non-MRZ glyphs still count as doubt.
    """
    excluded = sum(
        float(char.probs[index]) for symbol, index in SYMBOL_INDEX.items() if symbol not in allowed
    )
    if excluded <= 0.0:
        return char.confidence
    return min(1.0, char.confidence / max(1.0 - excluded, char.confidence, 1e-6))


def _apply_classes(layout: Layout, lines: list[list[CharRead]], changes: list[Change]) -> Reading:
    texts: list[str] = []
    confidences: list[list[float]] = []
    fitting = total = 0
    for index, (chars, classes) in enumerate(zip(lines, layout.classes, strict=False)):
        out: list[str] = []
        confs: list[float] = []
        for position, (char, code) in enumerate(zip(chars, classes, strict=True)):
            allowed = CLASS_SYMBOLS[code]
            total += 1
            if char.symbol in allowed:
                fitting += 1
                out.append(char.symbol)
                confs.append(_allowed_confidence(char, allowed))
                continue
            symbol, p = _best_allowed(char, allowed)
            changes.append(Change(index, position, char.symbol, symbol, "character_class"))
            out.append(symbol)
            confs.append(p)
        texts.append("".join(out))
        confidences.append(confs)
    return Reading(layout, texts, confidences, changes, class_fit=fitting / max(total, 1))


# --- 3. check digits -----------------------------------------------------------------


def _alternatives(char: CharRead, current: str, allowed: frozenset[str]) -> list[tuple[str, float]]:
    """(symbol, log-odds against the current one) for each plausible replacement."""
    base = max(float(char.probs[SYMBOL_INDEX[current]]), 1e-4)
    options: dict[str, float] = {}
    for symbol in allowed:
        if symbol == current:
            continue
        p = float(char.probs[SYMBOL_INDEX[symbol]])
        if p >= MIN_ALTERNATIVE:
            options[symbol] = p
    lookalike = LOOKALIKE.get(current)
    if lookalike in allowed and lookalike not in options:
        options[lookalike] = LOOKALIKE_PRIOR * min(1.0, 1.5 - base)
    return [(symbol, math.log(p / base)) for symbol, p in options.items() if p > 0]


Place = tuple[int, int]


def _best_repair(
    text: list[list[str]],
    check: CheckField,
    places: list[Place],
    options: dict[Place, list[tuple[str, float]]],
) -> list[tuple[Place, str]] | None:
    """The likeliest set of at most MAX_CHANGES replacements that satisfies `check`.

    None when nothing does, or when two different repairs are about as likely: then the
    check digit cannot tell which place is wrong, and guessing would risk a false accept.
    """
    for count in range(1, MAX_CHANGES + 1):  # fewer changes always win over more
        found: list[tuple[float, list[tuple[Place, str]]]] = []
        usable = [place for place in places if options[place]]
        for chosen in itertools.combinations(usable, count):
            for picks in itertools.product(*(options[place] for place in chosen)):
                trial = [list(line) for line in text]
                for place, (symbol, _) in zip(chosen, picks, strict=True):
                    trial[place[0]][place[1]] = symbol
                if field_valid(["".join(line) for line in trial], check):
                    cost = sum(log_odds for _, log_odds in picks)
                    found.append((cost, [(p, s) for p, (s, _) in zip(chosen, picks, strict=True)]))
        if not found:
            continue
        found.sort(key=lambda item: -item[0])
        if len(found) > 1 and found[0][0] - found[1][0] < AMBIGUITY_MARGIN:
            return None
        return found[0][1]
    return None


def _joined(text: list[list[str]]) -> list[str]:
    return ["".join(line) for line in text]


def _repair_check_digits(reading: Reading, lines: list[list[CharRead]]) -> None:
    layout = reading.layout
    text = [list(line) for line in reading.lines]
    locked: set[tuple[int, int]] = set()
    repaired: list[tuple[Change, float]] = []
    fields = sorted(layout.checks, key=lambda check: check.name == "composite")
    for check in fields:
        joined = ["".join(line) for line in text]
        if field_valid(joined, check):
            locked.update(field_positions(check))
            continue
        if check.name == "composite" and not all(
            field_valid(joined, other) for other in layout.checks if other is not check
        ):
            # A field of the composite fails its own check digit: that explains the
            # composite's failure, and a repair elsewhere would only be a guess.
            continue
        places = [place for place in field_positions(check) if place not in locked]
        places.sort(key=lambda place: reading.confidences[place[0]][place[1]])
        places = places[:MAX_CANDIDATE_PLACES]
        options = {
            place: _alternatives(
                lines[place[0]][place[1]],
                text[place[0]][place[1]],
                CLASS_SYMBOLS[layout.classes[place[0]][place[1]]],
            )
            for place in places
        }
        best = _best_repair(text, check, places, options)
        if best is None:
            continue
        for (line, position), symbol in best:
            char = lines[line][position]
            change = Change(line, position, text[line][position], symbol, "check_digit", check.name)
            repaired.append((change, reading.confidences[line][position]))
            reading.changes.append(change)
            text[line][position] = symbol
            reading.confidences[line][position] = float(char.probs[SYMBOL_INDEX[symbol]])
        locked.update(field_positions(check))
    composite = next((check for check in layout.checks if check.name == "composite"), None)
    if composite is not None and repaired and not field_valid(_joined(text), composite):
        # A check digit cannot both detect and correct: the composite is what confirms a
        # field's repair. When it still fails, the repairs are guesses (on a document whose
        # printed check digit is wrong, a pre-ICAO card, a `0` read 0.9 becomes the `O`
        # that matches it) and the characters stay as read: the reading is invalid anyway.
        for change, confidence in repaired:
            text[change.line][change.position] = change.original
            reading.confidences[change.line][change.position] = confidence
            reading.changes.remove(change)
    reading.lines = ["".join(line) for line in text]
    verdicts = [field_valid(reading.lines, check) for check in layout.checks]
    reading.checks_passed = sum(verdicts)
    reading.valid = all(verdicts)
