"""One result document per object, to a folder or a JSONL file, and what is already done.

A result is written only once an object has its outcome (`recognized` or `rejected`):
an object that failed transiently (throttling after retries, a network error) leaves no
result, so the next run of the same command picks it up again (resume).

Folder output: `OUT/<readable key>.<key hash>.json` (one file per object, written
atomically): the readable part keeps the key's folders (segments cut to a length every file
system takes, `.`/`..`/empty ones as `_`), the hash of the whole key makes keys that read the
same (`a//x.jpg`, `a/./x.jpg`, `a/_/x.jpg`) different files. The key itself is in the file.
JSONL output: one document per line, appended and flushed one line at a time; a line cut
short by a crash is ignored when resuming (its object is simply processed again).
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

from passport_ocr.errors import PassportOcrError, StorageError
from passport_ocr.pipeline import Outcome
from passport_ocr.publishing.envelope import error_summary

OutcomeKind = Literal["recognized", "rejected", "failed"]


@dataclass(frozen=True)
class ItemResult:
    """What happened to one object (the document written, plus what the summary counts)."""

    source: str
    key: str
    kind: OutcomeKind
    outcome: Outcome | None = None
    error: BaseException | None = None

    @property
    def status(self) -> str | None:
        record = self.outcome.record if self.outcome else None
        return record.status.value if record else None

    @property
    def finding_codes(self) -> list[str]:
        record = self.outcome.record if self.outcome else None
        return record.finding_codes() if record else []

    @property
    def error_code(self) -> str | None:
        if self.outcome is not None and self.outcome.error is not None:
            return self.outcome.error.code
        if self.error is None:
            return None
        code = getattr(self.error, "code", None)
        return code if isinstance(code, str) else type(self.error).__name__

    def document(self) -> dict[str, Any]:
        """The JSON written for this object: the full record when there is one."""
        outcome = self.outcome
        record = outcome.record if outcome else None
        error: dict[str, Any] | None = None
        if outcome is not None and outcome.error is not None:
            error = error_summary(outcome.error)
        elif self.error is not None:
            message = (
                self.error.message
                if isinstance(self.error, PassportOcrError)
                else type(self.error).__name__
            )
            error = {"code": self.error_code, "message": message}
        return {
            "source": self.source,
            "key": self.key,
            "object_id": outcome.ref.object_id if outcome else None,
            "outcome": self.kind,
            "status": self.status,
            "findings": self.finding_codes,
            "record": record.model_dump(mode="json") if record else None,
            "error": error,
            "timings_ms": dict(outcome.timings_ms) if outcome else {},
        }


@dataclass(frozen=True)
class StoredResult:
    """What an earlier run wrote for a key: its version, and what the batch summary counts."""

    object_id: str | None
    kind: OutcomeKind
    status: str | None = None
    error_code: str | None = None


def stored_result(document: Any) -> StoredResult | None:
    """The summary of a result document; None for what is no result of ours (resumed as
    if absent: the object is read again)."""
    if not isinstance(document, dict) or document.get("outcome") not in ("recognized", "rejected"):
        return None

    def text(value: Any) -> str | None:
        return value if isinstance(value, str) else None

    error = document.get("error")
    return StoredResult(
        object_id=text(document.get("object_id")),
        kind=document["outcome"],
        status=text(document.get("status")),
        error_code=text(error.get("code")) if isinstance(error, dict) else None,
    )


class ResultWriter(Protocol):
    def is_done(self, key: str) -> bool:
        """Whether the object already has a result."""
        ...

    def done_id(self, key: str) -> str | None:
        """The object id (its version) the key's result was made for; None: no result.
        Resuming skips an object only when that is its id today: a replaced one is read
        again."""
        ...

    def stored(self, key: str) -> StoredResult | None:
        """The key's result from an earlier run, if any (for the whole batch's summary)."""
        ...

    def write(self, result: ItemResult) -> None: ...

    def close(self) -> None: ...


#: Bytes of one readable segment: file systems take 255 per name, and the last one gets the
#: hash and `.json` appended.
_MAX_SEGMENT_BYTES = 120


def _cut(segment: str) -> str:
    """At most `_MAX_SEGMENT_BYTES` of UTF-8, never splitting a character."""
    return segment.encode("utf-8")[:_MAX_SEGMENT_BYTES].decode("utf-8", errors="ignore")


def _safe_parts(key: str) -> list[str]:
    """Path segments for a key that can never leave the output folder, each short enough."""
    return [_cut(part) if part not in ("", ".", "..") else "_" for part in key.split("/")]


def _key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", errors="surrogatepass")).hexdigest()[:12]


@dataclass
class FolderWriter:
    folder: Path

    def path_for(self, key: str) -> Path:
        parts = _safe_parts(key)
        return self.folder.joinpath(*parts[:-1], f"{parts[-1]}.{_key_hash(key)}.json")

    def is_done(self, key: str) -> bool:
        return self.path_for(key).is_file()

    def done_id(self, key: str) -> str | None:
        found = self.stored(key)
        return found.object_id if found else None

    def stored(self, key: str) -> StoredResult | None:
        try:
            document = json.loads(self.path_for(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):  # none yet, or cut short: made again
            return None
        return stored_result(document)

    def write(self, result: ItemResult) -> None:
        path = self.path_for(result.key)
        body = json.dumps(result.document(), ensure_ascii=False, indent=2) + "\n"
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_name(path.name + ".tmp")
            temporary.write_text(body, encoding="utf-8")
            temporary.replace(path)
        except OSError as error:
            raise StorageError(
                f"cannot write the result file ({error.strerror})",
                permanent=False,
                code="storage.output",
            ) from error

    def close(self) -> None:
        """Nothing is held open."""


@dataclass
class JsonlWriter:
    path: Path
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _file: Any = field(default=None, repr=False)
    _done: dict[str, StoredResult] | None = field(default=None, repr=False)

    def is_done(self, key: str) -> bool:
        return key in self._results()

    def done_id(self, key: str) -> str | None:
        found = self.stored(key)
        return found.object_id if found else None

    def stored(self, key: str) -> StoredResult | None:
        return self._results().get(key)

    def _results(self) -> dict[str, StoredResult]:
        """Key -> its last result (a later line wins: a replaced object's new result),
        read once, at the first question."""
        if self._done is None:
            self._done = {}
            for doc in read_jsonl(self.path):
                found = stored_result(doc)
                if found is not None and isinstance(doc.get("key"), str):
                    self._done[doc["key"]] = found
        return self._done

    def write(self, result: ItemResult) -> None:
        line = json.dumps(result.document(), ensure_ascii=False) + "\n"
        with self._lock:
            try:
                if self._file is None:
                    self.path.parent.mkdir(parents=True, exist_ok=True)
                    self._file = self.path.open("a", encoding="utf-8")
                    if _ends_mid_line(self.path):  # a crash cut the last line short
                        self._file.write("\n")
                self._file.write(line)
                self._file.flush()
            except OSError as error:
                raise StorageError(
                    f"cannot append to the results file ({error.strerror})",
                    permanent=False,
                    code="storage.output",
                ) from error

    def close(self) -> None:
        with self._lock:
            if self._file is not None:
                self._file.close()
                self._file = None


def _ends_mid_line(path: Path) -> bool:
    with path.open("rb") as file:
        if file.seek(0, 2) == 0:
            return False
        file.seek(-1, 2)
        return file.read(1) != b"\n"


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    """Every complete JSON object line of `path` (none when it does not exist)."""
    if not path.exists():
        return
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            try:
                doc = json.loads(line)
            except ValueError:
                continue  # a line cut short by a crash
            if isinstance(doc, dict):
                yield doc


def stored_documents(output: str) -> dict[str, dict[str, Any]]:
    """Key -> the result document `output` holds for it (a JSONL file: its last line for
    the key; a folder: every `*.json` in it): what earlier runs wrote (`process --report`).
    Only documents `stored_result` takes for ours, as resuming does."""
    path = Path(output).expanduser()
    documents: dict[str, dict[str, Any]] = {}
    if path.suffix.lower() == ".jsonl":
        found: Iterator[dict[str, Any]] = read_jsonl(path)
    else:
        found = _folder_documents(path)
    for document in found:
        if isinstance(document.get("key"), str) and stored_result(document) is not None:
            documents[document["key"]] = document
    return documents


def _folder_documents(folder: Path) -> Iterator[dict[str, Any]]:
    for path in sorted(folder.rglob("*.json")) if folder.is_dir() else ():
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):  # cut short: made again by the next run
            continue
        if isinstance(document, dict):
            yield document


def open_writer(output: str) -> ResultWriter:
    """`*.jsonl` is a JSONL file; anything else a folder (refused: a bucket URL, a `.json`
    file name, an existing file)."""
    if "://" in output:
        raise StorageError(
            f"{output}: results are written to a local folder or a .jsonl file; copy them to "
            "a bucket afterwards (e.g. aws s3 sync, obsutil sync, coscli sync)",
            permanent=True,
            code="storage.output",
        )
    path = Path(output).expanduser()
    if path.suffix.lower() == ".json":
        raise StorageError(
            f"{output}: one .json file cannot hold a batch: name a .jsonl file (a record "
            "per line) or a folder (a JSON file per object)",
            permanent=True,
            code="storage.output",
        )
    if path.suffix.lower() == ".jsonl":
        if path.is_dir():
            raise StorageError(f"{output} is a folder", permanent=True, code="storage.output")
        return JsonlWriter(path)
    if path.exists() and not path.is_dir():
        raise StorageError(
            f"{output} is a file: give a folder, or a .jsonl file name",
            permanent=True,
            code="storage.output",
        )
    return FolderWriter(path)
