"""CTC decoding under a known line length (30, 36 or 44): model output arrays, no model."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

pytest.importorskip("cv2")

from passport_ocr.tools.ocr.correct import correct, fit_reads
from passport_ocr.tools.ocr.glyphs import MRZ_ALPHABET
from passport_ocr.tools.ocr.recognize import LineRead, _chars, constrained_path

_CLASSES = len(MRZ_ALPHABET) + 2  # blank, the 37 symbols, any other glyph


def _frame(probs: dict[int, float]) -> np.ndarray:
    row = np.full(_CLASSES, 1e-4, dtype=np.float32)
    for label, p in probs.items():
        row[label] = p
    return row / row.sum()


def _line(
    text: str,
    merged: frozenset[int] = frozenset(),
    doubt: dict[int, dict[str, float]] | None = None,
) -> LineRead:
    """Model output for `text`: two frames per character, a blank frame between characters;
    before each index in `merged`, the blank frame leans to the repeated glyph (0.55 / 0.45),
    so the frame-wise best path merges the pair (`99` read `9`); at an index in `doubt`,
    the character's frames hold those probabilities instead."""
    frames: list[np.ndarray] = []
    for index, symbol in enumerate(text):
        label = MRZ_ALPHABET.index(symbol) + 1
        if index:
            if index in merged:
                frames.append(_frame({label: 0.55, 0: 0.45}))
            else:
                frames.append(_frame({0: 0.95}))
        if doubt and index in doubt:
            seen = {MRZ_ALPHABET.index(char) + 1: p for char, p in doubt[index].items()}
            frames += [_frame(seen), _frame(seen)]
            continue
        frames += [_frame({label: 0.95}), _frame({label: 0.9, 0: 0.1})]
    classes = np.stack(frames)
    return LineRead(
        raw_text=text,
        chars=_chars(classes.argmax(axis=1), classes),
        frames=len(frames),
        classes=classes,
    )


def _collapse(path: tuple[int, ...]) -> list[int]:
    return [
        label
        for index, label in enumerate(path)
        if label and (not index or path[index - 1] != label)
    ]


def test_the_constrained_path_is_the_best_path_with_that_many_characters() -> None:
    rng = np.random.default_rng(14)
    for _ in range(120):
        frames, labels = int(rng.integers(1, 6)), int(rng.integers(2, 4))
        classes = rng.dirichlet(np.full(labels, 0.5), size=frames).astype(np.float32)
        logp = np.log(np.maximum(classes.astype(np.float64), 1e-12))
        for length in range(frames + 1):
            scores = [
                sum(logp[t, path[t]] for t in range(frames))
                for path in itertools.product(range(labels), repeat=frames)
                if len(_collapse(path)) == length
            ]
            found = constrained_path(classes, length)
            if not scores:
                assert found is None
                continue
            assert found is not None
            assert len(_collapse(tuple(int(label) for label in found))) == length
            assert sum(logp[t, found[t]] for t in range(frames)) == pytest.approx(max(scores))


def test_repeated_glyphs_merged_by_the_best_path_are_split_under_the_line_length() -> None:
    # Issue 14: `9999999` read as `999999` (the Malta specimen): the frames say where.
    truth = "IDMLT9999999<<3<9999999M<999<<"
    read = _line(truth, merged={7, 19, 29})
    assert len(read.chars) == 27
    fitted = read.with_length(30)
    assert fitted is not None
    assert fitted.text == truth
    assert fitted.seen_length == 27  # the model's own length is kept for `looks_like_mrz`


def test_a_td1_read_with_merged_repeats_comes_out_exact() -> None:
    lines = (
        "IDMLT9999999<<3<9999999M<999<<",
        "7309258F0810245MLT0310240<<<<5",
        "SPITERI<MANDY<<<<<<<<<<<<<<<<<",
    )
    reads = [_line(lines[0], merged={7, 19, 29}), _line(lines[1]), _line(lines[2], merged={20})]
    reading = correct(fit_reads(reads))
    assert tuple(reading.lines) == lines
    assert [change.reason for change in reading.changes] == ["length", "length"]


def test_a_line_of_the_right_length_is_left_as_read() -> None:
    read = _line("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<")
    assert read.with_length(44) is read
    assert read.with_length(200) is None  # more characters than the frames can hold
    assert LineRead(raw_text="", chars=read.chars, frames=read.frames).with_length(45) is None


def test_a_composite_is_not_repaired_while_a_field_inside_it_fails() -> None:
    # The Malta specimen prints failing document-number, birth-date and composite digits:
    # a repair of the composite elsewhere (its optional data `0` to `O` or `D`) is a guess.
    lines = (
        "IDMLT9999999<<3<9999999M<999<<",
        "7309258F0810245MLT0310240<<<<5",
        "SPITERI<MANDY<<<<<<<<<<<<<<<<<",
    )
    # The optional data's `0` read with a little doubt (a `D`), as on the photo.
    reads = [_line(lines[0]), _line(lines[1], doubt={18: {"0": 0.9, "D": 0.08}}), _line(lines[2])]
    reading = correct(reads)
    assert tuple(reading.lines) == lines
    assert not reading.valid
    assert not any(change.reason == "check_digit" for change in reading.changes)


def test_a_td1_long_document_number_must_agree_with_its_check_digit() -> None:
    # ICAO 9303-5 note j: a filler at the check digit's place sends it to the optional data.
    from passport_ocr.tools.ocr.layout import TD1, field_valid

    number = next(check for check in TD1.checks if check.name == "document_number")
    rest = ["8703145M1701027SWE<<<<<<<<<<<8", "SPECIMEN<<SVEN<<<<<<<<<<<<<<<<"]
    assert field_valid(["I<SWE590000021<986" + "<" * 12, *rest], number)  # 59000002198: 6
    assert not field_valid(["I<SWE590000021<987" + "<" * 12, *rest], number)
    assert not field_valid(["I<SWE590000021<<<<" + "<" * 12, *rest], number)


def test_a_block_of_prose_lacks_the_structure_of_an_mrz() -> None:
    from passport_ocr.tools.ocr.layout import TD1, TD3, structure_misses

    # Three lines of prose as the model read them (a page of tesseract's test text).
    prose = [
        "THEIQUICKI8ROW1LLLFOXXIJJUMPSL",
        "OVERTHE43456778<<LAZY<90DDOGAA",
        "ADDUCKGGOOSEEASSIZZSXOFFEMMAIL",
    ]
    assert set(structure_misses(prose, TD1)) >= {"document_code", "name_fillers"}
    card = [
        "I<SWE59000002<8198703142391<<<",
        "8703145M1701027SWE<<<<<<<<<<<8",
        "SPECIMEN<<SVEN<<<<<<<<<<<<<<<<",
    ]
    assert structure_misses(card, TD1) == []
    # One slip (a P read as F) is still an MRZ's structure: one miss.
    passport = [
        "F<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
        "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
    ]
    assert structure_misses(passport, TD3) == ["document_code"]
