# The function's agency: least privilege through two custom policies.
# OBS is a global service, so its policy is account-level (AX) and granted as a domain role;
# OCR and SMN are regional, so theirs is project-level (XA) and granted in the region's project.

locals {
  obs_policy = {
    Version = "1.1"
    Statement = [
      {
        # GetObjectVersion: the function reads the exact version the event names.
        Effect   = "Allow"
        Action   = ["obs:object:GetObject", "obs:object:GetObjectVersion"]
        Resource = ["obs:*:*:object:${huaweicloud_obs_bucket.uploads.bucket}/${var.upload_prefix}*"]
      },
      {
        Effect = "Allow"
        Action = ["obs:object:PutObject"]
        Resource = [
          "obs:*:*:object:${huaweicloud_obs_bucket.uploads.bucket}/${var.results_prefix}*",
          "obs:*:*:object:${huaweicloud_obs_bucket.uploads.bucket}/${var.failure_prefix}*",
        ]
      },
    ]
  }

  ocr_smn_policy = {
    Version = "1.1"
    Statement = [
      {
        Effect = "Allow"
        Action = var.ocr_actions
      },
      {
        # The bucket is SSE-KMS: reading and writing its objects needs the region's KMS keys
        # (the minimum set OBS documents for SSE-KMS uploads and downloads).
        Effect = "Allow"
        Action = [
          "kms:dek:crypto",
          "kms:dek:create",
          "kms:cmk:get",
          "kms:cmk:list",
          "kms:cmk:generate",
          "kms:cmk:crypto",
        ]
      },
      {
        Effect   = "Allow"
        Action   = ["smn:topic:publish"]
        Resource = ["smn:*:*:topic:${huaweicloud_smn_topic.results.name}"]
      },
    ]
  }
}

resource "huaweicloud_identity_role" "obs_access" {
  name        = "${var.name}-obs-access"
  description = "Passport OCR function: read uploads, write results and failure records"
  type        = "AX"
  policy      = jsonencode(local.obs_policy)
}

resource "huaweicloud_identity_role" "ocr_publish" {
  name        = "${var.name}-ocr-publish"
  description = "Passport OCR function: call OCR, publish to the results topic"
  type        = "XA"
  policy      = jsonencode(local.ocr_smn_policy)
}

resource "huaweicloud_identity_agency" "function" {
  name                   = "${var.name}-function"
  description            = "Delegates to FunctionGraph: the passport OCR function's permissions"
  delegated_service_name = "op_svc_cff"
  duration               = "FOREVER"

  project_role {
    project = var.region
    roles   = [huaweicloud_identity_role.ocr_publish.name]
  }

  domain_roles = [huaweicloud_identity_role.obs_access.name]
}
