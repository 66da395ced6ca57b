"""Lambda's `AnswerKeeper`: items in the idempotency table, beside Powertools' own.

The table is already there when idempotency is on, and the role already holds GetItem,
PutItem and DeleteItem on it (infra/aws/iam.tf, serverless.yml), so keeping answers needs
no new resource and no new grant. Items use the table's layout (partition key `id`, expiry
epoch seconds in `expiration`, the TTL attribute) under keys of their own
(`passport-ocr#answer#<sha256>`), which cannot meet Powertools' `<function>.<name>#<hash>`.
DynamoDB encrypts every table at rest; the TTL is the idempotency TTL.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from passport_ocr.answers import KeptAnswer, answer_key
from passport_ocr.events.base import ObjectRef

log = logging.getLogger(__name__)

#: DynamoDB's item size limit is 400 KB (attribute names and values together); a bigger
#: answer is not kept (its retry calls OCR again).
#: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html
MAX_ANSWER_BYTES = 380_000


@dataclass
class DynamoDbAnswers:
    table: str
    ttl_seconds: int
    region: str | None = None
    clock: Callable[[], float] = time.time
    _client: Any = field(default=None, repr=False)

    @property
    def client(self) -> Any:
        if self._client is None:
            # A Lambda without idempotency never builds it.
            from passport_ocr.aws_clients import aws_client  # noqa: PLC0415

            self._client = aws_client("dynamodb", region_name=self.region)
        return self._client

    def recall(self, ref: ObjectRef) -> KeptAnswer | None:
        try:
            item = self.client.get_item(
                TableName=self.table, Key={"id": {"S": answer_key(ref)}}, ConsistentRead=True
            ).get("Item")
        except Exception as exc:  # a failed recall costs one OCR call (answers.py)
            _log_failure("recall", ref, exc)
            return None
        if not item:
            return None
        # TTL deletion is lazy (DynamoDB deletes expired items within days): check it here.
        if float(item.get("expiration", {}).get("N", "0")) <= self.clock():
            return None
        return KeptAnswer.from_json(item.get("answer", {}).get("S", ""))

    def keep(self, ref: ObjectRef, kept: KeptAnswer) -> None:
        text = kept.to_json()
        if len(text.encode()) > MAX_ANSWER_BYTES:
            log.info("answer too big to keep for the retry", extra={"object_id": ref.object_id})
            return
        expires = int(self.clock()) + self.ttl_seconds
        try:
            self.client.put_item(
                TableName=self.table,
                Item={
                    "id": {"S": answer_key(ref)},
                    "expiration": {"N": str(expires)},
                    "answer": {"S": text},
                },
            )
        except Exception as exc:
            _log_failure("keep", ref, exc)

    def forget(self, ref: ObjectRef) -> None:
        try:
            self.client.delete_item(TableName=self.table, Key={"id": {"S": answer_key(ref)}})
        except Exception as exc:
            _log_failure("forget", ref, exc)


def _log_failure(step: str, ref: ObjectRef, exc: Exception) -> None:
    code = getattr(exc, "response", {}).get("Error", {}).get("Code") or type(exc).__name__
    log.warning(
        "kept-answer store failed; the retry will call OCR again",
        extra={"object_id": ref.object_id, "step": step, "error": code},
    )
