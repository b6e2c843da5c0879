"""The identity store of the IdC instance: seeded users, groups and memberships, lookups by
name, and AWS's refusal of any store that is not the caller's."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from emulator.sandbox import ACCOUNTS, GROUPS, IDENTITY_STORE_ID, ROOT_ACCOUNT, USERS

STORE_ARN = f"arn:aws:identitystore::{ROOT_ACCOUNT}:identitystore/{IDENTITY_STORE_ID}"


def code_of(call, **kwargs) -> tuple[str, int]:
    with pytest.raises(ClientError) as raised:
        call(**kwargs)
    response = raised.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]


def by(path: str, value: str) -> dict:
    return {"UniqueAttribute": {"AttributePath": path, "AttributeValue": value}}


@pytest.fixture
def store(client_for):
    return client_for("identitystore", ROOT_ACCOUNT)


def user_id(store, user_name: str) -> str:
    return store.get_user_id(IdentityStoreId=IDENTITY_STORE_ID, AlternateIdentifier=by("UserName", user_name))["UserId"]


def group_id(store, name: str) -> str:
    return store.get_group_id(IdentityStoreId=IDENTITY_STORE_ID, AlternateIdentifier=by("DisplayName", name))["GroupId"]


def test_sandbox_users_are_seeded_with_name_and_work_email(store):
    users = {u["UserName"]: u for u in store.list_users(IdentityStoreId=IDENTITY_STORE_ID)["Users"]}
    assert sorted(users) == sorted(u.user_name for u in USERS)
    for user in USERS:
        seeded = users[user.user_name]
        assert seeded["DisplayName"] == user.display_name
        assert (seeded["Name"]["GivenName"], seeded["Name"]["FamilyName"]) == (user.given_name, user.family_name)
        assert seeded["Emails"] == [{"Value": user.email, "Type": "work", "Primary": True}]


def test_sandbox_groups_are_seeded_with_descriptions(store):
    groups = {g["DisplayName"]: g for g in store.list_groups(IdentityStoreId=IDENTITY_STORE_ID)["Groups"]}
    assert {name: g["Description"] for name, g in groups.items()} == GROUPS


def test_memberships_follow_the_sandbox(store):
    for name in GROUPS:
        members = store.list_group_memberships(IdentityStoreId=IDENTITY_STORE_ID, GroupId=group_id(store, name))
        expected = {user_id(store, u.user_name) for u in USERS if name in u.groups}
        assert {m["MemberId"]["UserId"] for m in members["GroupMemberships"]} == expected
    dana = user_id(store, "dana.dev")
    mine = store.list_group_memberships_for_member(IdentityStoreId=IDENTITY_STORE_ID, MemberId={"UserId": dana})
    assert [m["GroupId"] for m in mine["GroupMemberships"]] == [group_id(store, "connect-dev-agents")]
    checked = store.is_member_in_groups(
        IdentityStoreId=IDENTITY_STORE_ID,
        MemberId={"UserId": dana},
        GroupIds=[group_id(store, "connect-dev-agents"), group_id(store, "connect-prod-agents")],
    )["Results"]
    assert [r["MembershipExists"] for r in checked] == [True, False]


def test_seed_reports_the_directory_it_made(emulator, store):
    idc = emulator.topology()["idc"]
    assert (idc["identity_store_id"], idc["region"]) == (IDENTITY_STORE_ID, "us-east-1")
    for user in idc["users"]:
        assert user_id(store, user["user_name"]) == user["user_id"]
        assert user["email"] == f"{user['user_name']}@example.com"
    for group in idc["groups"]:
        assert group_id(store, group["name"]) == group["group_id"]
        assert sorted(group["members"]) == sorted(u.user_name for u in USERS if group["name"] in u.groups)


def test_users_are_found_by_user_name_or_email(store):
    wanted = user_id(store, "paula.prod")
    found = store.get_user_id(
        IdentityStoreId=IDENTITY_STORE_ID, AlternateIdentifier=by("emails.value", "paula.prod@example.com")
    )
    assert found["UserId"] == wanted
    assert store.describe_user(IdentityStoreId=IDENTITY_STORE_ID, UserId=wanted)["UserName"] == "paula.prod"


def test_unknown_names_are_not_found(store):
    assert code_of(
        store.get_user_id, IdentityStoreId=IDENTITY_STORE_ID, AlternateIdentifier=by("UserName", "nobody")
    ) == (
        "ResourceNotFoundException",
        400,
    )
    assert code_of(
        store.get_group_id, IdentityStoreId=IDENTITY_STORE_ID, AlternateIdentifier=by("DisplayName", "nobody")
    ) == (
        "ResourceNotFoundException",
        400,
    )
    missing = "00000000-0000-4000-8000-000000000000"
    assert code_of(store.describe_user, IdentityStoreId=IDENTITY_STORE_ID, UserId=missing) == (
        "ResourceNotFoundException",
        400,
    )


def test_lookups_by_attributes_that_are_not_unique_are_refused(store):
    assert code_of(
        store.get_group_id, IdentityStoreId=IDENTITY_STORE_ID, AlternateIdentifier=by("Description", "x")
    ) == (
        "ValidationException",
        400,
    )
    assert code_of(
        store.get_user_id, IdentityStoreId=IDENTITY_STORE_ID, AlternateIdentifier=by("DisplayName", "x")
    ) == (
        "ValidationException",
        400,
    )


def test_the_store_arn_works_like_its_id(store):
    assert len(store.list_users(IdentityStoreId=STORE_ARN)["Users"]) == len(USERS)


def test_stores_that_are_not_the_callers_are_refused(store, client_for):
    assert code_of(store.list_users, IdentityStoreId="d-0000000000") == ("ResourceNotFoundException", 400)
    assert code_of(store.list_users, IdentityStoreId="not-a-store") == ("ValidationException", 400)
    other_account = f"arn:aws:identitystore::{ACCOUNTS['dev']}:identitystore/{IDENTITY_STORE_ID}"
    assert code_of(store.list_users, IdentityStoreId=other_account) == ("ResourceNotFoundException", 400)
    member = client_for("identitystore", ACCOUNTS["dev"])
    assert code_of(member.list_users, IdentityStoreId=IDENTITY_STORE_ID) == ("ResourceNotFoundException", 400)
    west = client_for("identitystore", ROOT_ACCOUNT, "us-west-2")
    assert code_of(west.list_groups, IdentityStoreId=IDENTITY_STORE_ID) == ("ResourceNotFoundException", 400)
    # and nothing was created on the way, as moto would have done
    assert code_of(store.create_group, IdentityStoreId="d-0000000000", DisplayName="x") == (
        "ResourceNotFoundException",
        400,
    )


def test_the_directory_can_grow(store):
    created = store.create_group(IdentityStoreId=IDENTITY_STORE_ID, DisplayName="connect-dev-supervisors")
    assert group_id(store, "connect-dev-supervisors") == created["GroupId"]
    assert code_of(store.create_group, IdentityStoreId=IDENTITY_STORE_ID, DisplayName="connect-dev-supervisors") == (
        "ConflictException",
        400,
    )
