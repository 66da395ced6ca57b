"""A vendor's answer, kept for the retry when something after the OCR call failed.

OCR calls are billed; publishing, writing a `reference` record or the deadline can fail
after one succeeded. The platform then retries the whole upload, and without this the
retry would pay for a second call that reads the same image the same way. So a pipeline
with an `AnswerKeeper` keeps the answer when a failure cuts an upload short after its OCR
call, recalls it on the next delivery of that object version instead of calling again,
and forgets it once that delivery's outcome is published.

The kept answer is the vendor's raw answer: personal data. A keeper stores it encrypted at
rest, only as long as the retries can take (the idempotency TTL on Lambda), and deletes it
as soon as it has served. A keeper that fails never fails the upload: the price is one more
OCR call, never a lost upload.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from typing import Any, Protocol, get_args

from passport_ocr.events.base import ObjectRef
from passport_ocr.providers.base import VendorAnswer
from passport_ocr.record import Finding
from passport_ocr.storage.base import Transfer
from passport_ocr.vendors import AnswerFormat

#: Bump when the stored form changes: older entries are then ignored, not misread.
FORM = 1


@dataclass(frozen=True)
class KeptAnswer:
    """What the retry needs to go on where the failed delivery stopped."""

    answer: VendorAnswer
    #: How the image reached the vendor (the outcome reports it).
    transfer: Transfer | None
    #: The preflight's findings on the image the vendor read (they belong in the record).
    preflight: tuple[Finding, ...] = ()

    def to_json(self) -> str:
        return json.dumps(
            {
                "form": FORM,
                "format": self.answer.format,
                "raw": self.answer.raw,
                "request_id": self.answer.request_id,
                "portrait": _b64(self.answer.portrait),
                "transfer": self.transfer,
                "preflight": [f.model_dump(mode="json") for f in self.preflight],
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str) -> KeptAnswer | None:
        """The kept answer, or None when `text` is not one this version wrote."""
        try:
            kept: Any = json.loads(text)
            if not isinstance(kept, dict) or kept.get("form") != FORM:
                return None
            if kept["format"] not in get_args(AnswerFormat) or not isinstance(kept["raw"], dict):
                return None
            if kept["transfer"] not in (*get_args(Transfer), None):
                return None
            portrait = kept.get("portrait")
            answer = VendorAnswer(
                format=kept["format"],
                raw=kept["raw"],
                request_id=kept["request_id"],
                attempts=0,
                portrait=base64.b64decode(portrait, validate=True) if portrait else None,
            )
            preflight = tuple(Finding.model_validate(f) for f in kept["preflight"])
        except (ValueError, TypeError, KeyError):  # pydantic's ValidationError is a ValueError
            return None
        return cls(answer=answer, transfer=kept["transfer"], preflight=preflight)


def _b64(data: bytes | None) -> str | None:
    return base64.b64encode(data).decode("ascii") if data else None


def answer_key(ref: ObjectRef) -> str:
    """One object version's key: a hash, so the store never holds the object key itself."""
    digest = hashlib.sha256("\0".join((ref.bucket, ref.key, ref.version_tag)).encode()).hexdigest()
    return f"passport-ocr#answer#{digest}"


class AnswerKeeper(Protocol):
    """Where answers wait for the retry. Every method swallows its own failures (logs them):
    a missed recall costs one OCR call, which is what the upload would cost anyway."""

    def recall(self, ref: ObjectRef) -> KeptAnswer | None:
        """The answer kept for this object version by an earlier delivery, if any."""
        ...

    def keep(self, ref: ObjectRef, kept: KeptAnswer) -> None:
        """Keep `kept` for the next delivery of this object version."""
        ...

    def forget(self, ref: ObjectRef) -> None:
        """The recalled answer has served: delete it."""
        ...
