"""`passport-ocr process SOURCE -o OUT`: a folder or bucket prefix, resumably, in parallel.

SOURCE is a folder, `s3://bucket/prefix`, `obs://bucket/prefix` or `cos://bucket-appid/prefix`.
Results go to OUT: a folder (one JSON per object) or a `.jsonl` file. Objects that already
have a result there for their current version are skipped, so running the same command
again resumes a batch (--force reads everything again); the summary gives this run's counts
and the whole batch's (with earlier runs' results), and names the rejected and failed objects.
Exit 0 when every object of the batch has a record, 1 when any is rejected or failed (this
run or an earlier one) or nothing matched (with a warning), 2 when the run
could not start or stopped early (credentials, listing, output), 130 when Ctrl-C stopped it
(the objects in flight are finished and written first, and the summary so far is printed).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from passport_ocr.tools.cli._common import (
    EXIT_INTERRUPTED,
    EXIT_NEGATIVE,
    EXIT_OK,
    add_verb,
    at_least_one,
    non_negative_rate,
)
from passport_ocr.tools.cli.recognize import add_provider_options
from passport_ocr.tools.words import counted
from passport_ocr.vendors import VENDORS

if TYPE_CHECKING:
    from passport_ocr.events.base import ObjectRef
    from passport_ocr.storage.base import ObjectStore
    from passport_ocr.tools.batch.results import ItemResult
    from passport_ocr.tools.report import ReportBuilder

#: Worker threads by default, per vendor: the offline engine is CPU-bound (a second thread
#: overlaps reading and preflight with OCR); cloud vendors are network round trips.
DEFAULT_WORKERS = {name: vendor.default_workers for name, vendor in VENDORS.items()}


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = add_verb(
        subparsers,
        "process",
        help="process a folder or bucket prefix into results (resumable)",
        description=__doc__,
    )
    parser.add_argument(
        "source", metavar="SOURCE", help="a folder, s3://b/prefix, obs://b/prefix, cos://b-appid/p"
    )
    parser.add_argument(
        "-o",
        "--output",
        required=True,
        help="results: a folder (one JSON per object) or a file ending in .jsonl (required)",
    )
    add_provider_options(parser)
    parser.add_argument(
        "--workers",
        type=at_least_one,
        default=None,
        help="objects in parallel (default: local, one per CPU core; cloud vendors, 4)",
    )
    parser.add_argument(
        "--rate",
        type=non_negative_rate,
        default=None,
        help="OCR requests per second (default: the vendor's documented limit, e.g. Tencent "
        "MLIDPassportOCR 5/s; 0: no limit)",
    )
    for kind, meaning in (("include", "select"), ("exclude", "leave out")):
        parser.add_argument(
            f"--{kind}",
            action=_FilterAction,
            dest="filters",
            default=[],
            metavar="GLOB",
            help=f"{meaning} keys matching GLOB, relative to SOURCE (repeatable; applied in "
            "order with --include/--exclude as aws s3 does, the last match decides; default: "
            "image suffixes, or nothing when the first filter is --include)",
        )
    parser.add_argument(
        "--force",
        action="store_true",
        help="read every object again, even those with a result (default: resume, reading "
        "only objects without one or replaced since)",
    )
    parser.add_argument(
        "--report",
        metavar="FILE",
        type=Path,
        default=None,
        help="also write FILE, one self-contained HTML page to review the batch: a row per "
        "object with its thumbnail, status, findings and their messages, the MRZ crop marked "
        "by confidence and repairs (offline engine), filters by status; objects done by "
        "earlier runs are listed from their results, with a thumbnail but no MRZ crop (not "
        "read again). It holds the records "
        "and pictures: personal data, keep it as you keep the scans (default: no report)",
    )
    parser.add_argument(
        "--no-progress",
        action="store_true",
        help="no progress bar (default: a bar on a terminal, nothing otherwise)",
    )
    parser.add_argument(
        "--summary",
        choices=("text", "json"),
        default="text",
        help="the summary's format (default: %(default)s)",
    )
    parser.set_defaults(handler=run)


class _FilterAction(argparse.Action):
    """--include and --exclude into one list, in the order given."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        filters = [*getattr(namespace, self.dest, []), (self.option_strings[0][2:], values)]
        setattr(namespace, self.dest, filters)


def run(args: argparse.Namespace) -> int:
    from passport_ocr.providers.base import OcrProvider  # noqa: PLC0415
    from passport_ocr.tools.batch.ratelimit import (  # noqa: PLC0415 (heavy imports)
        RateLimitedProvider,
        TokenBucket,
        provider_rate,
    )
    from passport_ocr.tools.batch.results import open_writer  # noqa: PLC0415
    from passport_ocr.tools.batch.runner import (  # noqa: PLC0415
        BatchAbortedError,
        BatchInterruptedError,
        Summary,
        build_cli_provider,
        cli_pipeline,
        cli_settings,
        run_batch,
    )
    from passport_ocr.tools.batch.sources import (  # noqa: PLC0415
        open_source,
        parse_source,
        selected,
    )

    source = parse_source(args.source)
    writer = open_writer(args.output)
    settings = cli_settings(args.provider)
    provider: OcrProvider = build_cli_provider(settings)
    rate = provider_rate(provider) if args.rate is None else args.rate
    if rate:
        provider = RateLimitedProvider(provider, TokenBucket(rate))
    report = _report_builder(args.report)
    if report is not None:
        provider = report.provider(provider)
    opened = open_source(source, settings)
    pipeline = cli_pipeline(settings, opened.store, provider, today=args.today)
    filters = [*args.filters, *_output_inside(source, args.output)]
    listed = [0]

    def chosen(key: str) -> bool:
        if selected(key[len(source.prefix) :], filters):
            listed[0] += 1
            return True
        return False

    # Listed first, so that the progress shows n/N and an ETA (`process` is for thousands;
    # `backfill` hands millions to the deployed functions).
    items = [(ref, source.uri(ref.key)) for ref in opened.refs() if chosen(ref.key)]
    workers = args.workers or default_workers(args.provider)

    progress = _progress_bar(enabled=not args.no_progress and sys.stderr.isatty(), total=len(items))
    on_result: Callable[[ItemResult | None], None] = progress.update
    if report is not None:
        on_result = _both(progress.update, report.add)
    summary: Summary
    try:
        summary = run_batch(
            items,
            report.process(pipeline.process) if report is not None else pipeline.process,
            writer,
            workers=workers,
            on_result=on_result,
            force=args.force,
        )
    except BatchAbortedError as stopped:
        progress.close()
        _print_summary(stopped.summary, args.summary, rate, workers)
        raise
    except BatchInterruptedError as stopped:
        progress.close()
        sys.stderr.write("passport-ocr: interrupted; rerun the same command to resume\n")
        _print_summary(stopped.summary, args.summary, rate, workers)
        return EXIT_INTERRUPTED
    finally:
        if report is not None:
            _write_report(report, args, [ref for ref, _ in items], opened.store)
    progress.close()
    _print_summary(summary, args.summary, rate, workers)
    if listed[0] == 0:
        sys.stderr.write(
            f"passport-ocr: warning: nothing in {args.source} matched "
            "(check the path, --include and --exclude)\n"
        )
        return EXIT_NEGATIVE
    # The whole batch decides, not this run: a rerun of a batch with rejections still says so.
    return EXIT_OK if summary.clean else EXIT_NEGATIVE


def _report_builder(path: Path | None) -> ReportBuilder | None:
    if path is None:
        return None
    from passport_ocr.tools.report import ReportBuilder  # noqa: PLC0415 (Pillow)

    return ReportBuilder()


def _both(
    first: Callable[[ItemResult | None], None], second: Callable[[ItemResult | None], None]
) -> Callable[[ItemResult | None], None]:
    def call(result: ItemResult | None) -> None:
        first(result)
        second(result)

    return call


def _write_report(
    report: ReportBuilder, args: argparse.Namespace, refs: list[ObjectRef], store: ObjectStore
) -> None:
    """The page for every listed object (this run's results, else earlier runs', whose
    thumbnails are fetched again), even when the batch stopped early; its size on stderr
    (no names, keys or numbers)."""
    from passport_ocr.errors import StorageError  # noqa: PLC0415
    from passport_ocr.tools.batch.results import stored_documents  # noqa: PLC0415

    by_key = {ref.key: ref for ref in refs}

    def fetch(key: str) -> bytes | None:
        try:
            return store.fetch(by_key[key])
        except StorageError:  # gone or unreadable since: the row says so
            return None

    rows = report.rows(by_key, stored_documents(args.output), fetch)
    size = report.write(args.report, rows, title=f"passport-ocr report: {args.source}")
    megabytes = size / 1e6
    sys.stderr.write(f"passport-ocr: report of {len(rows)} objects, {megabytes:.1f} MB\n")


def _output_inside(source: Any, output: str) -> list[tuple[str, str]]:
    """An --exclude for the output when it lies inside a folder SOURCE: results are never
    read back as input."""
    if source.scheme != "file" or "://" in output:
        return []
    folder = (source.root / source.bucket).resolve()
    target = Path(output).expanduser().resolve()
    try:
        inside = target.relative_to(folder).as_posix()
    except ValueError:
        return []
    return [("exclude", inside), ("exclude", f"{inside}/*")]


def default_workers(provider: str | None) -> int:
    """The offline engine is CPU-bound: one worker per core this process may use; cloud
    vendors are network round trips: the vendor's own default."""
    if provider in (None, "local"):
        cores = getattr(os, "process_cpu_count", os.cpu_count)() or 1
        return max(1, cores)
    return DEFAULT_WORKERS[provider]  # type: ignore[index]


def _print_summary(summary: Any, form: str, rate: float | None, workers: int) -> None:
    if form == "json":
        doc = {**summary.to_dict(), "workers": workers, "rate_per_second": rate or None}
        sys.stdout.write(json.dumps(doc, indent=2) + "\n")
        return
    limit = f"{rate:g} OCR requests/s" if rate else "no rate limit"
    sys.stdout.write("\n".join([*summary.lines(), f"{counted(workers, 'worker')}, {limit}"]) + "\n")


class _Progress:
    """A tqdm bar on stderr (n/N, rate, ETA), with a line per object that did not give a
    record, in the command's words; or, without a terminal, just those lines."""

    def __init__(self, bar: Any) -> None:
        self._bar = bar

    def update(self, result: ItemResult | None) -> None:
        line = _object_line(result)
        if line is not None:
            if self._bar is not None:
                self._bar.write(line, file=sys.stderr)
            else:
                sys.stderr.write(line + "\n")
        if self._bar is None:
            return
        if result is None:
            self._bar.set_postfix_str("resuming", refresh=False)
        self._bar.update(1)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


def _object_line(result: ItemResult | None) -> str | None:
    """`scans/a.jpg: rejected (image.corrupt)`, `...: failed, tried again on the next run
    (provider.throttled)`; nothing for a record or a skipped object."""
    if result is None or result.kind == "recognized":
        return None
    if result.kind == "rejected":
        return f"{result.source}: rejected ({result.error_code})"
    return f"{result.source}: failed, tried again on the next run ({result.error_code})"


def _progress_bar(*, enabled: bool, total: int | None = None) -> _Progress:
    if not enabled:
        return _Progress(None)
    try:
        from tqdm import tqdm  # noqa: PLC0415 (optional: the local extra installs it)
    except ImportError:
        return _Progress(None)
    make: Callable[..., Any] = tqdm
    return _Progress(make(total=total, unit="obj", file=sys.stderr, dynamic_ncols=True, leave=True))
