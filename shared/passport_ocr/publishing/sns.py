"""AWS SNS topic (botocore): the CloudEvent as the message body, its attributes as SNS
message attributes (for subscription filter policies).

FIFO topics (ARN ending in `.fifo`) also get `MessageGroupId` (a hash of bucket and key:
versions of one object stay in order, different objects do not wait for each other) and
`MessageDeduplicationId` (the event id: a duplicate delivery within SNS's 5-minute window
is dropped by SNS itself).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from passport_ocr.errors import ConfigError, PublishError
from passport_ocr.publishing.base import SNS_MAX_BYTES
from passport_ocr.publishing.envelope import CloudEvent

if TYPE_CHECKING:
    from mypy_boto3_sns.client import SNSClient
    from mypy_boto3_sns.type_defs import MessageAttributeValueTypeDef

#: Room kept for the message attributes, which count toward SNS's limit too.
ATTRIBUTES_ALLOWANCE = 2048


def group_id(message: CloudEvent) -> str:
    """One FIFO group per object (bucket and key), never the key itself (it may hold a name)."""
    return hashlib.sha256(f"{message.source}\0{message.subject or ''}".encode()).hexdigest()


def message_attributes(message: CloudEvent) -> dict[str, MessageAttributeValueTypeDef]:
    """`ce_id`, `ce_type`, `ce_source` and every extension attribute (no subject: the key)."""
    values = {"ce_id": message.id, "ce_type": message.type, "ce_source": message.source}
    values |= message.extensions
    return {name: {"DataType": "String", "StringValue": value} for name, value in values.items()}


@dataclass
class SnsTopic:
    topic_arn: str
    client: SNSClient
    max_bytes: int = SNS_MAX_BYTES - ATTRIBUTES_ALLOWANCE

    @classmethod
    def create(
        cls,
        topic_arn: str,
        *,
        region: str | None = None,
        endpoint_url: str | None = None,
        timeout_seconds: float = 10.0,
        max_attempts: int = 3,
        **client_kwargs: Any,
    ) -> SnsTopic:
        """A topic with its own client (Lambda role credentials are picked up by botocore).
        `region` defaults to the ARN's."""
        # Only the AWS bundle has botocore.
        from passport_ocr.aws_clients import aws_client  # noqa: PLC0415

        arn_region = topic_region(topic_arn)

        config = Config(
            connect_timeout=timeout_seconds,
            read_timeout=timeout_seconds,
            retries={"mode": "standard", "max_attempts": max_attempts},
        )
        client = aws_client(
            "sns",
            region_name=region or arn_region,
            endpoint_url=endpoint_url,
            config=config,
            **client_kwargs,
        )
        return cls(topic_arn, client)

    @property
    def fifo(self) -> bool:
        return self.topic_arn.endswith(".fifo")

    def publish(self, message: CloudEvent) -> str:
        body = message.to_json()
        attributes = message_attributes(message)
        try:
            if self.fifo:
                response = self.client.publish(
                    TopicArn=self.topic_arn,
                    Message=body,
                    MessageAttributes=attributes,
                    MessageGroupId=group_id(message),
                    MessageDeduplicationId=message.id,
                )
            else:
                response = self.client.publish(
                    TopicArn=self.topic_arn, Message=body, MessageAttributes=attributes
                )
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "unknown")
            raise PublishError(f"SNS refused the message ({code})", code="publish.sns") from exc
        except BotoCoreError as exc:
            raise PublishError(
                f"SNS is unreachable ({type(exc).__name__})", code="publish.sns"
            ) from exc
        return response["MessageId"]


#: arn:<partition>:sns:<region>:<12-digit account>:<topic name>
#: (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html; topic names are
#: 1-256 letters, digits, hyphens and underscores, FIFO ones ending in .fifo:
#: https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html).
_TOPIC_ARN = re.compile(
    r"^arn:(?P<partition>aws[a-z-]*):sns:(?P<region>[a-z]{2}(?:-[a-z]+)+-\d+):\d{12}:"
    r"[A-Za-z0-9_-]{1,256}(?:\.fifo)?$"
)


def topic_region(topic_arn: str) -> str:
    """The region an SNS topic ARN names; ConfigError when it is not a topic ARN."""
    match = _TOPIC_ARN.match(topic_arn)
    if match is None:
        raise ConfigError(
            "PASSPORT_OCR_TOPIC: an SNS topic ARN is "
            "'arn:aws:sns:<region>:<12-digit account id>:<topic name>'"
        )
    return match["region"]
