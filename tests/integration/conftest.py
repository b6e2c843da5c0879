"""Run real ansible-playbook processes against the emulator and read their results."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from emulator.process import ansible_env

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


@pytest.fixture
def playbook(emulator):
    """playbook(path, *args, json_output=True, **env) -> PlaybookRun, run from the repository root."""

    def run(path: str | Path, *args: str, json_output: bool = True, env: dict | None = None) -> PlaybookRun:
        extra = {"ANSIBLE_STDOUT_CALLBACK": "ansible.posix.json"} if json_output else {}
        extra.update(env or {})
        command = [str(Path(sys.executable).with_name("ansible-playbook")), str(path), *args]
        completed = subprocess.run(
            command,
            check=False,
            cwd=ROOT,
            env=ansible_env(emulator.endpoint, **extra),
            capture_output=True,
            text=True,
            timeout=600,
        )
        result: dict = {}
        if json_output and completed.stdout.strip().startswith("{"):
            result = json.loads(completed.stdout)
        return PlaybookRun(completed.returncode, completed.stdout, completed.stderr, result)

    return run


@dataclass
class ModuleRun:
    rc: int
    result: dict  # the module's result for localhost
    run: PlaybookRun

    @property
    def failed(self) -> bool:
        return bool(self.result.get("failed")) or self.rc != 0

    @property
    def msg(self) -> str:
        return str(self.result.get("msg", ""))


@pytest.fixture
def run_module(emulator, playbook, tmp_path):
    """run_module(name, args, account=None, region='us-east-1', check=False, diff=False) -> ModuleRun.

    Runs one task of connect_sso.federation.<name> through ansible-playbook, with credentials
    that AssumeRole into the sandbox account gave (as a pipeline would pass them in).
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
    ) -> ModuleRun:
        counter["n"] += 1
        path = tmp_path / f"module_{counter['n']}.yml"
        task = {"name": "Run the module under test", f"connect_sso.federation.{name}": args, "register": "out"}
        play = [
            {
                "name": f"Module test: {name}",
                "hosts": "localhost",
                "connection": "local",
                "gather_facts": False,
                "tasks": [task],
            }
        ]
        path.write_text(json.dumps(play))
        creds = aws_session(emulator.endpoint, account, region).get_credentials().get_frozen_credentials()
        env = {
            "AWS_ACCESS_KEY_ID": creds.access_key,
            "AWS_SECRET_ACCESS_KEY": creds.secret_key,
            "AWS_DEFAULT_REGION": region,
        }
        if creds.token:
            env["AWS_SESSION_TOKEN"] = creds.token
        flags = ["-i", "localhost,"] + (["--check"] if check else []) + (["--diff"] if diff else [])
        outcome = playbook(path, *flags, env=env)
        hosts = outcome.task_results("Run the module under test")
        return ModuleRun(outcome.rc, hosts.get("localhost", {}), outcome)

    return run
