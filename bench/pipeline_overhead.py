"""Time per upload spent outside the vendor's round trip (issue 4, section 7).

One upload = the whole function path except the OCR call: parse a realistic S3-via-SQS
trigger event, fetch the object from a local store, preflight it, map the vendor's answer,
validate, build the CloudEvent, serialize and publish it to a local JSONL sink. The OCR
provider is a test double that returns a canned vendor answer at once, so every
millisecond measured is ours. The image is a ~1.5 MB JPEG (a typical phone photo of a page).

    .venv/bin/python bench/pipeline_overhead.py [--runs 300] [--ocr-ms 500]

Prints median and p90, a per-stage breakdown, and the share of a typical OCR call. Target:
under 10 ms median.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "shared"))

from passport_ocr.config import Settings  # noqa: E402
from passport_ocr.events import parse_event  # noqa: E402
from passport_ocr.images import ImageLimits  # noqa: E402
from passport_ocr.pipeline import Pipeline  # noqa: E402
from passport_ocr.providers.base import ImageInput, VendorAnswer  # noqa: E402
from passport_ocr.publishing.sinks import JsonlFileSink  # noqa: E402
from passport_ocr.storage.local import LocalStore  # noqa: E402
from passport_ocr.vendors import VENDORS  # noqa: E402

BUCKET, KEY = "passport-scans", "uploads/2026/scan 0001.jpg"
#: MLIDPassportOCR's answer for a fictional Utopian passport (MRZ check digits valid).
ANSWER: dict[str, Any] = {
    "Response": {
        "CodeSet": "P<UTOVESTERGAARD<<SIGRID<AMALIE<<<<<<<<<<<<<",
        "CodeCrc": "VX44128700UTO8703145F3409213K7731509Q<<<<<04",
        "DateOfBirth": "19870314",
        "DateOfExpiration": "20340921",
        "GivenName": "SIGRID AMALIE",
        "ID": "VX4412870",
        "IssuingCountry": "UTO",
        "Name": "VESTERGAARD SIGRID AMALIE",
        "Nationality": "UTO",
        "Sex": "F",
        "Surname": "VESTERGAARD",
        "Type": "P",
        "Warn": [],
        "WarnCardInfos": [],
        "AdvancedInfo": "{}",
        "Image": "",
        "PassportRecognizeInfos": {},
        "RequestId": "bench-0001",
    }
}


@dataclass
class InstantProvider:
    """A test double of the OCR vendor: the canned answer, no network, no wait."""

    name: str = "tencent"
    limits: ImageLimits = VENDORS["tencent"].limits
    accepts_url: bool = False

    rate_limits: dict[str, float] = field(default_factory=dict)

    def can_fetch(self, ref: object) -> bool:
        return False

    def warm_up(self) -> None:
        return None

    def recognize(self, image: ImageInput, *, deadline: float | None = None) -> VendorAnswer:
        return VendorAnswer("tencent-mlid", ANSWER, "bench-0001")


def photo_jpeg(width: int = 2400, height: int = 1700, seed: int = 3) -> bytes:
    """A page-sized photo with sensor-like grain: ~1.5 MB at quality 90."""
    rng = random.Random(seed)
    grain = bytes(rng.getrandbits(8) for _ in range(width * height))
    noise = Image.frombytes("L", (width, height), grain).convert("RGB")
    page = Image.blend(Image.new("RGB", (width, height), (236, 232, 220)), noise, 0.12)
    buffer = io.BytesIO()
    page.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def sqs_event(size: int) -> dict[str, Any]:
    notification = {
        "Records": [
            {
                "eventVersion": "2.1",
                "eventSource": "aws:s3",
                "awsRegion": "eu-central-1",
                "eventTime": "2026-11-20T09:41:07.512Z",
                "eventName": "ObjectCreated:Put",
                "s3": {
                    "s3SchemaVersion": "1.0",
                    "bucket": {"name": BUCKET, "arn": f"arn:aws:s3:::{BUCKET}"},
                    "object": {
                        "key": KEY.replace(" ", "+"),
                        "size": size,
                        "eTag": "0c4c2a4f2e5b6d7e8f90a1b2c3d4e5f6",
                        "sequencer": "0066A8D0E77DE42BC5",
                    },
                },
            }
        ]
    }
    return {
        "Records": [
            {
                "messageId": "059f36b4-87a3-44ab-83d2-661975830a7d",
                "receiptHandle": "AQEB",
                "body": json.dumps(notification),
                "attributes": {},
                "messageAttributes": {},
                "md5OfBody": "",
                "eventSource": "aws:sqs",
                "eventSourceARN": "arn:aws:sqs:eu-central-1:123456789012:uploads",
                "awsRegion": "eu-central-1",
            }
        ]
    }


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--ocr-ms", type=float, default=500.0, help="a typical OCR call")
    args = parser.parse_args()

    image = photo_jpeg()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / BUCKET / "uploads" / "2026").mkdir(parents=True)
        (root / BUCKET / KEY).write_bytes(image)
        sink = JsonlFileSink(root / "events.jsonl")
        settings = Settings(payload="masked")
        pipeline = Pipeline(settings, LocalStore(root), InstantProvider(), sink)
        event = sqs_event(len(image))

        totals: list[float] = []
        stages: dict[str, list[float]] = {}
        for run in range(args.warmup + args.runs):
            start = time.perf_counter()
            batch = parse_event("aws", event, results_prefix=settings.results_prefix)
            parsed = time.perf_counter()
            outcome = pipeline.process(batch.items[0].ref)
            elapsed = (time.perf_counter() - start) * 1000
            if outcome.kind != "recognized":
                raise SystemExit(f"unexpected outcome {outcome.kind}: {outcome.error}")
            if run < args.warmup:
                continue
            totals.append(elapsed)
            stages.setdefault("parse", []).append((parsed - start) * 1000)
            for name, value in outcome.timings_ms.items():
                stages.setdefault(name, []).append(value)

    median, p90 = statistics.median(totals), percentile(totals, 0.9)
    print(f"image: {len(image) / 1e6:.2f} MB JPEG, {args.runs} runs after {args.warmup} warm-up")
    print(f"overhead per upload: median {median:.2f} ms, p90 {p90:.2f} ms")
    for name, values in stages.items():
        label = "ocr (test double)" if name == "ocr" else name
        print(f"  {label:<18} median {statistics.median(values):6.2f} ms")
    share = median / args.ocr_ms * 100
    print(f"share of a {args.ocr_ms:.0f} ms OCR call: {share:.2f}% (median)")
    print(f"target < 10 ms median: {'met' if median < 10 else 'NOT met'}")


if __name__ == "__main__":
    main()
