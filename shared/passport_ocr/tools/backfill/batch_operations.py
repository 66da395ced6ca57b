"""S3 Batch Operations: the CSV manifest and the `s3control:CreateJob` request.

Manifest format `S3BatchOperations_CSV_20180820`: one `bucket,key[,version]` line per object,
keys URL-encoded ("Object keys must be URL-encoded", Amazon S3 User Guide, "Specifying a
manifest", https://docs.aws.amazon.com/AmazonS3/latest/userguide/batch-ops-create-job.html).
The job runs `LambdaInvoke` with `InvocationSchemaVersion` "2.0", which the stack's handler
reads (`events.aws_batch`). moto 5.2.1 implements no `CreateJob` (moto/s3control has no
`create_job`), so the request is checked against botocore's own s3control service model
(`ParamValidator`) and shown as the equivalent `aws s3control create-job` command.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shlex
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote_plus

from passport_ocr.errors import ConfigError
from passport_ocr.events.base import ObjectRef

MANIFEST_FORMAT = "S3BatchOperations_CSV_20180820"
REPORT_FORMAT = "Report_CSV_20180820"


def manifest_csv(refs: Iterable[ObjectRef]) -> bytes:
    """`bucket,key[,version]` lines; the version column only when the object has one."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for ref in refs:
        row = [ref.bucket, quote_plus(ref.key, safe="/")]
        writer.writerow([*row, ref.version_id] if ref.version_id else row)
    return out.getvalue().encode("utf-8")


def create_job_request(
    *,
    account_id: str,
    function_arn: str,
    role_arn: str,
    manifest_arn: str,
    manifest_etag: str,
    report_bucket_arn: str,
    report_prefix: str,
    priority: int = 10,
    with_versions: bool = False,
) -> dict[str, Any]:
    fields = ["Bucket", "Key", "VersionId"] if with_versions else ["Bucket", "Key"]
    request: dict[str, Any] = {
        "AccountId": account_id,
        "ConfirmationRequired": False,
        "Operation": {
            "LambdaInvoke": {"FunctionArn": function_arn, "InvocationSchemaVersion": "2.0"}
        },
        "Manifest": {
            "Spec": {"Format": MANIFEST_FORMAT, "Fields": fields},
            "Location": {"ObjectArn": manifest_arn, "ETag": manifest_etag.strip('"')},
        },
        "Report": {
            "Bucket": report_bucket_arn,
            "Format": REPORT_FORMAT,
            "Enabled": True,
            "Prefix": report_prefix,
            "ReportScope": "AllTasks",
        },
        "Priority": priority,
        "RoleArn": role_arn,
        "Description": "passport-ocr backfill",
    }
    # The same manifest gives the same token: a rerun of the command creates no second job.
    digest = hashlib.sha256(json.dumps(request, sort_keys=True).encode()).hexdigest()
    request["ClientRequestToken"] = digest[:64]
    return request


def validate(request: dict[str, Any]) -> None:
    """Against botocore's s3control `CreateJob` input shape: a typed error naming each problem."""
    import botocore.session  # noqa: PLC0415
    from botocore.validate import ParamValidator  # noqa: PLC0415

    model = botocore.session.get_session().get_service_model("s3control")
    shape = model.operation_model("CreateJob").input_shape
    assert shape is not None  # CreateJob has input
    report = ParamValidator().validate(request, shape)
    if report.has_errors():
        raise ConfigError(f"the CreateJob request is not valid: {report.generate_report()}")


def cli_command(request: dict[str, Any], region: str) -> str:
    """The equivalent `aws s3control create-job` command (the AWS CLI's option names)."""
    options = {
        "AccountId": "--account-id", "Operation": "--operation", "Manifest": "--manifest",
        "Report": "--report", "Priority": "--priority", "RoleArn": "--role-arn",
        "ClientRequestToken": "--client-request-token", "Description": "--description",
    }  # fmt: skip
    parts = ["aws", "s3control", "create-job", "--region", region, "--no-confirmation-required"]
    for name, option in options.items():
        value = request[name]
        text = json.dumps(value, separators=(",", ":")) if isinstance(value, dict) else str(value)
        parts += [option, shlex.quote(text)]
    return " ".join(parts)


def submit(client: Any, request: dict[str, Any]) -> str:
    """`CreateJob` (the job starts at once: `ConfirmationRequired` is False); its JobId."""
    from botocore.exceptions import ClientError  # noqa: PLC0415

    try:
        answer = client.create_job(**request)
    except ClientError as error:
        code = str(error.response.get("Error", {}).get("Code", "error"))
        raise ConfigError(f"S3 Batch Operations refused the job ({code})") from error
    return str(answer["JobId"])
