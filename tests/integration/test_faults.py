"""Faults: throttling everywhere, server errors that outlast the retries, a controller killed in the
middle of a run, a slow operation. Each run ends converged (at once, or on the next run), clearly
failed, or without orphans; none takes longer than it must (retries.py: ATTEMPTS, FIRST_DELAY, MAX_DELAY).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from ansible_collections.connect_sso.federation.plugins.module_utils import retries

from emulator.process import ansible_env
from emulator.sandbox import ACCOUNTS, INSTANCES, ROOT_ACCOUNT

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "site.yml"
TASK = "Federate the Connect instance with IAM Identity Center"
MANAGED = ("managed-by", "connect_sso.federation")


def converged_now(site, emulator) -> None:
    """A run changes nothing and writes nothing, and a user of each environment signs in."""
    mark = emulator.mark()
    again = site()
    assert again.rc == 0, again.stdout[-3000:]
    assert again.total("changed") == 0
    assert emulator.writes(since=mark) == []
    for user, host in (("dana.dev", "dev-east"), ("quinn.qa", "qa-west"), ("paula.prod", "prod-west")):
        answer = emulator.admin("POST", "/signin", {"user": user, "host": host})
        assert answer["ok"], (user, host, answer)


@pytest.fixture
def site(playbook):
    def run(*args: str):
        return playbook(SITE, *args)

    return run


# --- throttling everywhere ------------------------------------------------------------------------


def test_thirty_percent_throttling_on_every_service_converges_in_one_run(site, emulator):
    emulator.admin("POST", "/faults", {"seed": 13})  # the same throttled calls on every run of the test
    emulator.add_fault("*", "throttle", probability=0.3)  # every service: AWS APIs, sso-control, sso-portal
    mark = emulator.mark()
    started = time.monotonic()
    run = site()
    elapsed = time.monotonic() - started
    assert run.rc == 0, run.stdout[-3000:] + run.stderr[-2000:]
    requests = emulator.requests(since=mark)
    throttled = {r["service"] for r in requests if r["fault"] == "throttle"}
    assert {"sso-control", "sso-portal", "iam", "sso-admin"} <= throttled, throttled
    assert elapsed < 120
    emulator.clear_faults()
    converged_now(site, emulator)
