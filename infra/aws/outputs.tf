output "upload_bucket" {
  description = "Bucket watched for uploads."
  value       = local.upload_bucket
}

output "upload_prefix" {
  description = "Upload objects under this prefix."
  value       = var.upload_prefix
}

output "results_topic_arn" {
  description = "SNS topic the results are published to."
  value       = aws_sns_topic.results.arn
}

output "function_name" {
  description = "The Lambda function."
  value       = aws_lambda_function.ocr.function_name
}

output "function_alias_arn" {
  description = "With snap_start: the alias (live) of the published version the queue invokes. Null without it."
  value       = var.snap_start ? aws_lambda_alias.live[0].arn : null
}

output "uploads_queue_arn" {
  description = "Target of the bucket's ObjectCreated notifications (add it yourself when manage_bucket_notification is false)."
  value       = aws_sqs_queue.uploads.arn
}

output "dead_letter_queue_url" {
  description = "Uploads that failed every delivery."
  value       = aws_sqs_queue.dead_letter.id
}

output "idempotency_table" {
  description = "DynamoDB idempotency table."
  value       = aws_dynamodb_table.idempotency.name
}
