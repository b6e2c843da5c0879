"""`make demo` end to end: scripts/demo.py starts its own emulator, converges the sandbox, runs
again, signs one agent per environment in everywhere, and prints a summary we read back here."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from emulator.sandbox import INSTANCES

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
AGENTS = {"dana.dev": "dev", "quinn.qa": "qa", "paula.prod": "prod"}


def table(stdout: str, title: str) -> list[list[str]]:
    """The rows (header first, rule dropped) of a table the demo printed under `title`."""
    lines = stdout.split(f"\n{title}\n", 1)[1].splitlines()
    rows = []
    for line in lines:
        if not line.startswith("  ") or not line.strip():
            break
        if set(line.strip()) <= {"-", " "}:
            continue
        rows.append(re.split(r"\s{2,}", line.strip()))
    return rows


@pytest.fixture(scope="module")
def demo() -> subprocess.CompletedProcess:
    """As `make demo` runs it: no AWS or Ansible settings from the test session leak in."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "ANSIBLE_"))}
    return subprocess.run(
        [sys.executable, "scripts/demo.py"],
        check=False,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def test_the_demo_succeeds_and_its_second_run_writes_nothing_and_changes_no_host(demo):
    assert demo.returncode == 0, demo.stdout[-3000:] + demo.stderr[-2000:]
    header, first, second = table(demo.stdout, "Runs")
    assert header == ["run", "wall time", "write calls", "hosts changed"]
    assert first[0] == "first (converge)" and int(first[2]) > 0 and first[3] == str(len(INSTANCES))
    assert second[0] == "second (no change)" and (second[2], second[3]) == ("0", "0")


def test_each_agent_lands_on_each_instance_of_their_environment_and_is_refused_elsewhere(demo):
    header, *rows = table(demo.stdout, "Sign-in simulator: one agent per environment, against every instance")
    assert header == ["agent", *[i.host for i in INSTANCES]]
    assert sorted(row[0] for row in rows) == sorted(AGENTS)
    for agent, *cells in rows:
        for instance, cell in zip(INSTANCES, cells, strict=True):
            if instance.env == AGENTS[agent]:
                assert cell == f"lands on {instance.alias}", (agent, instance.host, cell)
            else:
                assert cell.startswith("refused ("), (agent, instance.host, cell)


def test_the_first_run_creates_the_connect_users_of_mapped_members_who_land_with_their_profiles(demo):
    created = re.search(r"Connect users created by the first run [^:]*: (\d+)", demo.stdout)
    assert created and int(created.group(1)) == 5  # devon.dev on dev-east, quade.qa and pia.prod on two each
    assert "devon.dev -> dev-east: lands with Agent, QualityAnalyst" in demo.stdout
    assert "pia.prod -> prod-west: lands with Agent, QualityAnalyst" in demo.stdout  # the union of two groups
