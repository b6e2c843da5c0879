"""The IdC console API (/control/): operations, shapes, validation, authentication, errors."""

from __future__ import annotations

import base64
import datetime
import json
import urllib.error
import urllib.request

import botocore.auth
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from emulator.client import AdminError
from emulator.sandbox import ACCOUNTS, IDC_INSTANCE_ARN, IDC_REGION, ROOT_ACCOUNT

TEMPLATE = "tpl-50e590700beb5208"
ACS = "https://signin.aws.amazon.com/saml"
POST_BINDING = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
SP_CONFIG = {
    "audience": "urn:amazon:webservices",
    "consumers": [{"location": ACS, "binding": POST_BINDING, "defaultValue": False}],
    "requireRequestSignature": False,
}
RELAY = "https://us-east-1.console.aws.amazon.com/connect/federate/886e71b0-0615-535b-9208-acad61c9d55d"
RESPONSE_CONFIG = {
    "subject": {"source": ["${user:email}"]},
    "properties": {
        "https://aws.amazon.com/SAML/Attributes/RoleSessionName": {"source": ["${user:email}"]},
        "https://aws.amazon.com/SAML/Attributes/Role": {
            "source": ["arn:aws:iam::222222222222:role/R,arn:aws:iam::222222222222:saml-provider/P"]
        },
    },
    "ttl": "PT1H",
    "relayState": RELAY,
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


def signed_post(
    endpoint: str,
    credentials: Credentials | None,
    target: str,
    body: object,
    region: str = IDC_REGION,
    service: str = "sso",
    sent_body: bytes | None = None,
    method: str = "POST",
) -> tuple[int, str, dict]:
    """POST one request to /control/, SigV4-signed for `service` (unsigned without credentials).
    sent_body: send these bytes instead of the signed ones. Returns (status, content type, JSON)."""
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    headers = {"Content-Type": "application/x-amz-json-1.1"}
    if target:
        headers["X-Amz-Target"] = target
    request = AWSRequest(method=method, url=f"{endpoint}/control/", data=data, headers=headers)
    if credentials is not None:
        SigV4Auth(credentials, service, region).add_auth(request)
    prepared = urllib.request.Request(
        request.url, data=data if sent_body is None else sent_body, headers=dict(request.headers), method=method
    )
    try:
        with urllib.request.urlopen(prepared, timeout=30) as response:
            return response.status, response.headers["Content-Type"], json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], json.loads(error.read() or b"{}")


def credentials_of(session) -> Credentials:
    frozen = session.get_credentials().get_frozen_credentials()
    return Credentials(frozen.access_key, frozen.secret_key, frozen.token)


@pytest.fixture
def root_credentials(aws):
    return credentials_of(aws(ROOT_ACCOUNT, IDC_REGION))


@pytest.fixture
def control(emulator, root_credentials):
    """control(operation, body) -> (status, answer), as the root account in the IdC region."""

    def call(operation: str, body: object = None, credentials=root_credentials, region: str = IDC_REGION, **kwargs):
        status, _type, answer = signed_post(
            emulator.endpoint, credentials, f"SWBService.{operation}", {} if body is None else body, region, **kwargs
        )
        return status, answer

    return call


@pytest.fixture
def app(control):
    status, body = control("CreateApplicationInstance", {"templateId": TEMPLATE, "name": "AmazonConnect-DEV-us-east-1"})
    assert status == 200, body
    return body["applicationInstance"]


def error(answer: tuple[int, dict]) -> tuple[int, str]:
    status, body = answer
    assert body.get("message"), body
    return status, body["__type"]


def assign_first_group(client_for, emulator, instance_id: str) -> tuple[object, str, str]:
    sso = client_for("sso-admin", ROOT_ACCOUNT)
    arn = f"arn:aws:sso::{ROOT_ACCOUNT}:application/{IDC_INSTANCE_ARN.rsplit('/', 1)[1]}/apl-{instance_id[4:]}"
    group = emulator.topology()["idc"]["groups"][0]["group_id"]
    sso.create_application_assignment(ApplicationArn=arn, PrincipalId=group, PrincipalType="GROUP")
    return sso, arn, group


# --- the shapes -------------------------------------------------------------------------------------
def test_create_returns_the_published_shape_of_a_new_disabled_app(app, emulator):
    assert set(app) == {"instanceId", "display", "identityProviderConfig", "status", "template"}
    assert app["instanceId"].startswith("ins-") and len(app["instanceId"]) == 20
    assert app["display"] == {"displayName": "AmazonConnect-DEV-us-east-1"}
    assert app["status"] == "DISABLED"
    assert app["template"] == {"sSOProtocol": "SAML", "templateId": TEMPLATE}
    idp = app["identityProviderConfig"]
    token = idp["metadataUrl"].rsplit("/", 1)[1]
    assert base64.b64decode(token).decode() == f"{ROOT_ACCOUNT}_{app['instanceId']}"
    assert idp == {
        "metadataUrl": f"{emulator.endpoint}/saml/metadata/{token}",
        "issuerUrl": f"https://portal.sso.us-east-1.amazonaws.com/saml/assertion/{token}",
        "remoteLoginUrl": f"https://portal.sso.us-east-1.amazonaws.com/saml/assertion/{token}",
        "remoteLogoutUrl": f"https://portal.sso.us-east-1.amazonaws.com/saml/logout/{token}",
    }


def test_answers_are_json_1_1(emulator, root_credentials):
    status, content_type, _answer = signed_post(
        emulator.endpoint, root_credentials, "SWBService.ListApplicationInstances", {}
    )
    assert (status, content_type) == (200, "application/x-amz-json-1.1")


def test_configuration_round_trips_and_get_shows_response_config_only_with_the_switch(control, app, emulator):
    instance_id = app["instanceId"]
    for operation, key, value in [
        ("UpdateApplicationInstanceServiceProviderConfiguration", "serviceProviderConfig", SP_CONFIG),
        ("UpdateApplicationInstanceResponseConfiguration", "responseConfig", RESPONSE_CONFIG),
        ("UpdateApplicationInstanceResponseSchemaConfiguration", "responseSchemaConfig", SCHEMA_CONFIG),
    ]:
        assert control(operation, {"instanceId": instance_id, key: value}) == (200, {})
    assert control("UpdateApplicationInstanceStatus", {"instanceId": instance_id, "status": "ENABLED"}) == (200, {})
    got = control("GetApplicationInstance", {"instanceId": instance_id})[1]["applicationInstance"]
    assert got["serviceProviderConfig"] == SP_CONFIG
    assert got["status"] == "ENABLED"
    assert "responseConfig" not in got and "responseSchemaConfig" not in got
    emulator.config(get_application_instance_includes_response_config=True)
    got = control("GetApplicationInstance", {"instanceId": instance_id})[1]["applicationInstance"]
    assert (got["responseConfig"], got["responseSchemaConfig"]) == (RESPONSE_CONFIG, SCHEMA_CONFIG)


def test_with_the_switch_on_an_unconfigured_app_shows_empty_response_configs(control, app, emulator):
    emulator.config(get_application_instance_includes_response_config=True)
    got = control("GetApplicationInstance", {"instanceId": app["instanceId"]})[1]["applicationInstance"]
    assert (got["responseConfig"], got["responseSchemaConfig"]) == ({}, {})
    listed = control("ListApplicationInstances")[1]["applicationInstances"]
    assert listed[0]["responseConfig"] == {}


def test_with_omitted_fields_the_answer_shows_only_the_rest(control, app, emulator):
    instance_id = app["instanceId"]
    control(
        "UpdateApplicationInstanceResponseConfiguration", {"instanceId": instance_id, "responseConfig": RESPONSE_CONFIG}
    )
    control(
        "UpdateApplicationInstanceResponseSchemaConfiguration",
        {"instanceId": instance_id, "responseSchemaConfig": SCHEMA_CONFIG},
    )
    emulator.config(
        get_application_instance_includes_response_config=True,
        get_application_instance_omits=["responseConfig.ttl", "responseConfig.relayState"],
    )
    got = control("GetApplicationInstance", {"instanceId": instance_id})[1]["applicationInstance"]
    assert got["responseConfig"] == {k: v for k, v in RESPONSE_CONFIG.items() if k not in ("ttl", "relayState")}
    assert got["responseSchemaConfig"] == SCHEMA_CONFIG
    # only the answer is partial: the stored configuration keeps every field
    emulator.config(get_application_instance_omits=[])
    got = control("GetApplicationInstance", {"instanceId": instance_id})[1]["applicationInstance"]
    assert got["responseConfig"] == RESPONSE_CONFIG


def test_omitted_fields_setting_is_validated(emulator):
    with pytest.raises(AdminError, match="is not <document>.<field>"):
        emulator.config(get_application_instance_omits=["ttl"])
    with pytest.raises(AdminError, match="must be list"):
        emulator.config(get_application_instance_omits="responseConfig.ttl")
    assert emulator.config()["get_application_instance_omits"] == []


def test_denied_operation_answers_access_denied_naming_the_action(control, app, emulator):
    emulator.config(control_api_denied_operations=["UpdateApplicationInstanceStatus"])
    status, body = control("UpdateApplicationInstanceStatus", {"instanceId": app["instanceId"], "status": "ENABLED"})
    assert (status, body["__type"]) == (400, "AccessDeniedException")
    assert f"User: arn:aws:sts::{ROOT_ACCOUNT}:" in body["message"]
    assert (
        "is not authorized to perform: sso:UpdateApplicationInstanceStatus on resource: " + IDC_INSTANCE_ARN
        in (body["message"])
    )
    # other operations are still allowed, and the denied one changed nothing
    got = control("GetApplicationInstance", {"instanceId": app["instanceId"]})
    assert (got[0], got[1]["applicationInstance"]["status"]) == (200, "DISABLED")


def test_display_data_sets_and_clears_the_description(control, app):
    body = {"instanceId": app["instanceId"], "displayName": "Connect dev", "description": "dev east"}
    assert control("UpdateApplicationInstanceDisplayData", body) == (200, {})
    got = control("GetApplicationInstance", {"instanceId": app["instanceId"]})[1]["applicationInstance"]
    assert got["display"] == {"displayName": "Connect dev", "description": "dev east"}
    control("UpdateApplicationInstanceDisplayData", {"instanceId": app["instanceId"], "description": ""})
    got = control("GetApplicationInstance", {"instanceId": app["instanceId"]})[1]["applicationInstance"]
    assert got["display"] == {"displayName": "Connect dev"}


def test_list_application_instances_lists_saml_apps_only(control, app, client_for):
    sso = client_for("sso-admin", ROOT_ACCOUNT)
    sso.create_application(
        InstanceArn=IDC_INSTANCE_ARN, ApplicationProviderArn="arn:aws:sso::aws:applicationProvider/custom", Name="oauth"
    )
    listed = control("ListApplicationInstances")[1]
    assert [a["instanceId"] for a in listed["applicationInstances"]] == [app["instanceId"]]
    assert "marker" not in listed
    assert error(control("ListApplicationInstances", {"marker": "not-a-marker"})) == (400, "ValidationException")


def test_control_api_and_public_api_see_the_same_app(control, app, client_for):
    sso = client_for("sso-admin", ROOT_ACCOUNT)
    [listed] = sso.list_applications(InstanceArn=IDC_INSTANCE_ARN)["Applications"]
    assert listed["ApplicationArn"].rsplit("/apl-", 1)[1] == app["instanceId"][4:]
    sso.update_application(ApplicationArn=listed["ApplicationArn"], Name="renamed", Status="ENABLED")
    got = control("GetApplicationInstance", {"instanceId": app["instanceId"]})[1]["applicationInstance"]
    assert (got["display"]["displayName"], got["status"]) == ("renamed", "ENABLED")
    control("UpdateApplicationInstanceDisplayData", {"instanceId": app["instanceId"], "description": "from console"})
    assert sso.describe_application(ApplicationArn=listed["ApplicationArn"])["Description"] == "from console"


# --- certificates and profiles -------------------------------------------------------------------
def test_a_new_app_has_one_active_certificate_valid_five_years(control, app):
    [certificate] = control("ListApplicationInstanceCertificates", {"instanceId": app["instanceId"]})[1]["certificates"]
    assert set(certificate) == {"certificateId", "status", "expiryDate", "thumbprint", "type"}
    assert certificate["status"] == "ACTIVE" and len(certificate["thumbprint"]) == 40
    expiry = datetime.datetime.strptime(certificate["expiryDate"], "%Y-%m-%dT%H:%M:%SZ")
    assert 5 * 365 - 1 <= (expiry - datetime.datetime.utcnow()).days <= 5 * 366


def test_rotation_keeps_two_certificates_one_active(control, app, emulator):
    first = emulator.admin("POST", "/idc/rotate-certificate", {"instance_id": app["instanceId"]})
    second = emulator.admin("POST", "/idc/rotate-certificate", {"instance_id": app["instanceId"]})
    certificates = control("ListApplicationInstanceCertificates", {"instanceId": app["instanceId"]})[1]["certificates"]
    assert {c["thumbprint"]: c["status"] for c in certificates} == {
        first["active_thumbprint"]: "INACTIVE",
        second["active_thumbprint"]: "ACTIVE",
    }
    assert second["previous_thumbprint"] == first["active_thumbprint"]


def test_rotation_can_make_a_certificate_of_a_chosen_validity_or_an_expired_one(control, app, emulator):
    """valid_days: the console's choice of validity; 0 or less: one that has already expired (for the doctor's tests)."""
    today = datetime.datetime.utcnow()
    for valid_days, days_left in ((30, 29), (-1, -2)):
        emulator.admin("POST", "/idc/rotate-certificate", {"instance_id": app["instanceId"], "valid_days": valid_days})
        certificates = control("ListApplicationInstanceCertificates", {"instanceId": app["instanceId"]})[1]
        [active] = [c for c in certificates["certificates"] if c["status"] == "ACTIVE"]
        expiry = datetime.datetime.strptime(active["expiryDate"], "%Y-%m-%dT%H:%M:%SZ")
        assert (expiry - today).days == days_left


def test_a_profile_appears_with_the_first_assignment_and_can_be_deleted(control, app, client_for, emulator):
    assert control("ListProfiles", {"instanceId": app["instanceId"]}) == (200, {"applicationProfiles": []})
    assign_first_group(client_for, emulator, app["instanceId"])
    [profile] = control("ListProfiles", {"instanceId": app["instanceId"]})[1]["applicationProfiles"]
    assert set(profile) == {"name", "profileId", "status"} and profile["profileId"].startswith("p-")
    body = {"instanceId": app["instanceId"], "profileId": profile["profileId"]}
    assert control("DeleteProfile", body) == (200, {})
    assert error(control("DeleteProfile", body)) == (400, "ResourceNotFoundException")
    assert error(control("DeleteProfile", {**body, "profileId": "prof-1"})) == (400, "ValidationException")


def test_delete_needs_assignments_then_profiles_removed_first(control, app, client_for, emulator):
    sso, arn, group = assign_first_group(client_for, emulator, app["instanceId"])
    [profile] = control("ListProfiles", {"instanceId": app["instanceId"]})[1]["applicationProfiles"]
    delete = {"instanceId": app["instanceId"]}
    assert error(control("DeleteApplicationInstance", delete)) == (400, "ConflictException")
    sso.delete_application_assignment(ApplicationArn=arn, PrincipalId=group, PrincipalType="GROUP")
    assert error(control("DeleteApplicationInstance", delete)) == (400, "ConflictException")
    control("DeleteProfile", {"instanceId": app["instanceId"], "profileId": profile["profileId"]})
    assert control("DeleteApplicationInstance", delete) == (200, {})
    assert control("ListApplicationInstances")[1]["applicationInstances"] == []
    assert sso.list_applications(InstanceArn=IDC_INSTANCE_ARN)["Applications"] == []
    assert error(control("GetApplicationInstance", delete)) == (400, "ResourceNotFoundException")


# --- validation ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "operation, body, code",
    [
        ("CreateApplicationInstance", {"templateId": "tpl-0000000000000000", "name": "x"}, "ValidationException"),
        ("CreateApplicationInstance", {"name": "x"}, "ValidationException"),
        ("CreateApplicationInstance", {"templateId": TEMPLATE, "name": ""}, "ValidationException"),
        ("CreateApplicationInstance", {"templateId": TEMPLATE, "name": "x" * 101}, "ValidationException"),
        ("CreateApplicationInstance", {"templateId": TEMPLATE, "name": "x", "extra": 1}, "ValidationException"),
        ("CreateApplicationInstance", {"templateId": TEMPLATE, "name": 7}, "ValidationException"),
        ("GetApplicationInstance", {}, "ValidationException"),
        ("GetApplicationInstance", {"instanceId": 7}, "ValidationException"),
        ("GetApplicationInstance", {"instanceId": "apl-0000000000000000"}, "ValidationException"),
        ("GetApplicationInstance", {"instanceId": "ins-0000000000000000"}, "ResourceNotFoundException"),
        ("DeleteApplicationInstance", {"instanceId": "ins-0000000000000000"}, "ResourceNotFoundException"),
        (
            "UpdateApplicationInstanceStatus",
            {"instanceId": "ins-0000000000000000", "status": "ENABLED"},
            ("ResourceNotFoundException"),
        ),
        ("ListProfiles", {"instanceId": "ins-0000000000000000"}, "ResourceNotFoundException"),
        ("MadeUpOperation", {}, "UnknownOperationException"),
        ("GetApplicationInstance", b"{not json", "SerializationException"),
        ("GetApplicationInstance", b"[1, 2]", "SerializationException"),
    ],
)
def test_bad_requests_get_aws_errors(control, operation, body, code):
    assert error(control(operation, body)) == (400, code)


def test_validation_messages_name_the_member_and_the_constraint(control, app):
    status, answer = control("UpdateApplicationInstanceStatus", {"instanceId": app["instanceId"], "status": "PAUSED"})
    assert (status, answer["__type"]) == (400, "ValidationException")
    assert answer["message"] == (
        "1 validation error detected: Value 'PAUSED' at 'status' failed to satisfy constraint: "
        "Member must satisfy enum value set: [ENABLED, DISABLED]"
    )
    status, answer = control(
        "UpdateApplicationInstanceServiceProviderConfiguration",
        {"instanceId": app["instanceId"], "serviceProviderConfig": {"consumers": SP_CONFIG["consumers"]}},
    )
    assert "Value null at 'serviceProviderConfig.audience'" in answer["message"]


def test_no_target_is_an_unknown_operation(emulator, root_credentials):
    status, _type, answer = signed_post(emulator.endpoint, root_credentials, "", {})
    assert (status, answer["__type"]) == (400, "UnknownOperationException")
    status, _type, answer = signed_post(emulator.endpoint, root_credentials, "SWBExternalService.ListInstances", {})
    assert (status, answer["__type"]) == (400, "UnknownOperationException")


def test_other_methods_get_json_not_html(emulator, root_credentials):
    status, content_type, answer = signed_post(
        emulator.endpoint, root_credentials, "SWBService.ListApplicationInstances", b"", method="GET"
    )
    assert (status, content_type, answer["__type"]) == (404, "application/x-amz-json-1.1", "UnknownOperationException")


@pytest.mark.parametrize(
    "config",
    [
        {**SP_CONFIG, "consumers": [{"location": "http://example.com/saml", "binding": POST_BINDING}]},
        {**SP_CONFIG, "consumers": [{"location": "signin.aws.amazon.com/saml", "binding": POST_BINDING}]},
        {**SP_CONFIG, "consumers": [{"location": ACS, "binding": "urn:oasis:x"}]},
        {**SP_CONFIG, "consumers": []},
        {**SP_CONFIG, "consumers": [{"location": ACS, "binding": POST_BINDING, "defaultValue": "yes"}]},
        {
            **SP_CONFIG,
            "consumers": [
                {"location": ACS, "binding": POST_BINDING, "defaultValue": True},
                {"location": ACS + "2", "binding": POST_BINDING, "defaultValue": True},
            ],
        },
        {"consumers": SP_CONFIG["consumers"]},
        {**SP_CONFIG, "audience": ""},
        {**SP_CONFIG, "startUrl": "ftp://example.com"},
        {**SP_CONFIG, "acsUrl": ACS},
    ],
)
def test_invalid_service_provider_configuration_is_refused(control, app, config):
    body = {"instanceId": app["instanceId"], "serviceProviderConfig": config}
    assert error(control("UpdateApplicationInstanceServiceProviderConfiguration", body)) == (400, "ValidationException")


def test_start_url_and_a_localhost_acs_are_accepted(control, app):
    config = {
        **SP_CONFIG,
        "consumers": [{"location": "http://localhost:8443/saml/acs", "binding": POST_BINDING, "defaultValue": True}],
        "startUrl": "https://example.com/start",
    }
    body = {"instanceId": app["instanceId"], "serviceProviderConfig": config}
    assert control("UpdateApplicationInstanceServiceProviderConfiguration", body) == (200, {})
    got = control("GetApplicationInstance", {"instanceId": app["instanceId"]})[1]["applicationInstance"]
    assert got["serviceProviderConfig"] == config


@pytest.mark.parametrize("ttl", ["PT15M", "PT1H", "PT8H30M", "PT12H"])
def test_session_durations_from_15_minutes_to_12_hours_are_accepted(control, app, ttl):
    body = {"instanceId": app["instanceId"], "responseConfig": {**RESPONSE_CONFIG, "ttl": ttl}}
    assert control("UpdateApplicationInstanceResponseConfiguration", body) == (200, {})


@pytest.mark.parametrize(
    "config",
    [
        {**RESPONSE_CONFIG, "ttl": "PT14M"},
        {**RESPONSE_CONFIG, "ttl": "PT12H1M"},
        {**RESPONSE_CONFIG, "ttl": "1 hour"},
        {**RESPONSE_CONFIG, "ttl": "PT"},
        {**RESPONSE_CONFIG, "subject": {"source": ["${user:shoeSize}"]}},
        {**RESPONSE_CONFIG, "subject": {"source": []}},
        {**RESPONSE_CONFIG, "subject": {"source": "${user:email}"}},
        {**RESPONSE_CONFIG, "properties": {"Role": {"source": [""]}}},
        {**RESPONSE_CONFIG, "properties": {"Role": {}}},
        {**RESPONSE_CONFIG, "relayState": "ftp://x"},
        {**RESPONSE_CONFIG, "relayState": "https://example.com/" + "x" * 240},
        {k: v for k, v in RESPONSE_CONFIG.items() if k != "subject"},
        {**RESPONSE_CONFIG, "sessionDuration": "PT1H"},
    ],
)
def test_invalid_response_configuration_is_refused(control, app, config):
    body = {"instanceId": app["instanceId"], "responseConfig": config}
    assert error(control("UpdateApplicationInstanceResponseConfiguration", body)) == (400, "ValidationException")


@pytest.mark.parametrize(
    "config",
    [
        {"subject": {"include": "MAYBE", "nameIdFormat": SCHEMA_CONFIG["subject"]["nameIdFormat"]}},
        {"subject": {"include": "REQUIRED", "nameIdFormat": "urn:oasis:names:tc:SAML:1.1:nameid-format:shoeSize"}},
        {"subject": {"include": "REQUIRED"}},
        {**SCHEMA_CONFIG, "properties": {"Role": {"attrNameFormat": "unspecified", "include": "YES"}}},
        {**SCHEMA_CONFIG, "properties": {"Role": {"include": "YES"}}},
        {"properties": SCHEMA_CONFIG["properties"]},
    ],
)
def test_invalid_response_schema_configuration_is_refused(control, app, config):
    body = {"instanceId": app["instanceId"], "responseSchemaConfig": config}
    assert error(control("UpdateApplicationInstanceResponseSchemaConfiguration", body)) == (400, "ValidationException")


def test_an_oauth_application_is_not_an_application_instance(control, client_for):
    arn = client_for("sso-admin", ROOT_ACCOUNT).create_application(
        InstanceArn=IDC_INSTANCE_ARN, ApplicationProviderArn="arn:aws:sso::aws:applicationProvider/custom", Name="o"
    )["ApplicationArn"]
    instance_id = "ins-" + arn.rsplit("/apl-", 1)[1]
    assert error(control("GetApplicationInstance", {"instanceId": instance_id})) == (400, "ResourceNotFoundException")


# --- authentication and scope ------------------------------------------------------------------------
def test_unsigned_requests_are_refused(control):
    assert error(control("ListApplicationInstances", credentials=None)) == (403, "MissingAuthenticationTokenException")


def test_requests_signed_for_another_service_are_refused(control):
    assert error(control("ListApplicationInstances", service="sts")) == (403, "InvalidSignatureException")


def test_a_body_changed_after_signing_is_refused(control, app):
    tampered = json.dumps({"instanceId": app["instanceId"], "status": "ENABLED"}).encode()
    body = {"instanceId": app["instanceId"], "status": "DISABLED"}
    status, answer = control("UpdateApplicationInstanceStatus", body, sent_body=tampered)
    assert (status, answer["__type"]) == (403, "InvalidSignatureException")
    assert "does not match" in answer["message"]


def test_a_wrong_secret_key_is_refused(control, root_credentials):
    wrong = Credentials(root_credentials.access_key, "not-the-secret", root_credentials.token)
    assert error(control("ListApplicationInstances", credentials=wrong)) == (403, "InvalidSignatureException")


def test_an_old_signature_is_refused(control, monkeypatch):
    def twenty_minutes_ago():
        return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None) - datetime.timedelta(minutes=20)

    monkeypatch.setattr(botocore.auth, "get_current_datetime", twenty_minutes_ago)
    status, answer = control("ListApplicationInstances")
    assert (status, answer["__type"]) == (403, "InvalidSignatureException")
    assert answer["message"].startswith(("Signature expired", "Date in Credential scope"))


def test_an_incomplete_authorization_header_is_refused(emulator):
    request = urllib.request.Request(
        f"{emulator.endpoint}/control/",
        data=b"{}",
        method="POST",
        headers={
            "X-Amz-Target": "SWBService.ListApplicationInstances",
            "Authorization": "AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20260101/us-east-1/sso/aws4_request",
        },
    )
    with pytest.raises(urllib.error.HTTPError) as raised:
        urllib.request.urlopen(request, timeout=10)
    assert raised.value.code == 403
    assert json.loads(raised.value.read())["__type"] == "IncompleteSignatureException"


def test_member_account_or_other_region_has_no_idc_instance(control, aws):
    member = credentials_of(aws(ACCOUNTS["dev"]))
    assert error(control("ListApplicationInstances", credentials=member)) == (400, "ResourceNotFoundException")
    west = credentials_of(aws(ROOT_ACCOUNT, "us-west-2"))
    assert error(control("ListApplicationInstances", credentials=west, region="us-west-2")) == (
        400,
        "ResourceNotFoundException",
    )


def test_an_app_is_not_found_from_another_region(control, app, aws):
    west = credentials_of(aws(ROOT_ACCOUNT, "us-west-2"))
    answer = control("GetApplicationInstance", {"instanceId": app["instanceId"]}, credentials=west, region="us-west-2")
    assert error(answer) == (400, "ResourceNotFoundException")


# --- the emulator's bookkeeping ----------------------------------------------------------------------
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
    assert error(control("GetApplicationInstance", {"instanceId": app["instanceId"]})) == (400, "ThrottlingException")
    assert control("GetApplicationInstance", {"instanceId": app["instanceId"]})[0] == 200
