# -*- coding: utf-8 -*-
# Copyright: Contributors to the connect_sso.federation collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The Connect users of one SAML instance, made from IAM Identity Center group membership, so
every user the app lets in has a Connect user whose username equals the RoleSessionName the app
sends (docs/aws-facts.md#usernames-and-case): read -> plan -> apply.

Reads are bounded: the instance's security and routing profiles once (and its hierarchy groups
once, when an entry names one), its users with SearchUsers (pages of 500, which carry profiles,
hierarchy group, phone settings and tags, so no DescribeUser per user), each mapped group's members
once and each member once. SearchUsers answers only FirstName and LastName of a user's identity, not
its SecondaryEmail, so the email written is recorded as a digest in a tag (EMAIL_TAG_KEY) and that
tag is compared: a changed IdC email is written again without a DescribeUser per user.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Tuple

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.connect_sso.federation.plugins.module_utils.connect import ConnectErrorHandler
from ansible_collections.connect_sso.federation.plugins.module_utils.errors import FederationError, ValidationError
from ansible_collections.connect_sso.federation.plugins.module_utils.idc import (
    Idc,
    describe_user,
    group_member_ids,
    resolve_principals,
)
from ansible_collections.connect_sso.federation.plugins.module_utils.module_support import (
    MANAGED_TAG_KEY,
    MANAGED_TAG_VALUE,
    Plan,
    desired_tags,
    diff,
    is_owned,
)
from ansible_collections.connect_sso.federation.plugins.module_utils.retries import aws_retry
from ansible_collections.connect_sso.federation.plugins.module_utils.saml_app_config import validate_source

# The argument spec of `access` (the module's and the role's connect_federation_users).
ACCESS_SPEC = dict(
    type="list",
    elements="dict",
    default=[],
    options=dict(
        group=dict(type="str", required=True),
        security_profiles=dict(type="list", elements="str", required=True),
        routing_profile=dict(type="str", required=True),
        phone_type=dict(type="str", choices=["SOFT_PHONE", "DESK_PHONE"], default="SOFT_PHONE"),
        after_contact_work_time_limit=dict(type="int", default=0),
        auto_accept=dict(type="bool", default=False),
        hierarchy_group=dict(type="str"),
    ),
)
MAX_SECURITY_PROFILES = 10  # CreateUser / UpdateUserSecurityProfiles: 1 to 10 ids
SEARCH_PAGE_SIZE = 500  # SearchUsers.MaxResults: at most 500
PROFILE_PAGE_SIZE = 1000  # ListSecurityProfiles / ListRoutingProfiles: at most 1000
# A username must satisfy both rules (docs/aws-facts.md#usernames-and-case):
# Connect on SAML instances: 1 to 64 of [a-zA-Z0-9_-.@], '@' only in an email address;
# STS RoleSessionName: 2 to 64 of [a-zA-Z_0-9+=,.@-].
CONNECT_SAML_USERNAME = re.compile(r"^[a-zA-Z0-9_\-.@]{1,64}$")
ROLE_SESSION_NAME = re.compile(r"^[a-zA-Z_0-9+=,.@\-]{2,64}$")
EMAIL_FORM = re.compile(r"^[^@]+@[^@]+\.[^@]+$")
# SearchUsers does not answer SecondaryEmail: the email last written is kept as its digest in this
# tag (a digest, not the address: tags are not for personal data) and compared instead.
EMAIL_TAG_KEY = MANAGED_TAG_KEY + ":secondary-email"


def primary_email(user: Dict[str, Any]) -> Optional[str]:
    emails = user.get("Emails") or []
    primary = [e.get("Value") for e in emails if e.get("Primary")]
    return (primary or [e.get("Value") for e in emails] or [None])[0]


# The IdC attribute sources whose value this module can read from the identity store, and how.
# ${user:preferredUsername} is the user's UserName (inferred, as the sign-in simulator assumes).
SOURCE_READERS: Dict[str, Callable[[Dict[str, Any]], Optional[str]]] = {
    "email": primary_email,
    "preferredUsername": lambda user: user.get("UserName"),
    "givenName": lambda user: (user.get("Name") or {}).get("GivenName"),
    "familyName": lambda user: (user.get("Name") or {}).get("FamilyName"),
}
_SOURCE_VARIABLE = re.compile(r"\$\{user:([^}]*)\}")
# What deleting a Connect user loses (documented in the module and the README).
DELETE_LOSES = (
    "the user's settings and tags; contacts and metrics keep the user id only, and a user created "
    "again later is a new user (new id)"
)


# --- inputs ----------------------------------------------------------------------------------------


def validate(access: List[Dict[str, Any]], username_source: str) -> None:
    """Every input, before any AWS call."""
    validate_source(username_source, "username_source")
    variables = _SOURCE_VARIABLE.findall(username_source)
    if not variables:
        raise ValidationError(
            "username_source", username_source, "must name at least one ${user:...} attribute (it is per user)"
        )
    for name in variables:
        if name not in SOURCE_READERS:
            raise ValidationError(
                "username_source",
                username_source,
                f"${{user:{name}}} cannot be read from the identity store by this module; use one of "
                + ", ".join(f"${{user:{n}}}" for n in SOURCE_READERS),
            )
    seen = set()
    for index, entry in enumerate(access):
        where = f"access[{index}]"
        if not entry.get("group"):
            raise ValidationError(f"{where}.group", entry.get("group"), "a group name is required")
        if entry["group"] in seen:
            raise ValidationError(f"{where}.group", entry["group"], "each group is listed once")
        seen.add(entry["group"])
        profiles = entry.get("security_profiles") or []
        if not 1 <= len(set(profiles)) <= MAX_SECURITY_PROFILES:
            raise ValidationError(
                f"{where}.security_profiles", profiles, f"Connect takes 1 to {MAX_SECURITY_PROFILES} security profiles"
            )
        if (entry.get("after_contact_work_time_limit") or 0) < 0:
            raise ValidationError(
                f"{where}.after_contact_work_time_limit", entry["after_contact_work_time_limit"], "must be 0 or more"
            )


def access_entries(entries: Any, option: str) -> List[Dict[str, Any]]:
    """`access` entries passed as plain data (the chain module's users.access), checked against
    ACCESS_SPEC as a module's own option would be, with its defaults filled in."""
    if not isinstance(entries, list):
        raise ValidationError(option, entries, "must be a list of {group, security_profiles, routing_profile}")
    validator = ArgumentSpecValidator(ACCESS_SPEC["options"])
    checked = []
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise ValidationError(
                f"{option}[{index}]", entry, "must be a dict {group, security_profiles, routing_profile}"
            )
        result = validator.validate(entry)
        if result.error_messages:
            raise ValidationError(f"{option}[{index}]", entry, "; ".join(result.error_messages))
        checked.append(result.validated_parameters)
    return checked


def username_of(user: Dict[str, Any], source: str) -> str:
    return _SOURCE_VARIABLE.sub(lambda m: SOURCE_READERS[m.group(1)](user) or "", source)


def username_problem(username: str) -> Optional[str]:
    """Why a username cannot be both a Connect SAML username and a RoleSessionName, or None."""
    if "+" in username:
        return (
            "contains '+': STS accepts it in a RoleSessionName but Connect does not in a username, "
            "so this user could never sign in; change the address in IAM Identity Center or the username source"
        )
    if not ROLE_SESSION_NAME.match(username) or not CONNECT_SAML_USERNAME.match(username):
        return (
            "must be 2 to 64 characters from a-z, A-Z, 0-9, _-.@ (Connect's SAML usernames and STS's RoleSessionName)"
        )
    if "@" in username and not EMAIL_FORM.match(username):
        return "Connect allows '@' only in an email address (user@example.com)"
    return None


# --- reads -----------------------------------------------------------------------------------------


@ConnectErrorHandler.common_error_handler("list Amazon Connect profiles")
@aws_retry
def _profile_ids(client: Any, instance_id: str, operation: str, summaries: str) -> Dict[str, Optional[str]]:
    """name -> id of the instance's security or routing profiles or hierarchy groups (list_security_profiles /
    SecurityProfileSummaryList, list_routing_profiles / RoutingProfileSummaryList, list_user_hierarchy_groups /
    UserHierarchyGroupSummaryList); None for a name that several have (hierarchy groups of different parents)."""
    pages = client.get_paginator(operation).paginate(
        InstanceId=instance_id, PaginationConfig={"PageSize": PROFILE_PAGE_SIZE}
    )
    ids: Dict[str, Optional[str]] = {}
    for summary in pages.build_full_result().get(summaries, []):
        ids[summary["Name"]] = None if summary["Name"] in ids else summary["Id"]
    return ids


@ConnectErrorHandler.common_error_handler("search Amazon Connect users")
@aws_retry
def search_users(client: Any, instance_id: str) -> List[Dict[str, Any]]:
    """Every user of the instance, with profiles, phone settings and tags (UserSearchSummary)."""
    pages = client.get_paginator("search_users").paginate(
        InstanceId=instance_id, PaginationConfig={"PageSize": SEARCH_PAGE_SIZE}
    )
    return pages.build_full_result().get("Users", [])


@dataclass
class Profiles:
    security: Dict[str, Optional[str]]  # name -> id (None: several have the name)
    routing: Dict[str, Optional[str]]
    hierarchy: Dict[str, Optional[str]] = field(default_factory=dict)  # hierarchy groups, read when named

    def names(self, kind: str) -> Dict[str, str]:
        """id -> name."""
        return {v: k for k, v in getattr(self, kind).items() if v}


def read_profiles(client: Any, instance_id: str, hierarchy: bool = False) -> Profiles:
    """The instance's profiles, and with `hierarchy` its user hierarchy groups: one listing each."""
    return Profiles(
        security=_profile_ids(client, instance_id, "list_security_profiles", "SecurityProfileSummaryList"),
        routing=_profile_ids(client, instance_id, "list_routing_profiles", "RoutingProfileSummaryList"),
        hierarchy=(
            _profile_ids(client, instance_id, "list_user_hierarchy_groups", "UserHierarchyGroupSummaryList")
            if hierarchy
            else {}
        ),
    )


def names_hierarchy_groups(access: List[Dict[str, Any]]) -> bool:
    return any(entry.get("hierarchy_group") for entry in access)


_KINDS = (  # (Profiles field, access option, what it is)
    ("security", "security_profiles", "security profile"),
    ("routing", "routing_profile", "routing profile"),
    ("hierarchy", "hierarchy_group", "user hierarchy group"),
)


def _resolve_profiles(access: List[Dict[str, Any]], profiles: Profiles) -> None:
    """Every profile and hierarchy group name of `access` is one of the instance's (a clear error naming it otherwise)."""
    for index, entry in enumerate(access):
        for kind, option, what in _KINDS:
            names = entry.get(option) or []
            known = getattr(profiles, kind)
            for name in [names] if isinstance(names, str) else names:
                if name in known and known[name] is None:
                    raise ValidationError(
                        f"access[{index}].{option}", name, f"several {what}s of the instance have this name; rename one"
                    )
                if name not in known:
                    raise ValidationError(
                        f"access[{index}].{option}",
                        name,
                        f"no {what} with this name on the instance (names are exact; there: "
                        + ", ".join(sorted(known))
                        + ")",
                    )


# --- desired users -----------------------------------------------------------------------------------


@dataclass
class Desired:
    username: str
    first_name: str
    last_name: str
    email: Optional[str]
    security_profile_ids: List[str]
    routing_profile_id: str
    phone: Dict[str, Any]
    groups: List[str]
    hierarchy_group_id: Optional[str] = None  # None: the user's hierarchy group is left as it is


def email_digest(email: Optional[str]) -> str:
    """What EMAIL_TAG_KEY holds for a secondary email (None: no email)."""
    return hashlib.sha256((email or "").encode("utf-8")).hexdigest()[:32]


def _nfc(value: Optional[str]) -> str:
    return unicodedata.normalize("NFC", value or "")


def desired_users(
    access: List[Dict[str, Any]],
    members: Dict[str, List[Dict[str, Any]]],
    profiles: Profiles,
    source: str,
) -> Dict[str, Desired]:
    """username -> what that user should be; every problem of every user in one error, before any write.

    `members`: group name -> identity store users. List order is precedence: the first entry a user
    is in gives the routing profile and phone settings; security profiles are the union."""
    by_user: Dict[str, Tuple[Dict[str, Any], List[Dict[str, Any]]]] = {}
    for entry in access:
        for user in members.get(entry["group"], []):
            by_user.setdefault(user["UserId"], (user, []))[1].append(entry)
    wanted: Dict[str, Desired] = {}
    problems: List[str] = []
    for user, entries in by_user.values():
        label = user.get("UserName") or user["UserId"]
        groups = [e["group"] for e in entries]
        username = username_of(user, source)
        problem = username_problem(username)
        if problem:
            problems.append(f"{label} (groups {', '.join(groups)}): username {username!r} {problem}")
            continue
        ids = list(dict.fromkeys(profiles.security[name] for e in entries for name in e["security_profiles"]))
        if len(ids) > MAX_SECURITY_PROFILES:
            problems.append(
                f"{label}: the groups {', '.join(groups)} give {len(ids)} security profiles; "
                f"Connect allows at most {MAX_SECURITY_PROFILES}"
            )
            continue
        name = user.get("Name") or {}
        first, last = _nfc(name.get("GivenName")), _nfc(name.get("FamilyName"))
        if not first or not last:
            problems.append(f"{label}: a SAML Connect user needs a first and a last name; IAM Identity Center has none")
            continue
        top = entries[0]
        phone = {
            "PhoneType": top["phone_type"],
            "AutoAccept": bool(top["auto_accept"]),
            "AfterContactWorkTimeLimit": top["after_contact_work_time_limit"] or 0,
        }
        if username in wanted:
            problems.append(f"{label}: username {username!r} is also another IAM Identity Center user's")
            continue
        wanted[username] = Desired(
            username=username,
            first_name=first,
            last_name=last,
            email=primary_email(user),
            security_profile_ids=ids,
            routing_profile_id=profiles.routing[top["routing_profile"]],
            phone=phone,
            groups=groups,
            hierarchy_group_id=profiles.hierarchy[top["hierarchy_group"]] if top.get("hierarchy_group") else None,
        )
    if problems:
        raise FederationError("access: no Connect user was written; " + "; ".join(sorted(problems)))
    return wanted


# --- plan ------------------------------------------------------------------------------------------


@dataclass
class UserPlan(Plan):
    create: Optional[Desired] = None
    security_profiles: Optional[List[str]] = None
    routing_profile: Optional[str] = None
    identity: Optional[Dict[str, str]] = None
    phone: Optional[Dict[str, Any]] = None
    hierarchy_group: Optional[str] = None
    tag: bool = False  # adopt: add the ownership tag
    email_tag: Optional[str] = None  # the digest of the secondary email written (EMAIL_TAG_KEY)
    delete: bool = False


@dataclass
class UsersPlan:
    users: Dict[str, Tuple[Optional[Dict[str, Any]], UserPlan]] = field(
        default_factory=dict
    )  # username -> (current, plan)
    unchanged: int = 0
    case_mismatches: List[Dict[str, str]] = field(default_factory=list)
    not_adopted: List[Dict[str, str]] = field(default_factory=list)


def _identity(desired: Desired) -> Dict[str, str]:
    identity = {"FirstName": desired.first_name, "LastName": desired.last_name}
    if desired.email:
        identity["SecondaryEmail"] = desired.email
    return identity


def _phone(desired: Desired, current: Optional[Dict[str, Any]]) -> Dict[str, Any]:
    phone = dict(desired.phone)
    if phone["PhoneType"] == "DESK_PHONE" and (current or {}).get("DeskPhoneNumber"):
        phone["DeskPhoneNumber"] = current["DeskPhoneNumber"]
    return phone


def _plan_existing(user: Dict[str, Any], desired: "Desired", tag: bool) -> "UserPlan":
    """What an existing Connect user needs to become the desired one (tag: claim it, when adopted)."""
    plan = UserPlan(tag=tag)
    if sorted(user.get("SecurityProfileIds") or []) != sorted(desired.security_profile_ids):
        plan.security_profiles = desired.security_profile_ids
    if user.get("RoutingProfileId") != desired.routing_profile_id:
        plan.routing_profile = desired.routing_profile_id
    if desired.hierarchy_group_id and user.get("HierarchyGroupId") != desired.hierarchy_group_id:
        plan.hierarchy_group = desired.hierarchy_group_id
    identity = user.get("IdentityInfo") or {}
    digest = email_digest(desired.email)
    if (user.get("Tags") or {}).get(EMAIL_TAG_KEY) != digest:
        plan.email_tag = digest  # the IdC email changed (or was never recorded): write it again
    if plan.email_tag or (identity.get("FirstName"), identity.get("LastName")) != (
        desired.first_name,
        desired.last_name,
    ):
        plan.identity = _identity(desired)
    phone = user.get("PhoneConfig") or {}
    want_phone = _phone(desired, phone)
    if any(phone.get(k) != v for k, v in want_phone.items()):
        plan.phone = want_phone
    return plan


def plan_users(current: List[Dict[str, Any]], wanted: Dict[str, Desired], adopt: bool, exclusive: bool) -> UsersPlan:
    """Compare SearchUsers' answer with the desired users. Never two users whose names differ only in case."""
    exact = {u["Username"]: u for u in current}
    folded: Dict[str, List[Dict[str, Any]]] = {}
    for user in current:
        folded.setdefault(user["Username"].lower(), []).append(user)
    result = UsersPlan()
    protected = set()  # Connect users a desired user points at (by case): never deleted here
    for username, desired in sorted(wanted.items()):
        user = exact.get(username)
        if user is None:
            near = folded.get(username.lower(), [])
            if near:
                protected.update(u["Username"] for u in near)
                result.case_mismatches.append(
                    {
                        "username": username,
                        "connect_username": near[0]["Username"],
                        "fix": (
                            f"IAM Identity Center sends {username!r} but Connect has {near[0]['Username']!r} "
                            "(usernames are case sensitive): delete the Connect user and rerun to create it, "
                            "or change the user's attribute in IAM Identity Center to match"
                        ),
                    }
                )
                continue
            if desired.phone["PhoneType"] == "DESK_PHONE":
                raise FederationError(
                    f"access: {username} would be created with a DESK_PHONE, which needs the user's own desk "
                    "phone number; create the user with SOFT_PHONE and set the number in Connect"
                )
            result.users[username] = (None, UserPlan(create=desired))
            continue
        owned = is_owned(user.get("Tags"))
        if not owned and not adopt:
            result.not_adopted.append(
                {
                    "username": username,
                    "reason": "a Connect user with this username exists but was not created by this collection "
                    "(no managed-by tag); set adopt: true to manage it",
                }
            )
            continue
        plan = _plan_existing(user, desired, tag=not owned)
        if plan.changed:
            result.users[username] = (user, plan)
        else:
            result.unchanged += 1
    if exclusive:
        for user in current:
            if user["Username"] not in wanted and user["Username"] not in protected and is_owned(user.get("Tags")):
                result.users[user["Username"]] = (user, UserPlan(delete=True))
    return result


# --- writes ----------------------------------------------------------------------------------------


@ConnectErrorHandler.common_error_handler("create Amazon Connect user")
@aws_retry
def _create(client: Any, instance_id: str, desired: Desired) -> None:
    hierarchy = {"HierarchyGroupId": desired.hierarchy_group_id} if desired.hierarchy_group_id else {}
    try:
        client.create_user(
            InstanceId=instance_id,
            Username=desired.username,
            IdentityInfo=_identity(desired),
            PhoneConfig=desired.phone,
            SecurityProfileIds=desired.security_profile_ids,
            RoutingProfileId=desired.routing_profile_id,
            Tags=desired_tags({EMAIL_TAG_KEY: email_digest(desired.email)}),
            **hierarchy,
        )
    except is_boto3_error_code("DuplicateResourceException"):
        # made since this run read the users (another run at the same time): the user exists, which is
        # what this create was for; the next run checks its profiles like any other user's
        return


@ConnectErrorHandler.common_error_handler("update Amazon Connect user")
@aws_retry
def _update(client: Any, instance_id: str, user: Dict[str, Any], plan: UserPlan) -> None:
    key = dict(InstanceId=instance_id, UserId=user["Id"])
    if plan.security_profiles is not None:
        client.update_user_security_profiles(SecurityProfileIds=plan.security_profiles, **key)
    if plan.routing_profile is not None:
        client.update_user_routing_profile(RoutingProfileId=plan.routing_profile, **key)
    if plan.identity is not None:
        client.update_user_identity_info(IdentityInfo=plan.identity, **key)
    if plan.phone is not None:
        client.update_user_phone_config(PhoneConfig=plan.phone, **key)
    if plan.hierarchy_group is not None:
        client.update_user_hierarchy(HierarchyGroupId=plan.hierarchy_group, **key)
    tags = {MANAGED_TAG_KEY: MANAGED_TAG_VALUE} if plan.tag else {}
    tags.update({EMAIL_TAG_KEY: plan.email_tag} if plan.email_tag else {})
    if tags:  # after the identity: a failed write leaves the old digest, so the next run writes again
        client.tag_resource(resourceArn=user["Arn"], tags=tags)


@ConnectErrorHandler.common_error_handler("delete Amazon Connect user")
@aws_retry
def _delete(client: Any, instance_id: str, user: Dict[str, Any]) -> None:
    client.delete_user(InstanceId=instance_id, UserId=user["Id"])


def apply(client: Any, instance_id: str, plan: UsersPlan) -> None:
    for _username, (user, change) in sorted(plan.users.items()):
        if change.create:
            _create(client, instance_id, change.create)
        elif change.delete:
            _delete(client, instance_id, user)
        else:
            _update(client, instance_id, user, change)


# --- describe and run ----------------------------------------------------------------------------------


def _describe_current(user: Dict[str, Any], profiles: Profiles) -> Dict[str, Any]:
    """A Connect user as the diff shows it; its secondary email is not there (SearchUsers does not answer it)."""
    security, routing = profiles.names("security"), profiles.names("routing")
    identity = user.get("IdentityInfo") or {}
    phone = user.get("PhoneConfig") or {}
    hierarchy_group = user.get("HierarchyGroupId")
    return {
        "first_name": identity.get("FirstName"),
        "last_name": identity.get("LastName"),
        "security_profiles": sorted(security.get(i, i) for i in user.get("SecurityProfileIds") or []),
        "routing_profile": routing.get(user.get("RoutingProfileId"), user.get("RoutingProfileId")),
        "phone_type": phone.get("PhoneType"),
        "auto_accept": phone.get("AutoAccept"),
        "after_contact_work_time_limit": phone.get("AfterContactWorkTimeLimit"),
        "hierarchy_group": profiles.names("hierarchy").get(hierarchy_group, hierarchy_group),
        "managed": is_owned(user.get("Tags")),
    }


def _describe_after(user: Optional[Dict[str, Any]], plan: UserPlan, profiles: Profiles) -> Optional[Dict[str, Any]]:
    if plan.delete:
        return None
    security, routing, hierarchy = profiles.names("security"), profiles.names("routing"), profiles.names("hierarchy")
    after = dict(_describe_current(user, profiles)) if user else {}
    source = plan.create
    if source:
        after.update(
            secondary_email=source.email,
            hierarchy_group=hierarchy.get(source.hierarchy_group_id),
            first_name=source.first_name,
            last_name=source.last_name,
            security_profiles=sorted(security[i] for i in source.security_profile_ids),
            routing_profile=routing[source.routing_profile_id],
            phone_type=source.phone["PhoneType"],
            auto_accept=source.phone["AutoAccept"],
            after_contact_work_time_limit=source.phone["AfterContactWorkTimeLimit"],
            managed=True,
        )
        return after
    if plan.security_profiles is not None:
        after["security_profiles"] = sorted(security[i] for i in plan.security_profiles)
    if plan.routing_profile is not None:
        after["routing_profile"] = routing[plan.routing_profile]
    if plan.identity is not None:
        after.update(first_name=plan.identity["FirstName"], last_name=plan.identity["LastName"])
        after["secondary_email"] = plan.identity.get("SecondaryEmail")
    if plan.hierarchy_group is not None:
        after["hierarchy_group"] = hierarchy[plan.hierarchy_group]
    if plan.phone is not None:
        after.update(
            phone_type=plan.phone["PhoneType"],
            auto_accept=plan.phone["AutoAccept"],
            after_contact_work_time_limit=plan.phone["AfterContactWorkTimeLimit"],
        )
    if plan.tag:
        after["managed"] = True
    return after


def read_members(idc: Idc, access: List[Dict[str, Any]]) -> Dict[str, List[Dict[str, Any]]]:
    """group name -> its users (each group's members read once, each user once)."""
    groups = resolve_principals(idc, [{"type": "GROUP", "name": e["group"]} for e in access], option="access")
    users: Dict[str, Optional[Dict[str, Any]]] = {}
    members: Dict[str, List[Dict[str, Any]]] = {}
    for group in groups:
        found = []
        for user_id in group_member_ids(idc, group["id"]):
            if user_id not in users:
                users[user_id] = describe_user(idc, user_id)
            if users[user_id] is not None:
                found.append(users[user_id])
        members[group["name"]] = found
    return members


def ensure(
    client: Any,
    idc: Idc,
    instance: Dict[str, Any],
    access: List[Dict[str, Any]],
    username_source: str,
    adopt: bool = False,
    exclusive: bool = False,
    check_mode: bool = False,
    with_diff: bool = False,
) -> Dict[str, Any]:
    """Bring the instance's Connect users to what `access` says; the module's result."""
    validate(access, username_source)
    profiles = read_profiles(client, instance["id"], hierarchy=names_hierarchy_groups(access))
    _resolve_profiles(access, profiles)
    members = read_members(idc, access)
    wanted = desired_users(access, members, profiles, username_source)
    plan = plan_users(search_users(client, instance["id"]), wanted, adopt, exclusive)
    if not check_mode:
        apply(client, instance["id"], plan)
    counts = {"created": 0, "updated": 0, "deleted": 0}
    for _user, change in plan.users.values():
        counts["created" if change.create else "deleted" if change.delete else "updated"] += 1
    result: Dict[str, Any] = {
        "changed": bool(plan.users),
        "instance_id": instance["id"],
        **counts,
        "unchanged": plan.unchanged,
        "users": {
            username: ("created" if c.create else "deleted" if c.delete else "updated")
            for username, (_u, c) in sorted(plan.users.items())
        },
        "case_mismatches": plan.case_mismatches,
        "not_adopted": plan.not_adopted,
    }
    if with_diff:
        before = {u: _describe_current(cur, profiles) for u, (cur, _c) in plan.users.items() if cur}
        after = {u: a for u, (cur, c) in plan.users.items() if (a := _describe_after(cur, c, profiles)) is not None}
        result["diff"] = diff(before, after)
    return result
