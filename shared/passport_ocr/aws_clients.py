"""Every AWS client the function builds comes from one botocore session.

`boto3.client(...)` is botocore's `Session.create_client` behind boto3's default session,
plus boto3's own layer: its resource factory and, on every S3 client, s3transfer's
`upload_file` / `download_file` methods. The function uses none of them, and importing and
wiring them cost about 17 ms of a Lambda cold start (README, "Bundles"). One session also
shares what botocore loads once per session (endpoint data, partitions, the credential chain)
across the S3, SNS, Textract and secret clients.

The session caches the credentials it first resolves, as boto3's default session does:
`forget_session` drops it (a SnapStart restore, a test standing for a new container).
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from botocore.session import Session

_lock = threading.Lock()  # botocore sessions are not thread-safe; the clients they build are
_session: Session | None = None


def aws_client(service: str, **arguments: Any) -> Any:
    """`botocore.session.Session.create_client(service, **arguments)` on the shared session:
    the same arguments as `boto3.client` (region_name, endpoint_url, config, keys)."""
    global _session  # noqa: PLW0603 (one session per process, as boto3's default)
    with _lock:
        if _session is None:
            import botocore.session  # noqa: PLC0415 (lazy: only AWS functions need it)

            _session = botocore.session.get_session()
        return _session.create_client(service, **arguments)


def forget_session() -> None:
    """The next client gets a new session: fresh credentials and connections."""
    global _session  # noqa: PLW0603
    with _lock:
        _session = None
