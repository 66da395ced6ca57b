variable "region" {
  description = "Huawei Cloud region of the bucket, the function, the topic and the OCR endpoint (they must match)."
  type        = string
  default     = "ap-southeast-1"
}

variable "name" {
  description = "Name prefix of every resource: 2-55 letters, digits, _ or - (infra/README.md, Variable constraints)."
  type        = string
  default     = "passport-ocr"

  validation {
    condition     = can(regex("^[A-Za-z][A-Za-z0-9_-]{0,53}[A-Za-z0-9]$", var.name))
    error_message = "name is 2-55 letters, digits, _ or -, starting with a letter and ending with a letter or digit (FunctionGraph function names are 2-60; the agency <name>-function allows 64)."
  }
}

variable "bucket_name" {
  description = "OBS bucket to create for uploads, results and the code bundle (globally unique)."
  type        = string
  default     = "passport-ocr-uploads"
}

variable "bundle_path" {
  description = "The FunctionGraph bundle built by `passport-ocr package --platform huaweicloud`."
  type        = string
  default     = "../../dist/passport-ocr-huaweicloud.zip"
}

variable "code_prefix" {
  description = "Where the bundle is stored in the bucket (FunctionGraph loads code from OBS)."
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

variable "failure_prefix" {
  description = "Failure destination: async invocations that failed every retry are recorded under this prefix."
  type        = string
  default     = "failed/"
}

variable "failure_record_days" {
  description = "Days a failure record is kept (1-365)."
  type        = number
  default     = 30

  validation {
    condition     = var.failure_record_days >= 1 && var.failure_record_days <= 365
    error_message = "failure_record_days is 1-365."
  }
}

variable "runtime" {
  description = "FunctionGraph runtime the bundle was built for (Python3.10 only)."
  type        = string
  default     = "Python3.10"

  validation {
    condition     = var.runtime == "Python3.10"
    error_message = "The FunctionGraph bundle is built for Python 3.10 only."
  }
}

variable "memory_size" {
  description = "Function memory in MB."
  type        = number
  default     = 512

  validation {
    condition     = contains([128, 256, 512, 768, 1024, 1280, 1536, 1792, 2048, 2560, 3072, 3584, 4096], var.memory_size)
    error_message = "memory_size is one of FunctionGraph's sizes: 128, 256, 512, 768, 1024, 1280, 1536, 1792, 2048, 2560, 3072, 3584 or 4096 MB."
  }
}

variable "timeout" {
  description = "Function timeout in seconds."
  type        = number
  default     = 60

  validation {
    condition     = var.timeout >= 3 && var.timeout <= 900 && floor(var.timeout) == var.timeout
    error_message = "timeout is a whole number of seconds, 3-900 (FunctionGraph CreateFunction)."
  }
}

variable "max_instances" {
  description = "At most this many function instances (FunctionGraph v2)."
  type        = number
  default     = 20

  validation {
    condition     = var.max_instances >= 1 && var.max_instances <= 1000 && floor(var.max_instances) == var.max_instances
    error_message = "max_instances is a whole number, 1-1000 (FunctionGraph max_instance_num; 0 would disable the function, -1 lift the bound)."
  }
}

variable "max_async_retries" {
  description = "Retries of a failed asynchronous invocation (0-3)."
  type        = number
  default     = 2

  validation {
    condition     = var.max_async_retries >= 0 && var.max_async_retries <= 3 && floor(var.max_async_retries) == var.max_async_retries
    error_message = "FunctionGraph allows 0-3 async retries (a whole number)."
  }
}

variable "max_event_age_seconds" {
  description = "How long an upload event may wait for a successful run (60-86400 s)."
  type        = number
  default     = 21600

  validation {
    condition     = var.max_event_age_seconds >= 60 && var.max_event_age_seconds <= 86400 && floor(var.max_event_age_seconds) == var.max_event_age_seconds
    error_message = "max_event_age_seconds is a whole number of seconds, 60-86400."
  }
}

variable "ocr_actions" {
  description = "IAM actions granted for OCR. Huawei publishes no per-API OCR action, so ocr:*:* is the narrowest known grant; it is limited to this region's project (infra/README.md)."
  type        = list(string)
  default     = ["ocr:*:*"]
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

variable "huawei_endpoint" {
  description = "PASSPORT_OCR_HUAWEI_ENDPOINT, e.g. https://ocr.ae-ad-1.g42cloud.com (empty: the region's endpoint)."
  type        = string
  default     = ""
}

variable "extra_environment" {
  description = "More PASSPORT_OCR_* settings; merged over the defaults."
  type        = map(string)
  default     = {}
}

variable "force_destroy" {
  description = "Let `terraform destroy` delete a bucket that still holds objects."
  type        = bool
  default     = false
}

variable "upload_retention_days" {
  description = "Days an uploaded scan is kept under upload_prefix before OBS deletes it (lifecycle expiration)."
  type        = number
  default     = 30

  validation {
    condition     = var.upload_retention_days >= 1 && floor(var.upload_retention_days) == var.upload_retention_days
    error_message = "upload_retention_days is a whole number of days, at least 1."
  }
}

variable "results_retention_days" {
  description = "Days a result record is kept under results_prefix before OBS deletes it (lifecycle expiration)."
  type        = number
  default     = 90

  validation {
    condition     = var.results_retention_days >= 1 && floor(var.results_retention_days) == var.results_retention_days
    error_message = "results_retention_days is a whole number of days, at least 1."
  }
}

variable "noncurrent_version_days" {
  description = "Days a replaced or deleted object version is kept (the bucket is versioned) before OBS deletes it."
  type        = number
  default     = 7

  validation {
    condition     = var.noncurrent_version_days >= 1 && floor(var.noncurrent_version_days) == var.noncurrent_version_days
    error_message = "noncurrent_version_days is a whole number of days, at least 1."
  }
}

variable "delete_after" {
  description = "PASSPORT_OCR_DELETE_AFTER: never (default) or recognized, to delete a scan once its record is published (grants obs:object:DeleteObject on upload_prefix only then)."
  type        = string
  default     = "never"

  validation {
    condition     = contains(["never", "recognized"], var.delete_after)
    error_message = "delete_after is never or recognized."
  }
}

variable "enforce_tls" {
  description = "Attach a bucket policy that refuses every request not made over HTTPS (SecureTransport)."
  type        = bool
  default     = true
}

variable "vendor_secret_name" {
  description = "PASSPORT_OCR_VENDOR_SECRET: the CSMS secret (in this region's project) holding another cloud's OCR key pair as JSON, for a function whose extra_environment sets PASSPORT_OCR_PROVIDER to that vendor. Grants csms:secretVersion:get and kms:dek:decrypt in the project. Empty: no secret, nothing granted."
  type        = string
  default     = ""

  validation {
    condition     = can(regex("^[a-zA-Z0-9_-]{0,64}$", var.vendor_secret_name))
    error_message = "vendor_secret_name is a CSMS secret name: 1 to 64 letters, digits, _ or -."
  }
}
