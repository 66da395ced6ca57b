"""The Tencent `auto` answer: MLIDPassportOCR, plus PassportOCR when both were called.

`passport_ocr.providers.tencent` in `auto` mode calls PassportOCR after MLIDPassportOCR for
a mainland passport whose printed-page answer lacks the Chinese name or places, and sends
both in one `tencent-mlid` answer: `{"Response": {...MLID...}, "PassportOCR": {"Response":
{...}}}`. The MLIDPassportOCR draft stays the base (its MRZ parse, warnings and request id);
PassportOCR's printed-page fields and Chinese name fill only what it lacks. A failed or
malformed PassportOCR part costs nothing but an `info` finding: the MRZ answer stands.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields, replace
from datetime import date
from typing import Final

from passport_ocr.draft import Draft, PageFields
from passport_ocr.errors import MappingError
from passport_ocr.mapping import tencent
from passport_ocr.record import Finding, LocalLanguage, Severity

#: Where the provider puts the PassportOCR answer beside MLIDPassportOCR's (one definition;
#: the provider imports it from here at its first mainland answer; the mapper must not
#: import the SDK-laden provider).
PASSPORT_OCR_KEY: Final = "PassportOCR"


def merge_passport_ocr(draft: Draft, raw: object, *, today: date | None = None) -> Draft:
    """`draft` (from MLIDPassportOCR) completed with the PassportOCR answer carried in `raw`."""
    extra = raw.get(PASSPORT_OCR_KEY) if isinstance(raw, Mapping) else None
    if extra is None:
        return draft
    try:
        chinese = tencent.to_draft(extra, today=today)
    except MappingError as error:
        return draft.with_findings(
            [
                Finding(
                    code="vendor.supplement_unavailable",
                    severity=Severity.INFO,
                    message=f"the PassportOCR answer could not be used ({error.message})",
                )
            ]
        )
    return replace(
        draft,
        source=draft.source.model_copy(update={"api": f"{draft.source.api}+{tencent.API}"}),
        printed=_fill(draft.printed, chinese.printed),
        local=_fill_local(draft.local, chinese.local),
        findings=(*draft.findings, *chinese.findings),
    )


def _fill(base: PageFields, extra: PageFields) -> PageFields:
    gaps = {
        item.name: getattr(extra, item.name)
        for item in fields(PageFields)
        if getattr(base, item.name) is None and getattr(extra, item.name) is not None
    }
    return replace(base, **gaps)


def _fill_local(base: LocalLanguage | None, extra: LocalLanguage | None) -> LocalLanguage | None:
    if base is None or extra is None:
        return base or extra
    gaps = {
        name: value
        for name, value in extra.model_dump().items()
        if value is not None and getattr(base, name) is None
    }
    return base.model_copy(update=gaps)
