"""Faults: throttling everywhere, server errors that outlast the retries, a run killed (every process
of it) in the middle of a first run, a slow operation. Each run ends converged (at once, or on the next run), clearly
failed, or without orphans; none takes longer than it must (retries.py: ATTEMPTS, FIRST_DELAY, MAX_DELAY).
"""

from __future__ import annotations

import contextlib
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
BOUNDARY = "ConnectSsoFederationRoleBoundary"  # the default permissions boundary, one per account


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
def chain(run_module, dev_east_chain_args):
    """chain() -> ModuleRun: the chain module for dev-east, in this process, as the role runs it."""
    return lambda: run_module("connect_federation", dev_east_chain_args, account=ACCOUNTS["dev"])


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


# --- a first run killed in the middle, controller and workers -------------------------------------

EXPECTED_APPS = {f"AmazonConnect-{i.env.upper()}-{i.region}" for i in INSTANCES}

# Where a first run of site.yml over the sandbox is killed: when the emulator has seen the nth write of an
# operation. A first run makes about 80 writes, the five hosts' chains side by side (app, permissions boundary,
# provider, role and its policy, attributes, assignments, Connect users); in brackets, how many writes one run
# had made when it was killed at each point: they spread from the first write to near the last, and cut into
# every phase.
KILL_POINTS = [
    ("CreateApplicationInstance", 1),  # [6] the first write of the run: apps being made
    ("UpdateApplicationInstanceServiceProviderConfiguration", 1),  # [17] apps being configured (ACS, audience)
    ("CreatePolicy", 1),  # [25] apps enabled, the first permissions boundary
    ("CreateSAMLProvider", 2),  # [32] providers
    ("CreateRole", 2),  # [43] roles, some before their policies
    ("PutRolePolicy", 2),  # [49] the roles' policies
    ("UpdateApplicationInstanceResponseConfiguration", 2),  # [51] attributes and relay states
    ("CreateApplicationAssignment", 1),  # [61] the first assignment
    ("CreateApplicationAssignment", 10),  # [72] assignments
    ("CreateUser", 2),  # [77] the Connect users, the last step
]


def _children(pid: int) -> set[int]:
    """The processes whose parent is pid (Linux /proc)."""
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:  # ended meanwhile
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(entry))
    return found


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def kill_every_process_of(process: subprocess.Popen) -> set[int]:
    """SIGKILL ansible-playbook and every process it started; the pids of the latter.

    Ansible's workers each start a session of their own (WorkerProcess._detach), so killing the
    controller's process group leaves them running: they would finish their hosts' chains after the
    "kill" and then hang forever on the dead controller's result queue. Stopped first (no new process
    from then on), found by parent, then killed: as when the machine or container running the job dies.
    """
    os.killpg(process.pid, signal.SIGSTOP)
    tree = {process.pid}
    found = _children(process.pid)
    while found - tree:
        for pid in found - tree:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGSTOP)
        tree |= found
        found = set().union(*(_children(pid) for pid in tree))
    os.killpg(process.pid, signal.SIGKILL)
    for pid in tree - {process.pid}:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    return tree - {process.pid}


def killed_at(emulator, operation: str, nth: int) -> list[dict]:
    """site.yml, every process of it killed with SIGKILL once the emulator has seen the nth write of
    operation; the writes it made."""
    mark = emulator.mark()
    process = subprocess.Popen(
        [str(Path(sys.executable).with_name("ansible-playbook")), str(SITE)],
        cwd=ROOT,
        env=ansible_env(emulator.endpoint),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group
    )
    workers: set[int] = set()
    deadline = time.monotonic() + 120
    try:
        while process.poll() is None and time.monotonic() < deadline:
            if len(emulator.writes(since=mark, operation=operation)) >= nth:
                workers = kill_every_process_of(process)
                break
            time.sleep(0.02)
    finally:
        if process.poll() is None:
            workers |= kill_every_process_of(process)
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL, f"the run ended before its {operation} number {nth}"
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not [pid for pid in workers if _alive(pid)], "a worker of the killed run outlived it"
    time.sleep(0.5)  # a request already sent when the process died still lands
    return emulator.writes(since=mark)


def managed(tags: list[dict]) -> bool:
    return (MANAGED[0], MANAGED[1]) in {(t["Key"], t["Value"]) for t in tags}


def _managed_apps(emulator) -> list[tuple[str, bool]]:
    """(name, managed?) of every app in IdC."""
    sso = emulator.session(ROOT_ACCOUNT).client("sso-admin", endpoint_url=emulator.endpoint)
    instance_arn = emulator.topology()["idc"]["instance_arn"]
    apps = sso.list_applications(InstanceArn=instance_arn)["Applications"]
    return [
        (
            app.get("Name", ""),
            managed(sso.list_tags_for_resource(InstanceArn=instance_arn, ResourceArn=app["ApplicationArn"])["Tags"]),
        )
        for app in apps
    ]


def _managed_in(emulator, account: str) -> dict[str, set[str]]:
    """The names of the providers, roles and customer managed policies of one account that carry managed-by."""
    iam = emulator.session(account).client("iam", endpoint_url=emulator.endpoint)
    return {
        "providers": {
            p["Arn"].rsplit("/", 1)[1]
            for p in iam.list_saml_providers()["SAMLProviderList"]
            if managed(iam.list_saml_provider_tags(SAMLProviderArn=p["Arn"])["Tags"])
        },
        "roles": {
            r["RoleName"]
            for r in iam.list_roles()["Roles"]
            if managed(iam.list_role_tags(RoleName=r["RoleName"])["Tags"])
        },
        "policies": {
            p["PolicyName"]
            for p in iam.list_policies(Scope="Local")["Policies"]
            if managed(iam.list_policy_tags(PolicyArn=p["Arn"])["Tags"])
        },
    }


def assert_no_orphans(emulator) -> list[str]:
    """Every app, provider, role and permissions boundary this collection made (its managed-by tag) belongs
    to an inventory host (a boundary: to its account), and no host has two; no app is left without a name.
    Answers the apps of the inventory's names that lack the managed-by tag."""
    apps = _managed_apps(emulator)
    assert sorted(name for name, _managed in apps) == sorted(EXPECTED_APPS), apps
    for account in {i.account for i in INSTANCES}:
        mine = [i for i in INSTANCES if i.account == account]
        found = _managed_in(emulator, account)
        assert found["providers"] == {f"AWSSSO_{i.env.upper()}_{i.region}_Connect" for i in mine}
        assert found["roles"] == {f"AmazonConnect_{i.env.upper()}_{i.region}_Role" for i in mine}
        assert found["policies"] == {BOUNDARY}, (account, found["policies"])
    return sorted(name for name, is_managed in apps if not is_managed)


@pytest.mark.parametrize("operation, nth", KILL_POINTS, ids=[f"{op}-{n}" for op, n in KILL_POINTS])
def test_a_first_run_killed_mid_way_converges_on_the_next_run_without_orphans(site, emulator, operation, nth):
    made = killed_at(emulator, operation, nth)
    assert len([w for w in made if w["operation"] == operation]) >= nth
    mark = emulator.mark()
    run = site()
    assert run.rc == 0, run.stdout[-3000:] + run.stderr[-2000:]
    # the kill left work undone: on a sandbox that a whole first run leaves converged (converged_now),
    # the next run had writes to make
    assert emulator.writes(since=mark) != [], f"the killed run had finished its {len(made)} writes"
    # an app whose run was killed between creating and tagging it is claimed, not adopted (saml_app.claim)
    assert assert_no_orphans(emulator) == [], "an app of the inventory is left without the managed-by tag"
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
