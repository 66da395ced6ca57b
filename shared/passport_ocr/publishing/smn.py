"""Huawei SMN topic (huaweicloudsdksmn `publish_message` to a topic URN).

The CloudEvent JSON is the message; SMN message attributes (`event_kind`, `record_status`,
`payload_mode`, `object_id`) let subscriptions filter without reading it. SMN allows only
`[a-z0-9_]` names and word-character values of up to 32 characters there, which is why they
are not the CloudEvents attribute names. Region and project come from the URN
(`urn:smn:<region>:<project id>:<topic name>`); credentials are the function agency's
temporary AK/SK/token, read on every publish.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.exceptions.exceptions import SdkException, ServiceResponseException
from huaweicloudsdkcore.http.http_config import HttpConfig
from huaweicloudsdksmn.v2 import (
    MessageAttribute,
    PublishMessageRequest,
    PublishMessageRequestBody,
    SmnClient,
)
from requests.exceptions import RequestException

from passport_ocr.credentials import Credentials, CredentialsProvider, as_provider
from passport_ocr.errors import ConfigError, PublishError
from passport_ocr.logs import adopt_sdk_logger
from passport_ocr.publishing.base import SMN_MAX_BYTES
from passport_ocr.publishing.envelope import RECOGNIZED, CloudEvent

CONNECT_TIMEOUT_SECONDS = 5.0


@dataclass(frozen=True)
class TopicUrn:
    region: str
    project_id: str
    name: str

    @classmethod
    def parse(cls, urn: str) -> TopicUrn:
        parts = urn.split(":")
        if len(parts) != 5 or parts[:2] != ["urn", "smn"] or not all(parts[2:]):
            raise ConfigError("an SMN topic URN is 'urn:smn:<region>:<project id>:<name>'")
        return cls(parts[2], parts[3], parts[4])


def smn_attributes(message: CloudEvent) -> list[MessageAttribute]:
    values = {
        "event_kind": "recognized" if message.type == RECOGNIZED else "rejected",
        "record_status": message.extensions.get("recordstatus"),
        "payload_mode": message.extensions.get("payloadmode"),
        "object_id": message.extensions.get("objectid"),
    }
    return [
        MessageAttribute(name=name, type="STRING", value=value)
        for name, value in values.items()
        if value
    ]


@dataclass
class SmnTopic:
    topic_urn: str
    credentials: Credentials | CredentialsProvider
    #: Default `https://smn.<region>.myhuaweicloud.com` (the URN's region).
    endpoint: str | None = None
    timeout_seconds: float = 10.0
    verify_tls: bool = True
    max_bytes: int = SMN_MAX_BYTES
    _local: threading.local = field(default_factory=threading.local, repr=False)

    def __post_init__(self) -> None:
        self.urn = TopicUrn.parse(self.topic_urn)
        self._credentials = as_provider(self.credentials)

    def publish(self, message: CloudEvent) -> str:
        body = PublishMessageRequestBody(
            subject=message.type,
            message=message.to_json(),
            message_attributes=smn_attributes(message),
        )
        request = PublishMessageRequest(topic_urn=self.topic_urn, body=body)
        try:
            response = self._client(self._credentials()).publish_message(request)
        except ServiceResponseException as exc:
            raise PublishError(
                f"SMN refused the message ({exc.error_code}, HTTP {exc.status_code}, "
                f"request {exc.request_id})",
                code="publish.smn",
            ) from exc
        except (SdkException, RequestException) as exc:  # read timeouts leak as requests'
            raise PublishError(
                f"SMN is unreachable ({type(exc).__name__})", code="publish.smn"
            ) from exc
        message_id = getattr(response, "message_id", None)
        if not message_id:
            raise PublishError("SMN answered without a message id", code="publish.smn")
        return str(message_id)

    def _client(self, credentials: Credentials) -> Any:
        sdk_credentials = BasicCredentials(
            credentials.access_key, credentials.secret_key, self.urn.project_id
        )
        if credentials.security_token:
            sdk_credentials = sdk_credentials.with_security_token(credentials.security_token)
        client: Any = getattr(self._local, "client", None)
        if client is None:
            config = HttpConfig.get_default_config()
            config.ignore_ssl_verification = not self.verify_tls
            config.timeout = (min(CONNECT_TIMEOUT_SECONDS, self.timeout_seconds),
                              self.timeout_seconds)  # fmt: skip
            endpoint = self.endpoint or f"https://smn.{self.urn.region}.myhuaweicloud.com"
            client = (
                SmnClient.new_builder()
                .with_http_config(config)
                .with_credentials(sdk_credentials)
                .with_endpoints([endpoint])
                .build()
            )
            adopt_sdk_logger(f"HuaweiCloud-SDK-{SmnClient.__name__}")
            self._local.client = client
        else:
            client.with_credentials(sdk_credentials)  # temporary credentials may be renewed
        return client
