"""A filesystem store for the command line: a root folder holds one folder per bucket.

`signed_url` answers a `file://` URL: no vendor can download it, so `choose_transfer`
never picks URL mode for local objects (their cloud matches no OCR vendor's).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from passport_ocr.errors import StorageError
from passport_ocr.events.base import Cloud, ObjectRef
from passport_ocr.images import MAX_SOURCE_BYTES
from passport_ocr.storage.base import (
    DEFAULT_URL_EXPIRY_S,
    ObjectInfo,
    check_declared_size,
    check_received,
    json_bytes,
)


class LocalStore:
    cloud: Cloud = "local"

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self._root = Path(root).resolve()

    def path_for(self, bucket: str, key: str) -> Path:
        """The file for `bucket`/`key`, refusing names that would escape the root."""
        path = (self._root / bucket / key).resolve()
        if not bucket or "/" in bucket or not path.is_relative_to(self._root / bucket):
            raise StorageError(
                "object name leaves the store's root", permanent=True, code="storage.bad_key"
            )
        return path

    def _stat(self, ref: ObjectRef) -> tuple[Path, int]:
        path = self.path_for(ref.bucket, ref.key)
        try:
            size = path.stat().st_size
        except FileNotFoundError as error:
            raise StorageError(
                f"object {ref.object_id} not found", permanent=True, code="storage.not_found"
            ) from error
        except PermissionError as error:
            raise _denied(ref) from error
        if not path.is_file():
            raise StorageError(
                f"object {ref.object_id} is not a file", permanent=True, code="storage.not_found"
            )
        return path, size

    def head(self, ref: ObjectRef) -> ObjectInfo:
        _, size = self._stat(ref)
        return ObjectInfo(size=size)

    def fetch(self, ref: ObjectRef, max_bytes: int = MAX_SOURCE_BYTES) -> bytes:
        check_declared_size(ref, max_bytes)
        path, _ = self._stat(ref)
        try:
            with path.open("rb") as file:
                data = file.read(max_bytes + 1)
        except PermissionError as error:
            raise _denied(ref) from error
        except OSError as error:
            raise StorageError(
                f"object {ref.object_id} unreadable ({type(error).__name__})",
                permanent=False,
                code="storage.unavailable",
            ) from error
        return check_received(ref, data, max_bytes)

    def signed_url(self, ref: ObjectRef, expires_s: int = DEFAULT_URL_EXPIRY_S) -> str:
        del expires_s  # a file URL does not expire
        path, _ = self._stat(ref)
        return path.as_uri()

    def delete(self, ref: ObjectRef) -> None:
        path, _ = self._stat(ref)
        try:
            path.unlink()
        except PermissionError as error:
            raise _denied(ref) from error

    def put_json(self, bucket: str, key: str, doc: Mapping[str, Any]) -> None:
        self.put_bytes(bucket, key, json_bytes(doc), "application/json")

    def put_bytes(self, bucket: str, key: str, data: bytes, content_type: str) -> None:
        path = self.path_for(bucket, key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_name(path.name + ".tmp")
            temporary.write_bytes(data)
            temporary.replace(path)  # readers never see half a record
        except OSError as error:
            raise StorageError(
                f"cannot write result record ({type(error).__name__})",
                permanent=False,
                code="storage.unavailable",
            ) from error


def load_json(path: Path) -> Any:
    """Read back a record written by `put_json` (for the command line and tests)."""
    return json.loads(path.read_text(encoding="utf-8"))


def _denied(ref: ObjectRef) -> StorageError:
    """The function may not read the object: the operator's to fix, not the upload's fault."""
    return StorageError(
        f"access to object {ref.object_id} denied",
        permanent=False,
        operator=True,
        code="storage.denied",
    )
