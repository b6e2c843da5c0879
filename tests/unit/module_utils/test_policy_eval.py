"""The doctor's policy evaluator: IAM's evaluation logic (explicit Deny wins, else any Allow,
else implicit deny), wildcards, policy variables and conditions, judged as IAM judges them."""

from __future__ import annotations

import json

import pytest
from ansible_collections.connect_sso.federation.plugins.module_utils.policies import federation_policy, trust_policy
from ansible_collections.connect_sso.federation.plugins.module_utils.policy_eval import (
    ALLOW,
    DENY,
    IMPLICIT,
    UNKNOWN,
    Request,
    evaluate,
)

INSTANCE = "arn:aws:connect:us-west-2:333333333333:instance/a27e34ec-1ac6-50ab-84a1-792a21c0fb1e"
OTHER = "arn:aws:connect:us-east-1:333333333333:instance/5c1e0000-0000-4000-8000-000000000000"
PROVIDER = "arn:aws:iam::333333333333:saml-provider/AWSSSO_QA_us-west-2_Connect"
ACS = "https://signin.aws.amazon.com/saml"
USER = "AROAEXAMPLE:agent@example.com"


def federation(instance: str = INSTANCE) -> Request:
    return Request(
        "connect:GetFederationToken",
        resource=f"{instance}/user/{USER}",
        context={"connect:InstanceId": instance.rsplit("/", 1)[1], "aws:userid": USER},
    )


def statement(effect: str = "Allow", **fields) -> dict:
    return {"Version": "2012-10-17", "Statement": [{"Effect": effect, **fields}]}


def test_the_collections_own_policy_allows_its_instance_and_no_other():
    policy = federation_policy([INSTANCE])
    assert evaluate([policy], federation()).effect == ALLOW
    assert evaluate([policy], federation(OTHER)).effect == IMPLICIT


@pytest.mark.parametrize(
    "document",
    [
        statement(Action="connect:*", Resource="arn:aws:connect:*:333333333333:instance/*"),
        statement(Action="connect:Get?ederationToken", Resource="*"),
        statement(Action="*", Resource="*"),
        statement(NotAction="s3:*", Resource="*"),
        json.dumps(statement(Action=["CONNECT:getfederationtoken"], Resource=f"{INSTANCE}/user/${{aws:userid}}")),
    ],
)
def test_wildcards_and_variables_that_cover_the_request_allow_it(document):
    assert evaluate([document], federation()).effect == ALLOW


def test_an_explicit_deny_wins_over_any_allow_in_any_document():
    allow = federation_policy([INSTANCE])
    deny = statement("Deny", Sid="NoFederation", Action="connect:GetFederation*", Resource="*")
    assert evaluate([allow, deny], federation()) == (DENY, "NoFederation")
    assert evaluate([deny, allow], federation()).effect == DENY


@pytest.mark.parametrize(
    ("condition", "effect"),
    [
        ({"StringEquals": {"connect:InstanceId": INSTANCE.rsplit("/", 1)[1]}}, ALLOW),
        ({"StringEquals": {"connect:InstanceId": "another"}}, IMPLICIT),
        ({"StringNotEquals": {"connect:InstanceId": "another"}}, ALLOW),
        ({"StringLike": {"aws:userid": "AROA*:*@example.com"}}, ALLOW),
        ({"StringEquals": {"aws:SourceVpc": "vpc-1"}}, IMPLICIT),  # a key the request lacks: false
        ({"StringEqualsIfExists": {"aws:SourceVpc": "vpc-1"}}, ALLOW),  # ... unless IfExists
        ({"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}, UNKNOWN),  # never a guess
        ({"ForAnyValue:StringLike": {"aws:TagKeys": "x"}}, UNKNOWN),
    ],
)
def test_conditions_are_judged_as_iam_judges_them(condition, effect):
    assert (
        evaluate(
            [statement(Action="connect:GetFederationToken", Resource="*", Condition=condition)], federation()
        ).effect
        == effect
    )


def test_the_trust_policy_trusts_its_provider_for_the_acs_only():
    trust = trust_policy([PROVIDER], [ACS])
    request = Request("sts:AssumeRoleWithSAML", principal={"Federated": PROVIDER}, context={"SAML:aud": ACS})
    assert evaluate([trust], request).effect == ALLOW
    assert evaluate([trust], request._replace(context={"SAML:aud": "https://evil.example.com/saml"})).effect == IMPLICIT
    assert evaluate([trust], request._replace(principal={"Federated": PROVIDER + "x"})).effect == IMPLICIT
