# Passport OCR on AWS: S3 upload -> SQS -> Lambda -> SNS, the same stack as ../../serverless.yml.
#
# S3 -> SQS -> Lambda rather than S3 -> Lambda: batching with per-record failures
# (ReportBatchItemFailures), retries by the queue's visibility timeout, and a dead-letter queue
# (the redrive policy) where uploads that failed every delivery wait to be redriven.

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

locals {
  # The Python the bundle is built for (passport_ocr.clouds, tests/infra/test_runtime_from_one_place.py).
  runtime = "python3.12"
  # Its [major, minor]: SnapStart needs python3.12 or newer (provider_facts.SNAP_START).
  runtime_python = [for part in split(".", trimprefix(local.runtime, "python")) : tonumber(part)]

  create_bucket  = var.upload_bucket_name == ""
  upload_bucket  = local.create_bucket ? aws_s3_bucket.uploads[0].bucket : var.upload_bucket_name
  results_bucket = var.results_bucket_name == "" ? local.upload_bucket : var.results_bucket_name
  bucket_arn     = "arn:${data.aws_partition.current.partition}:s3:::${local.upload_bucket}"
  results_arn    = "arn:${data.aws_partition.current.partition}:s3:::${local.results_bucket}"

  # The function's settings (passport_ocr.config.Settings) and Powertools' own.
  environment = merge(
    {
      PASSPORT_OCR_PROVIDER                = var.ocr_provider
      PASSPORT_OCR_PAYLOAD                 = var.payload
      PASSPORT_OCR_OCR_TIMEOUT_SECONDS     = tostring(var.ocr_timeout_seconds)
      PASSPORT_OCR_OCR_MAX_ATTEMPTS        = tostring(var.ocr_max_attempts)
      PASSPORT_OCR_UPLOAD_PREFIX           = var.upload_prefix
      PASSPORT_OCR_RESULTS_PREFIX          = var.results_prefix
      PASSPORT_OCR_RESULTS_BUCKET          = local.results_bucket
      PASSPORT_OCR_TOPIC                   = aws_sns_topic.results.arn
      PASSPORT_OCR_TOPIC_REGION            = var.region
      PASSPORT_OCR_IDEMPOTENCY_TABLE       = aws_dynamodb_table.idempotency.name
      PASSPORT_OCR_IDEMPOTENCY_TTL_SECONDS = tostring(var.idempotency_ttl_seconds)
      POWERTOOLS_SERVICE_NAME              = var.name
      POWERTOOLS_METRICS_NAMESPACE         = "PassportOcr"
      LOG_LEVEL                            = var.log_level
    },
    # Only set when enabled: the default deployment carries no delete setting at all.
    var.delete_after == "recognized" ? { PASSPORT_OCR_DELETE_AFTER = "recognized" } : {},
    var.vendor_secret_arn == "" ? {} : { PASSPORT_OCR_VENDOR_SECRET = var.vendor_secret_arn },
    var.extra_environment,
  )

  # "secretsmanager" or "ssm" (the ARN's service), "" without a vendor secret.
  vendor_secret_service = var.vendor_secret_arn == "" ? "" : split(":", var.vendor_secret_arn)[2]
  vendor_secret_region  = var.vendor_secret_arn == "" ? "" : split(":", var.vendor_secret_arn)[3]
}

# --- upload bucket (or an existing one) ---------------------------------------------------

resource "aws_s3_bucket" "uploads" {
  count = local.create_bucket ? 1 : 0
  #checkov:skip=CKV_AWS_18:Access logging needs a separate log bucket whose retention is the owner's policy; CloudTrail data events are the usual audit trail for an upload bucket.
  #checkov:skip=CKV_AWS_144:Cross-region replication would copy passport scans to a second region; that is a data-residency decision for the owner, not a default.
  #checkov:skip=CKV_AWS_145:SSE-S3 (AES256) encrypts at rest; a customer KMS key would have to be granted to the function and S3 notifications for no added isolation here.
  bucket        = "${var.name}-uploads-${data.aws_caller_identity.current.account_id}"
  force_destroy = false
}

resource "aws_s3_bucket_versioning" "uploads" {
  count  = local.create_bucket ? 1 : 0
  bucket = aws_s3_bucket.uploads[0].id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "uploads" {
  count  = local.create_bucket ? 1 : 0
  bucket = aws_s3_bucket.uploads[0].id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_public_access_block" "uploads" {
  count                   = local.create_bucket ? 1 : 0
  bucket                  = aws_s3_bucket.uploads[0].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "uploads" {
  count  = local.create_bucket ? 1 : 0
  bucket = aws_s3_bucket.uploads[0].id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

# Scans and results are personal data: current objects expire after the operator's retention
# (one rule per prefix), replaced and deleted versions soon after. A separate results bucket or
# an existing upload bucket is the owner's: give it the same rules (infra/README.md); the
# results rule then finds nothing here.
resource "aws_s3_bucket_lifecycle_configuration" "uploads" {
  count  = local.create_bucket ? 1 : 0
  bucket = aws_s3_bucket.uploads[0].id

  rule {
    id     = "expire-uploads"
    status = "Enabled"

    filter {
      prefix = var.upload_prefix
    }

    expiration {
      days = var.upload_retention_days
    }

    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_version_days
    }
  }

  rule {
    id     = "expire-results"
    status = "Enabled"

    filter {
      prefix = var.results_prefix
    }

    expiration {
      days = var.results_retention_days
    }

    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_version_days
    }
  }

  # Unfinished multipart uploads hold parts of scans too: dropped after a week, bucket-wide.
  rule {
    id     = "abort-incomplete-uploads"
    status = "Enabled"

    filter {}

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }

  depends_on = [aws_s3_bucket_versioning.uploads]
}

data "aws_iam_policy_document" "uploads_tls_only" {
  count = local.create_bucket ? 1 : 0

  statement {
    sid     = "DenyInsecureTransport"
    effect  = "Deny"
    actions = ["s3:*"]
    resources = [
      aws_s3_bucket.uploads[0].arn,
      "${aws_s3_bucket.uploads[0].arn}/*",
    ]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "uploads" {
  count  = local.create_bucket ? 1 : 0
  bucket = aws_s3_bucket.uploads[0].id
  policy = data.aws_iam_policy_document.uploads_tls_only[0].json
}

resource "aws_s3_bucket_notification" "uploads" {
  count  = var.manage_bucket_notification ? 1 : 0
  bucket = local.upload_bucket

  queue {
    id            = "${var.name}-uploads"
    queue_arn     = aws_sqs_queue.uploads.arn
    events        = ["s3:ObjectCreated:*"]
    filter_prefix = var.upload_prefix
    filter_suffix = var.upload_suffix
  }

  depends_on = [aws_sqs_queue_policy.uploads]
}

# --- queue and dead-letter queue ----------------------------------------------------------

resource "aws_sqs_queue" "uploads" {
  #checkov:skip=CKV_AWS_27:Encrypted at rest with SSE-SQS (sqs_managed_sse_enabled). S3 event notifications cannot deliver to a queue under the AWS-managed KMS key, and a customer key would need a key policy for S3.
  name                       = "${var.name}-uploads"
  sqs_managed_sse_enabled    = true
  visibility_timeout_seconds = var.timeout * 6 # AWS guidance for a Lambda event source
  message_retention_seconds  = 345600

  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dead_letter.arn
    maxReceiveCount     = var.max_receive_count
  })
}

resource "aws_sqs_queue" "dead_letter" {
  #checkov:skip=CKV_AWS_27:Same key choice as the uploads queue, whose messages it receives (SSE-SQS).
  name                      = "${var.name}-uploads-dlq"
  sqs_managed_sse_enabled   = true
  message_retention_seconds = 1209600
}

data "aws_iam_policy_document" "queue" {
  statement {
    sid       = "UploadBucketNotifications"
    effect    = "Allow"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.uploads.arn]

    principals {
      type        = "Service"
      identifiers = ["s3.amazonaws.com"]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [local.bucket_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_sqs_queue_policy" "uploads" {
  queue_url = aws_sqs_queue.uploads.id
  policy    = data.aws_iam_policy_document.queue.json
}

# --- results topic and idempotency table --------------------------------------------------

resource "aws_sns_topic" "results" {
  name              = "${var.name}-results"
  display_name      = "Passport OCR results"
  kms_master_key_id = "alias/aws/sns"
}

# Powertools idempotency layout: key `id`, expiry epoch seconds in `expiration` (the TTL).
resource "aws_dynamodb_table" "idempotency" {
  #checkov:skip=CKV_AWS_119:Entries are short-lived hashes and status flags (no personal data); the AWS-owned key encrypts them at rest.
  name         = "${var.name}-idempotency"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"

  attribute {
    name = "id"
    type = "S"
  }

  ttl {
    attribute_name = "expiration"
    enabled        = true
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled = true
  }
}

# --- function -----------------------------------------------------------------------------

resource "aws_cloudwatch_log_group" "function" {
  #checkov:skip=CKV_AWS_158:Log lines carry object ids, hashes, codes and timings, never personal data; CloudWatch Logs encrypts at rest with its own key.
  #checkov:skip=CKV_AWS_338:Retention is a variable (log_retention_days, default 30): operational logs without personal data need not be kept a year.
  name              = "/aws/lambda/${var.name}"
  retention_in_days = var.log_retention_days
}

resource "aws_lambda_function" "ocr" {
  #checkov:skip=CKV_AWS_116:Fed by SQS: failed records go to the dead-letter queue through the queue's redrive policy. A function DLQ applies only to asynchronous invocations, which this function does not get.
  #checkov:skip=CKV_AWS_117:Needs only public endpoints (S3, SNS, DynamoDB and, with a vendor OCR, that vendor's API); a VPC would add a NAT gateway and nothing to isolate.
  #checkov:skip=CKV_AWS_115:Concurrency is capped by the event source's maximum_concurrency; reserved concurrency on a queue consumer throttles and can push good uploads into the dead-letter queue.
  #checkov:skip=CKV_AWS_173:The environment holds settings and the OCR vendor's key pair, encrypted at rest by the Lambda service key by default; set kms_key_arn for a customer-managed key.
  #checkov:skip=CKV_AWS_272:Code signing needs a Signer profile in the deploy pipeline; the bundle is built reproducibly by `passport-ocr package` and its hash pinned in source_code_hash.
  function_name    = var.name
  description      = "Passport scans from S3 to ICAO 9303-checked records on SNS"
  role             = aws_iam_role.function.arn
  runtime          = local.runtime
  handler          = "app.lambda_handler"
  architectures    = [var.architecture]
  filename         = var.bundle_path
  source_code_hash = filebase64sha256(var.bundle_path)
  kms_key_arn      = var.kms_key_arn
  memory_size      = var.memory_size
  timeout          = var.timeout
  # SnapStart snapshots published versions only: each apply publishes one when it is on.
  publish = var.snap_start

  environment {
    variables = local.environment
  }

  tracing_config {
    mode = "Active"
  }

  dynamic "snap_start" {
    for_each = var.snap_start ? [1] : []
    content {
      apply_on = "PublishedVersions"
    }
  }

  lifecycle {
    precondition {
      condition     = !var.snap_start || local.runtime_python[0] > 3 || (local.runtime_python[0] == 3 && local.runtime_python[1] >= 12)
      error_message = "snap_start needs a python3.12 or newer runtime (Lambda SnapStart's floor for Python); this stack runs ${local.runtime}."
    }
  }

  depends_on = [aws_cloudwatch_log_group.function]
}

# With SnapStart the queue feeds this alias of the latest published version: $LATEST is never
# restored from a snapshot.
resource "aws_lambda_alias" "live" {
  count            = var.snap_start ? 1 : 0
  name             = "live"
  description      = "The published version SnapStart restores; the upload queue invokes this alias."
  function_name    = aws_lambda_function.ocr.function_name
  function_version = aws_lambda_function.ocr.version
}

resource "aws_lambda_event_source_mapping" "uploads" {
  event_source_arn                   = aws_sqs_queue.uploads.arn
  function_name                      = var.snap_start ? aws_lambda_alias.live[0].arn : aws_lambda_function.ocr.arn
  batch_size                         = var.batch_size
  maximum_batching_window_in_seconds = var.maximum_batching_window
  function_response_types            = ["ReportBatchItemFailures"]

  scaling_config {
    maximum_concurrency = var.maximum_concurrency
  }
}
