"""Deployment bundles: one deterministic zip per platform, with compiled `.pyc` inside.

A bundle holds the platform's handler module at the zip root, the `passport_ocr` package,
and only the third-party packages that platform needs, as Linux wheels for the runtime's
Python. It is built with pip's cross-platform install (`--platform`, `--python-version`,
`--only-binary`), so a laptop on any OS builds the zip the cloud runs. Source-only packages
(esdk-obs-python, crcmod) are built into wheels first.

Prune lists remove only what the function provably never loads (each list says why);
`tests/test_bundles.py` proves them by importing and invoking every handler, unzipped and
isolated, against the vendor stubs, and by running the image preflight inside each bundle on
every format it reads, converts or refuses, with the same outcomes as the full Pillow.

Deterministic: files are added in sorted order with a fixed timestamp and mode, and `.pyc`
files use unchecked-hash invalidation (no source mtime inside), so the same sources and the
same wheel versions give the same bytes. The `.pyc` must be compiled by the runtime's own
Python version (the magic number differs): the builder looks for `pythonX.Y` on PATH or in
pyenv and says so if it cannot find it.
"""

from __future__ import annotations

import fnmatch
import importlib.metadata
import os
import platform as host_platform
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Final

from passport_ocr.clouds import CLOUDS
from passport_ocr.vendors import VENDORS

REPO_ROOT = Path(__file__).resolve().parents[3]
FIXED_TIME = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class BundleSpec:
    platform: str
    python: str  # the runtime's Python, e.g. "3.10"
    handler_dir: str  # relative to the repository root
    requirements: tuple[str, ...]
    # Packages the runtime already has (Lambda ships boto3): never bundled.
    provided: tuple[str, ...] = ()
    # Glob patterns (relative to the bundle root) of files the function never loads.
    prune: tuple[str, ...] = ()
    sourceless: bool = True
    # The vendor modules a bare function on this cloud imports anyway: the cold-start baseline.
    sdk_modules: tuple[str, ...] = ()
    # Requirements published only as source: built into wheels by the runtime's Python first.
    source_only: tuple[str, ...] = ()


CORE = ("pydantic>=2.7,<3",)

# Pillow parts a preflight never touches: AVIF, fonts/text shaping, colour management, Tk.
# (`_imagingmath` stays: the GIF plugin imports ImageMath, which loads it.)
PILLOW_NATIVE_PRUNE = (
    "PIL/_avif*.so",
    "pillow.libs/libavif-*",
    "PIL/_imagingft*.so",
    "pillow.libs/libfreetype-*",
    "pillow.libs/libharfbuzz-*",
    "pillow.libs/libbrotli*",
    "PIL/_imagingcms*.so",
    "pillow.libs/liblcms2-*",
    "PIL/_imagingmorph*.so",
    "PIL/_imagingtk*.so",  # Tk
    "pillow.libs/libpng16-*",  # needed by libfreetype only (PNG itself is Pillow's own code)
)
# Pillow modules the preflight never imports. The format is sniffed first (`images.
# sniff_format`) and opened with that one plugin; Pillow registers plugins in try/except
# ImportError, so a missing one is simply not registered. Kept: the JPEG (and MPO, which
# JPEG opens), PNG, GIF, BMP, TIFF and WEBP plugins and the modules they import.
_UNUSED_PLUGINS = (
    "Avif Blp BufrStub Cur Dcx Dds Eps Fits Fli Fpx Ftex Gbr GribStub Hdf5Stub Icns Ico Im Imt "
    "Iptc Jpeg2K McIdas Mic Mpeg Msp Palm Pcd Pcx Pdf Pixar Ppm Psd Qoi Sgi Spider Sun Tga Wmf "
    "XVThumb Xbm Xpm"
)
# Drawing, fonts, colour management, display, screen grabs, GUI toolkits.
_UNUSED_HELPERS = (
    "BdfFontFile ContainerIO FontFile GdImageFile ImageCms ImageDraw ImageDraw2 ImageEnhance "
    "ImageFont ImageGrab ImageMorph ImagePath ImageQt ImageShow ImageText ImageTk ImageTransform "
    "ImageWin PSDraw PcfFontFile PdfParser TarIO WalImageFile _tkinter_finder __main__ report"
)
PILLOW_UNUSED_MODULES = (
    *(f"{name}ImagePlugin" for name in _UNUSED_PLUGINS.split()),
    *_UNUSED_HELPERS.split(),
)
PILLOW_PRUNE = PILLOW_NATIVE_PRUNE + tuple(f"PIL/{name}.py" for name in PILLOW_UNUSED_MODULES)
COMMON_PRUNE = (
    "*/__pycache__/*",
    "pydantic/v1/*",  # the pydantic 1 compatibility package: nothing here imports it
    "pydantic/mypy.py",
    "pydantic/experimental/*",
    "bin/*",
    "*.dist-info/RECORD",  # lists hashes of files we prune; nothing reads it at run time
    "*/py.typed",
    "*.pyi",
)
# huaweicloudsdkcore imports `bson` (shipped by pymongo, pinned exactly) and never pymongo
# itself; nothing imports dnspython (pymongo's SRV lookups). esdk-obs-python imports
# pycryptodome's AES, RSA and the Math/Util modules under them (for CryptoObsClient, which
# the function does not use): its self-tests and the elliptic-curve / post-quantum native
# code are never loaded. PyYAML (the SDK's region file reader) falls back to its own
# pure-Python parser without the libyaml binding; the function gives endpoints, no region file.
HUAWEI_PRUNE = (
    "pymongo/*",
    "gridfs/*",
    "dns/*",
    "dnspython-*.dist-info/*",
    "Crypto/SelfTest/*",
    "Crypto/PublicKey/_ec_*.so",
    "Crypto/PublicKey/_ed25519*.so",
    "Crypto/PublicKey/_ed448*.so",
    "Crypto/PublicKey/_curve25519*.so",
    "Crypto/PublicKey/_curve448*.so",
    "Crypto/PublicKey/_mldsa*.so",
    "Crypto/PublicKey/_mlkem*.so",
    "yaml/_yaml*.so",
    "simplejson/tests/*",
)
# cos-python-sdk-v5 imports pycryptodome only in its client-side encryption client
# (qcloud_cos.cos_encryption_client -> qcloud_cos.crypto), which `import qcloud_cos` does not load.
TENCENT_PRUNE = (
    "Crypto/*",
    "pycryptodome-*.dist-info/*",
    "qcloud_cos/crypto.py",
    "qcloud_cos/cos_encryption_client.py",
)
# Powertools utilities the handler does not import.
POWERTOOLS_PRUNE = tuple(
    f"aws_lambda_powertools/{part}/*"
    for part in (
        "event_handler",
        "utilities/feature_flags",
        "utilities/streaming",
        "utilities/data_masking",
        "utilities/validation",
        "utilities/kafka",
        "utilities/parameters",
        "utilities/serialization",
        "utilities/middleware_factory",
    )
)
# requests' charset_normalizer ships mypyc-compiled twins of its pure-Python `md` and `cd`
# modules; without them it imports the pure-Python ones: same results, slower charset
# guessing, which the Tencent SDK never asks for (it sends and reads JSON).
CHARSET_NORMALIZER_PRUNE = (
    "charset_normalizer/md.cpython-*.so",
    "charset_normalizer/cd.cpython-*.so",
)
# What the Lambda Python runtime already includes.
LAMBDA_PROVIDED = (
    "boto3",
    "botocore",
    "s3transfer",
    "jmespath",
    "urllib3",
    "python-dateutil",
    "six",
)


def _python(cloud: str) -> str:
    """The runtime's Python, from the cloud's descriptor: the one place it is written."""
    python = CLOUDS[cloud].python  # type: ignore[index]
    assert python is not None
    return python


def _handler_dir(cloud: str) -> str:
    handler = CLOUDS[cloud].handler  # type: ignore[index]
    assert handler is not None
    return f"functions/{Path(handler[0]).parent.as_posix()}"


SPECS: dict[str, BundleSpec] = {
    "huaweicloud": BundleSpec(
        platform="huaweicloud",
        python=_python("huaweicloud"),
        handler_dir=_handler_dir("huaweicloud"),
        requirements=(
            *CORE,
            "Pillow>=10.3",
            "huaweicloudsdkocr>=3.1.100",
            "huaweicloudsdksmn>=3.1.100",
            "esdk-obs-python>=3.23",
        ),
        prune=COMMON_PRUNE + PILLOW_PRUNE + HUAWEI_PRUNE,
        source_only=("esdk-obs-python", "crcmod"),
        sdk_modules=("huaweicloudsdkocr.v1", "huaweicloudsdksmn.v2", "obs", "pydantic"),
    ),
    "tencentcloud": BundleSpec(
        platform="tencentcloud",
        python=_python("tencentcloud"),
        handler_dir=_handler_dir("tencentcloud"),
        requirements=(
            *CORE,
            "Pillow>=10.3",
            "tencentcloud-sdk-python-common>=3.0.1100",
            "tencentcloud-sdk-python-ocr>=3.0.1100",
            "tencentcloud-sdk-python-tdmq>=3.0.1100",
            # The legacy API's long-lived key from an SSM secret (PASSPORT_OCR_VENDOR_SECRET).
            "tencentcloud-sdk-python-ssm>=3.0.1100",
            "cos-python-sdk-v5>=1.9.30",
            "requests>=2.31",
        ),
        prune=COMMON_PRUNE + PILLOW_PRUNE + TENCENT_PRUNE,
        source_only=("crcmod",),  # a dependency of cos-python-sdk-v5
        sdk_modules=(
            "tencentcloud.ocr.v20181119.ocr_client",
            "tencentcloud.ocr.v20181119.models",
            "tencentcloud.tdmq.v20200217.tdmq_client",
            "tencentcloud.ssm.v20190923.ssm_client",
            "qcloud_cos",
            "pydantic",
        ),
    ),
    "aws": BundleSpec(
        platform="aws",
        python=_python("aws"),
        handler_dir=_handler_dir("aws"),
        # Lambda's default OCR vendor is Textract (in boto3, which the runtime provides); the
        # Tencent slim packages (250 kB zipped) let it call MLIDPassportOCR instead. Huawei's
        # SDK with its pinned pymongo is 18 MB: not bundled.
        requirements=(
            *CORE,
            "Pillow>=10.3",
            "aws-lambda-powertools[parser,tracer]>=3.0",  # Tracer needs aws_xray_sdk, even disabled
            "tencentcloud-sdk-python-common>=3.0.1100",
            "tencentcloud-sdk-python-ocr>=3.0.1100",
        ),
        provided=LAMBDA_PROVIDED,
        prune=COMMON_PRUNE + PILLOW_PRUNE + POWERTOOLS_PRUNE + CHARSET_NORMALIZER_PRUNE,
        sdk_modules=(
            "boto3",
            "aws_lambda_powertools",  # Logger, Metrics, Tracer
            "aws_xray_sdk.core",  # what any Powertools Tracer() loads, enabled or not
            "tencentcloud.ocr.v20181119.ocr_client",
            "tencentcloud.ocr.v20181119.models",
            "pydantic",
        ),
    ),
}

#: The one rule for what of the project a function ships: the runtime library, and never
#: its tools package (the command line, the batch runner, the offline engine with its models'
#: helpers, this builder, the demo, the specimen generator and their data).
TOOLS_PACKAGE = "passport_ocr/tools"


#: A bundle's own entries: the runtime library and the handler module (as source or `.pyc`).
OWN_ENTRIES: Final = ("passport_ocr/", "index.py", "app.py", "index.pyc", "app.pyc")
#: Issue 12: a zip at most this many times the zip of its third-party dependencies alone
#: (`bench/cold_start.py` measures it exactly, re-zipping the dependencies).
ZIP_RATIO_TARGET: Final = 1.10


def is_own_entry(name: str) -> bool:
    """Whether a zip entry (or top-level name) is the product's own, not a dependency's."""
    return name == "passport_ocr" or name.startswith(OWN_ENTRIES)


class BundleError(RuntimeError):
    """The bundle cannot be built on this machine (no target Python, pip failed, ...)."""


@dataclass
class BundleReport:
    platform: str
    arch: str
    path: Path
    zip_bytes: int
    files: int
    by_top_level: dict[str, int] = field(default_factory=dict)  # compressed bytes
    stripped: bool = False  # symbol tables dropped from native libraries

    @property
    def own_bytes(self) -> int:
        """What the product itself adds (its runtime library and handler), compressed."""
        return sum(size for top, size in self.by_top_level.items() if is_own_entry(top))

    def format(self) -> str:
        ratio = self.zip_bytes / max(1, self.zip_bytes - self.own_bytes)
        verdict = "within" if ratio <= ZIP_RATIO_TARGET else "over"
        lines = [
            f"{self.path}  {self.zip_bytes / 1e6:.2f} MB zipped, {self.files} files;"
            f" the product's own code {self.own_bytes / 1e6:.2f} MB: {ratio:.2f}x its"
            f" dependencies alone ({verdict} the target of {ZIP_RATIO_TARGET:.2f}x)",
        ]
        if not self.stripped:
            lines.append(f"  native libraries not stripped: no strip for {self.arch} found")
        biggest = sorted(self.by_top_level.items(), key=lambda item: -item[1])
        lines += [f"  {size / 1e6:7.2f} MB  {name}" for name, size in biggest[:12]]
        return "\n".join(lines)


def wheel_platforms(arch: str) -> list[str]:
    machine = {"x86_64": "x86_64", "arm64": "aarch64"}[arch]
    return [
        f"manylinux2014_{machine}",
        f"manylinux_2_28_{machine}",
        f"manylinux_2_17_{machine}",
        "any",
    ]


def find_python(version: str) -> str:
    """A `pythonX.Y` for compiling `.pyc` the runtime can use."""
    candidates = [shutil.which(f"python{version}")]
    pyenv_root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    candidates += [
        str(p) for p in sorted(pyenv_root.glob(f"versions/{version}.*/bin/python{version}"))
    ]
    if f"{sys.version_info.major}.{sys.version_info.minor}" == version:
        candidates.append(sys.executable)
    for candidate in candidates:
        if candidate and Path(candidate).exists():
            try:
                subprocess.run([candidate, "-c", "pass"], check=True, capture_output=True)  # noqa: S603 (our own interpreter lookup)
            except (OSError, subprocess.CalledProcessError):
                continue
            return candidate
    raise BundleError(
        f"Python {version} is needed to compile the bundle's .pyc; install it "
        f"(e.g. pyenv install {version}) or put python{version} on PATH"
    )


#: A fixed string-hash seed for every build step: a set or frozenset constant is marshalled in
#: hash order, so with a random seed the same source compiles to different `.pyc` bytes.
_BUILD_ENV = {**os.environ, "PYTHONHASHSEED": "0"}


def _run(cmd: list[str]) -> None:
    result = subprocess.run(  # noqa: S603 (fixed argv, no shell)
        cmd, capture_output=True, text=True, check=False, env=_BUILD_ENV
    )
    if result.returncode != 0:
        raise BundleError(f"{cmd[0]} failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")


def build_source_wheels(spec: BundleSpec, python: str, wheelhouse: Path) -> None:
    """Wheels for the source-only packages, built by the runtime's Python."""
    if not spec.source_only:
        return
    _run(
        [
            python,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--use-pep517",
            "-w",
            str(wheelhouse),
            *spec.source_only,
        ]
    )


def install_requirements(spec: BundleSpec, arch: str, target: Path, wheelhouse: Path) -> None:
    platform_args = [arg for plat in wheel_platforms(arch) for arg in ("--platform", plat)]
    # The locally built crcmod wheel is tagged linux_x86_64 (no index hosts such tags, so
    # nothing else matches it); on arm64 its C extension is pruned and crcmod runs in Python.
    platform_args += ["--platform", "linux_x86_64"]
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-compile",
            "--disable-pip-version-check",
            "--target",
            str(target),
            "--python-version",
            spec.python,
            "--implementation",
            "cp",
            "--only-binary=:all:",
            "--find-links",
            str(wheelhouse),
            *platform_args,
            *spec.requirements,
        ]
    )


def remove_provided(spec: BundleSpec, root: Path) -> None:
    """Drop packages the runtime already has, with their metadata."""
    for name in spec.provided:
        module = {"python-dateutil": "dateutil"}.get(name, name)
        for path in [root / module, root / f"{module}.py"]:
            if path.is_dir():
                shutil.rmtree(path)
            elif path.exists():
                path.unlink()
        dist = name.replace("-", "_").lower()
        for info in root.glob("*.dist-info"):
            if info.name.lower().startswith(f"{dist}-"):
                shutil.rmtree(info)


def copy_runtime_provided(spec: BundleSpec, destination: Path) -> Path:
    """Stand-in for what the platform's runtime provides (Lambda: boto3 and its stack).

    Copies exactly the files of those distributions as installed on this machine, so that
    a local run of an unzipped bundle sees them on its path and nothing else of this
    environment. Pure-Python packages; compiled by the runtime's Python, as the runtime's
    own copy is (no `.pyc` written at the first import).
    """
    destination.mkdir(parents=True, exist_ok=True)
    for name in spec.provided:
        try:
            distribution = importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError as error:
            raise BundleError(
                f"{name} (provided by the {spec.platform} runtime) is not installed here"
            ) from error
        for file in distribution.files or ():
            relative = Path(str(file))
            if ".." in relative.parts or "__pycache__" in relative.parts:
                continue
            source = Path(str(distribution.locate_file(file)))
            if source.is_file():
                (destination / relative).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, destination / relative)
    _run([find_python(spec.python), "-m", "compileall", "-q", "-j", "0", str(destination)])
    return destination


def copy_project(spec: BundleSpec, root: Path) -> None:
    shutil.copytree(
        REPO_ROOT / "shared" / "passport_ocr",
        root / "passport_ocr",
        ignore=_runtime_only,
    )
    for source in handler_files(spec):
        shutil.copy2(source, root / source.name)


def _runtime_only(folder: str, names: list[str]) -> set[str]:
    """`copytree`'s filter: no caches, and nothing of the tools package."""
    skipped = {name for name in names if name == "__pycache__" or name.endswith(".pyc")}
    if Path(folder).resolve() == (REPO_ROOT / "shared" / "passport_ocr").resolve():
        skipped |= {Path(TOOLS_PACKAGE).name}
    return skipped


def handler_files(spec: BundleSpec) -> list[Path]:
    return sorted((REPO_ROOT / spec.handler_dir).glob("*.py"))


def prune(root: Path, patterns: Iterable[str]) -> None:
    for path in sorted(root.rglob("*"), reverse=True):
        relative = path.relative_to(root).as_posix()
        if path.is_file() and any(fnmatch.fnmatch(relative, pattern) for pattern in patterns):
            path.unlink()
    for path in sorted(root.rglob("*"), reverse=True):
        if path.is_dir() and not any(path.iterdir()):
            path.rmdir()


def strip_tool(arch: str) -> str | None:
    """A `strip` that understands `arch`'s objects: the host's own for its architecture,
    else binutils' cross `strip` or LLVM's (which reads every architecture), if installed."""
    host = {"x86_64": "x86_64", "aarch64": "arm64", "arm64": "arm64"}.get(host_platform.machine())
    cross = {"x86_64": "x86_64-linux-gnu-strip", "arm64": "aarch64-linux-gnu-strip"}[arch]
    candidates = (["strip"] if host == arch else []) + [cross, "llvm-strip"]
    return next((found for name in candidates if (found := shutil.which(name))), None)


def strip_native(root: Path, arch: str) -> bool:
    """Drop symbol tables from native libraries, keeping what the dynamic linker needs.

    Several manylinux wheels ship unstripped objects (Pillow's `_imaging` is 3.5 MB with its
    symbols, 0.8 MB without). Returns whether a `strip` for `arch` was found and ran.
    """
    strip = strip_tool(arch)
    if strip is None:
        return False
    libraries = sorted(p for p in root.rglob("*.so*") if p.is_file() and not p.is_symlink())
    for library in libraries:
        _run([strip, "--strip-unneeded", str(library)])
    return True


def compile_pyc(
    python: str, root: Path, *, sourceless: bool, handler_modules: Iterable[str] = ()
) -> None:
    """Compile every module; with `sourceless`, third-party modules keep only their `.pyc`.

    unchecked-hash: the runtime never compares against source mtimes (the zip's are fixed,
    the code directory is read-only), and no timestamp or build path goes into the file
    (file names in code objects are relative to the bundle root). Sourceless `.pyc`
    (written beside the module with `-b`) halve what third-party code costs in the zip; our
    own package and the handler keep their sources so that tracebacks show code lines.
    """
    own = {"passport_ocr", *handler_modules}
    third_party = [
        p for p in sorted(root.iterdir()) if p.name not in own and not p.name.endswith(".dist-info")
    ]
    ours = [root / name for name in sorted(own) if (root / name).exists()]
    base = [python, "-m", "compileall", "-q", "-j", "0", "--invalidation-mode", "unchecked-hash"]
    # Code objects name their file relative to the bundle root, not this build's temp dir.
    base += ["-s", str(root)]
    if ours:
        _run([*base, *map(str, ours)])
    if not third_party:
        return
    if not sourceless:
        _run([*base, *map(str, third_party)])
        return
    _run([*base, "-b", *map(str, third_party)])
    for directory in third_party:
        sources = directory.rglob("*.py") if directory.is_dir() else [directory]
        for source in list(sources):
            if source.with_suffix(".pyc").exists():
                source.unlink()


def _walk_files(root: Path) -> Iterator[Path]:
    yield from sorted(
        (p for p in root.rglob("*") if p.is_file()), key=lambda p: p.relative_to(root).as_posix()
    )


#: Deflate level of every entry (bench/cold_start.py re-zips the dependencies alike).
ZIP_LEVEL = 9


def write_zip(root: Path, destination: Path) -> BundleReport:
    destination.parent.mkdir(parents=True, exist_ok=True)
    by_top: dict[str, int] = {}
    count = 0
    with zipfile.ZipFile(destination, "w") as archive:
        for path in _walk_files(root):
            name = path.relative_to(root).as_posix()
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = (
                0o100755 if os.access(path, os.X_OK) and path.suffix == ".so" else 0o100644
            ) << 16
            info.create_system = 3  # Unix, whatever machine builds it
            archive.writestr(info, path.read_bytes(), compresslevel=ZIP_LEVEL)
            count += 1
    with zipfile.ZipFile(destination) as archive:
        for info in archive.infolist():
            top = info.filename.split("/", 1)[0]
            by_top[top] = by_top.get(top, 0) + info.compress_size
    return BundleReport(
        platform="",
        arch="",
        path=destination,
        zip_bytes=destination.stat().st_size,
        files=count,
        by_top_level=by_top,
    )


#: The vendors a function bundle can carry (`passport-ocr package --with-vendor`).
BUNDLED_VENDORS: Final = tuple(name for name, vendor in VENDORS.items() if vendor.bundle_packages)


def with_vendors(spec: BundleSpec, vendors: Iterable[str]) -> BundleSpec:
    """`spec` with the clients of `vendors` and, for a vendor of another cloud, this cloud's
    secret-store SDK (that vendor's keys come from a secret); the spec itself if none."""
    unknown = sorted(set(vendors) - set(BUNDLED_VENDORS))
    if unknown:
        raise BundleError(
            f"unknown vendor {', '.join(unknown)}; choose from {', '.join(BUNDLED_VENDORS)}"
        )
    added: list[str] = []
    for vendor in vendors:
        described = VENDORS[vendor]  # type: ignore[index]
        added += described.bundle_packages
        if described.home_cloud != spec.platform:  # its keys come from this cloud's secrets
            added += CLOUDS[spec.platform].secret_packages  # type: ignore[index]
    missing = [r for r in dict.fromkeys(added) if r not in spec.requirements]
    return replace(spec, requirements=(*spec.requirements, *missing)) if missing else spec


def build(
    platform: str,
    *,
    arch: str = "x86_64",
    output: Path | None = None,
    compile_bytecode: bool = True,
    vendors: tuple[str, ...] = (),
) -> BundleReport:
    """The deployment zip of `platform`, with the clients of `vendors` added (a function
    that calls another cloud's OCR)."""
    if platform not in SPECS:
        raise BundleError(f"unknown platform {platform!r}; choose one of {', '.join(SPECS)}")
    if arch not in ("x86_64", "arm64"):
        raise BundleError(f"unknown architecture {arch!r}; choose x86_64 or arm64")
    spec = with_vendors(SPECS[platform], vendors)
    suffix = "".join(f"+{vendor}" for vendor in sorted(set(vendors)))
    output = output or REPO_ROOT / "dist" / (
        f"passport-ocr-{platform}{suffix}{'' if arch == 'x86_64' else '-arm64'}.zip"
    )
    python = find_python(spec.python)
    with tempfile.TemporaryDirectory(prefix=f"bundle-{platform}-") as tmp:
        root, wheelhouse = Path(tmp) / "root", Path(tmp) / "wheels"
        root.mkdir()
        wheelhouse.mkdir()
        build_source_wheels(spec, python, wheelhouse)
        install_requirements(spec, arch, root, wheelhouse)
        if arch == "arm64":
            prune(root, ("crcmod/_crcfunext*.so",))  # built for x86_64; crcmod falls back to Python
        remove_provided(spec, root)
        copy_project(spec, root)
        prune(root, spec.prune)
        stripped = strip_native(root, arch)
        if compile_bytecode:
            compile_pyc(
                python,
                root,
                sourceless=spec.sourceless,
                handler_modules=[path.name for path in handler_files(spec)],
            )
        report = write_zip(root, output)
    report.platform, report.arch, report.stripped = platform, arch, stripped
    return report
