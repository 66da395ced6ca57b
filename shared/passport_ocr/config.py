"""Settings, from environment variables, validated once per container.

Every setting is `PASSPORT_OCR_<NAME>` (the README lists them with their defaults). A plain
pydantic model read by `load_settings`: pydantic-settings would add 90 ms to every cold
start for reading one prefix of variables.
Credentials are not settings: they come from the function context or the cloud's usual
environment variables, per invocation, because temporary credentials expire; another
cloud's long-lived key pair may come from a secret (`vendor_secret`, see vendor_secrets.py).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import date
from typing import Literal, cast

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from passport_ocr.clouds import CLOUDS, CloudName
from passport_ocr.errors import ConfigError
from passport_ocr.vendors import VENDORS, VendorName

ENV_PREFIX = "PASSPORT_OCR_"
ProviderName = VendorName
PlatformName = CloudName
#: The offline engine's model: as shipped, or its int8 copy (`tools/ocr/quantize.py`).
LocalPrecision = Literal["float", "int8"]

#: The vendor a function uses unless told otherwise (each cloud's descriptor says which).
DEFAULT_PROVIDER: Mapping[str, ProviderName] = {
    name: cast(ProviderName, item.default_vendor) for name, item in CLOUDS.items()
}


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # --- which OCR, and how patiently -------------------------------------------------
    provider: ProviderName | None = Field(
        default=None,
        description=f"OCR vendor: {', '.join(VENDORS)}. Default: the platform's own ("
        + ", ".join(f"{CLOUDS[c].function_title}: {DEFAULT_PROVIDER[c]}" for c in CLOUDS)
        + ").",
    )
    ocr_timeout_seconds: float = Field(
        default=10.0, gt=0, le=120, description="Per OCR request (the SDKs default to 60-120 s)."
    )
    ocr_max_attempts: int = Field(
        default=3, ge=1, le=10, description="OCR tries for throttling, timeouts and 5xx."
    )
    deadline_margin_seconds: float = Field(
        default=3.0, ge=0, description="Time kept back from the function's remaining time."
    )
    preflight_memory_mb: int = Field(
        default=256,
        ge=32,
        le=8192,
        description="Most memory converting one upload may take (decoded pixels and a copy); "
        "a larger upload is rejected as image.too_large instead of exhausting the function.",
    )
    image_transfer: Literal["auto", "url", "bytes"] = Field(
        default="auto",
        description="auto: by reference (the S3 object itself for Textract, else a signed "
        "URL) when the vendor can read it as is; url: by reference whenever the vendor "
        "takes one; bytes: always fetched and prepared here.",
    )

    # --- another cloud's OCR keys, from this cloud's secret store ------------------------
    vendor_secret: str | None = Field(
        default=None,
        description="Where the key pair of another cloud's OCR is kept, as JSON (README, "
        '"Vendor keys from a secret store"): Lambda: a Secrets Manager secret ARN or an SSM '
        "SecureString parameter ARN; FunctionGraph: a CSMS secret name; SCF: an SSM secret "
        "name. Read once per container and again when the vendor refuses the key. Unset: "
        "the vendor's own environment variables.",
    )
    vendor_secret_version: str | None = Field(
        default=None,
        description="The secret's version: Secrets Manager a stage (default AWSCURRENT), "
        "CSMS a version id (default latest), SCF's SSM a version id (required there); "
        "ignored for SSM parameters (the latest is read).",
    )
    vendor_secret_endpoint: str | None = Field(
        default=None,
        description="Secret store endpoint override (private or test endpoints).",
    )

    # --- Huawei Cloud OCR -------------------------------------------------------------
    huawei_region: str = Field(default="cn-north-4", description="Huawei OCR region.")
    huawei_endpoint: str | None = Field(
        default=None, description="Overrides the region, e.g. https://ocr.ae-ad-1.g42cloud.com"
    )
    huawei_project_id: str | None = Field(
        default=None, description="Default: the FunctionGraph context's project id."
    )
    huawei_country_code: Literal["auto", "CHN", "GENERAL"] = Field(
        default="auto",
        description="auto: the service decides; CHN: full Chinese fields; GENERAL: MRZ only.",
    )
    huawei_mrz_read: bool = Field(
        default=True,
        description="When a Chinese passport's full-field (CHN) answer has no MRZ, read the "
        "page again with country_code GENERAL for its MRZ (a second billed call), so the "
        "record can be checked and valid; false: one call, such records stay needs_review.",
    )
    huawei_enterprise_project_id: str | None = Field(
        default=None,
        description="Sent as Enterprise-Project-Id: Huawei bills the calls to that enterprise "
        "project (unset: 'default').",
    )
    huawei_max_side: int = Field(
        default=4096,
        ge=15,
        le=8192,
        description="Longest side Huawei accepts (8192 in newer regions); larger is shrunk.",
    )

    # --- Tencent Cloud OCR ------------------------------------------------------------
    tencent_region: str = Field(default="ap-guangzhou", description="Tencent OCR region.")
    tencent_endpoint: str = Field(
        default="ocr.tencentcloudapi.com",
        description="ocr.intl.tencentcloudapi.com for the international site (bytes only).",
    )
    tencent_mode: Literal["auto", "cn", "international"] = Field(
        default="auto",
        description="cn: PassportOCR; international: MLIDPassportOCR; auto: MLID first, "
        "PassportOCR only for mainland passports it reads without Chinese fields.",
    )
    tencent_legacy_app_id: str | None = Field(
        default=None, description="app_id of the legacy image API (tencent-legacy provider)."
    )
    tencent_legacy_body: Literal["multipart", "json"] = Field(
        default="multipart",
        description="The legacy API's request body: multipart (raw image) or json (base64).",
    )
    tencent_legacy_endpoint: str = Field(
        default="https://sdkservice.image.myqcloud.com/ocr/passport",
        description="The legacy passport API URL.",
    )

    # --- Amazon Textract --------------------------------------------------------------
    textract_region: str | None = Field(
        default=None,
        description="Textract region; default: the function's (it reads S3 objects of its "
        "own region only).",
    )
    textract_endpoint: str | None = Field(
        default=None, description="Textract endpoint override (VPC or test endpoints)."
    )

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
    topic_endpoint: str | None = Field(
        default=None, description="SMN/TDMQ/SNS endpoint override (private or test endpoints)."
    )
    payload: Literal["full", "masked", "reference"] = Field(
        default="masked",
        description="full: the record; masked: numbers and names partly hidden, no MRZ; "
        "reference: status and findings, the full record under the results prefix.",
    )
    event_object_key: Literal["key", "object_id"] = Field(
        default="key",
        description="How events name the upload: key: its object key (names often hold "
        "personal data); object_id: the opaque object id only (subject, data.object.key), "
        "and results stored as results/<object id>.json.",
    )
    delete_after: Literal["never", "recognized"] = Field(
        default="never",
        description="recognized: delete the scan once its record is published (the stacks "
        "grant DeleteObject on the upload prefix only then); never: retention rules delete it.",
    )
    portrait: Literal["off", "store"] = Field(
        default="off",
        description="store: keep the holder's portrait (biometric data) under "
        "<results prefix>portraits/ with the results' retention, the record naming the object "
        "(Tencent and the offline engine give one); off: never asked for, never kept.",
    )
    local_precision: LocalPrecision = Field(
        default="float",
        description="The offline engine's model (provider local): float: as shipped; int8: an "
        "int8 copy on onnxruntime, faster, built once on this machine from generated pages "
        "(about 40 s on one core; `passport-ocr engine prepare` builds it ahead) and cached.",
    )
    cache_dir: str | None = Field(
        default=None,
        description="Where the offline engine keeps the int8 model; default: "
        "$XDG_CACHE_HOME/passport-ocr or ~/.cache/passport-ocr.",
    )
    upload_prefix: str = Field(default="uploads/", description="Where scans are uploaded.")
    results_prefix: str = Field(
        default="results/", description="Where full records go; events under it are ignored."
    )
    results_bucket: str | None = Field(default=None, description="Default: the upload's bucket.")
    storage_endpoint: str | None = Field(
        default=None, description="OBS/COS/S3 endpoint override (private or test endpoints)."
    )

    # --- what the operator asks of a document (passport_ocr/policy.py) ---------------------
    min_validity_days: int | None = Field(
        default=None,
        ge=0,
        le=36500,
        description="Days of validity a document must have left at the check date "
        "(e.g. 183 for the six-month rule); fewer: finding policy.validity_short. Unset: no check.",
    )
    min_age_years: int | None = Field(
        default=None,
        ge=0,
        le=150,
        description="Age the holder must have reached at the check date; younger: finding "
        "policy.under_age. Unset: no check.",
    )
    check_date: date | None = Field(
        default=None,
        description="The day (YYYY-MM-DD, e.g. a travel date) the validity and age checks are "
        "made for. Unset: the day the upload is processed.",
    )
    policy_severity: Literal["warning", "error"] = Field(
        default="warning",
        description="Weight of the policy findings: warning sends the record to review, error "
        "makes it invalid.",
    )
    expired_severity: Literal["warning", "error"] = Field(
        default="warning", description="Weight of document.expired (the expiry date has passed)."
    )

    # --- AWS extras ---------------------------------------------------------------------
    idempotency_table: str | None = Field(
        default=None, description="Lambda: DynamoDB table for idempotency; unset: off."
    )
    idempotency_ttl_seconds: int = Field(
        default=3600, ge=60, description="How long a processed object version is remembered."
    )


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Read settings from `environ` (default: the process environment).

    Raises `ConfigError` naming each bad variable and what is wrong with it (never its value).
    """
    source = os.environ if environ is None else environ
    prefixed = {
        key[len(ENV_PREFIX) :].lower(): value
        for key, value in source.items()
        if key.startswith(ENV_PREFIX) and value != ""
    }
    try:
        return Settings.model_validate(prefixed)
    except ValidationError as exc:
        problems = "; ".join(
            f"{ENV_PREFIX}{'.'.join(map(str, error['loc'])).upper()}: {error['msg']}"
            for error in exc.errors(include_input=False, include_url=False)
        )
        raise ConfigError(f"invalid settings: {problems}") from None


def settings_table() -> str:
    """The README's settings table, generated from the model so that the two agree."""
    rows = ["| variable | default | meaning |", "|---|---|---|"]
    for name, field in Settings.model_fields.items():
        default = field.default
        shown = "(none)" if default is None else f"`{default}`"
        rows.append(f"| `PASSPORT_OCR_{name.upper()}` | {shown} | {field.description or ''} |")
    return "\n".join(rows)


if __name__ == "__main__":  # python -m passport_ocr.config: print the README table
    print(settings_table())  # noqa: T201
