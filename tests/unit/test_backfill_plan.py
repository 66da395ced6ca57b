"""Backfill's resume file and its pace: pure parts, no cloud."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from passport_ocr.errors import ConfigError
from passport_ocr.events.base import ObjectRef
from passport_ocr.tools.backfill import handoff
from passport_ocr.tools.backfill.plan import BackfillState
from passport_ocr.tools.batch.ratelimit import TokenBucket


def test_the_state_file_resumes_and_ignores_a_line_cut_short(tmp_path: Path) -> None:
    path = tmp_path / "state.jsonl"
    state = BackfillState.load(path, "s3://b/p")
    state.record(["p/a.jpg", "p/李.jpg"])
    state.record(["p/c.jpg"])
    with path.open("a", encoding="utf-8") as file:
        file.write('{"key": "p/cut')  # a crash mid-line
    assert BackfillState.load(path, "s3://b/p").handed_off == {"p/a.jpg", "p/李.jpg", "p/c.jpg"}


def test_a_state_file_of_another_source_or_no_state_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "state.jsonl"
    BackfillState.load(path, "s3://b/p").record(["p/a.jpg"])
    with pytest.raises(ConfigError, match="another source"):
        BackfillState.load(path, "s3://b/other")
    other = tmp_path / "notes.txt"
    other.write_text("hello\n")
    with pytest.raises(ConfigError, match="not a backfill state file"):
        BackfillState.load(other, "s3://b/p")


class Recorder:
    batch_size = 10

    def __init__(self) -> None:
        self.batches: list[int] = []

    def send(self, refs: Sequence[ObjectRef]) -> None:
        self.batches.append(len(refs))


def test_deliver_takes_one_token_per_object_at_the_rate() -> None:
    now = [0.0]

    def sleep(seconds: float) -> None:
        now[0] += seconds

    bucket = TokenBucket(5.0, clock=lambda: now[0], sleep=sleep)
    refs = [ObjectRef(cloud="aws", bucket="b", key=f"k{n}.jpg") for n in range(25)]
    sender = Recorder()
    summary = handoff.deliver(refs, sender, bucket=bucket, done=lambda _: None)
    assert sender.batches == [10, 10, 5]
    assert summary.handed_off == 25
    # 25 objects at 5/s with one token in hand: the last starts 24/5 s after the first.
    assert now[0] == pytest.approx(24 / 5)


def test_default_rates_come_from_the_vendor_table_or_are_named_conservative() -> None:
    assert handoff.default_rate("tencent") == (5.0, "the vendor's documented request rate")
    assert handoff.default_rate("huawei") == (2.0, "no published rate: a conservative default")
