"""The IdC console API (/control/): operations, shapes, validation, errors."""

from __future__ import annotations

import base64

import pytest

from emulator.client import signed_control_call
from emulator.sandbox import ACCOUNTS, IDC_REGION, ROOT_ACCOUNT

TEMPLATE = "tpl-50e590700beb5208"
SP_CONFIG = {
    "audience": "urn:amazon:webservices",
    "consumers": [
        {
            "location": "https://signin.aws.amazon.com/saml",
            "binding": "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST",
            "defaultValue": False,
        }
    ],
    "requireRequestSignature": False,
}
RESPONSE_CONFIG = {
    "subject": {"source": ["${user:email}"]},
    "properties": {
        "https://aws.amazon.com/SAML/Attributes/RoleSessionName": {"source": ["${user:email}"]},
        "https://aws.amazon.com/SAML/Attributes/Role": {
            "source": ["arn:aws:iam::222222222222:role/R,arn:aws:iam::222222222222:saml-provider/P"]
        },
    },
    "ttl": "PT1H",
    "relayState": "https://us-east-1.console.aws.amazon.com/connect/federate/886e71b0-0615-535b-9208-acad61c9d55d",
}
SCHEMA_CONFIG = {
    "subject": {"include": "REQUIRED", "nameIdFormat": "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"},
    "properties": {
        "https://aws.amazon.com/SAML/Attributes/RoleSessionName": {
            "attrNameFormat": "urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified",
            "include": "YES",
        }
    },
}


@pytest.fixture
def control(emulator, aws):
    root = aws(ROOT_ACCOUNT, IDC_REGION)

    def call(operation: str, body: object = None, session=root, region: str = IDC_REGION, **kwargs):
        return signed_control_call(
            emulator.endpoint, session, operation, {} if body is None else body, region, **kwargs
        )

    return call


@pytest.fixture
def app(control):
    status, body = control("CreateApplicationInstance", {"templateId": TEMPLATE, "name": "AmazonConnect-DEV-us-east-1"})
    assert status == 200, body
    return body["applicationInstance"]


def test_create_returns_the_published_shape(app, emulator):
    assert app["instanceId"].startswith("ins-") and len(app["instanceId"]) == 20
    assert app["display"]["displayName"] == "AmazonConnect-DEV-us-east-1"
    assert app["template"] == {"sSOProtocol": "SAML", "templateId": TEMPLATE}
    token = app["identityProviderConfig"]["metadataUrl"].rsplit("/", 1)[1]
    assert base64.b64decode(token).decode() == f"{ROOT_ACCOUNT}_{app['instanceId']}"
    assert app["identityProviderConfig"]["metadataUrl"] == f"{emulator.endpoint}/saml/metadata/{token}"
    assert (
        app["identityProviderConfig"]["issuerUrl"]
        == f"https://portal.sso.us-east-1.amazonaws.com/saml/assertion/{token}"
    )
    assert "responseConfig" not in app


def test_app_is_also_a_public_application(app, client_for):
    sso = client_for("sso-admin", ROOT_ACCOUNT)
    instance_arn = sso.list_instances()["Instances"][0]["InstanceArn"]
    [listed] = sso.list_applications(InstanceArn=instance_arn)["Applications"]
    assert listed["ApplicationArn"].endswith("/apl-" + app["instanceId"][4:])
    assert listed["ApplicationProviderArn"] == "arn:aws:sso::aws:applicationProvider/custom-saml"
    assert sso.describe_application(ApplicationArn=listed["ApplicationArn"])["Name"] == "AmazonConnect-DEV-us-east-1"


def test_configuration_round_trips_and_get_hides_response_config_by_default(control, app, emulator):
    instance_id = app["instanceId"]
    for operation, key, value in [
        ("UpdateApplicationInstanceServiceProviderConfiguration", "serviceProviderConfig", SP_CONFIG),
        ("UpdateApplicationInstanceResponseConfiguration", "responseConfig", RESPONSE_CONFIG),
        ("UpdateApplicationInstanceResponseSchemaConfiguration", "responseSchemaConfig", SCHEMA_CONFIG),
    ]:
        assert control(operation, {"instanceId": instance_id, key: value}) == (200, {})
    assert control("UpdateApplicationInstanceStatus", {"instanceId": instance_id, "status": "ENABLED"})[0] == 200
    assert control("UpdateApplicationInstanceDisplayData", {"instanceId": instance_id, "description": "dev"})[0] == 200
    got = control("GetApplicationInstance", {"instanceId": instance_id})[1]["applicationInstance"]
    assert got["serviceProviderConfig"] == SP_CONFIG
    assert (got["status"], got["display"]["description"]) == ("ENABLED", "dev")
    assert "responseConfig" not in got and "responseSchemaConfig" not in got
    emulator.config(get_application_instance_includes_response_config=True)
    got = control("GetApplicationInstance", {"instanceId": instance_id})[1]["applicationInstance"]
    assert got["responseConfig"] == RESPONSE_CONFIG
    assert got["responseSchemaConfig"] == SCHEMA_CONFIG


def test_list_application_instances(control, app):
    assert [a["instanceId"] for a in control("ListApplicationInstances")[1]["applicationInstances"]] == [
        app["instanceId"]
    ]


def test_certificates_are_listed_with_one_active(control, app):
    [certificate] = control("ListApplicationInstanceCertificates", {"instanceId": app["instanceId"]})[1]["certificates"]
    assert certificate["status"] == "ACTIVE" and len(certificate["thumbprint"]) == 40


@pytest.mark.parametrize(
    "operation, body, code",
    [
        ("CreateApplicationInstance", {"templateId": "tpl-0000000000000000", "name": "x"}, "ValidationException"),
        ("CreateApplicationInstance", {"name": "x"}, "ValidationException"),
        ("CreateApplicationInstance", {"templateId": TEMPLATE, "name": "x", "extra": 1}, "ValidationException"),
        ("GetApplicationInstance", {"instanceId": "ins-0000000000000000"}, "ResourceNotFoundException"),
        ("GetApplicationInstance", {"instanceId": 7}, "ValidationException"),
        ("DeleteApplicationInstance", {"instanceId": "ins-0000000000000000"}, "ResourceNotFoundException"),
        ("MadeUpOperation", {}, "UnknownOperationException"),
        ("GetApplicationInstance", b"{not json", "SerializationException"),
    ],
)
def test_bad_requests_get_aws_errors(control, operation, body, code):
    status, answer = control(operation, body)
    assert (status, answer["__type"]) == (400, code)
    assert answer["message"]


@pytest.mark.parametrize(
    "key, value",
    [
        ("responseConfig", {**RESPONSE_CONFIG, "ttl": "PT13H"}),
        ("responseConfig", {**RESPONSE_CONFIG, "ttl": "1 hour"}),
        ("responseConfig", {**RESPONSE_CONFIG, "subject": {"source": ["${user:shoeSize}"]}}),
        ("responseConfig", {**RESPONSE_CONFIG, "relayState": "ftp://x"}),
        ("serviceProviderConfig", {**SP_CONFIG, "consumers": [{"location": "http://x", "binding": "urn:oasis:x"}]}),
        ("serviceProviderConfig", {"consumers": SP_CONFIG["consumers"]}),
        ("responseSchemaConfig", {"subject": {"include": "MAYBE", "nameIdFormat": "urn:oasis:x"}}),
    ],
)
def test_invalid_configuration_is_a_validation_exception(control, app, key, value):
    operation = {
        "responseConfig": "UpdateApplicationInstanceResponseConfiguration",
        "serviceProviderConfig": "UpdateApplicationInstanceServiceProviderConfiguration",
        "responseSchemaConfig": "UpdateApplicationInstanceResponseSchemaConfiguration",
    }[key]
    status, answer = control(operation, {"instanceId": app["instanceId"], key: value})
    assert (status, answer["__type"]) == (400, "ValidationException")


def test_unsigned_or_wrongly_scoped_requests_are_refused(control, app):
    assert control("ListApplicationInstances", session=None)[1]["__type"] == "MissingAuthenticationTokenException"
    status, answer = control("ListApplicationInstances", signing_name="sts")
    assert (status, answer["__type"]) == (403, "InvalidSignatureException")


def test_member_account_or_other_region_has_no_idc_instance(control, aws):
    status, answer = control("ListApplicationInstances", session=aws(ACCOUNTS["dev"]))
    assert (status, answer["__type"]) == (400, "ResourceNotFoundException")
    status, answer = control("ListApplicationInstances", session=aws(ROOT_ACCOUNT, "us-west-2"), region="us-west-2")
    assert answer["__type"] == "ResourceNotFoundException"


def test_delete_needs_assignments_then_profiles_removed_first(control, app, client_for, emulator):
    sso = client_for("sso-admin", ROOT_ACCOUNT)
    arn = sso.list_applications(InstanceArn=sso.list_instances()["Instances"][0]["InstanceArn"])["Applications"][0][
        "ApplicationArn"
    ]
    group = emulator.topology()["idc"]["groups"][0]["group_id"]
    sso.create_application_assignment(ApplicationArn=arn, PrincipalId=group, PrincipalType="GROUP")
    [profile] = control("ListProfiles", {"instanceId": app["instanceId"]})[1]["applicationProfiles"]
    assert control("DeleteApplicationInstance", {"instanceId": app["instanceId"]})[1]["__type"] == "ConflictException"
    sso.delete_application_assignment(ApplicationArn=arn, PrincipalId=group, PrincipalType="GROUP")
    assert control("DeleteProfile", {"instanceId": app["instanceId"], "profileId": profile["profileId"]})[0] == 200
    assert control("DeleteApplicationInstance", {"instanceId": app["instanceId"]}) == (200, {})
    assert control("ListApplicationInstances")[1]["applicationInstances"] == []


def test_control_calls_are_logged_as_reads_and_writes(control, app, emulator):
    mark = emulator.mark()
    control("GetApplicationInstance", {"instanceId": app["instanceId"]})
    control("UpdateApplicationInstanceStatus", {"instanceId": app["instanceId"], "status": "ENABLED"})
    rows = [(r["service"], r["operation"], r["account"], r["write"]) for r in emulator.requests(since=mark)]
    assert rows == [
        ("sso-control", "GetApplicationInstance", ROOT_ACCOUNT, False),
        ("sso-control", "UpdateApplicationInstanceStatus", ROOT_ACCOUNT, True),
    ]


def test_throttling_can_be_injected_on_the_control_api(control, app, emulator):
    emulator.add_fault("GetApplicationInstance", "throttle", service="sso-control", count=1)
    status, answer = control("GetApplicationInstance", {"instanceId": app["instanceId"]})
    assert (status, answer["__type"]) == (400, "ThrottlingException")
    assert control("GetApplicationInstance", {"instanceId": app["instanceId"]})[0] == 200
