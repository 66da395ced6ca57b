# The function's role: least privilege, every statement scoped to this stack's resources.

data "aws_iam_policy_document" "assume_lambda" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "function" {
  name               = "${var.name}-function"
  assume_role_policy = data.aws_iam_policy_document.assume_lambda.json
}

data "aws_iam_policy_document" "function" {
  statement {
    # GetObjectVersion: the function reads the exact version the event names.
    sid       = "ReadUploads"
    actions   = ["s3:GetObject", "s3:GetObjectVersion"]
    resources = ["${local.bucket_arn}/${var.upload_prefix}*"]
  }

  # AnalyzeID has no resource types: "*" only (Service Authorization Reference,
  # list_amazontextract.html; dependent action s3:GetObject). Textract reads an S3Object
  # document with the caller's permissions: ReadUploads above lets it read the upload.
  statement {
    sid       = "ReadPassports"
    actions   = ["textract:AnalyzeID"]
    resources = ["*"]
  }

  # delete_after = "recognized": the function deletes a scan once its record is published.
  dynamic "statement" {
    for_each = var.delete_after == "recognized" ? [1] : []
    content {
      sid       = "DeleteRecognizedUploads"
      actions   = ["s3:DeleteObject"]
      resources = ["${local.bucket_arn}/${var.upload_prefix}*"]
    }
  }

  # vendor_secret_arn: another cloud's OCR key pair, read from that one secret or parameter.
  dynamic "statement" {
    for_each = local.vendor_secret_service == "secretsmanager" ? [1] : []
    content {
      sid       = "ReadVendorSecret"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = [var.vendor_secret_arn]
    }
  }

  dynamic "statement" {
    for_each = local.vendor_secret_service == "ssm" ? [1] : []
    content {
      sid       = "ReadVendorParameter"
      actions   = ["ssm:GetParameter"]
      resources = [var.vendor_secret_arn]
    }
  }

  # A customer managed key: decrypting through the secret's own service only.
  dynamic "statement" {
    for_each = var.vendor_secret_arn != "" && var.vendor_secret_kms_key_arn != "" ? [1] : []
    content {
      sid       = "DecryptVendorSecret"
      actions   = ["kms:Decrypt"]
      resources = [var.vendor_secret_kms_key_arn]

      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["${local.vendor_secret_service}.${local.vendor_secret_region}.amazonaws.com"]
      }
    }
  }

  statement {
    sid       = "WriteResults"
    actions   = ["s3:PutObject"]
    resources = ["${local.results_arn}/${var.results_prefix}*"]
  }

  statement {
    sid       = "PublishResults"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.results.arn]
  }

  statement {
    sid       = "Idempotency"
    actions   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"]
    resources = [aws_dynamodb_table.idempotency.arn]
  }

  statement {
    sid       = "ConsumeUploads"
    actions   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"]
    resources = [aws_sqs_queue.uploads.arn]
  }

  statement {
    sid       = "Logs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.function.arn}:*"]
  }

  # X-Ray has no resource-level permissions: these two actions only accept "*".
  statement {
    sid       = "Tracing"
    actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "function" {
  name   = "${var.name}-function"
  role   = aws_iam_role.function.id
  policy = data.aws_iam_policy_document.function.json
}
