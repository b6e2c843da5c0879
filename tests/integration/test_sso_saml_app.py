"""sso_saml_app through ansible-playbook against the emulator, in the root account."""

from __future__ import annotations

import pytest

from emulator.client import signed_control_call
from emulator.sandbox import ACCOUNTS, IDC_INSTANCE_ARN, ROOT_ACCOUNT

pytestmark = pytest.mark.slow
NAME = "AmazonConnect-PROD-us-west-2"


def writes(emulator, mark, services=("sso-control", "sso-admin")):
    return [r["operation"] for r in emulator.writes(since=mark) if r["service"] in services]


def control_calls(emulator, mark):
    return [r["operation"] for r in emulator.requests(since=mark, service="sso-control")]


def test_create_then_rerun_makes_no_write(run_module, emulator):
    mark = emulator.mark()
    out = run_module("sso_saml_app", {"name": NAME, "description": "prod west"}, account=ROOT_ACCOUNT)
    assert not out.failed, out.msg
    assert out.result["changed"] is True and out.result["adopted"] is False
    assert out.result["application_arn"].startswith(f"arn:aws:sso::{ROOT_ACCOUNT}:application/ssoins-")
    assert out.result["instance_id"][4:] == out.result["application_arn"].rsplit("apl-", 1)[1]
    assert "<md:EntityDescriptor" in out.result["metadata"]
    assert out.result["certificates"][0]["not_after"].endswith("Z")
    assert sorted(writes(emulator, mark)) == sorted(
        [
            "CreateApplicationInstance",
            "TagResource",
            "UpdateApplicationInstanceDisplayData",
            "UpdateApplicationInstanceServiceProviderConfiguration",
            "UpdateApplicationInstanceStatus",
        ]
    )

    mark = emulator.mark()
    again = run_module("sso_saml_app", {"name": NAME, "description": "prod west"}, account=ROOT_ACCOUNT)
    assert again.result["changed"] is False
    assert again.result["metadata"] == out.result["metadata"]
    assert writes(emulator, mark) == []


def test_check_mode_makes_no_write(run_module, emulator):
    mark = emulator.mark()
    out = run_module("sso_saml_app", {"name": NAME}, account=ROOT_ACCOUNT, check=True, diff=True)
    assert out.result["changed"] is True
    assert out.result["diff"]["after"]["acs_urls"] == ["https://signin.aws.amazon.com/saml"]
    assert writes(emulator, mark) == []


def test_changed_settings_are_updated(run_module, emulator):
    run_module("sso_saml_app", {"name": NAME}, account=ROOT_ACCOUNT)
    mark = emulator.mark()
    out = run_module(
        "sso_saml_app",
        {"name": NAME, "enabled": False, "acs_url": "https://us-west-2.signin.aws.amazon.com/saml"},
        account=ROOT_ACCOUNT,
        diff=True,
    )
    assert out.result["changed"] is True
    assert out.result["diff"]["before"]["status"] == "ENABLED"
    assert out.result["diff"]["after"]["status"] == "DISABLED"
    assert sorted(writes(emulator, mark)) == [
        "UpdateApplicationInstanceServiceProviderConfiguration",
        "UpdateApplicationInstanceStatus",
    ]


def test_check_mode_update_makes_no_write_and_shows_the_change(run_module, emulator, aws):
    made = run_module("sso_saml_app", {"name": NAME}, account=ROOT_ACCOUNT).result
    mark = emulator.mark()
    out = run_module(
        "sso_saml_app",
        {"name": NAME, "enabled": False, "description": "prod west"},
        account=ROOT_ACCOUNT,
        check=True,
        diff=True,
    )
    assert out.result["changed"] is True
    assert (out.result["diff"]["before"]["status"], out.result["diff"]["after"]["status"]) == ("ENABLED", "DISABLED")
    assert out.result["diff"]["after"]["description"] == "prod west"
    assert writes(emulator, mark) == []
    _status, body = signed_control_call(
        emulator.endpoint, aws(ROOT_ACCOUNT), "GetApplicationInstance", {"instanceId": made["instance_id"]}
    )
    assert body["applicationInstance"]["status"] == "ENABLED"


def test_check_mode_absent_makes_no_write_and_shows_the_removal(run_module, emulator, client_for):
    made = run_module("sso_saml_app", {"name": NAME}, account=ROOT_ACCOUNT).result
    mark = emulator.mark()
    out = run_module("sso_saml_app", {"name": NAME, "state": "absent"}, account=ROOT_ACCOUNT, check=True, diff=True)
    assert out.result["changed"] is True
    assert out.result["diff"]["before"]["name"] == NAME and out.result["diff"]["after"] == {}
    assert writes(emulator, mark) == []
    listed = client_for("sso-admin", ROOT_ACCOUNT).list_applications(InstanceArn=IDC_INSTANCE_ARN)["Applications"]
    assert [a["ApplicationArn"] for a in listed] == [made["application_arn"]]


def made_by_console_api(emulator, aws, configured: bool) -> str:
    """An app of NAME made through the console API: as the console makes one (with its ACS URL and audience,
    which the console's form asks for), or as CreateApplicationInstance alone leaves it. Its ins- id."""
    _status, body = signed_control_call(
        emulator.endpoint,
        aws(ROOT_ACCOUNT),
        "CreateApplicationInstance",
        {"templateId": "tpl-50e590700beb5208", "name": NAME},
    )
    instance_id = body["applicationInstance"]["instanceId"]
    if configured:
        config = {
            "audience": "https://example.com/saml",
            "consumers": [
                {
                    "location": "https://example.com/saml/acs",
                    "binding": "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST",
                    "defaultValue": False,
                }
            ],
        }
        signed_control_call(
            emulator.endpoint,
            aws(ROOT_ACCOUNT),
            "UpdateApplicationInstanceServiceProviderConfiguration",
            {"instanceId": instance_id, "serviceProviderConfig": config},
        )
    return instance_id


def test_existing_app_is_adopted_without_claiming_it(run_module, emulator, aws):
    made_by_console_api(emulator, aws, configured=True)
    out = run_module("sso_saml_app", {"name": NAME}, account=ROOT_ACCOUNT)
    assert out.result["adopted"] is True
    refused = run_module("sso_saml_app", {"name": NAME, "state": "absent"}, account=ROOT_ACCOUNT)
    assert refused.failed and "not created by this collection" in refused.msg
    assert (
        run_module("sso_saml_app", {"name": NAME, "state": "absent", "force": True}, account=ROOT_ACCOUNT).result[
            "changed"
        ]
        is True
    )


def test_an_app_created_but_never_configured_is_claimed_as_one_a_cut_short_run_made(
    run_module, emulator, aws, client_for
):
    """A run killed between CreateApplicationInstance and TagResource leaves this app: the next run claims it."""
    made_by_console_api(emulator, aws, configured=False)
    check = run_module("sso_saml_app", {"name": NAME}, account=ROOT_ACCOUNT, check=True)
    assert check.result["changed"] is True and check.result["adopted"] is False
    arn = check.result["application_arn"]
    sso = client_for("sso-admin", ROOT_ACCOUNT)
    assert (
        sso.list_tags_for_resource(InstanceArn=IDC_INSTANCE_ARN, ResourceArn=arn)["Tags"] == []
    )  # check mode wrote nothing
    out = run_module("sso_saml_app", {"name": NAME}, account=ROOT_ACCOUNT)
    assert (out.result["changed"], out.result["adopted"], out.result["application_arn"]) == (True, False, arn)
    tags = sso.list_tags_for_resource(InstanceArn=IDC_INSTANCE_ARN, ResourceArn=arn)["Tags"]
    assert {"Key": "managed-by", "Value": "connect_sso.federation"} in tags
    # ours now: deleting it needs no force
    assert run_module("sso_saml_app", {"name": NAME, "state": "absent"}, account=ROOT_ACCOUNT).result["changed"] is True


def test_two_apps_with_the_same_name_is_an_error_listing_both(run_module, emulator, aws):
    ids = []
    for _copy in range(2):
        _status, body = signed_control_call(
            emulator.endpoint,
            aws(ROOT_ACCOUNT),
            "CreateApplicationInstance",
            {"templateId": "tpl-50e590700beb5208", "name": NAME},
        )
        ids.append("apl-" + body["applicationInstance"]["instanceId"][4:])
    out = run_module("sso_saml_app", {"name": NAME}, account=ROOT_ACCOUNT)
    assert out.failed
    assert f"name={NAME!r}: more than one SAML application has this display name" in out.msg
    assert all(app_id in out.msg for app_id in ids)


def test_absent_removes_assignments_then_profiles_then_the_app(run_module, emulator, client_for):
    created = run_module("sso_saml_app", {"name": NAME}, account=ROOT_ACCOUNT).result
    sso = client_for("sso-admin", ROOT_ACCOUNT)
    group = emulator.topology()["idc"]["groups"][0]["group_id"]
    sso.create_application_assignment(
        ApplicationArn=created["application_arn"], PrincipalId=group, PrincipalType="GROUP"
    )
    mark = emulator.mark()
    out = run_module("sso_saml_app", {"name": NAME, "state": "absent"}, account=ROOT_ACCOUNT)
    assert out.result["changed"] is True
    assert writes(emulator, mark) == ["DeleteApplicationAssignment", "DeleteProfile", "DeleteApplicationInstance"]
    assert sso.list_applications(InstanceArn=IDC_INSTANCE_ARN)["Applications"] == []
    assert (
        run_module("sso_saml_app", {"name": NAME, "state": "absent"}, account=ROOT_ACCOUNT).result["changed"] is False
    )


def test_manual_mode_makes_no_control_api_call(run_module, emulator):
    mark = emulator.mark()
    out = run_module("sso_saml_app", {"name": NAME, "control_api": False}, account=ROOT_ACCOUNT)
    assert not out.failed, out.msg
    assert control_calls(emulator, mark) == []
    assert out.result["application_arn"] is None
    assert "Display name: AmazonConnect-PROD-us-west-2" in out.result["manual_steps"]
    assert any("https://signin.aws.amazon.com/saml" in step for step in out.result["manual_steps"])
    assert "the application does not exist yet" in out.result["unverified"]


def test_manual_mode_finds_an_existing_app_and_its_metadata(run_module, emulator):
    made = run_module("sso_saml_app", {"name": NAME}, account=ROOT_ACCOUNT).result
    mark = emulator.mark()
    out = run_module("sso_saml_app", {"name": NAME, "control_api": False}, account=ROOT_ACCOUNT)
    assert control_calls(emulator, mark) == []
    assert out.result["application_arn"] == made["application_arn"]
    assert out.result["metadata_url"] == made["metadata_url"]
    assert out.result["certificates"] == made["certificates"]


def test_throttled_control_api_still_converges(run_module, emulator):
    emulator.add_fault("*", "throttle", service="sso-control", count=2)
    out = run_module("sso_saml_app", {"name": NAME}, account=ROOT_ACCOUNT)
    assert not out.failed, out.msg
    assert [f["fired"] for f in emulator.faults()] == [2]
    assert run_module("sso_saml_app", {"name": NAME}, account=ROOT_ACCOUNT).result["changed"] is False


def test_region_without_idc_is_a_clear_error(run_module):
    out = run_module("sso_saml_app", {"name": NAME}, account=ROOT_ACCOUNT, region="us-west-2")
    assert out.failed
    assert "region='us-west-2': no IAM Identity Center instance is visible" in out.msg


def test_member_account_has_no_idc_instance(run_module):
    out = run_module("sso_saml_app", {"name": NAME}, account=ACCOUNTS["dev"])
    assert "no IAM Identity Center instance is visible" in out.msg


@pytest.mark.parametrize(
    "args, fragment",
    [
        ({"name": "x" * 101}, "an application display name is 1 to 100 characters"),
        ({"name": NAME, "acs_url": "http://signin.aws.amazon.com/saml"}, "acs_url='http://signin.aws.amazon.com/saml'"),
        (
            {"name": NAME, "acs_url": "https://sso.example.com/saml"},
            "acs_url='https://sso.example.com/saml': an ACS URL is https://<AWS sign-in host>/saml",
        ),
    ],
)
def test_bad_inputs_fail_before_any_call(run_module, emulator, args, fragment):
    mark = emulator.mark()
    out = run_module("sso_saml_app", args, account=ROOT_ACCOUNT)
    assert out.failed and fragment in out.msg
    assert [r for r in emulator.requests(since=mark) if r["service"].startswith("sso")] == []


def test_missing_control_api_permission_names_the_action_without_a_traceback(run_module, emulator):
    emulator.config(control_api_denied_operations=["CreateApplicationInstance"])
    mark = emulator.mark()
    out = run_module("sso_saml_app", {"name": NAME}, account=ROOT_ACCOUNT, through_playbook=True)
    assert out.failed
    assert (
        f"the caller may not call sso:CreateApplicationInstance in us-east-1 (User: arn:aws:sts::{ROOT_ACCOUNT}:"
        in (out.msg)
    )
    assert "Grant sso:CreateApplicationInstance" in out.msg and "control_api: false" in out.msg
    assert "Traceback" not in out.output
    refused = [(r["operation"], r["error_code"]) for r in emulator.writes(since=mark) if r["service"] == "sso-control"]
    assert refused == [("CreateApplicationInstance", "AccessDeniedException")]  # asked once, not retried
    assert [r for r in emulator.writes(since=mark) if r["status"] < 400] == []
