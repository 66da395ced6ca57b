"""Topics for local runs: one JSON line per event, to a stream or appended to a file."""

from __future__ import annotations

import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from passport_ocr.clouds import CLOUDS
from passport_ocr.errors import PublishError
from passport_ocr.publishing.envelope import CloudEvent

#: Local sinks have no transport limit; this only keeps a runaway record in check.
LOCAL_MAX_BYTES = CLOUDS["local"].topic_max_bytes


@dataclass
class StreamSink:
    """Writes each event as one JSON line (default: standard output)."""

    stream: TextIO = field(default_factory=lambda: sys.stdout)
    max_bytes: int = LOCAL_MAX_BYTES

    def publish(self, message: CloudEvent) -> str:
        try:
            self.stream.write(message.to_json() + "\n")
            self.stream.flush()
        except (OSError, ValueError) as exc:  # ValueError: the stream was closed
            raise PublishError(
                f"cannot write the event to the stream ({type(exc).__name__})",
                code="publish.stream",
            ) from exc
        return message.id


@dataclass
class JsonlFileSink:
    """Appends each event as one JSON line to `path` (created with its folders)."""

    path: Path
    max_bytes: int = LOCAL_MAX_BYTES
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def publish(self, message: CloudEvent) -> str:
        line = message.to_json() + "\n"
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self._lock, self.path.open("a", encoding="utf-8") as out:
                out.write(line)
        except OSError as exc:
            raise PublishError(
                f"cannot append the event to the JSONL file ({exc.strerror})", code="publish.file"
            ) from exc
        return message.id

    def read(self) -> list[CloudEvent]:
        """Every event written so far (for the command line and tests)."""
        if not self.path.exists():
            return []
        with self.path.open(encoding="utf-8") as lines:
            return [CloudEvent.from_json(line) for line in lines if line.strip()]
