"""sso_app_assignment through ansible-playbook against the emulator."""

from __future__ import annotations

import pytest

from emulator.sandbox import ROOT_ACCOUNT

pytestmark = pytest.mark.slow
APP = "AmazonConnect-QA-us-east-1"


@pytest.fixture
def app(run_module):
    return run_module("sso_saml_app", {"name": APP}, account=ROOT_ACCOUNT).result


def assignments(client_for, arn):
    return client_for("sso-admin", ROOT_ACCOUNT).list_application_assignments(ApplicationArn=arn)[
        "ApplicationAssignments"
    ]


def test_assigns_groups_by_name_then_rerun_makes_no_write(run_module, emulator, app, client_for):
    principals = [{"type": "GROUP", "name": "connect-qa-agents"}, {"type": "GROUP", "name": "connect-qa-admins"}]
    out = run_module("sso_app_assignment", {"app": APP, "principals": principals}, account=ROOT_ACCOUNT)
    assert not out.failed, out.msg
    assert out.result["changed"] is True
    assert sorted(p["name"] for p in out.result["assigned"]) == ["connect-qa-admins", "connect-qa-agents"]
    assert len(assignments(client_for, app["application_arn"])) == 2
    mark = emulator.mark()
    again = run_module("sso_app_assignment", {"app": APP, "principals": principals}, account=ROOT_ACCOUNT)
    assert again.result["changed"] is False
    assert emulator.writes(since=mark) == []


def test_check_mode_makes_no_write(run_module, emulator, app):
    mark = emulator.mark()
    out = run_module(
        "sso_app_assignment",
        {"app": APP, "principals": [{"type": "USER", "name": "quinn.qa"}]},
        account=ROOT_ACCOUNT,
        check=True,
    )
    assert out.result["changed"] is True and out.result["added"][0]["name"] == "quinn.qa"
    assert emulator.writes(since=mark) == []


def test_exclusive_removes_principals_not_listed(run_module, app, client_for):
    run_module(
        "sso_app_assignment",
        {
            "app": APP,
            "principals": [{"type": "USER", "name": "quinn.qa"}, {"type": "GROUP", "name": "connect-qa-agents"}],
        },
        account=ROOT_ACCOUNT,
    )
    out = run_module(
        "sso_app_assignment",
        {"app": APP, "principals": [{"type": "GROUP", "name": "connect-qa-agents"}], "exclusive": True},
        account=ROOT_ACCOUNT,
    )
    assert [p["type"] for p in out.result["removed"]] == ["USER"]
    assert [a["PrincipalType"] for a in assignments(client_for, app["application_arn"])] == ["GROUP"]


def test_absent_removes_the_listed_principals(run_module, app, client_for):
    principals = [{"type": "GROUP", "name": "connect-qa-agents"}]
    run_module("sso_app_assignment", {"app": APP, "principals": principals}, account=ROOT_ACCOUNT)
    out = run_module(
        "sso_app_assignment", {"app": APP, "principals": principals, "state": "absent"}, account=ROOT_ACCOUNT
    )
    assert out.result["changed"] is True
    assert assignments(client_for, app["application_arn"]) == []


def test_assignment_required_is_set_only_when_asked(run_module, emulator, app, client_for):
    sso = client_for("sso-admin", ROOT_ACCOUNT)
    out = run_module("sso_app_assignment", {"app": APP, "assignment_required": False}, account=ROOT_ACCOUNT)
    assert out.result["changed"] is True
    assert (
        sso.get_application_assignment_configuration(ApplicationArn=app["application_arn"])["AssignmentRequired"]
        is False
    )
    mark = emulator.mark()
    assert run_module("sso_app_assignment", {"app": APP}, account=ROOT_ACCOUNT).result["changed"] is False
    assert emulator.writes(since=mark) == []


def test_principal_by_id(run_module, emulator, app):
    group_id = emulator.topology()["idc"]["groups"][0]["group_id"]
    out = run_module(
        "sso_app_assignment", {"app": APP, "principals": [{"type": "GROUP", "id": group_id}]}, account=ROOT_ACCOUNT
    )
    assert out.result["assigned"] == [{"type": "GROUP", "id": group_id, "name": None}]


def test_unknown_principal_name_fails_before_any_write(run_module, emulator, app):
    mark = emulator.mark()
    out = run_module(
        "sso_app_assignment",
        {
            "app": APP,
            "principals": [
                {"type": "GROUP", "name": "connect-qa-agents"},
                {"type": "GROUP", "name": "connect-qa-agentz"},
            ],
        },
        account=ROOT_ACCOUNT,
    )
    assert out.failed
    assert "principals[1].name='connect-qa-agentz': no IAM Identity Center group with DisplayName" in out.msg
    assert emulator.writes(since=mark) == []


def test_principal_needs_exactly_one_of_name_and_id(run_module, app):
    out = run_module("sso_app_assignment", {"app": APP, "principals": [{"type": "USER"}]}, account=ROOT_ACCOUNT)
    assert "principals[0]=" in out.msg and "give exactly one of name and id" in out.msg


def test_check_mode_before_the_app_exists_reports_a_pending_change(run_module, emulator):
    mark = emulator.mark()
    principals = [{"type": "GROUP", "name": "connect-qa-agents"}]
    out = run_module("sso_app_assignment", {"app": APP, "principals": principals}, account=ROOT_ACCOUNT, check=True)
    assert not out.failed, out.msg
    assert out.result["changed"] is True
    assert out.result["pending"] == "created once the IdC application exists"
    assert [p["name"] for p in out.result["added"]] == ["connect-qa-agents"]
    assert emulator.writes(since=mark) == []


def test_check_mode_before_the_app_exists_still_checks_principals(run_module, emulator):
    out = run_module(
        "sso_app_assignment",
        {"app": APP, "principals": [{"type": "GROUP", "name": "no-such-group"}]},
        account=ROOT_ACCOUNT,
        check=True,
    )
    assert out.failed and "principals[0].name='no-such-group'" in out.msg


def test_missing_app_is_still_an_error_outside_check_mode(run_module):
    out = run_module("sso_app_assignment", {"app": APP, "principals": []}, account=ROOT_ACCOUNT)
    assert out.failed and f"app={APP!r}: no IAM Identity Center SAML application has this name or id" in out.msg
