# The function's agency: least privilege through two custom policies, except OCR (ocr:*:*,
# the narrowest grant Huawei documents; see infra/README.md).
# OBS is a global service, so its policy is account-level (AX) and granted as a domain role;
# KMS, OCR and SMN are regional, so theirs is project-level (XA), granted in the region's project.
# Action names and their sources: tests/infra/provider_facts.py (HUAWEI_IAM_ACTIONS).

locals {
  obs_object = "obs:*:*:object:${huaweicloud_obs_bucket.uploads.bucket}"

  obs_statements = [
    {
      # GetObjectVersion: the function reads (and heads) the exact version the event names.
      Effect   = "Allow"
      Action   = ["obs:object:GetObject", "obs:object:GetObjectVersion"]
      Resource = ["${local.obs_object}/${var.upload_prefix}*"]
    },
    {
      Effect = "Allow"
      Action = ["obs:object:PutObject"]
      Resource = [
        "${local.obs_object}/${var.results_prefix}*",
        "${local.obs_object}/${var.failure_prefix}*",
      ]
    },
  ]

  # delete_after = "recognized": the function deletes a scan once its record is published.
  obs_delete_statements = [
    {
      Effect   = "Allow"
      Action   = ["obs:object:DeleteObject"]
      Resource = ["${local.obs_object}/${var.upload_prefix}*"]
    },
  ]

  obs_policy = {
    Version   = "1.1"
    Statement = concat(local.obs_statements, var.delete_after == "recognized" ? local.obs_delete_statements : [])
  }

  regional_statements = [
    {
      Effect = "Allow"
      Action = var.ocr_actions
    },
    {
      Effect   = "Allow"
      Action   = ["smn:topic:publish"]
      Resource = ["smn:*:*:topic:${huaweicloud_smn_topic.results.name}"]
    },
    {
      # The bucket is SSE-KMS (the region's default obs/default key): reading an upload,
      # writing a result and writing an async failure record all need the data key.
      Effect = "Allow"
      Action = ["kms:cmk:get", "kms:cmk:list", "kms:dek:create", "kms:dek:crypto"]
    },
  ]

  # vendor_secret_name: another cloud's OCR key pair, read from CSMS (ShowSecretVersion).
  # Role (v1.1) policies name CSMS actions without a resource: no per-secret scope for them
  # is documented (identity policies could scope csms:secret:getVersion to the secretName).
  csms_statements = [
    {
      Effect = "Allow"
      Action = ["csms:secretVersion:get", "kms:dek:decrypt"]
    },
  ]

  regional_policy = {
    Version   = "1.1"
    Statement = concat(local.regional_statements, var.vendor_secret_name == "" ? [] : local.csms_statements)
  }
}

resource "huaweicloud_identity_role" "obs_access" {
  name        = "${var.name}-obs-access"
  description = "Passport OCR function: read uploads, write results and failure records"
  type        = "AX"
  policy      = jsonencode(local.obs_policy)
}

resource "huaweicloud_identity_role" "regional" {
  name        = "${var.name}-regional"
  description = "Passport OCR function: call OCR, publish to the results topic, use the bucket's KMS data keys"
  type        = "XA"
  policy      = jsonencode(local.regional_policy)
}

resource "huaweicloud_identity_agency" "function" {
  name                   = "${var.name}-function"
  description            = "Delegates to FunctionGraph: the passport OCR function's permissions"
  delegated_service_name = "op_svc_cff"
  duration               = "FOREVER"

  project_role {
    project = var.region
    roles   = [huaweicloud_identity_role.regional.name]
  }

  domain_roles = [huaweicloud_identity_role.obs_access.name]
}
