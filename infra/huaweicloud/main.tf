# Passport OCR on Huawei Cloud: OBS upload -> FunctionGraph (async, retried) -> SMN.
# Failed invocations (after max_async_retries) are recorded in the bucket under failure_prefix.

locals {
  bundle_md5 = filemd5(var.bundle_path)
  # The hash in the key makes a new bundle a new object (key is ForceNew), so no `etag` is
  # needed: under SSE-KMS the ETag is not the MD5 of the file and would re-upload every apply.
  code_key = "${var.code_prefix}passport-ocr-huaweicloud-${local.bundle_md5}.zip"

  # One lifecycle rule per prefix (no overlapping prefixes). Scans and records are personal
  # data: current objects expire after the operator's retention, older versions soon after.
  lifecycle = [
    { name = "expire-uploads", prefix = var.upload_prefix, days = var.upload_retention_days },
    { name = "expire-results", prefix = var.results_prefix, days = var.results_retention_days },
    # Failure records name object keys: keep them only as long as someone may redrive them.
    { name = "expire-failure-records", prefix = var.failure_prefix, days = var.failure_record_days },
    { name = "expire-old-code-versions", prefix = var.code_prefix, days = null },
  ]

  # The function's settings (passport_ocr.config.Settings). The project id comes from the
  # function context, the credentials from the agency.
  environment = merge(
    {
      PASSPORT_OCR_PROVIDER            = "huawei"
      PASSPORT_OCR_HUAWEI_REGION       = var.region
      PASSPORT_OCR_PAYLOAD             = var.payload
      PASSPORT_OCR_OCR_TIMEOUT_SECONDS = tostring(var.ocr_timeout_seconds)
      PASSPORT_OCR_OCR_MAX_ATTEMPTS    = tostring(var.ocr_max_attempts)
      PASSPORT_OCR_UPLOAD_PREFIX       = var.upload_prefix
      PASSPORT_OCR_RESULTS_PREFIX      = var.results_prefix
      PASSPORT_OCR_RESULTS_BUCKET      = huaweicloud_obs_bucket.uploads.bucket
      PASSPORT_OCR_TOPIC               = huaweicloud_smn_topic.results.topic_urn
      PASSPORT_OCR_TOPIC_REGION        = var.region
    },
    var.huawei_endpoint == "" ? {} : { PASSPORT_OCR_HUAWEI_ENDPOINT = var.huawei_endpoint },
    # Only set when enabled: the default deployment carries no delete setting at all.
    var.delete_after == "recognized" ? { PASSPORT_OCR_DELETE_AFTER = "recognized" } : {},
    # Another cloud's OCR key pair from a CSMS secret (with PASSPORT_OCR_PROVIDER set to that
    # vendor in extra_environment).
    var.vendor_secret_name == "" ? {} : { PASSPORT_OCR_VENDOR_SECRET = var.vendor_secret_name },
    var.extra_environment,
  )
}

resource "huaweicloud_obs_bucket" "uploads" {
  bucket        = var.bucket_name
  acl           = "private"
  versioning    = true
  encryption    = true
  sse_algorithm = "kms"
  force_destroy = var.force_destroy

  dynamic "lifecycle_rule" {
    for_each = local.lifecycle
    content {
      name    = lifecycle_rule.value.name
      prefix  = lifecycle_rule.value.prefix
      enabled = true

      dynamic "expiration" {
        for_each = lifecycle_rule.value.days == null ? [] : [lifecycle_rule.value.days]
        content {
          days = expiration.value
        }
      }

      noncurrent_version_expiration {
        days = var.noncurrent_version_days
      }
    }
  }
}

# TLS only, as on S3: every request over plain HTTP is refused, whoever sends it.
resource "huaweicloud_obs_bucket_policy" "tls_only" {
  count         = var.enforce_tls ? 1 : 0
  bucket        = huaweicloud_obs_bucket.uploads.bucket
  policy_format = "obs"
  policy = jsonencode({
    Statement = [{
      Sid       = "DenyInsecureTransport"
      Effect    = "Deny"
      Principal = { ID = ["*"] }
      Action    = ["*"]
      Resource = [
        huaweicloud_obs_bucket.uploads.bucket,
        "${huaweicloud_obs_bucket.uploads.bucket}/*",
      ]
      Condition = { Bool = { SecureTransport = ["false"] } }
    }]
  })
}

resource "huaweicloud_obs_bucket_object" "code" {
  bucket     = huaweicloud_obs_bucket.uploads.bucket
  key        = local.code_key
  source     = var.bundle_path
  encryption = true
}

# No encryption argument: the provider's huaweicloud_smn_topic has none (infra/README.md).
resource "huaweicloud_smn_topic" "results" {
  name         = "${var.name}-results"
  display_name = "Passport OCR results"
}

resource "huaweicloud_fgs_function" "ocr" {
  name                  = var.name
  app                   = "default"
  description           = "Passport scans from OBS to ICAO 9303-checked records on SMN"
  functiongraph_version = "v2"
  agency                = huaweicloud_identity_agency.function.name
  runtime               = var.runtime
  handler               = "index.handler"
  memory_size           = var.memory_size
  timeout               = var.timeout
  max_instance_num      = tostring(var.max_instances)
  code_type             = "obs"
  code_url              = "https://${huaweicloud_obs_bucket.uploads.bucket_domain_name}/${huaweicloud_obs_bucket_object.code.key}"
  user_data             = jsonencode(local.environment)
}

# The classic OBS trigger (not the deprecated huaweicloud_fgs_trigger). OBS invokes the
# function asynchronously, so the async configuration below governs retries.
resource "huaweicloud_fgs_function_trigger" "uploads" {
  function_urn = huaweicloud_fgs_function.ocr.urn
  type         = "OBS"
  status       = "ACTIVE"

  event_data = jsonencode({
    name   = "${var.name}-uploads"
    bucket = huaweicloud_obs_bucket.uploads.bucket
    events = ["s3:ObjectCreated:*"]
    prefix = var.upload_prefix
    suffix = var.upload_suffix
  })
}

resource "huaweicloud_fgs_async_invoke_configuration" "ocr" {
  function_urn                   = huaweicloud_fgs_function.ocr.urn
  max_async_retry_attempts       = var.max_async_retries
  max_async_event_age_in_seconds = var.max_event_age_seconds
  enable_async_status_log        = true

  # Transient failures that outlive every retry: the invocation record (the OBS event, the
  # error) is written to the bucket, where nothing is lost and it can be replayed.
  on_failure {
    destination = "OBS"
    param = jsonencode({
      bucket  = huaweicloud_obs_bucket.uploads.bucket
      prefix  = var.failure_prefix
      expires = var.failure_record_days
    })
  }
}
