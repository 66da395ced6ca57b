"""The one thing every trigger event becomes: a reference to an uploaded object."""

from __future__ import annotations

import hashlib
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from passport_ocr.clouds import CloudName

Cloud = CloudName


class ObjectRef(BaseModel):
    """An uploaded object, as a trigger event names it (key already decoded)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    cloud: Cloud
    region: str | None = None
    bucket: str = Field(min_length=1)
    key: str = Field(min_length=1)
    size: int | None = Field(default=None, ge=0)
    etag: str | None = None
    version_id: str | None = None
    sequencer: str | None = None
    event_time: datetime | None = None
    event_name: str | None = None

    @property
    def version_tag(self) -> str:
        """What tells two uploads of one key apart: the version id, else the ETag, else the
        event's sequencer or time (a COS event may carry neither of the first two), else ''.
        A redelivery of one event keeps all of them, so its ids stay the same."""
        if self.version_id or self.etag or self.sequencer:
            return self.version_id or self.etag or self.sequencer or ""
        return self.event_time.isoformat() if self.event_time is not None else ""

    @property
    def object_id(self) -> str:
        """A short, stable hash of the object version, safe for logs (keys may hold names)."""
        version = self.version_tag
        digest = hashlib.sha256(f"{self.cloud}\0{self.bucket}\0{self.key}\0{version}".encode())
        return digest.hexdigest()[:16]
