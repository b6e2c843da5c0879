"""connect_users' pure parts: usernames, the union of profiles and its limit, precedence, the plan."""

from __future__ import annotations

import pytest
from ansible_collections.connect_sso.federation.plugins.module_utils import connect_users
from ansible_collections.connect_sso.federation.plugins.module_utils.connect_users import (
    Profiles,
    desired_users,
    plan_users,
    username_problem,
    validate,
)
from ansible_collections.connect_sso.federation.plugins.module_utils.errors import FederationError, ValidationError

PROFILES = Profiles(security={f"P{i}": f"sp-{i}" for i in range(12)}, routing={"R1": "rp-1", "R2": "rp-2"})


def entry(group: str, profiles: list[str], routing: str = "R1", **extra) -> dict:
    return {
        "group": group,
        "security_profiles": profiles,
        "routing_profile": routing,
        "phone_type": "SOFT_PHONE",
        "after_contact_work_time_limit": 0,
        "auto_accept": False,
        **extra,
    }


def idc_user(name: str, email: str | None = None, given: str = "Ana", family: str = "Lee") -> dict:
    return {
        "UserId": f"id-{name}",
        "UserName": name,
        "Name": {"GivenName": given, "FamilyName": family},
        "Emails": [{"Value": email or f"{name}@example.com", "Primary": True}],
    }


@pytest.mark.parametrize(
    ("username", "problem"),
    [
        ("ana@example.com", None),
        ("ana.lee", None),
        ("a+b@example.com", "'+'"),
        ("ana@example", "email address"),
        ("a", "2 to 64"),
        ("x" * 65, "2 to 64"),
        ("ana lee", "2 to 64"),
        ("ana=lee", "2 to 64"),  # STS allows '=', Connect does not
    ],
)
def test_usernames_fit_both_connect_and_role_session_name(username, problem):
    found = username_problem(username)
    assert (found is None) if problem is None else (problem in found)


def test_union_of_profiles_and_first_entry_gives_routing_and_phone():
    access = [entry("a", ["P1", "P2"], "R2", auto_accept=True), entry("b", ["P2", "P3"], "R1")]
    user = idc_user("ana")
    wanted = desired_users(access, {"a": [user], "b": [user]}, PROFILES, "${user:email}")
    ana = wanted["ana@example.com"]
    assert ana.security_profile_ids == ["sp-1", "sp-2", "sp-3"]
    assert (ana.routing_profile_id, ana.phone["AutoAccept"], ana.groups) == ("rp-2", True, ["a", "b"])


def test_more_than_ten_profiles_is_refused_naming_the_user_and_groups():
    access = [entry("a", [f"P{i}" for i in range(6)]), entry("b", [f"P{i}" for i in range(6, 11)])]
    user = idc_user("ana")
    with pytest.raises(FederationError) as error:
        desired_users(access, {"a": [user], "b": [user]}, PROFILES, "${user:email}")
    assert "ana" in str(error.value) and "a, b" in str(error.value) and "11 security profiles" in str(error.value)
    with pytest.raises(ValidationError, match=r"access\[0\].security_profiles"):
        validate([entry("a", [f"P{i}" for i in range(11)])], "${user:email}")


def test_names_are_nfc_and_the_email_is_the_secondary_email():
    decomposed = "Jose\u0301"
    wanted = desired_users([entry("a", ["P1"])], {"a": [idc_user("jose", given=decomposed)]}, PROFILES, "${user:email}")
    desired = wanted["jose@example.com"]
    assert (
        desired.first_name == "Jos\u00e9" and connect_users._identity(desired)["SecondaryEmail"] == "jose@example.com"
    )


def test_unknown_or_literal_username_sources_are_refused():
    for source in ("${user:subject}", "fixed-name", "${user:nope}"):
        with pytest.raises(ValidationError, match="username_source"):
            validate([], source)
    validate([], "${user:preferredUsername}@corp.example.com")


def search_summary(username: str, tags: dict | None = None, profiles=("sp-1",)) -> dict:
    return {
        "Id": f"u-{username}",
        "Arn": f"arn:aws:connect:us-east-1:1:instance/i/agent/u-{username}",
        "Username": username,
        "IdentityInfo": {"FirstName": "Ana", "LastName": "Lee"},
        "PhoneConfig": {"PhoneType": "SOFT_PHONE", "AutoAccept": False, "AfterContactWorkTimeLimit": 0},
        "SecurityProfileIds": list(profiles),
        "RoutingProfileId": "rp-1",
        "Tags": tags or {},
    }


def test_plan_never_deletes_untagged_users_nor_the_target_of_a_case_mismatch():
    ours = {"managed-by": "connect_sso.federation"}
    wanted = desired_users([entry("a", ["P1"])], {"a": [idc_user("ana")]}, PROFILES, "${user:email}")
    current = [
        search_summary("Ana@example.com", ours),
        search_summary("gone@example.com", ours),
        search_summary("other@example.com"),
    ]
    plan = plan_users(current, wanted, adopt=False, exclusive=True)
    assert [m["connect_username"] for m in plan.case_mismatches] == ["Ana@example.com"]
    assert {u: c.delete for u, (_cur, c) in plan.users.items()} == {"gone@example.com": True}


def test_the_first_entry_gives_the_hierarchy_group_and_an_entry_without_one_leaves_it_alone():
    profiles = Profiles(
        security=PROFILES.security, routing=PROFILES.routing, hierarchy={"EMEA": "hg-1", "APAC": "hg-2"}
    )
    ana = idc_user("ana")
    access = [entry("a", ["P1"], hierarchy_group="EMEA"), entry("b", ["P1"], hierarchy_group="APAC")]
    assert (
        desired_users(access, {"a": [ana], "b": [ana]}, profiles, "${user:email}")["ana@example.com"].hierarchy_group_id
        == "hg-1"
    )
    current = {**search_summary("ana@example.com", ours_with_email("ana@example.com")), "HierarchyGroupId": "hg-2"}
    wanted = desired_users(access, {"a": [ana]}, profiles, "${user:email}")
    (_current, change) = plan_users([current], wanted, adopt=False, exclusive=False).users["ana@example.com"]
    assert change.hierarchy_group == "hg-1" and change.identity is None
    unset = desired_users([entry("a", ["P1"])], {"a": [ana]}, profiles, "${user:email}")
    assert plan_users([current], unset, adopt=False, exclusive=False).unchanged == 1


def test_a_hierarchy_group_name_that_is_missing_or_ambiguous_is_refused_naming_the_entry():
    profiles = Profiles(security=PROFILES.security, routing=PROFILES.routing, hierarchy={"EMEA": None, "APAC": "hg-2"})
    with pytest.raises(ValidationError, match=r"access\[1\].hierarchy_group.*several user hierarchy groups"):
        connect_users._resolve_profiles([entry("a", ["P1"]), entry("b", ["P1"], hierarchy_group="EMEA")], profiles)
    with pytest.raises(ValidationError, match=r"access\[0\].hierarchy_group.*'Europe'.*APAC"):
        connect_users._resolve_profiles([entry("a", ["P1"], hierarchy_group="Europe")], profiles)


def ours_with_email(email: str) -> dict:
    return {"managed-by": "connect_sso.federation", connect_users.EMAIL_TAG_KEY: connect_users.email_digest(email)}


def test_a_changed_idc_email_is_written_again_with_the_names_and_recorded_in_the_tag():
    current = [search_summary("ana", ours_with_email("ana@old.example.com"))]
    source = "${user:preferredUsername}"
    wanted = desired_users([entry("a", ["P1"])], {"a": [idc_user("ana", "ana@new.example.com")]}, PROFILES, source)
    (_current, change) = plan_users(current, wanted, adopt=False, exclusive=False).users["ana"]
    assert change.identity == {"FirstName": "Ana", "LastName": "Lee", "SecondaryEmail": "ana@new.example.com"}
    assert change.email_tag == connect_users.email_digest("ana@new.example.com")
    same = desired_users([entry("a", ["P1"])], {"a": [idc_user("ana", "ana@old.example.com")]}, PROFILES, source)
    assert plan_users(current, same, adopt=False, exclusive=False).unchanged == 1
    # the tag holds a digest, not the address
    assert "example" not in connect_users.email_digest("ana@old.example.com")
