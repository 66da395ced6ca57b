# Passport OCR on Tencent Cloud: COS upload -> SCF (async, retried) -> TDMQ for CMQ topic.

data "tencentcloud_user_info" "current" {}

locals {
  app_id     = data.tencentcloud_user_info.current.app_id
  bucket     = "${var.bucket_name}-${local.app_id}"
  bundle_md5 = filemd5(var.bundle_path)

  # The function's settings (passport_ocr.config.Settings). Credentials come from the
  # execution role (TENCENTCLOUD_SECRETID/SECRETKEY/SESSIONTOKEN set by SCF).
  environment = merge(
    {
      PASSPORT_OCR_PROVIDER            = "tencent"
      PASSPORT_OCR_TENCENT_REGION      = var.region
      PASSPORT_OCR_TENCENT_MODE        = var.tencent_mode
      PASSPORT_OCR_PAYLOAD             = var.payload
      PASSPORT_OCR_OCR_TIMEOUT_SECONDS = tostring(var.ocr_timeout_seconds)
      PASSPORT_OCR_OCR_MAX_ATTEMPTS    = tostring(var.ocr_max_attempts)
      PASSPORT_OCR_UPLOAD_PREFIX       = var.upload_prefix
      PASSPORT_OCR_RESULTS_PREFIX      = var.results_prefix
      PASSPORT_OCR_RESULTS_BUCKET      = tencentcloud_cos_bucket.uploads.bucket
      PASSPORT_OCR_TOPIC               = tencentcloud_tcmq_topic.results.topic_name
      PASSPORT_OCR_TOPIC_REGION        = var.region
    },
    # Only set when enabled: the default deployment carries no delete setting at all.
    var.delete_after == "recognized" ? { PASSPORT_OCR_DELETE_AFTER = "recognized" } : {},
    # Another cloud's OCR key pair (or the legacy API's long-lived key) from an SSM secret.
    var.vendor_secret_name == "" ? {} : {
      PASSPORT_OCR_VENDOR_SECRET         = var.vendor_secret_name
      PASSPORT_OCR_VENDOR_SECRET_VERSION = var.vendor_secret_version
    },
    var.extra_environment,
  )

  # One lifecycle rule per prefix (no overlapping filters). Scans and records are personal
  # data: current versions expire after the operator's retention, older versions soon after.
  lifecycle = [
    { prefix = var.upload_prefix, days = var.upload_retention_days },
    { prefix = var.results_prefix, days = var.results_retention_days },
    { prefix = var.code_prefix, days = null }, # code bundles: only superseded versions expire
  ]
}

resource "tencentcloud_cos_bucket" "uploads" {
  bucket               = local.bucket
  acl                  = "private"
  versioning_enable    = true
  encryption_algorithm = "AES256"
  force_clean          = var.force_clean

  dynamic "lifecycle_rules" {
    for_each = local.lifecycle
    content {
      filter_prefix = lifecycle_rules.value.prefix

      dynamic "expiration" {
        for_each = lifecycle_rules.value.days == null ? [] : [lifecycle_rules.value.days]
        content {
          days = expiration.value
        }
      }

      non_current_expiration {
        non_current_days = var.noncurrent_version_days
      }
    }
  }
}

# TLS only, as on S3: every request over plain HTTP is refused, whoever sends it. `<bucket>/*`
# covers the bucket's own operations too: Tencent's PUT Bucket policy example grants the
# bucket-level `name/cos:GetBucket` on `...:examplebucket-1250000000/*`
# (https://www.tencentcloud.com/document/api/436/8282).
resource "tencentcloud_cos_bucket_policy" "tls_only" {
  count  = var.enforce_tls ? 1 : 0
  bucket = tencentcloud_cos_bucket.uploads.bucket
  policy = jsonencode({
    version = "2.0"
    statement = [{
      principal = { qcs = ["qcs::cam::anyone:anyone"] }
      effect    = "deny"
      action    = ["name/cos:*"]
      resource = [
        "qcs::cos:${var.region}:uid/${local.app_id}:${tencentcloud_cos_bucket.uploads.bucket}/*",
      ]
      condition = { bool_equal = { "qcs:secure_transport" = "false" } }
    }]
  })
}

resource "tencentcloud_cos_bucket_object" "code" {
  bucket = tencentcloud_cos_bucket.uploads.bucket
  # The hash in the key makes a new bundle a new object; SSE-COS (AES256) keeps the ETag the
  # MD5 of the content, so `etag` does not drift.
  key    = "${var.code_prefix}passport-ocr-tencentcloud-${local.bundle_md5}.zip"
  source = var.bundle_path
  etag   = local.bundle_md5
  acl    = "private"
}

resource "tencentcloud_tcmq_topic" "results" {
  topic_name            = "${var.name}-results"
  max_msg_size          = var.topic_max_msg_size
  msg_retention_seconds = var.topic_retention_seconds
  filter_type           = 1
  trace                 = true
}

resource "tencentcloud_scf_function" "ocr" {
  name              = var.name
  description       = "Passport scans from COS to ICAO 9303-checked records on TDMQ for CMQ"
  namespace         = "default"
  handler           = "index.main_handler"
  runtime           = var.runtime
  mem_size          = var.memory_size
  timeout           = var.timeout
  role              = tencentcloud_cam_role.function.name
  enable_public_net = true # the OCR and TDMQ APIs are public endpoints
  cos_bucket_name   = tencentcloud_cos_bucket.uploads.bucket
  # SCF's CosObjectName is "the code package path in COS, starting with /".
  cos_object_name   = "/${tencentcloud_cos_bucket_object.code.key}"
  cos_bucket_region = var.region
  environment       = local.environment

  # COS invokes SCF asynchronously; the event invoke config below sets the retries.
  triggers {
    # The bare bucket id (<name>-<appid>): the provider appends ".cos.<cos_region>.myqcloud.com".
    name       = tencentcloud_cos_bucket.uploads.bucket
    type       = "cos"
    cos_region = var.region
    trigger_desc = jsonencode({
      event  = "cos:ObjectCreated:*"
      filter = { Prefix = var.upload_prefix, Suffix = var.upload_suffix }
    })
  }
}

# Run errors (exceptions, timeouts) are retried retry_num times, one minute apart; system
# errors and throttling are retried by SCF until msg_ttl. SCF's dead-letter queue (a CMQ queue,
# beta, enabled by ticket) cannot be configured through this provider: after the last retry the
# failure stays in the function's invocation log.
resource "tencentcloud_scf_function_event_invoke_config" "ocr" {
  function_name = tencentcloud_scf_function.ocr.name
  namespace     = tencentcloud_scf_function.ocr.namespace

  async_trigger_config {
    msg_ttl = var.msg_ttl

    retry_config {
      retry_num = var.retry_num
    }
  }
}
