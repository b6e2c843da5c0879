"""Run real ansible-playbook processes against the emulator and read their results."""

from __future__ import annotations

import copy
import importlib
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from emulator.process import ansible_env
from emulator.sandbox import INSTANCES, ROOT_ACCOUNT

ROOT = Path(__file__).resolve().parents[2]
PLAYBOOKS = Path(__file__).resolve().parent / "playbooks"


@dataclass
class PlaybookRun:
    rc: int
    stdout: str
    stderr: str
    result: dict  # the json callback's document ({} when the run printed none)

    @property
    def stats(self) -> dict:
        return self.result.get("stats", {})

    def total(self, key: str) -> int:
        return sum(host.get(key, 0) for host in self.stats.values())

    def task_results(self, task_name: str) -> dict:
        """host -> result of the task with that name (last play that ran it)."""
        found: dict = {}
        for play in self.result.get("plays", []):
            for task in play.get("tasks", []):
                # a role's tasks are named "<role> : <task>" by some callbacks
                if task["task"]["name"] == task_name or task["task"]["name"].endswith(f" : {task_name}"):
                    found.update(task["hosts"])
        return found


def run_playbook(endpoint: str, path: str | Path, *args: str, json_output: bool = True, env: dict | None = None):
    """ansible-playbook path *args against the emulator at endpoint, from the repository root."""
    extra = {"ANSIBLE_STDOUT_CALLBACK": "ansible.posix.json"} if json_output else {}
    extra.update(env or {})
    command = [str(Path(sys.executable).with_name("ansible-playbook")), str(path), *args]
    completed = subprocess.run(
        command,
        check=False,
        cwd=ROOT,
        env=ansible_env(endpoint, **extra),
        capture_output=True,
        text=True,
        timeout=600,
    )
    result: dict = {}
    if json_output and completed.stdout.strip().startswith("{"):
        result = json.loads(completed.stdout)
    return PlaybookRun(completed.returncode, completed.stdout, completed.stderr, result)


@pytest.fixture
def playbook(emulator):
    """playbook(path, *args, json_output=True, env=None) -> PlaybookRun, run from the repository root."""

    def run(path: str | Path, *args: str, json_output: bool = True, env: dict | None = None) -> PlaybookRun:
        return run_playbook(emulator.endpoint, path, *args, json_output=json_output, env=env)

    return run


# --- the sandbox converged once per worker ------------------------------------------------------

SITE = ROOT / "site.yml"


@dataclass
class FirstRun:
    run: PlaybookRun  # the playbook's first run over a fresh sandbox
    requests: list[dict]  # every AWS request it made (the request log does not survive a restore)


@pytest.fixture(scope="session")
def converge_once(emulator_endpoint):
    """converge_once(name, path, *args) -> FirstRun: the playbook over a fresh sandbox, run once per
    session (per xdist worker) under that name and snapshotted in the emulator as `name`."""
    from emulator.client import EmulatorClient

    client = EmulatorClient(emulator_endpoint)
    done: dict[str, FirstRun] = {}

    def converge(name: str, path: str | Path, *args: str, prepare=None) -> FirstRun:
        if name not in done:
            client.reset(seed="sandbox")
            if prepare is not None:  # a change to the sandbox before the run (the same for every test of that name)
                prepare()
            mark = client.mark()
            first = run_playbook(emulator_endpoint, path, *args)
            assert first.rc == 0, first.stdout[-3000:] + first.stderr[-3000:]
            requests = client.requests(since=mark)
            client.snapshot(name)
            done[name] = FirstRun(first, requests)
        return done[name]

    return converge


@pytest.fixture
def converged_by(emulator, converge_once):
    """converged_by(name, path, *args) -> FirstRun: the sandbox as that playbook's first run left it,
    restored from the emulator's snapshot (milliseconds; the run itself happens once per worker),
    with the request log empty. Only the first call of a name runs the playbook, with its args."""

    def restore(name: str, path: str | Path, *args: str, prepare=None) -> FirstRun:
        first = converge_once(name, path, *args, prepare=prepare)
        emulator.restore(name)
        emulator.clear_requests()
        return copy.deepcopy(first)

    return restore


@pytest.fixture
def converged(converged_by) -> PlaybookRun:
    """The sandbox as site.yml's first run left it, and that run's result: for tests that start from
    a converged organisation (test_site.py's first test asserts the run itself)."""
    return converged_by("site-converged", SITE).run


@pytest.fixture
def site_first_run_requests(converged_by, converged) -> list[dict]:
    """The AWS requests of the run `converged` stands for (the emulator's log starts empty after it)."""
    return converged_by("site-converged", SITE).requests


@dataclass
class ModuleRun:
    result: dict  # the module's result
    output: str  # everything the run printed (the module's JSON, or ansible-playbook's stdout and stderr)

    @property
    def failed(self) -> bool:
        return bool(self.result.get("failed"))

    @property
    def msg(self) -> str:
        return str(self.result.get("msg", ""))


@pytest.fixture
def idc_credentials(aws):
    """The sandbox IdC account's credentials, as a module's `idc` option takes them."""
    frozen = aws(ROOT_ACCOUNT).get_credentials().get_frozen_credentials()
    return {"access_key": frozen.access_key, "secret_key": frozen.secret_key, "session_token": frozen.token}


@pytest.fixture
def dev_east_chain_args(idc_credentials) -> dict:
    """connect_federation's arguments for dev-east as the role would pass them: the default names, the
    dev agents assigned, the IdC account's credentials. Tests add or override options on a copy."""
    return {
        "instance_alias": "acme-dev-east",
        "idc": {"region": "us-east-1", **idc_credentials},
        "app_name": "AmazonConnect-DEV-us-east-1",
        "provider_name": "AWSSSO_DEV_us-east-1_Connect",
        "role_name": "AmazonConnect_DEV_us-east-1_Role",
        "principals": [{"type": "GROUP", "name": "connect-dev-agents"}],
    }


@pytest.fixture
def run_module(emulator, playbook, tmp_path, monkeypatch):
    """run_module(name, args, account=None, region='us-east-1', check=False, diff=False,
    through_playbook=False) -> ModuleRun.

    Runs connect_sso.federation.<name> with credentials that AssumeRole into the sandbox account
    gave (as a pipeline would pass them in). By default the module's main() runs in this process,
    as the collection's action plugins run it for a local host (one code path: `call_main`);
    `through_playbook=True` runs it as one task of a real ansible-playbook instead, for what only
    a playbook shows (the controller's output, a module process).
    """
    from emulator.client import aws_session

    counter = {"n": 0}

    def run(
        name: str,
        args: dict,
        account: str | None = None,
        region: str = "us-east-1",
        check: bool = False,
        diff: bool = False,
        through_playbook: bool = False,
    ) -> ModuleRun:
        creds = aws_session(emulator.endpoint, account, region).get_credentials().get_frozen_credentials()
        env = {
            "AWS_ACCESS_KEY_ID": creds.access_key,
            "AWS_SECRET_ACCESS_KEY": creds.secret_key,
            "AWS_DEFAULT_REGION": region,
        }
        if creds.token:
            env["AWS_SESSION_TOKEN"] = creds.token
        if through_playbook:
            counter["n"] += 1
            return _through_playbook(playbook, tmp_path / f"module_{counter['n']}.yml", name, args, env, check, diff)
        return _in_process(monkeypatch, emulator.endpoint, name, args, env, check, diff)

    return run


def _in_process(monkeypatch, endpoint: str, name: str, args: dict, env: dict, check: bool, diff: bool) -> ModuleRun:
    from ansible_collections.connect_sso.federation.plugins.plugin_utils.in_process import call_main

    module = importlib.import_module(f"ansible_collections.connect_sso.federation.plugins.modules.{name}")
    with monkeypatch.context() as patch:
        for key in [k for k in os.environ if k.startswith("AWS_")]:
            patch.delenv(key)
        for key, value in {**ansible_env(endpoint), **env}.items():
            if key.startswith("AWS_"):
                patch.setenv(key, value)
        internal = {"_ansible_check_mode": check, "_ansible_diff": diff, "_ansible_module_name": name}
        output = call_main(module.main, {**args, **internal})
    return ModuleRun(json.loads(output), output)


def _through_playbook(playbook, path: Path, name: str, args: dict, env: dict, check: bool, diff: bool) -> ModuleRun:
    task = {"name": "Run the module under test", f"connect_sso.federation.{name}": args, "register": "out"}
    play = [{"name": f"Module test: {name}", "hosts": "localhost", "connection": "local", "gather_facts": False}]
    play[0]["tasks"] = [task]
    path.write_text(json.dumps(play))
    flags = ["-i", "localhost,"] + (["--check"] if check else []) + (["--diff"] if diff else [])
    outcome = playbook(path, *flags, env=env)
    result = outcome.task_results("Run the module under test").get("localhost", {})
    if outcome.rc != 0 and not result:
        result = {"failed": True, "msg": f"ansible-playbook exited {outcome.rc}"}
    return ModuleRun(result, outcome.stdout + outcome.stderr)


def fix_case_mismatch(client_for) -> None:
    """Fix the sandbox's one "not onboarded" user as the run's message says: delete the Connect user
    whose username differs only in case (the next run creates it right)."""
    from emulator.sandbox import USERS

    for user in (u for u in USERS if u.connect_username and u.connect_username != u.connect_username.lower()):
        for instance in (i for i in INSTANCES if i.env in user.envs):
            connect = client_for("connect", instance.account, instance.region)
            found = connect.search_users(
                InstanceId=instance.id,
                SearchCriteria={
                    "StringCondition": {
                        "FieldName": "Username",
                        "Value": user.connect_username,
                        "ComparisonType": "EXACT",
                    }
                },
            )["Users"]
            for match in found:
                connect.delete_user(InstanceId=instance.id, UserId=match["Id"])


@pytest.fixture
def case_mismatch_fixed(client_for):
    """The sandbox with its case mismatch fixed before the test's first run, for tests that need an
    organisation whose compliance run passes: a case mismatch fails a run with fail_on_drift."""
    fix_case_mismatch(client_for)


@pytest.fixture
def converged_onboarded(converged_by, client_for) -> PlaybookRun:
    """As `converged`, from a sandbox whose case mismatch was fixed first (fix_case_mismatch): its
    compliance run passes, so a test can make drift of its own and expect only that."""
    return converged_by("site-onboarded", SITE, prepare=lambda: fix_case_mismatch(client_for)).run


@pytest.fixture
def drift_two_instances(client_for):
    """drift_two_instances(results) -> {(host, link)}: after a converge whose chain results (host -> the
    connect_federation task's result) are `results`, make dev-east's role trust another audience and give
    qa-east's provider qa-west's metadata, as a hand edit in the console would; returns the two drifting links."""
    accounts = {i.host: i.account for i in INSTANCES}

    def drift(results: dict) -> set[tuple[str, str]]:
        trust = json.loads(json.dumps(results["dev-east"]["role"]["trust_policy"]))
        trust["Statement"][0]["Condition"]["StringEquals"]["SAML:aud"] = "https://evil.example.com/saml"
        client_for("iam", accounts["dev-east"]).update_assume_role_policy(
            RoleName="AmazonConnect_DEV_us-east-1_Role", PolicyDocument=json.dumps(trust)
        )
        client_for("iam", accounts["qa-east"]).update_saml_provider(
            SAMLProviderArn=results["qa-east"]["provider"]["arn"],
            SAMLMetadataDocument=results["qa-west"]["app"]["metadata"],
        )
        return {("dev-east", "role"), ("qa-east", "provider")}

    return drift
