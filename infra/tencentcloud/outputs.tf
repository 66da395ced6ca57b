output "bucket" {
  description = "COS bucket (with appid): upload under upload_prefix."
  value       = tencentcloud_cos_bucket.uploads.bucket
}

output "upload_prefix" {
  description = "Upload objects under this prefix."
  value       = var.upload_prefix
}

output "topic_name" {
  description = "TDMQ for CMQ topic the results are published to."
  value       = tencentcloud_tcmq_topic.results.topic_name
}

output "function_name" {
  description = "The SCF function."
  value       = tencentcloud_scf_function.ocr.name
}
