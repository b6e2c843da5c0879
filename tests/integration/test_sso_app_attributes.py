"""sso_app_attributes through ansible-playbook against the emulator, both comparison modes."""

from __future__ import annotations

import pytest

from emulator.client import signed_control_call
from emulator.sandbox import ACCOUNTS, INSTANCES, ROOT_ACCOUNT

pytestmark = pytest.mark.slow
PROD = ACCOUNTS["prod"]
PROD_WEST = next(i for i in INSTANCES if i.host == "prod-west")
APP = "AmazonConnect-PROD-us-west-2"
ROLE = f"arn:aws:iam::{PROD}:role/AmazonConnect_PROD_us-west-2_Role"
PROVIDER = f"arn:aws:iam::{PROD}:saml-provider/AWSSSO_PROD_us-west-2_Connect"
ROLE_ATTR = "https://aws.amazon.com/SAML/Attributes/Role"
SESSION_ATTR = "https://aws.amazon.com/SAML/Attributes/RoleSessionName"
PARTIAL = ["responseConfig.ttl", "responseConfig.relayState"]  # what AWS may not show (inferred names)


@pytest.fixture
def app(run_module):
    out = run_module("sso_saml_app", {"name": APP}, account=ROOT_ACCOUNT)
    assert not out.failed, out.msg
    return out.result


@pytest.fixture(params=["configuration", "digest"])
def mode(request, emulator):
    """Run each test with the API showing the mappings, and with the published shape only."""
    emulator.config(get_application_instance_includes_response_config=request.param == "configuration")
    return request.param


def args(**overrides) -> dict:
    return {
        "app": APP,
        "role_pairs": [{"role_arn": ROLE, "provider_arn": PROVIDER}],
        "instance_arn": PROD_WEST.arn,
        **overrides,
    }


def control_writes(emulator, mark):
    return [r["operation"] for r in emulator.writes(since=mark) if r["service"] in ("sso-control", "sso-admin")]


def get_config(emulator, aws, instance_id):
    emulator.config(get_application_instance_includes_response_config=True)
    _status, body = signed_control_call(
        emulator.endpoint, aws(ROOT_ACCOUNT), "GetApplicationInstance", {"instanceId": instance_id}
    )
    return body["applicationInstance"]


def test_sets_mappings_then_rerun_makes_no_write(run_module, emulator, aws, app, mode):
    out = run_module("sso_app_attributes", args(), account=ROOT_ACCOUNT)
    assert not out.failed, out.msg
    # a new app shows no configuration yet: nothing to compare but the (missing) digest
    assert (out.result["changed"], out.result["compared_by"]) == (True, "digest")
    assert out.result["relay_state"] == f"https://us-west-2.console.aws.amazon.com/connect/federate/{PROD_WEST.id}"
    mark = emulator.mark()
    again = run_module("sso_app_attributes", args(), account=ROOT_ACCOUNT)
    assert (again.result["changed"], again.result["compared_by"]) == (False, mode)
    assert control_writes(emulator, mark) == []
    stored = get_config(emulator, aws, app["instance_id"])["responseConfig"]
    assert stored["properties"][ROLE_ATTR]["source"] == [f"{ROLE},{PROVIDER}"]
    assert stored["properties"]["https://aws.amazon.com/SAML/Attributes/RoleSessionName"]["source"] == ["${user:email}"]
    assert (stored["ttl"], stored["relayState"]) == ("PT1H", out.result["relay_state"])


def test_check_mode_makes_no_write(run_module, emulator, app, mode):
    mark = emulator.mark()
    out = run_module("sso_app_attributes", args(), account=ROOT_ACCOUNT, check=True, diff=True)
    assert out.result["changed"] is True
    assert control_writes(emulator, mark) == []


def test_check_mode_before_the_app_exists_reports_a_pending_change(run_module, emulator):
    mark = emulator.mark()
    out = run_module("sso_app_attributes", args(), account=ROOT_ACCOUNT, check=True, diff=True)
    assert not out.failed, out.msg
    assert out.result["changed"] is True
    assert out.result["pending"] == "created once the IdC application exists"
    assert out.result["after"]["responseConfig"]["relayState"] == out.result["relay_state"]
    assert emulator.writes(since=mark) == []
    by_id = run_module("sso_app_attributes", args(app="ins-0123456789abcdef"), account=ROOT_ACCOUNT, check=True)
    assert by_id.failed and "app='ins-0123456789abcdef': no IAM Identity Center SAML application" in by_id.msg


def test_changed_input_is_written(run_module, emulator, app, mode):
    run_module("sso_app_attributes", args(), account=ROOT_ACCOUNT)
    mark = emulator.mark()
    out = run_module(
        "sso_app_attributes", args(session_duration="PT8H", relay_destination="/agent-app-v2"), account=ROOT_ACCOUNT
    )
    assert out.result["changed"] is True
    assert out.result["relay_state"].endswith("?destination=%2Fagent-app-v2")
    assert sorted(control_writes(emulator, mark)) == [
        "TagResource",
        "UpdateApplicationInstanceResponseConfiguration",
        "UpdateApplicationInstanceResponseSchemaConfiguration",
    ]


def test_drift_is_repaired_when_the_api_shows_it(run_module, emulator, aws, app):
    emulator.config(get_application_instance_includes_response_config=True)
    run_module("sso_app_attributes", args(), account=ROOT_ACCOUNT)
    shape = get_config(emulator, aws, app["instance_id"])
    drifted = dict(
        shape["responseConfig"],
        relayState="https://us-east-1.console.aws.amazon.com/connect/federate/" + INSTANCES[0].id,
        properties=dict(shape["responseConfig"]["properties"], **{SESSION_ATTR: {"source": ["${user:name}"]}}),
    )
    signed_control_call(
        emulator.endpoint,
        aws(ROOT_ACCOUNT),
        "UpdateApplicationInstanceResponseConfiguration",
        {"instanceId": app["instance_id"], "responseConfig": drifted},
    )
    out = run_module("sso_app_attributes", args(), account=ROOT_ACCOUNT, diff=True)
    assert out.result["changed"] is True
    assert out.result["before"]["responseConfig"]["relayState"] == drifted["relayState"]
    assert out.result["before"]["responseConfig"]["properties"][SESSION_ATTR]["source"] == ["${user:name}"]
    repaired = get_config(emulator, aws, app["instance_id"])["responseConfig"]
    assert repaired["relayState"] == out.result["relay_state"]
    assert repaired["properties"][SESSION_ATTR]["source"] == ["${user:email}"]


def test_partial_answer_second_run_makes_no_write(run_module, emulator, app):
    emulator.config(get_application_instance_includes_response_config=True, get_application_instance_omits=PARTIAL)
    first = run_module("sso_app_attributes", args(), account=ROOT_ACCOUNT)
    assert not first.failed, first.msg
    assert first.result["changed"] is True
    mark = emulator.mark()
    again = run_module("sso_app_attributes", args(), account=ROOT_ACCOUNT)
    assert (again.result["changed"], again.result["compared_by"]) == (False, "partial")
    assert again.result["unverified"] == ["session duration", "relay state"]
    assert control_writes(emulator, mark) == []


def test_partial_answer_still_repairs_a_visible_field(run_module, emulator, aws, app):
    emulator.config(get_application_instance_includes_response_config=True, get_application_instance_omits=PARTIAL)
    run_module("sso_app_attributes", args(), account=ROOT_ACCOUNT)
    stored = get_config(emulator, aws, app["instance_id"])["responseConfig"]
    drifted = dict(stored, properties=dict(stored["properties"], **{SESSION_ATTR: {"source": ["${user:name}"]}}))
    signed_control_call(
        emulator.endpoint,
        aws(ROOT_ACCOUNT),
        "UpdateApplicationInstanceResponseConfiguration",
        {"instanceId": app["instance_id"], "responseConfig": drifted},
    )
    emulator.config(get_application_instance_omits=PARTIAL)
    mark = emulator.mark()
    out = run_module("sso_app_attributes", args(), account=ROOT_ACCOUNT)
    assert out.result["changed"] is True
    assert "UpdateApplicationInstanceResponseConfiguration" in control_writes(emulator, mark)
    emulator.config(get_application_instance_omits=[])
    assert get_config(emulator, aws, app["instance_id"])["responseConfig"]["properties"][SESSION_ATTR]["source"] == [
        "${user:email}"
    ]


def test_provider_first_pair_counts_as_the_same(run_module, emulator, aws, app):
    emulator.config(get_application_instance_includes_response_config=True)
    out = run_module("sso_app_attributes", args(), account=ROOT_ACCOUNT)
    response = dict(out.result["after"]["responseConfig"])
    response["properties"] = dict(response["properties"], **{ROLE_ATTR: {"source": [f"{PROVIDER},{ROLE}"]}})
    signed_control_call(
        emulator.endpoint,
        aws(ROOT_ACCOUNT),
        "UpdateApplicationInstanceResponseConfiguration",
        {"instanceId": app["instance_id"], "responseConfig": response},
    )
    mark = emulator.mark()
    assert run_module("sso_app_attributes", args(), account=ROOT_ACCOUNT).result["changed"] is False
    assert control_writes(emulator, mark) == []


def test_app_named_by_id_and_by_arn(run_module, app):
    by_id = run_module("sso_app_attributes", args(app=app["application_arn"].rsplit("/", 1)[1]), account=ROOT_ACCOUNT)
    assert not by_id.failed, by_id.msg
    by_arn = run_module("sso_app_attributes", args(app=app["application_arn"]), account=ROOT_ACCOUNT)
    assert by_arn.result["changed"] is False
    by_instance_id = run_module("sso_app_attributes", args(app=app["instance_id"]), account=ROOT_ACCOUNT)
    assert not by_instance_id.failed, by_instance_id.msg
    assert by_instance_id.result["changed"] is False


def test_manual_mode_returns_console_steps_without_control_calls(run_module, emulator, app):
    mark = emulator.mark()
    out = run_module("sso_app_attributes", args(control_api=False), account=ROOT_ACCOUNT)
    assert [r for r in emulator.requests(since=mark) if r["service"] == "sso-control"] == []
    assert (
        f"Add new attribute mapping: {ROLE_ATTR} = {ROLE},{PROVIDER}  format: unspecified" in out.result["manual_steps"]
    )
    assert out.result["changed"] is False
    assert out.result["unverified"] == [
        "subject",
        "attribute mappings",
        "session duration",
        "relay state",
        "subject format",
        "attribute formats",
    ]


def test_throttled_control_api_still_converges(run_module, emulator, app):
    emulator.add_fault("UpdateApplicationInstanceResponseConfiguration", "throttle", service="sso-control", count=2)
    out = run_module("sso_app_attributes", args(), account=ROOT_ACCOUNT)
    assert not out.failed, out.msg
    assert [f["fired"] for f in emulator.faults()] == [2]
    assert run_module("sso_app_attributes", args(), account=ROOT_ACCOUNT).result["changed"] is False


@pytest.mark.parametrize(
    "overrides, fragment",
    [
        (
            {"role_pairs": [{"role_arn": "arn:aws:iam::444444444444:user/x", "provider_arn": PROVIDER}]},
            "role_pairs[0].role_arn='arn:aws:iam::444444444444:user/x': is not a role ARN",
        ),
        (
            {"role_pairs": [{"role_arn": ROLE, "provider_arn": PROVIDER.replace("arn:aws:", "arn:aws-us-gov:")}]},
            f"role_pairs[0].provider_arn='{PROVIDER.replace('arn:aws:', 'arn:aws-us-gov:')}': is in partition "
            "aws-us-gov, but the target is in partition aws",
        ),
        (
            {
                "role_pairs": [
                    {
                        "role_arn": ROLE.replace("arn:aws:", "arn:aws-us-gov:"),
                        "provider_arn": PROVIDER.replace("arn:aws:", "arn:aws-us-gov:"),
                    }
                ]
            },
            f"role_pairs[0].role_arn='{ROLE.replace('arn:aws:', 'arn:aws-us-gov:')}': is in partition aws-us-gov, "
            "but the IAM Identity Center application is in partition aws",
        ),
        (
            {"role_pairs": [{"role_arn": ROLE, "provider_arn": PROVIDER.replace(PROD, ACCOUNTS["qa"])}]},
            "but its role is in 444444444444",
        ),
        ({"session_duration": "PT13H"}, "session_duration='PT13H': IAM Identity Center allows PT15M to PT12H"),
        ({"session_duration": "8 hours"}, "must be an ISO-8601 duration"),
        (
            {"role_session_name": "${user:mail}"},
            "role_session_name='${user:mail}': ${user:mail} is not an IAM Identity Center attribute",
        ),
        (
            {"instance_arn": None, "relay_state": "https://example.com/connect/federate/" + PROD_WEST.id},
            "must be on an AWS console host",
        ),
        (
            {"instance_arn": None, "relay_state": f"https://console.aws.amazon.com/connect/federate/{PROD_WEST.id}"},
            "use the regional console host",
        ),
        ({"app": "NoSuchApp"}, "app='NoSuchApp': no IAM Identity Center SAML application has this name or id"),
        (
            {"role_pairs": [{"role_arn": ROLE, "provider_arn": "arn:aws:iam::4444:saml-provider/x"}]},
            "role_pairs[0].provider_arn='arn:aws:iam::4444:saml-provider/x': the account id must be 12 digits",
        ),
        (
            {
                "instance_arn": None,
                "relay_state": f"http://us-west-2.console.aws.amazon.com/connect/federate/{PROD_WEST.id}",
            },
            f"relay_state='http://us-west-2.console.aws.amazon.com/connect/federate/{PROD_WEST.id}': "
            "must be an https URL",
        ),
        ({"session_duration": "PT14M"}, "session_duration='PT14M': IAM Identity Center allows PT15M to PT12H"),
        (
            {"subject": "${user:emial}"},
            "subject='${user:emial}': ${user:emial} is not an IAM Identity Center attribute",
        ),
        (
            {"attributes": {"https://aws.amazon.com/SAML/Attributes/SessionDuration": "${user:duration}"}},
            "attributes.https://aws.amazon.com/SAML/Attributes/SessionDuration='${user:duration}': "
            "${user:duration} is not an IAM Identity Center attribute",
        ),
    ],
)
def test_bad_inputs_fail_before_any_write(run_module, emulator, app, overrides, fragment):
    mark = emulator.mark()
    out = run_module(
        "sso_app_attributes", {k: v for k, v in args(**overrides).items() if v is not None}, account=ROOT_ACCOUNT
    )
    assert out.failed
    assert fragment in out.msg
    assert control_writes(emulator, mark) == []
