"""IAM in the emulator: SAML providers and roles validated as AWS validates them."""

from __future__ import annotations

import json

import botocore.config
import pytest
from botocore.exceptions import ClientError, ParamValidationError
from samlfixtures import WEAK_512_CERT_B64, make_certificate_b64, make_metadata

from emulator.sandbox import ACCOUNTS

DEV, QA = ACCOUNTS["dev"], ACCOUNTS["qa"]


@pytest.fixture(scope="module")
def metadata():
    return make_metadata([make_certificate_b64("emulator-iam")])


@pytest.fixture
def iam(client_for):
    return client_for("iam", DEV)


def error_of(call, *args, **kwargs) -> tuple[str, int, str]:
    with pytest.raises(ClientError) as error:
        call(*args, **kwargs)
    response = error.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"], response["Error"]["Message"]


def trust(provider_arn: str) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Federated": provider_arn},
                    "Action": "sts:AssumeRoleWithSAML",
                    "Condition": {"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}},
                }
            ],
        }
    )


def test_saml_provider_round_trips_metadata_byte_identical(iam, metadata):
    arn = iam.create_saml_provider(Name="AWSSSO_DEV_us-east-1_Connect", SAMLMetadataDocument=metadata)[
        "SAMLProviderArn"
    ]
    assert arn == f"arn:aws:iam::{DEV}:saml-provider/AWSSSO_DEV_us-east-1_Connect"
    provider = iam.get_saml_provider(SAMLProviderArn=arn)
    assert provider["SAMLMetadataDocument"] == metadata
    assert provider["SAMLProviderUUID"]
    assert [p["Arn"] for p in iam.list_saml_providers()["SAMLProviderList"]] == [arn]


@pytest.mark.parametrize(
    "mutate",
    [
        pytest.param(lambda m: "\ufeff" + m, id="bom"),
        pytest.param(lambda m: "not xml at all " * 100, id="not-xml"),
        pytest.param(lambda m: m.replace("IDPSSODescriptor", "SPSSODescriptor"), id="no-idpssodescriptor"),
        pytest.param(lambda m: m.replace('use="signing"', 'use="encryption"'), id="no-signing-certificate"),
        pytest.param(lambda m: m.replace("EntityDescriptor", "Entity"), id="not-saml-metadata"),
        pytest.param(
            lambda m: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "boom">]>' + m.split("?>", 1)[1], id="doctype"
        ),
    ],
)
def test_unparseable_metadata_is_invalid_input(iam, metadata, mutate):
    code, status, message = error_of(iam.create_saml_provider, Name="P", SAMLMetadataDocument=mutate(metadata))
    assert (code, status, message) == ("InvalidInput", 400, "Could not parse metadata")


def test_metadata_with_a_512_bit_key_is_invalid_input(iam):
    code, _status, message = error_of(
        iam.create_saml_provider, Name="P", SAMLMetadataDocument=make_metadata([WEAK_512_CERT_B64])
    )
    assert (code, message) == ("InvalidInput", "Could not parse metadata")


def test_metadata_under_1000_characters_is_refused_before_sending(iam):
    with pytest.raises(ParamValidationError):
        iam.create_saml_provider(Name="P", SAMLMetadataDocument="<x/>")


@pytest.fixture
def unvalidated_iam(aws, emulator):
    """IAM through a client that skips botocore's parameter validation (as another SDK or a raw request would)."""
    config = botocore.config.Config(parameter_validation=False, retries={"total_max_attempts": 1})
    return aws(DEV).client("iam", endpoint_url=emulator.endpoint, config=config)


def test_metadata_under_1000_characters_is_refused_by_iam_itself(unvalidated_iam, metadata):
    iam = unvalidated_iam
    code, status, message = error_of(iam.create_saml_provider, Name="Short", SAMLMetadataDocument="<x/>")
    assert (code, status) == ("ValidationError", 400)
    assert (
        "at 'sAMLMetadataDocument' failed to satisfy constraint: Member must have length greater than or equal to 1000"
        in message
    )
    assert iam.list_saml_providers()["SAMLProviderList"] == []
    arn = iam.create_saml_provider(Name="Long", SAMLMetadataDocument=metadata)["SAMLProviderArn"]
    code, status, _message = error_of(iam.update_saml_provider, SAMLProviderArn=arn, SAMLMetadataDocument="<x/>")
    assert (code, status) == ("ValidationError", 400)
    assert iam.get_saml_provider(SAMLProviderArn=arn)["SAMLMetadataDocument"] == metadata


def test_bad_provider_name_is_a_validation_error(iam, metadata):
    code, status, message = error_of(iam.create_saml_provider, Name="bad name!", SAMLMetadataDocument=metadata)
    assert (code, status) == ("ValidationError", 400)
    assert r"regular expression pattern: [\w._-]+" in message


def test_duplicate_provider_name_is_entity_already_exists(iam, metadata):
    iam.create_saml_provider(Name="Dup", SAMLMetadataDocument=metadata)
    code, status, _message = error_of(iam.create_saml_provider, Name="Dup", SAMLMetadataDocument=metadata)
    assert (code, status) == ("EntityAlreadyExists", 409)


def test_update_validates_metadata_too(iam, metadata):
    arn = iam.create_saml_provider(Name="U", SAMLMetadataDocument=metadata)["SAMLProviderArn"]
    assert error_of(iam.update_saml_provider, SAMLProviderArn=arn, SAMLMetadataDocument="x" * 1200)[0] == "InvalidInput"
    rotated = make_metadata([make_certificate_b64("rotated", key_index=1)])
    iam.update_saml_provider(SAMLProviderArn=arn, SAMLMetadataDocument=rotated)
    assert iam.get_saml_provider(SAMLProviderArn=arn)["SAMLMetadataDocument"] == rotated


def test_missing_provider_is_no_such_entity_for_get_update_delete(iam, metadata):
    missing = f"arn:aws:iam::{DEV}:saml-provider/Missing"
    assert error_of(iam.get_saml_provider, SAMLProviderArn=missing)[:2] == ("NoSuchEntity", 404)
    assert error_of(iam.update_saml_provider, SAMLProviderArn=missing, SAMLMetadataDocument=metadata)[:2] == (
        "NoSuchEntity",
        404,
    )
    assert error_of(iam.delete_saml_provider, SAMLProviderArn=missing)[:2] == ("NoSuchEntity", 404)


def test_provider_tags_from_create_and_from_tag_calls(iam, metadata):
    arn = iam.create_saml_provider(
        Name="T", SAMLMetadataDocument=metadata, Tags=[{"Key": "managed-by", "Value": "connect_sso.federation"}]
    )["SAMLProviderArn"]
    iam.tag_saml_provider(SAMLProviderArn=arn, Tags=[{"Key": "env", "Value": "dev"}])
    assert iam.list_saml_provider_tags(SAMLProviderArn=arn)["Tags"] == [
        {"Key": "env", "Value": "dev"},
        {"Key": "managed-by", "Value": "connect_sso.federation"},
    ]
    iam.untag_saml_provider(SAMLProviderArn=arn, TagKeys=["env"])
    assert iam.get_saml_provider(SAMLProviderArn=arn)["Tags"] == [
        {"Key": "managed-by", "Value": "connect_sso.federation"}
    ]


def test_more_than_50_provider_tags_is_limit_exceeded(iam, metadata):
    arn = iam.create_saml_provider(Name="Many", SAMLMetadataDocument=metadata)["SAMLProviderArn"]
    tags = [{"Key": f"k{i}", "Value": "v"} for i in range(50)]
    iam.tag_saml_provider(SAMLProviderArn=arn, Tags=tags)
    code, status, _message = error_of(
        iam.tag_saml_provider, SAMLProviderArn=arn, Tags=[{"Key": "one-more", "Value": "v"}]
    )
    assert (code, status) == ("LimitExceeded", 409)


@pytest.mark.parametrize("key", ["aws:owner", "AWS:Owner", "Aws:x"])
def test_reserved_aws_tag_keys_are_invalid_input_on_providers_and_roles(iam, metadata, key):
    tags = [{"Key": key, "Value": "v"}]
    assert error_of(iam.create_saml_provider, Name="Reserved", SAMLMetadataDocument=metadata, Tags=tags)[0] == (
        "InvalidInput"
    )
    arn = iam.create_saml_provider(Name="Reserved", SAMLMetadataDocument=metadata)["SAMLProviderArn"]
    assert error_of(iam.tag_saml_provider, SAMLProviderArn=arn, Tags=tags)[0] == "InvalidInput"
    assert error_of(iam.create_role, RoleName="Reserved", AssumeRolePolicyDocument=trust(arn), Tags=tags)[0] == (
        "InvalidInput"
    )
    iam.create_role(RoleName="Reserved", AssumeRolePolicyDocument=trust(arn))
    assert error_of(iam.tag_role, RoleName="Reserved", Tags=tags)[0] == "InvalidInput"
    assert iam.list_role_tags(RoleName="Reserved")["Tags"] == []
    assert iam.list_saml_provider_tags(SAMLProviderArn=arn)["Tags"] == []


def test_role_tag_lengths_and_count_are_checked(iam, metadata):
    arn = iam.create_saml_provider(Name="Lengths", SAMLMetadataDocument=metadata)["SAMLProviderArn"]
    iam.create_role(RoleName="Lengths", AssumeRolePolicyDocument=trust(arn))
    assert error_of(iam.tag_role, RoleName="Lengths", Tags=[{"Key": "k" * 129, "Value": "v"}])[0] == ("ValidationError")
    assert error_of(iam.tag_role, RoleName="Lengths", Tags=[{"Key": "k", "Value": "v" * 257}])[0] == ("ValidationError")
    too_many = [{"Key": f"k{i}", "Value": "v"} for i in range(51)]
    assert error_of(iam.tag_role, RoleName="Lengths", Tags=too_many)[0] in ("LimitExceeded", "ValidationError")


def test_tagging_a_missing_provider_is_no_such_entity(iam):
    missing = f"arn:aws:iam::{DEV}:saml-provider/Missing"
    assert error_of(iam.tag_saml_provider, SAMLProviderArn=missing, Tags=[{"Key": "a", "Value": "b"}])[0] == (
        "NoSuchEntity"
    )


def test_role_trusting_an_existing_provider_is_created(iam, metadata):
    arn = iam.create_saml_provider(Name="Trusted", SAMLMetadataDocument=metadata)["SAMLProviderArn"]
    role = iam.create_role(RoleName="Federated", AssumeRolePolicyDocument=trust(arn), MaxSessionDuration=43200)["Role"]
    assert role["Arn"] == f"arn:aws:iam::{DEV}:role/Federated"
    stored = iam.get_role(RoleName="Federated")["Role"]
    assert stored["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]["Federated"] == arn
    assert stored["MaxSessionDuration"] == 43200


def test_trust_policy_naming_a_missing_provider_is_malformed(iam):
    missing = f"arn:aws:iam::{DEV}:saml-provider/Missing"
    code, status, message = error_of(iam.create_role, RoleName="R", AssumeRolePolicyDocument=trust(missing))
    assert (code, status) == ("MalformedPolicyDocument", 400)
    assert "Invalid principal in policy" in message


def test_update_assume_role_policy_also_checks_principals(iam, metadata):
    arn = iam.create_saml_provider(Name="Ok", SAMLMetadataDocument=metadata)["SAMLProviderArn"]
    iam.create_role(RoleName="R", AssumeRolePolicyDocument=trust(arn))
    missing = f"arn:aws:iam::{DEV}:saml-provider/Gone"
    assert error_of(iam.update_assume_role_policy, RoleName="R", PolicyDocument=trust(missing))[0] == (
        "MalformedPolicyDocument"
    )
    assert error_of(iam.update_assume_role_policy, RoleName="Nope", PolicyDocument=trust(arn))[0] == "NoSuchEntity"


def test_trust_policy_that_is_not_json_is_malformed(iam):
    assert error_of(iam.create_role, RoleName="R", AssumeRolePolicyDocument="not json")[0] == "MalformedPolicyDocument"


def test_bad_role_name_and_session_duration_are_validation_errors(iam, metadata):
    arn = iam.create_saml_provider(Name="V", SAMLMetadataDocument=metadata)["SAMLProviderArn"]
    assert error_of(iam.create_role, RoleName="bad/name", AssumeRolePolicyDocument=trust(arn))[0] == "ValidationError"
    code, status, _message = error_of(
        iam.create_role, RoleName="R", AssumeRolePolicyDocument=trust(arn), MaxSessionDuration=50000
    )
    assert (code, status) == ("ValidationError", 400)


def test_missing_permissions_boundary_is_no_such_entity(iam, metadata):
    arn = iam.create_saml_provider(Name="B", SAMLMetadataDocument=metadata)["SAMLProviderArn"]
    code, _status, _message = error_of(
        iam.create_role,
        RoleName="R",
        AssumeRolePolicyDocument=trust(arn),
        PermissionsBoundary=f"arn:aws:iam::{DEV}:policy/NoSuchBoundary",
    )
    assert code == "NoSuchEntity"


def test_inline_and_managed_policies_work_and_block_role_deletion(iam, metadata):
    arn = iam.create_saml_provider(Name="Pol", SAMLMetadataDocument=metadata)["SAMLProviderArn"]
    iam.create_role(RoleName="R", AssumeRolePolicyDocument=trust(arn))
    document = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "connect:GetFederationToken", "Resource": "*"}],
        }
    )
    iam.put_role_policy(RoleName="R", PolicyName="Federation", PolicyDocument=document)
    assert iam.get_role_policy(RoleName="R", PolicyName="Federation")["PolicyDocument"]["Statement"][0]["Action"] == (
        "connect:GetFederationToken"
    )
    policy_arn = iam.create_policy(PolicyName="Managed", PolicyDocument=document)["Policy"]["Arn"]
    iam.attach_role_policy(RoleName="R", PolicyArn=policy_arn)
    assert error_of(iam.delete_role, RoleName="R")[:2] == ("DeleteConflict", 409)
    iam.detach_role_policy(RoleName="R", PolicyArn=policy_arn)
    iam.delete_role_policy(RoleName="R", PolicyName="Federation")
    iam.delete_role(RoleName="R")


def test_resources_of_one_account_are_invisible_from_another(client_for, metadata):
    client_for("iam", DEV).create_saml_provider(Name="DevOnly", SAMLMetadataDocument=metadata)
    assert client_for("iam", QA).list_saml_providers()["SAMLProviderList"] == []
