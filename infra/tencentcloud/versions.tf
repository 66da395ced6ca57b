terraform {
  required_version = ">= 1.5"

  required_providers {
    tencentcloud = {
      source  = "tencentcloudstack/tencentcloud"
      version = ">= 1.81.0"
    }
  }
}

# Credentials from the environment: TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY.
provider "tencentcloud" {
  region = var.region
}
