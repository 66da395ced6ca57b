"""What every topic offers the pipeline: publish one CloudEvent, within a size limit."""

from __future__ import annotations

from typing import Final, Protocol

from passport_ocr.clouds import CLOUDS
from passport_ocr.publishing.envelope import CloudEvent

#: Each cloud's topic limit, from its descriptor (`passport_ocr.clouds` says why).
SNS_MAX_BYTES: Final = CLOUDS["aws"].topic_max_bytes
SMN_MAX_BYTES: Final = CLOUDS["huaweicloud"].topic_max_bytes
TDMQ_MAX_BYTES: Final = CLOUDS["tencentcloud"].topic_max_bytes


class Topic(Protocol):
    """One destination. `publish` returns the transport's message id, or raises
    `PublishError` (transient: the platform retries the upload, nothing is lost)."""

    @property
    def max_bytes(self) -> int:
        """The largest serialized CloudEvent (`CloudEvent.size_bytes()`) it takes."""
        ...

    def publish(self, message: CloudEvent) -> str: ...
