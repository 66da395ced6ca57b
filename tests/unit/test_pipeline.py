"""Pipeline.process: transfer mode, preflight findings, payload modes, URL->bytes fallback, and
the error policy. The provider is a test double answering canned vendor JSON (the vendors'
own clients are tested against their stubs elsewhere); store, preflight, mapping,
validation, envelope and sinks are the real ones.
"""

from __future__ import annotations

import base64
import hashlib
import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from passport_ocr.config import Settings
from passport_ocr.errors import ProviderCategory, ProviderError, PublishError, StorageError
from passport_ocr.events.base import Cloud, ObjectRef
from passport_ocr.images import ImageLimits
from passport_ocr.pipeline import Pipeline
from passport_ocr.providers.base import ImageInput, VendorAnswer
from passport_ocr.publishing.envelope import RECOGNIZED, REJECTED, CloudEvent
from passport_ocr.publishing.sinks import JsonlFileSink
from passport_ocr.storage.base import WRITE, ObjectInfo, error_for_status
from passport_ocr.storage.local import LocalStore
from passport_ocr.vendors import VENDORS
from tests.fakes import PlainProviderCapabilities
from tests.handler_helpers import SPECIMEN, huawei_answer, page_jpeg, tencent_mlid_answer

TODAY = date(2026, 11, 21)
IMAGE = page_jpeg()

Behaviour = Callable[[ImageInput], dict[str, Any]]


@dataclass
class CannedProvider(PlainProviderCapabilities):
    """Answers the specimen (or runs `behaviour`) and remembers what it was sent."""

    name: str = "huawei"
    limits: ImageLimits = VENDORS["huawei"].limits
    accepts_url: bool = True
    behaviour: Behaviour | None = None
    calls: list[ImageInput] = field(default_factory=list)

    def can_fetch(self, ref: ObjectRef) -> bool:
        return ref.region == "cn-north-4"  # the region the OBS double's URLs are in

    def recognize(self, image: ImageInput, *, deadline: float | None = None) -> VendorAnswer:
        self.calls.append(image)
        raw = self.behaviour(image) if self.behaviour else huawei_answer()
        return VendorAnswer("huawei", raw, "req-1")


class CloudStore(LocalStore):
    """The filesystem store posing as OBS, with signed URLs a vendor could fetch."""

    cloud: Cloud = "huaweicloud"

    def signed_url(self, ref: ObjectRef, expires_s: int = 300) -> str:
        self.head(ref)
        return f"https://{ref.bucket}.obs.cn-north-4.myhuaweicloud.com/{ref.key}?sig=x"


class DeniedStore(LocalStore):
    def fetch(self, ref: ObjectRef, max_bytes: int = 0) -> bytes:
        raise StorageError("access denied", permanent=False, operator=True, code="storage.denied")

    def head(self, ref: ObjectRef) -> ObjectInfo:
        raise StorageError("access denied", permanent=False, operator=True, code="storage.denied")


class BrokenTopic:
    max_bytes = 262_144

    def publish(self, message: CloudEvent) -> str:
        raise PublishError("topic down", code="publish.test")


def vendor_error(category: ProviderCategory, code: str | None, retryable: bool = False) -> Any:
    def fail(image: ImageInput) -> dict[str, Any]:
        raise ProviderError(
            "vendor says no", vendor="huawei", category=category, retryable=retryable,
            vendor_code=code,
        )  # fmt: skip

    return fail


def url_fails_then(error: Behaviour) -> Behaviour:
    def behave(image: ImageInput) -> dict[str, Any]:
        return error(image) if image.url else huawei_answer()

    return behave


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "scans" / "uploads").mkdir(parents=True)
    (tmp_path / "scans" / "uploads" / "page.jpg").write_bytes(IMAGE)
    return tmp_path


def ref(cloud: Cloud = "huaweicloud", key: str = "uploads/page.jpg") -> ObjectRef:
    return ObjectRef(
        cloud=cloud, region="cn-north-4", bucket="scans", key=key, size=len(IMAGE), etag="e1"
    )


def pipeline(
    root: Path,
    provider: CannedProvider,
    *,
    store: LocalStore | None = None,
    topic: Any = None,
    **settings: Any,
) -> tuple[Pipeline, JsonlFileSink]:
    sink = JsonlFileSink(root / "events.jsonl")
    built = Pipeline(
        settings=Settings(**settings),
        store=store or CloudStore(root),
        provider=provider,
        topic=topic or sink,
        today=lambda: TODAY,
    )
    return built, sink


# -- transfer ----------------------------------------------------------------------------------


def test_bytes_mode_sends_the_stored_bytes_through_preflight(root: Path) -> None:
    provider = CannedProvider()
    built, sink = pipeline(root, provider, image_transfer="bytes")

    outcome = built.process(ref())

    assert outcome.transfer == "bytes"
    (call,) = provider.calls
    assert call.image is not None and call.image.data == IMAGE
    assert outcome.kind == "recognized"
    assert outcome.record is not None and outcome.record.document_number == "VX4412870"
    assert [e.type for e in sink.read()] == [RECOGNIZED]


def test_url_mode_sends_a_signed_url_and_never_downloads(root: Path) -> None:
    provider = CannedProvider()
    built, _ = pipeline(root, provider, huawei_region="cn-north-4")

    outcome = built.process(ref())

    assert outcome.transfer == "url"
    (call,) = provider.calls
    assert call.url is not None and "sig=" in call.url and call.image is None


def test_a_provider_that_cannot_fetch_urls_gets_bytes(root: Path) -> None:
    provider = CannedProvider(accepts_url=False)
    built, _ = pipeline(root, provider, image_transfer="url")

    assert built.process(ref()).transfer == "bytes"


def test_preflight_findings_are_carried_into_the_record(root: Path) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (5000, 3500), (236, 232, 220)).save(buffer, "JPEG", quality=85)
    (root / "scans" / "uploads" / "huge.jpg").write_bytes(buffer.getvalue())
    provider = CannedProvider()
    built, _ = pipeline(root, provider, image_transfer="bytes")

    outcome = built.process(ref(key="uploads/huge.jpg"))

    sent = provider.calls[0].image
    assert sent is not None and max(sent.width, sent.height) <= VENDORS["huawei"].limits.max_side
    assert outcome.record is not None
    assert "image.converted" in outcome.record.finding_codes()


# -- the URL -> bytes fallback --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("category", "code"),
    [
        (ProviderCategory.BAD_IMAGE, "AIS.0103"),  # pixel size: URL mode could not check it
        (ProviderCategory.NETWORK, "ModelArts.4603"),  # the vendor's download failed
        (ProviderCategory.BAD_REQUEST, "ModelArts.4202"),  # URL format refused
    ],
)
def test_url_the_vendor_cannot_use_is_retried_once_in_bytes_mode(
    root: Path, category: ProviderCategory, code: str
) -> None:
    provider = CannedProvider(behaviour=url_fails_then(vendor_error(category, code)))
    built, sink = pipeline(root, provider, image_transfer="url")

    outcome = built.process(ref())

    assert [c.url is not None for c in provider.calls] == [True, False]
    assert (outcome.kind, outcome.transfer, outcome.ocr_attempts) == ("recognized", "bytes", 2)
    assert len(sink.read()) == 1


def test_no_fallback_when_the_vendor_read_the_image_and_found_no_passport(root: Path) -> None:
    provider = CannedProvider(behaviour=vendor_error(ProviderCategory.NOT_A_PASSPORT, "AIS.0105"))
    built, sink = pipeline(root, provider, image_transfer="url")

    outcome = built.process(ref())

    assert len(provider.calls) == 1
    assert outcome.kind == "rejected"
    assert [e.type for e in sink.read()] == [REJECTED]


def test_no_fallback_for_our_own_network_failure(root: Path) -> None:
    provider = CannedProvider(
        behaviour=vendor_error(ProviderCategory.NETWORK, None, retryable=True)
    )
    built, sink = pipeline(root, provider, image_transfer="url")

    with pytest.raises(ProviderError):
        built.process(ref())
    assert len(provider.calls) == 1 and sink.read() == []


def test_bytes_mode_failure_after_fallback_follows_the_error_policy(root: Path) -> None:
    provider = CannedProvider(behaviour=vendor_error(ProviderCategory.BAD_IMAGE, "AIS.0104"))
    built, sink = pipeline(root, provider, image_transfer="url")

    outcome = built.process(ref())

    assert len(provider.calls) == 2
    assert outcome.kind == "rejected" and outcome.error is not None
    assert sink.read()[0].data["error"]["vendor_code"] == "AIS.0104"


# -- payload modes ----------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["full", "masked", "reference"])
def test_payload_modes(root: Path, mode: str) -> None:
    built, sink = pipeline(root, CannedProvider(), image_transfer="bytes", payload=mode)

    built.process(ref())

    (event,) = sink.read()
    assert event.extensions["payloadmode"] == mode
    number = event.data.get("document_number")
    written = sorted((root / "scans" / "results").rglob("*.json"))
    if mode == "full":
        assert number == SPECIMEN.document_number and written == []
    elif mode == "masked":
        assert number not in (None, SPECIMEN.document_number) and written == []
    else:
        assert number is None and len(written) == 1
        assert SPECIMEN.document_number in written[0].read_text(encoding="utf-8")


def test_oversize_payload_falls_back_to_reference(root: Path) -> None:
    sink = JsonlFileSink(root / "events.jsonl", max_bytes=1500)
    built = Pipeline(
        Settings(image_transfer="bytes", payload="full"), CloudStore(root), CannedProvider(), sink
    )

    built.process(ref())

    assert sink.read()[0].extensions["payloadmode"] == "reference"


# -- the error policy --------------------------------------------------------------------------


class NoResultsBucketStore(CloudStore):
    """OBS posing store whose results bucket does not exist (S3/OBS/COS answer 404 NoSuchBucket)."""

    def put_json(self, bucket: str, key: str, doc: Mapping[str, Any]) -> None:
        raise error_for_status(404, WRITE, "result", "NoSuchBucket")


@pytest.mark.parametrize("payload", ["reference", "full"])
def test_a_refused_record_write_raises_for_replay_never_a_rejection(
    root: Path, payload: str
) -> None:
    # "full" falls back to reference when the event is too big for the topic.
    built, sink = pipeline(
        root,
        CannedProvider(),
        store=NoResultsBucketStore(root),
        image_transfer="bytes",
        payload=payload,
    )
    if payload == "full":
        built.topic = JsonlFileSink(root / "events.jsonl", max_bytes=1500)

    with pytest.raises(StorageError) as caught:
        built.process(ref())

    assert caught.value.operator and not caught.value.permanent
    assert sink.read() == []  # nothing published: no `rejected` for a recognized passport


def test_corrupt_image_is_rejected_without_an_ocr_call(root: Path) -> None:
    (root / "scans" / "uploads" / "half.jpg").write_bytes(IMAGE[: len(IMAGE) // 2])
    provider = CannedProvider()
    built, sink = pipeline(root, provider, image_transfer="bytes")

    outcome = built.process(ref(key="uploads/half.jpg"))

    assert provider.calls == []
    assert outcome.error is not None and outcome.error.code == "image.truncated"
    assert [e.type for e in sink.read()] == [REJECTED]


def test_malformed_vendor_answer_is_rejected(root: Path) -> None:
    provider = CannedProvider(behaviour=lambda image: {"result": {"passport_number": 42}})
    built, sink = pipeline(root, provider, image_transfer="bytes")

    outcome = built.process(ref())

    assert outcome.kind == "rejected" and outcome.error is not None
    assert outcome.error.code.startswith("mapping.")
    assert [e.type for e in sink.read()] == [REJECTED]


def test_transient_ocr_failure_raises_and_publishes_nothing(root: Path) -> None:
    provider = CannedProvider(
        behaviour=vendor_error(ProviderCategory.THROTTLED, "APIG.0308", retryable=True)
    )
    built, sink = pipeline(root, provider, image_transfer="bytes")

    with pytest.raises(ProviderError) as caught:
        built.process(ref())
    assert caught.value.category == ProviderCategory.THROTTLED
    assert sink.read() == []


@pytest.mark.parametrize("category", [ProviderCategory.CREDENTIALS, ProviderCategory.QUOTA])
def test_operator_errors_raise_instead_of_rejecting(root: Path, category: ProviderCategory) -> None:
    provider = CannedProvider(behaviour=vendor_error(category, "X.1"))
    built, sink = pipeline(root, provider, image_transfer="bytes")

    with pytest.raises(ProviderError):
        built.process(ref())
    assert sink.read() == []


def test_storage_access_denied_is_the_operators_to_fix_not_a_rejection(root: Path) -> None:
    built, sink = pipeline(root, CannedProvider(), store=DeniedStore(root), image_transfer="bytes")

    with pytest.raises(StorageError, match="denied"):
        built.process(ref())
    assert sink.read() == []


def test_missing_object_is_rejected(root: Path) -> None:
    built, sink = pipeline(root, CannedProvider(), image_transfer="bytes")

    outcome = built.process(ref(key="uploads/gone.jpg"))

    assert outcome.error is not None and outcome.error.code == "storage.not_found"
    assert [e.type for e in sink.read()] == [REJECTED]


def test_unavailable_topic_raises_after_the_record_was_made(root: Path) -> None:
    provider = CannedProvider()
    built, _ = pipeline(root, provider, topic=BrokenTopic(), image_transfer="bytes")

    with pytest.raises(PublishError):
        built.process(ref())
    assert len(provider.calls) == 1


def test_summary_carries_ids_codes_and_timings_only(root: Path) -> None:
    built, _ = pipeline(root, CannedProvider(), image_transfer="bytes")

    summary = built.process(ref()).summary()

    assert set(summary["timings_ms"]) == {"prepare", "ocr", "map", "publish"}
    text = repr(summary)
    assert SPECIMEN.document_number not in text and "VESTERGAARD" not in text
    assert summary["object_id"] == ref().object_id


# -- PASSPORT_OCR_DELETE_AFTER ---------------------------------------------------------------------


def test_delete_after_recognized_removes_the_scan_once_its_record_is_published(
    root: Path,
) -> None:
    built, sink = pipeline(
        root, CannedProvider(), image_transfer="bytes", delete_after="recognized"
    )
    built.process(ref())
    assert [event.type for event in sink.read()] == ["com.passport-ocr.passport.recognized"]
    assert not (root / "scans" / "uploads" / "page.jpg").exists()


def test_a_rejected_scan_and_the_default_keep_the_upload(root: Path) -> None:
    (root / "scans" / "uploads" / "junk.jpg").write_bytes(b"not an image")
    built, _ = pipeline(root, CannedProvider(), image_transfer="bytes", delete_after="recognized")
    built.process(ref(key="uploads/junk.jpg"))
    assert (root / "scans" / "uploads" / "junk.jpg").exists()
    kept, _ = pipeline(root, CannedProvider(), image_transfer="bytes")
    kept.process(ref())
    assert (root / "scans" / "uploads" / "page.jpg").exists()


class UndeletableStore(CloudStore):
    def delete(self, ref: ObjectRef) -> None:
        raise StorageError("access denied", permanent=False, operator=True, code="storage.denied")


def test_a_failed_deletion_is_logged_never_raised_the_record_is_out(
    root: Path, caplog: pytest.LogCaptureFixture
) -> None:
    built, sink = pipeline(
        root,
        CannedProvider(),
        store=UndeletableStore(root),
        image_transfer="bytes",
        delete_after="recognized",
    )
    outcome = built.process(ref())
    assert outcome.kind == "recognized" and len(sink.read()) == 1
    assert any("scan not deleted" in r.message for r in caplog.records)


# -- the holder's portrait (PASSPORT_OCR_PORTRAIT=store) ----------------------------------------

PORTRAIT = page_jpeg(120, 160, seed=3)


@dataclass
class PortraitProvider(CannedProvider):
    """A Tencent-like provider that hands back `portrait` with its answer."""

    name: str = "tencent"
    portrait: bytes | None = PORTRAIT

    def recognize(self, image: ImageInput, *, deadline: float | None = None) -> VendorAnswer:
        self.calls.append(image)
        answer = tencent_mlid_answer()
        return VendorAnswer("tencent-mlid", answer, "req-1", portrait=self.portrait)


def test_a_kept_portrait_goes_under_the_results_prefix_and_the_record_names_it(
    root: Path,
) -> None:
    built, sink = pipeline(
        root, PortraitProvider(), image_transfer="bytes", portrait="store", payload="full"
    )
    outcome = built.process(ref())

    assert outcome.record is not None and outcome.record.portrait is not None
    stored = outcome.record.portrait
    assert stored.key == f"results/portraits/{ref().object_id}.jpg"
    assert (stored.bucket, stored.media_type, stored.origin) == ("scans", "image/jpeg", "vendor")
    assert (stored.width, stored.height) == (120, 160)
    written = (root / "scans" / stored.key).read_bytes()
    assert written == PORTRAIT and stored.sha256 == hashlib.sha256(PORTRAIT).hexdigest()
    (event,) = sink.read()
    assert event.data["portrait"]["key"] == stored.key
    assert base64.b64encode(PORTRAIT).decode() not in event.to_json()


def test_portraits_are_off_by_default_and_then_nothing_is_written(root: Path) -> None:
    built, _ = pipeline(root, PortraitProvider(), image_transfer="bytes", payload="full")
    outcome = built.process(ref())
    assert outcome.record is not None and outcome.record.portrait is None
    assert not (root / "scans" / "results").exists()
    assert not any(code.startswith("portrait.") for code in outcome.record.finding_codes())


@pytest.mark.parametrize(
    ("provider", "code"),
    [
        (CannedProvider(), "portrait.not_offered"),  # Huawei answers no portrait
        (PortraitProvider(portrait=None), "portrait.not_found"),
        (PortraitProvider(portrait=b"<html>not a picture</html>"), "portrait.unreadable"),
    ],
    ids=["not-offered", "not-found", "unreadable"],
)
def test_a_record_without_the_portrait_asked_for_says_why_and_stands(
    root: Path, provider: CannedProvider, code: str
) -> None:
    plain, _ = pipeline(root, type(provider)(), image_transfer="bytes", payload="full")
    expected = plain.process(ref()).record
    built, _ = pipeline(root, provider, image_transfer="bytes", portrait="store", payload="full")

    record = built.process(ref()).record

    assert record is not None and expected is not None and record.portrait is None
    assert code in record.finding_codes()
    (finding,) = [f for f in record.findings if f.code == code]
    assert finding.severity == "info" and record.status == expected.status
    assert not (root / "scans" / "results" / "portraits").exists()


class NoPortraitStore(CloudStore):
    def put_bytes(self, bucket: str, key: str, data: bytes, content_type: str) -> None:
        raise error_for_status(503, WRITE, "result", "ServiceUnavailable")


def test_a_portrait_that_cannot_be_written_raises_for_the_retry(root: Path) -> None:
    built, sink = pipeline(
        root,
        PortraitProvider(),
        store=NoPortraitStore(root),
        image_transfer="bytes",
        portrait="store",
    )
    with pytest.raises(StorageError):
        built.process(ref())
    assert sink.read() == []
