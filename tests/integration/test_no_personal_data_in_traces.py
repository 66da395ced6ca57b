"""Issue 13 item 5: X-Ray traces carry no personal data either (object keys hold names).

The Lambda handler runs in a child process (`passport-ocr invoke`, as a new container), with
tracing on and a UDP socket on 127.0.0.1 standing in for the X-Ray daemon; every segment
document it receives is searched for the specimen's personal values. Reference payloads make
the function also write the record (S3 PutObject with a key derived from the upload's).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests import paths
from tests.conftest import AwsStack
from tests.handler_helpers import PERSONAL
from tests.moto_helpers import lambda_sqs_event

pytestmark = pytest.mark.slow

#: A sampled trace, as Lambda hands one to the function (the X-Ray SDK's Lambda mode).
TRACE_ID = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"


def _segments(listener: socket.socket) -> list[str]:
    """Every datagram the 'daemon' got: a JSON header line, then a segment document."""
    listener.settimeout(0.5)
    received: list[str] = []
    while True:
        try:
            data, _ = listener.recvfrom(65_536)
        except TimeoutError:
            return received
        received.append(data.decode("utf-8"))


def test_lambda_traces_carry_no_object_key_or_personal_data(
    aws_stack: AwsStack, tmp_path: Path
) -> None:
    stack = aws_stack
    stack.put("uploads/VESTERGAARD SIGRID 1987-03-14.jpg")
    event = lambda_sqs_event(stack.notifications(at_least=1), stack.uploads_queue_arn)
    (tmp_path / "event.json").write_text(json.dumps(event), encoding="utf-8")

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as daemon:
        daemon.bind(("127.0.0.1", 0))
        env = {
            **stack.env(idempotency=False, PASSPORT_OCR_PAYLOAD="reference"),
            "POWERTOOLS_TRACE_DISABLED": "false",
            "AWS_XRAY_DAEMON_ADDRESS": f"127.0.0.1:{daemon.getsockname()[1]}",
            "AWS_XRAY_CONTEXT_MISSING": "LOG_ERROR",
            "_X_AMZN_TRACE_ID": TRACE_ID,
            "LAMBDA_TASK_ROOT": str(paths.REPO / "functions" / "aws"),
        }
        command = [sys.executable, "-m", "passport_ocr.tools.cli", "invoke", "--platform", "aws"]
        run = subprocess.run(
            [*command, "--event", str(tmp_path / "event.json")],
            capture_output=True,
            text=True,
            env={**os.environ, **env},
            timeout=120,
            check=False,
        )
        segments = _segments(daemon)

    assert run.returncode == 0, run.stderr[-3000:]
    assert '"batchItemFailures": []' in run.stdout
    documents = "\n".join(segments)
    # The test can fail: the AWS calls were traced, by operation, with their buckets.
    assert '"operation": "GetObject"' in documents or '"operation":"GetObject"' in documents
    assert "PutObject" in documents and stack.bucket in documents
    leaks = sorted(value for value in PERSONAL if value in documents)
    assert leaks == [], f"personal data in traces: {leaks}"
    assert "1987-03-14" not in documents
