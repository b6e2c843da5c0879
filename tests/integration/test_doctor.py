"""The federation doctor (connect_federation_check, doctor.yml): for each link broken in turn in
the emulator, the doctor names the same broken link as the sign-in simulator (POST /signin) for
the same break; a healthy organisation is ok everywhere; it never writes.

The chain is built once for the module by site.yml over qa (two instances in one account, the
same set-up as tests/emulator/tests/test_signin.py); each test breaks one link through the AWS
APIs and puts it back, and a check after every test proves the doctor and the simulator find the
chain whole again (so no test passes on another's damage).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from emulator.client import EmulatorClient, aws_session
from emulator.process import ansible_env
from emulator.sandbox import ACCOUNTS, INSTANCES, ROOT_ACCOUNT

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
HOSTS = {i.host: i for i in INSTANCES}
QA = ACCOUNTS["qa"]
AGENT = "quinn.qa"
ROLE = "AmazonConnect_QA_us-west-2_Role"
POLICY = "AmazonConnectFederation_QA_us-west-2"
QA_GROUPS = ["connect-qa-agents", "connect-qa-admins", "connect-qa-developers"]


def doctor_args(host: str, endpoint: str, **overrides) -> dict:
    """The module's options for a sandbox host, as the doctor playbook passes them (default names)."""
    instance = HOSTS[host]
    env, region = instance.env.upper(), instance.region
    idc = aws_session(endpoint, ROOT_ACCOUNT).get_credentials().get_frozen_credentials()
    args = {
        "region": region,
        "instance_alias": instance.alias,
        "idc": {
            "region": "us-east-1",
            "access_key": idc.access_key,
            "secret_key": idc.secret_key,
            "session_token": idc.token,
        },
        "app_name": instance.app_name,
        "provider_name": f"AWSSSO_{env}_{region}_Connect",
        "role_name": f"AmazonConnect_{env}_{region}_Role",
        "principals": [{"type": "GROUP", "name": g.replace("qa", instance.env)} for g in QA_GROUPS],
        "fail_on_error": False,
    }
    return dict(args, **overrides)


def diagnose(endpoint: str, host: str, **overrides) -> dict:
    """The doctor's result for a host, the module's main() run in this process."""
    from ansible_collections.connect_sso.federation.plugins.modules import connect_federation_check
    from ansible_collections.connect_sso.federation.plugins.plugin_utils.in_process import call_main

    member = aws_session(endpoint, HOSTS[host].account).get_credentials().get_frozen_credentials()
    env = {
        "AWS_ACCESS_KEY_ID": member.access_key,
        "AWS_SECRET_ACCESS_KEY": member.secret_key,
        "AWS_SESSION_TOKEN": member.token,
        "AWS_ENDPOINT_URL": endpoint,
    }
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        output = call_main(connect_federation_check.main, doctor_args(host, endpoint, **overrides))
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return json.loads(output)


@pytest.fixture(scope="module")
def chain(emulator_endpoint) -> EmulatorClient:
    """qa-east and qa-west federated by site.yml; the console API shows attribute mappings."""
    client = EmulatorClient(emulator_endpoint)
    client.reset(seed="sandbox")
    run = subprocess.run(
        [str(Path(sys.executable).with_name("ansible-playbook")), "site.yml", "-l", "qa"],
        cwd=ROOT,
        env=ansible_env(emulator_endpoint),
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout[-3000:]
    client.config(get_application_instance_includes_response_config=True)
    yield client
    client.config(get_application_instance_includes_response_config=False)


def test_smoke(chain):
    result = diagnose(chain.endpoint, "qa-west")
    print(json.dumps(result, indent=1))
    assert result["ok"], result
