"""ICAO Doc 9303 Part 3 state codes, their names, and nationality words -> codes.

The data is a compact embedded table (ISO 3166-1 alpha-3 plus the ICAO-only codes of
Doc 9303 Part 3 §5) rather than `pycountry`: that package ships tens of megabytes of
locale files and code lists we do not need, which every function bundle (Lambda,
FunctionGraph, SCF) would carry. The table is small, reviewed against Doc 9303, and fixed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from functools import cache
from typing import Final

__all__ = [
    "code_for_nationality",
    "is_known",
    "is_specimen",
    "known_codes",
    "state_name",
]

# ISO 3166-1 alpha-3 (officially assigned codes), tab-separated: code, English short name.
_ISO_3166: Final = """
ABW	Aruba
AFG	Afghanistan
AGO	Angola
AIA	Anguilla
ALA	Aland Islands
ALB	Albania
AND	Andorra
ARE	United Arab Emirates
ARG	Argentina
ARM	Armenia
ASM	American Samoa
ATA	Antarctica
ATF	French Southern Territories
ATG	Antigua and Barbuda
AUS	Australia
AUT	Austria
AZE	Azerbaijan
BDI	Burundi
BEL	Belgium
BEN	Benin
BES	Bonaire, Sint Eustatius and Saba
BFA	Burkina Faso
BGD	Bangladesh
BGR	Bulgaria
BHR	Bahrain
BHS	Bahamas
BIH	Bosnia and Herzegovina
BLM	Saint Barthelemy
BLR	Belarus
BLZ	Belize
BMU	Bermuda
BOL	Bolivia
BRA	Brazil
BRB	Barbados
BRN	Brunei Darussalam
BTN	Bhutan
BVT	Bouvet Island
BWA	Botswana
CAF	Central African Republic
CAN	Canada
CCK	Cocos (Keeling) Islands
CHE	Switzerland
CHL	Chile
CHN	China
CIV	Cote d'Ivoire
CMR	Cameroon
COD	Congo, Democratic Republic of the
COG	Congo
COK	Cook Islands
COL	Colombia
COM	Comoros
CPV	Cabo Verde
CRI	Costa Rica
CUB	Cuba
CUW	Curacao
CXR	Christmas Island
CYM	Cayman Islands
CYP	Cyprus
CZE	Czechia
DEU	Germany
DJI	Djibouti
DMA	Dominica
DNK	Denmark
DOM	Dominican Republic
DZA	Algeria
ECU	Ecuador
EGY	Egypt
ERI	Eritrea
ESH	Western Sahara
ESP	Spain
EST	Estonia
ETH	Ethiopia
FIN	Finland
FJI	Fiji
FLK	Falkland Islands (Malvinas)
FRA	France
FRO	Faroe Islands
FSM	Micronesia (Federated States of)
GAB	Gabon
GBR	United Kingdom of Great Britain and Northern Ireland
GEO	Georgia
GGY	Guernsey
GHA	Ghana
GIB	Gibraltar
GIN	Guinea
GLP	Guadeloupe
GMB	Gambia
GNB	Guinea-Bissau
GNQ	Equatorial Guinea
GRC	Greece
GRD	Grenada
GRL	Greenland
GTM	Guatemala
GUF	French Guiana
GUM	Guam
GUY	Guyana
HKG	Hong Kong
HMD	Heard Island and McDonald Islands
HND	Honduras
HRV	Croatia
HTI	Haiti
HUN	Hungary
IDN	Indonesia
IMN	Isle of Man
IND	India
IOT	British Indian Ocean Territory
IRL	Ireland
IRN	Iran
IRQ	Iraq
ISL	Iceland
ISR	Israel
ITA	Italy
JAM	Jamaica
JEY	Jersey
JOR	Jordan
JPN	Japan
KAZ	Kazakhstan
KEN	Kenya
KGZ	Kyrgyzstan
KHM	Cambodia
KIR	Kiribati
KNA	Saint Kitts and Nevis
KOR	Korea, Republic of
KWT	Kuwait
LAO	Lao People's Democratic Republic
LBN	Lebanon
LBR	Liberia
LBY	Libya
LCA	Saint Lucia
LIE	Liechtenstein
LKA	Sri Lanka
LSO	Lesotho
LTU	Lithuania
LUX	Luxembourg
LVA	Latvia
MAC	Macao
MAF	Saint Martin (French part)
MAR	Morocco
MCO	Monaco
MDA	Moldova, Republic of
MDG	Madagascar
MDV	Maldives
MEX	Mexico
MHL	Marshall Islands
MKD	North Macedonia
MLI	Mali
MLT	Malta
MMR	Myanmar
MNE	Montenegro
MNG	Mongolia
MNP	Northern Mariana Islands
MOZ	Mozambique
MRT	Mauritania
MSR	Montserrat
MTQ	Martinique
MUS	Mauritius
MWI	Malawi
MYS	Malaysia
MYT	Mayotte
NAM	Namibia
NCL	New Caledonia
NER	Niger
NFK	Norfolk Island
NGA	Nigeria
NIC	Nicaragua
NIU	Niue
NLD	Netherlands
NOR	Norway
NPL	Nepal
NRU	Nauru
NZL	New Zealand
OMN	Oman
PAK	Pakistan
PAN	Panama
PCN	Pitcairn
PER	Peru
PHL	Philippines
PLW	Palau
PNG	Papua New Guinea
POL	Poland
PRI	Puerto Rico
PRK	Korea, Democratic People's Republic of
PRT	Portugal
PRY	Paraguay
PSE	Palestine, State of
PYF	French Polynesia
QAT	Qatar
REU	Reunion
ROU	Romania
RUS	Russian Federation
RWA	Rwanda
SAU	Saudi Arabia
SDN	Sudan
SEN	Senegal
SGP	Singapore
SGS	South Georgia and the South Sandwich Islands
SHN	Saint Helena, Ascension and Tristan da Cunha
SJM	Svalbard and Jan Mayen
SLB	Solomon Islands
SLE	Sierra Leone
SLV	El Salvador
SMR	San Marino
SOM	Somalia
SPM	Saint Pierre and Miquelon
SRB	Serbia
SSD	South Sudan
STP	Sao Tome and Principe
SUR	Suriname
SVK	Slovakia
SVN	Slovenia
SWE	Sweden
SWZ	Eswatini
SXM	Sint Maarten (Dutch part)
SYC	Seychelles
SYR	Syrian Arab Republic
TCA	Turks and Caicos Islands
TCD	Chad
TGO	Togo
THA	Thailand
TJK	Tajikistan
TKL	Tokelau
TKM	Turkmenistan
TLS	Timor-Leste
TON	Tonga
TTO	Trinidad and Tobago
TUN	Tunisia
TUR	Turkiye
TUV	Tuvalu
TWN	Taiwan
TZA	Tanzania, United Republic of
UGA	Uganda
UKR	Ukraine
UMI	United States Minor Outlying Islands
URY	Uruguay
USA	United States of America
UZB	Uzbekistan
VAT	Holy See
VCT	Saint Vincent and the Grenadines
VEN	Venezuela
VGB	Virgin Islands (British)
VIR	Virgin Islands (U.S.)
VNM	Viet Nam
VUT	Vanuatu
WLF	Wallis and Futuna
WSM	Samoa
YEM	Yemen
ZAF	South Africa
ZMB	Zambia
ZWE	Zimbabwe
"""

# Codes ICAO 9303 Part 3 adds to (or uses instead of) ISO 3166-1 alpha-3.
_ICAO_SPECIAL: Final = """
D	Germany
GBD	British Overseas Territories Citizen
GBN	British National (Overseas)
GBO	British Overseas Citizen
GBP	British Protected Person
GBS	British Subject
EUE	European Union
UNO	United Nations Organization or one of its officials
UNA	United Nations specialized agency or one of its officials
UNK	Resident of Kosovo (UNMIK)
RKS	Kosovo
XBA	African Development Bank
XIM	African Export-Import Bank
XCC	Caribbean Community
XCE	Council of Europe
XCO	Common Market for Eastern and Southern Africa
XDC	Southern African Development Community
XEC	Economic Community of West African States
XES	Organisation of Eastern Caribbean States
XMP	Parliament of the Economic Community of West African States
XOM	Sovereign Military Order of Malta
XPO	International Criminal Police Organization (INTERPOL)
XXA	Stateless person
XXB	Refugee (1951 Convention)
XXC	Refugee (other)
XXX	Person of unspecified nationality
"""

# Withdrawn codes still printed on documents that can be read today (e.g. expired ones).
_HISTORIC: Final = """
ANT	Netherlands Antilles (historic)
NTZ	Neutral Zone (historic)
SCG	Serbia and Montenegro (historic)
"""

# Fictional states of ICAO and vendor specimen documents.
_SPECIMEN: Final = """
UTO	Utopia (ICAO specimen)
ASU	Arabic-script Utopia (ICAO specimen)
YTO	Utopia (ICAO check-digit example)
"""

# Nationality words and country names as vendors print them -> ICAO code. Keys are matched
# after `_normalize` (upper case, accents and punctuation dropped, spaces collapsed).
_NATIONALITY_WORDS: Final = """
CHN	CHINESE|CHINA|PR CHINA|P R CHINA|PRC|PEOPLES REPUBLIC OF CHINA|中国|中华人民共和国|中國
CHN	THE PEOPLES REPUBLIC OF CHINA|中華人民共和國
HKG	HONG KONG|HONGKONG|HONG KONG CHINA|HONG KONG SAR|香港|中国香港
MAC	MACAO|MACAU|MACANESE|澳门|澳門|中国澳门
TWN	TAIWANESE|TAIWAN|台湾|臺灣
USA	AMERICAN|UNITED STATES|UNITED STATES OF AMERICA|US|U S A|美国|美國
GBR	BRITISH|BRITISH CITIZEN|UNITED KINGDOM|UK|GREAT BRITAIN|ENGLISH|SCOTTISH|WELSH|英国|英國
CAN	CANADIAN|CANADA|加拿大
AUS	AUSTRALIAN|AUSTRALIA|澳大利亚
NZL	NEW ZEALANDER|NEW ZEALAND|KIWI|新西兰
IRL	IRISH|IRELAND|爱尔兰
FRA	FRENCH|FRANCE|法国
D	GERMAN|GERMANY|DEUTSCH|DEUTSCHLAND|德国
ITA	ITALIAN|ITALY|ITALIANA|意大利
ESP	SPANISH|SPAIN|ESPANOLA|ESPANA|西班牙
PRT	PORTUGUESE|PORTUGAL|葡萄牙
NLD	DUTCH|NETHERLANDS|NEDERLANDSE|荷兰
BEL	BELGIAN|BELGIUM|比利时
CHE	SWISS|SWITZERLAND|瑞士
AUT	AUSTRIAN|AUSTRIA|奥地利
SWE	SWEDISH|SWEDEN|瑞典
NOR	NORWEGIAN|NORWAY|挪威
DNK	DANISH|DENMARK|丹麦
FIN	FINNISH|FINLAND|芬兰
ISL	ICELANDIC|ICELAND
POL	POLISH|POLAND|波兰
CZE	CZECH|CZECHIA|CZECH REPUBLIC|捷克
SVK	SLOVAK|SLOVAKIA
HUN	HUNGARIAN|HUNGARY|匈牙利
ROU	ROMANIAN|ROMANIA|罗马尼亚
BGR	BULGARIAN|BULGARIA
GRC	GREEK|GREECE|希腊
TUR	TURKISH|TURKEY|TURKIYE|土耳其
RUS	RUSSIAN|RUSSIA|RUSSIAN FEDERATION|俄罗斯
UKR	UKRAINIAN|UKRAINE|乌克兰
BLR	BELARUSIAN|BELARUS
LTU	LITHUANIAN|LITHUANIA
LVA	LATVIAN|LATVIA
EST	ESTONIAN|ESTONIA
SRB	SERBIAN|SERBIA
HRV	CROATIAN|CROATIA
SVN	SLOVENIAN|SLOVENE|SLOVENIA
LIE	LIECHTENSTEINER|LIECHTENSTEIN
MCO	MONEGASQUE|MONACO
LUX	LUXEMBOURGISH|LUXEMBOURGER|LUXEMBOURG
MLT	MALTESE|MALTA
CYP	CYPRIOT|CYPRUS
JPN	JAPANESE|JAPAN|日本
KOR	KOREAN|SOUTH KOREAN|SOUTH KOREA|KOREA|REPUBLIC OF KOREA|韩国|韓國
PRK	NORTH KOREAN|NORTH KOREA|朝鲜
MNG	MONGOLIAN|MONGOLIA|蒙古
VNM	VIETNAMESE|VIETNAM|VIET NAM|越南
THA	THAI|THAILAND|泰国
MYS	MALAYSIAN|MALAYSIA|马来西亚
SGP	SINGAPOREAN|SINGAPORE|新加坡
IDN	INDONESIAN|INDONESIA|印度尼西亚
PHL	FILIPINO|PHILIPPINE|PHILIPPINES|菲律宾
KHM	CAMBODIAN|CAMBODIA|柬埔寨
LAO	LAO|LAOTIAN|LAOS|老挝
MMR	BURMESE|MYANMAR|缅甸
IND	INDIAN|INDIA|印度
PAK	PAKISTANI|PAKISTAN|巴基斯坦
BGD	BANGLADESHI|BANGLADESH|孟加拉国
LKA	SRI LANKAN|SRI LANKA
NPL	NEPALESE|NEPALI|NEPAL|尼泊尔
AFG	AFGHAN|AFGHANISTAN
IRN	IRANIAN|IRAN|伊朗
IRQ	IRAQI|IRAQ
SAU	SAUDI|SAUDI ARABIAN|SAUDI ARABIA|沙特阿拉伯
ARE	EMIRATI|UNITED ARAB EMIRATES|UAE|阿联酋
QAT	QATARI|QATAR
KWT	KUWAITI|KUWAIT
ISR	ISRAELI|ISRAEL|以色列
JOR	JORDANIAN|JORDAN
LBN	LEBANESE|LEBANON
SYR	SYRIAN|SYRIA
EGY	EGYPTIAN|EGYPT|埃及
MAR	MOROCCAN|MOROCCO
DZA	ALGERIAN|ALGERIA
TUN	TUNISIAN|TUNISIA
LBY	LIBYAN|LIBYA
ETH	ETHIOPIAN|ETHIOPIA|埃塞俄比亚
KEN	KENYAN|KENYA|肯尼亚
NGA	NIGERIAN|NIGERIA|尼日利亚
GHA	GHANAIAN|GHANA
ZAF	SOUTH AFRICAN|SOUTH AFRICA|南非
TZA	TANZANIAN|TANZANIA
UGA	UGANDAN|UGANDA
KAZ	KAZAKH|KAZAKHSTANI|KAZAKHSTAN|哈萨克斯坦
UZB	UZBEK|UZBEKISTAN
KGZ	KYRGYZ|KYRGYZSTAN
MEX	MEXICAN|MEXICO|墨西哥
BRA	BRAZILIAN|BRAZIL|巴西
ARG	ARGENTINE|ARGENTINIAN|ARGENTINA|阿根廷
CHL	CHILEAN|CHILE
COL	COLOMBIAN|COLOMBIA
PER	PERUVIAN|PERU
VEN	VENEZUELAN|VENEZUELA
CUB	CUBAN|CUBA
UTO	UTOPIAN|UTOPIA
"""

_SPECIMEN_CODES: Final = frozenset({"UTO", "ASU", "YTO"})


def _table(text: str) -> dict[str, str]:
    rows = (line.split("\t", 1) for line in text.strip().splitlines())
    return {code: name for code, name in rows}  # noqa: C416 (rows are lists of 2)


_NAMES: Final[Mapping[str, str]] = {
    **_table(_ISO_3166),
    **_table(_ICAO_SPECIAL),
    **_table(_HISTORIC),
    **_table(_SPECIMEN),
}

_PUNCTUATION: Final = re.compile(r"[^\w]+", re.UNICODE)


def _normalize(text: str) -> str:
    """Upper case, accents stripped, punctuation to spaces, spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", text)
    without_marks = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(_PUNCTUATION.sub(" ", without_marks.upper().replace("'", "")).split())


@cache
def _word_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for line in _NATIONALITY_WORDS.strip().splitlines():
        code, words = line.split("\t", 1)
        for word in words.split("|"):
            index[_normalize(word)] = code
    for code, name in _NAMES.items():
        index.setdefault(_normalize(name), code)
    # "P.R.CHINA" and "PRCHINA" read alike: index the space-free form as well.
    for key, code in list(index.items()):
        index.setdefault(key.replace(" ", ""), code)
    return index


def known_codes() -> frozenset[str]:
    """Every code this module knows (ISO 3166 alpha-3, ICAO special codes, specimens)."""
    return frozenset(_NAMES)


def is_known(code: str) -> bool:
    """True for an ICAO 9303 state code (fillers stripped: `D<<` counts as `D`)."""
    if not isinstance(code, str):
        return False
    return code.strip().rstrip("<").upper() in _NAMES


def is_specimen(code: str) -> bool:
    """True for the fictional states of specimen documents (Utopia: UTO, ASU, YTO)."""
    if not isinstance(code, str):
        return False
    return code.strip().rstrip("<").upper() in _SPECIMEN_CODES


def state_name(code: str) -> str | None:
    """The English name for an ICAO code, or None when unknown."""
    if not isinstance(code, str):
        return None
    return _NAMES.get(code.strip().rstrip("<").upper())


def code_for_nationality(text: str) -> str | None:
    """A nationality word, country name or code as vendors print it -> ICAO code.

    "CHINESE", "CHINA", "P.R.China", "中国", "中华人民共和国" -> "CHN"; "CHN" -> "CHN";
    "GERMAN" -> "D" (ICAO's code for Germany). None when nothing matches.
    """
    if not isinstance(text, str) or not text.strip():
        return None
    key = _normalize(text)
    if not key:
        return None
    compact = key.replace(" ", "")
    if compact in _NAMES:
        return compact
    index = _word_index()
    if key in index:
        return index[key]
    return index.get(compact)
