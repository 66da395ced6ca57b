"""The deployment zips work as deployed: built, unzipped, imported and invoked in isolation.

Each platform's bundle is built once per session (pip, for the runtime's Python and Linux
wheels), unzipped into an empty directory and run by `tests/bundle_invoke.py` in a fresh
`python -I` of the runtime's version (3.10 for FunctionGraph and SCF, 3.12 for Lambda),
with the bundle directory as its working directory and nothing of this project on the
path: only the bundle, the interpreter's standard library, and for Lambda a copy of what
its runtime provides (boto3 and its stack). One realistic trigger event goes through the
real handler to the signature-checking stubs (tests/stubs) or moto, and the published
CloudEvent is read back from the topic.

This is also what proves the prune lists honest: a pruned file that the handler imports
or the invocation loads fails here.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import subprocess
import uuid
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus

import pytest
from PIL import Image

from passport_ocr.tools import bundle, cli
from tests import paths
from tests.conftest import AwsStack, HuaweiStack, TencentStack
from tests.handler_helpers import LambdaContext, cos_event, obs_event, scf_context
from tests.moto_helpers import lambda_sqs_event
from tests.unit.test_images import document, encode

pytestmark = pytest.mark.slow

REPO = paths.REPO
INVOKER = (paths.TESTS / "bundle_invoke.py").read_text(encoding="utf-8")
HANDLERS = {
    "huaweicloud": "index.handler",
    "tencentcloud": "index.main_handler",
    "aws": "app.lambda_handler",
}


@dataclass(frozen=True)
class Unzipped:
    platform: str
    zip_path: Path
    code_dir: Path
    python: str
    runtime_path: tuple[str, ...]  # what the platform's runtime adds (Lambda: boto3)


BundleFactory = Callable[[str], Unzipped]

#: What building the handler's clients may do at import besides the bare SDK imports: the
#: X-Ray SDK (through Powertools' `Tracer()`, built at module level as documented) marks
#: itself initialised for the Lambda runtime in /tmp.
CLIENT_INIT_EFFECTS = {"aws": {"open for writing /tmp/.aws-xray/initialized"}}


@pytest.fixture(scope="session")
def bundles(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BundleFactory]:
    """Build, unzip and cache one bundle per platform, on first use."""
    built: dict[str, Unzipped] = {}

    def get(platform: str) -> Unzipped:
        if platform not in built:
            spec = bundle.SPECS[platform]
            try:
                python = bundle.find_python(spec.python)
            except bundle.BundleError as error:
                pytest.skip(str(error))
            zip_path = tmp_path_factory.mktemp(f"zip-{platform}") / f"{platform}.zip"
            bundle.build(platform, output=zip_path)
            code_dir = tmp_path_factory.mktemp(f"code-{platform}")
            with zipfile.ZipFile(zip_path) as archive:
                archive.extractall(code_dir)
            runtime: tuple[str, ...] = ()
            if spec.provided:
                provided = tmp_path_factory.mktemp(f"runtime-{platform}")
                runtime = (str(bundle.copy_runtime_provided(spec, provided)),)
            built[platform] = Unzipped(platform, zip_path, code_dir, python, runtime)
        return built[platform]

    yield get


@dataclass
class Invocation:
    result: Any
    error: str | None
    import_events: list[str]
    modules: dict[str, str]
    stdlib: str
    site_packages: list[str]
    stderr: str


def run_in_bundle(
    unzipped: Unzipped, request: dict[str, Any], env: dict[str, str], home: Path
) -> Invocation:
    """`bundle_invoke.py` in a fresh isolated interpreter, working directory the bundle."""
    completed = subprocess.run(
        [unzipped.python, "-I", "-c", INVOKER],
        input=json.dumps({**request, "runtime_path": list(unzipped.runtime_path)}),
        capture_output=True,
        text=True,
        cwd=unzipped.code_dir,
        # Only what the platform would set: no PYTHONPATH, no proxies, a scratch home.
        env={"PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8", **env},
        timeout=120,
        check=False,
    )
    lines = completed.stdout.strip().splitlines()
    assert completed.returncode == 0 and lines, completed.stderr[-3000:]
    return Invocation(**json.loads(lines[-1]), stderr=completed.stderr)


def invoke(
    unzipped: Unzipped, event: Any, context: dict[str, Any], env: dict[str, str], home: Path
) -> Invocation:
    """Import the handler and invoke it once with `event` and `context`."""
    request = {
        "handler": HANDLERS[unzipped.platform],
        "platform": unzipped.platform,
        "event": event,
        "context": context,
    }
    return run_in_bundle(unzipped, request, env, home)


def sdk_import_events(unzipped: Unzipped, env: dict[str, str], home: Path) -> list[str]:
    """What importing the bare vendor SDK modules does (the handler may do no more)."""
    request = {"import_only": list(bundle.SPECS[unzipped.platform].sdk_modules)}
    home.mkdir()  # a fresh one: SDKs that store something at import must do it again
    baseline = run_in_bundle(unzipped, request, env, home)
    assert baseline.error is None, baseline.stderr[-3000:]
    return baseline.import_events


def assert_ran_from_the_bundle(run: Invocation, unzipped: Unzipped, sdk_events: list[str]) -> None:
    assert run.error is None, f"{run.error}\n{run.stderr[-3000:]}"
    # A cold start does settings and clients only: no network, no process, no file written,
    # beyond what the vendor SDKs themselves do when imported (Huawei's writes an app id).
    allowed_effects = set(sdk_events) | CLIENT_INIT_EFFECTS.get(unzipped.platform, set())
    assert set(run.import_events) <= allowed_effects
    code_dir = str(unzipped.code_dir.resolve())
    # The bundle, the runtime's standard library, and what the runtime provides: nothing
    # else, not even the interpreter's own site-packages.
    allowed = (code_dir, run.stdlib, *unzipped.runtime_path)
    outside = {
        name: path
        for name, path in run.modules.items()
        if not path.startswith(allowed) or path.startswith(tuple(run.site_packages))
    }
    assert outside == {}
    assert not any(path.startswith(str(REPO)) for path in run.modules.values())
    assert run.modules["passport_ocr"].startswith(code_dir)
    # Third-party code runs from its sourceless .pyc, compiled by the runtime's Python.
    assert run.modules["pydantic"].endswith("__init__.pyc")


def image_b64(image: bytes) -> str:
    return base64.b64encode(image).decode()


# -- FunctionGraph: OBS trigger -> Huawei RecognizePassport -> SMN ---------------------------------


def test_functiongraph_bundle_runs_an_obs_upload_to_smn(
    bundles: BundleFactory, huawei_stack: HuaweiStack, tmp_path: Path
) -> None:
    unzipped = bundles("huaweicloud")
    key = "uploads/2026/11/passport scan+1.jpg"
    image = huawei_stack.image
    huawei_stack.obs.put("passport-scans", key, image)
    event = obs_event(quote_plus(key), len(image), hashlib.md5(image).hexdigest())
    context = asdict(huawei_stack.context())

    env = huawei_stack.env(PASSPORT_OCR_IMAGE_TRANSFER="bytes")

    run = invoke(unzipped, event, context, env, tmp_path)

    assert_ran_from_the_bundle(
        run, unzipped, sdk_import_events(unzipped, env, tmp_path / "sdk-home")
    )
    assert run.modules["huaweicloudsdkocr"].startswith(str(unzipped.code_dir.resolve()))
    assert (run.result["processed"], run.result["recognized"], run.result["failed"]) == (1, 1, 0)
    # The gateway stub checked the SDK-HMAC-SHA256 signature and the agency's token.
    assert huawei_stack.ocr_calls() == 1
    (ocr_request,) = [r for r in huawei_stack.ocr_server.requests if r.method == "POST"]
    assert json.loads(ocr_request.body)["image"] == image_b64(image)
    (published,) = huawei_stack.smn.published
    cloud_event = json.loads(published["message"])
    assert cloud_event["subject"] == key
    assert cloud_event["type"].endswith("recognized")


def test_functiongraph_bundle_finds_region_endpoints_in_the_sdk(
    bundles: BundleFactory, tmp_path: Path
) -> None:
    """Without an endpoint override the OCR endpoint comes from the SDK's region table
    (which loads its YAML reader): offline, and without the pruned libyaml binding."""
    unzipped = bundles("huaweicloud")
    code = (
        "from passport_ocr.providers.huawei import resolve_endpoints\n"
        "result = resolve_endpoints('ap-southeast-1', None)\n"
    )
    run = run_in_bundle(unzipped, {"exec": code}, {}, tmp_path)

    assert run.error is None, run.stderr[-3000:]
    assert "https://ocr.ap-southeast-1.myhuaweicloud.com" in run.result
    assert "yaml" in run.modules


# -- SCF: COS trigger -> Tencent MLIDPassportOCR -> TDMQ for CMQ -----------------------------------


def test_scf_bundle_runs_a_cos_upload_to_tdmq(
    bundles: BundleFactory, tencent_stack: TencentStack, tmp_path: Path
) -> None:
    unzipped = bundles("tencentcloud")
    key = "uploads/2026/11/王五 + 100%.jpg"
    tencent_stack.cos.put(key, tencent_stack.image)
    event = cos_event(key, len(tencent_stack.image))

    env = tencent_stack.env(PASSPORT_OCR_IMAGE_TRANSFER="bytes")

    run = invoke(unzipped, event, scf_context(), env, tmp_path)

    assert_ran_from_the_bundle(
        run, unzipped, sdk_import_events(unzipped, env, tmp_path / "sdk-home")
    )
    assert (run.result["processed"], run.result["recognized"], run.result["failed"]) == (1, 1, 0)
    (call,) = tencent_stack.ocr.calls
    assert call[0] == "MLIDPassportOCR"
    assert call[1]["ImageBase64"] == image_b64(tencent_stack.image)
    (published,) = tencent_stack.tdmq.published
    cloud_event = json.loads(published["MsgContent"])
    assert cloud_event["subject"] == key
    assert cloud_event["type"].endswith("recognized")


# -- Lambda: S3 -> SQS (moto) -> the function -> Tencent OCR -> SNS, with idempotency on DynamoDB --


def s3_notifications_through_sqs(stack: AwsStack, key: str) -> dict[str, Any]:
    """The Lambda SQS event moto's S3 notifications produce for one upload."""
    name = f"uploads-{uuid.uuid4().hex[:8]}"
    queue_url, queue_arn = stack.moto.queue(name)
    stack.moto.client("s3").put_bucket_notification_configuration(
        Bucket=stack.bucket,
        NotificationConfiguration={
            "QueueConfigurations": [{"QueueArn": queue_arn, "Events": ["s3:ObjectCreated:*"]}]
        },
    )
    stack.put(key)
    # The s3:TestEvent from configuring the notification comes along: handlers skip it.
    messages = stack.moto.drain(queue_url, at_least=2)
    return lambda_sqs_event(messages, queue_arn)


def test_lambda_bundle_runs_an_s3_upload_to_sns(
    bundles: BundleFactory, aws_stack: AwsStack, tmp_path: Path
) -> None:
    unzipped = bundles("aws")
    key = "uploads/José María + 100%.jpg"
    event = s3_notifications_through_sqs(aws_stack, key)
    env = aws_stack.env(PASSPORT_OCR_IMAGE_TRANSFER="bytes")
    # As in Lambda (the code directory is the task root): Powertools' Tracer is then live.
    env.pop("POWERTOOLS_TRACE_DISABLED")
    env |= {"LAMBDA_TASK_ROOT": str(unzipped.code_dir), "AWS_LAMBDA_FUNCTION_NAME": "passport-ocr"}

    run = invoke(unzipped, event, asdict(LambdaContext()), env, tmp_path)

    assert_ran_from_the_bundle(
        run, unzipped, sdk_import_events(unzipped, env, tmp_path / "sdk-home")
    )
    assert run.modules["boto3"].startswith(unzipped.runtime_path)  # the runtime's, not bundled
    assert not (unzipped.code_dir / "boto3").exists()
    assert run.result == {"batchItemFailures": []}
    (call,) = aws_stack.ocr.calls
    assert call[1]["ImageBase64"] == image_b64(aws_stack.image)
    (cloud_event,) = aws_stack.events()
    assert cloud_event["subject"] == key
    assert cloud_event["type"].endswith("recognized")
    # Idempotency: the same delivery again replays the stored outcome, no second OCR call.
    again = invoke(unzipped, event, asdict(LambdaContext()), env, tmp_path)
    assert again.error is None and again.result == {"batchItemFailures": []}
    assert len(aws_stack.ocr.calls) == 1


# -- the zips themselves ---------------------------------------------------------------------------


@pytest.mark.parametrize("platform", sorted(bundle.SPECS))
def test_bundle_holds_the_handler_the_package_and_compiled_code_only(
    bundles: BundleFactory, platform: str
) -> None:
    unzipped = bundles(platform)
    with zipfile.ZipFile(unzipped.zip_path) as archive:
        names = archive.namelist()
        infos = archive.infolist()
    spec = bundle.SPECS[platform]
    handler_file = HANDLERS[platform].split(".")[0] + ".py"
    assert handler_file in names
    assert "passport_ocr/__init__.py" in names
    assert not any(name.startswith(("passport_ocr/tools/", "tests/")) for name in names)
    # The one rule: the runtime library whole, none of its tools.
    package = paths.REPO / "shared"
    runtime = {
        path.relative_to(package).as_posix()
        for path in (package / "passport_ocr").rglob("*.py")
        if "tools" not in path.relative_to(package).parts
    }
    assert {n for n in names if n.startswith("passport_ocr/") and n.endswith(".py")} == runtime
    # Fixed timestamps and modes: nothing of the build machine's clock in the zip.
    assert {info.date_time for info in infos} == {bundle.FIXED_TIME}
    # Compiled for the runtime's Python: its tag in our package's caches.
    tag = "cpython-" + spec.python.replace(".", "")
    assert f"passport_ocr/__pycache__/__init__.{tag}.pyc" in names
    third_party_sources = [
        n
        for n in names
        if n.endswith(".py") and n.split("/")[0] not in ("passport_ocr", handler_file)
    ]
    assert third_party_sources == []
    for provided in spec.provided:
        module = {"python-dateutil": "dateutil"}.get(provided, provided)
        assert not any(name.split("/")[0] in (module, f"{module}.pyc") for name in names)


@pytest.mark.parametrize("platform", sorted(bundle.SPECS))
def test_package_verb_rebuilds_the_same_bytes(
    bundles: BundleFactory, tmp_path: Path, capsys: pytest.CaptureFixture[str], platform: str
) -> None:
    """Deterministic: the same sources and wheels give the same zip, wherever it is written
    (Python 3.10 marshals set constants in string-hash order: the build fixes the seed)."""
    first = bundles(platform)
    again = tmp_path / "elsewhere" / f"{platform}.zip"

    code = cli.main(["package", "--platform", platform, "--output", str(again)])

    assert code == 0
    assert again.read_bytes() == first.zip_path.read_bytes()
    report = capsys.readouterr().out
    assert f"{again}  " in report
    assert "MB zipped" in report and "x its dependencies alone" in report
    assert f"the target of {bundle.ZIP_RATIO_TARGET:.2f}x)" in report
    assert "pydantic_core" in report


@pytest.mark.parametrize(
    "argv",
    [
        ["package", "--platform", "gcp"],
        ["package", "--platform", "aws", "--arch", "ppc64le"],
        ["package"],
    ],
)
def test_package_verb_refuses_unknown_platforms_and_architectures(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(argv)
    assert exit_info.value.code == 2
    assert "passport-ocr package: error:" in capsys.readouterr().err


ELF_MACHINES = {62: "x86_64", 183: "arm64"}


def elf_machine(data: bytes) -> str | None:
    """The architecture an ELF shared object was built for (e_machine, little-endian)."""
    if not data.startswith(b"\x7fELF"):
        return None
    return ELF_MACHINES.get(int.from_bytes(data[18:20], "little"), "other")


def elf_section_names(data: bytes) -> set[str]:
    """Section names of a 64-bit little-endian ELF object (what `readelf -S` lists)."""
    shoff = int.from_bytes(data[0x28:0x30], "little")
    entry_size = int.from_bytes(data[0x3A:0x3C], "little")
    count = int.from_bytes(data[0x3C:0x3E], "little")
    names_index = int.from_bytes(data[0x3E:0x40], "little")

    def header(index: int) -> bytes:
        return data[shoff + index * entry_size : shoff + (index + 1) * entry_size]

    names_offset = int.from_bytes(header(names_index)[0x18:0x20], "little")
    names = set()
    for index in range(count):
        start = names_offset + int.from_bytes(header(index)[0:4], "little")
        names.add(data[start : data.index(b"\0", start)].decode())
    return names


def test_arm64_bundle_carries_only_aarch64_native_code(tmp_path: Path) -> None:
    """Graviton / arm64 runtimes: manylinux aarch64 wheels; crcmod's x86_64 build is left out
    (it runs in pure Python). Checked on the binaries: no arm64 interpreter runs here."""
    try:
        bundle.find_python(bundle.SPECS["tencentcloud"].python)
    except bundle.BundleError as error:
        pytest.skip(str(error))
    report = bundle.build("tencentcloud", arch="arm64", output=tmp_path / "arm64.zip")

    with zipfile.ZipFile(report.path) as archive:
        machines = {
            name: elf_machine(archive.read(name))
            for name in archive.namelist()
            if ".so" in name.rsplit("/", 1)[-1]
        }
        names = set(archive.namelist())
    assert machines  # pydantic_core, Pillow, charset_normalizer ...
    assert set(machines.values()) == {"arm64"}, machines
    assert any(name.startswith("pydantic_core/_pydantic_core") for name in machines)
    assert "crcmod/_crcfunpy.pyc" in names
    assert report.arch == "arm64"
    # Deterministic on this architecture too (its strip and wheels are other files).
    again = bundle.build("tencentcloud", arch="arm64", output=tmp_path / "again" / "arm64.zip")
    assert again.path.read_bytes() == report.path.read_bytes()
    # Stripped by a strip that reads aarch64 objects, when this machine has one.
    assert report.stripped == (bundle.strip_tool("arm64") is not None)
    if report.stripped:
        with zipfile.ZipFile(report.path) as archive:
            imaging = next(n for n in machines if n.startswith("PIL/_imaging."))
            sections = elf_section_names(archive.read(imaging))
        assert ".dynsym" in sections  # what the dynamic linker needs stays
        assert ".symtab" not in sections


# -- the preflight inside the bundles: no pruned Pillow module is missed ------------------------


def preflight_samples() -> dict[str, bytes]:
    """One upload of each kind the preflight reads, converts or refuses."""
    page = document(900, 600)
    frames = [Image.new("L", (120, 80), shade) for shade in (10, 128, 250)]
    deep = Image.new("I;16", (64, 40), 0)
    deep.putpixel((3, 3), 60_000)
    phone = document(1200, 800)
    exif = Image.Exif()
    exif[0x0112] = 6  # stored on its side: EXIF says rotate
    mpo = io.BytesIO()
    page.save(mpo, "MPO", save_all=True, append_images=[page.rotate(180)])
    png = encode(page, "PNG")
    return {
        "jpeg": encode(page, "JPEG", quality=90),
        "jpeg-cmyk": encode(page.convert("CMYK"), "JPEG", quality=90),
        "jpeg-exif-rotated": encode(phone, "JPEG", quality=90, exif=exif.tobytes()),
        "jpeg-oversized": encode(document(5200, 700), "JPEG", quality=80),
        "mpo": mpo.getvalue(),
        "png": png,
        "png-16bit": encode(deep, "PNG"),
        "png-transparent": encode(Image.new("RGBA", (100, 60), (0, 0, 0, 0)), "PNG"),
        "png-truncated": png[: len(png) * 2 // 3],
        "gif-animated": encode(frames[0], "GIF", save_all=True, append_images=frames[1:]),
        "bmp": encode(page, "BMP"),
        "tiff": encode(page, "TIFF"),
        "webp": encode(page, "WEBP", quality=90),
        "webp-transparent": encode(Image.new("RGBA", (100, 60), (0, 0, 0, 0)), "WEBP"),
        "pdf": b"%PDF-1.7\n...",
        "heif": b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00",
        "ico": encode(Image.new("RGB", (32, 32)), "ICO"),
    }


#: Runs in the bundle and here: every sample through every provider's limits; what came out.
PREFLIGHT_OUTCOMES = """
import base64, io, json
from PIL import Image
from passport_ocr.errors import ImageError
from passport_ocr.vendors import VENDORS, cloud_vendors
from passport_ocr.images import prepare

def outcome(data, limits):
    try:
        prepared = prepare(data, limits)
    except ImageError as error:
        return ["refused", error.reason]
    image = Image.open(io.BytesIO(prepared.data))
    image.load()
    codes = [finding.code for finding in prepared.findings]
    return [prepared.format, image.format, image.mode, list(image.size), codes]

result = {
    name: [outcome(base64.b64decode(data), limits)
           for limits in [VENDORS[name].limits for name in cloud_vendors()]]
    for name, data in SAMPLES.items()
}
"""


@pytest.mark.parametrize("platform", sorted(bundle.SPECS))
def test_the_preflight_in_the_bundle_reads_converts_and_refuses_as_the_full_pillow(
    bundles: BundleFactory, platform: str, tmp_path: Path
) -> None:
    unzipped = bundles(platform)
    samples = {name: image_b64(data) for name, data in preflight_samples().items()}
    code = f"SAMPLES = {samples!r}\n{PREFLIGHT_OUTCOMES}"
    expected: dict[str, Any] = {}
    exec(code, expected)  # our own fixed code, run here with the full Pillow

    run = run_in_bundle(unzipped, {"exec": code}, {}, tmp_path)

    assert run.error is None, run.stderr[-3000:]
    # HEIF and PDF need extras the bundles do not carry (README): refused as unsupported
    # there, read (here: refused as corrupt samples) with them.
    for name in ("heif", "pdf"):
        assert {tuple(o) for o in run.result.pop(name, [])} <= {("refused", "unsupported_format")}
        expected["result"].pop(name, None)
    assert run.result == expected["result"]
    # Every kind of outcome is in there: passthrough, conversion, refusal.
    flat = [o for outcomes in run.result.values() for o in outcomes]
    assert {o[0] for o in flat} >= {"JPEG", "PNG", "BMP", "TIFF", "refused"}
    assert any(o[-1] == ["image.converted"] for o in flat if o[0] != "refused")
    assert {o[1] for o in flat if o[0] == "refused"} >= {"unsupported_format", "truncated"}
    # The plugins left out of the bundle were not there to load.
    assert not any(f"PIL.{name}" in run.modules for name in bundle.PILLOW_UNUSED_MODULES)


def test_a_bundle_can_carry_another_clouds_vendor_and_its_secret_reader(tmp_path: Path) -> None:
    """`package --with-vendor tencent` on FunctionGraph: the Tencent OCR client and Huawei's
    CSMS SDK (the Tencent keys come from a CSMS secret) are in the zip, and both import in
    the runtime's Python from the unzipped bundle alone, as the function would."""
    spec = bundle.SPECS["huaweicloud"]
    try:
        python = bundle.find_python(spec.python)
    except bundle.BundleError as error:
        pytest.skip(str(error))
    zip_path = tmp_path / "fg+tencent.zip"
    assert cli.main(["package", "--platform", "huaweicloud", "--with-vendor", "tencent",
                     "--output", str(zip_path)]) == 0  # fmt: skip
    code_dir = tmp_path / "code"
    with zipfile.ZipFile(zip_path) as archive:
        names = archive.namelist()
        archive.extractall(code_dir)
    assert any(name.startswith("tencentcloud/ocr/") for name in names)
    assert any(name.startswith("huaweicloudsdkcsms/") for name in names)
    script = (
        f"import sys; sys.path[:0] = [{str(code_dir)!r}]\n"
        "from passport_ocr.providers.tencent import TencentOcrProvider\n"
        "from passport_ocr.platforms.huaweicloud_secrets import CsmsSecret\n"
        "import tencentcloud.ocr.v20181119.ocr_client, huaweicloudsdkcsms.v1\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('boto3', 'qcloud_cos')))"
    )
    done = subprocess.run([python, "-I", "-c", script], capture_output=True, text=True,
                          cwd=code_dir, check=False, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "[]"  # the client only: no COS or AWS SDK came with it


def test_an_unknown_or_own_vendor_adds_nothing_unexpected() -> None:
    spec = bundle.SPECS["tencentcloud"]
    assert bundle.with_vendors(spec, ["tencent"]) is spec  # its own vendor: already there
    with pytest.raises(bundle.BundleError, match="unknown vendor local"):
        bundle.with_vendors(spec, ["local"])
    added = bundle.with_vendors(spec, ["huawei"]).requirements[len(spec.requirements) :]
    assert added == ("huaweicloudsdkocr>=3.1.100",)  # SCF's SSM SDK is in the spec already
