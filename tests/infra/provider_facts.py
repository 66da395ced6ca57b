# ruff: noqa: E501  (citation strings: a file path and line are not split across lines)
"""Facts about the providers and the clouds that the infrastructure tests rely on, each with
its source: the provider's code at a tag (file:line) or the vendor's document (URL).

Nothing here is the project's own opinion. A stack that uses an argument, an attribute or an
action missing from these tables fails its test until someone finds the fact and cites it.
`test_provider_facts.py` re-reads every cited line when a clone of the provider is at hand
(`TF_PROVIDER_SOURCES`, or the default mirror paths), so a wrong line number fails too.

Tags read (git tags of the provider repositories):
- tencentcloudstack/terraform-provider-tencentcloud v1.81.2 (a70e32af7ff3addaccd2b188b0a77a8f6b328c55,
  the lowest allowed) and v1.83.25 (f6970a90038400958503a0edab62c6c463baa7b0, the newest);
- huaweicloud/huaweicloud v1.73.0 (c509606df609f603be39c123e4121a376eacec41, the lowest allowed)
  and v1.97.1 (8edf65f49d956f5c5ba4eb08b359d6f1f0828df0, the newest).
hashicorp/aws was not read line by line (its repository is too large to fetch here): only
internal/service/s3/bucket_lifecycle_configuration.go at commit
01606926a0c0ab9174aec440f976a48b0baee722; the AWS tables cite AWS's documents.
"""

from __future__ import annotations

from typing import NamedTuple

PROVIDER_REPOS = {
    "tencentcloud": "tencentcloudstack/terraform-provider-tencentcloud",
    "huaweicloud": "huaweicloud/terraform-provider-huaweicloud",
}
LOWEST = {"tencentcloud": "v1.81.2", "huaweicloud": "v1.73.0"}
NEWEST = {"tencentcloud": "v1.83.25", "huaweicloud": "v1.97.1"}

# The version constraint each versions.tf must carry, and why its lower bound is what it is.
VERSION_CONSTRAINTS = {
    "tencentcloud": (
        ">= 1.81.2, < 2.0.0",
        "tencentcloud_scf_function_event_invoke_config is absent from the v1.81.0 and v1.81.1 "
        "trees and first in v1.81.2 (tencentcloud/resource_tc_scf_function_event_invoke_config.go)",
    ),
    "huaweicloud": (
        ">= 1.73.0, < 2.0.0",
        "every resource, argument and attribute in SCHEMA exists at v1.73.0",
    ),
    "aws": (
        ">= 5.40, < 6.0",
        "unchanged lower bound; the 6.x major was not checked",
    ),
}

# Schema keys the stacks use, "<block>.<nested>" for nested blocks, "@<attr>" for attributes
# read by reference: where each is declared, at the lowest and at the newest tag.
SCHEMA: dict[str, dict[str, str]] = {
    "data.tencentcloud_user_info": {
        "@app_id": "v1.81.2 tencentcloud/data_source_tc_user_info.go:35; v1.83.25 tencentcloud/services/cam/data_source_tc_user_info.go:26",
        "@owner_uin": "v1.81.2 tencentcloud/data_source_tc_user_info.go:47; v1.83.25 tencentcloud/services/cam/data_source_tc_user_info.go:38",
    },
    "huaweicloud_fgs_async_invoke_configuration": {
        "enable_async_status_log": "v1.73.0 huaweicloud/services/fgs/resource_huaweicloud_fgs_async_invoke_configuration.go:71; v1.97.1 huaweicloud/services/fgs/resource_huaweicloud_fgs_async_invoke_configuration.go:71",
        "function_urn": "v1.73.0 huaweicloud/services/fgs/resource_huaweicloud_fgs_async_invoke_configuration.go:40; v1.97.1 huaweicloud/services/fgs/resource_huaweicloud_fgs_async_invoke_configuration.go:40",
        "max_async_event_age_in_seconds": "v1.73.0 huaweicloud/services/fgs/resource_huaweicloud_fgs_async_invoke_configuration.go:46; v1.97.1 huaweicloud/services/fgs/resource_huaweicloud_fgs_async_invoke_configuration.go:46",
        "max_async_retry_attempts": "v1.73.0 huaweicloud/services/fgs/resource_huaweicloud_fgs_async_invoke_configuration.go:51; v1.97.1 huaweicloud/services/fgs/resource_huaweicloud_fgs_async_invoke_configuration.go:51",
        "on_failure": "v1.73.0 huaweicloud/services/fgs/resource_huaweicloud_fgs_async_invoke_configuration.go:63; v1.97.1 huaweicloud/services/fgs/resource_huaweicloud_fgs_async_invoke_configuration.go:63",
        "on_failure.destination": "v1.73.0 huaweicloud/services/fgs/resource_huaweicloud_fgs_async_invoke_configuration.go:93; v1.97.1 huaweicloud/services/fgs/resource_huaweicloud_fgs_async_invoke_configuration.go:93",
        "on_failure.param": "v1.73.0 huaweicloud/services/fgs/resource_huaweicloud_fgs_async_invoke_configuration.go:98; v1.97.1 huaweicloud/services/fgs/resource_huaweicloud_fgs_async_invoke_configuration.go:98",
    },
    "huaweicloud_fgs_function": {
        "agency": "v1.73.0 huaweicloud/services/fgs/resource_huaweicloud_fgs_function.go:173; v1.97.1 huaweicloud/services/fgs/resource_huaweicloud_fgs_function.go:177",
        "app": "v1.73.0 huaweicloud/services/fgs/resource_huaweicloud_fgs_function.go:88; v1.97.1 huaweicloud/services/fgs/resource_huaweicloud_fgs_function.go:92",
        "code_type": "v1.73.0 huaweicloud/services/fgs/resource_huaweicloud_fgs_function.go:99; v1.97.1 huaweicloud/services/fgs/resource_huaweicloud_fgs_function.go:103",
        "code_url": "v1.73.0 huaweicloud/services/fgs/resource_huaweicloud_fgs_function.go:144; v1.97.1 huaweicloud/services/fgs/resource_huaweicloud_fgs_function.go:148",
        "description": "v1.73.0 huaweicloud/services/fgs/resource_huaweicloud_fgs_function.go:123; v1.97.1 huaweicloud/services/fgs/resource_huaweicloud_fgs_function.go:127",
        "functiongraph_version": "v1.73.0 huaweicloud/services/fgs/resource_huaweicloud_fgs_function.go:128; v1.97.1 huaweicloud/services/fgs/resource_huaweicloud_fgs_function.go:132",
        "handler": "v1.73.0 huaweicloud/services/fgs/resource_huaweicloud_fgs_function.go:110; v1.97.1 huaweicloud/services/fgs/resource_huaweicloud_fgs_function.go:114",
        "max_instance_num": "v1.73.0 huaweicloud/services/fgs/resource_huaweicloud_fgs_function.go:325; v1.97.1 huaweicloud/services/fgs/resource_huaweicloud_fgs_function.go:325",
        "memory_size": "v1.73.0 huaweicloud/services/fgs/resource_huaweicloud_fgs_function.go:70; v1.97.1 huaweicloud/services/fgs/resource_huaweicloud_fgs_function.go:74",
        "name": "v1.73.0 huaweicloud/services/fgs/resource_huaweicloud_fgs_function.go:64; v1.97.1 huaweicloud/services/fgs/resource_huaweicloud_fgs_function.go:68",
        "runtime": "v1.73.0 huaweicloud/services/fgs/resource_huaweicloud_fgs_function.go:75; v1.97.1 huaweicloud/services/fgs/resource_huaweicloud_fgs_function.go:79",
        "timeout": "v1.73.0 huaweicloud/services/fgs/resource_huaweicloud_fgs_function.go:81; v1.97.1 huaweicloud/services/fgs/resource_huaweicloud_fgs_function.go:85",
        "user_data": "v1.73.0 huaweicloud/services/fgs/resource_huaweicloud_fgs_function.go:162; v1.97.1 huaweicloud/services/fgs/resource_huaweicloud_fgs_function.go:166",
        "@urn": "v1.73.0 huaweicloud/services/fgs/resource_huaweicloud_fgs_function.go:503; v1.97.1 huaweicloud/services/fgs/resource_huaweicloud_fgs_function.go:634",
    },
    "huaweicloud_fgs_function_trigger": {
        "event_data": "v1.73.0 huaweicloud/services/fgs/resource_huaweicloud_fgs_function_trigger.go:67; v1.97.1 huaweicloud/services/fgs/resource_huaweicloud_fgs_function_trigger.go:70",
        "function_urn": "v1.73.0 huaweicloud/services/fgs/resource_huaweicloud_fgs_function_trigger.go:55; v1.97.1 huaweicloud/services/fgs/resource_huaweicloud_fgs_function_trigger.go:58",
        "status": "v1.73.0 huaweicloud/services/fgs/resource_huaweicloud_fgs_function_trigger.go:76; v1.97.1 huaweicloud/services/fgs/resource_huaweicloud_fgs_function_trigger.go:79",
        "type": "v1.73.0 huaweicloud/services/fgs/resource_huaweicloud_fgs_function_trigger.go:61; v1.97.1 huaweicloud/services/fgs/resource_huaweicloud_fgs_function_trigger.go:64",
    },
    "huaweicloud_identity_agency": {
        "delegated_service_name": "v1.73.0 huaweicloud/services/iam/resource_huaweicloud_identity_agency.go:67; v1.97.1 huaweicloud/services/iam/resource_huaweicloud_identity_agency.go:172",
        "description": "v1.73.0 huaweicloud/services/iam/resource_huaweicloud_identity_agency.go:72; v1.97.1 huaweicloud/services/iam/resource_huaweicloud_identity_agency.go:85",
        "domain_roles": "v1.73.0 huaweicloud/services/iam/resource_huaweicloud_identity_agency.go:103; v1.97.1 huaweicloud/services/iam/resource_huaweicloud_identity_agency.go:119",
        "duration": "v1.73.0 huaweicloud/services/iam/resource_huaweicloud_identity_agency.go:77; v1.97.1 huaweicloud/services/iam/resource_huaweicloud_identity_agency.go:90",
        "name": "v1.73.0 huaweicloud/services/iam/resource_huaweicloud_identity_agency.go:56; v1.97.1 huaweicloud/services/iam/resource_huaweicloud_identity_agency.go:67",
        "project_role": "v1.73.0 huaweicloud/services/iam/resource_huaweicloud_identity_agency.go:83; v1.97.1 huaweicloud/services/iam/resource_huaweicloud_identity_agency.go:99",
        "project_role.project": "v1.73.0 huaweicloud/services/iam/resource_huaweicloud_identity_agency.go:89; v1.97.1 huaweicloud/services/iam/resource_huaweicloud_identity_agency.go:104",
        "project_role.roles": "v1.73.0 huaweicloud/services/iam/resource_huaweicloud_identity_agency.go:93; v1.97.1 huaweicloud/services/iam/resource_huaweicloud_identity_agency.go:109",
        "@name": "v1.73.0 huaweicloud/services/iam/resource_huaweicloud_identity_agency.go:56; v1.97.1 huaweicloud/services/iam/resource_huaweicloud_identity_agency.go:67",
    },
    "huaweicloud_identity_role": {
        "description": "v1.73.0 huaweicloud/services/iam/resource_huaweicloud_identity_role.go:39; v1.97.1 huaweicloud/services/iam/resource_huaweicloud_identity_role.go:40",
        "name": "v1.73.0 huaweicloud/services/iam/resource_huaweicloud_identity_role.go:35; v1.97.1 huaweicloud/services/iam/resource_huaweicloud_identity_role.go:35",
        "policy": "v1.73.0 huaweicloud/services/iam/resource_huaweicloud_identity_role.go:47; v1.97.1 huaweicloud/services/iam/resource_huaweicloud_identity_role.go:50",
        "type": "v1.73.0 huaweicloud/services/iam/resource_huaweicloud_identity_role.go:43; v1.97.1 huaweicloud/services/iam/resource_huaweicloud_identity_role.go:45",
        "@name": "v1.73.0 huaweicloud/services/iam/resource_huaweicloud_identity_role.go:35; v1.97.1 huaweicloud/services/iam/resource_huaweicloud_identity_role.go:35",
    },
    "huaweicloud_obs_bucket": {
        "acl": "v1.73.0 huaweicloud/services/obs/resource_huaweicloud_obs_bucket.go:85; v1.97.1 huaweicloud/services/obs/resource_huaweicloud_obs_bucket.go:88",
        "bucket": "v1.73.0 huaweicloud/services/obs/resource_huaweicloud_obs_bucket.go:73; v1.97.1 huaweicloud/services/obs/resource_huaweicloud_obs_bucket.go:76",
        "encryption": "v1.73.0 huaweicloud/services/obs/resource_huaweicloud_obs_bucket.go:344; v1.97.1 huaweicloud/services/obs/resource_huaweicloud_obs_bucket.go:347",
        "force_destroy": "v1.73.0 huaweicloud/services/obs/resource_huaweicloud_obs_bucket.go:321; v1.97.1 huaweicloud/services/obs/resource_huaweicloud_obs_bucket.go:324",
        "lifecycle_rule": "v1.73.0 huaweicloud/services/obs/resource_huaweicloud_obs_bucket.go:158; v1.97.1 huaweicloud/services/obs/resource_huaweicloud_obs_bucket.go:161",
        "lifecycle_rule.enabled": "v1.73.0 huaweicloud/services/obs/resource_huaweicloud_obs_bucket.go:167; v1.97.1 huaweicloud/services/obs/resource_huaweicloud_obs_bucket.go:170",
        "lifecycle_rule.expiration": "v1.73.0 huaweicloud/services/obs/resource_huaweicloud_obs_bucket.go:175; v1.97.1 huaweicloud/services/obs/resource_huaweicloud_obs_bucket.go:178",
        "lifecycle_rule.expiration.days": "v1.73.0 huaweicloud/services/obs/resource_huaweicloud_obs_bucket.go:180; v1.97.1 huaweicloud/services/obs/resource_huaweicloud_obs_bucket.go:183",
        "lifecycle_rule.name": "v1.73.0 huaweicloud/services/obs/resource_huaweicloud_obs_bucket.go:163; v1.97.1 huaweicloud/services/obs/resource_huaweicloud_obs_bucket.go:166",
        "lifecycle_rule.noncurrent_version_expiration": "v1.73.0 huaweicloud/services/obs/resource_huaweicloud_obs_bucket.go:203; v1.97.1 huaweicloud/services/obs/resource_huaweicloud_obs_bucket.go:206",
        "lifecycle_rule.noncurrent_version_expiration.days": "v1.73.0 huaweicloud/services/obs/resource_huaweicloud_obs_bucket.go:208; v1.97.1 huaweicloud/services/obs/resource_huaweicloud_obs_bucket.go:211",
        "lifecycle_rule.prefix": "v1.73.0 huaweicloud/services/obs/resource_huaweicloud_obs_bucket.go:171; v1.97.1 huaweicloud/services/obs/resource_huaweicloud_obs_bucket.go:174",
        "sse_algorithm": "v1.73.0 huaweicloud/services/obs/resource_huaweicloud_obs_bucket.go:349; v1.97.1 huaweicloud/services/obs/resource_huaweicloud_obs_bucket.go:352",
        "versioning": "v1.73.0 huaweicloud/services/obs/resource_huaweicloud_obs_bucket.go:105; v1.97.1 huaweicloud/services/obs/resource_huaweicloud_obs_bucket.go:108",
        "@bucket": "v1.73.0 huaweicloud/services/obs/resource_huaweicloud_obs_bucket.go:73; v1.97.1 huaweicloud/services/obs/resource_huaweicloud_obs_bucket.go:76",
        "@bucket_domain_name": "v1.73.0 huaweicloud/services/obs/resource_huaweicloud_obs_bucket.go:375; v1.97.1 huaweicloud/services/obs/resource_huaweicloud_obs_bucket.go:398",
    },
    "huaweicloud_obs_bucket_object": {
        "bucket": "v1.73.0 huaweicloud/services/obs/resource_huaweicloud_obs_bucket_object.go:41; v1.97.1 huaweicloud/services/obs/resource_huaweicloud_obs_bucket_object.go:46",
        "encryption": "v1.73.0 huaweicloud/services/obs/resource_huaweicloud_obs_bucket_object.go:75; v1.97.1 huaweicloud/services/obs/resource_huaweicloud_obs_bucket_object.go:80",
        "key": "v1.73.0 huaweicloud/services/obs/resource_huaweicloud_obs_bucket_object.go:47; v1.97.1 huaweicloud/services/obs/resource_huaweicloud_obs_bucket_object.go:52",
        "source": "v1.73.0 huaweicloud/services/obs/resource_huaweicloud_obs_bucket_object.go:53; v1.97.1 huaweicloud/services/obs/resource_huaweicloud_obs_bucket_object.go:58",
        "@key": "v1.73.0 huaweicloud/services/obs/resource_huaweicloud_obs_bucket_object.go:47; v1.97.1 huaweicloud/services/obs/resource_huaweicloud_obs_bucket_object.go:52",
    },
    "huaweicloud_obs_bucket_policy": {
        "bucket": "v1.73.0 huaweicloud/services/obs/resource_huaweicloud_obs_bucket_policy.go:42; v1.97.1 huaweicloud/services/obs/resource_huaweicloud_obs_bucket_policy.go:42",
        "policy": "v1.73.0 huaweicloud/services/obs/resource_huaweicloud_obs_bucket_policy.go:47; v1.97.1 huaweicloud/services/obs/resource_huaweicloud_obs_bucket_policy.go:47",
        "policy_format": "v1.73.0 huaweicloud/services/obs/resource_huaweicloud_obs_bucket_policy.go:53; v1.97.1 huaweicloud/services/obs/resource_huaweicloud_obs_bucket_policy.go:53",
    },
    "huaweicloud_smn_topic": {
        "display_name": "v1.73.0 huaweicloud/services/smn/resource_huaweicloud_smn_topic.go:54; v1.97.1 huaweicloud/services/smn/resource_huaweicloud_smn_topic.go:56",
        "name": "v1.73.0 huaweicloud/services/smn/resource_huaweicloud_smn_topic.go:49; v1.97.1 huaweicloud/services/smn/resource_huaweicloud_smn_topic.go:51",
        "@name": "v1.73.0 huaweicloud/services/smn/resource_huaweicloud_smn_topic.go:49; v1.97.1 huaweicloud/services/smn/resource_huaweicloud_smn_topic.go:51",
        "@topic_urn": "v1.73.0 huaweicloud/services/smn/resource_huaweicloud_smn_topic.go:86; v1.97.1 huaweicloud/services/smn/resource_huaweicloud_smn_topic.go:88",
    },
    "tencentcloud_cam_policy": {
        "description": "v1.81.2 tencentcloud/resource_tc_cam_policy.go:92; v1.83.25 tencentcloud/services/cam/resource_tc_cam_policy.go:60",
        "document": "v1.81.2 tencentcloud/resource_tc_cam_policy.go:73; v1.83.25 tencentcloud/services/cam/resource_tc_cam_policy.go:41",
        "name": "v1.81.2 tencentcloud/resource_tc_cam_policy.go:67; v1.83.25 tencentcloud/services/cam/resource_tc_cam_policy.go:35",
    },
    "tencentcloud_cam_role": {
        "description": "v1.81.2 tencentcloud/resource_tc_cam_role.go:119; v1.83.25 tencentcloud/services/cam/resource_tc_cam_role.go:59",
        "document": "v1.81.2 tencentcloud/resource_tc_cam_role.go:100; v1.83.25 tencentcloud/services/cam/resource_tc_cam_role.go:40",
        "name": "v1.81.2 tencentcloud/resource_tc_cam_role.go:94; v1.83.25 tencentcloud/services/cam/resource_tc_cam_role.go:34",
        "@name": "v1.81.2 tencentcloud/resource_tc_cam_role.go:94; v1.83.25 tencentcloud/services/cam/resource_tc_cam_role.go:34",
    },
    "tencentcloud_cam_role_policy_attachment": {
        "policy_id": "v1.81.2 tencentcloud/resource_tc_cam_role_policy_attachment.go:51; v1.83.25 tencentcloud/services/cam/resource_tc_cam_role_policy_attachment.go:33",
        "role_id": "v1.81.2 tencentcloud/resource_tc_cam_role_policy_attachment.go:45; v1.83.25 tencentcloud/services/cam/resource_tc_cam_role_policy_attachment.go:27",
    },
    "tencentcloud_cos_bucket": {
        "acl": "v1.81.2 tencentcloud/resource_tc_cos_bucket.go:397; v1.83.25 tencentcloud/services/cos/resource_tc_cos_bucket.go:180",
        "bucket": "v1.81.2 tencentcloud/resource_tc_cos_bucket.go:390; v1.83.25 tencentcloud/services/cos/resource_tc_cos_bucket.go:173",
        "encryption_algorithm": "v1.81.2 tencentcloud/resource_tc_cos_bucket.go:428; v1.83.25 tencentcloud/services/cos/resource_tc_cos_bucket.go:202",
        "force_clean": "v1.81.2 tencentcloud/resource_tc_cos_bucket.go:385; v1.83.25 tencentcloud/services/cos/resource_tc_cos_bucket.go:168",
        "lifecycle_rules": "v1.81.2 tencentcloud/resource_tc_cos_bucket.go:568; v1.83.25 tencentcloud/services/cos/resource_tc_cos_bucket.go:459",
        "lifecycle_rules.expiration": "v1.81.2 tencentcloud/resource_tc_cos_bucket.go:611; v1.83.25 tencentcloud/services/cos/resource_tc_cos_bucket.go:503",
        "lifecycle_rules.expiration.days": "v1.81.2 tencentcloud/resource_tc_cos_bucket.go:625; v1.83.25 tencentcloud/services/cos/resource_tc_cos_bucket.go:517",
        "lifecycle_rules.filter_prefix": "v1.81.2 tencentcloud/resource_tc_cos_bucket.go:579; v1.83.25 tencentcloud/services/cos/resource_tc_cos_bucket.go:471",
        "lifecycle_rules.non_current_expiration": "v1.81.2 tencentcloud/resource_tc_cos_bucket.go:660; v1.83.25 tencentcloud/services/cos/resource_tc_cos_bucket.go:552",
        "lifecycle_rules.non_current_expiration.non_current_days": "v1.81.2 tencentcloud/resource_tc_cos_bucket.go:668; v1.83.25 tencentcloud/services/cos/resource_tc_cos_bucket.go:560",
        "versioning_enable": "v1.81.2 tencentcloud/resource_tc_cos_bucket.go:433; v1.83.25 tencentcloud/services/cos/resource_tc_cos_bucket.go:212",
        "@bucket": "v1.81.2 tencentcloud/resource_tc_cos_bucket.go:390; v1.83.25 tencentcloud/services/cos/resource_tc_cos_bucket.go:173",
    },
    "tencentcloud_cos_bucket_object": {
        "acl": "v1.81.2 tencentcloud/resource_tc_cos_bucket_object.go:81; v1.83.25 tencentcloud/services/cos/resource_tc_cos_bucket_object.go:53",
        "bucket": "v1.81.2 tencentcloud/resource_tc_cos_bucket_object.go:57; v1.83.25 tencentcloud/services/cos/resource_tc_cos_bucket_object.go:29",
        "etag": "v1.81.2 tencentcloud/resource_tc_cos_bucket_object.go:125; v1.83.25 tencentcloud/services/cos/resource_tc_cos_bucket_object.go:97",
        "key": "v1.81.2 tencentcloud/resource_tc_cos_bucket_object.go:63; v1.83.25 tencentcloud/services/cos/resource_tc_cos_bucket_object.go:35",
        "source": "v1.81.2 tencentcloud/resource_tc_cos_bucket_object.go:69; v1.83.25 tencentcloud/services/cos/resource_tc_cos_bucket_object.go:41",
        "@key": "v1.81.2 tencentcloud/resource_tc_cos_bucket_object.go:63; v1.83.25 tencentcloud/services/cos/resource_tc_cos_bucket_object.go:35",
    },
    "tencentcloud_cos_bucket_policy": {
        "bucket": "v1.81.2 tencentcloud/resource_tc_cos_bucket_policy.go:68; v1.83.25 tencentcloud/services/cos/resource_tc_cos_bucket_policy.go:30",
        "policy": "v1.81.2 tencentcloud/resource_tc_cos_bucket_policy.go:75; v1.83.25 tencentcloud/services/cos/resource_tc_cos_bucket_policy.go:37",
    },
    "tencentcloud_scf_function": {
        "cos_bucket_name": "v1.81.2 tencentcloud/resource_tc_scf_function.go:245; v1.83.25 tencentcloud/services/scf/resource_tc_scf_function.go:218",
        "cos_bucket_region": "v1.81.2 tencentcloud/resource_tc_scf_function.go:258; v1.83.25 tencentcloud/services/scf/resource_tc_scf_function.go:231",
        "cos_object_name": "v1.81.2 tencentcloud/resource_tc_scf_function.go:251; v1.83.25 tencentcloud/services/scf/resource_tc_scf_function.go:224",
        "description": "v1.81.2 tencentcloud/resource_tc_scf_function.go:129; v1.83.25 tencentcloud/services/scf/resource_tc_scf_function.go:88",
        "enable_public_net": "v1.81.2 tencentcloud/resource_tc_scf_function.go:232; v1.83.25 tencentcloud/services/scf/resource_tc_scf_function.go:205",
        "environment": "v1.81.2 tencentcloud/resource_tc_scf_function.go:158; v1.83.25 tencentcloud/services/scf/resource_tc_scf_function.go:117",
        "handler": "v1.81.2 tencentcloud/resource_tc_scf_function.go:120; v1.83.25 tencentcloud/services/scf/resource_tc_scf_function.go:79",
        "mem_size": "v1.81.2 tencentcloud/resource_tc_scf_function.go:136; v1.83.25 tencentcloud/services/scf/resource_tc_scf_function.go:95",
        "name": "v1.81.2 tencentcloud/resource_tc_scf_function.go:110; v1.83.25 tencentcloud/services/scf/resource_tc_scf_function.go:69",
        "namespace": "v1.81.2 tencentcloud/resource_tc_scf_function.go:178; v1.83.25 tencentcloud/services/scf/resource_tc_scf_function.go:137",
        "role": "v1.81.2 tencentcloud/resource_tc_scf_function.go:185; v1.83.25 tencentcloud/services/scf/resource_tc_scf_function.go:144",
        "runtime": "v1.81.2 tencentcloud/resource_tc_scf_function.go:163; v1.83.25 tencentcloud/services/scf/resource_tc_scf_function.go:122",
        "timeout": "v1.81.2 tencentcloud/resource_tc_scf_function.go:151; v1.83.25 tencentcloud/services/scf/resource_tc_scf_function.go:110",
        "triggers": "v1.81.2 tencentcloud/resource_tc_scf_function.go:316; v1.83.25 tencentcloud/services/scf/resource_tc_scf_function.go:311",
        "triggers.cos_region": "v1.81.2 tencentcloud/resource_tc_scf_function.go:328; v1.83.25 tencentcloud/services/scf/resource_tc_scf_function.go:323",
        "triggers.name": "v1.81.2 tencentcloud/resource_tc_scf_function.go:322; v1.83.25 tencentcloud/services/scf/resource_tc_scf_function.go:317",
        "triggers.trigger_desc": "v1.81.2 tencentcloud/resource_tc_scf_function.go:339; v1.83.25 tencentcloud/services/scf/resource_tc_scf_function.go:333",
        "triggers.type": "v1.81.2 tencentcloud/resource_tc_scf_function.go:333; v1.83.25 tencentcloud/services/scf/resource_tc_scf_function.go:328",
        "@name": "v1.81.2 tencentcloud/resource_tc_scf_function.go:110; v1.83.25 tencentcloud/services/scf/resource_tc_scf_function.go:69",
        "@namespace": "v1.81.2 tencentcloud/resource_tc_scf_function.go:178; v1.83.25 tencentcloud/services/scf/resource_tc_scf_function.go:137",
    },
    "tencentcloud_scf_function_event_invoke_config": {
        "async_trigger_config": "v1.81.2 tencentcloud/resource_tc_scf_function_event_invoke_config.go:63; v1.83.25 tencentcloud/services/scf/resource_tc_scf_function_event_invoke_config.go:40",
        "async_trigger_config.msg_ttl": "v1.81.2 tencentcloud/resource_tc_scf_function_event_invoke_config.go:84; v1.83.25 tencentcloud/services/scf/resource_tc_scf_function_event_invoke_config.go:61",
        "async_trigger_config.retry_config": "v1.81.2 tencentcloud/resource_tc_scf_function_event_invoke_config.go:70; v1.83.25 tencentcloud/services/scf/resource_tc_scf_function_event_invoke_config.go:47",
        "async_trigger_config.retry_config.retry_num": "v1.81.2 tencentcloud/resource_tc_scf_function_event_invoke_config.go:76; v1.83.25 tencentcloud/services/scf/resource_tc_scf_function_event_invoke_config.go:53",
        "function_name": "v1.81.2 tencentcloud/resource_tc_scf_function_event_invoke_config.go:51; v1.83.25 tencentcloud/services/scf/resource_tc_scf_function_event_invoke_config.go:28",
        "namespace": "v1.81.2 tencentcloud/resource_tc_scf_function_event_invoke_config.go:57; v1.83.25 tencentcloud/services/scf/resource_tc_scf_function_event_invoke_config.go:34",
    },
    "tencentcloud_tcmq_topic": {
        "filter_type": "v1.81.2 tencentcloud/resource_tc_tcmq_topic.go:57; v1.83.25 tencentcloud/services/tcmq/resource_tc_tcmq_topic.go:41",
        "max_msg_size": "v1.81.2 tencentcloud/resource_tc_tcmq_topic.go:50; v1.83.25 tencentcloud/services/tcmq/resource_tc_tcmq_topic.go:34",
        "msg_retention_seconds": "v1.81.2 tencentcloud/resource_tc_tcmq_topic.go:64; v1.83.25 tencentcloud/services/tcmq/resource_tc_tcmq_topic.go:48",
        "topic_name": "v1.81.2 tencentcloud/resource_tc_tcmq_topic.go:44; v1.83.25 tencentcloud/services/tcmq/resource_tc_tcmq_topic.go:28",
        "trace": "v1.81.2 tencentcloud/resource_tc_tcmq_topic.go:71; v1.83.25 tencentcloud/services/tcmq/resource_tc_tcmq_topic.go:55",
        "@topic_name": "v1.81.2 tencentcloud/resource_tc_tcmq_topic.go:44; v1.83.25 tencentcloud/services/tcmq/resource_tc_tcmq_topic.go:28",
    },
}

# Arguments the provider declares Required (at either tag), with the line of the key.
REQUIRED: dict[str, dict[str, str]] = {
    "huaweicloud_fgs_async_invoke_configuration": {
        "function_urn": "v1.73.0 huaweicloud/services/fgs/resource_huaweicloud_fgs_async_invoke_configuration.go:40; v1.97.1 huaweicloud/services/fgs/resource_huaweicloud_fgs_async_invoke_configuration.go:40",
        "max_async_event_age_in_seconds": "v1.73.0 huaweicloud/services/fgs/resource_huaweicloud_fgs_async_invoke_configuration.go:46; v1.97.1 huaweicloud/services/fgs/resource_huaweicloud_fgs_async_invoke_configuration.go:46",
        "max_async_retry_attempts": "v1.73.0 huaweicloud/services/fgs/resource_huaweicloud_fgs_async_invoke_configuration.go:51; v1.97.1 huaweicloud/services/fgs/resource_huaweicloud_fgs_async_invoke_configuration.go:51",
    },
    "huaweicloud_fgs_function": {
        "memory_size": "v1.73.0 huaweicloud/services/fgs/resource_huaweicloud_fgs_function.go:70; v1.97.1 huaweicloud/services/fgs/resource_huaweicloud_fgs_function.go:74",
        "name": "v1.73.0 huaweicloud/services/fgs/resource_huaweicloud_fgs_function.go:64; v1.97.1 huaweicloud/services/fgs/resource_huaweicloud_fgs_function.go:68",
        "runtime": "v1.73.0 huaweicloud/services/fgs/resource_huaweicloud_fgs_function.go:75; v1.97.1 huaweicloud/services/fgs/resource_huaweicloud_fgs_function.go:79",
        "timeout": "v1.73.0 huaweicloud/services/fgs/resource_huaweicloud_fgs_function.go:81; v1.97.1 huaweicloud/services/fgs/resource_huaweicloud_fgs_function.go:85",
    },
    "huaweicloud_fgs_function_trigger": {
        "event_data": "v1.73.0 huaweicloud/services/fgs/resource_huaweicloud_fgs_function_trigger.go:67; v1.97.1 huaweicloud/services/fgs/resource_huaweicloud_fgs_function_trigger.go:70",
        "function_urn": "v1.73.0 huaweicloud/services/fgs/resource_huaweicloud_fgs_function_trigger.go:55; v1.97.1 huaweicloud/services/fgs/resource_huaweicloud_fgs_function_trigger.go:58",
        "type": "v1.73.0 huaweicloud/services/fgs/resource_huaweicloud_fgs_function_trigger.go:61; v1.97.1 huaweicloud/services/fgs/resource_huaweicloud_fgs_function_trigger.go:64",
    },
    "huaweicloud_identity_agency": {
        "name": "v1.73.0 huaweicloud/services/iam/resource_huaweicloud_identity_agency.go:56; v1.97.1 huaweicloud/services/iam/resource_huaweicloud_identity_agency.go:67",
    },
    "huaweicloud_identity_role": {
        "description": "v1.73.0 huaweicloud/services/iam/resource_huaweicloud_identity_role.go:39; v1.97.1 huaweicloud/services/iam/resource_huaweicloud_identity_role.go:40",
        "name": "v1.73.0 huaweicloud/services/iam/resource_huaweicloud_identity_role.go:35; v1.97.1 huaweicloud/services/iam/resource_huaweicloud_identity_role.go:35",
        "policy": "v1.73.0 huaweicloud/services/iam/resource_huaweicloud_identity_role.go:47; v1.97.1 huaweicloud/services/iam/resource_huaweicloud_identity_role.go:50",
        "type": "v1.73.0 huaweicloud/services/iam/resource_huaweicloud_identity_role.go:43; v1.97.1 huaweicloud/services/iam/resource_huaweicloud_identity_role.go:45",
    },
    "huaweicloud_obs_bucket": {
        "bucket": "v1.73.0 huaweicloud/services/obs/resource_huaweicloud_obs_bucket.go:73; v1.97.1 huaweicloud/services/obs/resource_huaweicloud_obs_bucket.go:76",
    },
    "huaweicloud_obs_bucket_object": {
        "bucket": "v1.73.0 huaweicloud/services/obs/resource_huaweicloud_obs_bucket_object.go:41; v1.97.1 huaweicloud/services/obs/resource_huaweicloud_obs_bucket_object.go:46",
        "key": "v1.73.0 huaweicloud/services/obs/resource_huaweicloud_obs_bucket_object.go:47; v1.97.1 huaweicloud/services/obs/resource_huaweicloud_obs_bucket_object.go:52",
    },
    "huaweicloud_obs_bucket_policy": {
        "bucket": "v1.73.0 huaweicloud/services/obs/resource_huaweicloud_obs_bucket_policy.go:42; v1.97.1 huaweicloud/services/obs/resource_huaweicloud_obs_bucket_policy.go:42",
        "policy": "v1.73.0 huaweicloud/services/obs/resource_huaweicloud_obs_bucket_policy.go:47; v1.97.1 huaweicloud/services/obs/resource_huaweicloud_obs_bucket_policy.go:47",
    },
    "huaweicloud_smn_topic": {
        "name": "v1.73.0 huaweicloud/services/smn/resource_huaweicloud_smn_topic.go:49; v1.97.1 huaweicloud/services/smn/resource_huaweicloud_smn_topic.go:51",
    },
    "tencentcloud_cam_policy": {
        "document": "v1.81.2 tencentcloud/resource_tc_cam_policy.go:73; v1.83.25 tencentcloud/services/cam/resource_tc_cam_policy.go:41",
        "name": "v1.81.2 tencentcloud/resource_tc_cam_policy.go:67; v1.83.25 tencentcloud/services/cam/resource_tc_cam_policy.go:35",
    },
    "tencentcloud_cam_role": {
        "document": "v1.81.2 tencentcloud/resource_tc_cam_role.go:100; v1.83.25 tencentcloud/services/cam/resource_tc_cam_role.go:40",
        "name": "v1.81.2 tencentcloud/resource_tc_cam_role.go:94; v1.83.25 tencentcloud/services/cam/resource_tc_cam_role.go:34",
    },
    "tencentcloud_cam_role_policy_attachment": {
        "policy_id": "v1.81.2 tencentcloud/resource_tc_cam_role_policy_attachment.go:51; v1.83.25 tencentcloud/services/cam/resource_tc_cam_role_policy_attachment.go:33",
        "role_id": "v1.81.2 tencentcloud/resource_tc_cam_role_policy_attachment.go:45; v1.83.25 tencentcloud/services/cam/resource_tc_cam_role_policy_attachment.go:27",
    },
    "tencentcloud_cos_bucket": {
        "bucket": "v1.81.2 tencentcloud/resource_tc_cos_bucket.go:390; v1.83.25 tencentcloud/services/cos/resource_tc_cos_bucket.go:173",
    },
    "tencentcloud_cos_bucket_object": {
        "bucket": "v1.81.2 tencentcloud/resource_tc_cos_bucket_object.go:57; v1.83.25 tencentcloud/services/cos/resource_tc_cos_bucket_object.go:29",
        "key": "v1.81.2 tencentcloud/resource_tc_cos_bucket_object.go:63; v1.83.25 tencentcloud/services/cos/resource_tc_cos_bucket_object.go:35",
    },
    "tencentcloud_cos_bucket_policy": {
        "bucket": "v1.81.2 tencentcloud/resource_tc_cos_bucket_policy.go:68; v1.83.25 tencentcloud/services/cos/resource_tc_cos_bucket_policy.go:30",
        "policy": "v1.81.2 tencentcloud/resource_tc_cos_bucket_policy.go:75; v1.83.25 tencentcloud/services/cos/resource_tc_cos_bucket_policy.go:37",
    },
    "tencentcloud_scf_function": {
        "handler": "v1.81.2 tencentcloud/resource_tc_scf_function.go:120",
        "name": "v1.81.2 tencentcloud/resource_tc_scf_function.go:110; v1.83.25 tencentcloud/services/scf/resource_tc_scf_function.go:69",
        "runtime": "v1.81.2 tencentcloud/resource_tc_scf_function.go:163",
    },
    "tencentcloud_scf_function_event_invoke_config": {
        "async_trigger_config": "v1.81.2 tencentcloud/resource_tc_scf_function_event_invoke_config.go:63; v1.83.25 tencentcloud/services/scf/resource_tc_scf_function_event_invoke_config.go:40",
        "function_name": "v1.81.2 tencentcloud/resource_tc_scf_function_event_invoke_config.go:51; v1.83.25 tencentcloud/services/scf/resource_tc_scf_function_event_invoke_config.go:28",
    },
    "tencentcloud_tcmq_topic": {
        "topic_name": "v1.81.2 tencentcloud/resource_tc_tcmq_topic.go:44; v1.83.25 tencentcloud/services/tcmq/resource_tc_tcmq_topic.go:28",
    },
}

# Arguments the product cannot do without although the provider makes them optional.
PRODUCT_REQUIRED: dict[str, frozenset[str]] = {
    "huaweicloud_fgs_function": frozenset({"app", "handler", "code_type", "code_url", "agency"}),
    "huaweicloud_fgs_async_invoke_configuration": frozenset({"on_failure"}),
    "huaweicloud_identity_agency": frozenset({"delegated_service_name"}),
    "huaweicloud_obs_bucket": frozenset({"acl", "versioning", "encryption", "lifecycle_rule"}),
    "huaweicloud_obs_bucket_object": frozenset({"source"}),
    "tencentcloud_cos_bucket": frozenset({"acl", "versioning_enable", "lifecycle_rules"}),
    "tencentcloud_cos_bucket_object": frozenset({"source"}),
    "tencentcloud_scf_function": frozenset(
        {"cos_bucket_name", "cos_object_name", "cos_bucket_region", "triggers", "role"}
    ),
}

# Names and values the providers rewrite or constrain.
TENCENT_COS_TRIGGER_NAME = {
    # The provider builds the trigger name itself from `name` and `cos_region`.
    "rewrite": "{name}.cos.{cos_region}.myqcloud.com",
    "source": (
        "v1.81.2 tencentcloud/resource_tc_scf_function.go:758 (create), :1203 and :1226 (update); "
        "v1.83.25 tencentcloud/services/scf/resource_tc_scf_function.go:1001 (create), "
        ":1714 and :1737 (update)"
    ),
    # ... so its own acceptance test passes the bare bucket id.
    "acceptance_test": (
        "v1.81.2 tencentcloud/resource_tc_scf_function_test.go:705; "
        "v1.83.25 tencentcloud/services/scf/resource_tc_scf_function_test.go:810 "
        "(name = local.bucket_name)"
    ),
}
TENCENT_SCF_COS_OBJECT_NAME = {
    "starts_with": "/",
    "source": (
        "SCF API CreateFunction Code.CosObjectName, '对象存储中代码包文件路径，以/开头': "
        "v1.81.2 vendor/github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/scf/v20180416/"
        "models.go:134; v1.83.25 same file:139"
    ),
    "suffixes": (".zip", ".jar"),
    "suffix_source": "v1.83.25 tencentcloud/services/scf/resource_tc_scf_function.go:228",
}
# The SCF runtime string is not validated by the provider (v1.83.25 resource_tc_scf_function.go:122,
# no ValidateFunc; its description lists stale values): the stack pins the one the bundle is built for.
# FunctionGraph's runtime is likewise unvalidated (v1.97.1 resource_huaweicloud_fgs_function.go:79).
BUNDLE_RUNTIME = {"tencentcloud": "Python3.10", "huaweicloud": "Python3.10"}

HUAWEI_FGS_FUNCTIONGRAPH_VERSIONS = {
    "values": ("v1", "v2"),
    "source": (
        "v1.73.0 huaweicloud/services/fgs/resource_huaweicloud_fgs_function.go:134; "
        "v1.97.1 same file:138"
    ),
}
HUAWEI_BUCKET_DOMAIN_NAME = {
    "format": "{bucket}.obs.{region}.{cloud}",
    "source": (
        "bucketDomainNameWithCloud: v1.73.0 huaweicloud/services/obs/resource_huaweicloud_obs_bucket.go"
        ":1775-1776; v1.97.1 same file:1890-1891"
    ),
}
HUAWEI_OBJECT_ETAG_UNDER_SSE = {
    "fact": "under server-side encryption the ETag is not the file's MD5",
    "source": (
        "comment on `etag`: v1.73.0 huaweicloud/services/obs/resource_huaweicloud_obs_bucket_object.go"
        ":91-94; v1.97.1 same file:96-99; and https://support.huaweicloud.com/intl/en-us/"
        "usermanual-obs/obs_03_0092.html ('The ETag value of an encrypted object is the MD5 value "
        "of the ciphertext')"
    ),
}
# huaweicloud_smn_topic has no encryption (KMS) argument at either tag: its schema keys are
# region, name, display_name, enterprise_project_id, users_publish_allowed,
# services_publish_allowed, introduction, access_policy (v1.97.1 only), tags, topic_urn,
# push_policy, update_time, create_time (v1.97.1 huaweicloud/services/smn/resource_huaweicloud_smn_topic.go:45-100).
HUAWEI_SMN_TOPIC_ENCRYPTION_ARGUMENTS: frozenset[str] = frozenset()

# IAM / CAM actions and condition keys. "verified": the name was read in the cited document.
AWS_ACTIONS = {
    action: f"https://docs.aws.amazon.com/service-authorization/latest/reference/{page}"
    for page, actions in {
        "list_amazons3.html": (
            "s3:GetObject",
            "s3:GetObjectVersion",
            "s3:PutObject",
            "s3:DeleteObject",
        ),
        "list_amazonsns.html": ("sns:Publish",),
        "list_amazondynamodb.html": (
            "dynamodb:GetItem",
            "dynamodb:PutItem",
            "dynamodb:UpdateItem",
            "dynamodb:DeleteItem",
        ),
        "list_amazonsqs.html": (
            "sqs:ReceiveMessage",
            "sqs:DeleteMessage",
            "sqs:GetQueueAttributes",
        ),
        "list_amazoncloudwatchlogs.html": ("logs:CreateLogStream", "logs:PutLogEvents"),
        "list_awsx-ray.html": ("xray:PutTraceSegments", "xray:PutTelemetryRecords"),
        # AnalyzeID: no resource types, dependent action s3:GetObject (the caller's read).
        "list_amazontextract.html": ("textract:AnalyzeID",),
        # The vendor secret (vendor_secret_arn): one secret or parameter, and its CMK.
        "list_awssecretsmanager.html": ("secretsmanager:GetSecretValue",),
        "list_awssystemsmanager.html": ("ssm:GetParameter",),
        "list_awskeymanagementservice.html": ("kms:Decrypt",),
    }.items()
    for action in actions
}

COS_ACTIONS_DOC = "https://www.tencentcloud.com/document/product/436/30580"
TENCENT_CAM_ACTIONS = {
    "name/sts:AssumeRole": (
        "role trust policy; carrier scf.qcloud.com: https://cloud.tencent.com/document/product/583/32389",
        True,
    ),
    "name/cos:GetObject": (
        f"{COS_ACTIONS_DOC} (download); versionid on GetObject: https://intl.cloud.tencent.com/document/product/436/46206",
        True,
    ),
    "name/cos:HeadObject": (
        "https://cloud.tencent.com/document/product/436/64997 ('action 需要设置为cos:HeadObject')",
        True,
    ),
    "name/cos:PutObject": (f"{COS_ACTIONS_DOC} (simple upload)", True),
    "name/cos:DeleteObject": (
        f"{COS_ACTIONS_DOC} (name/cos:<API> convention) and DeleteObject request: https://intl.cloud.tencent.com/document/product/436/46206",
        False,
    ),
    "name/cos:*": (f"{COS_ACTIONS_DOC} ('all ( * ) COS APIs')", True),
    "name/ocr:PassportOCR": (
        "name/<service>:<API action> convention; API PassportOCR (OCR 2018-11-19); no CAM action list read",
        False,
    ),
    "name/ocr:MLIDPassportOCR": (
        "name/<service>:<API action> convention; API MLIDPassportOCR (OCR 2018-11-19); no CAM action list read",
        False,
    ),
    "name/ssm:GetSecretValue": (
        "https://www.tencentcloud.com/document/product/1078/38612 (GetSecretValue is "
        "resource-level: qcs::ssm:$region:uin/$uin:secret/creatorUin/$creatorUin/$secretName); "
        "action GetSecretValue: tencentcloud-sdk-python-ssm 3.1.194 "
        "tencentcloud/ssm/v20190923/ssm_client.py:377-389",
        True,
    ),
    "name/tdmq:PublishCmqMsg": (
        "API PublishCmqMsg: v1.83.25 vendor/github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/tdmq/v20200217/client.go:8563",
        False,
    ),
}
TENCENT_COS_CONDITIONS = {
    # The condition key of "whether the request uses HTTPS" is in the table of
    # https://www.tencentcloud.com/document/product/436/46205; the key's name and the operator
    # were not read there (the stored copy drops the names): not verified.
    "qcs:secure_transport": ("https://www.tencentcloud.com/document/product/436/46205", False),
}

OBS_ACTIONS_DOC = "https://support.huaweicloud.com/intl/en-us/api-obs/obs_04_0111.html"
OBS_OBJECT_ACTIONS_TABLE = (
    "https://docs.sc.otc.t-systems.com/object-storage-service/api-ref/"
    "iam_policies_and_supported_actions/object_actions.html"
)
OBS_SSE_KMS_AGENCY = (
    "OBS Product Introduction, 'Permissions Required for OBS Console Operations', Table 6-3 "
    "(issue 26, 2024-02-28): 'kms:cmk:get, kms:cmk:list, kms:cmk:create, kms:dek:create, "
    "kms:dek:crypto ... when SSE-KMS is enabled for a bucket'; OTC OBS user guide obs_03_0421"
)
HUAWEI_IAM_ACTIONS = {
    "obs:object:GetObject": (f"{OBS_ACTIONS_DOC}; {OBS_OBJECT_ACTIONS_TABLE}", True),
    "obs:object:GetObjectVersion": (
        f"{OBS_OBJECT_ACTIONS_TABLE} ('content and metadata of a specific object version')",
        True,
    ),
    "obs:object:PutObject": (f"{OBS_ACTIONS_DOC}; {OBS_OBJECT_ACTIONS_TABLE}", True),
    "obs:object:DeleteObject": (f"{OBS_OBJECT_ACTIONS_TABLE}", True),
    "smn:topic:publish": (
        "https://support.huaweicloud.com/intl/en-us/api-smn/smn_api_80005.html",
        True,
    ),
    "kms:cmk:get": (OBS_SSE_KMS_AGENCY, True),
    "kms:cmk:list": (OBS_SSE_KMS_AGENCY, True),
    "kms:dek:create": (OBS_SSE_KMS_AGENCY, True),
    "kms:dek:crypto": (OBS_SSE_KMS_AGENCY, True),
    # ShowSecretVersion's policy-based (v1.1 role) name, the alias of the identity-policy action
    # csms:secret:getVersion (https://support.huaweicloud.com/intl/en-us/api-dew/ShowSecretVersion.html,
    # "Authorization Information"); and the decryption of the secret's data key DEW's own
    # examples grant with it (DLI user guide dli_01_0617, "Permission to Use DEW's Encryption
    # Function": csms:secretVersion:get, csms:secretVersion:list, kms:dek:decrypt).
    "csms:secretVersion:get": (
        "https://support.huaweicloud.com/intl/en-us/api-dew/ShowSecretVersion.html (alias of "
        "csms:secret:getVersion)",
        True,
    ),
    "kms:dek:decrypt": (
        "DLI user guide dli_01_0617 ('Permission to decrypt DEW secrets: kms:dek:decrypt')",
        True,
    ),
    # Huawei publishes no per-API OCR action for policy-based authorization: the service-wide
    # wildcard is the narrowest grant known (infra/README.md).
    "ocr:*:*": ("no per-API OCR action is documented; service-wide wildcard", False),
}
HUAWEI_OBS_CONDITIONS = {
    "SecureTransport": (
        "https://support.huaweicloud.com/intl/en-us/usermanual-rms/rms_05_3046.html",
        True,
    ),
}
HUAWEI_FUNCTIONGRAPH_AGENCY_SERVICE = (
    "op_svc_cff",
    "huaweicloud_identity_agency delegated_service_name; marked Internal at v1.97.1 huaweicloud/services/iam/resource_huaweicloud_identity_agency.go:172-180, still accepted",
)

# osls (the Serverless Framework v3 fork, 4.3.1 as installed by scripts/install-tools.sh):
# a function whose name starts with "<service>-<stage>" gets the logs statements on
# "log-group:/aws/lambda/<service>-<stage>*"; any other name gets its own log group only.
OSLS_LOG_GROUP_SCOPE = "osls 4.3.1 lib/plugins/aws/package/lib/merge-iam-templates.js:125-166"

# --- SNAP_START: Lambda SnapStart (serverless.yml `snapStart`, infra/aws `snap_start`) --------
# Each fact with where it was read. osls is the copy scripts/install-tools.sh installs
# (node_modules/osls, 4.3.1); the AWS provider is the 5.100.0 binary's own schema
# (`terraform providers schema -json`, the newest 5.x, inside versions.tf's range).
SNAP_START = {
    "osls_version": "4.3.1",
    # `snapStart: true` on a function puts SnapStart on the AWS::Lambda::Function resource...
    "osls_function_property": (
        "SnapStart: {ApplyOn: 'PublishedVersions'}",
        "osls 4.3.1 lib/plugins/aws/package/compile/functions.js:320-323; schema "
        "`snapStart: { type: 'boolean' }` lib/plugins/aws/provider.js:1458",
    ),
    # ... makes the framework publish an AWS::Lambda::Version even with versionFunctions off ...
    "osls_version_resource": (
        "a version is published when snapStart is set",
        "osls 4.3.1 lib/plugins/aws/package/compile/functions.js:545-549",
    ),
    # ... and an AWS::Lambda::Alias named `snapstart` on that version (logical id
    # <Function>SnapStartLambdaAlias); it refuses provisioned concurrency alongside.
    "osls_alias": (
        "snapstart",
        "osls 4.3.1 lib/plugins/aws/package/compile/functions.js:687-706 (alias), :1144-1148 "
        "(targetAlias), :633-638 (no provisioned concurrency); lib/plugins/aws/lib/naming.js:211-212, "
        ":220-221",
    ),
    "osls_alias_logical_id_suffix": "SnapStartLambdaAlias",
    # Events follow the function's targetAlias: the SQS event source mapping's FunctionName
    # becomes {Fn::Join: [":", [{Fn::GetAtt: [<Function>, Arn]}, "snapstart"]]} and it
    # DependsOn the alias. Nothing in serverless.yml has to re-point it.
    "osls_sqs_target": (
        "FunctionName: Fn::Join [':', [GetAtt Arn, alias name]], DependsOn the alias",
        "osls 4.3.1 lib/plugins/aws/package/compile/events/sqs.js:82-85 and :97; "
        "lib/plugins/aws/utils/resolve-lambda-target.js:5-10",
    ),
    # ${strToBool(...)} accepts "true"/"false"/"1"/"0" (trimmed, any case) and nothing else.
    "osls_str_to_bool": (
        ("true", "1", "false", "0"),
        "osls 4.3.1 lib/configuration/variables/sources/str-to-bool.js:7-8, :23-29",
    ),
    # terraform-provider-aws: `snap_start` is a block of at most one, `apply_on` required
    # (PublishedVersions | None, validated against the Lambda SDK's SnapStartApplyOn values);
    # `publish` is an optional bool (false by default: no version, so no snapshot).
    "tf_snap_start_block": (
        {"apply_on": "required", "optimization_status": "computed", "max_items": 1},
        "hashicorp/aws 5.100.0 provider schema (terraform providers schema -json), "
        "aws_lambda_function.block_types.snap_start; added in 4.45.0 ('resource/aws_lambda_function: "
        "Add `snap_start` attribute', hashicorp/terraform-provider-aws#28097, CHANGELOG.md), "
        "below the 5.40 lower bound",
    ),
    "tf_publish": (
        "optional bool",
        "hashicorp/aws 5.100.0 provider schema, aws_lambda_function.attributes.publish",
    ),
    "tf_alias": (
        {
            "name": "required",
            "function_name": "required",
            "function_version": "required",
            "arn": "computed",
        },
        "hashicorp/aws 5.100.0 provider schema, aws_lambda_alias.attributes",
    ),
    "apply_on_values": (
        ("PublishedVersions", "None"),
        "https://docs.aws.amazon.com/lambda/latest/dg/API_SnapStart.html (ApplyOn, Valid Values)",
    ),
    # SnapStart runs only on published versions and aliases that point to one, never $LATEST.
    "published_versions_only": (
        "https://docs.aws.amazon.com/lambda/latest/dg/snapstart.html#snapstart-runtimes "
        "(Note: 'You can use SnapStart only on published function versions and aliases that "
        "point to versions'; read in the zh-CN copy, docs.amazonaws.cn/lambda/latest/dg/snapstart.html)"
    ),
    # Python runtimes: 3.12 and later; no provisioned concurrency, EFS, or ephemeral storage
    # above 512 MB.
    "lowest_python": (
        (3, 12),
        "https://docs.aws.amazon.com/lambda/latest/dg/snapstart.html#snapstart-runtimes "
        "('Python 3.12 and later'; read in the ja-JP copy, docs.aws.amazon.com/ja_jp/lambda/latest/"
        "dg/snapstart.html: 'Python 3.12 以降')",
    ),
    "limitations": (
        "no provisioned concurrency, no Amazon EFS, no ephemeral storage above 512 MB",
        "https://docs.aws.amazon.com/lambda/latest/dg/snapstart.html#snapstart-runtimes",
    ),
    # The runtime hooks: snapshot_restore_py, shipped in the Python managed runtimes (not in the
    # bundle). register_after_restore(func, *args, **kwargs) appends (func, args, kwargs) and
    # returns func (a decorator too); after-restore hooks run in registration order.
    "hooks_module": (
        "snapshot_restore_py",
        "aws/snapshot-restore-py 1.0.0 (commit 11db4b2) snapshot_restore_py.py:68-94 "
        "(register_after_restore), :40-66 (register_before_snapshot); "
        "https://docs.aws.amazon.com/lambda/latest/dg/snapstart-runtime-hooks-python.html "
        "('included in Python managed runtimes')",
    ),
    "hooks_runner": (
        "for func, args, kwargs in get_after_restore(): func(*args, **kwargs)",
        "aws/aws-lambda-python-runtime-interface-client 4.0.1 awslambdaric/"
        "lambda_runtime_hooks_runner.py:15-18, called from awslambdaric/bootstrap.py:307 after "
        "restore_next() (:297)",
    ),
    # Billing: a restored environment reports `Restore Duration` and `Billed Restore Duration`
    # (runtime load and after-restore hooks; the snapshot restore itself is not charged).
    "restore_billing": (
        "https://docs.aws.amazon.com/lambda/latest/dg/snapstart-monitoring.html "
        "('Billed Restore Duration: ... load the runtime and run any after-restore hooks. You are "
        "not charged for the time it takes to restore a snapshot'); caching and restoration "
        "charges for Python: https://docs.aws.amazon.com/lambda/latest/dg/snapstart.html#snapstart-pricing "
        "and https://aws.amazon.com/lambda/pricing/ (amounts not read here)"
    ),
}


# --- what each input variable may be (issue 12 §1) -------------------------------------------
# One row per constrained variable: the bound the stack's `validation` block enforces, values
# just inside and just outside it (test_variable_validation.py plans with each), and where the
# bound comes from. `evidence` pairs a "tag path:line" citation with text that line must hold;
# test_provider_facts.py re-reads it in the provider's clone. A bound the provider does not
# check is cited from the vendor's API document (no evidence row then).
TC_SCF_LOW = "v1.81.2 tencentcloud/resource_tc_scf_function.go"
TC_SCF_NEW = "v1.83.25 tencentcloud/services/scf/resource_tc_scf_function.go"
TC_SCF_SDK = (
    "vendor/github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/scf/v20180416/models.go"
)
TC_TOPIC_LOW = "v1.81.2 tencentcloud/resource_tc_tcmq_topic.go"
TC_TOPIC_NEW = "v1.83.25 tencentcloud/services/tcmq/resource_tc_tcmq_topic.go"
TC_COS_LOW = "v1.81.2 tencentcloud/resource_tc_cos_bucket.go"
TC_COS_NEW = "v1.83.25 tencentcloud/services/cos/resource_tc_cos_bucket.go"
HW_FGS = "huaweicloud/services/fgs/resource_huaweicloud_fgs_function.go"
HW_FGS_DOC = "docs/resources/fgs_function.md"
HW_FGS_API = "https://support.huaweicloud.com/en-us/api-functiongraph/functiongraph_06_0108.html"
AWS_LAMBDA = (
    "hashicorp/terraform-provider-aws commit 0156d84e6bb47e4a5fe0c8e87cf2d14fb1dc3b8c "
    "internal/service/lambda/function.go"
)
BOTOCORE = "botocore 1.44.18 botocore/data"
# The provider binary of the plugin mirror (TF_PLUGIN_DIR): its ValidateFuncs run offline.
AWS_PLUGIN = "hashicorp/aws 5.100.0 (test_variable_validation.py, terraform validate)"
S3_BUCKET_NAMES = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html"
HUAWEI_FGS_MEMORY_MB = (128, 256, 512, 768, 1024, 1280, 1536, 1792, 2048, 2560, 3072, 3584, 4096)
CLOUDWATCH_RETENTION_DAYS = (
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
    3288, 3653,
)  # fmt: skip


class VariableConstraint(NamedTuple):
    stack: str
    variable: str
    allowed: str
    accept: tuple[object, ...]
    refuse: tuple[object, ...]
    citation: str
    evidence: tuple[tuple[str, str], ...] = ()


VARIABLE_CONSTRAINTS: tuple[VariableConstraint, ...] = (
    # --- tencentcloud -----------------------------------------------------------------------
    VariableConstraint(
        "tencentcloud",
        "name",
        "2-56 letters, digits or hyphens, starting with a letter, not ending with a hyphen",
        ("ab", "Passport-OCR", "a" * 56),
        ("a", "a" * 57, "1ab", "ab-", "a_b", "a.b"),
        "SCF function name (= name): 2-60 letters, digits, - and _, a letter first, not - or _ "
        "last (provider ValidateFunc; SCF CreateFunction.FunctionName in the vendored SDK); the "
        "TDMQ topic `<name>-results` allows 64 letters, digits and hyphens, a letter first "
        "(provider description): so 56 and no underscore",
        (
            (f"{TC_SCF_LOW}:115", "validateStringLengthInRange(2, 60)"),
            (f"{TC_SCF_LOW}:72", "!unicode.IsLetter(runes[0])"),
            (f"{TC_SCF_LOW}:78", "case '-', '_':"),
            (f"{TC_SCF_NEW}:74", "ValidateStringLengthInRange(2, 60)"),
            (f"{TC_SCF_NEW}:31", "!unicode.IsLetter(runes[0])"),
            (f"{TC_SCF_NEW}:37", "case '-', '_':"),
            (f"v1.81.2 {TC_SCF_SDK}:325", "名称长度2-60"),
            (f"v1.83.25 {TC_SCF_SDK}:475", "名称长度2-60"),
            (
                f"{TC_TOPIC_LOW}:47",
                "up to 64 letters, digits, and hyphens and must begin with a letter",
            ),
            (
                f"{TC_TOPIC_NEW}:31",
                "up to 64 letters, digits, and hyphens and must begin with a letter",
            ),
        ),
    ),
    VariableConstraint(
        "tencentcloud",
        "memory_size",
        "128-3072 MB in 128 MB steps",
        (128, 3072),
        (64, 0, 3200, 200),
        "provider: a multiple of 128 (no range); SCF API CreateFunction.MemorySize: 64 or "
        "128-3072 in 128 MB steps (vendored SDK): 64 is no multiple of 128, so 128-3072",
        (
            (f"{TC_SCF_LOW}:143", "%128 != 0"),
            (f"{TC_SCF_NEW}:102", "%128 != 0"),
            (f"v1.81.2 {TC_SCF_SDK}:337", "可选范围 64、128MB-3072MB，并且以 128MB 为阶梯"),
            (f"v1.83.25 {TC_SCF_SDK}:487", "可选范围 64、128MB-3072MB，并且以 128MB 为阶梯"),
        ),
    ),
    VariableConstraint(
        "tencentcloud",
        "timeout",
        "1-900 s, whole",
        (1, 900),
        (0, 901, 1.5),
        "provider ValidateFunc and SCF API CreateFunction.Timeout (vendored SDK)",
        (
            (f"{TC_SCF_LOW}:155", "validateIntegerInRange(1, 900)"),
            (f"{TC_SCF_NEW}:114", "ValidateIntegerInRange(1, 900)"),
            (f"v1.81.2 {TC_SCF_SDK}:340", "可选值范围 1-900 秒"),
            (f"v1.83.25 {TC_SCF_SDK}:490", "可选值范围 1-900 秒"),
        ),
    ),
    VariableConstraint(
        "tencentcloud",
        "topic_max_msg_size",
        "1024-65536 bytes",
        (1024, 65536),
        (1023, 65537),
        "tencentcloud_tcmq_topic.max_msg_size description (the provider does not check it)",
        (
            (f"{TC_TOPIC_LOW}:54", "Value range: 1024-65536 bytes"),
            (f"{TC_TOPIC_NEW}:38", "Value range: 1024-65536 bytes"),
        ),
    ),
    VariableConstraint(
        "tencentcloud",
        "topic_retention_seconds",
        "60-86400 s",
        (60, 86400),
        (59, 86401),
        "tencentcloud_tcmq_topic.msg_retention_seconds description (the provider does not check it)",
        (
            (f"{TC_TOPIC_LOW}:68", "Value range: 60-86400 seconds"),
            (f"{TC_TOPIC_NEW}:52", "Value range: 60-86400 seconds"),
        ),
    ),
    VariableConstraint(
        "tencentcloud",
        "noncurrent_version_days",
        "1-3650 days, whole",
        (1, 3650),
        (0, 3651, 1.5),
        "non_current_days: provider minimum 0, description 'The maximum value is 3650'; 0 "
        "would expire a version at once, so the stack keeps its floor of 1",
        (
            (f"{TC_COS_LOW}:671", "validateIntegerMin(0)"),
            (f"{TC_COS_LOW}:672", "The maximum value is 3650."),
            (f"{TC_COS_NEW}:563", "ValidateIntegerMin(0)"),
            (f"{TC_COS_NEW}:564", "The maximum value is 3650."),
        ),
    ),
    # upload_/results_retention_days (COS expiration.days): provider minimum 0 only
    # (v1.81.2 resource_tc_cos_bucket.go:628, v1.83.25 :520); no maximum found: floor 1 kept.
    # --- huaweicloud ------------------------------------------------------------------------
    VariableConstraint(
        "huaweicloud",
        "name",
        "2-55 letters, digits, _ or -, starting with a letter, ending with a letter or digit",
        ("ab", "Passport_OCR", "a" * 55),
        ("a", "a" * 56, "1ab", "ab-", "ab_", "a.b"),
        "FunctionGraph function name (= name): 2-60 letters, digits, _ and -, a letter first, a "
        "letter or digit last (provider docs; the provider itself does not check, "
        f"v1.73.0 {HW_FGS}:64, v1.97.1 :68); the agency `<name>-function` is 1-64 characters "
        "(provider docs identity_agency.md): so 55",
        (
            (f"v1.73.0 {HW_FGS_DOC}:193", "from `2` to `60` characters"),
            (f"v1.97.1 {HW_FGS_DOC}:365", "from `2` to `60` characters"),
            ("v1.73.0 docs/resources/identity_agency.md:37", "1 to 64 characters"),
            ("v1.97.1 docs/resources/identity_agency.md:49", "from `1` to `64`"),
        ),
    ),
    VariableConstraint(
        "huaweicloud",
        "memory_size",
        "one of " + ", ".join(map(str, HUAWEI_FGS_MEMORY_MB)) + " MB",
        (128, 2560, 4096),
        (64, 2304, 4608),
        f"FunctionGraph API CreateFunction memory_size enumeration, {HW_FGS_API} (the provider "
        f"does not check, v1.73.0 {HW_FGS}:70, v1.97.1 :74)",
    ),
    VariableConstraint(
        "huaweicloud",
        "timeout",
        "3-900 s, whole",
        (3, 900),
        (2, 901, 3.5),
        f"FunctionGraph API CreateFunction timeout 'Value range: 3s to 900s', {HW_FGS_API}; the "
        "provider docs say 3 to 259,200 (v1.97.1 docs/resources/fgs_function.md:400): the API "
        "document's bound is kept (longer runs are not verified here)",
        (
            (f"v1.73.0 {HW_FGS_DOC}:225", "from `3` to"),
            (f"v1.97.1 {HW_FGS_DOC}:400", "from `3` to"),
        ),
    ),
    VariableConstraint(
        "huaweicloud",
        "max_instances",
        "1-1000, whole",
        (1, 1000),
        (0, -1, 1001, 1.5),
        "max_instance_num: -1 (unlimited) to 1,000, 0 disables the function (provider docs; the "
        "provider does not check): the stack wants a running, bounded function, so 1-1000",
        (
            (f"v1.73.0 {HW_FGS_DOC}:319", "from `-1` to `1,000`"),
            (f"v1.97.1 {HW_FGS_DOC}:496", "from `-1` to `1,000`"),
        ),
    ),
    VariableConstraint(
        "huaweicloud",
        "max_async_retries",
        "0-3, whole",
        (0, 3),
        (-1, 4, 1.5),
        "max_async_retry_attempts (provider docs; the provider does not check)",
        (
            ("v1.73.0 docs/resources/fgs_async_invoke_configuration.md:60", "from `0` to `3`"),
            ("v1.97.1 docs/resources/fgs_async_invoke_configuration.md:60", "from `0` to `3`"),
        ),
    ),
    VariableConstraint(
        "huaweicloud",
        "max_event_age_seconds",
        "60-86400 s, whole",
        (60, 86400),
        (59, 86401, 60.5),
        "max_async_event_age_in_seconds: 1 to 86,400 (provider docs; the provider does not "
        "check); the floor of 60 is the stack's own (its description), not a cited bound",
        (
            ("v1.73.0 docs/resources/fgs_async_invoke_configuration.md:56", "from `1` to `86,400`"),
            ("v1.97.1 docs/resources/fgs_async_invoke_configuration.md:56", "from `1` to `86,400`"),
        ),
    ),
    # huaweicloud retention days (OBS lifecycle days): the provider checks nothing and no OBS
    # maximum was found: floor 1 kept.
    # --- aws --------------------------------------------------------------------------------
    VariableConstraint(
        "aws",
        "name",
        "2-42 lowercase letters, digits or hyphens, starting with a letter or digit, not with xn--, sthree- or amzn-s3-demo-",
        ("ab", "0a", "a" * 42),
        ("a", "a" * 43, "Ab", "-ab", "a_b", "xn--ab", "sthree-ab", "amzn-s3-demo-ab"),
        f"the created bucket `<name>-uploads-<12-digit account>` is 3-63 lowercase letters, "
        f"digits, dots or hyphens, a letter or digit first, not starting with xn--, sthree- or "
        f"amzn-s3-demo- ({S3_BUCKET_NAMES}): 63 - 21 = 42; "
        f"function_name allows 64 of [a-zA-Z0-9-_] ({BOTOCORE}/lambda/2015-03-31/service-2.json "
        "CreateFunctionRequest.FunctionName)",
    ),
    VariableConstraint(
        "aws",
        "memory_size",
        "128-10240 MB, whole",
        (128, 10240),
        (127, 10241, 128.5),
        f"{AWS_LAMBDA} memory_size ValidateFunc validation.IntBetween(128, 10240) (a 6.x "
        f"commit); {AWS_PLUGIN} refuses 127 and 10241 at `terraform validate`; the Lambda API "
        f"allows more ({BOTOCORE}/lambda MemorySize max 32768): the provider's bound is kept",
    ),
    VariableConstraint(
        "aws",
        "timeout",
        "1-900 s, whole",
        (1, 900),
        (0, 901, 1.5),
        f"{AWS_LAMBDA} timeout ValidateFunc validation.IntBetween(1, 900) (a 6.x commit); "
        f"{AWS_PLUGIN} refuses 0 and 901; the Lambda API shape allows 5400 ({BOTOCORE}/lambda "
        "Timeout)",
    ),
    VariableConstraint(
        "aws",
        "log_retention_days",
        "one of " + ", ".join(map(str, CLOUDWATCH_RETENTION_DAYS)),
        (1, 3653, 30),
        (0, 2, 3654),
        f"CloudWatch Logs PutRetentionPolicy retentionInDays, {BOTOCORE}/logs/2014-03-28/"
        "service-2.json shape Days ('Possible values are: 1, 3, ... 3653'); "
        f"{AWS_PLUGIN} accepts these and 0 (never expire), which the stack leaves out: the "
        "function's logs would be kept forever",
    ),
    VariableConstraint(
        "aws",
        "noncurrent_version_days",
        "a whole number of days, at least 1",
        (1, 3650),
        (0, 1.5),
        f"S3 NoncurrentVersionExpiration.NoncurrentDays 'must be a non-zero positive integer', "
        f"{BOTOCORE}/s3/2006-03-01/service-2.json; no maximum documented",
    ),
    VariableConstraint(
        "aws",
        "batch_size",
        "1-10000, whole",
        (1, 10000),
        (0, 10001, 1.5),
        f"CreateEventSourceMapping BatchSize min 1 max 10000 ('For standard queues the max is "
        f"10,000'), {BOTOCORE}/lambda/2015-03-31/service-2.json; above 10 Lambda also wants a "
        "batching window of at least 1 s (not checked here: a rule across two variables)",
    ),
    VariableConstraint(
        "aws",
        "maximum_batching_window",
        "0-300 s, whole",
        (0, 300),
        (-1, 301, 1.5),
        f"MaximumBatchingWindowInSeconds min 0 max 300, {BOTOCORE}/lambda/2015-03-31/service-2.json",
    ),
    VariableConstraint(
        "aws",
        "maximum_concurrency",
        "2-1000, whole",
        (2, 1000),
        (1, 1001, 2.5),
        f"ScalingConfig.MaximumConcurrency min 2 max 1000, {BOTOCORE}/lambda/2015-03-31/service-2.json; "
        f"{AWS_PLUGIN} checks the minimum only",
    ),
    VariableConstraint(
        "aws",
        "max_receive_count",
        "a whole number, at least 1",
        (1, 1000),
        (0, 1.5),
        f"SQS RedrivePolicy maxReceiveCount: 'the number of times a message is delivered to the "
        f"source queue before being moved to the dead-letter queue', {BOTOCORE}/sqs/2012-11-05/"
        "service-2.json; no maximum found there",
    ),
)
