terraform {
  required_version = ">= 1.5"

  required_providers {
    huaweicloud = {
      source = "huaweicloud/huaweicloud"
      # Every resource and argument used here exists at v1.73.0 and at v1.97.1 (infra/README.md).
      version = ">= 1.73.0, < 2.0.0"
    }
  }
}

# Credentials from the environment: HW_ACCESS_KEY and HW_SECRET_KEY (or a profile).
provider "huaweicloud" {
  region = var.region
}
