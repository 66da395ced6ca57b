"""Tencent TDMQ for CMQ topic (tencentcloud-sdk-python-tdmq `PublishCmqMsg`).

CMQ itself was retired at the end of 2022; TDMQ for CMQ keeps its topics, published to
through API 3.0 (`tdmq.tencentcloudapi.com`, version 2020-02-17) with `TopicName`,
`MsgContent` (the CloudEvent JSON) and `MsgTag`. One tag, the outcome (`recognized` or
`rejected`): a tag-filtered topic can route on it, and a routing-key topic (which takes a
single key) accepts it too. The effective message limit is the topic's `max_msg_size`,
64 KiB at most, not the 1 MB the API mentions.

Credentials: SCF role credentials (`TENCENTCLOUD_SECRETID/SECRETKEY/SESSIONTOKEN`), read on
every publish; the SDK's own environment reader does not see them (https://cloud.tencent.com/document/product/583/32389).
"""

from __future__ import annotations

from dataclasses import dataclass

from tencentcloud.common.credential import Credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.tdmq.v20200217 import models
from tencentcloud.tdmq.v20200217.tdmq_client import TdmqClient

from passport_ocr.credentials import Credentials, CredentialsProvider, as_provider
from passport_ocr.errors import PublishError
from passport_ocr.publishing.base import TDMQ_MAX_BYTES
from passport_ocr.publishing.envelope import RECOGNIZED, CloudEvent

TDMQ_ENDPOINT = "tdmq.tencentcloudapi.com"


def message_tag(message: CloudEvent) -> str:
    return "recognized" if message.type == RECOGNIZED else "rejected"


@dataclass
class TdmqTopic:
    topic_name: str
    region: str
    credentials: Credentials | CredentialsProvider
    endpoint: str = TDMQ_ENDPOINT
    scheme: str = "https"
    timeout_seconds: int = 10
    #: The topic's `max_msg_size` (1024-65536 bytes; 65536 by default).
    max_bytes: int = TDMQ_MAX_BYTES

    def __post_init__(self) -> None:
        self._credentials = as_provider(self.credentials)
        http = HttpProfile(
            protocol=self.scheme,
            endpoint=self.endpoint,
            reqMethod="POST",
            reqTimeout=self.timeout_seconds,
        )
        self._profile = ClientProfile(httpProfile=http, language="en-US")

    def publish(self, message: CloudEvent) -> str:
        credentials = self._credentials()
        client = TdmqClient(
            Credential(credentials.access_key, credentials.secret_key, credentials.security_token),
            self.region,
            self._profile,
        )
        request = models.PublishCmqMsgRequest()
        request.TopicName = self.topic_name
        request.MsgContent = message.to_json()
        request.MsgTag = [message_tag(message)]
        try:
            response = client.PublishCmqMsg(request)
        except TencentCloudSDKException as exc:
            raise PublishError(
                f"TDMQ refused the message ({exc.get_code()}, request {exc.get_request_id()})",
                code="publish.tdmq",
            ) from exc
        if not response.Result or not response.MsgId:
            raise PublishError(
                f"TDMQ did not take the message (request {response.RequestId})",
                code="publish.tdmq",
            )
        return str(response.MsgId)
