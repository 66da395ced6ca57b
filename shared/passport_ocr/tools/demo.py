"""The whole AWS pipeline on this machine, with no account (`passport-ocr demo`).

    moto (S3, SNS, SQS) in this process on 127.0.0.1
    specimen images -> S3 bucket -> S3 notification -> SQS "uploads" queue
      -> the real Lambda handler (functions/aws/app.py: lambda_handler), OCR provider `local`
      -> SNS topic -> SQS "events" queue (subscribed) -> the CloudEvents, as a table

Each step is the real one: the S3 notification is moto's, the SQS batch is what the
queue hands out (shaped as Lambda's event source mapping shapes it, at most 10 messages),
the handler is imported by path with its settings in the environment, and the events are
read back from the subscriber queue. Messages the handler reports as failed stay in the
uploads queue, as on Lambda. Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Final, Literal, TextIO

from passport_ocr.errors import ConfigError
from passport_ocr.tools.invocation import (
    LambdaContext,
    environment,
    functions_dir,
    lambda_sqs_event,
    load_handler,
)
from passport_ocr.tools.words import counted

REGION: Final = "eu-central-1"
UPLOAD_PREFIX: Final = "uploads/"
#: Lambda's SQS event source mapping hands over at most this many messages per call.
SQS_BATCH_SIZE: Final = 10
IMAGE_SUFFIXES: Final = (".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff", ".webp")


@dataclass(frozen=True)
class DemoImage:
    name: str
    data: bytes


@dataclass
class DemoResult:
    endpoint: str
    bucket: str
    topic_arn: str
    uploaded: list[str]
    #: The CloudEvents read from the topic's subscriber queue, in key order.
    events: list[dict[str, Any]]
    #: What each `lambda_handler` call returned (batchItemFailures lists).
    handler_answers: list[dict[str, Any]] = field(default_factory=list)
    #: What the handler printed (Powertools' JSON logs), shown with --verbose.
    handler_output: str = ""

    @property
    def failed_messages(self) -> int:
        return sum(len(answer.get("batchItemFailures", [])) for answer in self.handler_answers)


def bundled_images() -> list[DemoImage]:
    """The synthetic specimen pages shipped in the package (fictional people)."""
    folder = resources.files("passport_ocr.tools") / "data" / "specimens"
    return sorted(
        (
            DemoImage(entry.name, entry.read_bytes())
            for entry in folder.iterdir()
            if entry.name.lower().endswith(IMAGE_SUFFIXES)
        ),
        key=lambda image: image.name,
    )


def images_from(paths: Sequence[str]) -> list[DemoImage]:
    """Image files, or every image in the given folders."""
    found: list[DemoImage] = []
    for text in paths:
        path = Path(text).expanduser()
        if path.is_dir():
            files = sorted(p for p in path.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
        elif path.is_file():
            files = [path]
        else:
            raise ConfigError(f"{text}: no such file or folder")
        found += [DemoImage(file.name, file.read_bytes()) for file in files]
    if not found:
        raise ConfigError("no images to upload")
    return found


# -- moto -------------------------------------------------------------------------------------


@contextlib.contextmanager
def moto_server() -> Iterator[str]:
    """moto's server in this process, on a free loopback port; yields its URL."""
    try:
        from moto.server import ThreadedMotoServer  # noqa: PLC0415
    except ImportError as error:
        raise ConfigError(
            "the demo needs moto: pip install 'passport-ocr-functions[demo]' (or run scripts/demo)"
        ) from error
    # werkzeug logs every request to stderr whatever moto's `verbose` says.
    access_log = logging.getLogger("werkzeug")
    level = access_log.level
    access_log.setLevel(logging.WARNING)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        yield f"http://{host}:{port}"
    finally:
        server.stop()
        access_log.setLevel(level)


def aws_environment(endpoint: str, config_dir: Path) -> dict[str, str | None]:
    """Everything boto3 and Powertools read, pointed at moto and away from the user's
    own AWS configuration (profiles, real keys, real endpoints)."""
    return {
        "AWS_REGION": REGION,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_ACCESS_KEY_ID": "demo",
        "AWS_SECRET_ACCESS_KEY": "demo",
        "AWS_SESSION_TOKEN": None,
        "AWS_PROFILE": None,
        "AWS_CONFIG_FILE": str(config_dir / "config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(config_dir / "credentials"),
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ENDPOINT_URL_S3": endpoint,
        "AWS_ENDPOINT_URL_SNS": endpoint,
        "AWS_ENDPOINT_URL_SQS": endpoint,
        "POWERTOOLS_SERVICE_NAME": "passport-ocr",
        "POWERTOOLS_TRACE_DISABLED": "true",
        "POWERTOOLS_METRICS_DISABLED": "true",
        "POWERTOOLS_METRICS_NAMESPACE": "PassportOcrDemo",
    }


@dataclass
class _Stack:
    """The bucket, queues and topic of serverless.yml, on moto."""

    endpoint: str
    bucket: str = field(default_factory=lambda: f"passport-scans-{uuid.uuid4().hex[:8]}")
    uploads_url: str = ""
    uploads_arn: str = ""
    events_url: str = ""
    topic_arn: str = ""

    def client(self, service: Literal["s3", "sns", "sqs"]) -> Any:
        import boto3  # noqa: PLC0415 (the aws extra)

        if service == "s3":
            return boto3.client("s3", region_name=REGION, endpoint_url=self.endpoint)
        if service == "sns":
            return boto3.client("sns", region_name=REGION, endpoint_url=self.endpoint)
        return boto3.client("sqs", region_name=REGION, endpoint_url=self.endpoint)

    def create(self) -> None:
        s3, sns, sqs = self.client("s3"), self.client("sns"), self.client("sqs")
        s3.create_bucket(
            Bucket=self.bucket, CreateBucketConfiguration={"LocationConstraint": REGION}
        )
        self.uploads_url, self.uploads_arn = self._queue(sqs, "passport-ocr-uploads")
        s3.put_bucket_notification_configuration(
            Bucket=self.bucket,
            NotificationConfiguration={
                "QueueConfigurations": [
                    {
                        "QueueArn": self.uploads_arn,
                        "Events": ["s3:ObjectCreated:*"],
                        "Filter": {
                            "Key": {"FilterRules": [{"Name": "prefix", "Value": UPLOAD_PREFIX}]}
                        },
                    }
                ]
            },
        )
        self.topic_arn = sns.create_topic(Name="passport-ocr-events")["TopicArn"]
        self.events_url, events_arn = self._queue(sqs, "passport-ocr-events-subscriber")
        sns.subscribe(TopicArn=self.topic_arn, Protocol="sqs", Endpoint=events_arn)
        self.receive(self.uploads_url)  # S3's s3:TestEvent, sent when notifications are set

    @staticmethod
    def _queue(sqs: Any, name: str) -> tuple[str, str]:
        url = sqs.create_queue(QueueName=name)["QueueUrl"]
        attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
        return url, attributes["Attributes"]["QueueArn"]

    def upload(self, images: Sequence[DemoImage]) -> list[str]:
        s3 = self.client("s3")
        keys = []
        for image in images:
            key = UPLOAD_PREFIX + image.name
            s3.put_object(Bucket=self.bucket, Key=key, Body=image.data)
            keys.append(key)
        return keys

    def receive(self, queue_url: str, *, limit: int = SQS_BATCH_SIZE) -> list[dict[str, Any]]:
        """Up to `limit` messages now in the queue (moto delivers synchronously)."""
        answer = self.client("sqs").receive_message(
            QueueUrl=queue_url,
            MaxNumberOfMessages=min(limit, SQS_BATCH_SIZE),
            AttributeNames=["All"],
            MessageAttributeNames=["All"],
            WaitTimeSeconds=0,
        )
        messages: list[dict[str, Any]] = answer.get("Messages", [])
        return messages

    def delete(self, queue_url: str, messages: Sequence[dict[str, Any]]) -> None:
        sqs = self.client("sqs")
        for message in messages:
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])

    def events(self) -> list[dict[str, Any]]:
        """The CloudEvents on the subscriber queue (SNS envelopes unwrapped)."""
        found: list[dict[str, Any]] = []
        while batch := self.receive(self.events_url):
            found += [json.loads(json.loads(m["Body"])["Message"]) for m in batch]
            self.delete(self.events_url, batch)
        return sorted(found, key=lambda event: str(event.get("subject")))


def run_demo(
    images: Sequence[DemoImage] | None = None,
    *,
    folder: Path | None = None,
    payload: str = "masked",
    log: TextIO | None = None,
) -> DemoResult:
    """Upload the images, run the Lambda on every notification, collect the events."""
    images = list(images) if images is not None else bundled_images()
    handler_dir = folder or functions_dir()

    def say(text: str) -> None:
        if log is not None:
            log.write(text + "\n")

    captured = io.StringIO()
    with (
        moto_server() as endpoint,
        tempfile.TemporaryDirectory(prefix="passport-ocr-demo-") as config_dir,
    ):
        stack = _Stack(endpoint)
        function_env = {
            **aws_environment(endpoint, Path(config_dir)),
            "PASSPORT_OCR_PROVIDER": "local",
            "PASSPORT_OCR_PAYLOAD": payload,
            "PASSPORT_OCR_IDEMPOTENCY_TABLE": None,
        }
        with environment(function_env):
            stack.create()
            function_env["PASSPORT_OCR_TOPIC"] = stack.topic_arn
            say(f"moto (S3, SNS, SQS) on {endpoint}")
            keys = stack.upload(images)
            say(f"uploaded {counted(len(keys), 'image')} to s3://{stack.bucket}/{UPLOAD_PREFIX}")
            answers = _run_lambda(stack, handler_dir, function_env, captured, say)
            events = stack.events()
    say(f"{counted(len(events), 'CloudEvent')} arrived on the topic's subscriber queue")
    return DemoResult(
        endpoint, stack.bucket, stack.topic_arn, keys, events, answers, captured.getvalue()
    )


def _run_lambda(
    stack: _Stack,
    handler_dir: Path,
    env: dict[str, str | None],
    captured: io.StringIO,
    say: Callable[[str], None],
) -> list[dict[str, Any]]:
    """One container: import the handler once, then one call per SQS batch."""
    answers: list[dict[str, Any]] = []
    # Powertools logs and metrics go to stdout: keep them out of the demo's own output.
    with environment(env), contextlib.redirect_stdout(captured):
        handler = load_handler("aws", handler_dir)
        while batch := stack.receive(stack.uploads_url):
            notifications = counted(len(batch), "notification")
            say(f"lambda_handler: an SQS batch of {notifications} (provider local)")
            event = lambda_sqs_event(batch, stack.uploads_arn, REGION)
            answer = handler(event, LambdaContext(60_000, os.environ))
            answers.append(answer)
            failed = {item["itemIdentifier"] for item in answer.get("batchItemFailures", [])}
            # Lambda deletes what succeeded; failures become visible again later.
            stack.delete(stack.uploads_url, [m for m in batch if m["MessageId"] not in failed])
            if failed:
                break  # on Lambda they would come back after the visibility timeout
    return answers


# -- the table --------------------------------------------------------------------------------


def events_table(events: Sequence[dict[str, Any]]) -> list[list[str]]:
    """OBJECT, OUTCOME, STATUS, DOCUMENT (as the masked payload gives it), NAT, FINDINGS."""
    rows = []
    for event in events:
        data = event.get("data") or {}
        rejected = str(event.get("type", "")).endswith(".rejected")
        error = data.get("error") or {}
        findings = list(dict.fromkeys(f.get("code") for f in data.get("findings") or []))
        rows.append(
            [
                str(event.get("subject") or "-").removeprefix(UPLOAD_PREFIX),
                "rejected" if rejected else "recognized",
                str(event.get("recordstatus") or data.get("status") or "-"),
                str(data.get("document_number") or "-"),
                str(data.get("nationality") or "-"),
                str(error.get("code") if rejected else ", ".join(map(str, findings)) or "-"),
            ]
        )
    return rows


def main_output(result: DemoResult, out: TextIO = sys.stdout) -> None:
    from passport_ocr.tools.cli._render import table  # noqa: PLC0415

    headers = ["OBJECT", "OUTCOME", "STATUS", "DOCUMENT", "NAT", "FINDINGS / ERROR"]
    out.write(table(headers, events_table(result.events)))
