terraform {
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # Checked against one stored commit of the provider only (infra/README.md); 6.x untested.
      version = ">= 5.40, < 6.0"
    }
  }
}

# Credentials and region come from the usual AWS environment (AWS_PROFILE, AWS_REGION, ...).
provider "aws" {
  region = var.region

  default_tags {
    tags = var.tags
  }
}
