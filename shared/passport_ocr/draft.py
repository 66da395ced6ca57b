"""The vendor-neutral `Draft` every vendor mapper produces, and its `PageFields`.

Here, apart from `passport_ocr.mapping` and `passport_ocr.validation`, so that both can
import it: the mappers make drafts, validation checks them, and neither imports the other.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from passport_ocr.record import DocumentKind, Finding, LocalLanguage, Sex, Source


@dataclass(frozen=True)
class PageFields:
    """Fields as one source states them, each optional, already typed.

    `issuing_state` and `nationality` are kept as the vendor gave them (a code such as
    "CHN", a demonym such as "CHINESE", or "中国"); validation normalizes them.
    """

    document_code: str | None = None
    issuing_state: str | None = None
    document_number: str | None = None
    surname: str | None = None
    given_names: str | None = None
    nationality: str | None = None
    sex: Sex | None = None
    birth_date: date | None = None
    expiry_date: date | None = None
    issue_date: date | None = None
    place_of_birth: str | None = None
    place_of_issue: str | None = None
    issuing_authority: str | None = None
    personal_number: str | None = None

    def present(self) -> dict[str, object]:
        """The fields that hold a value, by record field name."""
        return {name: value for name, value in self.__dict__.items() if value is not None}


@dataclass(frozen=True)
class Draft:
    """What a vendor answer says, before any checking.

    - `printed`: the visual inspection zone (the printed page), as the vendor read it.
    - `vendor_mrz`: fields the vendor itself parsed out of the MRZ (Huawei's GENERAL
      answer, MLIDPassportOCR's top-level fields). They come from the same characters as
      `mrz_lines`, so they can never confirm the MRZ; they are a fallback when the
      lines are missing or unusable.
    - `mrz_lines`: the MRZ text lines as the vendor gave them, uncleaned.
    - `confidence`: per record field name (e.g. "document_number"), 0..1.
    - `findings`: what the vendor itself warned about (photocopy, blur, ...), and
      values it gave that could not be read.
    - `signature`: the holder's signature as text, where the vendor reads it.
    - `printed_kind`: the kind of document the vendor's own type letter on the printed
      page states (`printed.document_code`), when the vendor documents its letters (the
      mapper knows them; validation does not guess a vendor's national letters).
    """

    source: Source
    printed: PageFields = field(default_factory=PageFields)
    vendor_mrz: PageFields = field(default_factory=PageFields)
    mrz_lines: tuple[str, ...] = ()
    local: LocalLanguage | None = None
    confidence: Mapping[str, float] = field(default_factory=dict)
    findings: tuple[Finding, ...] = ()
    printed_kind: DocumentKind | None = None
    #: The holder's signature as the vendor read it (text), where it reads one.
    signature: str | None = None

    def with_findings(self, extra: Sequence[Finding]) -> Draft:
        return replace(self, findings=(*self.findings, *extra))


def has_non_latin(value: str | None) -> bool:
    """True when `value` holds letters outside Latin script (e.g. a Chinese name)."""
    if value is None:
        return False
    return any(ch.isalpha() and not unicodedata.name(ch, "").startswith("LATIN") for ch in value)
