"""SCF: COS trigger events to `ObjectRef`s.

Shape (https://cloud.tencent.com/document/product/583/9707):
`Records[].cos.{cosObject, cosBucket}` plus `Records[].event`.
- `cosObject.key` is `/<appid>/<bucket name>/<object key>`: the prefix is stripped.
- `cosBucket.name` is the bucket name WITHOUT the appid, but every COS SDK call wants
  `<name>-<appid>`: that is what `ObjectRef.bucket` holds (`cos_bucket_parts` splits it).
- Region: `cosRegion` / `s3Region` (`ap-shanghai`) when present, else the short legacy code
  in `cosBucket.region` (`sh`, `gz`, ...) mapped to the long form.
- `event.eventTime` is Unix epoch seconds (the old doc sample shows an ISO string: both work).
- Keys are taken as they are: COS does not URL-encode the key in trigger events (Tencent's
  own templates use it undecoded). `key_encoded=True` decodes anyway.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from passport_ocr.errors import EventError
from passport_ocr.events.base import ObjectRef
from passport_ocr.events.batch import (
    EventBatch,
    EventItem,
    SkippedItem,
    classify,
    decode_key,
    describe_validation_error,
    per_record,
)

_EXPECTED = (
    "expected an SCF COS trigger event: Records[] with 'cos' (cosObject, cosBucket) and 'event'"
)

#: Tencent's short region codes (as in `cosBucket.region` and other legacy APIs).
SHORT_REGIONS: dict[str, str] = {
    "bj": "ap-beijing",
    "bjjr": "ap-beijing-fsi",
    "ca": "na-toronto",
    "cd": "ap-chengdu",
    "cq": "ap-chongqing",
    "de": "eu-frankfurt",
    "gz": "ap-guangzhou",
    "hk": "ap-hongkong",
    "in": "ap-mumbai",
    "jkt": "ap-jakarta",
    "jp": "ap-tokyo",
    "kr": "ap-seoul",
    "nj": "ap-nanjing",
    "ru": "eu-moscow",
    "sao": "sa-saopaulo",
    "sg": "ap-singapore",
    "sh": "ap-shanghai",
    "shjr": "ap-shanghai-fsi",
    "szjr": "ap-shenzhen-fsi",
    "th": "ap-bangkok",
    "tpe": "ap-taipei",
    "use": "na-ashburn",
    "usw": "na-siliconvalley",
}


def region_name(short_or_long: str) -> str:
    """`gz` -> `ap-guangzhou`; long names and unknown codes pass through unchanged."""
    return SHORT_REGIONS.get(short_or_long.strip().lower(), short_or_long.strip())


def cos_bucket_parts(bucket: str) -> tuple[str, str]:
    """`passports-1250000000` -> (`passports`, `1250000000`): the name events use, the appid."""
    name, sep, appid = bucket.rpartition("-")
    if not sep or not name or not appid.isdigit():
        raise EventError("a COS bucket is '<name>-<appid>'")
    return name, appid


class _Lenient(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True, coerce_numbers_to_str=True)


class _CosObject(_Lenient):
    key: str = Field(min_length=1)
    size: int | None = Field(default=None, ge=0)
    vid: str | None = None
    meta: dict[str, Any] = Field(default_factory=dict)


class _CosBucket(_Lenient):
    appid: str = Field(min_length=1)
    name: str = Field(min_length=1)
    region: str | None = None
    cos_region: str | None = Field(default=None, alias="cosRegion")
    s3_region: str | None = Field(default=None, alias="s3Region")


class _Cos(_Lenient):
    cos_object: _CosObject = Field(alias="cosObject")
    cos_bucket: _CosBucket = Field(alias="cosBucket")


class _CosEventInfo(_Lenient):
    event_name: str = Field(alias="eventName")
    event_time: datetime | None = Field(default=None, alias="eventTime")


class _CosRecord(_Lenient):
    cos: _Cos
    event: _CosEventInfo


class _CosEvent(_Lenient):
    # Records stay raw here: each is read on its own (`per_record`).
    records: list[dict[str, Any]] = Field(alias="Records", min_length=1)


def parse(
    event: Mapping[str, Any],
    *,
    results_prefix: str = "results/",
    key_encoded: bool = False,
) -> EventBatch:
    """Every record of an SCF COS trigger event, sorted into an `EventBatch`."""
    if not isinstance(event, Mapping) or "Records" not in event:
        raise EventError(f"unknown event shape; {_EXPECTED}")
    try:
        records = _CosEvent.model_validate(event).records
    except ValidationError as exc:
        raise EventError(
            f"malformed COS event ({describe_validation_error(exc)}); {_EXPECTED}"
        ) from exc
    return per_record(
        records,
        lambda record: _classified(
            _CosRecord.model_validate(record),
            results_prefix=results_prefix,
            key_encoded=key_encoded,
        ),
        what="COS",
        expected=_EXPECTED,
    )


def _classified(
    record: _CosRecord, *, results_prefix: str, key_encoded: bool
) -> EventItem | SkippedItem:
    bucket = record.cos.cos_bucket
    obj = record.cos.cos_object
    short_name = _name_without_appid(bucket.name, bucket.appid)
    raw_key = _strip_key_prefix(obj.key, bucket.appid, short_name)
    ref = ObjectRef(
        cloud="tencentcloud",
        region=_region(bucket),
        bucket=f"{short_name}-{bucket.appid}",
        key=decode_key(raw_key, url_encoded=key_encoded),
        size=obj.size,
        etag=_etag(obj.meta),
        version_id=obj.vid or None,
        event_time=record.event.event_time,
        event_name=record.event.event_name,
    )
    return classify(ref, results_prefix=results_prefix)


def _name_without_appid(name: str, appid: str) -> str:
    # Defensive: some producers already append the appid to the name.
    suffix = f"-{appid}"
    return name[: -len(suffix)] if name.endswith(suffix) and len(name) > len(suffix) else name


def _strip_key_prefix(key: str, appid: str, name: str) -> str:
    for prefix in (f"/{appid}/{name}/", f"/{appid}/{name}-{appid}/"):
        if key.startswith(prefix) and len(key) > len(prefix):
            return key[len(prefix) :]
    raise EventError(f"cosObject.key is not '/<appid>/<bucket name>/<key>'; {_EXPECTED}")


def _region(bucket: _CosBucket) -> str | None:
    for candidate in (bucket.cos_region, bucket.s3_region, bucket.region):
        if candidate and candidate.strip():
            return region_name(candidate)
    return None


def _etag(meta: dict[str, Any]) -> str | None:
    for name, value in meta.items():
        if name.lower() == "etag" and isinstance(value, str) and value.strip('"'):
            return value.strip('"')
    return None
