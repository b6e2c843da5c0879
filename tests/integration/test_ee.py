"""`make ee` renders an execution environment's build context that builds without Galaxy: the galaxy stage's
own command installs this collection and amazon.aws from the context alone, and the builder stage's own
introspection asks for exactly the Python packages requirements.txt pins. The image itself needs a container
engine and is not built here (docs/awx.md)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
TOOLS = Path(sys.executable).parent


def pins(lines: list[str]) -> dict[str, str]:
    """name -> version of every `name==version` line (comments dropped)."""
    found = (re.fullmatch(r"([A-Za-z0-9_.-]+)==(\S+)", line.split("#")[0].strip()) for line in lines)
    return {m[1].lower(): m[2] for m in found if m}


def run(command: list[str], cwd: Path) -> subprocess.CompletedProcess:
    """Run as in the image's build: none of this checkout's Ansible settings (`make test` exports
    ANSIBLE_CONFIG, whose collections path already holds both collections, so galaxy would install nothing)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANSIBLE_")}
    done = subprocess.run(command, cwd=cwd, env=env, check=False, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done


@pytest.fixture(scope="module")
def context(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("ee")
    run(["make", "-s", "ee", f"DIST={out / 'dist'}", f"EE_CONTEXT={out / 'context'}"], ROOT)
    return out / "context"


def test_the_containerfile_installs_the_pinned_ansible_core_and_runs_galaxy_offline(context):
    required = pins((ROOT / "requirements.txt").read_text().splitlines())
    containerfile = (context / "Containerfile").read_text()
    assert f'ARG ANSIBLE_INSTALL_REFS="ansible-core=={required["ansible-core"]} ansible-runner==' in containerfile
    assert 'ARG ANSIBLE_GALAXY_CLI_COLLECTION_OPTS="--offline"' in containerfile
    assert "ansible-galaxy collection install $ANSIBLE_GALAXY_CLI_COLLECTION_OPTS -r requirements.yml" in containerfile


def test_the_context_alone_installs_both_collections_and_asks_for_the_pinned_python_packages(context, tmp_path):
    build = context / "_build"
    # the galaxy stage, as the Containerfile runs it (WORKDIR /build), into an empty collections path
    installed = tmp_path / "collections"
    install = [str(TOOLS / "ansible-galaxy"), "collection", "install", "--offline", "-r", "requirements.yml"]
    run([*install, "-p", str(installed)], build)
    versions = {
        f"{m['collection_info']['namespace']}.{m['collection_info']['name']}": m["collection_info"]["version"]
        for m in (json.loads(p.read_text()) for p in installed.glob("ansible_collections/*/*/MANIFEST.json"))
    }
    galaxy = yaml.safe_load((ROOT / "galaxy.yml").read_text())
    assert set(versions) == {"connect_sso.federation", "amazon.aws"}
    assert versions["connect_sso.federation"] == galaxy["version"]
    assert versions["amazon.aws"].split(".")[0] == "10"  # requirements.yml: >=10.0.0,<11.0.0

    # the builder stage's introspection: what the image's pip installs, from the user file and each collection
    combined = tmp_path / "requirements.txt"
    introspect = [sys.executable, "scripts/introspect.py", "introspect", str(installed), "--user-pip=requirements.txt"]
    run([*introspect, f"--write-pip={combined}", f"--write-bindep={tmp_path / 'bindep.txt'}"], build)
    lines = combined.read_text().splitlines()
    required = pins((ROOT / "requirements.txt").read_text().splitlines())
    assert pins(lines) == required  # every pin as requirements.txt has it, and no other pin
    assert any(line.endswith("# from collection connect_sso.federation") for line in lines)
