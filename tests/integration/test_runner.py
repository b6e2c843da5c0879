"""site.yml run as AWX runs a job: `ansible-runner run` over a private data directory (the project, the
inventory, env/envvars for the credential, env/extravars and env/cmdline for the job template), with process
isolation off, against the emulator; each job's outcome read back from the runner's artifacts (status, rc,
job events), as AWX reads them. Three jobs, in order: converge, a no-change run, and the compliance gate (check
mode, fail_on_drift, a report directory) after two instances drifted, whose JUnit file a JUnit parser reads."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import junitparser
import pytest
import yaml

from emulator.process import ansible_env
from emulator.sandbox import INSTANCES

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
TASK = "Federate the Connect instance with IAM Identity Center"
HOSTS = sorted(i.host for i in INSTANCES)
REPORT_TASK = "Write the compliance reports of this run (JUnit XML, JSON, Markdown)"


@dataclass
class Job:
    status: str
    rc: int
    events: list[dict]

    def stats(self) -> dict:
        (final,) = [e["event_data"] for e in self.events if e["event"] == "playbook_on_stats"]
        return final

    def host_results(self, task: str, *outcomes: str) -> dict[str, dict]:
        """host -> the result of `task` on it, from the job's runner_on_<outcome> events (ok or failed)."""
        events = {f"runner_on_{outcome}" for outcome in outcomes or ("ok", "failed")}
        return {
            e["event_data"]["host"]: e["event_data"]["res"]
            for e in self.events
            if e["event"] in events and e["event_data"].get("task") == task
        }


@pytest.fixture
def job(emulator, tmp_path):
    """job(ident, extravars, cmdline='') -> Job: `ansible-runner run` of the project's site.yml."""
    data = tmp_path / "private_data_dir"
    (data / "project").mkdir(parents=True)
    (data / "inventory").mkdir()
    (data / "env").mkdir()
    # the project of docs/awx.md: a one-line playbook importing the collection's, beside the inventory
    import_site = [{"name": "Federate", "ansible.builtin.import_playbook": "connect_sso.federation.site"}]
    (data / "project" / "site.yml").write_text(yaml.safe_dump(import_site))
    shutil.copy(ROOT / "inventories" / "sandbox" / "hosts.yml", data / "inventory" / "hosts.yml")
    # what AWX injects: the AWS credential as environment variables; the collections as an EE holds them
    injected = {k: v for k, v in ansible_env(emulator.endpoint).items() if k.startswith("AWS_")}
    injected["ANSIBLE_COLLECTIONS_PATH"] = str(ROOT / ".collections")
    (data / "env" / "envvars").write_text(yaml.safe_dump(injected))
    runner_env = {k: v for k, v in ansible_env(emulator.endpoint).items() if not k.startswith(("AWS_", "ANSIBLE_"))}

    def run(ident: str, extravars: dict, cmdline: str = "") -> Job:
        (data / "env" / "extravars").write_text(yaml.safe_dump(extravars))
        (data / "env" / "cmdline").write_text(cmdline)
        command = [str(Path(sys.executable).with_name("ansible-runner")), "run", str(data), "-p", "site.yml"]
        done = subprocess.run(
            [*command, "--ident", ident], env=runner_env, check=False, capture_output=True, text=True, timeout=600
        )
        artifacts = data / "artifacts" / ident
        assert (artifacts / "status").exists(), done.stdout[-3000:] + done.stderr[-3000:]
        events = [json.loads(p.read_text()) for p in (artifacts / "job_events").glob("*.json")]
        events.sort(key=lambda e: e["counter"])
        return Job((artifacts / "status").read_text(), int((artifacts / "rc").read_text()), events)

    return run


def test_converge_no_change_and_a_failing_compliance_gate_as_awx_jobs(
    case_mismatch_fixed, job, emulator, drift_two_instances, tmp_path
):
    converge = job("converge", {})
    assert (converge.status, converge.rc) == ("successful", 0), converge.events[-1]["stdout"][-3000:]
    results = converge.host_results(TASK)
    assert sorted(results) == HOSTS and all(r["changed"] for r in results.values())
    assert sorted(converge.stats()["changed"]) == HOSTS and converge.stats()["failures"] == {}

    mark = emulator.mark()
    again = job("no-change", {})
    assert (again.status, again.rc) == ("successful", 0)
    assert again.stats()["changed"] == {} and not any(r["changed"] for r in again.host_results(TASK).values())
    assert emulator.writes(since=mark) == []

    drifting = drift_two_instances(results)

    mark = emulator.mark()
    reports = tmp_path / "reports"
    gate = {"connect_federation_fail_on_drift": True, "connect_federation_report_dir": str(reports)}
    compliance = job("compliance", gate, cmdline="--check --diff")
    assert (compliance.status, compliance.rc) == ("failed", 2)
    assert sorted(compliance.stats()["failures"]) == ["dev-east", "qa-east"]
    assert sorted(compliance.host_results(TASK)) == HOSTS
    assert sorted(compliance.host_results(TASK, "failed")) == ["dev-east", "qa-east"]
    assert emulator.writes(since=mark) == []
    # the set_stats summary: what AWX shows as the job's artifacts
    summary = compliance.stats()["artifact_data"]["connect_federation_compliance"]
    assert sorted(summary["drifted"]) == ["dev-east", "qa-east"] and summary["failures"] == 2
    assert len(compliance.host_results(REPORT_TASK)) == 1  # written once, by the controller

    suites = list(junitparser.JUnitXml.fromfile(str(reports / "compliance.xml")))
    cases = [case for suite in suites for case in suite]
    assert sum(suite.tests for suite in suites) == len(HOSTS) * 6 and sum(s.failures for s in suites) == 2
    failed = {(c.classname, c.name): c.result[0] for c in cases if not c.is_passed}
    assert set(failed) == drifting
    assert all(isinstance(r, junitparser.Failure) for r in failed.values())
    assert "evil.example.com" in failed[("dev-east", "role")].text
