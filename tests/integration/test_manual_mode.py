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
    converged, site_first_run_requests, playbook, emulator, client_for
):
    # the IdC apps exist (made by hand, following the steps; here by a normal run), the IAM half does not
    assert [r for r in site_first_run_requests if r["service"] == CONTROL_API] != []  # a normal run does use it
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


def test_manual_mode_on_a_fresh_organisation_writes_nothing_and_says_what_to_make_first(playbook, emulator):
    mark = emulator.mark()
    run = playbook(SITE, "-l", "qa", *MANUAL)
    assert emulator.requests(since=mark, service=CONTROL_API) == []
    assert run.rc == 0, run.stdout[-3000:]
    # no app yet: the IAM half waits for it (a role trusting a missing provider is what IAM refuses)
    assert emulator.writes(since=mark) == []
    results = run.task_results(TASK)
    assert sorted(results) == ["qa-east", "qa-west"]
    for result in results.values():
        assert result["changed"] is False
        assert result["app"]["manual_steps"] and result["attributes"]["manual_steps"]
        assert all(
            "waits for the IAM Identity Center application" in result[s]["pending"] for s in ("provider", "role")
        )
        assert any("does not exist: make it in the console" in w for w in result.get("warnings", []))
