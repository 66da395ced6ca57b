"""The batch engine behind `passport-ocr process`: rate limit, sources, results, resume,
concurrency and the summary. Objects go through the real pipeline (preflight, mapper,
validation); only the OCR vendor is a double that answers a saved vendor answer at once."""

from __future__ import annotations

import io
import itertools
import json
import os
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from passport_ocr.errors import ConfigError, ProviderCategory, ProviderError, StorageError
from passport_ocr.events.base import ObjectRef
from passport_ocr.providers.base import ImageInput, VendorAnswer
from passport_ocr.storage.local import LocalStore
from passport_ocr.tools.batch.ratelimit import RateLimitedProvider, TokenBucket, provider_rate
from passport_ocr.tools.batch.results import (
    FolderWriter,
    ItemResult,
    JsonlWriter,
    open_writer,
    read_jsonl,
)
from passport_ocr.tools.batch.runner import (
    BatchAbortedError,
    Summary,
    cli_pipeline,
    cli_settings,
    run_batch,
)
from passport_ocr.tools.batch.sources import (
    DEFAULT_INCLUDE,
    included,
    list_folder,
    list_s3,
    open_source,
    parse_source,
)
from passport_ocr.vendors import VENDORS
from tests.fakes import FakeTime, PlainProviderCapabilities
from tests.moto_helpers import Moto

SAMPLE = json.loads(
    (resources.files("passport_ocr.tools") / "data" / "samples" / "huawei_general.json").read_text()
)


# -- doubles and fixtures ------------------------------------------------------------------------


@dataclass
class CannedProvider(PlainProviderCapabilities):
    """An OCR vendor double: the saved Huawei answer for every image, or a scripted error."""

    name: str = "huawei"
    limits: Any = VENDORS["local"].limits
    accepts_url: bool = False
    errors: dict[int, ProviderError] = field(default_factory=dict)  # by image width
    before: Callable[[], None] = lambda: None
    calls: int = 0
    active: int = 0
    most_active: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def recognize(self, image: ImageInput, *, deadline: float | None = None) -> VendorAnswer:
        assert image.image is not None
        with self._lock:
            self.calls += 1
            self.active += 1
            self.most_active = max(self.most_active, self.active)
        try:
            self.before()
            error = self.errors.get(image.image.width)
            if error is not None:
                raise error
            return VendorAnswer("huawei", SAMPLE, request_id="req-1")
        finally:
            with self._lock:
                self.active -= 1


def png(width: int = 640, height: int = 450) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (235, 230, 220)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def scans(tmp_path: Path) -> Path:
    """A folder of scans: five pages (one 700 px wide), a corrupt JPEG, a note, hidden files."""
    folder = tmp_path / "scans"
    (folder / "batch 2" / "deep").mkdir(parents=True)
    for name in ("a.png", "b.png", "c.PNG", "batch 2/d.png", "batch 2/deep/e.png"):
        (folder / name).write_bytes(png(700 if name == "c.PNG" else 640))
    (folder / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    (folder / "notes.txt").write_text("not a scan")
    (folder / ".DS_Store").write_bytes(b"\0")
    (folder / ".cache").mkdir()
    (folder / ".cache" / "x.png").write_bytes(png())
    return folder


def run_folder(
    folder: Path,
    output: str,
    provider: CannedProvider,
    *,
    workers: int = 1,
    seen: list[Any] | None = None,
) -> Summary:
    source = parse_source(str(folder))
    settings = cli_settings("local", environ={})
    opened = open_source(source, settings)
    pipeline = cli_pipeline(settings, opened.store, provider)
    items = (
        (ref, source.uri(ref.key)) for ref in opened.refs() if included(ref.key, DEFAULT_INCLUDE)
    )
    return run_batch(
        items,
        pipeline.process,
        open_writer(output),
        workers=workers,
        on_result=seen.append if seen is not None else None,
    )


# -- the token bucket ---------------------------------------------------------------------------


def test_token_bucket_spaces_calls_at_the_rate_without_waiting_for_real() -> None:
    clock = FakeTime()
    bucket = TokenBucket(5.0, clock=clock, sleep=clock.sleep)
    starts = [bucket.acquire() - 1000.0 for _ in range(11)]
    assert starts == pytest.approx([0.2 * n for n in range(11)])
    # Never more than `rate` starts in any one-second window.
    assert all(sum(1 for s in starts if t <= s < t + 1.0) <= 5 for t in starts)


def test_token_bucket_saves_up_only_its_burst_while_idle() -> None:
    clock = FakeTime()
    bucket = TokenBucket(10.0, burst=3, clock=clock, sleep=clock.sleep)
    clock.sleep(60)  # a minute idle: still only 3 tokens
    clock.sleeps.clear()
    starts = [bucket.acquire() - clock.now for _ in range(5)]
    assert starts[:3] == [0.0, 0.0, 0.0]
    assert clock.sleeps == pytest.approx([0.1, 0.1])


def test_token_bucket_reservations_from_many_threads_never_overlap() -> None:
    clock = FakeTime()  # nobody sleeps: every thread only reserves its start
    bucket = TokenBucket(10.0, clock=clock, sleep=lambda _s: None)
    starts: list[float] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(25):
            start = bucket.reserve()
            with lock:
                starts.append(start)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ordered = sorted(starts)
    assert len(ordered) == 200
    gaps = [b - a for a, b in itertools.pairwise(ordered)]
    assert min(gaps) == pytest.approx(0.1)


@pytest.mark.parametrize(("rate", "burst"), [(0, 1), (-1, 1), (5, 0.5)])
def test_token_bucket_refuses_nonsense(rate: float, burst: float) -> None:
    with pytest.raises(ValueError, match="must be"):
        TokenBucket(rate, burst=burst)


def test_tencent_rate_is_the_slowest_api_the_mode_calls() -> None:
    from passport_ocr.credentials import Credentials
    from passport_ocr.providers.tencent import TencentOcrProvider

    key = Credentials("AKIDtest", "secret")
    cn = TencentOcrProvider(key, mode="cn", region="ap-guangzhou")
    auto = TencentOcrProvider(key, mode="auto", region="ap-guangzhou")
    international = TencentOcrProvider(
        key, mode="international", endpoint="ocr.intl.tencentcloudapi.com"
    )
    assert provider_rate(cn) == 10.0  # PassportOCR only
    assert provider_rate(auto) == 5.0  # MLIDPassportOCR on every page
    assert provider_rate(international) == 5.0
    assert provider_rate(CannedProvider()) is None


def test_rate_limited_provider_takes_a_token_per_vendor_call_only(
    scans: Path, tmp_path: Path
) -> None:
    clock = FakeTime()
    bucket = TokenBucket(2.0, clock=clock, sleep=clock.sleep)
    inner = CannedProvider()
    limited = RateLimitedProvider(inner, bucket)
    forwarded = (limited.name, limited.limits, limited.accepts_url)
    assert forwarded == ("huawei", VENDORS["local"].limits, False)
    source = parse_source(str(scans))
    settings = cli_settings("local", environ={})
    opened = open_source(source, settings)
    pipeline = cli_pipeline(settings, opened.store, limited)  # type: ignore[arg-type]
    items = ((ref, ref.key) for ref in opened.refs() if included(ref.key, DEFAULT_INCLUDE))
    summary = run_batch(items, pipeline.process, open_writer(str(tmp_path / "out")))
    # Five pages reached the vendor at 2/s; the corrupt file was rejected before any token.
    assert inner.calls == 5
    assert summary.outcomes["rejected"] == 1
    assert clock.sleeps == pytest.approx([0.5, 0.5, 0.5, 0.5])


# -- sources -------------------------------------------------------------------------------------


def test_parse_source_names_every_kind(tmp_path: Path) -> None:
    assert parse_source("s3://bucket/uploads/2026/").bucket == "bucket"
    assert parse_source("s3://bucket/uploads/2026/").prefix == "uploads/2026/"
    assert parse_source("obs://scans").prefix == ""
    cos = parse_source("cos://passports-1250000000/in/")
    assert (cos.scheme, cos.bucket, cos.cloud) == ("cos", "passports-1250000000", "tencentcloud")
    folder = parse_source(str(tmp_path))
    assert (folder.scheme, folder.bucket, folder.root) == ("file", tmp_path.name, tmp_path.parent)
    assert folder.uri("a/b.jpg") == str(tmp_path / "a" / "b.jpg")
    assert cos.uri("in/x.jpg") == "cos://passports-1250000000/in/x.jpg"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("gs://bucket/x", "unknown source scheme"),
        ("s3:///prefix", "names no bucket"),
        ("cos://passports/x", "name-appid"),
        ("/no/such/folder/anywhere", "is not a folder"),
        ("/", "filesystem root"),
    ],
)
def test_parse_source_says_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_source(text)


def test_included_matches_file_names_case_insensitively_and_never_hidden_ones() -> None:
    assert included("uploads/a/SCAN.JPG", DEFAULT_INCLUDE)
    assert included("x.tiff", DEFAULT_INCLUDE)
    assert not included("uploads/notes.txt", DEFAULT_INCLUDE)
    assert not included("uploads/.hidden.jpg", DEFAULT_INCLUDE)
    assert not included("uploads/folder/", DEFAULT_INCLUDE)
    assert included("uploads/notes.txt", ["*.txt"])


def test_list_folder_is_sorted_recursive_and_skips_hidden_entries(scans: Path) -> None:
    keys = [item.key for item in list_folder(scans)]
    assert keys == [
        "a.png",
        "b.png",
        "broken.jpg",
        "c.PNG",
        "notes.txt",
        "batch 2/d.png",
        "batch 2/deep/e.png",
    ]


def test_s3_listing_pages_through_a_prefix_on_moto(moto_server: Moto) -> None:
    s3 = moto_server.client("s3")
    bucket = "batch-listing"
    s3.create_bucket(
        Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-central-1"}
    )
    keys = [f"uploads/{n:04d} scan.jpg" for n in range(7)]
    for key in [*keys, "other/x.jpg"]:
        s3.put_object(Bucket=bucket, Key=key, Body=b"x" * 3)
    listed = list(list_s3(s3, bucket, "uploads/", page_size=3))
    assert [item.key for item in listed] == keys
    assert {item.size for item in listed} == {3}
    assert all(item.etag for item in listed)


def test_s3_listing_of_a_missing_bucket_is_a_storage_error(moto_server: Moto) -> None:
    with pytest.raises(StorageError, match="cannot list s3://no-such-bucket"):
        list(list_s3(moto_server.client("s3"), "no-such-bucket", ""))


# -- results and resume --------------------------------------------------------------------------


def test_folder_batch_writes_one_result_per_object_and_resumes(scans: Path, tmp_path: Path) -> None:
    out = tmp_path / "results"
    provider = CannedProvider()
    seen: list[Any] = []
    first = run_folder(scans, str(out), provider, seen=seen)

    assert first.outcomes == {"recognized": 5, "rejected": 1}
    assert first.skipped == 0 and len(seen) == 6
    written = sorted(
        re.sub(r"\.[0-9a-f]{12}\.json$", ".json", p.relative_to(out).as_posix())
        for p in out.rglob("*.json")
    )
    assert written == [
        "a.png.json",
        "b.png.json",
        "batch 2/d.png.json",
        "batch 2/deep/e.png.json",
        "broken.jpg.json",
        "c.PNG.json",
    ]
    doc = json.loads(FolderWriter(out).path_for("batch 2/d.png").read_text())
    assert doc["key"] == "batch 2/d.png"
    assert doc["source"] == str(scans / "batch 2" / "d.png")
    assert doc["outcome"] == "recognized"
    assert doc["record"]["issuing_state"] == "ETF"
    assert doc["status"] == doc["record"]["status"]
    assert doc["findings"] == [f["code"] for f in doc["record"]["findings"]]
    broken = json.loads(FolderWriter(out).path_for("broken.jpg").read_text())
    assert broken["outcome"] == "rejected" and broken["record"] is None
    assert broken["error"]["code"].startswith("image.")

    # Resume: only what has no result yet is processed again.
    FolderWriter(out).path_for("b.png").unlink()
    calls = provider.calls
    second = run_folder(scans, str(out), provider)
    assert second.skipped == 5
    assert second.outcomes == {"recognized": 1}
    assert provider.calls == calls + 1


def test_jsonl_batch_resumes_and_ignores_a_line_cut_short(scans: Path, tmp_path: Path) -> None:
    out = tmp_path / "results.jsonl"
    provider = CannedProvider()
    run_folder(scans, str(out), provider)
    lines = out.read_text().splitlines()
    assert len(lines) == 6
    kept = [line for line in lines if json.loads(line)["key"] != "a.png"]
    out.write_text("\n".join(kept) + "\n" + '{"key": "a.png", "outc')  # a crash mid-line

    second = run_folder(scans, str(out), provider)
    assert second.outcomes == {"recognized": 1} and second.skipped == 5
    keys = sorted(doc["key"] for doc in read_jsonl(out))
    assert keys == sorted(
        ["a.png", "b.png", "broken.jpg", "c.PNG", "batch 2/d.png", "batch 2/deep/e.png"]
    )


def test_folder_output_names_are_collision_free_and_length_safe(tmp_path: Path) -> None:
    writer = FolderWriter(tmp_path / "out")
    alike = ["a//x.jpg", "a/./x.jpg", "a/_/x.jpg", "a/../x.jpg"]
    assert len({writer.path_for(key) for key in alike}) == len(alike)
    long_key = "uploads/" + "名" * 101 + ".jpg"  # a 304-byte segment: ENAMETOOLONG before
    for key in [*alike, long_key]:
        writer.write(ItemResult(source=key, key=key, kind="failed", error=ValueError("x")))
        assert writer.is_done(key)
        assert json.loads(writer.path_for(key).read_text())["key"] == key
    assert all(len(p.name.encode()) <= 255 for p in (tmp_path / "out").rglob("*"))


def test_folder_output_never_leaves_its_folder(tmp_path: Path) -> None:
    writer = FolderWriter(tmp_path / "out")
    for key in ("../../etc/passwd", "/abs/x.jpg", "a//b/./c.jpg"):
        path = writer.path_for(key).resolve()
        assert path.is_relative_to((tmp_path / "out").resolve()), key


def test_open_writer_refuses_a_file_for_a_folder_and_the_reverse(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    (tmp_path / "dir.jsonl").mkdir()
    with pytest.raises(StorageError, match="is a file"):
        open_writer(str(tmp_path / "file"))
    with pytest.raises(StorageError, match="is a folder"):
        open_writer(str(tmp_path / "dir.jsonl"))
    assert isinstance(open_writer(str(tmp_path / "new.jsonl")), JsonlWriter)


# -- failures, concurrency, summary ------------------------------------------------------------


def test_a_transient_failure_leaves_no_result_so_the_next_run_retries_it(
    scans: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    throttled = ProviderError(
        "throttled", vendor="huawei", category=ProviderCategory.THROTTLED, retryable=True
    )
    provider = CannedProvider(errors={700: throttled})  # c.PNG is the 700 px page
    first = run_folder(scans, str(out), provider)
    assert first.outcomes == {"recognized": 4, "rejected": 1, "failed": 1}
    assert first.errors["provider.throttled"] == 1
    assert not (out / "c.PNG.json").exists()

    provider.errors.clear()
    second = run_folder(scans, str(out), provider)
    assert second.outcomes == {"recognized": 1} and second.skipped == 5


def test_an_operator_error_stops_the_batch_with_the_summary_so_far(
    scans: Path, tmp_path: Path
) -> None:
    denied = ProviderError(
        "bad key", vendor="huawei", category=ProviderCategory.CREDENTIALS, retryable=False
    )
    assert denied.operator and ConfigError("x").operator
    provider = CannedProvider(errors={700: denied})
    out = tmp_path / "out"
    with pytest.raises(BatchAbortedError) as stopped:
        run_folder(scans, str(out), provider)
    assert stopped.value.code == "provider.credentials"
    summary = stopped.value.summary
    assert summary.aborted == "provider.credentials"
    # a.png, b.png and broken.jpg come before c.PNG; what was in flight finished, the
    # last page was never started.
    assert summary.outcomes["recognized"] >= 2 and summary.outcomes["rejected"] == 1
    assert not (out / "c.PNG.json").exists()
    assert not (out / "batch 2" / "deep" / "e.png.json").exists()
    assert provider.calls <= 4


def test_workers_run_objects_in_parallel_but_never_more_than_asked(
    scans: Path, tmp_path: Path
) -> None:
    barrier = threading.Barrier(3, timeout=30)
    provider = CannedProvider(before=lambda: barrier.wait() if provider.calls <= 3 else None)
    summary = run_folder(scans, str(tmp_path / "out"), provider, workers=3)
    # Three calls met at the barrier: they were in flight together.
    assert summary.outcomes == {"recognized": 5, "rejected": 1}
    assert provider.most_active == 3


def test_summary_counts_and_reads_without_personal_data(scans: Path, tmp_path: Path) -> None:
    summary = run_folder(scans, str(tmp_path / "out"), CannedProvider())
    doc = summary.to_dict()
    assert (doc["processed"], doc["recognized"], doc["rejected"], doc["failed"]) == (6, 5, 1, 0)
    assert sum(doc["statuses"].values()) == 5
    assert doc["errors"] == {"image.truncated": 1}
    text = "\n".join(summary.lines())
    assert "recognized 5, rejected 1, failed 0" in text
    for personal in ("HUZHAO", "EP435", "1985"):
        assert personal not in text


def test_workers_must_be_positive() -> None:
    with pytest.raises(ConfigError, match="at least 1"):
        run_batch([], CannedProvider, FolderWriter(Path("/nonexistent")), workers=0)  # type: ignore[arg-type]


def test_local_store_refs_of_a_folder_source(scans: Path) -> None:
    opened = open_source(parse_source(str(scans)), cli_settings("local", environ={}))
    assert isinstance(opened.store, LocalStore)
    refs = list(opened.refs())
    stat = (scans / "a.png").stat()
    assert refs[0] == ObjectRef(
        cloud="local",
        bucket="scans",
        key="a.png",
        size=stat.st_size,
        etag=f"{stat.st_size:x}-{stat.st_mtime_ns:x}",  # the file's version: size and mtime
    )
    assert opened.store.fetch(refs[0]) == (scans / "a.png").read_bytes()


# -- OBS and COS listings, on their SDKs against the signature-checking stubs -----------------

OBS_AK, OBS_SK, OBS_TOKEN = "OBSTEMPAK01", "obs-secret", "obs-token"
COS_ID, COS_KEY, COS_TOKEN = "AKIDcosTemp01", "cos-secret", "cos-token"
LISTED = [f"uploads/{n} 张三.jpg" for n in range(5)]


@pytest.fixture
def obs_server() -> Any:
    from tests.stubs.obs import ObsStub
    from tests.stubs.server import StubServer

    stub = ObsStub(OBS_AK, OBS_SK, OBS_TOKEN)
    for key in [*LISTED, "other/x.jpg"]:
        stub.put("scans", key, key.encode())
    stub.put("elsewhere", "uploads/y.jpg", b"y")
    with StubServer(stub) as server:
        yield stub, server


@pytest.fixture
def cos_server() -> Any:
    from tests.stubs.cos import CosStub
    from tests.stubs.server import StubServer

    stub = CosStub(COS_ID, COS_KEY, COS_TOKEN)
    for key in [*LISTED, "other/x.jpg"]:
        stub.put(key, key.encode())
    with StubServer(stub) as server:
        yield stub, server


def test_obs_listing_pages_by_marker(obs_server: Any) -> None:
    from obs import ObsClient

    from passport_ocr.tools.batch.sources import list_obs

    stub, server = obs_server
    client = ObsClient(
        access_key_id=OBS_AK,
        secret_access_key=OBS_SK,
        security_token=OBS_TOKEN,
        server=server.url,
        path_style=True,
    )
    listed = list(list_obs(client, "scans", "uploads/", page_size=2))
    assert [item.key for item in listed] == LISTED
    assert [item.size for item in listed] == [len(key.encode()) for key in LISTED]
    pages = [r for r in server.requests if r.method == "GET"]
    assert len(pages) == 3 and stub.auth_failures == []


def test_obs_source_lists_and_fetches_through_the_store(
    obs_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    stub, server = obs_server
    for name, value in {"HUAWEICLOUD_SDK_AK": OBS_AK, "HUAWEICLOUD_SDK_SK": OBS_SK,
                        "HUAWEICLOUD_SDK_SECURITY_TOKEN": OBS_TOKEN}.items():  # fmt: skip
        monkeypatch.setenv(name, value)
    settings = cli_settings("local", environ={"PASSPORT_OCR_STORAGE_ENDPOINT": server.url})
    opened = open_source(parse_source("obs://scans/uploads/"), settings)
    refs = list(opened.refs())
    assert [(ref.cloud, ref.bucket, ref.key) for ref in refs] == [
        ("huaweicloud", "scans", key) for key in LISTED
    ]
    assert opened.store.fetch(refs[1]) == LISTED[1].encode()
    assert stub.auth_failures == []


def test_cos_listing_pages_and_the_source_fetches(
    cos_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    stub, server = cos_server
    for name, value in {"TENCENTCLOUD_SECRETID": COS_ID, "TENCENTCLOUD_SECRETKEY": COS_KEY,
                        "TENCENTCLOUD_SESSIONTOKEN": COS_TOKEN}.items():  # fmt: skip
        monkeypatch.setenv(name, value)
    from qcloud_cos import CosConfig, CosS3Client

    from passport_ocr.tools.batch.sources import list_cos

    host = server.url.removeprefix("http://")
    config = CosConfig(Region="ap-guangzhou", SecretId=COS_ID, SecretKey=COS_KEY,
                       Token=COS_TOKEN, Scheme="http", Domain=host)  # fmt: skip
    listed = list(list_cos(CosS3Client(config), "scans-1250000000", "uploads/", page_size=2))
    assert [item.key for item in listed] == LISTED

    settings = cli_settings("local", environ={"PASSPORT_OCR_STORAGE_ENDPOINT": server.url})
    opened = open_source(parse_source("cos://scans-1250000000/uploads/"), settings)
    refs = list(opened.refs())
    assert [ref.key for ref in refs] == LISTED
    assert opened.store.fetch(refs[4]) == LISTED[4].encode()
    assert stub.auth_failures == []


def test_failures_in_a_row_stop_the_batch_and_a_success_resets_the_count(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for index in range(12):
        width = 700 if index not in (3,) else 640  # page 3 is read, the others throttled
        (folder / f"p{index:02}.png").write_bytes(png(width))
    throttled = ProviderError(
        "throttled", vendor="huawei", category=ProviderCategory.THROTTLED, retryable=True
    )
    provider = CannedProvider(errors={700: throttled})
    source = parse_source(str(folder))
    settings = cli_settings("local", environ={})
    opened = open_source(source, settings)
    pipeline = cli_pipeline(settings, opened.store, provider)
    items = [(ref, source.uri(ref.key)) for ref in opened.refs()]
    with pytest.raises(BatchAbortedError) as stopped:
        run_batch(
            items, pipeline.process, open_writer(str(tmp_path / "out")), max_failures_in_a_row=4
        )
    summary = stopped.value.summary
    assert stopped.value.code == "batch.failing" and summary.aborted == "batch.failing"
    assert "4 objects failed in a row (last: provider.throttled)" in stopped.value.message
    # p00-p02 fail (3), p03 is read and resets, p04-p07 fail (4): stop. The one object the
    # runner had already started (it keeps two per worker in flight) finishes; no more start.
    assert summary.outcomes["recognized"] == 1
    assert 7 <= summary.outcomes["failed"] <= 8  # of the 11 that would fail
    # The batch is 12 objects: what the stop left unread is counted, never called done.
    assert summary.batch()["not_read"] == 12 - summary.processed > 0 and not summary.clean
    assert f"not read yet {12 - summary.processed}" in summary.lines()[5]


def test_a_replaced_object_is_read_again_and_force_reads_everything(
    scans: Path, tmp_path: Path
) -> None:
    out = str(tmp_path / "out")
    provider = CannedProvider()
    first = run_folder(scans, out, provider)
    assert first.skipped == 0
    replaced = scans / "a.png"
    replaced.write_bytes(png(660))  # a new upload under the same name
    os.utime(replaced, ns=(replaced.stat().st_atime_ns, replaced.stat().st_mtime_ns + 10**9))
    second = run_folder(scans, out, provider)
    assert (second.processed, second.skipped) == (1, first.processed - 1)
    source = parse_source(str(scans))
    settings = cli_settings("local", environ={})
    opened = open_source(source, settings)
    pipeline = cli_pipeline(settings, opened.store, provider)
    items = [
        (ref, source.uri(ref.key)) for ref in opened.refs() if included(ref.key, DEFAULT_INCLUDE)
    ]
    forced = run_batch(items, pipeline.process, open_writer(out), force=True)
    assert (forced.processed, forced.skipped) == (first.processed, 0)


# -- the whole batch, across runs ----------------------------------------------------------------


@pytest.mark.parametrize("output", ["out", "out.jsonl"])
def test_a_rerun_reports_the_whole_batch_and_names_what_has_no_record(
    scans: Path, tmp_path: Path, output: str
) -> None:
    out = str(tmp_path / output)
    throttled = ProviderError(
        "throttled", vendor="huawei", category=ProviderCategory.THROTTLED, retryable=True
    )
    provider = CannedProvider(errors={700: throttled})  # c.PNG is the 700 px page
    first = run_folder(scans, out, provider)
    assert first.outcomes == {"recognized": 4, "rejected": 1, "failed": 1}

    # The rerun reads only c.PNG again (still throttled); broken.jpg stays rejected.
    second = run_folder(scans, out, provider)
    assert second.outcomes == {"failed": 1} and second.skipped == 5
    assert second.batch() == {
        "objects": 6,
        "recognized": 4,
        "rejected": 1,
        "failed": 1,
        "not_read": 0,
        "statuses": first.batch()["statuses"],
    }
    assert not second.clean
    doc = second.to_dict()
    assert doc["rejected"] == 0  # this run rejected nothing; the batch still holds one
    assert doc["rejected_keys"] == [
        {"source": str(scans / "broken.jpg"), "key": "broken.jpg", "error": "image.truncated"}
    ]
    assert doc["failed_keys"] == [
        {"source": str(scans / "c.PNG"), "key": "c.PNG", "error": "provider.throttled"}
    ]
    text = second.lines()
    assert "whole batch: 6 objects: recognized 4, rejected 1, failed 0" not in text
    assert "whole batch: 6 objects: recognized 4, rejected 1, failed 1" in text
    assert text[text.index("rejected (1):") + 1] == f"  {scans / 'broken.jpg'} (image.truncated)"
    failed_at = text.index("failed, tried again on the next run (1):")
    assert text[failed_at + 1] == f"  {scans / 'c.PNG'} (provider.throttled)"

    provider.errors.clear()
    third = run_folder(scans, out, provider)
    assert third.batch()["recognized"] == 5 and third.failed == []
    assert [item.key for item in third.rejected] == ["broken.jpg"]


def test_the_text_summary_lists_at_most_twenty_objects_of_a_kind() -> None:
    summary = Summary()
    for index in range(23):
        summary.add(ItemResult(f"/scans/{index:02}.jpg", f"{index:02}.jpg", "failed"))
    text = summary.lines()
    at = text.index("failed, tried again on the next run (23):")
    assert text[at + 1] == "  /scans/00.jpg (None)" and text[at + 20] == "  /scans/19.jpg (None)"
    assert text[at + 21] == "  and 3 more objects (--summary json lists them all)"
    assert len(summary.to_dict()["failed_keys"]) == 23


def test_one_object_is_counted_in_the_singular() -> None:
    summary = Summary(listed=1)
    summary.add(ItemResult("/scans/a.jpg", "a.jpg", "failed"))
    assert summary.lines()[0].startswith("this run: processed 1 object in ")
    assert "whole batch: 1 object: recognized 0, rejected 0, failed 1" in summary.lines()


def test_a_replaced_s3_object_is_read_again_by_its_new_etag(
    moto_server: Moto, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_REGION": "eu-central-1",
        "AWS_ENDPOINT_URL_S3": moto_server.url,
    }.items():
        monkeypatch.setenv(name, value)
    s3 = moto_server.client("s3")
    bucket = "batch-rerun-etag"
    s3.create_bucket(
        Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-central-1"}
    )
    for key in ("uploads/a.png", "uploads/b.png"):
        s3.put_object(Bucket=bucket, Key=key, Body=png())
    provider = CannedProvider()

    def run(output: str, *, force: bool = False) -> Summary:
        source = parse_source(f"s3://{bucket}/uploads/")
        settings = cli_settings("local", environ={})
        opened = open_source(source, settings)
        pipeline = cli_pipeline(settings, opened.store, provider)
        items = [(ref, source.uri(ref.key)) for ref in opened.refs()]
        return run_batch(items, pipeline.process, open_writer(output), force=force)

    output = str(tmp_path / "results.jsonl")
    first = run(output)
    assert (first.processed, first.skipped) == (2, 0)
    again = run(output)
    assert (again.processed, again.skipped) == (0, 2)
    assert again.batch()["recognized"] == 2 and again.clean
    s3.put_object(Bucket=bucket, Key="uploads/a.png", Body=png(660))  # a new ETag
    replaced = run(output)
    assert (replaced.processed, replaced.skipped) == (1, 1)
    assert replaced.batch()["objects"] == 2
    forced = run(output, force=True)
    assert (forced.processed, forced.skipped) == (2, 0)
