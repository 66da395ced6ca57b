"""Shared by the pipeline, handler and log tests: a specimen passport, its vendor answers,
page images, platform contexts, and handler modules imported the way each platform does.

The specimen is a fictional person of Utopia (ICAO's specimen state) with distinctive
names, so that a test can grep every log line for them. Its MRZ is built by the test-side
builder (`tests/mrz_builder.py`), check digits included.
"""

from __future__ import annotations

import copy
import importlib.util
import io
import json
import random
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from PIL import Image

from passport_ocr.aws_clients import forget_session
from tests.events_helpers import load
from tests.mrz_builder import Doc, td3

ROOT = Path(__file__).resolve().parents[1]
FUNCTIONS = ROOT / "functions"

SPECIMEN = Doc(
    document_code="P",
    issuing_state="UTO",
    surnames=("VESTERGAARD",),
    given_names=("SIGRID", "AMALIE"),
    document_number="VX4412870",
    nationality="UTO",
    birth="870314",
    sex="F",
    expiry="340921",
    optional_data="K7731509Q",
)
MRZ = td3(SPECIMEN)
BIRTH_ISO = "1987-03-14"
EXPIRY_ISO = "2034-09-21"

#: Every personal value of the specimen, in every spelling a leak could take.
PERSONAL = (
    "VESTERGAARD",
    "UTOPIA CITY",  # the place of birth in the Textract answer
    "Vestergaard",
    "SIGRID",
    "Sigrid",
    "AMALIE",
    "Amalie",
    SPECIMEN.document_number,
    SPECIMEN.document_number[:6],
    SPECIMEN.optional_data,
    BIRTH_ISO,
    "19870314",
    "14 Mar 1987",
    "8703145",  # the MRZ birth field and its check digit
    *MRZ,
    MRZ[0][5:25],  # fragments: names as the MRZ writes them,
    MRZ[1][:10],  # number and check digit,
    MRZ[1][10:28],  # nationality, birth, sex, expiry
)


def huawei_answer(doc: Doc = SPECIMEN) -> dict[str, Any]:
    """RecognizePassport's answer for a foreign (MRZ) passport, as in seed 000's example."""
    line1, line2 = td3(doc)
    return {
        "result": {
            "country_code": doc.issuing_state,
            "surname": " ".join(doc.surnames),
            "given_name": " ".join(doc.given_names),
            "passport_number": doc.document_number,
            "date_of_birth": BIRTH_ISO,
            "sex": doc.sex,
            "date_of_expiry": EXPIRY_ISO,
            "machine_code": line1,
            "machine_code2": line2,
            "extra_info": {},
            "confidence": {
                "country_code": 0.99,
                "surname": 0.98,
                "given_name": 0.98,
                "passport_number": 0.97,
                "date_of_birth": 0.97,
                "sex": 0.99,
                "date_of_expiry": 0.97,
            },
        }
    }


def tencent_mlid_answer(doc: Doc = SPECIMEN) -> dict[str, Any]:
    """MLIDPassportOCR's `Response` fields (shape of the bundled `tencent_mlid.json`)."""
    line1, line2 = td3(doc)
    surname, given = " ".join(doc.surnames), " ".join(doc.given_names)
    return {
        "AdvancedInfo": "{}",
        "CodeCrc": line2,
        "CodeSet": line1,
        "DateOfBirth": "19870314",
        "DateOfExpiration": "20340921",
        "GivenName": given,
        "ID": doc.document_number,
        "Image": "",
        "IssuingCountry": doc.issuing_state,
        "Name": f"{surname} {given}",
        "Nationality": doc.nationality,
        "PassportRecognizeInfos": {
            "DateOfBirth": "14 Mar 1987",
            "DateOfExpiration": "21 Sep 2034",
            "DateOfIssuance": "22 Sep 2024",
            "GivenName": given,
            "IssuePlace": "",
            "IssuingAuthority": "",
            "IssuingCountry": doc.issuing_state,
            "Name": "",
            "Nationality": "UTOPIAN",
            "PassportID": doc.document_number,
            "Sex": doc.sex,
            "Signature": "",
            "Surname": surname,
            "Type": "P",
        },
        "Sex": doc.sex,
        "Surname": surname,
        "Type": "P",
        "Warn": [],
        "WarnCardInfos": [],
    }


def textract_answer(doc: Doc = SPECIMEN) -> dict[str, Any]:
    """An AnalyzeID answer for a passport page (the API reference's response syntax; the
    passport field names of the Textract guide's "Identity Documentation Response Objects")."""
    line1, line2 = td3(doc)
    surname, (first, *middle) = " ".join(doc.surnames), doc.given_names

    def entry(kind: str, value: str, normalized: str | None = None) -> dict[str, Any]:
        detection: dict[str, Any] = {"Text": value, "Confidence": 97.5}
        if normalized is not None:
            detection["NormalizedValue"] = {"Value": normalized, "ValueType": "DATE"}
        return {"Type": {"Text": kind}, "ValueDetection": detection}

    fields = [
        entry("FIRST_NAME", first),
        entry("LAST_NAME", surname),
        entry("MIDDLE_NAME", " ".join(middle)),
        entry("DOCUMENT_NUMBER", doc.document_number),
        entry("EXPIRATION_DATE", "21 SEP 2034", f"{EXPIRY_ISO}T00:00:00"),
        entry("DATE_OF_BIRTH", "14 MAR 1987", f"{BIRTH_ISO}T00:00:00"),
        entry("DATE_OF_ISSUE", "22 SEP 2024", "2024-09-22T00:00:00"),
        entry("PLACE_OF_BIRTH", "UTOPIA CITY"),
        entry("ID_TYPE", "PASSPORT"),
        entry("MRZ_CODE", f"{line1}\n{line2}"),
    ]
    return {
        "IdentityDocuments": [{"DocumentIndex": 1, "IdentityDocumentFields": fields}],
        "DocumentMetadata": {"Pages": 1},
        "AnalyzeIDModelVersion": "1.0",
    }


def page_jpeg(width: int = 640, height: int = 450, *, noise: int = 0, seed: int = 7) -> bytes:
    """A JPEG the size of a passport page scan; `noise` > 0 adds grain (bigger files)."""
    image = Image.new("RGB", (width, height), (236, 232, 220))
    if noise:
        rng = random.Random(seed)
        grain = Image.frombytes(
            "L", (width, height), bytes(rng.getrandbits(8) for _ in range(width * height))
        )
        image = Image.blend(image, Image.merge("RGB", (grain, grain, grain)), noise / 100)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


# -- platform contexts ---------------------------------------------------------------------


@dataclass
class FunctionGraphContext:
    """The methods of FunctionGraph's `context` the function uses (platforms.md 1.2)."""

    access_key: str
    secret_key: str
    security_token: str
    project_id: str
    request_id: str = "fg-request-0001"
    remaining_ms: int = 60_000

    def getSecurityAccessKey(self) -> str:
        return self.access_key

    def getSecuritySecretKey(self) -> str:
        return self.secret_key

    def getSecurityToken(self) -> str:
        return self.security_token

    def getProjectID(self) -> str:
        return self.project_id

    def getRequestID(self) -> str:
        return self.request_id

    def getRemainingTimeInMilliSeconds(self) -> int:
        return self.remaining_ms


def scf_context(region: str = "ap-shanghai") -> dict[str, Any]:
    """SCF passes a dict (platforms.md 3)."""
    return {
        "request_id": "scf-request-0001",
        "function_name": "passport-ocr",
        "function_version": "$LATEST",
        "namespace": "default",
        "time_limit_in_ms": 60_000,
        "memory_limit_in_mb": 512,
        "tencentcloud_region": region,
        "tencentcloud_appid": "1250000000",
    }


@dataclass
class LambdaContext:
    """The attributes of Lambda's context object Powertools reads."""

    function_name: str = "passport-ocr"
    function_version: str = "$LATEST"
    memory_limit_in_mb: int = 512
    invoked_function_arn: str = "arn:aws:lambda:eu-central-1:123456789012:function:passport-ocr"
    aws_request_id: str = "c6af9ac6-7b61-11e6-9a41-93e812345678"
    log_group_name: str = "/aws/lambda/passport-ocr"
    log_stream_name: str = "2026/11/21/[$LATEST]abcdef"
    remaining_ms: int = 60_000

    def get_remaining_time_in_millis(self) -> int:
        return self.remaining_ms


# -- handler modules -------------------------------------------------------------------------

HANDLER_FILES = {
    "huaweicloud": "index.py",
    "tencentcloud": "index.py",
    "aws": "app.py",
}


def import_handler(
    platform: str, environ: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> ModuleType:
    """Import `functions/<platform>/<handler file>` as the runtime does: its folder on
    sys.path, environment variables set first, a fresh module (so settings and clients are
    built again, as in a new container)."""
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    # A new container also has new sessions (the product's botocore one, boto3's default):
    # each caches the credentials it first resolved, which would leak one test's keys into
    # the next.
    forget_session()
    boto3 = sys.modules.get("boto3")
    if boto3 is not None:
        monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)
    if platform == "aws":
        _forget_powertools_metrics()
    folder = FUNCTIONS / platform
    monkeypatch.syspath_prepend(str(folder))
    name = f"handler_{platform}_{uuid.uuid4().hex}"
    spec = importlib.util.spec_from_file_location(name, folder / HANDLER_FILES[platform])
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, name, module)
    spec.loader.exec_module(module)
    return module


def _forget_powertools_metrics() -> None:
    """Empty the metrics every Powertools `Metrics` shares (class-level dicts, Powertools
    3.37.0 `metrics/metrics.py:82-85`) and raise its cold-start flag, as a new container
    has them: a metric an earlier test added and never flushed would print in this one."""
    from aws_lambda_powertools import Metrics
    from aws_lambda_powertools.metrics.provider import cold_start

    shared = Metrics()
    shared.clear_default_dimensions()
    shared.clear_metrics()  # metrics, dimensions, metadata (Powertools 3.37.0
    # metrics/provider/cloudwatch_emf/cloudwatch.py:454-460), defaults re-applied: none left
    cold_start.reset_cold_start_flag()


# -- realistic events, pointed at a test object -------------------------------------------------


def obs_event(key_encoded: str, size: int, etag: str, *, bucket: str = "passport-scans") -> Any:
    """The native OBS trigger event of `tests/data/events`, naming another object."""
    event = copy.deepcopy(load("huaweicloud_obs_native.json"))
    record = event["Records"][0]
    record["obs"]["bucket"].update(name=bucket, bucket=bucket)
    record["obs"]["object"].update(key=key_encoded, size=size, eTag=etag)
    return event


def cos_event(key: str, size: int, *, name: str = "passports", appid: str = "1250000000") -> Any:
    """The SCF COS trigger event of `tests/data/events`, naming another object."""
    event = copy.deepcopy(load("tencentcloud_cos.json"))
    record = event["Records"][0]
    record["cos"]["cosObject"].update(key=f"/{appid}/{name}/{key}", size=size)
    record["cos"]["cosBucket"].update(name=name, appid=appid)
    return event


def json_lines(text: str) -> list[dict[str, Any]]:
    """The JSON objects among the lines of captured output (other lines ignored)."""
    found = []
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("{"):
            try:
                found.append(json.loads(line))
            except ValueError:
                continue
    return found
