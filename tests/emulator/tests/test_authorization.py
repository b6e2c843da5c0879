"""The identity-policy evaluator of the emulator (authorization.py), on documents alone."""

from __future__ import annotations

import json

from emulator.authorization import allowed

ACCOUNT = "222222222222"
BOUNDARY = f"arn:aws:iam::{ACCOUNT}:policy/B"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/AmazonConnect_X_Role"
GUARD = {
    "Statement": [
        {
            "Effect": "Allow",
            "Action": ["iam:CreateRole", "iam:AttachRolePolicy"],
            "Resource": "arn:aws:iam::*:role/AmazonConnect_*_Role",
            "Condition": {
                "StringEquals": {"iam:PermissionsBoundary": "arn:aws:iam::${aws:PrincipalAccount}:policy/B"},
                "ArnLike": {"iam:PolicyARN": "arn:aws:iam::*:policy/Federation*"},
            },
        },
        {"Effect": "Deny", "Action": "iam:DeleteRolePermissionsBoundary", "Resource": "*"},
        {"Effect": "Allow", "Action": "iam:*RolePermissionsBoundary", "Resource": "*"},
        {
            "Effect": "Allow",
            "Action": "sso:UntagResource",
            "Resource": "*",
            "Condition": {"ForAllValues:StringNotEquals": {"aws:TagKeys": "managed-by"}},
        },
    ]
}


def context(**keys) -> dict:
    return {"aws:PrincipalAccount": ACCOUNT, **{k.replace("_", ":", 1): v for k, v in keys.items()}}


def test_every_condition_of_a_statement_must_hold():
    policy = f"arn:aws:iam::{ACCOUNT}:policy/Federation_1"
    assert allowed(
        [GUARD], "iam:AttachRolePolicy", ROLE, context(iam_PermissionsBoundary=BOUNDARY, iam_PolicyARN=policy)
    )
    other = "arn:aws:iam::aws:policy/AdministratorAccess"
    assert not allowed(
        [GUARD], "iam:AttachRolePolicy", ROLE, context(iam_PermissionsBoundary=BOUNDARY, iam_PolicyARN=other)
    )
    assert not allowed([GUARD], "iam:AttachRolePolicy", ROLE, context(iam_PolicyARN=policy))  # no boundary: key absent


def test_policy_variables_resources_and_case_of_actions():
    keys = context(iam_PermissionsBoundary=BOUNDARY, iam_PolicyARN=f"arn:aws:iam::{ACCOUNT}:policy/Federation")
    assert allowed([json.dumps(GUARD)], "IAM:createrole", ROLE, keys)
    assert not allowed([GUARD], "iam:CreateRole", f"arn:aws:iam::{ACCOUNT}:role/Admin", keys)
    other_account = dict(keys, **{"aws:PrincipalAccount": "333333333333"})
    assert not allowed([GUARD], "iam:CreateRole", ROLE, other_account)


def test_an_explicit_deny_wins_and_nothing_is_allowed_by_default():
    assert allowed([GUARD], "iam:PutRolePermissionsBoundary", ROLE, context())
    assert not allowed([GUARD], "iam:DeleteRolePermissionsBoundary", ROLE, context())
    assert not allowed([GUARD], "iam:CreateUser", "*", context())
    assert not allowed([], "iam:GetRole", ROLE, context())


def test_for_all_values_over_a_list_key():
    assert allowed([GUARD], "sso:UntagResource", "x", context(aws_TagKeys=["env", "team"]))
    assert not allowed([GUARD], "sso:UntagResource", "x", context(aws_TagKeys=["env", "managed-by"]))


def test_without_a_resource_only_the_action_decides():
    assert allowed([GUARD], "iam:CreateRole", None, {})
