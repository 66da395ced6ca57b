"""LocalStore: the command line's filesystem store (a root folder, one folder per bucket)."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.request import urlopen

import pytest

from passport_ocr.errors import StorageError
from passport_ocr.events.base import ObjectRef
from passport_ocr.storage.local import LocalStore

KEY = "uploads/Zoë Doe+scan 1%.jpg"


@pytest.fixture
def store(tmp_path: Path) -> LocalStore:
    target = tmp_path / "scans" / KEY
    target.parent.mkdir(parents=True)
    target.write_bytes(b"\xff\xd8\xff" + b"\x00" * 997)
    return LocalStore(tmp_path)


def ref(key: str = KEY, bucket: str = "scans") -> ObjectRef:
    return ObjectRef(cloud="local", bucket=bucket, key=key)


def test_fetch_and_head(store: LocalStore) -> None:
    assert len(store.fetch(ref())) == 1000
    assert store.head(ref()).size == 1000


def test_too_large_is_refused_reading_one_byte_past_the_limit(store: LocalStore) -> None:
    with pytest.raises(StorageError) as caught:
        store.fetch(ref(), max_bytes=999)
    assert caught.value.code == "storage.too_large"


def test_missing_object(store: LocalStore) -> None:
    with pytest.raises(StorageError) as caught:
        store.fetch(ref("nope.jpg"))
    assert (caught.value.code, caught.value.permanent) == ("storage.not_found", True)


@pytest.mark.parametrize(
    ("bucket", "key"), [("scans", "../../etc/passwd"), ("..", "x"), ("a/b", "k")]
)
def test_names_escaping_the_root_are_refused(store: LocalStore, bucket: str, key: str) -> None:
    with pytest.raises(StorageError) as caught:
        store.fetch(ref(key, bucket))
    assert caught.value.code == "storage.bad_key"


def test_signed_url_is_a_readable_file_url(store: LocalStore) -> None:
    with urlopen(store.signed_url(ref())) as answer:
        assert len(answer.read()) == 1000


def test_put_json_writes_the_record(store: LocalStore, tmp_path: Path) -> None:
    store.put_json("out", "results/a b.json", {"status": "valid", "n": 1})
    written = tmp_path / "out" / "results" / "a b.json"
    assert json.loads(written.read_text(encoding="utf-8")) == {"status": "valid", "n": 1}
    assert not list(written.parent.glob("*.tmp"))


def test_unserialisable_record_is_a_typed_error(store: LocalStore) -> None:
    looped: dict[str, object] = {}
    looped["self"] = looped
    with pytest.raises(StorageError) as caught:
        store.put_json("out", "x.json", looped)
    assert caught.value.code == "storage.bad_record"
