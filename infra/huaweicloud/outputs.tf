output "bucket" {
  description = "OBS bucket: upload under upload_prefix."
  value       = huaweicloud_obs_bucket.uploads.bucket
}

output "upload_prefix" {
  description = "Upload objects under this prefix."
  value       = var.upload_prefix
}

output "topic_urn" {
  description = "SMN topic the results are published to."
  value       = huaweicloud_smn_topic.results.topic_urn
}

output "function_urn" {
  description = "The FunctionGraph function."
  value       = huaweicloud_fgs_function.ocr.urn
}

output "failure_records" {
  description = "Where invocations that failed every retry are recorded."
  value       = "obs://${huaweicloud_obs_bucket.uploads.bucket}/${var.failure_prefix}"
}
