"""Settings, from environment variables, validated once per container.

Every setting is `PASSPORT_OCR_<NAME>` (the README lists them with their defaults).
Credentials are not settings: they come from the function context or the cloud's usual
environment variables, per invocation, because temporary credentials expire.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

ProviderName = Literal["huawei", "tencent", "tencent-legacy", "local"]
PlatformName = Literal["huaweicloud", "tencentcloud", "aws", "local"]

#: The vendor a function uses unless told otherwise: its own cloud's.
DEFAULT_PROVIDER: dict[str, ProviderName] = {
    "huaweicloud": "huawei",
    "tencentcloud": "tencent",
    # No passport OCR of AWS's own here: Tencent's MLIDPassportOCR reads every MRZ
    # passport, and its slim SDK keeps the Lambda bundle small.
    "aws": "tencent",
    "local": "local",
}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PASSPORT_OCR_", extra="ignore", frozen=True)

    # --- which OCR, and how patiently -------------------------------------------------
    provider: ProviderName | None = Field(
        default=None, description="OCR vendor; default: the platform's own (AWS: local)."
    )
    ocr_timeout_seconds: float = Field(default=10.0, gt=0, le=120)
    ocr_max_attempts: int = Field(default=3, ge=1, le=10)
    deadline_margin_seconds: float = Field(
        default=3.0, ge=0, description="Time kept back from the function's remaining time."
    )
    image_transfer: Literal["auto", "url", "bytes"] = Field(
        default="auto", description="auto: a signed URL when the vendor can fetch it as is."
    )

    # --- Huawei Cloud OCR -------------------------------------------------------------
    huawei_region: str = "cn-north-4"
    huawei_endpoint: str | None = Field(
        default=None, description="Overrides the region, e.g. https://ocr.ae-ad-1.g42cloud.com"
    )
    huawei_project_id: str | None = Field(
        default=None, description="Default: the FunctionGraph context's project id."
    )
    huawei_country_code: Literal["auto", "CHN", "GENERAL"] = "auto"
    huawei_max_side: int = Field(default=4096, ge=15, le=8192)

    # --- Tencent Cloud OCR ------------------------------------------------------------
    tencent_region: str = "ap-guangzhou"
    tencent_endpoint: str = "ocr.tencentcloudapi.com"
    tencent_mode: Literal["auto", "cn", "international"] = "auto"
    tencent_legacy_app_id: str | None = None
    tencent_legacy_endpoint: str = "https://sdkservice.image.myqcloud.com/ocr/passport"

    # --- where the function runs -------------------------------------------------------
    region: str | None = Field(
        default=None,
        description="The bucket's and topic's region; default: the platform's "
        "(FunctionGraph: the Huawei OCR region, SCF: TENCENTCLOUD_REGION, Lambda: AWS_REGION).",
    )
    event_key_encoded: bool | None = Field(
        default=None,
        description="Whether trigger events URL-encode object keys; default: "
        "per platform (OBS and S3 yes, COS no). Set false for EventGrid with Key_encode off.",
    )

    # --- where results go -------------------------------------------------------------
    topic: str | None = Field(
        default=None, description="SMN topic URN, TDMQ CMQ topic name, or SNS topic ARN."
    )
    topic_region: str | None = Field(default=None, description="Default: the bucket's region.")
    topic_endpoint: str | None = None
    payload: Literal["full", "masked", "reference"] = "masked"
    upload_prefix: str = "uploads/"
    results_prefix: str = "results/"
    results_bucket: str | None = Field(default=None, description="Default: the upload's bucket.")
    storage_endpoint: str | None = Field(
        default=None, description="OBS/COS/S3 endpoint override (private or test endpoints)."
    )

    # --- AWS extras ---------------------------------------------------------------------
    idempotency_table: str | None = Field(default=None, description="Empty: idempotency off.")
    idempotency_ttl_seconds: int = Field(default=3600, ge=60)


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Read settings from `environ` (default: the process environment)."""
    if environ is None:
        return Settings()
    prefixed = {
        key[len("PASSPORT_OCR_") :].lower(): value
        for key, value in environ.items()
        if key.startswith("PASSPORT_OCR_")
    }
    return Settings.model_validate(prefixed)
