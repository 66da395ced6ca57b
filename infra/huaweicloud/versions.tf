terraform {
  required_version = ">= 1.5"

  required_providers {
    huaweicloud = {
      source  = "huaweicloud/huaweicloud"
      version = ">= 1.73.0"
    }
  }
}

# Credentials from the environment: HW_ACCESS_KEY and HW_SECRET_KEY (or a profile).
provider "huaweicloud" {
  region = var.region
}
