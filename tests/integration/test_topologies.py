"""The site playbook over another topology than the sandbox: `eu` (IdC in eu-west-1, Connect
in eu-central-1 and eu-west-2), seeded into a fresh emulator, its inventory written by
topology.write_inventory. Two runs: the first converges, the second changes and writes nothing."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from emulator.client import EmulatorClient
from emulator.process import ansible_env, running
from emulator.topology import load, write_inventory

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
TASK = "Federate the Connect instance with IAM Identity Center"
EU = load("eu")


@pytest.fixture(scope="module")
def eu_emulator():
    """A fresh emulator process of its own, seeded with `eu` (the session's one is the sandbox's)."""
    with running(seed="eu") as endpoint:
        client = EmulatorClient(endpoint)
        assert client.topology()["name"] == "eu"
        yield client


@pytest.fixture(scope="module")
def eu_inventory(tmp_path_factory) -> Path:
    return write_inventory(EU, tmp_path_factory.mktemp("eu") / "hosts.yml")


def site(emulator: EmulatorClient, inventory: Path) -> tuple[int, dict, str]:
    """ansible-playbook -i <inventory> site.yml; answers rc, the json callback's document and the output."""
    completed = subprocess.run(
        [str(Path(sys.executable).with_name("ansible-playbook")), "-i", str(inventory), "site.yml"],
        check=False,
        cwd=ROOT,
        env=ansible_env(emulator.endpoint, ANSIBLE_STDOUT_CALLBACK="ansible.posix.json"),
        capture_output=True,
        text=True,
        timeout=600,
    )
    result = json.loads(completed.stdout) if completed.stdout.strip().startswith("{") else {}
    return completed.returncode, result, completed.stdout[-3000:] + completed.stderr[-3000:]


def task_hosts(result: dict) -> dict:
    found: dict = {}
    for play in result.get("plays", []):
        for task in play.get("tasks", []):
            if task["task"]["name"].endswith(TASK):
                found.update(task["hosts"])
    return found


def test_site_converges_over_the_eu_topology_and_a_second_run_writes_nothing(eu_emulator, eu_inventory):
    first_mark = eu_emulator.mark()
    rc, first, output = site(eu_emulator, eu_inventory)
    assert rc == 0, output
    results = task_hosts(first)
    assert sorted(results) == sorted(EU.hosts)
    assert all(r["changed"] for r in results.values())
    writes = eu_emulator.writes(since=first_mark)
    # the IdC half ran in the management account's eu-west-1 (never us-east-1), the member half in each member
    idc_writes = {(w["account"], w["region"]) for w in writes if w["service"] in ("sso-admin", "sso")}
    assert idc_writes == {(EU.idc.account, "eu-west-1")}
    assert {w["account"] for w in writes if w["service"] == "iam"} == {"666666666666", "777777777777"}

    # who gets in where: group members into their accounts' instances, through the eu-west-1 IdC
    def signin(user: str, host: str) -> dict:
        return eu_emulator.admin("POST", "/signin", {"user": user, "host": host})

    for host in EU.hosts:
        instance = EU.instance(host)
        landed = signin("marie.super", host)  # the supervisors group is assigned in both accounts
        assert landed["ok"], (host, landed)
        assert landed["instance_id"] == instance.id
    assert signin("sofia.sales", "sales-london")["ok"]
    refused = signin("sam.support", "sales-frankfurt")
    assert (refused["ok"], refused["error_code"]) == (False, "NotAssigned"), refused

    second_mark = eu_emulator.mark()
    rc, second, output = site(eu_emulator, eu_inventory)
    assert rc == 0, output
    assert sum(h.get("changed", 0) for h in second.get("stats", {}).values()) == 0, output
    assert eu_emulator.writes(since=second_mark) == []
    assumed = eu_emulator.requests(since=second_mark, operation="AssumeRole")
    assert len(assumed) == len(EU.accounts)  # once per account (management, sales, support) per run
