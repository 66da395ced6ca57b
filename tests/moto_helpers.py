"""A moto server on 127.0.0.1 for the event and SNS tests, and Lambda-shaped SQS batches."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import boto3

from passport_ocr.tools import invocation

REGION = "eu-central-1"


@dataclass
class Moto:
    url: str
    region: str = REGION

    def client(self, service: str) -> Any:
        return boto3.client(
            service,
            endpoint_url=self.url,
            region_name=self.region,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )

    def queue(self, name: str) -> tuple[str, str]:
        """A new queue: (url, arn)."""
        sqs = self.client("sqs")
        attributes = {"FifoQueue": "true"} if name.endswith(".fifo") else {}
        url = sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
            "QueueArn"
        ]
        return url, arn

    def drain(self, queue_url: str, *, at_least: int = 1) -> list[dict[str, Any]]:
        """Every message now in the queue (waits briefly for the first ones)."""
        sqs = self.client("sqs")
        messages: list[dict[str, Any]] = []
        for _ in range(20):
            answer = sqs.receive_message(
                QueueUrl=queue_url,
                MaxNumberOfMessages=10,
                AttributeNames=["All"],
                MessageAttributeNames=["All"],
                WaitTimeSeconds=0,
            )
            batch = answer.get("Messages", [])
            messages += batch
            if not batch and len(messages) >= at_least:
                break
        return messages


def lambda_sqs_event(messages: list[dict[str, Any]], queue_arn: str) -> dict[str, Any]:
    """The product's own builder (the demo uses it too), in this module's region."""
    return invocation.lambda_sqs_event(messages, queue_arn, REGION)


def sns_envelope(body: str) -> dict[str, Any]:
    """An SQS body that SNS wrote (non-raw delivery), parsed."""
    envelope: dict[str, Any] = json.loads(body)
    return envelope
