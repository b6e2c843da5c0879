"""The ARN filters (plugins/filter/arns.py): the module_utils builders with the partition from the
region, every part checked, and a bad input reported as a filter error naming the rule."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest
import yaml
from ansible.errors import AnsibleFilterError
from ansible_collections.connect_sso.federation.plugins.filter import arns as arn_filters

INSTANCE = "3f2b6c1e-0f0e-4b8a-9a57-5d7c1d4e6a21"
ACCOUNT = "444444444444"
FILTER_DIR = Path(arn_filters.__file__).parent


def test_role_arn_is_in_the_partition_of_the_region_with_its_path():
    assert arn_filters.role_arn("Agents", ACCOUNT, "us-west-2") == f"arn:aws:iam::{ACCOUNT}:role/Agents"
    assert (
        arn_filters.role_arn("Agents", ACCOUNT, "us-gov-west-1", path="/connect/")
        == f"arn:aws-us-gov:iam::{ACCOUNT}:role/connect/Agents"
    )


def test_saml_provider_arn_is_in_the_partition_of_the_region():
    assert (
        arn_filters.saml_provider_arn("AWSSSO_PROD_us-west-2_Connect", ACCOUNT, "us-west-2")
        == f"arn:aws:iam::{ACCOUNT}:saml-provider/AWSSSO_PROD_us-west-2_Connect"
    )
    assert arn_filters.saml_provider_arn("P", ACCOUNT, "cn-north-1") == f"arn:aws-cn:iam::{ACCOUNT}:saml-provider/P"


def test_connect_instance_arn_names_region_account_and_instance():
    assert (
        arn_filters.connect_instance_arn(INSTANCE, ACCOUNT, "us-west-2")
        == f"arn:aws:connect:us-west-2:{ACCOUNT}:instance/{INSTANCE}"
    )
    assert arn_filters.connect_instance_arn(INSTANCE, ACCOUNT, "us-gov-west-1").startswith(
        "arn:aws-us-gov:connect:us-gov-west-1:"
    )


def test_an_account_id_yaml_read_as_a_number_gives_the_same_arn():
    assert arn_filters.role_arn("Agents", int(ACCOUNT), "us-east-1") == arn_filters.role_arn(
        "Agents", ACCOUNT, "us-east-1"
    )


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        (
            lambda: arn_filters.role_arn("Agents", ACCOUNT, "us-east-7"),
            "connect_sso.federation.role_arn: region='us-east-7': is not an AWS region botocore knows",
        ),
        (
            lambda: arn_filters.saml_provider_arn("P", ACCOUNT, None),
            "connect_sso.federation.saml_provider_arn: region=None: a region is required",
        ),
        (
            lambda: arn_filters.connect_instance_arn(INSTANCE, ACCOUNT, "eu-west-9"),
            "connect_sso.federation.connect_instance_arn: region='eu-west-9': is not an AWS region",
        ),
        (
            lambda: arn_filters.role_arn("Agents", "4444", "us-east-1"),
            "connect_sso.federation.role_arn: account_id='4444': an AWS account id is 12 digits",
        ),
        (
            lambda: arn_filters.role_arn("Agents with spaces", ACCOUNT, "us-east-1"),
            "connect_sso.federation.role_arn: name='Agents with spaces': an IAM role name is 1 to 64 characters",
        ),
        (
            lambda: arn_filters.role_arn("Agents", ACCOUNT, "us-east-1", path="connect"),
            "connect_sso.federation.role_arn: path='connect': an IAM path is '/' or starts and ends with '/'",
        ),
        (
            lambda: arn_filters.saml_provider_arn("a/b", ACCOUNT, "us-east-1"),
            "connect_sso.federation.saml_provider_arn: name='a/b': an IAM SAML provider name is 1 to 128 characters",
        ),
        (
            lambda: arn_filters.connect_instance_arn("acme-prod-west", ACCOUNT, "us-east-1"),
            "connect_sso.federation.connect_instance_arn: instance_id='acme-prod-west': an Amazon Connect instance id",
        ),
    ],
)
def test_a_bad_input_fails_as_a_filter_error_naming_the_filter_the_option_and_the_rule(call, expected):
    with pytest.raises(AnsibleFilterError) as error:
        call()
    assert str(error.value).startswith(expected), str(error.value)


def test_every_filter_is_documented_beside_its_file_with_its_signature():
    filters = arn_filters.FilterModule().filters()
    assert sorted(filters) == ["connect_instance_arn", "role_arn", "saml_provider_arn"]
    for name, function in filters.items():
        doc = yaml.safe_load((FILTER_DIR / f"{name}.yml").read_text())
        assert doc["DOCUMENTATION"]["name"] == name
        assert doc["EXAMPLES"].count(f"connect_sso.federation.{name}(") >= 1
        assert doc["RETURN"]["_value"]["type"] == "str"
        parameters = list(inspect.signature(function).parameters)
        options = doc["DOCUMENTATION"]["options"]
        assert sorted(options) == sorted(["_input", *parameters[1:]]), name
        positional = [p.strip() for p in doc["DOCUMENTATION"]["positional"].split(",")]
        assert positional == ["_input", *parameters[1:3]], name
        for option, spec in options.items():
            assert spec["description"], (name, option)
            required = inspect.signature(function).parameters[parameters[0] if option == "_input" else option]
            assert spec.get("required", False) == (required.default is inspect.Parameter.empty), (name, option)
