"""Partitions, ARNs, relay states and policy documents: pure builders and their validation."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from ansible_collections.connect_sso.federation.plugins.module_utils import arns, partitions, policies, relay_state
from ansible_collections.connect_sso.federation.plugins.module_utils.errors import ValidationError

INSTANCE = "3f2b6c1e-0f0e-4b8a-9a57-5d7c1d4e6a21"


# --- partitions -----------------------------------------------------------------------------


def test_known_regions_resolve_to_their_partition():
    assert partitions.partition_for_region("us-west-2") == "aws"
    assert partitions.partition_for_region("us-gov-west-1") == "aws-us-gov"
    assert partitions.partition_for_region("cn-north-1") == "aws-cn"


def test_region_that_does_not_exist_names_the_option_and_lists_known_regions():
    with pytest.raises(ValidationError) as error:
        partitions.partition_for_region("us-east-7", option="connect_region")
    assert str(error.value).startswith("connect_region='us-east-7': is not an AWS region")
    assert "us-east-1" in str(error.value)


def test_acs_urls_per_partition():
    assert partitions.acs_url("eu-west-1") == "https://signin.aws.amazon.com/saml"
    assert partitions.acs_url("eu-west-1", regional=True) == "https://eu-west-1.signin.aws.amazon.com/saml"
    assert partitions.acs_url("us-gov-west-1") == "https://signin.amazonaws-us-gov.com/saml"
    with pytest.raises(ValidationError, match="no regional sign-in endpoint"):
        partitions.acs_url("us-gov-west-1", regional=True)


def test_saml_audience_per_partition():
    assert partitions.saml_audience("us-east-1") == "urn:amazon:webservices"
    assert partitions.saml_audience("us-gov-east-1") == "urn:amazon:webservices:govcloud"


def test_china_is_refused_as_not_yet_supported():
    with pytest.raises(ValidationError, match="not supported yet"):
        partitions.console_host("cn-north-1")


# --- ARNs, ids, names -----------------------------------------------------------------------


def test_arn_builders_are_partition_aware():
    assert (
        arns.saml_provider_arn("222222222222", "P", "aws-us-gov") == "arn:aws-us-gov:iam::222222222222:saml-provider/P"
    )
    assert arns.role_arn("222222222222", "R", "/connect/") == "arn:aws:iam::222222222222:role/connect/R"
    assert (
        arns.connect_instance_arn("us-gov-west-1", "222222222222", INSTANCE)
        == f"arn:aws-us-gov:connect:us-gov-west-1:222222222222:instance/{INSTANCE}"
    )
    instance_arn = arns.connect_instance_arn("us-east-1", "222222222222", INSTANCE)
    assert arns.connect_federation_resource(instance_arn) == instance_arn + "/user/${aws:userid}"


@pytest.mark.parametrize(
    "value, kind, rule",
    [
        ("not-an-arn", "role", "is not an ARN"),
        ("arn:aws:iam::2222:role/R", "role", "12 digits"),
        ("arn:aws:iam::222222222222:user/R", "role", "is not a role ARN"),
        ("arn:aws:iam:us-east-1:222222222222:role/R", "role", "empty region field"),
        ("arn:aws:iam::222222222222:saml-provider/", "saml-provider", "is not a saml-provider ARN"),
        ("arn:aws:connect::222222222222:instance/" + INSTANCE, "connect-instance", "names its region"),
        ("arn:aws:connect:us-east-1:222222222222:instance/ABC", "connect-instance", "lower-case UUID"),
        ("arn:aws:connect:us-east-9:222222222222:instance/" + INSTANCE, "connect-instance", "not an AWS region"),
        ("arn:aws:sso::111111111111:application/x/apl-1", "sso-application", "application ARN"),
    ],
)
def test_malformed_arns_are_rejected_with_the_rule(value, kind, rule):
    with pytest.raises(ValidationError) as error:
        arns.validate_arn(value, "some_option", kind)
    assert str(error.value).startswith(f"some_option={value!r}:")
    assert rule in str(error.value)


def test_arn_from_another_partition_is_rejected():
    with pytest.raises(ValidationError, match="is in partition aws-us-gov, but the target is in partition aws"):
        arns.validate_arn("arn:aws-us-gov:iam::222222222222:role/R", "role_arn", "role", partition="aws")


def test_valid_arns_parse():
    arn = arns.validate_arn("arn:aws:iam::222222222222:saml-provider/AWSSSO_QA", "provider_arn", "saml-provider", "aws")
    assert (arn.account_id, arn.resource) == ("222222222222", "saml-provider/AWSSSO_QA")
    app = "arn:aws:sso::111111111111:application/ssoins-7223a1b2c3d4e5f6/apl-0123456789abcdef"
    assert arns.validate_arn(app, "app", "sso-application").account_id == "111111111111"


@pytest.mark.parametrize(
    "validator, value",
    [
        (arns.validate_provider_name, "bad name!"),
        (arns.validate_provider_name, "x" * 129),
        (arns.validate_role_name, "role/with/slash"),
        (arns.validate_role_name, "r" * 65),
        (arns.validate_role_path, "no-slashes"),
        (arns.validate_account_id, "12345"),
        (arns.validate_connect_instance_id, "not-a-uuid"),
    ],
)
def test_bad_names_are_rejected(validator, value):
    with pytest.raises(ValidationError):
        validator(value)


def test_good_names_pass():
    assert arns.validate_provider_name("AWSSSO_QA_us-west-2_Connect") == "AWSSSO_QA_us-west-2_Connect"
    assert arns.validate_role_name("AmazonConnect_QA_us-west-2_Role")
    assert arns.validate_role_path("/connect/federation/")


def test_app_references_are_recognised_in_every_form():
    assert arns.parse_app_reference("AmazonConnect-QA-us-west-2") == {"display_name": "AmazonConnect-QA-us-west-2"}
    assert arns.parse_app_reference("apl-0123456789abcdef") == {"instance_id": "ins-0123456789abcdef"}
    assert arns.parse_app_reference("ins-0123456789abcdef") == {"instance_id": "ins-0123456789abcdef"}
    arn = "arn:aws:sso::111111111111:application/ssoins-7223a1b2c3d4e5f6/apl-0123456789abcdef"
    assert arns.parse_app_reference(arn) == {"arn": arn, "instance_id": "ins-0123456789abcdef"}
    with pytest.raises(ValidationError, match="16 lower-case hex"):
        arns.parse_app_reference("apl-123")


# --- relay state ----------------------------------------------------------------------------


def test_relay_state_is_the_regional_federate_url():
    assert (
        relay_state.federate_url("us-west-2", INSTANCE)
        == f"https://us-west-2.console.aws.amazon.com/connect/federate/{INSTANCE}"
    )


def test_relay_state_with_destination_and_new_domain():
    url = relay_state.federate_url("us-east-1", INSTANCE, destination="/ccp-v2/chat", new_domain=True)
    assert url == (
        f"https://us-east-1.console.aws.amazon.com/connect/federate/{INSTANCE}"
        "?destination=%2Fccp-v2%2Fchat&new_domain=true"
    )
    assert relay_state.federate_url("us-east-1", INSTANCE, new_domain=True).endswith("?new_domain=true")


def test_relay_state_for_govcloud_has_no_region_label():
    assert (
        relay_state.federate_url("us-gov-west-1", INSTANCE)
        == f"https://console.amazonaws-us-gov.com/connect/federate/{INSTANCE}"
    )


def test_relay_state_destination_must_be_a_path_or_an_https_url_on_connect():
    with pytest.raises(ValidationError, match="destination is a path"):
        relay_state.federate_url("us-east-1", INSTANCE, destination="ccp-v2")
    with pytest.raises(ValidationError, match="destination is a path"):
        relay_state.federate_url("us-east-1", INSTANCE, destination="https://agents.example.com/")
    own = "https://acme.my.connect.aws/agent-app-v2"
    url = relay_state.federate_url("us-east-1", INSTANCE, destination=own, alias="acme")
    assert "destination=" + quote(own, safe="") in url


def test_relay_state_round_trips_through_the_parser():
    url = relay_state.federate_url("us-west-2", INSTANCE, destination="/agent-app-v2", new_domain=True)
    parsed = relay_state.parse_federate_url(url)
    assert parsed == relay_state.FederateUrl("us-west-2", INSTANCE, "/agent-app-v2", True)
    encoded_style = (
        f"https://us-west-2.console.aws.amazon.com/connect/federate/{INSTANCE}?destination=%2Fccp-v2%26new_domain=true"
    )
    assert relay_state.parse_federate_url(encoded_style).new_domain is True


@pytest.mark.parametrize(
    "url, rule",
    [
        (f"http://us-east-1.console.aws.amazon.com/connect/federate/{INSTANCE}", "https URL"),
        (f"https://console.aws.amazon.com/connect/federate/{INSTANCE}", "regional console host"),
        (f"https://evil.example.com/connect/federate/{INSTANCE}", "console host"),
        ("https://us-east-1.console.aws.amazon.com/connect/home", "/connect/federate/"),
        ("https://us-east-1.console.aws.amazon.com/connect/federate/xyz", "lower-case UUID"),
        (f"https://us-east-9.console.aws.amazon.com/connect/federate/{INSTANCE}", "not an AWS region"),
    ],
)
def test_bad_relay_states_are_rejected(url, rule):
    with pytest.raises(ValidationError) as error:
        relay_state.validate_relay_state(url)
    assert rule in str(error.value)
    assert str(error.value).startswith("relay_state=")


# --- policies -------------------------------------------------------------------------------

PROVIDER = "arn:aws:iam::444444444444:saml-provider/AWSSSO_PROD_us-west-2_Connect"


def test_trust_policy_allows_assume_role_with_saml_from_the_provider_for_the_audience():
    policy = policies.trust_policy([PROVIDER], ["https://signin.aws.amazon.com/saml"])
    statement = policy["Statement"][0]
    assert statement["Principal"] == {"Federated": PROVIDER}
    assert statement["Action"] == "sts:AssumeRoleWithSAML"
    assert statement["Condition"] == {"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}}


def test_trust_policy_with_regional_acs_lists_both_audiences():
    audiences = policies.default_audiences("us-west-2", regional_acs=True)
    assert audiences == ["https://signin.aws.amazon.com/saml", "https://us-west-2.signin.aws.amazon.com/saml"]
    condition = policies.trust_policy([PROVIDER], audiences)["Statement"][0]["Condition"]
    assert condition["StringEquals"]["SAML:aud"] == audiences


def test_federation_policy_grants_only_get_federation_token_on_the_given_instances():
    first = f"arn:aws:connect:us-west-2:444444444444:instance/{INSTANCE}"
    policy = policies.federation_policy([first])
    assert policy["Statement"] == [
        {
            "Sid": "ConnectFederation",
            "Effect": "Allow",
            "Action": "connect:GetFederationToken",
            "Resource": first + "/user/${aws:userid}",
        }
    ]


def test_audiences_must_be_https_urls():
    with pytest.raises(ValidationError, match=r"saml_audiences\[1\]='urn:amazon:webservices'"):
        policies.validate_audiences(["https://signin.aws.amazon.com/saml", "urn:amazon:webservices"])
    with pytest.raises(ValidationError, match="at least one"):
        policies.validate_audiences([])


def test_reordered_or_list_versus_string_documents_do_not_differ():
    desired = policies.trust_policy([PROVIDER], ["https://signin.aws.amazon.com/saml"])
    current = json.loads(json.dumps(desired))
    statement = current["Statement"][0]
    statement["Action"] = ["sts:AssumeRoleWithSAML"]
    statement["Principal"]["Federated"] = [PROVIDER]
    current["Statement"][0] = dict(reversed(list(statement.items())))
    assert not policies.policies_differ(current, desired)


def test_url_encoded_json_from_iam_is_understood():
    desired = policies.federation_policy([f"arn:aws:connect:us-east-1:222222222222:instance/{INSTANCE}"])
    assert not policies.policies_differ(quote(json.dumps(desired)), desired)
    assert not policies.policies_differ(json.dumps(desired), desired)


def test_a_changed_audience_is_a_difference():
    desired = policies.trust_policy([PROVIDER], ["https://signin.aws.amazon.com/saml"])
    drifted = policies.trust_policy([PROVIDER], ["https://evil.example.com/saml"])
    assert policies.policies_differ(drifted, desired)
    assert policies.policies_differ(None, desired)
