"""Manual mode (`-e connect_federation_control_api=false`), for organisations that forbid the IdC
console API: not one call to it, the IAM half still converges, and the run hands back the console
steps (manual_steps) for what it may not do itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from emulator.sandbox import INSTANCES

pytestmark = pytest.mark.slow
SITE = Path(__file__).resolve().parents[2] / "site.yml"
TASK = "Federate the Connect instance with IAM Identity Center"
MANUAL = ("-e", "connect_federation_control_api=false")
QA = [i for i in INSTANCES if i.env == "qa"]
CONTROL_API = "sso-control"  # the request log's service name for /control/


def remove_the_iam_half(client_for) -> None:
    """Delete qa's providers and federation roles, as if the member account were new."""
    iam = client_for("iam", QA[0].account)
    for provider in iam.list_saml_providers()["SAMLProviderList"]:
        iam.delete_saml_provider(SAMLProviderArn=provider["Arn"])
    for role in iam.list_roles()["Roles"]:
        if role["RoleName"].startswith("AmazonConnect_"):
            for name in iam.list_role_policies(RoleName=role["RoleName"])["PolicyNames"]:
                iam.delete_role_policy(RoleName=role["RoleName"], PolicyName=name)
            iam.delete_role(RoleName=role["RoleName"])


def test_manual_mode_calls_no_console_api_builds_the_iam_half_and_returns_the_console_steps(
    playbook, emulator, client_for
):
    # the IdC apps exist (made by hand, following the steps; here by a normal run), the IAM half does not
    made = emulator.mark()
    assert playbook(SITE, "-l", "qa").rc == 0
    assert emulator.requests(since=made, service=CONTROL_API) != []  # a normal run does use it
    remove_the_iam_half(client_for)

    mark = emulator.mark()
    manual = playbook(SITE, "-l", "qa", *MANUAL)
    assert manual.rc == 0, manual.stdout[-3000:]
    assert emulator.requests(since=mark) != []
    assert emulator.requests(since=mark, service=CONTROL_API) == []
    results = manual.task_results(TASK)
    assert sorted(results) == sorted(i.host for i in QA)
    iam = client_for("iam", QA[0].account)
    for instance in QA:
        result = results[instance.host]
        assert result["provider"]["changed"] and result["role"]["changed"]
        metadata = iam.get_saml_provider(SAMLProviderArn=result["provider"]["arn"])["SAMLMetadataDocument"]
        assert metadata == result["app"]["metadata"]  # the app's metadata, read without the console API
        app_steps = result["app"]["manual_steps"]
        assert f"Display name: {instance.app_name}" in app_steps
        relay = f"Relay state: https://{instance.region}.console.aws.amazon.com/connect/federate/{instance.id}"
        assert any(relay in step for step in result["attributes"]["manual_steps"])
        # the rebuilt IAM half fits the app: the agent lands on the host's own instance
        answer = emulator.admin("POST", "/signin", {"user": "quinn.qa", "host": instance.host})
        assert answer["ok"] and answer["instance_id"] == instance.id, answer

    again = emulator.mark()
    second = playbook(SITE, "-l", "qa", *MANUAL)
    assert second.rc == 0
    assert second.total("changed") == 0
    assert emulator.writes(since=again) == []
    assert emulator.requests(since=again, service=CONTROL_API) == []


@pytest.mark.xfail(
    reason="plugins/module_utils/chain.py: with control_api false and no app yet (not check mode), the "
    "provider is skipped but the role is still created, and IAM refuses a trust policy naming a missing "
    "provider (MalformedPolicyDocument); the chain should stop after the app step and return manual_steps",
    strict=False,
)
def test_manual_mode_on_a_fresh_organisation_fails_no_host_and_calls_no_console_api(playbook, emulator):
    mark = emulator.mark()
    run = playbook(SITE, "-l", "qa", *MANUAL)
    assert emulator.requests(since=mark, service=CONTROL_API) == []
    assert run.rc == 0, run.stdout[-3000:]
    for result in run.task_results(TASK).values():
        assert result["app"]["manual_steps"]
