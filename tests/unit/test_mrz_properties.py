"""Property tests: generated documents round-trip; single-character corruptions never pass
silently as something else.

A corrupted MRZ must come out invalid, or repaired to the original, or (when the field's
own check digit chose a repair, which it cannot both choose and verify) flagged
`mrz.check_digit_blind` + `mrz.repaired`. The one exception is the documented blind spot:
a substitution whose value is equal modulo 10 (G/6, K/<) is invisible to every check digit.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from passport_ocr import countries
from passport_ocr.mrz import char_value, read_mrz
from tests.mrz_builder import Doc, td1, td2, td3

TODAY = date(2026, 11, 21)
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
DIGITS = "0123456789"
BOUNDED = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

codes = st.sampled_from(sorted(countries.known_codes()))
components = st.text(LETTERS, min_size=1, max_size=8)


def yymmdd(day: date) -> str:
    return day.strftime("%y%m%d")


# Birth dates the MRZ can carry unambiguously: within 100 years before today.
births = st.dates(TODAY - timedelta(days=365 * 100 - 30), TODAY)
# Expiry dates inside the engine's +-50-year window.
expiries = st.dates(date(1980, 1, 1), date(2060, 12, 31))


@st.composite
def document_numbers(draw: st.DrawFn, max_size: int = 9) -> str:
    """Letters, digits, or a letter prefix followed by digits; never ending in a filler."""
    shape = draw(st.sampled_from(["digits", "prefixed", "mixed"]))
    if shape == "digits":
        return draw(st.text(DIGITS, min_size=5, max_size=max_size))
    if shape == "prefixed":
        prefix = draw(st.text(LETTERS, min_size=1, max_size=2))
        return prefix + draw(st.text(DIGITS, min_size=5, max_size=max_size - len(prefix)))
    return draw(st.text(LETTERS + DIGITS, min_size=5, max_size=max_size))


optional_texts = st.text(LETTERS + DIGITS, max_size=7)


@st.composite
def docs(draw: st.DrawFn, first: str, name_length: int) -> Doc:
    surnames = tuple(draw(st.lists(components, min_size=1, max_size=3)))
    given = tuple(draw(st.lists(components, min_size=0, max_size=3)))
    name_text = "<".join(surnames) + ("<<" + "<".join(given) if given else "")
    if len(name_text) >= name_length:  # keep a trailing filler: no truncation here
        given = ()
        surnames = (surnames[0],)
    second = draw(st.sampled_from("<" + LETTERS))
    return Doc(
        document_code=first + second,
        issuing_state=draw(codes),
        surnames=surnames,
        given_names=given,
        document_number=draw(document_numbers()),
        nationality=draw(codes),
        birth=yymmdd(draw(births)),
        sex=draw(st.sampled_from("MF<")),
        expiry=yymmdd(draw(expiries)),
        optional_data=draw(optional_texts),
        optional_data_2=draw(optional_texts),
    )


def assert_round_trip(doc: Doc, lines: list[str]) -> None:
    reading = read_mrz(lines, today=TODAY)
    fields = reading.fields
    assert reading.mrz.valid, reading.finding_codes()
    assert reading.mrz.substitutions == ()
    assert list(reading.mrz.lines) == lines
    assert fields.document_code == doc.document_code.rstrip("<")
    assert fields.issuing_state == doc.issuing_state
    assert fields.nationality == doc.nationality
    assert fields.surname == " ".join(doc.surnames)
    assert fields.given_names == " ".join(doc.given_names)
    assert fields.document_number == doc.document_number
    assert fields.birth_date_raw == doc.birth
    assert fields.expiry_date_raw == doc.expiry
    assert fields.birth_date is not None
    assert yymmdd(fields.birth_date) == doc.birth
    assert fields.expiry_date is not None
    assert yymmdd(fields.expiry_date) == doc.expiry
    assert fields.sex == {"<": "X"}.get(doc.sex, doc.sex)


@BOUNDED
@given(docs("P", 39))
def test_td3_round_trips(doc: Doc) -> None:
    lines = td3(doc)
    assert_round_trip(doc, lines)
    assert read_mrz(lines, today=TODAY).fields.optional_data == doc.optional_data


@BOUNDED
@given(docs("I", 30), st.booleans())
def test_td1_round_trips(doc: Doc, long_number: bool) -> None:
    if long_number:
        # ICAO 9303-5 note j: 10 to 14 characters, continued in the optional data.
        tail = "89012"[: len(doc.optional_data) % 5 + 1]
        doc = replace(doc, document_number="AB1234567" + tail, optional_data="")
    lines = td1(doc)
    assert_round_trip(doc, lines)
    reading = read_mrz(lines, today=TODAY)
    assert reading.fields.optional_data_2 == doc.optional_data_2
    if not long_number:
        assert reading.fields.optional_data == doc.optional_data
        assert reading.mrz.valid_strict


@BOUNDED
@given(docs("I", 31))
def test_td2_round_trips(doc: Doc) -> None:
    lines = td2(doc)
    assert_round_trip(doc, lines)
    assert read_mrz(lines, today=TODAY).fields.optional_data == doc.optional_data


# --- single-character corruption --------------------------------------------------------

ALPHABET = LETTERS + DIGITS + "<"


def protected_positions(lines: list[str]) -> list[tuple[int, int]]:
    """Positions covered by a check digit (field or composite), and the check digits."""
    if len(lines) == 3:  # TD1: line 1 from 5, line 2 except sex and nationality
        return [(0, p) for p in range(5, 30)] + [
            (1, p) for p in range(30) if p != 7 and not 15 <= p < 18
        ]
    length = len(lines[1])
    return [(1, p) for p in range(length) if p != 20 and not 10 <= p < 13]


@st.composite
def corrupted(draw: st.DrawFn) -> tuple[list[str], list[str], int, int, str]:
    kind = draw(st.sampled_from(["td3", "td2", "td1"]))
    if kind == "td3":
        lines = td3(draw(docs("P", 39)))
    elif kind == "td2":
        lines = td2(draw(docs("I", 31)))
    else:
        lines = td1(draw(docs("I", 30)))
    line, pos = draw(st.sampled_from(protected_positions(lines)))
    original = lines[line][pos]
    char = draw(st.sampled_from([c for c in ALPHABET if c != original]))
    broken = list(lines)
    broken[line] = broken[line][:pos] + char + broken[line][pos + 1 :]
    return lines, broken, line, pos, char


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(corrupted())
def test_single_corruption_is_detected_or_repaired_to_the_original(
    case: tuple[list[str], list[str], int, int, str],
) -> None:
    original, broken, line, pos, char = case
    reading = read_mrz(broken, today=TODAY)
    if list(reading.mrz.lines) == original:
        return  # repaired to the original
    if not reading.mrz.valid:
        return  # detected
    guessed = {s.field for s in reading.mrz.substitutions if s.reason == "check_digit"}
    if guessed:
        # A repair the check digit chose: possibly masking this corruption, so never
        # presented as verified.
        blind = {f.field for f in reading.findings if f.code == "mrz.check_digit_blind"}
        repaired = {f.field for f in reading.findings if f.code == "mrz.repaired"}
        assert guessed <= blind & repaired
    else:
        # Otherwise the only way through is the documented blind spot: values equal
        # modulo 10 (G/6, K/<, ...), which no check digit can see.
        assert (char_value(char) - char_value(original[line][pos])) % 10 == 0
