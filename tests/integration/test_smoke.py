"""ansible-playbook with amazon.aws modules reaches the emulator, in more than one account."""

from __future__ import annotations

from pathlib import Path

import pytest

from emulator.sandbox import AMBIENT_ACCOUNT

pytestmark = pytest.mark.slow
PLAYBOOKS = Path(__file__).parent / "playbooks"


def test_amazon_aws_modules_reach_the_emulator_and_assume_roles(playbook, emulator):
    run = playbook(PLAYBOOKS / "caller_identity.yml", "-i", "localhost,")
    assert run.rc == 0, run.stdout + run.stderr
    ambient = run.task_results("Get the ambient caller identity")["localhost"]
    member = run.task_results("Get the caller identity in the target account")["localhost"]
    assert ambient["account"] == AMBIENT_ACCOUNT
    assert member["account"] == "222222222222"
    assert member["arn"].endswith(":assumed-role/OrganizationAccountAccessRole/smoke-test")
    operations = [(r["operation"], r["account"]) for r in emulator.requests(service="sts")]
    assert ("AssumeRole", AMBIENT_ACCOUNT) in operations
    assert ("GetCallerIdentity", "222222222222") in operations
