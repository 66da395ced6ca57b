# SnapStart off and on, under `terraform test` with a mocked AWS provider (Terraform >= 1.7;
# no credentials, nothing is created). In infra/aws, after `terraform init`:
#   terraform test -var bundle_path=../../dist/passport-ocr-aws.zip
# tests/infra/test_terraform.py runs it in a copy of the stack.
#
# Computed ARNs get fixed values in AWS's shapes: the provider validates `role` and the
# queue's ARNs even when mocked.
mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{}" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::123456789012:role/passport-ocr" }
  }
  mock_resource "aws_sqs_queue" {
    defaults = { arn = "arn:aws:sqs:us-east-1:123456789012:passport-ocr-uploads" }
  }
  mock_resource "aws_sns_topic" {
    defaults = { arn = "arn:aws:sns:us-east-1:123456789012:passport-ocr-results" }
  }
  mock_resource "aws_s3_bucket" {
    defaults = { arn = "arn:aws:s3:::passport-ocr-uploads-123456789012" }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/passport-ocr" }
  }
  mock_resource "aws_dynamodb_table" {
    defaults = { arn = "arn:aws:dynamodb:us-east-1:123456789012:table/passport-ocr-idempotency" }
  }
  mock_resource "aws_lambda_function" {
    defaults = { arn = "arn:aws:lambda:us-east-1:123456789012:function:passport-ocr", version = "7" }
  }
  mock_resource "aws_lambda_alias" {
    defaults = { arn = "arn:aws:lambda:us-east-1:123456789012:function:passport-ocr:live" }
  }
}


run "snap_start_off_by_default" {
  command = apply

  assert {
    condition     = !aws_lambda_function.ocr.publish && length(aws_lambda_function.ocr.snap_start) == 0
    error_message = "Without snap_start the function publishes no version and has no SnapStart."
  }
  assert {
    condition     = length(aws_lambda_alias.live) == 0 && output.function_alias_arn == null
    error_message = "Without snap_start there is no alias."
  }
  assert {
    condition     = aws_lambda_event_source_mapping.uploads.function_name == aws_lambda_function.ocr.arn
    error_message = "Without snap_start the queue invokes the function itself."
  }
}

run "snap_start_on" {
  command = apply

  variables {
    snap_start = true
  }

  assert {
    condition     = aws_lambda_function.ocr.publish
    error_message = "SnapStart snapshots published versions only: publish must be on."
  }
  assert {
    condition     = aws_lambda_function.ocr.snap_start[0].apply_on == "PublishedVersions"
    error_message = "snap_start.apply_on must be PublishedVersions."
  }
  assert {
    condition     = aws_lambda_alias.live[0].name == "live" && aws_lambda_alias.live[0].function_version == aws_lambda_function.ocr.version
    error_message = "The alias live must point at the version just published."
  }
  assert {
    condition     = aws_lambda_event_source_mapping.uploads.function_name == aws_lambda_alias.live[0].arn
    error_message = "With snap_start the queue must invoke the alias, not $LATEST."
  }
  assert {
    condition     = output.function_alias_arn == aws_lambda_alias.live[0].arn
    error_message = "function_alias_arn must be the alias ARN."
  }
}
