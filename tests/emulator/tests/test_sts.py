"""STS in the emulator: AssumeRole into each sandbox account, and only into roles that exist and
whose trust policy allows the caller."""

from __future__ import annotations

import json

import boto3
import pytest
from botocore.exceptions import ClientError

from emulator.extensions.iam import trust_decision
from emulator.sandbox import ACCESS_ROLE, ACCOUNTS, AMBIENT_ACCOUNT

DEV, QA = ACCOUNTS["dev"], ACCOUNTS["qa"]


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


# --- trust policies ----------------------------------------------------------------------------


def trust(*statements: dict) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def allow(principal, action="sts:AssumeRole", effect="Allow") -> dict:
    return {"Effect": effect, "Principal": {"AWS": principal}, "Action": action}


def make_role(client_for, account: str, name: str, document: str) -> str:
    return client_for("iam", account).create_role(RoleName=name, AssumeRolePolicyDocument=document)["Role"]["Arn"]


def refusal(sts, role_arn: str) -> dict:
    with pytest.raises(ClientError) as error:
        sts.assume_role(RoleArn=role_arn, RoleSessionName="refused")
    return error.value.response


def assert_access_denied(sts, role_arn: str) -> None:
    caller = sts.get_caller_identity()["Arn"]
    response = refusal(sts, role_arn)
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert response["Error"] == {
        "Type": "Sender",
        "Code": "AccessDenied",
        "Message": f"User: {caller} is not authorized to perform: sts:AssumeRole on resource: {role_arn}",
    }


def test_the_seeded_access_roles_trust_exactly_the_ambient_account_root(client_for):
    """As AWS Organizations makes OrganizationAccountAccessRole: trusted by the account the
    callers come from (ambient dummy keys act in moto's default account), by its root."""
    for account in ACCOUNTS.values():
        document = client_for("iam", account).get_role(RoleName=ACCESS_ROLE)["Role"]["AssumeRolePolicyDocument"]
        assert document["Statement"] == [allow(f"arn:aws:iam::{AMBIENT_ACCOUNT}:root")]


def test_a_role_trusting_another_account_refuses_the_caller(client_for):
    role_arn = make_role(client_for, DEV, "TrustsAnother", trust(allow("arn:aws:iam::999999999999:root")))
    assert_access_denied(client_for("sts"), role_arn)


def test_a_role_trusting_only_another_service_or_action_refuses_the_caller(client_for):
    service = trust({"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"})
    assert_access_denied(client_for("sts"), make_role(client_for, DEV, "ServiceOnly", service))
    tag_only = trust(allow(f"arn:aws:iam::{AMBIENT_ACCOUNT}:root", action="sts:TagSession"))
    assert_access_denied(client_for("sts"), make_role(client_for, DEV, "TagOnly", tag_only))


def test_an_explicit_deny_wins_over_an_allow(client_for):
    document = trust(
        allow(f"arn:aws:iam::{AMBIENT_ACCOUNT}:root"),
        allow("*", effect="Deny"),
    )
    assert_access_denied(client_for("sts"), make_role(client_for, DEV, "Denied", document))


def test_an_explicit_deny_of_another_account_does_not_refuse_the_caller(client_for):
    document = trust(allow(AMBIENT_ACCOUNT), allow("arn:aws:iam::999999999999:root", effect="Deny"))
    role_arn = make_role(client_for, DEV, "DeniesAnother", document)
    assert client_for("sts").assume_role(RoleArn=role_arn, RoleSessionName="ok")["Credentials"]["AccessKeyId"]


@pytest.mark.parametrize(
    ("principal", "action"),
    [
        (AMBIENT_ACCOUNT, "sts:AssumeRole"),
        (f"arn:aws:iam::{AMBIENT_ACCOUNT}:root", ["sts:TagSession", "sts:AssumeRole"]),
        (["arn:aws:iam::999999999999:root", "*"], "sts:AssumeRole"),
    ],
)
def test_an_allowed_caller_gets_credentials_acting_in_the_roles_account(client_for, emulator, principal, action):
    role_arn = make_role(client_for, DEV, "Allowed", trust(allow(principal, action=action)))
    answer = client_for("sts").assume_role(RoleArn=role_arn, RoleSessionName="allowed")
    assert answer["AssumedRoleUser"]["Arn"] == f"arn:aws:sts::{DEV}:assumed-role/Allowed/allowed"
    credentials = answer["Credentials"]
    session = boto3.session.Session(
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
        region_name="us-east-1",
    )
    identity = session.client("sts", endpoint_url=emulator.endpoint).get_caller_identity()
    assert (identity["Account"], identity["Arn"]) == (DEV, answer["AssumedRoleUser"]["Arn"])


def test_a_role_principal_admits_that_roles_sessions_only(client_for):
    """Trust naming dev's access role: its sessions may assume the role, the ambient caller may not;
    and a dev session may not assume another account's access role (only the ambient root may)."""
    dev_access_role = f"arn:aws:iam::{DEV}:role/{ACCESS_ROLE}"
    role_arn = make_role(client_for, QA, "FromDev", trust(allow(dev_access_role)))
    dev_sts = client_for("sts", DEV)
    answer = dev_sts.assume_role(RoleArn=role_arn, RoleSessionName="chained")
    assert answer["AssumedRoleUser"]["Arn"] == f"arn:aws:sts::{QA}:assumed-role/FromDev/chained"
    assert_access_denied(client_for("sts"), role_arn)
    assert_access_denied(dev_sts, f"arn:aws:iam::{QA}:role/{ACCESS_ROLE}")


# moto's trust-policy validator refuses sts:* and NotAction on CreateRole, so the evaluator is
# checked directly for those.
CALLER = (AMBIENT_ACCOUNT, {f"arn:aws:sts::{AMBIENT_ACCOUNT}:user/moto", f"arn:aws:iam::{AMBIENT_ACCOUNT}:user/moto"})


@pytest.mark.parametrize(
    ("statements", "decision"),
    [
        ([allow(AMBIENT_ACCOUNT, action="sts:*")], "Allow"),
        ([allow(AMBIENT_ACCOUNT, action="*")], "Allow"),
        ([allow(AMBIENT_ACCOUNT, action=["sts:TagSession", "STS:assumerole"])], "Allow"),
        ([{"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"}], "Allow"),
        ([{"Effect": "Allow", "Principal": {"AWS": AMBIENT_ACCOUNT}, "NotAction": "sts:TagSession"}], "Allow"),
        ([{"Effect": "Allow", "Principal": {"AWS": AMBIENT_ACCOUNT}, "NotAction": "sts:Assume*"}], "ImplicitDeny"),
        ([allow(AMBIENT_ACCOUNT, action="sts:AssumeRoleWithSAML")], "ImplicitDeny"),
        ([allow(f"arn:aws:iam::{AMBIENT_ACCOUNT}:user/other")], "ImplicitDeny"),
        ([allow(AMBIENT_ACCOUNT), allow(AMBIENT_ACCOUNT, action="sts:*", effect="Deny")], "Deny"),
        ([allow(AMBIENT_ACCOUNT), allow(DEV, action="sts:*", effect="Deny")], "Allow"),
    ],
)
def test_the_trust_policy_decision(statements, decision):
    assert trust_decision(trust(*statements), "sts:AssumeRole", *CALLER) == decision
