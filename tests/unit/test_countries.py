"""ICAO 9303 state codes and nationality words."""

from __future__ import annotations

from typing import Any

import pytest

from passport_ocr import countries

ICAO_SPECIAL = [
    "D",
    "GBD",
    "GBN",
    "GBO",
    "GBP",
    "GBS",
    "UNO",
    "UNA",
    "UNK",
    "XXA",
    "XXB",
    "XXC",
    "XXX",
    "EUE",
    "RKS",
    "XOM",
    "XPO",
    "XCC",
    "XES",
    "XMP",
    "XDC",
    "XBA",
    "XIM",
]


@pytest.mark.parametrize("code", ICAO_SPECIAL)
def test_icao_special_codes_are_known(code: str) -> None:
    assert countries.is_known(code)
    assert countries.state_name(code)


@pytest.mark.parametrize("code", ["CHN", "USA", "GBR", "DEU", "FRA", "ETH", "UKR", "SRB", "LIE"])
def test_iso_alpha3_codes_are_known(code: str) -> None:
    assert countries.is_known(code)


def test_table_has_every_iso_3166_alpha3_code() -> None:
    iso = {code for code in countries.known_codes() if len(code) == 3}
    # 249 ISO 3166-1 alpha-3 codes plus the three-letter ICAO and specimen additions.
    extra = {"UTO", "ASU", "YTO", "XCE", "XCO", "XEC", "ANT", "NTZ", "SCG"}
    assert len(iso - set(ICAO_SPECIAL) - extra) == 249


@pytest.mark.parametrize("code", ["D<<", "d", " CHN ", "UTO<"])
def test_fillers_case_and_spaces_are_tolerated(code: str) -> None:
    assert countries.is_known(code)


@pytest.mark.parametrize("code", ["ETF", "QQQ", "", "<<<", "CH", "CHNA", "ZZZ"])
def test_unknown_codes(code: str) -> None:
    assert not countries.is_known(code)
    assert countries.state_name(code) is None


def test_specimen_states() -> None:
    assert countries.is_specimen("UTO")
    assert countries.is_known("UTO")
    assert countries.state_name("UTO") == "Utopia (ICAO specimen)"
    assert not countries.is_specimen("CHN")


@pytest.mark.parametrize(
    "text",
    [
        "CHINESE",
        "Chinese",
        "CHINA",
        "P.R.CHINA",
        "P.R.China",
        "PR China",
        "PRC",
        "People's Republic of China",
        "中国",
        "中华人民共和国",
        "CHN",
        " chinese ",
    ],
)
def test_chinese_nationality_words_map_to_chn(text: str) -> None:
    assert countries.code_for_nationality(text) == "CHN"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("GERMAN", "D"),
        ("Deutsch", "D"),
        ("D", "D"),
        ("BRITISH CITIZEN", "GBR"),
        ("American", "USA"),
        ("United States of America", "USA"),
        ("Côte d'Ivoire", "CIV"),
        ("ETHIOPIAN", "ETH"),
        ("Ethiopia", "ETH"),
        ("ESPAÑOLA", "ESP"),
        ("Japan", "JPN"),
        ("日本", "JPN"),
        ("香港", "HKG"),
        ("Korea, Republic of", "KOR"),
    ],
)
def test_nationality_words(text: str, code: str) -> None:
    assert countries.code_for_nationality(text) == code


@pytest.mark.parametrize("text", ["", "   ", "MARTIAN", "???", None, 42, "中"])
def test_unmapped_nationality_is_none(text: Any) -> None:
    assert countries.code_for_nationality(text) is None


@pytest.mark.parametrize("value", [None, 3, b"CHN"])
def test_non_strings_are_unknown_not_errors(value: Any) -> None:
    assert not countries.is_known(value)
    assert not countries.is_specimen(value)
    assert countries.state_name(value) is None
