"""Realistic trigger events to start from (`passport-ocr events sample`).

Templates are data files (`data/events/*.json`, the platforms' documented shapes and of
`tests/data/events`); this module only puts a bucket, key, size and region into them,
encoding the key the way each trigger does: OBS and S3 URL-encode it (S3 keeps `/`),
COS gives it raw inside `/<appid>/<bucket>/<key>` and percent-encoded in its URL. An S3
notification delivered through SQS is the S3 event as the message body (a JSON string).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from importlib import resources
from typing import Any, Final
from urllib.parse import quote, quote_plus

from passport_ocr.errors import ConfigError

#: Shapes per platform; the first is what this project's own infrastructure wires up.
SHAPES: Final[dict[str, tuple[str, ...]]] = {
    "huaweicloud": ("obs", "eventgrid"),
    "tencentcloud": ("cos",),
    "aws": ("sqs", "s3", "eventbridge"),
}
DEFAULT_BUCKETS: Final = {
    "huaweicloud": "passport-scans",
    "tencentcloud": "passports-1250000000",
    "aws": "passport-scans",
}
DEFAULT_REGIONS: Final = {
    "huaweicloud": "cn-north-4",
    "tencentcloud": "ap-guangzhou",
    "aws": "eu-central-1",
}
DEFAULT_KEY: Final = "uploads/specimen.jpg"


@dataclass(frozen=True)
class SampleObject:
    bucket: str
    key: str
    size: int
    region: str
    #: The object's ETag (unquoted) when known (a backfill's listing); else a stable fake.
    etag: str | None = None


def template(platform: str, shape: str) -> dict[str, Any]:
    name = f"{platform}_{shape}.json"
    path = resources.files("passport_ocr.tools") / "data" / "events" / name
    text = path.read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def sample_event(
    platform: str,
    *,
    shape: str | None = None,
    bucket: str | None = None,
    key: str = DEFAULT_KEY,
    size: int = 84_508,
    region: str | None = None,
    etag: str | None = None,
) -> dict[str, Any]:
    """A trigger event for one uploaded object, as `platform` delivers it."""
    if platform not in SHAPES:
        raise ConfigError(f"no trigger events on platform {platform!r}")
    shape = shape or SHAPES[platform][0]
    if shape not in SHAPES[platform]:
        raise ConfigError(f"{platform} triggers come as {', '.join(SHAPES[platform])}")
    if not key or key.endswith("/"):
        raise ConfigError("the key must name an object, not a folder")
    obj = SampleObject(
        bucket or DEFAULT_BUCKETS[platform], key, size, region or DEFAULT_REGIONS[platform], etag
    )
    fill = _FILLERS[f"{platform}_{shape}"]
    return fill(obj)


def _etag(obj: SampleObject) -> str:
    """The object's own ETag, else a stable, plausible one (an MD5-sized hex digest of its
    name)."""
    if obj.etag:
        return obj.etag
    return hashlib.md5(f"{obj.bucket}/{obj.key}".encode(), usedforsecurity=False).hexdigest()


def _obs_record(record: dict[str, Any], obj: SampleObject) -> None:
    record["eventRegion"] = obj.region
    record["obs"]["bucket"].update(name=obj.bucket, bucket=obj.bucket)
    record["obs"]["object"].update(key=quote_plus(obj.key, safe=""), size=obj.size, eTag=_etag(obj))


def _huaweicloud_obs(obj: SampleObject) -> dict[str, Any]:
    event = template("huaweicloud", "obs")
    _obs_record(event["Records"][0], obj)
    return event


def _huaweicloud_eventgrid(obj: SampleObject) -> dict[str, Any]:
    event = template("huaweicloud", "eventgrid")
    _obs_record(event["data"], obj)
    event["subject"] = event["data"]["obs"]["object"]["key"]
    return event


def _tencentcloud_cos(obj: SampleObject) -> dict[str, Any]:
    name, dash, appid = obj.bucket.rpartition("-")
    if not dash or not name or not appid.isdigit():
        raise ConfigError("a COS bucket is named name-appid, e.g. passports-1250000000")
    event = template("tencentcloud", "cos")
    cos = event["Records"][0]["cos"]
    cos["cosObject"].update(
        url=f"http://{obj.bucket}.cos.{obj.region}.myqcloud.com/{quote(obj.key, safe='/')}",
        key=f"/{appid}/{name}/{obj.key}",
        size=obj.size,
    )
    cos["cosObject"]["meta"]["ETag"] = f'"{_etag(obj)}"'
    cos["cosBucket"].update(appid=appid, name=name, cosRegion=obj.region, s3Region=obj.region)
    return event


def _aws_s3(obj: SampleObject) -> dict[str, Any]:
    event = template("aws", "s3")
    record = event["Records"][0]
    record["awsRegion"] = obj.region
    record["s3"]["bucket"].update(name=obj.bucket, arn=f"arn:aws:s3:::{obj.bucket}")
    record["s3"]["object"].update(key=quote_plus(obj.key, safe="/"), size=obj.size, eTag=_etag(obj))
    return event


def _aws_sqs(obj: SampleObject) -> dict[str, Any]:
    event = template("aws", "sqs")
    body = json.dumps(_aws_s3(obj))
    message = event["Records"][0]
    message.update(
        body=body,
        md5OfBody=hashlib.md5(body.encode(), usedforsecurity=False).hexdigest(),
        awsRegion=obj.region,
        eventSourceARN=f"arn:aws:sqs:{obj.region}:123456789012:passport-ocr-uploads",
    )
    return event


def _aws_eventbridge(obj: SampleObject) -> dict[str, Any]:
    event = template("aws", "eventbridge")
    event.update(region=obj.region, resources=[f"arn:aws:s3:::{obj.bucket}"])
    detail = event["detail"]
    detail["bucket"]["name"] = obj.bucket
    detail["object"].update(key=quote_plus(obj.key, safe="/"), size=obj.size, etag=_etag(obj))
    return event


_FILLERS = {
    "huaweicloud_obs": _huaweicloud_obs,
    "huaweicloud_eventgrid": _huaweicloud_eventgrid,
    "tencentcloud_cos": _tencentcloud_cos,
    "aws_s3": _aws_s3,
    "aws_sqs": _aws_sqs,
    "aws_eventbridge": _aws_eventbridge,
}

__all__ = ["SHAPES", "sample_event"]
