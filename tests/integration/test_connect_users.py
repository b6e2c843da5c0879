"""connect_saml_users called directly, in this process, against the emulator: Connect users made from
IdC group membership on dev-east (and prod-east for the case mismatch of the sandbox)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from emulator.sandbox import ACCOUNTS, IDENTITY_STORE_ID, INSTANCES, ROOT_ACCOUNT

DEV, PROD = ACCOUNTS["dev"], ACCOUNTS["prod"]
DEV_EAST = next(i for i in INSTANCES if i.host == "dev-east")
MANAGED = {"managed-by": "connect_sso.federation"}
EMAIL_TAG = "managed-by:secondary-email"
ROUTING = "Basic Routing Profile"
AGENTS = {"group": "connect-dev-agents", "security_profiles": ["Agent"], "routing_profile": ROUTING}
ADMINS = {
    "group": "connect-dev-admins",
    "security_profiles": ["Admin", "CallCenterManager"],
    "routing_profile": ROUTING,
}


@pytest.fixture
def users(run_module, idc_credentials):
    """users(access, check=False, diff=False, account=DEV, **options) -> ModuleRun of connect_saml_users."""

    def run(access, check=False, diff=False, account=DEV, alias="acme-dev-east", **options):
        args = {"instance_alias": alias, "idc": {"region": "us-east-1", **idc_credentials}, "access": access, **options}
        return run_module("connect_saml_users", args, account=account, region="us-east-1", check=check, diff=diff)

    return run


@pytest.fixture
def directory(client_for):
    """The sandbox identity store: add users, move them between groups."""
    store = client_for("identitystore", ROOT_ACCOUNT)

    class Directory:
        def group(self, name: str) -> str:
            return store.get_group_id(
                IdentityStoreId=IDENTITY_STORE_ID,
                AlternateIdentifier={"UniqueAttribute": {"AttributePath": "DisplayName", "AttributeValue": name}},
            )["GroupId"]

        def add_user(self, user_name: str, given: str, family: str, email: str | None = None, groups=()) -> str:
            user_id = store.create_user(
                IdentityStoreId=IDENTITY_STORE_ID,
                UserName=user_name,
                DisplayName=f"{given} {family}",
                Name={"GivenName": given, "FamilyName": family},
                Emails=[{"Value": email or f"{user_name}@example.com", "Primary": True}],
            )["UserId"]
            for group in groups:
                self.join(user_id, group)
            return user_id

        def join(self, user_id: str, group: str) -> None:
            store.create_group_membership(
                IdentityStoreId=IDENTITY_STORE_ID, GroupId=self.group(group), MemberId={"UserId": user_id}
            )

        def leave(self, user_id: str, group: str) -> None:
            membership = store.get_group_membership_id(
                IdentityStoreId=IDENTITY_STORE_ID, GroupId=self.group(group), MemberId={"UserId": user_id}
            )["MembershipId"]
            store.delete_group_membership(IdentityStoreId=IDENTITY_STORE_ID, MembershipId=membership)

    return Directory()


@pytest.fixture
def connect(client_for):
    """connect(account=DEV, instance=DEV_EAST.id) -> {username: user with profile *names*} (SearchUsers)."""

    def read(account=DEV, instance_id=DEV_EAST.id):
        client = client_for("connect", account)
        security = {
            p["Id"]: p["Name"]
            for p in client.list_security_profiles(InstanceId=instance_id)["SecurityProfileSummaryList"]
        }
        found = client.search_users(InstanceId=instance_id, MaxResults=500)["Users"]
        return {u["Username"]: {**u, "profiles": sorted(security[i] for i in u["SecurityProfileIds"])} for u in found}

    return read


def writes(emulator, since: int) -> Counter:
    return Counter(r["operation"] for r in emulator.writes(since=since))


def test_members_get_users_with_exact_usernames_and_profiles_and_untagged_users_are_left_alone(
    users, directory, connect, emulator
):
    directory.add_user("alex.dev", "Álex", "Dev", groups=["connect-dev-agents"])
    mark = emulator.mark()
    out = users([AGENTS, ADMINS])
    assert not out.failed, out.msg
    assert (out.result["created"], out.result["updated"], out.result["deleted"]) == (1, 0, 0)
    assert out.result["users"] == {"alex.dev@example.com": "created"}
    # the sandbox's own Connect users carry no ownership tag: reported, not changed
    assert {u["username"] for u in out.result["not_adopted"]} == {"dana.dev@example.com", "dmitri.dev@example.com"}
    assert writes(emulator, mark) == Counter({"CreateUser": 1})
    alex = connect()["alex.dev@example.com"]
    assert alex["profiles"] == ["Agent"] and alex["Tags"]["managed-by"] == MANAGED["managed-by"]
    assert set(alex["Tags"]) == {"managed-by", EMAIL_TAG}
    assert alex["IdentityInfo"] == {"FirstName": "Álex", "LastName": "Dev"}
    assert alex["PhoneConfig"] == {"PhoneType": "SOFT_PHONE", "AutoAccept": False, "AfterContactWorkTimeLimit": 0}
    # a rerun and a check run write nothing
    mark = emulator.mark()
    again = users([AGENTS, ADMINS])
    assert (again.failed, again.result["changed"], again.result["unchanged"]) == (False, False, 1)
    checked = users([AGENTS, ADMINS], check=True, diff=True)
    assert (checked.failed, checked.result["changed"]) == (False, False)
    assert emulator.writes(since=mark) == []


def test_reads_are_bounded_profiles_once_users_by_search_members_once_per_group(users, directory, emulator):
    for index in range(3):
        directory.add_user(f"agent{index}", "Agent", f"No{index}", groups=["connect-dev-agents", "connect-dev-admins"])
    mark = emulator.mark()
    out = users([AGENTS, ADMINS])
    assert not out.failed, out.msg
    calls = Counter((r["service"], r["operation"]) for r in emulator.requests(since=mark))
    assert calls[("connect", "ListSecurityProfiles")] == 1 and calls[("connect", "ListRoutingProfiles")] == 1
    assert calls[("connect", "SearchUsers")] == 1 and calls[("connect", "DescribeUser")] == 0
    assert calls[("identitystore", "ListGroupMemberships")] == 2
    assert calls[("identitystore", "DescribeUser")] == 5  # 3 new users and dana and dmitri, each once


def test_check_mode_writes_nothing_and_diff_shows_each_user(users, directory, emulator):
    directory.add_user("alex.dev", "Alex", "Dev", groups=["connect-dev-agents"])
    mark = emulator.mark()
    out = users([AGENTS], check=True, diff=True)
    assert (out.failed, out.result["changed"], out.result["created"]) == (False, True, 1)
    assert emulator.writes(since=mark) == []
    after = out.result["diff"]["after"]["alex.dev@example.com"]
    assert (after["security_profiles"], after["routing_profile"], after["managed"]) == (["Agent"], ROUTING, True)
    assert out.result["diff"]["before"] == {}


def test_moved_between_groups_gets_the_new_profiles_and_in_two_groups_the_union(users, directory, connect, emulator):
    alex = directory.add_user("alex.dev", "Alex", "Dev", groups=["connect-dev-agents"])
    assert not users([AGENTS, ADMINS]).failed
    directory.leave(alex, "connect-dev-agents")
    directory.join(alex, "connect-dev-admins")
    moved = users([AGENTS, ADMINS], diff=True)
    assert (moved.result["updated"], moved.result["users"]) == (1, {"alex.dev@example.com": "updated"})
    assert moved.result["diff"]["before"]["alex.dev@example.com"]["security_profiles"] == ["Agent"]
    assert connect()["alex.dev@example.com"]["profiles"] == ["Admin", "CallCenterManager"]
    directory.join(alex, "connect-dev-agents")
    mark = emulator.mark()
    both = users([AGENTS, ADMINS])
    assert both.result["updated"] == 1
    assert writes(emulator, mark) == Counter({"UpdateUserSecurityProfiles": 1})
    assert connect()["alex.dev@example.com"]["profiles"] == ["Admin", "Agent", "CallCenterManager"]


def test_first_entry_gives_routing_and_phone_settings(users, directory, connect):
    directory.add_user("alex.dev", "Alex", "Dev", groups=["connect-dev-agents", "connect-dev-admins"])
    slow = {**ADMINS, "after_contact_work_time_limit": 30, "auto_accept": True}
    assert not users([slow, AGENTS]).failed
    phone = connect()["alex.dev@example.com"]["PhoneConfig"]
    assert (phone["AfterContactWorkTimeLimit"], phone["AutoAccept"]) == (30, True)
    out = users([AGENTS, slow])
    assert out.result["updated"] == 1
    assert connect()["alex.dev@example.com"]["PhoneConfig"]["AfterContactWorkTimeLimit"] == 0


def test_removed_from_every_group_is_deleted_only_with_exclusive_and_only_when_ours(
    users, directory, connect, emulator
):
    alex = directory.add_user("alex.dev", "Alex", "Dev", groups=["connect-dev-agents"])
    assert not users([AGENTS]).failed
    directory.leave(alex, "connect-dev-agents")
    kept = users([AGENTS])
    assert (kept.result["changed"], kept.result["deleted"]) == (False, 0)
    # dana and dmitri (untagged) are not in [ADMINS]' groups either: never deleted
    mark = emulator.mark()
    gone = users([ADMINS], exclusive=True)
    assert (gone.result["deleted"], gone.result["users"]) == (1, {"alex.dev@example.com": "deleted"})
    assert writes(emulator, mark) == Counter({"DeleteUser": 1})
    assert set(connect()) == {"dana.dev@example.com", "dmitri.dev@example.com"}


def test_adopt_brings_an_untagged_user_to_the_desired_profiles_and_tags_it(users, connect, emulator):
    mark = emulator.mark()
    left = users([ADMINS])
    assert left.result["not_adopted"] and not left.result["changed"]
    assert emulator.writes(since=mark) == []
    adopted = users([ADMINS], adopt=True)
    assert (adopted.result["updated"], adopted.result["not_adopted"]) == (1, [])
    dmitri = connect()["dmitri.dev@example.com"]
    assert (
        dmitri["profiles"] == ["Admin", "CallCenterManager"] and dmitri["Tags"]["managed-by"] == MANAGED["managed-by"]
    )
    assert users([ADMINS], adopt=True).result["changed"] is False


def test_a_plus_address_is_refused_before_any_write_naming_the_user(users, directory, emulator):
    directory.add_user("alex.dev", "Alex", "Dev", groups=["connect-dev-agents"])
    directory.add_user("bob.dev", "Bob", "Dev", email="bob+connect@example.com", groups=["connect-dev-agents"])
    mark = emulator.mark()
    out = users([AGENTS])
    assert out.failed
    assert "bob.dev" in out.msg and "bob+connect@example.com" in out.msg and "'+'" in out.msg
    assert emulator.writes(since=mark) == []


def test_an_unknown_profile_or_group_fails_naming_it_before_any_write(users, emulator):
    mark = emulator.mark()
    out = users([{**AGENTS, "security_profiles": ["Agents"]}])
    assert out.failed and "access[0].security_profiles" in out.msg and "'Agents'" in out.msg
    out = users([{**AGENTS, "group": "connect-dev-nobody"}])
    assert out.failed and "connect-dev-nobody" in out.msg
    assert emulator.writes(since=mark) == []


def test_a_username_that_differs_only_in_case_is_reported_and_never_duplicated(users, connect, emulator):
    prod_agents = [{**AGENTS, "group": "connect-prod-agents"}]
    mark = emulator.mark()
    out = users(prod_agents, account=PROD, alias="acme-prod-east", adopt=True)
    assert not out.failed, out.msg
    assert [(m["username"], m["connect_username"]) for m in out.result["case_mismatches"]] == [
        ("peter.prod@example.com", "Peter.Prod@example.com")
    ]
    assert "case sensitive" in out.result["case_mismatches"][0]["fix"]
    # paula.prod is adopted, pia.prod (no Connect user yet) created, peter.prod not created again in lower case
    assert out.result["users"] == {"paula.prod@example.com": "updated", "pia.prod@example.com": "created"}
    assert Counter(r["operation"] for r in emulator.writes(since=mark))["CreateUser"] == 1


def test_the_username_source_is_what_the_app_sends(users, directory, connect):
    directory.add_user("alex.dev", "Alex", "Dev", groups=["connect-dev-agents"])
    out = users([AGENTS], username_source="${user:preferredUsername}")
    assert not out.failed, out.msg
    # dana.dev and alex.dev have no Connect user by user name yet
    assert out.result["users"] == {"alex.dev": "created", "dana.dev": "created"}
    bad = users([AGENTS], username_source="${user:subject}")
    assert bad.failed and "username_source" in bad.msg


SITE = Path(__file__).resolve().parents[2] / "site.yml"
USERS_TASK = "Federate the Connect instance with IAM Identity Center"  # the chain's last step, "users"


@pytest.mark.slow
def test_the_role_makes_users_only_when_mapped_and_the_mapped_user_then_signs_in(playbook, directory, emulator):
    directory.add_user("alex.dev", "Alex", "Dev", groups=["connect-dev-agents"])
    off = playbook(SITE, "-l", "dev", "-e", json.dumps({"connect_federation_users": []}))
    assert off.rc == 0, off.stdout[-3000:] + off.stderr[-2000:]
    assert "users" not in off.task_results(USERS_TASK)["dev-east"]  # no group mapped: the step is off
    refused = emulator.admin("POST", "/signin", {"user": "alex.dev", "host": "dev-east"})
    assert (refused["ok"], refused["error_code"]) == (False, "UserNotFoundException")
    assert "has not been onboarded" in refused["message"]
    # the sandbox inventory maps dev's three groups (agents, admins, developers)
    on = playbook(SITE, "-l", "dev")
    assert on.rc == 0, on.stdout[-3000:] + on.stderr[-2000:]
    result = on.task_results(USERS_TASK)["dev-east"]["users"]
    assert result["users"] == {"alex.dev@example.com": "created", "devon.dev@example.com": "created"}
    assert {u["username"] for u in result["not_adopted"]} == {"dana.dev@example.com", "dmitri.dev@example.com"}
    landed = emulator.admin("POST", "/signin", {"user": "alex.dev", "host": "dev-east"})
    assert landed["ok"], landed
    assert (landed["username"], landed["security_profiles"]) == ("alex.dev@example.com", ["Agent"])
    devon = emulator.admin("POST", "/signin", {"user": "devon.dev", "host": "dev-east"})
    assert devon["ok"] and devon["security_profiles"] == ["Agent", "QualityAnalyst"], devon


def test_a_hierarchy_group_is_set_on_create_and_moved_by_the_first_entry(
    users, directory, connect, client_for, emulator
):
    dev = client_for("connect", DEV)
    emea = dev.create_user_hierarchy_group(InstanceId=DEV_EAST.id, Name="EMEA")["HierarchyGroupId"]
    team = dev.create_user_hierarchy_group(InstanceId=DEV_EAST.id, Name="Team A", ParentGroupId=emea)[
        "HierarchyGroupId"
    ]
    alex = directory.add_user("alex.dev", "Alex", "Dev", groups=["connect-dev-agents"])
    agents, admins = {**AGENTS, "hierarchy_group": "Team A"}, {**ADMINS, "hierarchy_group": "EMEA"}
    out = users([admins, agents])
    assert (out.failed, out.result["created"]) == (False, 1), out.msg
    assert connect()["alex.dev@example.com"]["HierarchyGroupId"] == team
    directory.join(alex, "connect-dev-admins")
    mark = emulator.mark()
    moved = users([admins, agents], diff=True)
    assert moved.result["diff"]["after"]["alex.dev@example.com"]["hierarchy_group"] == "EMEA"
    assert writes(emulator, mark) == Counter({"UpdateUserHierarchy": 1, "UpdateUserSecurityProfiles": 1})
    assert connect()["alex.dev@example.com"]["HierarchyGroupId"] == emea
    # one ListUserHierarchyGroups per run, and only when an entry names a group
    mark = emulator.mark()
    assert users([admins, agents]).result["changed"] is False
    assert users([ADMINS, AGENTS]).result["changed"] is False  # no group named: the user's is left as it is
    listed = [r for r in emulator.requests(since=mark) if r["operation"] == "ListUserHierarchyGroups"]
    assert len(listed) == 1 and emulator.writes(since=mark) == []
    # a name two groups share is refused before any write, naming the entry
    dev.create_user_hierarchy_group(InstanceId=DEV_EAST.id, Name="EMEA", ParentGroupId=team)
    mark = emulator.mark()
    out = users([admins, agents])
    assert out.failed and "access[0].hierarchy_group" in out.msg and "several" in out.msg
    assert emulator.writes(since=mark) == []


def test_a_changed_idc_email_is_written_to_the_secondary_email(users, directory, client_for, emulator):
    store = client_for("identitystore", ROOT_ACCOUNT)
    alex = directory.add_user("alex.dev", "Alex", "Dev", groups=["connect-dev-agents"])
    source = {"username_source": "${user:preferredUsername}"}
    assert users([AGENTS], **source).result["users"]["alex.dev"] == "created"
    connect = client_for("connect", DEV)
    user_id = connect.search_users(
        InstanceId=DEV_EAST.id,
        SearchCriteria={"StringCondition": {"FieldName": "Username", "Value": "alex.dev", "ComparisonType": "EXACT"}},
    )["Users"][0]["Id"]
    described = connect.describe_user(InstanceId=DEV_EAST.id, UserId=user_id)["User"]["IdentityInfo"]
    assert described["SecondaryEmail"] == "alex.dev@example.com"
    # the emulator's identity store has no UpdateUser: the same user name comes back with a new address
    store.delete_user(IdentityStoreId=IDENTITY_STORE_ID, UserId=alex)
    directory.add_user("alex.dev", "Alex", "Dev", email="alex@new.example.com", groups=["connect-dev-agents"])
    mark = emulator.mark()
    out = users([AGENTS], **source)
    assert out.result["users"] == {"alex.dev": "updated"}
    assert writes(emulator, mark) == Counter({"UpdateUserIdentityInfo": 1, "TagResource": 1})
    described = connect.describe_user(InstanceId=DEV_EAST.id, UserId=user_id)["User"]["IdentityInfo"]
    assert described == {"FirstName": "Alex", "LastName": "Dev", "SecondaryEmail": "alex@new.example.com"}
    mark = emulator.mark()
    assert users([AGENTS], **source).result["changed"] is False
    assert emulator.writes(since=mark) == []
