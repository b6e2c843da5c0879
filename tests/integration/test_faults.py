"""Faults: throttling everywhere, server errors that outlast the retries, a controller killed in the
middle of a run, a slow operation. Each run ends converged (at once, or on the next run), clearly
failed, or without orphans; none takes longer than it must (retries.py: ATTEMPTS, FIRST_DELAY, MAX_DELAY).
"""

from __future__ import annotations

import os
import re
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
    # the metadata URL is read once per host only, and forks make the order of requests (so which ones the
    # seeded 30 % hits) vary: throttle its first two reads for sure, so its retries are always exercised
    emulator.add_fault("GetSamlMetadata", "throttle", service="sso-portal", count=2)
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


# --- server errors that outlast the retries ---------------------------------------------------------

# The writes of a first run, one per step of the chain (service, operation), as the request log names them.
WRITES = [
    ("sso-control", "CreateApplicationInstance"),
    ("iam", "CreateSAMLProvider"),
    ("iam", "CreateRole"),
    ("iam", "PutRolePolicy"),
    ("sso-control", "UpdateApplicationInstanceResponseConfiguration"),
    ("sso-admin", "CreateApplicationAssignment"),
]
STEP_WORDS = {  # what the failure message says the collection was doing
    "CreateApplicationInstance": "CreateApplicationInstance",
    "CreateSAMLProvider": "create SAML provider",
    "CreateRole": "create role",
    "PutRolePolicy": "role policy",
    "UpdateApplicationInstanceResponseConfiguration": "UpdateApplicationInstanceResponseConfiguration",
    "CreateApplicationAssignment": "create application assignment",
}


@pytest.fixture
def chain(run_module, aws):
    """chain() -> ModuleRun: the chain module for dev-east, in this process, as the role runs it."""
    idc = aws(ROOT_ACCOUNT).get_credentials().get_frozen_credentials()
    args = {
        "instance_alias": "acme-dev-east",
        "idc": {
            "region": "us-east-1",
            "access_key": idc.access_key,
            "secret_key": idc.secret_key,
            "session_token": idc.token,
        },
        "app_name": "AmazonConnect-DEV-us-east-1",
        "provider_name": "AWSSSO_DEV_us-east-1_Connect",
        "role_name": "AmazonConnect_DEV_us-east-1_Role",
        "principals": [{"type": "GROUP", "name": "connect-dev-agents"}],
    }
    return lambda: run_module("connect_federation", args, account=ACCOUNTS["dev"])


@pytest.fixture
def no_waiting(monkeypatch):
    """The retry policy runs in full (every attempt), without its sleeps: the seconds it asked for are kept."""
    asked: list[float] = []
    monkeypatch.setattr(time, "sleep", asked.append)
    return asked


@pytest.mark.parametrize("service, operation", WRITES, ids=[op for _s, op in WRITES])
def test_server_errors_outlasting_the_retries_fail_clearly_and_the_next_run_converges(
    chain, emulator, no_waiting, service, operation
):
    emulator.add_fault(operation, "error", service=service, status=500, count=1000)
    mark = emulator.mark()
    broken = chain()
    assert broken.failed, broken.result
    assert "Traceback" not in broken.msg
    # the step, and that AWS failed (not the inputs): the service's own words for a 500
    assert STEP_WORDS[operation] in broken.msg, broken.msg
    assert re.search(r"internal|500|InternalFailure|ServiceFailure", broken.msg, re.IGNORECASE), broken.msg
    tried = emulator.requests(since=mark, operation=operation)
    assert len(tried) >= retries.ATTEMPTS, len(tried)  # the policy ran its course before giving up
    assert sum(no_waiting) > 0  # ... with its backoff
    emulator.clear_faults()
    fixed = chain()
    assert not fixed.failed and fixed.result["changed"], fixed.msg
    mark = emulator.mark()
    again = chain()
    assert not again.failed and not again.result["changed"]
    assert emulator.writes(since=mark) == []
    assert emulator.admin("POST", "/signin", {"user": "dana.dev", "host": "dev-east"})["ok"]


# --- the controller killed in the middle of a run ----------------------------------------------------

EXPECTED_APPS = {f"AmazonConnect-{i.env.upper()}-{i.region}" for i in INSTANCES}


def killed_after_writes(emulator, k: int) -> int:
    """site.yml, killed with SIGKILL (its whole process group) once the emulator has seen k writes;
    the number of writes it made."""
    mark = emulator.mark()
    process = subprocess.Popen(
        [str(Path(sys.executable).with_name("ansible-playbook")), str(SITE)],
        cwd=ROOT,
        env=ansible_env(emulator.endpoint),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: the workers die with it
    )
    deadline = time.monotonic() + 120
    try:
        while process.poll() is None and time.monotonic() < deadline:
            if len(emulator.writes(since=mark)) >= k:
                os.killpg(process.pid, signal.SIGKILL)
                break
            time.sleep(0.02)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL, f"the run ended before its write {k}"
    time.sleep(0.5)  # a request already sent when the process died still lands
    return len(emulator.writes(since=mark))


def managed(tags: list[dict]) -> bool:
    return (MANAGED[0], MANAGED[1]) in {(t["Key"], t["Value"]) for t in tags}


def assert_no_orphans(emulator) -> None:
    """Every app, provider and role this collection made (its managed-by tag) belongs to an inventory
    host, and no host has two; no app is left without a name."""
    root = emulator.session(ROOT_ACCOUNT)
    sso = root.client("sso-admin", endpoint_url=emulator.endpoint)
    instance_arn = emulator.topology()["idc"]["instance_arn"]
    apps = sso.list_applications(InstanceArn=instance_arn)["Applications"]
    assert sorted(a.get("Name", "") for a in apps) == sorted(EXPECTED_APPS), [a.get("Name") for a in apps]
    for app in apps:
        tags = sso.list_tags_for_resource(InstanceArn=instance_arn, ResourceArn=app["ApplicationArn"])["Tags"]
        assert managed(tags), app
    for account in {i.account for i in INSTANCES}:
        mine = [i for i in INSTANCES if i.account == account]
        iam = emulator.session(account).client("iam", endpoint_url=emulator.endpoint)
        providers = {
            p["Arn"].rsplit("/", 1)[1]
            for p in iam.list_saml_providers()["SAMLProviderList"]
            if managed(iam.list_saml_provider_tags(SAMLProviderArn=p["Arn"])["Tags"])
        }
        assert providers == {f"AWSSSO_{i.env.upper()}_{i.region}_Connect" for i in mine}
        roles = {
            r["RoleName"]
            for r in iam.list_roles()["Roles"]
            if managed(iam.list_role_tags(RoleName=r["RoleName"])["Tags"])
        }
        assert roles == {f"AmazonConnect_{i.env.upper()}_{i.region}_Role" for i in mine}


@pytest.mark.parametrize("k", [1, 4, 15, 40])
def test_a_run_killed_after_its_kth_write_converges_on_the_next_run_without_orphans(site, emulator, k):
    made = killed_after_writes(emulator, k)
    assert made >= k
    run = site()
    assert run.rc == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert_no_orphans(emulator)
    converged_now(site, emulator)


# --- a slow operation -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "service, operation",
    [("sso-portal", "GetSamlMetadata"), ("sso-control", "GetApplicationInstance"), ("iam", "GetSAMLProvider")],
)
def test_two_seconds_of_latency_on_one_operation_is_waited_for(site, emulator, service, operation):
    emulator.add_fault(operation, "latency", service=service, latency_ms=2000)
    mark = emulator.mark()
    run = site("-l", "dev-east,qa-west")
    assert run.rc == 0, run.stdout[-3000:]
    slow = emulator.requests(since=mark, operation=operation)
    assert slow and all(r["duration_ms"] >= 2000 for r in slow), slow[:2]  # the emulator did wait
    # each answered as usual (a 404 for a provider not made yet is usual): no client gave up on it
    assert all(r["status"] < 500 for r in slow), [(r["status"], r["error_code"]) for r in slow]
