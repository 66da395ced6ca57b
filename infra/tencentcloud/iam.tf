# The function's execution role: assumed by SCF, with one policy of only the actions the
# function calls. Not called least privilege: the OCR and TDMQ action names follow CAM's
# naming convention and were not read in a CAM action list (infra/README.md, "Not verified").
# CAM resource strings: COS `qcs::cos:<region>:uid/<appid>:<bucket>/<key>`,
# TDMQ for CMQ `qcs::tdmq:<region>:uin/<owner uin>:cmqtopic/<topic>`; OCR calls have no
# resource-level scope, so only the two passport actions are granted.
# Action names and their sources: tests/infra/provider_facts.py (TENCENT_CAM_ACTIONS).

locals {
  cos_resource = "qcs::cos:${var.region}:uid/${local.app_id}:${tencentcloud_cos_bucket.uploads.bucket}"

  assume_role = {
    version = "2.0"
    statement = [{
      action    = ["name/sts:AssumeRole"]
      effect    = "allow"
      principal = { service = ["scf.qcloud.com"] }
    }]
  }

  function_statements = [
    {
      # HeadObject: the function reads the object's metadata (size, type) before its body;
      # GetObject with versionid reads the exact version the event names.
      effect   = "allow"
      action   = ["name/cos:GetObject", "name/cos:HeadObject"]
      resource = ["${local.cos_resource}/${var.upload_prefix}*"]
    },
    {
      effect   = "allow"
      action   = ["name/cos:PutObject"]
      resource = ["${local.cos_resource}/${var.results_prefix}*"]
    },
    {
      effect   = "allow"
      action   = ["name/ocr:PassportOCR", "name/ocr:MLIDPassportOCR"]
      resource = ["*"]
    },
    {
      effect   = "allow"
      action   = ["name/tdmq:PublishCmqMsg"]
      resource = ["qcs::tdmq:${var.region}:uin/${data.tencentcloud_user_info.current.owner_uin}:cmqtopic/${tencentcloud_tcmq_topic.results.topic_name}"]
    },
  ]

  # delete_after = "recognized": the function deletes a scan once its record is published.
  delete_statements = [
    {
      effect   = "allow"
      action   = ["name/cos:DeleteObject"]
      resource = ["${local.cos_resource}/${var.upload_prefix}*"]
    },
  ]

  # vendor_secret_name: the OCR key pair read from that one SSM secret, whoever created it
  # (qcs::ssm:$region:uin/$uin:secret/creatorUin/$creatorUin/$secretName).
  vendor_secret_statements = [
    {
      effect   = "allow"
      action   = ["name/ssm:GetSecretValue"]
      resource = ["qcs::ssm:${var.region}:uin/${data.tencentcloud_user_info.current.owner_uin}:secret/creatorUin/*/${var.vendor_secret_name}"]
    },
  ]

  function_policy = {
    version   = "2.0"
    statement = concat(local.function_statements, var.delete_after == "recognized" ? local.delete_statements : [], var.vendor_secret_name == "" ? [] : local.vendor_secret_statements)
  }
}

resource "tencentcloud_cam_role" "function" {
  name        = "${var.name}-function"
  description = "Execution role of the passport OCR function"
  document    = jsonencode(local.assume_role)
}

resource "tencentcloud_cam_policy" "function" {
  name        = "${var.name}-function"
  description = "Passport OCR function: read uploads, write results, call passport OCR, publish results"
  document    = jsonencode(local.function_policy)
}

resource "tencentcloud_cam_role_policy_attachment" "function" {
  role_id   = tencentcloud_cam_role.function.id
  policy_id = tencentcloud_cam_policy.function.id
}
