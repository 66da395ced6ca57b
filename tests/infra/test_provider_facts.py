"""The Terraform stacks checked against facts read in the providers' source (provider_facts.py),
and those facts checked against the source itself when a clone of the provider is at hand."""

from __future__ import annotations

import os
import re
import subprocess
from functools import cache
from pathlib import Path

import pytest

from tests.infra import provider_facts as facts
from tests.infra.infra_hcl import argument_paths, attributes_read, load_module, parse_tf

REPO = Path(__file__).resolve().parents[2]
CITED_CLOUDS = ("tencentcloud", "huaweicloud")
# Every resource of the plugin SDK has `id`; it is not declared in the resource's schema.
IMPLICIT_ATTRIBUTES = {"id"}
_CITE = re.compile(r"^(?P<tag>v[\d.]+) (?P<path>\S+\.go):(?P<line>\d+)$")


@pytest.fixture(params=CITED_CLOUDS)
def cited_cloud(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


def used_by(cloud: str) -> dict[str, set[str]]:
    """`type` -> argument paths and `@attributes` the stack uses."""
    module = load_module(REPO / "infra" / cloud)
    used: dict[str, set[str]] = {}
    for (kind, _name), body in module.resources.items():
        used.setdefault(kind, set()).update(argument_paths(body))
    for (kind, _name), body in module.data.items():
        used.setdefault(f"data.{kind}", set()).update(argument_paths(body))
    for kind, attributes in attributes_read(module).items():
        used.setdefault(kind, set()).update(f"@{a}" for a in attributes - IMPLICIT_ATTRIBUTES)
    return used


def test_every_argument_and_attribute_used_is_cited(cited_cloud: str) -> None:
    uncited = {
        kind: sorted(paths - set(facts.SCHEMA.get(kind, {})))
        for kind, paths in used_by(cited_cloud).items()
    }
    assert {k: v for k, v in uncited.items() if v} == {}, "cite these in provider_facts.SCHEMA"


def test_no_cited_fact_is_left_unused() -> None:
    """The table describes the stacks as they are: a fact nothing uses is removed with it."""
    used: dict[str, set[str]] = {}
    for cloud in CITED_CLOUDS:
        for kind, paths in used_by(cloud).items():
            used.setdefault(kind, set()).update(paths)
    stale = {k: sorted(set(v) - used.get(k, set())) for k, v in facts.SCHEMA.items()}
    assert {k: v for k, v in stale.items() if v} == {}


def test_citations_name_the_lowest_and_the_newest_tag() -> None:
    for kind, paths in facts.SCHEMA.items():
        cloud = "tencentcloud" if "tencentcloud_" in kind else "huaweicloud"
        for path, citation in paths.items():
            low, new = (_CITE.match(part) for part in citation.split("; "))
            assert low and low["tag"] == facts.LOWEST[cloud], (kind, path, citation)
            assert new and new["tag"] == facts.NEWEST[cloud], (kind, path, citation)
    for kind, arguments in facts.REQUIRED.items():
        for argument, citation in arguments.items():
            assert all(_CITE.match(part) for part in citation.split("; ")), (kind, argument)


def test_version_constraints_are_the_cited_ones() -> None:
    for cloud, (constraint, _why) in facts.VERSION_CONSTRAINTS.items():
        parsed = parse_tf((REPO / "infra" / cloud / "versions.tf").read_text(encoding="utf-8"))
        (terraform,) = parsed["terraform"]
        (providers,) = terraform["required_providers"]
        assert providers[cloud if cloud != "aws" else "aws"]["version"] == constraint
        assert re.search(r"< \d+\.0", constraint), "an upper bound below the next major"
    low = facts.VERSION_CONSTRAINTS["tencentcloud"][0]
    assert low.startswith(">= 1.81.2"), "tencentcloud_scf_function_event_invoke_config needs it"


# --- the facts themselves, re-read in the provider's source ---------------------------------


def _provider_git_dir(cloud: str) -> Path | None:
    configured = dict(
        item.split("=", 1) for item in os.environ.get("TF_PROVIDER_SOURCES", "").split(",") if item
    )
    owner, name = facts.PROVIDER_REPOS[cloud].split("/")
    for candidate in (configured.get(cloud), f"/work/.mirror/{owner}+{name}/repo"):
        if candidate and (Path(candidate) / "HEAD").is_file():
            return Path(candidate)
    return None


@cache
def _source(git_dir: Path, tag: str, path: str) -> list[str]:
    completed = subprocess.run(
        ["git", "--git-dir", str(git_dir), "show", f"{tag}:{path}"],
        capture_output=True,
        text=True,
        check=True,
    )
    return completed.stdout.split("\n")


def _git_dir_or_skip(cloud: str) -> Path:
    git_dir = _provider_git_dir(cloud)
    if git_dir is None:
        pytest.skip(
            f"no clone of {facts.PROVIDER_REPOS[cloud]} with tags {facts.LOWEST[cloud]} and "
            f"{facts.NEWEST[cloud]}: set TF_PROVIDER_SOURCES={cloud}=<git dir>"
        )
    return git_dir


def test_cited_lines_declare_the_cited_keys(cited_cloud: str) -> None:
    git_dir = _git_dir_or_skip(cited_cloud)
    wrong = []
    for kind, paths in facts.SCHEMA.items():
        if not kind.removeprefix("data.").startswith(cited_cloud):
            continue
        for path, citation in paths.items():
            key = path.lstrip("@").rsplit(".", 1)[-1]
            for part in citation.split("; "):
                cite = _CITE.match(part)
                assert cite
                line = _source(git_dir, cite["tag"], cite["path"])[int(cite["line"]) - 1]
                if f'"{key}":' not in line:
                    wrong.append(f"{kind} {path}: {part}: {line.strip()}")
    assert wrong == []


def test_cited_required_arguments_are_required(cited_cloud: str) -> None:
    git_dir = _git_dir_or_skip(cited_cloud)
    wrong = []
    for kind, arguments in facts.REQUIRED.items():
        if not kind.startswith(cited_cloud):
            continue
        for argument, citation in arguments.items():
            for part in citation.split("; "):
                cite = _CITE.match(part)
                assert cite
                lines = _source(git_dir, cite["tag"], cite["path"])
                start = int(cite["line"]) - 1
                body = lines[start : start + 8]
                if f'"{argument}":' not in body[0] or not any(
                    re.search(r"Required:\s+true", line) for line in body[1:]
                ):
                    wrong.append(f"{kind}.{argument}: {part}")
    assert wrong == []


def test_tencent_rewrites_the_cos_trigger_name_and_wants_a_slash() -> None:
    git_dir = _git_dir_or_skip("tencentcloud")
    rewrite = 'fmt.Sprintf("%s.cos.%s.myqcloud.com", tg["name"].(string), tg["cos_region"]'
    for tag, path, lines in (
        ("v1.81.2", "tencentcloud/resource_tc_scf_function.go", (758, 1203, 1226)),
        ("v1.83.25", "tencentcloud/services/scf/resource_tc_scf_function.go", (1001, 1714, 1737)),
    ):
        source = _source(git_dir, tag, path)
        assert all(rewrite in source[n - 1] for n in lines), (tag, path)
    sdk = "vendor/github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/scf/v20180416/models.go"
    for tag, line in (("v1.81.2", 134), ("v1.83.25", 139)):
        assert "以/开头" in _source(git_dir, tag, sdk)[line - 1]
    for tag in ("v1.81.0", "v1.81.1"):
        with pytest.raises(subprocess.CalledProcessError):
            _source(git_dir, tag, "tencentcloud/resource_tc_scf_function_event_invoke_config.go")
    _source(git_dir, "v1.81.2", "tencentcloud/resource_tc_scf_function_event_invoke_config.go")


def test_huawei_bucket_domain_name_etag_and_smn_topic_facts() -> None:
    git_dir = _git_dir_or_skip("huaweicloud")
    bucket = "huaweicloud/services/obs/resource_huaweicloud_obs_bucket.go"
    for tag, line in (("v1.73.0", 1776), ("v1.97.1", 1891)):
        assert '"%s.obs.%s.%s", bucket, region, cloud' in _source(git_dir, tag, bucket)[line - 1]
    obj = "huaweicloud/services/obs/resource_huaweicloud_obs_bucket_object.go"
    for tag, line in (("v1.73.0", 94), ("v1.97.1", 99)):
        assert "won't match raw-file MD5" in _source(git_dir, tag, obj)[line - 1]
    topic = "huaweicloud/services/smn/resource_huaweicloud_smn_topic.go"
    for tag in (facts.LOWEST["huaweicloud"], facts.NEWEST["huaweicloud"]):
        keys = {
            m.group(1)
            for line in _source(git_dir, tag, topic)
            if (m := re.match(r'^\s*"([a-z_]+)":\s', line))
        }
        assert not {k for k in keys if "kms" in k or "encrypt" in k}, (tag, keys)


_EVIDENCE = re.compile(r"^(?P<tag>v[\d.]+) (?P<path>\S+):(?P<line>\d+)$")


def _cloud_of_tag(tag: str) -> str:
    return next(cloud for cloud, low in facts.LOWEST.items() if tag in (low, facts.NEWEST[cloud]))


def test_variable_constraints_cite_both_tags_or_a_document() -> None:
    for row in facts.VARIABLE_CONSTRAINTS:
        tags = set()
        for citation, text in row.evidence:
            cite = _EVIDENCE.match(citation)
            assert cite and text, (row.stack, row.variable, citation)
            assert _cloud_of_tag(cite["tag"]) == row.stack, (row.variable, citation)
            tags.add(cite["tag"])
        if row.evidence:  # read in the provider: at its lowest allowed and its newest tag
            assert tags == {facts.LOWEST[row.stack], facts.NEWEST[row.stack]}, row.variable
        else:
            assert "https://" in row.citation or "botocore" in row.citation, row.variable


def test_variable_constraint_citations_hold_their_text(cited_cloud: str) -> None:
    git_dir = _git_dir_or_skip(cited_cloud)
    wrong = []
    for row in facts.VARIABLE_CONSTRAINTS:
        if row.stack != cited_cloud:
            continue
        for citation, text in row.evidence:
            cite = _EVIDENCE.match(citation)
            assert cite
            line = _source(git_dir, cite["tag"], cite["path"])[int(cite["line"]) - 1]
            if text not in line:
                wrong.append(f"{row.variable}: {citation}: {line.strip()}")
    assert wrong == []


def test_aws_constraints_match_the_installed_botocore_models() -> None:
    """The AWS rows cite botocore's service models; re-read them where botocore is installed."""
    loaders = pytest.importorskip("botocore.loaders")
    loader = loaders.Loader()
    logs = loader.load_service_model("logs", "service-2")["shapes"]["Days"]["documentation"]
    listed = re.search(r"Possible values are: ([\d, and]+)\.", logs)
    assert listed, logs
    values = tuple(int(v) for v in re.findall(r"\d+", listed.group(1)))
    assert values == facts.CLOUDWATCH_RETENTION_DAYS
    s3 = loader.load_service_model("s3", "service-2")["shapes"]
    noncurrent = s3["NoncurrentVersionExpiration"]["members"]["NoncurrentDays"]["documentation"]
    assert "non-zero positive integer" in noncurrent
    function_name = loader.load_service_model("lambda", "service-2")["shapes"][
        "CreateFunctionRequest"
    ]["members"]["FunctionName"]["documentation"]
    assert "limited to 64 characters" in function_name
    lambda_shapes = loader.load_service_model("lambda", "service-2")["shapes"]
    bounds = {
        name: (lambda_shapes[name]["min"], lambda_shapes[name]["max"])
        for name in ("BatchSize", "MaximumBatchingWindowInSeconds", "MaximumConcurrency")
    }
    assert bounds == {
        "BatchSize": (1, 10000),
        "MaximumBatchingWindowInSeconds": (0, 300),
        "MaximumConcurrency": (2, 1000),
    }
