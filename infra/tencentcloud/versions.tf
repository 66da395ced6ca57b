terraform {
  required_version = ">= 1.5"

  required_providers {
    tencentcloud = {
      source = "tencentcloudstack/tencentcloud"
      # 1.81.2 adds tencentcloud_scf_function_event_invoke_config (absent from 1.81.0 and 1.81.1);
      # every argument used here was checked at v1.81.2 and at v1.83.25 (infra/README.md).
      version = ">= 1.81.2, < 2.0.0"
    }
  }
}

# Credentials from the environment: TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY.
provider "tencentcloud" {
  region = var.region
}
