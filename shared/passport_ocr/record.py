"""The canonical, vendor-neutral passport record.

Every vendor answer (Huawei, Tencent, the legacy Tencent image API, the offline engine)
is mapped into one `PassportRecord`. It is immutable and serializes to JSON with ISO
dates; `schema/passport-record.schema.json` is generated from it and is what topic
consumers code against (see `passport_ocr.schema`).
"""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Annotated, Final, Literal

from pydantic import BaseModel, ConfigDict, Field

#: Bump the minor version for added optional fields, the major one for anything else.
SCHEMA_VERSION: Final = "1.4.0"
SCHEMA_ID = f"https://passport-ocr-functions.dev/schema/passport-record/{SCHEMA_VERSION}"

Confidence = Annotated[float, Field(ge=0.0, le=1.0)]
Sex = Literal["M", "F", "X"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Severity(str, Enum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


class Status(str, Enum):
    VALID = "valid"
    NEEDS_REVIEW = "needs_review"
    INVALID = "invalid"


class Provenance(str, Enum):
    """Where a field's value came from."""

    MRZ = "mrz"
    PRINTED = "printed"  # the visual inspection zone, as read by the vendor
    MRZ_AND_PRINTED = "mrz_and_printed"  # both present and they agree


class DocumentKind(str, Enum):
    ORDINARY = "ordinary"
    DIPLOMATIC = "diplomatic"
    SERVICE = "service"  # also "official"
    EMERGENCY = "emergency"
    TRAVEL_DOCUMENT = "travel_document"  # refugee, stateless, alien
    IDENTITY_CARD = "identity_card"
    VISA = "visa"
    OTHER = "other"
    UNKNOWN = "unknown"


class MrzFormat(str, Enum):
    TD1 = "TD1"
    TD2 = "TD2"
    TD3 = "TD3"
    MRVA = "MRVA"
    MRVB = "MRVB"
    #: The French national identity card of 1988-2021: a national layout, not ICAO 9303
    #: (`passport_ocr.mrz.french_id`). Since 1.4.0.
    FRA_ID = "FRA_ID"


class Finding(_Frozen):
    """One observation about a record. `message` never repeats personal data."""

    code: str = Field(description="Stable machine code, e.g. 'mrz.check_digit'.")
    field: str | None = Field(default=None, description="The record field it concerns.")
    severity: Severity
    message: str


class CheckDigit(_Frozen):
    """The verdict on one ICAO check digit (weights 7, 3, 1)."""

    field: str = Field(
        description="document_number, birth_date, expiry_date, optional_data, or composite."
    )
    found: str = Field(description="The check character as it stands in the MRZ.")
    computed: str = Field(description="The digit the field's data computes to.")
    valid: bool = Field(
        description="Lenient verdict: valid_strict plus the reader's tolerances (a long "
        "document number's check digit computed with its '<' included)."
    )
    valid_strict: bool = Field(
        description="ICAO 9303 verdict: '<' or '0' over an empty TD3 personal number and a "
        "TD1/TD2 long document number (9303-5/-6 note j) conform."
    )


class Substitution(_Frozen):
    """One character changed by cleaning or repair, with the evidence for it."""

    line: int = Field(ge=0, description="0-based MRZ line index.")
    position: int = Field(ge=0, description="0-based character position in the line.")
    original: str
    replacement: str
    field: str | None = None
    reason: Literal["check_digit", "character_class", "glyph", "filler", "length"]


class Mrz(_Frozen):
    format: MrzFormat
    lines_read: tuple[str, ...] = Field(description="The lines exactly as the reader gave them.")
    lines: tuple[str, ...] = Field(description="The lines after cleaning and repair.")
    check_digits: tuple[CheckDigit, ...]
    valid: bool = Field(description="Every check digit agrees (lenient).")
    valid_strict: bool = Field(
        description="Conforms to ICAO 9303; for FRA_ID (not an ICAO format), to the card's "
        "own rules: all three of its check digits agree."
    )
    substitutions: tuple[Substitution, ...] = ()


class LocalLanguage(_Frozen):
    """Fields as printed in the issuing state's own language (e.g. Chinese)."""

    language: str | None = Field(default=None, description="BCP 47 tag when known, e.g. 'zh'.")
    name: str | None = None
    surname: str | None = None
    given_names: str | None = None
    sex: str | None = None
    nationality: str | None = None
    place_of_birth: str | None = None
    place_of_issue: str | None = None
    issuing_authority: str | None = None


class PortraitRef(_Frozen):
    """Where the holder's portrait was stored (`PASSPORT_OCR_PORTRAIT=store`): never the
    bytes themselves. Since 1.3.0."""

    bucket: str
    key: str = Field(description="Under the results prefix: <results prefix>portraits/<object id>.")
    media_type: Literal["image/jpeg", "image/png"]
    width: int = Field(ge=1)
    height: int = Field(ge=1)
    sha256: str = Field(description="Hex digest of the stored bytes.")
    origin: Literal["vendor", "page_layout"] = Field(
        description="vendor: the OCR service cut it; page_layout: cut from the page by the "
        "MRZ's position (the offline engine)."
    )


class Source(_Frozen):
    vendor: Literal["huawei", "tencent", "tencent-legacy", "textract", "local"]
    api: str = Field(description="e.g. RecognizePassport, PassportOCR, MLIDPassportOCR.")
    request_id: str | None = None


class PassportRecord(_Frozen):
    """A passport (or other MRZ travel document) as read and checked."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        json_schema_extra={"$id": SCHEMA_ID, "x-schema-version": SCHEMA_VERSION},
    )

    schema_version: Literal["1.4.0"] = SCHEMA_VERSION
    document_code: str | None = Field(
        default=None, description="MRZ document code: P, PO, PD, I, V, ..."
    )
    document_kind: DocumentKind = DocumentKind.UNKNOWN
    issuing_state: str | None = Field(default=None, description="ICAO 9303 code, e.g. UTO, CHN, D.")
    document_number: str | None = None
    surname: str | None = None
    given_names: str | None = None
    nationality: str | None = None
    sex: Sex | None = None
    birth_date: date | None = None
    expiry_date: date | None = None
    issue_date: date | None = None
    issue_month: str | None = Field(
        default=None,
        pattern=r"^[0-9]{4}-(0[1-9]|1[0-2])$",
        description="YYYY-MM: the issue date where the document states only its year and "
        "month (the FRA_ID MRZ); issue_date then stays empty rather than invent a day. "
        "Since 1.4.0.",
    )
    place_of_birth: str | None = None
    place_of_issue: str | None = None
    issuing_authority: str | None = None
    personal_number: str | None = None
    optional_data: str | None = None
    local: LocalLanguage | None = None
    signature: str | None = Field(
        default=None,
        description="The holder's signature as the vendor read it, as text (Tencent, mainland "
        "Chinese passports). Since 1.2.0.",
    )
    portrait: PortraitRef | None = Field(
        default=None,
        description="The stored portrait, when the operator keeps portraits. Since 1.3.0.",
    )
    mrz: Mrz | None = None
    confidence: dict[str, Confidence] = Field(
        default_factory=dict, description="Per record field, 0..1, where the vendor gives one."
    )
    provenance: dict[str, Provenance] = Field(default_factory=dict)
    findings: tuple[Finding, ...] = ()
    status: Status
    status_rule: str = Field(
        description="The finding code (or 'all_checks_passed') that set the status."
    )
    source: Source

    def finding_codes(self) -> list[str]:
        return [finding.code for finding in self.findings]
