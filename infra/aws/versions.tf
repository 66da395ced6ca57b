terraform {
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.40"
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
