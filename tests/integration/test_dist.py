"""`make dist` builds a tarball that installs and runs on its own: installed with ansible-galaxy into an
empty collections path (amazon.aws beside it, as a controller or an execution environment has it), run as
the FQCN playbook connect_sso.federation.site from a directory with no ansible.cfg, as AWX or a CI job would."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest

from emulator.process import ansible_env
from emulator.sandbox import INSTANCES

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
INSTALLED = ROOT / ".collections" / "ansible_collections"
TOOLS = Path(sys.executable).parent


def run(command: list[str], cwd: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=cwd, env=env, check=False, capture_output=True, text=True, timeout=600)


@pytest.fixture
def installed(tmp_path, emulator) -> tuple[Path, dict]:
    """A project directory (inventory only) and the environment of a controller with the tarball installed."""
    built = run(["make", "-s", "dist", f"DIST={tmp_path / 'dist'}"], ROOT, ansible_env(emulator.endpoint))
    assert built.returncode == 0, built.stdout + built.stderr
    (tarball,) = (tmp_path / "dist").glob("connect_sso-federation-*.tar.gz")
    # the dependencies only (not the link to this repository that .collections also holds)
    deps = tmp_path / "deps" / "ansible_collections"
    for name in ("amazon/aws", "ansible/posix"):
        (deps / name).parent.mkdir(parents=True, exist_ok=True)
        (deps / name).symlink_to(INSTALLED / name, target_is_directory=True)
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(ROOT / "inventories" / "sandbox" / "hosts.yml", project / "hosts.yml")
    env = ansible_env(emulator.endpoint, ANSIBLE_COLLECTIONS_PATH=f"{tmp_path / 'collections'}:{deps.parent}")
    del env["ANSIBLE_CONFIG"]  # no ansible.cfg: what the collection needs must come with it
    install = [str(TOOLS / "ansible-galaxy"), "collection", "install", "--offline", str(tarball)]
    done = run([*install, "-p", str(tmp_path / "collections")], project, env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (tmp_path / "collections" / "ansible_collections" / "connect_sso" / "federation" / "MANIFEST.json").exists()
    return project, env


def test_the_built_tarball_installs_and_converges_the_sandbox_from_its_fqcn_playbook(
    case_mismatch_fixed, installed, tmp_path
):
    project, env = installed
    playbook = [str(TOOLS / "ansible-playbook"), "-i", "hosts.yml", "connect_sso.federation.site"]
    as_json = {**env, "ANSIBLE_STDOUT_CALLBACK": "ansible.posix.json"}
    first = run(playbook, project, as_json)
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    stats = json.loads(first.stdout)["stats"]
    assert sorted(stats) == sorted(i.host for i in INSTANCES)
    assert all(s["failures"] == 0 and s["changed"] > 0 for s in stats.values())
    # the compliance gate of a pipeline, from the installed collection: no change, no failing link
    reports = tmp_path / "reports"
    gate = [*playbook, "--check", "-e", "connect_federation_fail_on_drift=true"]
    check = run([*gate, "-e", f"connect_federation_report_dir={reports}"], project, as_json)
    assert check.returncode == 0, check.stdout[-3000:]
    assert all(s["changed"] == 0 for s in json.loads(check.stdout)["stats"].values())
    root = ElementTree.parse(reports / "compliance.xml").getroot()
    assert (root.get("tests"), root.get("failures")) == (str(6 * len(INSTANCES)), "0")
