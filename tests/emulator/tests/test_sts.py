"""STS in the emulator: AssumeRole into each sandbox account, and only into roles that exist."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from emulator.sandbox import ACCESS_ROLE, ACCOUNTS, AMBIENT_ACCOUNT


@pytest.mark.parametrize("name", sorted(ACCOUNTS))
def test_assume_role_into_each_sandbox_account_acts_as_that_account(client_for, name):
    account = ACCOUNTS[name]
    identity = client_for("sts", account).get_caller_identity()
    assert identity["Account"] == account
    assert identity["Arn"] == f"arn:aws:sts::{account}:assumed-role/{ACCESS_ROLE}/emulator-tests"
    client_for("iam", account).create_role(
        RoleName="MadeHere",
        AssumeRolePolicyDocument='{"Version":"2012-10-17","Statement":[{"Effect":"Allow",'
        '"Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}',
    )
    assert (
        client_for("iam", account).get_role(RoleName="MadeHere")["Role"]["Arn"].startswith(f"arn:aws:iam::{account}:")
    )


def test_ambient_credentials_act_in_the_ambient_account(client_for):
    assert client_for("sts").get_caller_identity()["Account"] == AMBIENT_ACCOUNT


def test_assume_role_into_a_missing_role_is_access_denied(client_for):
    sts = client_for("sts")
    with pytest.raises(ClientError) as error:
        sts.assume_role(RoleArn="arn:aws:iam::999999999999:role/OrganizationAccountAccessRole", RoleSessionName="x1")
    response = error.value.response
    assert (response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]) == ("AccessDenied", 403)
    assert "is not authorized to perform: sts:AssumeRole on resource" in response["Error"]["Message"]


def test_assumed_credentials_work_across_services(client_for):
    dev = ACCOUNTS["dev"]
    assert client_for("sts", dev).get_caller_identity()["Account"] == dev
    assert client_for("connect", dev).list_instances()["InstanceSummaryList"] is not None
