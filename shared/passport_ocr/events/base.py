"""The one thing every trigger event becomes: a reference to an uploaded object."""

from __future__ import annotations

import hashlib
from datetime import datetime

from pydantic import BaseModel, ConfigDict

from passport_ocr.clouds import CloudName

Cloud = CloudName


class ObjectRef(BaseModel):
    """An uploaded object, as a trigger event names it (key already decoded)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    cloud: Cloud
    region: str | None = None
    bucket: str
    key: str
    size: int | None = None
    etag: str | None = None
    version_id: str | None = None
    sequencer: str | None = None
    event_time: datetime | None = None
    event_name: str | None = None

    @property
    def object_id(self) -> str:
        """A short, stable hash of the object version, safe for logs (keys may hold names)."""
        version = self.version_id or self.etag or ""
        digest = hashlib.sha256(f"{self.cloud}\0{self.bucket}\0{self.key}\0{version}".encode())
        return digest.hexdigest()[:16]
