"""Local sinks: one JSON line per event, to a stream or a JSONL file."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from passport_ocr.errors import ImageError, PublishError
from passport_ocr.publishing.envelope import CloudEvent, recognized_event, rejected_event
from passport_ocr.publishing.payload import PayloadPolicy
from passport_ocr.publishing.sinks import JsonlFileSink, StreamSink
from tests.publishing_helpers import NOW, MemoryStore, object_ref, specimen_record


def _events() -> list[CloudEvent]:
    policy = PayloadPolicy(mode="full", max_bytes=1 << 20, put_json=MemoryStore().put_json)
    return [
        recognized_event(object_ref(cloud="local", bucket="inbox"), specimen_record(), policy,
                         now=NOW),
        rejected_event(object_ref(cloud="local", bucket="inbox", key="b.jpg"),
                       ImageError("not_an_image", "this is a PDF"), now=NOW),
    ]  # fmt: skip


def test_stream_sink_writes_one_json_line_per_event() -> None:
    stream = io.StringIO()
    sink = StreamSink(stream)
    events = _events()

    ids = [sink.publish(event) for event in events]

    lines = stream.getvalue().splitlines()
    assert ids == [event.id for event in events]
    assert [CloudEvent.from_json(line) for line in lines] == events
    assert all(json.loads(line)["specversion"] == "1.0" for line in lines)


def test_closed_stream_is_a_publish_error() -> None:
    stream = io.StringIO()
    stream.close()

    with pytest.raises(PublishError, match="cannot write"):
        StreamSink(stream).publish(_events()[0])


def test_jsonl_file_sink_appends_and_reads_back(tmp_path: Path) -> None:
    sink = JsonlFileSink(tmp_path / "out" / "events.jsonl")
    events = _events()

    for event in events:
        sink.publish(event)
    sink.publish(events[0])  # appends, never rewrites

    assert sink.read() == [*events, events[0]]
    text = sink.path.read_text(encoding="utf-8")
    assert text.count("\n") == 3
    assert "李 四" in text  # UTF-8, not \u escapes


def test_jsonl_file_sink_reads_nothing_before_the_first_event(tmp_path: Path) -> None:
    assert JsonlFileSink(tmp_path / "none.jsonl").read() == []


def test_unwritable_jsonl_path_is_a_publish_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")

    with pytest.raises(PublishError, match="cannot append") as info:
        JsonlFileSink(blocker / "events.jsonl").publish(_events()[0])

    assert str(tmp_path) not in str(info.value)
