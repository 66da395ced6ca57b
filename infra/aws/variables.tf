variable "region" {
  description = "AWS region for every resource of the stack."
  type        = string
  default     = "us-east-1"
}

variable "name" {
  description = "Name prefix of every resource (lowercase letters, digits, hyphens)."
  type        = string
  default     = "passport-ocr"

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,41}$", var.name))
    error_message = "name is 2-42 lowercase letters, digits or hyphens, starting with a letter or digit: the created bucket <name>-uploads-<account id> must stay within S3's 63."
  }

  validation {
    condition     = !anytrue([for prefix in ["xn--", "sthree-", "amzn-s3-demo-"] : startswith(var.name, prefix)])
    error_message = "name must not start with xn--, sthree- or amzn-s3-demo-: S3 refuses bucket names with those prefixes."
  }
}

variable "bundle_path" {
  description = "The Lambda bundle built by `passport-ocr package --platform aws`."
  type        = string
  default     = "../../dist/passport-ocr-aws.zip"
}

variable "upload_bucket_name" {
  description = "Existing bucket to watch. Empty: the stack creates <name>-uploads-<account id>."
  type        = string
  default     = ""
}

variable "manage_bucket_notification" {
  description = "Write the bucket's event notification. S3 keeps ONE notification configuration per bucket: for an existing bucket that already has one, set false and add the queue to it yourself."
  type        = bool
  default     = true
}

variable "results_bucket_name" {
  description = "Bucket for results. Empty: the upload bucket (under results_prefix)."
  type        = string
  default     = ""
}

variable "upload_prefix" {
  description = "Only objects under this prefix trigger the function."
  type        = string
  default     = "uploads/"
}

variable "upload_suffix" {
  description = "Only objects ending with this suffix trigger the function (empty: any)."
  type        = string
  default     = ""
}

variable "results_prefix" {
  description = "Where results are written. Must not lie under upload_prefix, or results would trigger the function again."
  type        = string
  default     = "results/"
}

variable "architecture" {
  description = "Lambda architecture, matching the wheels in the bundle: x86_64 or arm64."
  type        = string
  default     = "x86_64"

  validation {
    condition     = contains(["x86_64", "arm64"], var.architecture)
    error_message = "architecture is x86_64 or arm64."
  }
}

variable "memory_size" {
  description = "Lambda memory in MB."
  type        = number
  default     = 1024

  validation {
    condition     = var.memory_size >= 128 && var.memory_size <= 10240 && floor(var.memory_size) == var.memory_size
    error_message = "memory_size is a whole number of MB, 128-10240 (hashicorp/aws aws_lambda_function)."
  }
}

variable "timeout" {
  description = "Lambda timeout in seconds."
  type        = number
  default     = 60

  validation {
    condition     = var.timeout >= 1 && var.timeout <= 900 && floor(var.timeout) == var.timeout
    error_message = "timeout is a whole number of seconds, 1-900 (hashicorp/aws aws_lambda_function)."
  }
}

variable "batch_size" {
  description = "Uploads per invocation."
  type        = number
  default     = 5

  validation {
    condition     = var.batch_size >= 1 && var.batch_size <= 10000 && floor(var.batch_size) == var.batch_size
    error_message = "batch_size is a whole number, 1-10000 (Lambda SQS event source, standard queue)."
  }
}

variable "maximum_batching_window" {
  description = "Seconds the event source waits to fill a batch."
  type        = number
  default     = 2

  validation {
    condition     = var.maximum_batching_window >= 0 && var.maximum_batching_window <= 300 && floor(var.maximum_batching_window) == var.maximum_batching_window
    error_message = "maximum_batching_window is a whole number of seconds, 0-300."
  }
}

variable "maximum_concurrency" {
  description = "At most this many function instances drain the queue."
  type        = number
  default     = 10

  validation {
    condition     = var.maximum_concurrency >= 2 && var.maximum_concurrency <= 1000 && floor(var.maximum_concurrency) == var.maximum_concurrency
    error_message = "maximum_concurrency is a whole number, 2-1000 (Lambda ScalingConfig)."
  }
}

variable "max_receive_count" {
  description = "Deliveries of one upload before it moves to the dead-letter queue."
  type        = number
  default     = 5

  validation {
    condition     = var.max_receive_count >= 1 && floor(var.max_receive_count) == var.max_receive_count
    error_message = "max_receive_count is a whole number, at least 1."
  }
}

variable "log_retention_days" {
  description = "CloudWatch Logs retention of the function's log group."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days is one of CloudWatch Logs' retention periods: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653."
  }
}

variable "log_level" {
  description = "Powertools LOG_LEVEL."
  type        = string
  default     = "INFO"
}

variable "ocr_provider" {
  description = "PASSPORT_OCR_PROVIDER: textract (the function role, boto3 from the Lambda runtime), or tencent / tencent-legacy, whose SDK the Lambda bundle carries (it has no offline engine); give those their credentials in extra_environment."
  type        = string
  default     = "textract"

  validation {
    condition     = contains(["textract", "tencent", "tencent-legacy"], var.ocr_provider)
    error_message = "The Lambda runs textract (boto3) or the Tencent SDK it carries (tencent, tencent-legacy); the offline engine (local) is in no cloud bundle."
  }
}

variable "payload" {
  description = "PASSPORT_OCR_PAYLOAD: full, masked or reference."
  type        = string
  default     = "masked"
}

variable "ocr_timeout_seconds" {
  description = "PASSPORT_OCR_OCR_TIMEOUT_SECONDS."
  type        = number
  default     = 10
}

variable "ocr_max_attempts" {
  description = "PASSPORT_OCR_OCR_MAX_ATTEMPTS."
  type        = number
  default     = 3
}

variable "idempotency_ttl_seconds" {
  description = "PASSPORT_OCR_IDEMPOTENCY_TTL_SECONDS: how long a processed upload is remembered."
  type        = number
  default     = 3600
}

variable "extra_environment" {
  description = "More PASSPORT_OCR_* settings (e.g. vendor endpoints); merged over the defaults."
  type        = map(string)
  default     = {}
}

variable "kms_key_arn" {
  description = "Customer-managed KMS key for the function's environment (which holds the OCR vendor's keys). Null: the Lambda service key."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags on every resource."
  type        = map(string)
  default     = { project = "passport-ocr" }
}

variable "upload_retention_days" {
  description = "Days an uploaded scan is kept under upload_prefix before S3 deletes it (lifecycle expiration; created bucket only)."
  type        = number
  default     = 30

  validation {
    condition     = var.upload_retention_days >= 1 && floor(var.upload_retention_days) == var.upload_retention_days
    error_message = "upload_retention_days is a whole number of days, at least 1."
  }
}

variable "results_retention_days" {
  description = "Days a result record is kept under results_prefix before S3 deletes it (lifecycle expiration; created bucket only)."
  type        = number
  default     = 90

  validation {
    condition     = var.results_retention_days >= 1 && floor(var.results_retention_days) == var.results_retention_days
    error_message = "results_retention_days is a whole number of days, at least 1."
  }
}

variable "noncurrent_version_days" {
  description = "Days a replaced or deleted object version is kept (the bucket is versioned) before S3 deletes it."
  type        = number
  default     = 7

  validation {
    condition     = var.noncurrent_version_days >= 1 && floor(var.noncurrent_version_days) == var.noncurrent_version_days
    error_message = "noncurrent_version_days is a whole number of days, at least 1."
  }
}

variable "delete_after" {
  description = "PASSPORT_OCR_DELETE_AFTER: never (default) or recognized, to delete a scan once its record is published (grants s3:DeleteObject on upload_prefix only then)."
  type        = string
  default     = "never"

  validation {
    condition     = contains(["never", "recognized"], var.delete_after)
    error_message = "delete_after is never or recognized."
  }
}

variable "vendor_secret_arn" {
  description = "PASSPORT_OCR_VENDOR_SECRET: the Secrets Manager secret ARN or SSM SecureString parameter ARN holding another cloud's OCR key pair as JSON (README, \"Vendor keys from a secret store\"). Grants secretsmanager:GetSecretValue or ssm:GetParameter on that ARN only. Empty: the vendor's keys come from extra_environment."
  type        = string
  default     = ""

  validation {
    condition     = var.vendor_secret_arn == "" || can(regex("^arn:[a-z-]+:(secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:|ssm:[a-z0-9-]+:[0-9]{12}:parameter/)", var.vendor_secret_arn))
    error_message = "vendor_secret_arn is a Secrets Manager secret ARN or an SSM parameter ARN."
  }
}

variable "vendor_secret_kms_key_arn" {
  description = "The customer managed KMS key that encrypts the vendor secret, if any: grants kms:Decrypt on it, through that secret's service only. Empty: the AWS managed key (aws/secretsmanager, aws/ssm), which needs no grant."
  type        = string
  default     = ""
}

variable "snap_start" {
  description = "Lambda SnapStart: publish a version on each apply, snapshot it (apply_on = PublishedVersions) and point the upload queue at its alias `live`. Needs a python3.12+ runtime; the handler's restore hook rebuilds clients and reseeds random in each restored environment. Snapshot caching and restores are billed (README, Deploying)."
  type        = bool
  default     = false
}
