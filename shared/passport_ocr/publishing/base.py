"""What every topic offers the pipeline: publish one CloudEvent, within a size limit."""

from __future__ import annotations

from typing import Final, Protocol

from passport_ocr.publishing.envelope import CloudEvent

#: SNS: 256 KiB for the message and its attributes together (the topic may raise it to 1 MiB).
SNS_MAX_BYTES: Final = 262_144
#: SMN: "message <= 256 KB"; read as decimal kilobytes to stay on the safe side.
SMN_MAX_BYTES: Final = 256_000
#: TDMQ for CMQ: the API accepts 1 MB, but a topic's `max_msg_size` is at most 64 KiB.
TDMQ_MAX_BYTES: Final = 65_536


class Topic(Protocol):
    """One destination. `publish` returns the transport's message id, or raises
    `PublishError` (transient: the platform retries the upload, nothing is lost)."""

    @property
    def max_bytes(self) -> int:
        """The largest serialized CloudEvent (`CloudEvent.size_bytes()`) it takes."""
        ...

    def publish(self, message: CloudEvent) -> str: ...
