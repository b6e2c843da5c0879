"""Inputs refused before any write: tags, relay destinations, role names (and the option each error names)."""

from __future__ import annotations

import pytest
from ansible_collections.connect_sso.federation.plugins.module_utils import chain, federation_role
from ansible_collections.connect_sso.federation.plugins.module_utils.errors import ValidationError
from ansible_collections.connect_sso.federation.plugins.module_utils.module_support import (
    MANAGED_TAG_KEY,
    validate_tags,
)
from ansible_collections.connect_sso.federation.plugins.module_utils.relay_state import (
    federate_url,
    parse_federate_url,
    relay_state_for,
    validate_destination,
)

INSTANCE_ID = "8a2b3c4d-0000-4000-8000-000000000001"
INSTANCE = {
    "id": INSTANCE_ID,
    "arn": f"arn:aws:connect:us-east-1:222222222222:instance/{INSTANCE_ID}",
    "alias": "acme-dev-east",
    "account_id": "222222222222",
    "region": "us-east-1",
}


# --- tags -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["aws:owner", "AWS:owner", "Aws:cost"])
def test_tag_keys_starting_aws_are_refused_in_any_case(key):
    with pytest.raises(ValidationError) as error:
        validate_tags({key: "x"})
    assert error.value.option == "tags"
    assert "must not start with 'aws:'" in str(error.value)
    assert str(error.value).startswith(f"tags={key!r}")


def test_tag_key_over_128_characters_is_refused():
    with pytest.raises(ValidationError, match=r"tags='k{129}': a tag key is 1 to 128 characters"):
        validate_tags({"k" * 129: "v"})


def test_tag_value_over_256_characters_is_refused_naming_its_key():
    with pytest.raises(ValidationError, match=r"^tags\['team'\]='v{257}': a tag value is at most 256 characters"):
        validate_tags({"team": "v" * 257})


def test_at_most_49_own_tags_because_managed_by_is_added():
    assert len(validate_tags({f"k{i}": "v" for i in range(49)})) == 49
    with pytest.raises(ValidationError, match="at most 50 tags per resource, counting the managed-by tag"):
        validate_tags({f"k{i}": "v" for i in range(50)})
    # the ownership tag given by the user does not count twice
    assert validate_tags({**{f"k{i}": "v" for i in range(49)}, MANAGED_TAG_KEY: "x"})


def test_tags_at_the_limits_pass_and_become_strings():
    assert validate_tags({"k" * 128: "v" * 256, "n": 1, "empty": None}) == {"k" * 128: "v" * 256, "n": "1", "empty": ""}
    assert validate_tags(None) is None


def test_the_option_name_is_the_callers():
    with pytest.raises(ValidationError, match=r"^resource_tags='aws:x'"):
        validate_tags({"aws:x": "1"}, "resource_tags")


def test_role_settings_check_tags():
    with pytest.raises(ValidationError, match=r"^tags='aws:x'"):
        federation_role.role_settings("AmazonConnect_DEV_Role", tags={"aws:x": "1"})


# --- relay destinations ---------------------------------------------------------------------------


@pytest.mark.parametrize("destination", ["/ccp-v2", "/agent-app-v2", "/connect/home"])
def test_paths_are_destinations(destination):
    assert validate_destination(destination) == destination


@pytest.mark.parametrize(
    "destination",
    ["https://acme-dev-east.my.connect.aws/ccp-v2", "https://acme-dev-east.awsapps.com/connect/ccp-v2"],
)
def test_the_instances_own_domains_are_destinations(destination):
    assert validate_destination(destination, alias="acme-dev-east") == destination


@pytest.mark.parametrize(
    "destination",
    [
        "https://evil.example/x",
        "http://acme-dev-east.my.connect.aws/ccp-v2",  # plain http
        "https://acme-prod-east.my.connect.aws/ccp-v2",  # another instance
        "https://acme-dev-east.my.connect.aws.evil.example/x",
        "https://evil.example@acme-dev-east.my.connect.aws/x",  # user info
        "https://evil.example/acme-dev-east.my.connect.aws",
        "//evil.example/x",  # protocol-relative: a browser goes to evil.example
        "/\\evil.example/x",
        "javascript:alert(1)",
        "ccp-v2",
        "",
    ],
)
def test_other_destinations_are_refused(destination):
    with pytest.raises(ValidationError) as error:
        validate_destination(destination, alias="acme-dev-east")
    assert error.value.option == "relay_destination"
    assert "https://acme-dev-east.my.connect.aws/..." in error.value.rule


def test_without_an_alias_any_connect_domain_of_the_partition_is_accepted():
    assert validate_destination("https://someone.my.connect.aws/ccp-v2")
    with pytest.raises(ValidationError):
        validate_destination("https://evil.example/x")
    with pytest.raises(ValidationError):
        validate_destination("https://a.b.my.connect.aws/x")


def test_the_federate_url_refuses_another_instances_domain():
    assert "destination=%2Fccp-v2" in federate_url("us-east-1", INSTANCE_ID, "/ccp-v2", alias="acme-dev-east")
    with pytest.raises(ValidationError, match="^relay_destination='https://evil.example/x'"):
        federate_url("us-east-1", INSTANCE_ID, "https://evil.example/x", option="relay_destination", alias="x")


def test_sso_app_attributes_builds_no_relay_state_to_another_site():
    with pytest.raises(ValidationError, match="^relay_destination="):
        relay_state_for(None, INSTANCE["arn"], "https://evil.example/x")


def test_a_relay_state_whose_destination_leaves_connect_is_refused():
    url = f"https://us-east-1.console.aws.amazon.com/connect/federate/{INSTANCE_ID}?destination=https%3A%2F%2Fevil.example%2Fx"
    with pytest.raises(ValidationError, match=r"^relay_state \(its destination\)='https://evil.example/x'"):
        parse_federate_url(url)


# --- the chain: options as the user named them ----------------------------------------------------


def chain_inputs(**changes):
    inputs = dict(
        instance_id=INSTANCE_ID,
        instance_alias=None,
        app_name="AmazonConnect-DEV-us-east-1",
        app_description="",
        enabled=True,
        acs_url=None,
        audience=None,
        provider_name="AWSSSO_DEV_Connect",
        role_name="AmazonConnect_DEV_us-east-1_Role",
        role_path="/",
        saml_audiences=None,
        max_session_duration=43200,
        permissions_boundary=None,
        policy_name="AmazonConnectFederation",
        policy_type="inline",
        role_session_name="${user:email}",
        subject="${user:email}",
        subject_format="email",
        attributes={},
        relay_destination=None,
        new_domain=False,
        session_duration="PT1H",
        principals=[],
        assignment_required=None,
        exclusive_assignments=True,
        tags=None,
        control_api=True,
    )
    inputs.update(changes)
    return inputs


def test_chain_names_role_name_and_the_inventory_variable():
    with pytest.raises(ValidationError) as error:
        chain.validate(chain_inputs(role_name="R" * 65), "us-east-1")
    message = str(error.value)
    assert message.startswith("role_name='RRRR")
    assert "connect_federation_role_name" in message
    assert "an IAM role name is 1 to 64 characters" in message


def test_role_module_still_says_name():
    with pytest.raises(ValidationError, match=r"^name='R{65}': an IAM role name"):
        federation_role.role_settings("R" * 65)


def test_chain_names_role_path():
    with pytest.raises(ValidationError, match=r"^role_path='no-slashes'.*connect_federation_role_path"):
        chain.validate(chain_inputs(role_path="no-slashes"), "us-east-1")


def test_chain_refuses_aws_tags_naming_tags_and_the_inventory_variable():
    with pytest.raises(ValidationError, match=r"^tags='aws:owner'.*connect_federation_tags"):
        chain.validate(chain_inputs(tags={"aws:owner": "me"}), "us-east-1")


def test_chain_refuses_a_destination_off_connect_before_any_call():
    with pytest.raises(ValidationError) as error:
        chain.validate(chain_inputs(relay_destination="https://evil.example/x"), "us-east-1")
    assert error.value.option == "relay_destination"
    assert "connect_federation_relay_destination" in str(error.value)


def test_chain_refuses_another_instances_domain_once_the_instance_is_known():
    desired = chain.validate(
        chain_inputs(relay_destination="https://acme-prod-east.my.connect.aws/ccp-v2"), "us-east-1"
    )
    with pytest.raises(ValidationError, match="^relay_destination='https://acme-prod-east"):
        chain.links_for(INSTANCE, desired, "us-east-1")
    own = chain.validate(chain_inputs(relay_destination="https://acme-dev-east.my.connect.aws/ccp-v2"), "us-east-1")
    assert "acme-dev-east.my.connect.aws" in chain.links_for(INSTANCE, own, "us-east-1").relay_state
