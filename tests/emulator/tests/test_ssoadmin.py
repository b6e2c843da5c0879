"""Public sso-admin and identity store in the emulator: the IdC instance, applications,
providers, assignments, tags; users and groups."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from emulator.client import signed_control_call
from emulator.sandbox import ACCOUNTS, IDC_INSTANCE_ARN, IDC_REGION, IDENTITY_STORE_ID, ROOT_ACCOUNT, USERS

SAML_PROVIDER = "arn:aws:sso::aws:applicationProvider/custom-saml"


def error_of(call, **kwargs) -> tuple[str, int, str]:
    with pytest.raises(ClientError) as error:
        call(**kwargs)
    response = error.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"], response["Error"]["Message"]


@pytest.fixture
def sso(client_for):
    return client_for("sso-admin", ROOT_ACCOUNT)


@pytest.fixture
def store(client_for):
    return client_for("identitystore", ROOT_ACCOUNT)


@pytest.fixture
def app_arn(emulator, aws, sso):
    signed_control_call(
        emulator.endpoint,
        aws(ROOT_ACCOUNT),
        "CreateApplicationInstance",
        {"templateId": "tpl-50e590700beb5208", "name": "AmazonConnect-QA-us-west-2"},
    )
    return sso.list_applications(InstanceArn=IDC_INSTANCE_ARN)["Applications"][0]["ApplicationArn"]


def test_idc_instance_exists_only_in_the_root_account_home_region(client_for):
    [instance] = client_for("sso-admin", ROOT_ACCOUNT).list_instances()["Instances"]
    assert (instance["InstanceArn"], instance["IdentityStoreId"], instance["OwnerAccountId"]) == (
        IDC_INSTANCE_ARN,
        IDENTITY_STORE_ID,
        ROOT_ACCOUNT,
    )
    assert client_for("sso-admin", ROOT_ACCOUNT, "us-west-2").list_instances()["Instances"] == []
    assert client_for("sso-admin", ACCOUNTS["prod"]).list_instances()["Instances"] == []


def test_application_providers_include_custom_saml(sso):
    providers = {p["ApplicationProviderArn"]: p for p in sso.list_application_providers()["ApplicationProviders"]}
    assert providers[SAML_PROVIDER]["FederationProtocol"] == "SAML"
    assert providers["arn:aws:sso::aws:applicationProvider/custom"]["FederationProtocol"] == "OAUTH"
    assert sso.describe_application_provider(ApplicationProviderArn=SAML_PROVIDER)["FederationProtocol"] == "SAML"


def test_create_application_refuses_saml_as_aws_does(sso):
    code, status, message = error_of(
        sso.create_application, InstanceArn=IDC_INSTANCE_ARN, ApplicationProviderArn=SAML_PROVIDER, Name="x"
    )
    assert (code, status) == ("ValidationException", 400)
    assert "is not supported for this action" in message


def test_update_and_describe_application(sso, app_arn):
    sso.update_application(ApplicationArn=app_arn, Description="QA west", Status="ENABLED")
    described = sso.describe_application(ApplicationArn=app_arn)
    assert (described["Description"], described["Status"], described["ApplicationAccount"]) == (
        "QA west",
        "ENABLED",
        ROOT_ACCOUNT,
    )
    assert described["InstanceArn"] == IDC_INSTANCE_ARN


def test_list_applications_filters_and_paginates(sso, app_arn):
    listed = sso.list_applications(InstanceArn=IDC_INSTANCE_ARN, Filter={"ApplicationProvider": SAML_PROVIDER})
    assert [a["ApplicationArn"] for a in listed["Applications"]] == [app_arn]
    other = sso.list_applications(
        InstanceArn=IDC_INSTANCE_ARN, Filter={"ApplicationProvider": "arn:aws:sso::aws:applicationProvider/custom"}
    )
    assert other["Applications"] == []


def test_unknown_or_malformed_application_arn(sso):
    missing = f"arn:aws:sso::{ROOT_ACCOUNT}:application/ssoins-7223a1b2c3d4e5f6/apl-0000000000000000"
    assert error_of(sso.describe_application, ApplicationArn=missing)[:2] == ("ResourceNotFoundException", 400)
    assert error_of(sso.describe_application, ApplicationArn="arn:aws:sso::1:application/x")[0] == (
        "ValidationException"
    )


def test_assignments_resolve_principals_and_refuse_duplicates(sso, store, app_arn):
    group_id = store.get_group_id(
        IdentityStoreId=IDENTITY_STORE_ID,
        AlternateIdentifier={
            "UniqueAttribute": {"AttributePath": "DisplayName", "AttributeValue": "connect-qa-agents"}
        },
    )["GroupId"]
    sso.create_application_assignment(ApplicationArn=app_arn, PrincipalId=group_id, PrincipalType="GROUP")
    assert error_of(
        sso.create_application_assignment, ApplicationArn=app_arn, PrincipalId=group_id, PrincipalType="GROUP"
    )[0] == ("ConflictException")
    assert sso.list_application_assignments(ApplicationArn=app_arn)["ApplicationAssignments"] == [
        {"ApplicationArn": app_arn, "PrincipalId": group_id, "PrincipalType": "GROUP"}
    ]
    missing = "00000000-0000-4000-8000-000000000000"
    assert error_of(
        sso.create_application_assignment, ApplicationArn=app_arn, PrincipalId=missing, PrincipalType="USER"
    )[0] == ("ResourceNotFoundException")
    sso.delete_application_assignment(ApplicationArn=app_arn, PrincipalId=group_id, PrincipalType="GROUP")
    assert error_of(
        sso.delete_application_assignment, ApplicationArn=app_arn, PrincipalId=group_id, PrincipalType="GROUP"
    )[0] == ("ResourceNotFoundException")


def test_assignment_configuration_defaults_to_required(sso, app_arn):
    assert sso.get_application_assignment_configuration(ApplicationArn=app_arn)["AssignmentRequired"] is True
    sso.put_application_assignment_configuration(ApplicationArn=app_arn, AssignmentRequired=False)
    assert sso.get_application_assignment_configuration(ApplicationArn=app_arn)["AssignmentRequired"] is False


def test_application_tags(sso, app_arn):
    sso.tag_resource(InstanceArn=IDC_INSTANCE_ARN, ResourceArn=app_arn, Tags=[{"Key": "a", "Value": "1"}])
    sso.tag_resource(InstanceArn=IDC_INSTANCE_ARN, ResourceArn=app_arn, Tags=[{"Key": "b", "Value": "2"}])
    sso.untag_resource(InstanceArn=IDC_INSTANCE_ARN, ResourceArn=app_arn, TagKeys=["a"])
    assert sso.list_tags_for_resource(InstanceArn=IDC_INSTANCE_ARN, ResourceArn=app_arn)["Tags"] == [
        {"Key": "b", "Value": "2"}
    ]
    too_many = [{"Key": f"k{i}", "Value": "v"} for i in range(75)]
    assert error_of(sso.tag_resource, InstanceArn=IDC_INSTANCE_ARN, ResourceArn=app_arn, Tags=too_many)[0] == (
        "ServiceQuotaExceededException"
    )


def test_delete_application(sso, app_arn):
    sso.delete_application(ApplicationArn=app_arn)
    assert sso.list_applications(InstanceArn=IDC_INSTANCE_ARN)["Applications"] == []


def test_identity_store_users_and_groups_are_seeded(store):
    users = store.list_users(IdentityStoreId=IDENTITY_STORE_ID)["Users"]
    assert sorted(u["UserName"] for u in users) == sorted(u.user_name for u in USERS)
    dana = next(u for u in users if u["UserName"] == "dana.dev")
    assert dana["Emails"] == [{"Value": "dana.dev@example.com", "Type": "work", "Primary": True}]
    user_id = store.get_user_id(
        IdentityStoreId=IDENTITY_STORE_ID,
        AlternateIdentifier={"UniqueAttribute": {"AttributePath": "UserName", "AttributeValue": "dana.dev"}},
    )["UserId"]
    group_id = store.get_group_id(
        IdentityStoreId=IDENTITY_STORE_ID,
        AlternateIdentifier={
            "UniqueAttribute": {"AttributePath": "DisplayName", "AttributeValue": "connect-dev-agents"}
        },
    )["GroupId"]
    memberships = store.list_group_memberships(IdentityStoreId=IDENTITY_STORE_ID, GroupId=group_id)
    assert [m["MemberId"]["UserId"] for m in memberships["GroupMemberships"]] == [user_id]


def test_unknown_names_and_unknown_stores_are_not_found(store, client_for):
    assert error_of(
        store.get_user_id,
        IdentityStoreId=IDENTITY_STORE_ID,
        AlternateIdentifier={"UniqueAttribute": {"AttributePath": "UserName", "AttributeValue": "nobody"}},
    )[0] == ("ResourceNotFoundException")
    assert error_of(store.list_users, IdentityStoreId="d-0000000000")[0] == "ResourceNotFoundException"
    member = client_for("identitystore", ACCOUNTS["dev"])
    assert error_of(member.list_users, IdentityStoreId=IDENTITY_STORE_ID)[0] == "ResourceNotFoundException"
    assert IDC_REGION == "us-east-1"
