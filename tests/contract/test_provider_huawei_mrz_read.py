"""Huawei's CHN answer has no MRZ: the provider reads the page again with GENERAL for it
(the real huaweicloudsdkocr client against the signature-checking stub), and a record both
reads agree on is valid."""

from __future__ import annotations

import copy
import io
import json
from datetime import date
from typing import Any

import pytest
from PIL import Image

from passport_ocr.credentials import Credentials
from passport_ocr.images import PreparedImage
from passport_ocr.mapping import to_record
from passport_ocr.mapping.huawei import MRZ_READ_KEY
from passport_ocr.providers.base import ImageInput, RetryPolicy
from passport_ocr.providers.huawei import HuaweiOcrProvider, HuaweiOptions
from passport_ocr.record import Status
from tests.fakes import FakeTime
from tests.mrz_builder import Doc, td3
from tests.stubs.huawei import HuaweiOcrStub, apig_throttled, load_sample
from tests.stubs.server import RecordedRequest, StubServer

AK, SK = "HPUAEXAMPLEAK", "exampleSecretKey0123456789"
PROJECT = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
TODAY = date(2026, 12, 5)
HOLDER = Doc(
    document_code="P",
    issuing_state="CHN",
    surnames=("ZHANG",),
    given_names=("SAN",),
    document_number="E12345678",
    nationality="CHN",
    birth="901212",
    sex="F",
    expiry="340708",
)


def chn_answer() -> dict[str, Any]:
    """Huawei's CHN sample (seed: RecognizePassport), for a passport valid until 2034."""
    answer = load_sample("huawei_chn.json")
    answer["result"].update(passport_number="E12345678", date_of_expiry="2034-07-08")
    return answer


def general_answer(lines: list[str]) -> dict[str, Any]:
    answer = load_sample("huawei_general.json")
    answer["result"].update(
        machine_code=lines[0],
        machine_code2=lines[1],
        country_code="CHN",
        passport_number="E12345678",
        surname="ZHANG",
        given_name="SAN",
        date_of_birth="1990-12-12",
        sex="F",
        date_of_expiry="2034-07-08",
    )
    return answer


def by_country(general: dict[str, Any]) -> Any:
    def answer(body: dict[str, Any]) -> dict[str, Any]:
        return copy.deepcopy(general if body.get("country_code") == "GENERAL" else chn_answer())

    return answer


def page() -> ImageInput:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 40), (200, 200, 200)).save(buffer, "JPEG")
    return ImageInput(image=PreparedImage(buffer.getvalue(), "JPEG", 64, 40))


def provider(server: StubServer, **options: Any) -> HuaweiOcrProvider:
    fake = FakeTime()
    return HuaweiOcrProvider(
        HuaweiOptions(project_id=PROJECT, endpoint=server.url, **options),
        Credentials(AK, SK),
        retry=RetryPolicy(max_attempts=2, base_delay=0.01, max_delay=0.02),
        sleep=fake.sleep,
        clock=fake.clock,
    )


def country_codes(server: StubServer) -> list[str | None]:
    requests: list[RecordedRequest] = server.requests
    return [json.loads(r.body).get("country_code") for r in requests]


@pytest.fixture
def stub() -> HuaweiOcrStub:
    return HuaweiOcrStub(
        secrets={AK: SK}, project_id=PROJECT, answer=by_country(general_answer(td3(HOLDER)))
    )


def test_a_chn_answer_gets_its_mrz_from_a_second_general_read(stub: HuaweiOcrStub) -> None:
    with StubServer(stub) as server:
        answer = provider(server).recognize(page())
        assert country_codes(server) == [None, "GENERAL"]  # auto first, then the MRZ read
    assert answer.attempts == 2
    record = to_record(answer.format, answer.raw, today=TODAY)
    assert record.mrz is not None and record.mrz.lines == tuple(td3(HOLDER))
    assert record.status == Status.VALID, record.finding_codes()
    assert record.local is not None and record.local.name == "张三"  # the CHN page's fields stay
    assert record.place_of_birth == "HUNAN"


def test_without_the_second_read_the_record_cannot_be_verified(stub: HuaweiOcrStub) -> None:
    with StubServer(stub) as server:
        answer = provider(server, mrz_read=False).recognize(page())
        assert country_codes(server) == [None]
    record = to_record(answer.format, answer.raw, today=TODAY)
    assert record.status == Status.NEEDS_REVIEW and record.status_rule == "mrz.absent"


def test_mrz_and_page_disagreeing_is_invalid(stub: HuaweiOcrStub) -> None:
    other = Doc(**{**HOLDER.__dict__, "document_number": "E12345670"})
    stub.answer = by_country(general_answer(td3(other)))
    with StubServer(stub) as server:
        answer = provider(server).recognize(page())
    record = to_record(answer.format, answer.raw, today=TODAY)
    assert record.status == Status.INVALID
    assert "cross_check.mismatch" in record.finding_codes()


def test_a_general_answer_or_a_foreign_passport_costs_one_call(stub: HuaweiOcrStub) -> None:
    stub.answer = "huawei_general.json"
    with StubServer(stub) as server:
        assert provider(server).recognize(page()).attempts == 1
        assert country_codes(server) == [None]


def test_a_failed_second_read_keeps_the_chn_record_with_a_note(stub: HuaweiOcrStub) -> None:
    def gateway(request: RecordedRequest) -> Any:
        """The gateway throttles every GENERAL read; the OCR answers the first one."""
        if json.loads(request.body).get("country_code") == "GENERAL":
            return apig_throttled()
        return stub(request)

    with StubServer(gateway) as server:
        answer_ = provider(server).recognize(page())
        assert country_codes(server) == [None, "GENERAL", "GENERAL"]  # retried, then given up
    assert answer_.raw[MRZ_READ_KEY] == {"error_code": "APIG.0308"}
    record = to_record(answer_.format, answer_.raw, today=TODAY)
    assert record.status == Status.NEEDS_REVIEW
    assert "vendor.supplement_unavailable" in record.finding_codes()
