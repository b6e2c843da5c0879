"""Public sso-admin in the emulator: the IdC instance, application providers, applications,
assignments, assignment configuration and tags, with AWS's validation and errors."""

from __future__ import annotations

import botocore.config
import pytest
from botocore.exceptions import ClientError

from emulator.client import aws_session, signed_control_call
from emulator.sandbox import ACCOUNTS, IDC_INSTANCE_ARN, IDC_REGION, IDENTITY_STORE_ID, ROOT_ACCOUNT

SAML_PROVIDER = "arn:aws:sso::aws:applicationProvider/custom-saml"
OAUTH_PROVIDER = "arn:aws:sso::aws:applicationProvider/custom"
OTHER_INSTANCE = "arn:aws:sso:::instance/ssoins-0000000000000000"
MISSING_APP = f"arn:aws:sso::{ROOT_ACCOUNT}:application/ssoins-7223a1b2c3d4e5f6/apl-0000000000000000"
MISSING_PRINCIPAL = "00000000-0000-4000-8000-000000000000"


def error_of(call, **kwargs) -> tuple[str, int, str]:
    with pytest.raises(ClientError) as raised:
        call(**kwargs)
    response = raised.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"], response["Error"]["Message"]


def code_of(call, **kwargs) -> tuple[str, int]:
    return error_of(call, **kwargs)[:2]


@pytest.fixture
def sso(client_for):
    return client_for("sso-admin", ROOT_ACCOUNT)


@pytest.fixture
def unchecked_sso(emulator):
    """An sso-admin client that sends what it is given, so the emulator's own checks answer."""
    config = botocore.config.Config(parameter_validation=False, retries={"total_max_attempts": 1})
    return aws_session(emulator.endpoint, ROOT_ACCOUNT).client(
        "sso-admin", endpoint_url=emulator.endpoint, config=config
    )


@pytest.fixture
def make_app(emulator, aws, sso):
    """make_app(name) -> the ApplicationArn of a SAML app made through the control API."""
    session = aws(ROOT_ACCOUNT)

    def make(name: str = "AmazonConnect-QA-us-west-2") -> str:
        status, body = signed_control_call(
            emulator.endpoint,
            session,
            "CreateApplicationInstance",
            {"templateId": "tpl-50e590700beb5208", "name": name},
        )
        assert status == 200, body
        hex_id = body["applicationInstance"]["instanceId"][4:]
        return f"arn:aws:sso::{ROOT_ACCOUNT}:application/{IDC_INSTANCE_ARN.rsplit('/', 1)[1]}/apl-{hex_id}"

    return make


@pytest.fixture
def app_arn(make_app):
    return make_app()


@pytest.fixture
def directory(emulator):
    idc = emulator.topology()["idc"]
    return {u["user_name"]: u["user_id"] for u in idc["users"]}, {g["name"]: g["group_id"] for g in idc["groups"]}


# --- the instance --------------------------------------------------------------------------------
def test_idc_instance_exists_only_in_the_root_account_home_region(client_for):
    [instance] = client_for("sso-admin", ROOT_ACCOUNT).list_instances()["Instances"]
    assert (instance["InstanceArn"], instance["IdentityStoreId"], instance["OwnerAccountId"], instance["Status"]) == (
        IDC_INSTANCE_ARN,
        IDENTITY_STORE_ID,
        ROOT_ACCOUNT,
        "ACTIVE",
    )
    assert client_for("sso-admin", ROOT_ACCOUNT, "us-west-2").list_instances()["Instances"] == []
    for account in ("dev", "qa", "prod"):
        assert client_for("sso-admin", ACCOUNTS[account]).list_instances()["Instances"] == []
    assert client_for("sso-admin").list_instances()["Instances"] == []


def test_describe_and_rename_the_instance(sso, client_for):
    assert sso.describe_instance(InstanceArn=IDC_INSTANCE_ARN)["IdentityStoreId"] == IDENTITY_STORE_ID
    sso.update_instance(InstanceArn=IDC_INSTANCE_ARN, Name="acme")
    assert sso.list_instances()["Instances"][0]["Name"] == "acme"
    member = client_for("sso-admin", ACCOUNTS["dev"])
    assert code_of(member.describe_instance, InstanceArn=IDC_INSTANCE_ARN) == ("AccessDeniedException", 400)


def test_permission_sets_have_aws_arns_and_unique_names(sso):
    created = sso.create_permission_set(InstanceArn=IDC_INSTANCE_ARN, Name="ConnectAgent")["PermissionSet"]
    assert created["PermissionSetArn"].startswith(
        f"arn:aws:sso:::permissionSet/{IDC_INSTANCE_ARN.rsplit('/', 1)[1]}/ps-"
    )
    described = sso.describe_permission_set(InstanceArn=IDC_INSTANCE_ARN, PermissionSetArn=created["PermissionSetArn"])
    assert described["PermissionSet"]["Name"] == "ConnectAgent"
    assert code_of(sso.create_permission_set, InstanceArn=IDC_INSTANCE_ARN, Name="ConnectAgent") == (
        "ConflictException",
        400,
    )


def test_moto_operations_refuse_an_instance_that_is_not_the_callers(sso, client_for):
    assert code_of(sso.list_permission_sets, InstanceArn=OTHER_INSTANCE) == ("ResourceNotFoundException", 400)
    member = client_for("sso-admin", ACCOUNTS["dev"])
    assert code_of(member.list_permission_sets, InstanceArn=IDC_INSTANCE_ARN) == ("ResourceNotFoundException", 400)
    assert sso.list_permission_sets(InstanceArn=IDC_INSTANCE_ARN)["PermissionSets"] == []


# --- application providers ------------------------------------------------------------------------
def test_application_providers_are_custom_saml_and_custom_oauth(sso):
    providers = {p["ApplicationProviderArn"]: p for p in sso.list_application_providers()["ApplicationProviders"]}
    assert providers[SAML_PROVIDER]["FederationProtocol"] == "SAML"
    assert providers[SAML_PROVIDER]["DisplayData"]["DisplayName"] == "Custom SAML 2.0 application"
    assert providers[OAUTH_PROVIDER]["FederationProtocol"] == "OAUTH"
    described = sso.describe_application_provider(ApplicationProviderArn=SAML_PROVIDER)
    assert described == {**providers[SAML_PROVIDER], "ResponseMetadata": described["ResponseMetadata"]}


def test_application_providers_page(sso):
    first = sso.list_application_providers(MaxResults=1)
    second = sso.list_application_providers(MaxResults=1, NextToken=first["NextToken"])
    assert len(first["ApplicationProviders"]) == len(second["ApplicationProviders"]) == 1
    assert "NextToken" not in second


def test_unknown_or_malformed_application_provider(sso):
    missing = "arn:aws:sso::aws:applicationProvider/nothing"
    assert code_of(sso.describe_application_provider, ApplicationProviderArn=missing) == (
        "ResourceNotFoundException",
        400,
    )
    assert code_of(sso.describe_application_provider, ApplicationProviderArn="arn:aws:sso::aws:x/y") == (
        "ValidationException",
        400,
    )


# --- creating applications ---------------------------------------------------------------------------
def test_create_application_refuses_custom_saml_as_aws_does(sso):
    code, status, message = error_of(
        sso.create_application, InstanceArn=IDC_INSTANCE_ARN, ApplicationProviderArn=SAML_PROVIDER, Name="x"
    )
    assert (code, status) == ("ValidationException", 400)
    assert message == (
        "The application provider with arn 'arn:aws:sso::aws:applicationProvider/app-50e590700beb5208' "
        "is not supported for this action."
    )


def test_create_application_refuses_catalog_and_unknown_providers(sso):
    catalog = "arn:aws:sso::aws:applicationProvider/catalog/ExternalAWSAccount"
    code, _status, message = error_of(
        sso.create_application, InstanceArn=IDC_INSTANCE_ARN, ApplicationProviderArn=catalog, Name="x"
    )
    assert (code, message) == (
        "ValidationException",
        f"The application provider with arn '{catalog}' is not supported for this action.",
    )
    unknown = "arn:aws:sso::aws:applicationProvider/nothing"
    assert code_of(sso.create_application, InstanceArn=IDC_INSTANCE_ARN, ApplicationProviderArn=unknown, Name="x") == (
        "ResourceNotFoundException",
        400,
    )
    assert code_of(
        sso.create_application, InstanceArn=OTHER_INSTANCE, ApplicationProviderArn=OAUTH_PROVIDER, Name="x"
    ) == ("ResourceNotFoundException", 400)


def test_create_an_oauth_application(sso):
    created = sso.create_application(
        InstanceArn=IDC_INSTANCE_ARN,
        ApplicationProviderArn=OAUTH_PROVIDER,
        Name="reporting",
        Description="an OAuth app",
        PortalOptions={"SignInOptions": {"Origin": "APPLICATION", "ApplicationUrl": "https://example.com"}},
        Tags=[{"Key": "team", "Value": "ops"}],
    )
    assert created["InstanceArn"] == IDC_INSTANCE_ARN
    assert created["IdentityStoreArn"] == f"arn:aws:identitystore::{ROOT_ACCOUNT}:identitystore/{IDENTITY_STORE_ID}"
    described = sso.describe_application(ApplicationArn=created["ApplicationArn"])
    assert (described["ApplicationProviderArn"], described["Status"], described["Description"]) == (
        OAUTH_PROVIDER,
        "ENABLED",
        "an OAuth app",
    )
    assert described["PortalOptions"]["SignInOptions"]["Origin"] == "APPLICATION"
    tags = sso.list_tags_for_resource(ResourceArn=created["ApplicationArn"])["Tags"]
    assert tags == [{"Key": "team", "Value": "ops"}]


def test_client_token_makes_create_application_idempotent(sso):
    request = {"InstanceArn": IDC_INSTANCE_ARN, "ApplicationProviderArn": OAUTH_PROVIDER, "Name": "once"}
    first = sso.create_application(ClientToken="token-1", **request)["ApplicationArn"]
    assert sso.create_application(ClientToken="token-1", **request)["ApplicationArn"] == first
    assert len(sso.list_applications(InstanceArn=IDC_INSTANCE_ARN)["Applications"]) == 1
    assert code_of(sso.create_application, ClientToken="token-1", **{**request, "Name": "other"}) == (
        "ConflictException",
        400,
    )


# --- reading and changing applications -------------------------------------------------------------
def test_a_console_app_is_a_public_application_with_the_same_hex_id(sso, app_arn):
    [listed] = sso.list_applications(InstanceArn=IDC_INSTANCE_ARN)["Applications"]
    assert listed["ApplicationArn"] == app_arn
    described = sso.describe_application(ApplicationArn=app_arn)
    for shape in (listed, described):
        assert shape["ApplicationProviderArn"] == SAML_PROVIDER
        assert (shape["Name"], shape["ApplicationAccount"], shape["InstanceArn"]) == (
            "AmazonConnect-QA-us-west-2",
            ROOT_ACCOUNT,
            IDC_INSTANCE_ARN,
        )
        assert shape["Status"] == "DISABLED"
        assert shape["PortalOptions"] == {"SignInOptions": {"Origin": "IDENTITY_CENTER"}, "Visibility": "ENABLED"}
        assert shape["CreatedDate"].year >= 2024 and shape["CreatedFrom"] == IDC_REGION
        assert "Description" not in shape


def test_update_application_changes_what_the_console_shows(sso, app_arn, emulator, aws):
    sso.update_application(
        ApplicationArn=app_arn,
        Name="Connect QA",
        Description="QA west",
        Status="ENABLED",
        PortalOptions={"SignInOptions": {"Origin": "APPLICATION", "ApplicationUrl": "https://example.com/start"}},
    )
    described = sso.describe_application(ApplicationArn=app_arn)
    assert (described["Name"], described["Description"], described["Status"]) == ("Connect QA", "QA west", "ENABLED")
    assert described["PortalOptions"] == {
        "SignInOptions": {"Origin": "APPLICATION", "ApplicationUrl": "https://example.com/start"},
        "Visibility": "ENABLED",
    }
    instance_id = "ins-" + app_arn.rsplit("/apl-", 1)[1]
    _status, got = signed_control_call(
        emulator.endpoint, aws(ROOT_ACCOUNT), "GetApplicationInstance", {"instanceId": instance_id}
    )
    assert got["applicationInstance"]["display"] == {"displayName": "Connect QA", "description": "QA west"}
    assert got["applicationInstance"]["status"] == "ENABLED"


@pytest.mark.parametrize(
    "change, message",
    [
        (
            {"Status": "PAUSED"},
            "Value 'PAUSED' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED]",
        ),
        (
            {"Name": "n" * 101},
            "at 'name' failed to satisfy constraint: Member must have length less than or equal to 100",
        ),
        ({"Description": "d" * 129}, "Member must have length less than or equal to 128"),
        (
            {"PortalOptions": {"SignInOptions": {"Origin": "APPLICATION", "ApplicationUrl": "example.com"}}},
            "at 'portalOptions.signInOptions.applicationUrl' failed to satisfy constraint: "
            "Member must satisfy regular expression pattern",
        ),
        ({"PortalOptions": {"SignInOptions": {"Origin": "ELSEWHERE"}}}, "at 'portalOptions.signInOptions.origin'"),
    ],
)
def test_update_application_validates_like_aws(sso, app_arn, change, message):
    code, status, text = error_of(sso.update_application, ApplicationArn=app_arn, **change)
    assert (code, status) == ("ValidationException", 400)
    assert text.startswith("1 validation error detected: ") and message in text


def test_list_applications_filters_and_pages(sso, make_app):
    arns = [make_app(f"app-{n}") for n in range(3)]
    first = sso.list_applications(InstanceArn=IDC_INSTANCE_ARN, MaxResults=2)
    second = sso.list_applications(InstanceArn=IDC_INSTANCE_ARN, MaxResults=2, NextToken=first["NextToken"])
    assert [a["ApplicationArn"] for a in first["Applications"] + second["Applications"]] == arns
    assert "NextToken" not in second
    paginated = sso.get_paginator("list_applications").paginate(
        InstanceArn=IDC_INSTANCE_ARN, PaginationConfig={"PageSize": 1}
    )
    assert [a["ApplicationArn"] for p in paginated for a in p["Applications"]] == arns
    by_provider = sso.list_applications(InstanceArn=IDC_INSTANCE_ARN, Filter={"ApplicationProvider": SAML_PROVIDER})
    assert len(by_provider["Applications"]) == 3
    assert (
        sso.list_applications(InstanceArn=IDC_INSTANCE_ARN, Filter={"ApplicationProvider": OAUTH_PROVIDER})[
            "Applications"
        ]
        == []
    )
    assert (
        sso.list_applications(InstanceArn=IDC_INSTANCE_ARN, Filter={"ApplicationAccount": ACCOUNTS["dev"]})[
            "Applications"
        ]
        == []
    )


def test_list_applications_refuses_bad_paging_and_other_instances(sso, client_for, unchecked_sso):
    assert code_of(sso.list_applications, InstanceArn=IDC_INSTANCE_ARN, NextToken="garbage") == (
        "ValidationException",
        400,
    )
    assert code_of(sso.list_applications, InstanceArn=IDC_INSTANCE_ARN, MaxResults=101) == ("ValidationException", 400)
    assert code_of(sso.list_applications, InstanceArn=OTHER_INSTANCE) == ("AccessDeniedException", 400)
    member = client_for("sso-admin", ACCOUNTS["prod"])
    assert code_of(member.list_applications, InstanceArn=IDC_INSTANCE_ARN) == ("AccessDeniedException", 400)
    code, _status, message = error_of(unchecked_sso.list_applications)
    assert (code, message) == (
        "ValidationException",
        "1 validation error detected: Value null at 'instanceArn' failed to satisfy constraint: Member must not be null",
    )
    assert code_of(unchecked_sso.list_applications, InstanceArn=IDC_INSTANCE_ARN, MaxResults="ten") == (
        "SerializationException",
        400,
    )


def test_unknown_or_malformed_application_arn(sso, app_arn, client_for):
    assert code_of(sso.describe_application, ApplicationArn=MISSING_APP) == ("ResourceNotFoundException", 400)
    code, _status, message = error_of(sso.describe_application, ApplicationArn="arn:aws:sso::1:application/x")
    assert code == "ValidationException" and "at 'applicationArn'" in message
    member = client_for("sso-admin", ACCOUNTS["dev"])
    assert code_of(member.describe_application, ApplicationArn=app_arn) == ("ResourceNotFoundException", 400)
    west = client_for("sso-admin", ROOT_ACCOUNT, "us-west-2")
    assert code_of(west.describe_application, ApplicationArn=app_arn) == ("ResourceNotFoundException", 400)
    for call in (sso.update_application, sso.delete_application, sso.get_application_assignment_configuration):
        assert code_of(call, ApplicationArn=MISSING_APP) == ("ResourceNotFoundException", 400)


def test_delete_application(sso, app_arn, directory):
    _users, groups = directory
    sso.create_application_assignment(
        ApplicationArn=app_arn, PrincipalId=groups["connect-qa-agents"], PrincipalType="GROUP"
    )
    sso.delete_application(ApplicationArn=app_arn)
    assert sso.list_applications(InstanceArn=IDC_INSTANCE_ARN)["Applications"] == []
    assert code_of(sso.describe_application, ApplicationArn=app_arn) == ("ResourceNotFoundException", 400)


# --- assignments ------------------------------------------------------------------------------------
def test_assign_users_and_groups(sso, app_arn, directory):
    users, groups = directory
    sso.create_application_assignment(
        ApplicationArn=app_arn, PrincipalId=groups["connect-qa-agents"], PrincipalType="GROUP"
    )
    sso.create_application_assignment(ApplicationArn=app_arn, PrincipalId=users["quinn.qa"], PrincipalType="USER")
    assert sso.list_application_assignments(ApplicationArn=app_arn)["ApplicationAssignments"] == [
        {"ApplicationArn": app_arn, "PrincipalId": groups["connect-qa-agents"], "PrincipalType": "GROUP"},
        {"ApplicationArn": app_arn, "PrincipalId": users["quinn.qa"], "PrincipalType": "USER"},
    ]
    described = sso.describe_application_assignment(
        ApplicationArn=app_arn, PrincipalId=users["quinn.qa"], PrincipalType="USER"
    )
    assert (described["PrincipalId"], described["ApplicationArn"]) == (users["quinn.qa"], app_arn)
    page = sso.list_application_assignments(ApplicationArn=app_arn, MaxResults=1)
    assert len(page["ApplicationAssignments"]) == 1 and page["NextToken"]


def test_assignments_of_a_principal(sso, make_app, directory):
    users, _groups = directory
    first, second = make_app("one"), make_app("two")
    for arn in (first, second):
        sso.create_application_assignment(ApplicationArn=arn, PrincipalId=users["dana.dev"], PrincipalType="USER")
    listed = sso.list_application_assignments_for_principal(
        InstanceArn=IDC_INSTANCE_ARN, PrincipalId=users["dana.dev"], PrincipalType="USER"
    )["ApplicationAssignments"]
    assert [a["ApplicationArn"] for a in listed] == [first, second]
    filtered = sso.list_application_assignments_for_principal(
        InstanceArn=IDC_INSTANCE_ARN,
        PrincipalId=users["dana.dev"],
        PrincipalType="USER",
        Filter={"ApplicationArn": second},
    )["ApplicationAssignments"]
    assert [a["ApplicationArn"] for a in filtered] == [second]
    assert code_of(
        sso.list_application_assignments_for_principal,
        InstanceArn=IDC_INSTANCE_ARN,
        PrincipalId=MISSING_PRINCIPAL,
        PrincipalType="USER",
    ) == ("ResourceNotFoundException", 400)


def test_assignment_errors(sso, app_arn, directory):
    users, groups = directory
    group = {"ApplicationArn": app_arn, "PrincipalId": groups["connect-qa-agents"], "PrincipalType": "GROUP"}
    sso.create_application_assignment(**group)
    assert code_of(sso.create_application_assignment, **group) == ("ConflictException", 400)
    assert code_of(sso.create_application_assignment, **{**group, "PrincipalType": "USER"}) == (
        "ResourceNotFoundException",
        400,
    )
    assert code_of(sso.create_application_assignment, **{**group, "PrincipalId": MISSING_PRINCIPAL}) == (
        "ResourceNotFoundException",
        400,
    )
    assert code_of(sso.create_application_assignment, **{**group, "PrincipalId": "dana.dev"}) == (
        "ValidationException",
        400,
    )
    assert code_of(sso.create_application_assignment, **{**group, "PrincipalType": "ROLE"}) == (
        "ValidationException",
        400,
    )
    assert code_of(sso.create_application_assignment, **{**group, "ApplicationArn": MISSING_APP}) == (
        "ResourceNotFoundException",
        400,
    )
    sso.delete_application_assignment(**group)
    assert code_of(sso.delete_application_assignment, **group) == ("ResourceNotFoundException", 400)
    user = {"ApplicationArn": app_arn, "PrincipalId": users["dana.dev"], "PrincipalType": "USER"}
    assert code_of(sso.describe_application_assignment, **user) == ("ResourceNotFoundException", 400)


def test_assignment_configuration_defaults_to_required(sso, app_arn):
    assert sso.get_application_assignment_configuration(ApplicationArn=app_arn)["AssignmentRequired"] is True
    sso.put_application_assignment_configuration(ApplicationArn=app_arn, AssignmentRequired=False)
    assert sso.get_application_assignment_configuration(ApplicationArn=app_arn)["AssignmentRequired"] is False
    assert code_of(
        sso.put_application_assignment_configuration, ApplicationArn=MISSING_APP, AssignmentRequired=True
    ) == (
        "ResourceNotFoundException",
        400,
    )


# --- tags --------------------------------------------------------------------------------------------
def test_application_tags(sso, app_arn):
    sso.tag_resource(InstanceArn=IDC_INSTANCE_ARN, ResourceArn=app_arn, Tags=[{"Key": "a", "Value": "1"}])
    sso.tag_resource(ResourceArn=app_arn, Tags=[{"Key": "b", "Value": "2"}, {"Key": "a", "Value": "3"}])
    sso.untag_resource(InstanceArn=IDC_INSTANCE_ARN, ResourceArn=app_arn, TagKeys=["b", "never-set"])
    assert sso.list_tags_for_resource(InstanceArn=IDC_INSTANCE_ARN, ResourceArn=app_arn)["Tags"] == [
        {"Key": "a", "Value": "3"}
    ]


def test_tags_on_the_instance_and_on_permission_sets(sso):
    sso.tag_resource(ResourceArn=IDC_INSTANCE_ARN, Tags=[{"Key": "owner", "Value": "platform"}])
    assert sso.list_tags_for_resource(ResourceArn=IDC_INSTANCE_ARN)["Tags"] == [{"Key": "owner", "Value": "platform"}]
    permission_set = sso.create_permission_set(InstanceArn=IDC_INSTANCE_ARN, Name="ConnectAdmin")["PermissionSet"]
    arn = permission_set["PermissionSetArn"]
    sso.tag_resource(InstanceArn=IDC_INSTANCE_ARN, ResourceArn=arn, Tags=[{"Key": "k", "Value": "v"}])
    assert sso.list_tags_for_resource(InstanceArn=IDC_INSTANCE_ARN, ResourceArn=arn)["Tags"] == [
        {"Key": "k", "Value": "v"}
    ]


def test_at_most_75_tags(sso, app_arn):
    sso.tag_resource(ResourceArn=app_arn, Tags=[{"Key": f"k{i}", "Value": "v"} for i in range(75)])
    assert code_of(sso.tag_resource, ResourceArn=app_arn, Tags=[{"Key": "one-more", "Value": "v"}]) == (
        "ServiceQuotaExceededException",
        400,
    )
    sso.tag_resource(ResourceArn=app_arn, Tags=[{"Key": "k0", "Value": "replaced"}])
    too_many = [{"Key": f"x{i}", "Value": "v"} for i in range(76)]
    assert code_of(sso.tag_resource, ResourceArn=app_arn, Tags=too_many) == ("ValidationException", 400)


@pytest.mark.parametrize(
    "tags",
    [
        [{"Key": "k" * 129, "Value": "v"}],
        [{"Key": "k", "Value": "v" * 257}],
        [{"Key": "bad*key", "Value": "v"}],
        [{"Key": "k", "Value": "bad#value"}],
        [{"Key": "aws:reserved", "Value": "v"}],
        [{"Key": "AWS:Reserved", "Value": "v"}],
        [{"Key": "k", "Value": "1"}, {"Key": "k", "Value": "2"}],
    ],
)
def test_tags_within_aws_limits(sso, app_arn, tags):
    assert code_of(sso.tag_resource, ResourceArn=app_arn, Tags=tags) == ("ValidationException", 400)


def test_tagging_unknown_or_foreign_resources(sso, app_arn):
    assert code_of(sso.list_tags_for_resource, ResourceArn=MISSING_APP) == ("ResourceNotFoundException", 400)
    assert code_of(sso.list_tags_for_resource, ResourceArn="arn:aws:s3:::bucket") == ("ValidationException", 400)
    assert code_of(sso.list_tags_for_resource, ResourceArn=app_arn, InstanceArn=OTHER_INSTANCE) == (
        "ResourceNotFoundException",
        400,
    )
    missing_set = "arn:aws:sso:::permissionSet/ssoins-7223a1b2c3d4e5f6/ps-0000000000000000"
    assert code_of(sso.list_tags_for_resource, ResourceArn=missing_set) == ("ResourceNotFoundException", 400)
