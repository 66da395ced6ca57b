"""Where a batch comes from: a folder, or a bucket prefix on S3, OBS or COS.

    ./scans                      every file under the folder (the folder is the "bucket")
    s3://bucket/prefix           AWS S3 (boto3's credential chain; AWS_ENDPOINT_URL_S3 works)
    obs://bucket/prefix          Huawei OBS (HUAWEICLOUD_SDK_AK / _SK [/ _SECURITY_TOKEN])
    cos://bucket-appid/prefix    Tencent COS (TENCENTCLOUD_SECRET_ID / _KEY, or SCF's names)

Listing is lazy and paged, so a bucket of a million scans starts at once and never sits
in memory whole. The store returned with the listing is the same `ObjectStore` the
functions use, so every object then goes through the functions' own pipeline.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from passport_ocr.clouds import BY_SCHEME
from passport_ocr.config import Settings
from passport_ocr.errors import ConfigError, StorageError
from passport_ocr.events.base import Cloud, ObjectRef
from passport_ocr.images import SUFFIX_FORMATS
from passport_ocr.storage.base import ObjectStore

Scheme = Literal["file", "s3", "obs", "cos"]

_CLOUD: Mapping[str, Cloud] = BY_SCHEME
#: Image suffixes processed by default: what the preflight reads (the rest is skipped).
DEFAULT_INCLUDE: tuple[str, ...] = tuple(
    f"*{suffix}" for suffix in (*SUFFIX_FORMATS, ".webp", ".gif")
)
_PAGE_SIZE = 1000


@dataclass(frozen=True)
class Source:
    """A parsed SOURCE argument."""

    scheme: Scheme
    bucket: str
    prefix: str = ""
    #: For folders: the folder's parent (the store's root); the folder name is the bucket.
    root: Path | None = None

    @property
    def cloud(self) -> Cloud:
        return _CLOUD[self.scheme]

    def uri(self, key: str) -> str:
        """How the command line names one object of this source."""
        if self.scheme == "file":
            assert self.root is not None
            return str(self.root / self.bucket / key)
        return f"{self.scheme}://{self.bucket}/{key}"


@dataclass(frozen=True)
class Listed:
    key: str
    size: int | None = None
    etag: str | None = None


def parse_source(text: str) -> Source:
    """`s3://b/p`, `obs://b/p`, `cos://b-appid/p`, or a folder (which must exist)."""
    scheme, sep, rest = text.partition("://")
    if not sep:
        folder = Path(text).expanduser().resolve()
        if not folder.is_dir():
            raise ConfigError(f"{text} is not a folder (or give s3://, obs:// or cos://)")
        if folder.parent == folder:
            raise ConfigError("the filesystem root cannot be a source: name a folder in it")
        return Source("file", folder.name, "", folder.parent)
    if scheme not in ("s3", "obs", "cos"):
        raise ConfigError(f"unknown source scheme {scheme}://: use s3://, obs:// or cos://")
    bucket, _, prefix = rest.partition("/")
    if not bucket:
        raise ConfigError(f"{text} names no bucket")
    if scheme == "cos" and "-" not in bucket:
        raise ConfigError("a COS bucket is named name-appid, e.g. cos://passports-1250000000/")
    return Source(scheme, bucket, prefix)  # type: ignore[arg-type]


def included(key: str, patterns: Iterable[str]) -> bool:
    """Whether the key's file name matches any pattern (case-insensitive); hidden names never."""
    name = PurePosixPath(key).name
    if not name or name.startswith("."):
        return False
    return any(fnmatch.fnmatch(name.lower(), pattern.lower()) for pattern in patterns)


Filter = tuple[Literal["include", "exclude"], str]


def selected(relative_key: str, filters: Sequence[Filter]) -> bool:
    """`aws s3 cp --exclude/--include` semantics on the key relative to the source: the
    filters apply in order, and the last one that matches decides. Before them, the image
    suffixes are selected, or nothing when the first filter is an --include (so that
    `--include '*.heic'` alone means just those). Patterns match the whole relative path
    (`*` also matches `/`), case-insensitively; hidden names are never selected."""
    name = PurePosixPath(relative_key).name
    if not name or name.startswith("."):
        return False
    chosen = bool(filters) and filters[0][0] == "include"
    chosen = False if chosen else included(relative_key, DEFAULT_INCLUDE)
    path = relative_key.lower()
    for kind, pattern in filters:
        if fnmatch.fnmatch(path, pattern.lower()):
            chosen = kind == "include"
    return chosen


def listed_ref(source: Source, item: Listed, *, region: str | None = None) -> ObjectRef:
    """The object as its trigger event names it: listings quote the ETag, events do not, and
    the object id (hence the results key) must be the one the deployed function computes."""
    etag = item.etag.strip('"') if item.etag else None
    return ObjectRef(cloud=source.cloud, region=region, bucket=source.bucket, key=item.key,
                     size=item.size, etag=etag)  # fmt: skip


def object_refs(
    source: Source, listing: Iterable[Listed], *, region: str | None = None
) -> Iterator[ObjectRef]:
    for item in listing:
        yield listed_ref(source, item, region=region)


# -- listing ------------------------------------------------------------------------------


def list_folder(folder: Path) -> Iterator[Listed]:
    """Every file under `folder`, sorted, skipping hidden files and folders."""
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(name for name in dirnames if not name.startswith("."))
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if name.startswith(".") or not path.is_file():
                continue
            stat = path.stat()
            # Size and modification time stand for the version, as an ETag does in a
            # bucket: a replaced file is a new object version, read again on resume.
            version = f"{stat.st_size:x}-{stat.st_mtime_ns:x}"
            yield Listed(path.relative_to(folder).as_posix(), stat.st_size, version)


def list_s3(
    client: Any, bucket: str, prefix: str, *, page_size: int = _PAGE_SIZE
) -> Iterator[Listed]:
    from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError  # noqa: PLC0415

    from passport_ocr.storage.s3 import no_aws_credentials  # noqa: PLC0415

    try:
        pages = client.get_paginator("list_objects_v2").paginate(
            Bucket=bucket, Prefix=prefix, PaginationConfig={"PageSize": page_size}
        )
        for page in pages:
            for item in page.get("Contents", []):
                yield Listed(item["Key"], int(item.get("Size", 0)), item.get("ETag"))
    except ClientError as error:
        code = str(error.response.get("Error", {}).get("Code", "")) or "error"
        raise StorageError(f"cannot list s3://{bucket}/{prefix} ({code})", permanent=True,
                           code="storage.list_failed") from error  # fmt: skip
    except NoCredentialsError:
        raise no_aws_credentials() from None
    except (BotoCoreError, OSError) as error:
        raise _unreachable("S3", error) from error


def list_obs(
    client: Any, bucket: str, prefix: str, *, page_size: int = _PAGE_SIZE
) -> Iterator[Listed]:
    """ObsClient answers errors as a status, and pages by marker (NextMarker or last key)."""
    marker: str | None = None
    while True:
        try:
            answer = client.listObjects(bucket, prefix=prefix or None, marker=marker,
                                        max_keys=page_size)  # fmt: skip
        except OSError as error:
            raise _unreachable("OBS", error) from error
        status = getattr(answer, "status", None)
        if not isinstance(status, int) or status >= 300:
            code = getattr(answer, "errorCode", None) or status
            raise StorageError(f"cannot list obs://{bucket}/{prefix} ({code})", permanent=True,
                               code="storage.list_failed")  # fmt: skip
        body = answer.body
        contents = list(body.contents or [])
        for item in contents:
            yield Listed(str(item.key), int(item.size or 0), item.etag)
        if not body.is_truncated or not contents:
            return
        marker = body.next_marker or str(contents[-1].key)


def list_cos(
    client: Any, bucket: str, prefix: str, *, page_size: int = _PAGE_SIZE
) -> Iterator[Listed]:
    from qcloud_cos.cos_exception import CosClientError, CosServiceError  # noqa: PLC0415

    marker = ""
    while True:
        try:
            answer = client.list_objects(Bucket=bucket, Prefix=prefix, Marker=marker,
                                         MaxKeys=page_size)  # fmt: skip
        except CosServiceError as error:
            raise StorageError(
                f"cannot list cos://{bucket}/{prefix} ({error.get_error_code()})",
                permanent=True,
                code="storage.list_failed",
            ) from error
        except (CosClientError, OSError) as error:
            raise _unreachable("COS", error) from error
        contents = answer.get("Contents") or []
        for item in contents:
            yield Listed(str(item["Key"]), int(item.get("Size") or 0), item.get("ETag"))
        if str(answer.get("IsTruncated", "false")).lower() != "true" or not contents:
            return
        marker = answer.get("NextMarker") or str(contents[-1]["Key"])


def _unreachable(service: str, error: BaseException) -> StorageError:
    return StorageError(f"{service} unreachable while listing ({type(error).__name__})",
                        permanent=False, code="storage.unavailable")  # fmt: skip


# -- stores and listings per scheme ---------------------------------------------------------


@dataclass
class OpenedSource:
    source: Source
    store: ObjectStore
    listing: Iterable[Listed]
    region: str | None = None

    def refs(self) -> Iterator[ObjectRef]:
        return object_refs(self.source, self.listing, region=self.region)


def open_source(source: Source, settings: Settings) -> OpenedSource:
    """The store to read objects with and the lazy listing of the objects, per scheme."""
    if source.scheme == "file":
        from passport_ocr.storage.local import LocalStore  # noqa: PLC0415

        assert source.root is not None
        folder = source.root / source.bucket
        return OpenedSource(source, LocalStore(source.root), list_folder(folder))
    if source.scheme == "s3":
        return _open_s3(source, settings)
    if source.scheme == "obs":
        return _open_obs(source, settings)
    return _open_cos(source, settings)


def _open_s3(source: Source, settings: Settings) -> OpenedSource:
    import boto3  # noqa: PLC0415 (the aws extra)

    from passport_ocr.storage.s3 import S3Store  # noqa: PLC0415

    region = settings.region or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
    client = boto3.client("s3", region_name=region, endpoint_url=settings.storage_endpoint)
    store = S3Store(client=client)
    return OpenedSource(source, store, list_s3(client, source.bucket, source.prefix), region)


def _open_obs(source: Source, settings: Settings) -> OpenedSource:
    from obs import ObsClient  # noqa: PLC0415 (the huaweicloud extra)

    from passport_ocr.credentials import (  # noqa: PLC0415
        huawei_credentials_from_env,
        huawei_credentials_provider,
    )
    from passport_ocr.storage.obs import ObsStore, obs_server  # noqa: PLC0415

    region = settings.region or settings.huawei_region
    server = obs_server(region, settings.storage_endpoint)
    path_style = settings.storage_endpoint is not None
    store = ObsStore(huawei_credentials_provider(), server, path_style=path_style)
    credentials = huawei_credentials_from_env()
    client = ObsClient(
        access_key_id=credentials.access_key,
        secret_access_key=credentials.secret_key,
        security_token=credentials.security_token,
        server=server,
        path_style=path_style,
    )
    return OpenedSource(source, store, list_obs(client, source.bucket, source.prefix), region)


def _open_cos(source: Source, settings: Settings) -> OpenedSource:
    from qcloud_cos import CosConfig, CosS3Client  # noqa: PLC0415 (the tencentcloud extra)

    from passport_ocr.credentials import (  # noqa: PLC0415
        tencent_credentials_from_env,
        tencent_credentials_provider,
    )
    from passport_ocr.storage.cos import CosStore  # noqa: PLC0415

    region = settings.region or os.environ.get("TENCENTCLOUD_REGION") or settings.tencent_region
    endpoint = settings.storage_endpoint
    store = CosStore.from_endpoint(tencent_credentials_provider(), region, endpoint)
    credentials = tencent_credentials_from_env()
    scheme, _, host = (endpoint or "").rpartition("://")
    config = CosConfig(
        Region=region,
        SecretId=credentials.access_key,
        SecretKey=credentials.secret_key,
        Token=credentials.security_token,
        Scheme=scheme or "https",
        Domain=host or None,
    )
    client = CosS3Client(config, retry=1)
    return OpenedSource(source, store, list_cos(client, source.bucket, source.prefix), region)
