variable "region" {
  description = "Tencent Cloud region of the bucket, the function and the topic (COS triggers need bucket and function in one region)."
  type        = string
  default     = "ap-guangzhou"
}

variable "name" {
  description = "Name prefix of every resource: 2-56 letters, digits or hyphens (infra/README.md, Variable constraints)."
  type        = string
  default     = "passport-ocr"

  validation {
    condition     = can(regex("^[A-Za-z][A-Za-z0-9-]{0,54}[A-Za-z0-9]$", var.name))
    error_message = "name is 2-56 letters, digits or hyphens, starting with a letter and not ending with a hyphen (SCF function names are 2-60; the topic <name>-results allows 64, no underscore)."
  }
}

variable "bucket_name" {
  description = "COS bucket to create, without the -<appid> suffix (added from the account)."
  type        = string
  default     = "passport-ocr-uploads"
}

variable "bundle_path" {
  description = "The SCF bundle built by `passport-ocr package --platform tencentcloud`."
  type        = string
  default     = "../../dist/passport-ocr-tencentcloud.zip"
}

variable "code_prefix" {
  description = "Where the bundle is stored in the bucket (SCF loads code from COS)."
  type        = string
  default     = "deploy/"
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

variable "runtime" {
  description = "SCF runtime string for the Python the bundle was built for (the bundle targets 3.10 only)."
  type        = string
  default     = "Python3.10"

  validation {
    condition     = var.runtime == "Python3.10"
    error_message = "The SCF bundle is built for Python 3.10 only."
  }
}

variable "memory_size" {
  description = "Function memory in MB (128 MB steps)."
  type        = number
  default     = 512

  validation {
    condition     = var.memory_size >= 128 && var.memory_size <= 3072 && var.memory_size % 128 == 0
    error_message = "memory_size is 128-3072 MB in 128 MB steps (SCF CreateFunction.MemorySize; the provider wants a multiple of 128)."
  }
}

variable "timeout" {
  description = "Function timeout in seconds (1-900)."
  type        = number
  default     = 60

  validation {
    condition     = var.timeout >= 1 && var.timeout <= 900 && floor(var.timeout) == var.timeout
    error_message = "timeout is a whole number of seconds, 1-900 (SCF)."
  }
}

variable "retry_num" {
  description = "Retries of an asynchronous invocation that failed with a run error (SCF retries system errors on its own)."
  type        = number
  default     = 2
}

variable "msg_ttl" {
  description = "How long SCF keeps an asynchronous event for retries (AsyncTriggerConfig.MsgTTL, seconds)."
  type        = number
  default     = 21600
}

variable "topic_max_msg_size" {
  description = "TDMQ for CMQ topic message size limit in bytes (1024-65536)."
  type        = number
  default     = 65536

  validation {
    condition     = var.topic_max_msg_size >= 1024 && var.topic_max_msg_size <= 65536 && floor(var.topic_max_msg_size) == var.topic_max_msg_size
    error_message = "topic_max_msg_size is a whole number of bytes, 1024-65536 (TDMQ for CMQ)."
  }
}

variable "topic_retention_seconds" {
  description = "TDMQ for CMQ topic message retention (60-86400 s)."
  type        = number
  default     = 86400

  validation {
    condition     = var.topic_retention_seconds >= 60 && var.topic_retention_seconds <= 86400 && floor(var.topic_retention_seconds) == var.topic_retention_seconds
    error_message = "topic_retention_seconds is a whole number of seconds, 60-86400 (TDMQ for CMQ)."
  }
}

variable "tencent_mode" {
  description = "PASSPORT_OCR_TENCENT_MODE: auto, cn (PassportOCR) or international (MLIDPassportOCR)."
  type        = string
  default     = "auto"
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

variable "extra_environment" {
  description = "More PASSPORT_OCR_* settings; merged over the defaults."
  type        = map(string)
  default     = {}
}

variable "force_clean" {
  description = "Let `terraform destroy` delete a bucket that still holds objects."
  type        = bool
  default     = false
}

variable "upload_retention_days" {
  description = "Days an uploaded scan is kept under upload_prefix before COS deletes it (lifecycle expiration)."
  type        = number
  default     = 30

  validation {
    condition     = var.upload_retention_days >= 1 && floor(var.upload_retention_days) == var.upload_retention_days
    error_message = "upload_retention_days is a whole number of days, at least 1."
  }
}

variable "results_retention_days" {
  description = "Days a result record is kept under results_prefix before COS deletes it (lifecycle expiration)."
  type        = number
  default     = 90

  validation {
    condition     = var.results_retention_days >= 1 && floor(var.results_retention_days) == var.results_retention_days
    error_message = "results_retention_days is a whole number of days, at least 1."
  }
}

variable "noncurrent_version_days" {
  description = "Days a replaced or deleted object version is kept (the bucket is versioned) before COS deletes it."
  type        = number
  default     = 7

  validation {
    condition     = var.noncurrent_version_days >= 1 && var.noncurrent_version_days <= 3650 && floor(var.noncurrent_version_days) == var.noncurrent_version_days
    error_message = "noncurrent_version_days is a whole number of days, 1-3650 (COS non_current_days)."
  }
}

variable "delete_after" {
  description = "PASSPORT_OCR_DELETE_AFTER: never (default) or recognized, to delete a scan once its record is published (grants cos:DeleteObject on upload_prefix only then)."
  type        = string
  default     = "never"

  validation {
    condition     = contains(["never", "recognized"], var.delete_after)
    error_message = "delete_after is never or recognized."
  }
}

variable "enforce_tls" {
  description = "Attach a bucket policy that refuses every request not made over HTTPS (qcs:secure_transport)."
  type        = bool
  default     = true
}

variable "vendor_secret_name" {
  description = "PASSPORT_OCR_VENDOR_SECRET: the SSM secret (in this region) holding another cloud's OCR key pair, or the legacy API's long-lived key, as JSON. Grants name/ssm:GetSecretValue on that secret only. Empty: no secret, nothing granted."
  type        = string
  default     = ""
}

variable "vendor_secret_version" {
  description = "PASSPORT_OCR_VENDOR_SECRET_VERSION: the SSM secret's version id (GetSecretValue requires one; rotate by updating that version's value)."
  type        = string
  default     = "v1"
}
