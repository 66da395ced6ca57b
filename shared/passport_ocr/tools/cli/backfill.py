"""`passport-ocr backfill SOURCE --platform P`: the deployed stack reads a bucket's old scans.

Lists SOURCE (s3://, obs://, cos:// bucket/prefix), leaves out what already has a result in
the stack's results prefix (PASSPORT_OCR_RESULTS_PREFIX / _RESULTS_BUCKET, as the functions
read them) and what an earlier run handed off (--state), and hands the rest to the
platform's function as its own trigger would, at the OCR vendor's request rate. A dry run
(the default) prints the counts, the pace and the time it takes; --yes starts it.
Exit 0 when everything was handed off, 1 when some hand-offs failed (rerun: they are retried).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
from pathlib import Path
from typing import Any

from passport_ocr.clouds import CLOUDS, FUNCTION_CLOUDS
from passport_ocr.tools.cli._common import (
    EXIT_NEGATIVE,
    EXIT_OK,
    add_verb,
    non_negative_rate,
    price_per_thousand,
)
from passport_ocr.tools.words import counted
from passport_ocr.vendors import VENDORS


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = add_verb(subparsers, "backfill", help="hand a bucket's existing scans to the "
                      "deployed function (dry run unless --yes)", description=__doc__)  # fmt: skip
    parser.add_argument(
        "source", metavar="SOURCE", help="s3://b/prefix, obs://b/p, cos://b-appid/p"
    )
    parser.add_argument(
        "--platform",
        required=True,
        choices=sorted(FUNCTION_CLOUDS),
        help="the cloud whose deployed function reads the scans (required)",
    )
    parser.add_argument(
        "--via",
        choices=("queue", "batch-operations"),
        default="queue",
        help="aws: the upload queue (SQS) or an S3 Batch Operations job (default: %(default)s)",
    )
    parser.add_argument("--queue-url", help="aws --via queue: the stack's upload queue "
                        "(required there; default: none)")  # fmt: skip
    parser.add_argument("--function", help="aws: the function ARN; huaweicloud: the function "
                        "URN; tencentcloud: the function name (required except for aws --via "
                        "queue; default: none)")  # fmt: skip
    parser.add_argument("--role-arn", help="aws batch-operations: the role S3 assumes "
                        "(required there; default: none)")  # fmt: skip
    parser.add_argument("--manifest", help="aws batch-operations: s3://bucket/prefix for the "
                        "manifest and the job's report (required there; "
                        "default: none)")  # fmt: skip
    parser.add_argument(
        "--print-command",
        action="store_true",
        help="aws batch-operations: "
        "write the manifest and print the create-job command, create no job",
    )
    parser.add_argument("--account-id", help="aws batch-operations: the job's account "
                        "(required there; default: none)")  # fmt: skip
    parser.add_argument("--project-id", help="huaweicloud: the project id (required there; "
                        "default: none)")  # fmt: skip
    parser.add_argument("--namespace", default="default", help="tencentcloud: SCF namespace "
                        "(default: %(default)s)")  # fmt: skip
    parser.add_argument("--qualifier", default="$LATEST", help="tencentcloud: version or "
                        "alias (default: %(default)s)")  # fmt: skip
    parser.add_argument("--endpoint", help="the function API's endpoint (default: the region's)")
    parser.add_argument("--vendor", choices=sorted(VENDORS), help="the stack's OCR vendor, "
                        "for the default pace (default: the platform's own)")  # fmt: skip
    parser.add_argument(
        "--rate",
        type=non_negative_rate,
        default=None,
        help="objects per second (default: the vendor's documented request "
        "rate, e.g. Tencent MLIDPassportOCR 5/s; Huawei publishes none: 2/s)",
    )
    parser.add_argument(
        "--price-per-1000",
        type=price_per_thousand,
        default=None,
        metavar="'AMOUNT [CURRENCY]'",
        help="the vendor's price per 1,000 calls, from its pricing page, for the dry run's "
        "cost (default: none; the page is named instead)",
    )
    parser.add_argument("--state", type=Path, default=None, help="resume file (JSON lines): keys "
                        "handed off are recorded and skipped by the next run (default: none: "
                        "nothing recorded, a rerun hands off again what has no result "
                        "yet)")  # fmt: skip
    parser.add_argument("--yes", action="store_true", help="hand off (default: a dry run)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from passport_ocr.config import load_settings  # noqa: PLC0415
    from passport_ocr.errors import ConfigError  # noqa: PLC0415
    from passport_ocr.tools.backfill.handoff import default_rate  # noqa: PLC0415
    from passport_ocr.tools.backfill.plan import (  # noqa: PLC0415
        BackfillState,
        Counts,
        listed_results,
        pending,
    )
    from passport_ocr.tools.batch.sources import Source, open_source, parse_source  # noqa: PLC0415

    source = parse_source(args.source)
    wanted = CLOUDS[args.platform].storage_scheme
    if source.scheme != wanted:
        raise ConfigError(f"--platform {args.platform} backfills {wanted}:// sources")
    settings = load_settings(dict(os.environ))
    opened = open_source(source, settings)
    results = Source(source.scheme, settings.results_bucket or source.bucket,
                     settings.results_prefix)  # fmt: skip
    state = BackfillState.load(args.state, args.source)
    counts = Counts()
    refs = pending(source, opened.listing, state=state, counts=counts,
                   has_result=listed_results(open_source(results, settings).listing),
                   results_prefix=settings.results_prefix,
                   results_bucket=settings.results_bucket,
                   hide_key=settings.event_object_key == "object_id",
                   region=opened.region)  # fmt: skip
    vendor = args.vendor or CLOUDS[args.platform].default_vendor
    rate, why = default_rate(vendor)
    if args.rate is not None:
        rate = args.rate  # 0: no limit
    todo = list(refs)  # the counts need the whole listing before anything starts
    out = sys.stdout
    out.write(f"listed {counted(counts.listed, 'object')}: not images or results "
              f"{counts.not_selected:,}, "
              f"already done {counts.already_done:,}, handed off before "
              f"{counts.handed_off_before:,}, to hand off {counts.to_hand_off:,}\n")  # fmt: skip
    pace = f"{rate:g} objects/s" if rate else "no limit"
    origin = "--rate" if args.rate is not None else f"{vendor}: {why}"
    eta = f"about {_duration(len(todo) / rate)}" if rate else "as fast as the platform takes"
    take = "takes" if len(todo) == 1 else "take"
    out.write(f"pace: {pace} ({origin}); {counted(len(todo), 'object')} {take} {eta}\n")
    out.write(_cost_lines(vendor, len(todo) - counts.empty, counts.empty, args.price_per_1000))
    if not args.yes:
        out.write("dry run: nothing handed off; add --yes to start\n")
        return EXIT_OK
    return _hand_off(args, opened.region, todo, state, rate)


def _hand_off(
    args: argparse.Namespace, region: str | None, todo: list[Any], state: Any, rate: float
) -> int:
    from passport_ocr.tools.backfill.handoff import (  # noqa: PLC0415
        BATCH_OPERATIONS_CLOUD,
        deliver,
    )
    from passport_ocr.tools.batch.ratelimit import TokenBucket  # noqa: PLC0415

    if args.platform == BATCH_OPERATIONS_CLOUD and args.via == "batch-operations":
        return _batch_operations(args, region, todo, state)
    from passport_ocr.tools.backfill.handoff import SENDERS, Target  # noqa: PLC0415

    target = Target(args.queue_url, args.function, args.project_id, args.namespace,
                    args.qualifier, args.endpoint)  # fmt: skip
    sender = SENDERS[args.platform](target, region)
    bucket = TokenBucket(rate if rate else 1e9)

    summary = deliver(todo, sender, bucket=bucket, done=lambda ref: state.record([ref.key]))
    sys.stdout.write(f"handed off {summary.handed_off}, failed {summary.failed}, "
                     f"retried {counted(summary.retries, 'time')}\n")  # fmt: skip
    for message in sorted(set(summary.errors)):
        sys.stdout.write(f"  {message}\n")
    return EXIT_NEGATIVE if summary.failed else EXIT_OK


def _batch_operations(
    args: argparse.Namespace, region: str | None, todo: list[Any], state: Any
) -> int:
    import boto3  # noqa: PLC0415

    from passport_ocr.errors import ConfigError  # noqa: PLC0415
    from passport_ocr.tools.backfill import batch_operations as ops  # noqa: PLC0415
    from passport_ocr.tools.batch.sources import parse_source  # noqa: PLC0415

    missing = [f"--{n.replace('_', '-')}" for n in ("function", "role_arn", "manifest",
               "account_id") if not getattr(args, n)]  # fmt: skip
    if missing:
        raise ConfigError(f"--via batch-operations needs {', '.join(missing)}")
    where = parse_source(args.manifest)
    prefix = where.prefix.rstrip("/") + "/" if where.prefix else ""
    digest = hashlib.sha256("\0".join(ref.key for ref in todo).encode()).hexdigest()[:12]
    key = f"{prefix}backfill-{digest}.csv"
    s3 = boto3.client("s3", region_name=region, endpoint_url=os.environ.get("AWS_ENDPOINT_URL_S3"))
    answer = s3.put_object(Bucket=where.bucket, Key=key, Body=ops.manifest_csv(todo),
                           ContentType="text/csv")  # fmt: skip
    request = ops.create_job_request(
        account_id=args.account_id, function_arn=args.function, role_arn=args.role_arn,
        manifest_arn=f"arn:aws:s3:::{where.bucket}/{key}", manifest_etag=answer["ETag"],
        report_bucket_arn=f"arn:aws:s3:::{where.bucket}", report_prefix=f"{prefix}reports",
    )  # fmt: skip
    ops.validate(request)
    sys.stdout.write(f"manifest: s3://{where.bucket}/{key} ({counted(len(todo), 'object')})\n")
    sys.stdout.write("the job, as a command (the request is checked against botocore's "
                     "s3control model):\n" + ops.cli_command(request, region or
                     "us-east-1") + "\n")  # fmt: skip
    if not args.print_command:
        control = boto3.client("s3control", region_name=region)
        sys.stdout.write(f"created job {ops.submit(control, request)}\n")
    state.record(ref.key for ref in todo)
    return EXIT_OK


def _cost_lines(vendor: str, calls: int, empty: int, price: tuple[float, str] | None) -> str:
    """The OCR charge of `calls` at the price the user read off the vendor's page (prices
    change and differ by region and tier, so none is built in), then what the vendor's
    documents say is charged."""
    described = VENDORS[vendor]  # type: ignore[index]  # argparse choices
    if not described.charged:
        return "cost: no vendor charge (the function's own compute only)\n"
    skipped = f" ({counted(empty, 'empty object')} rejected before any call)" if empty else ""
    where = described.pricing or "no pricing page named in its API documents"
    if price is None:
        lines = [f"cost: {counted(calls, 'OCR call')}{skipped}; {vendor}'s price is not known "
                 f"offline: see {where} (--price-per-1000 computes it)"]  # fmt: skip
    else:
        amount, currency = price
        cost = calls * amount / 1000
        total = f"{cost:,.2f}" if cost == 0 or cost >= 0.01 else f"{cost:.2g}"  # never "0.00"
        total += f" {currency}" if currency else ""
        each = f"{amount:g}{' ' + currency if currency else ''}"
        lines = [f"cost: {total} for {counted(calls, 'OCR call')}{skipped} at {each} per 1,000 "
                 f"(your price; free tiers and volume discounts not counted: {where})"]  # fmt: skip
    lines += [f"  {vendor}: {rule}" for rule in described.billing_rules]
    return "".join(line + "\n" for line in lines)


def _duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"
