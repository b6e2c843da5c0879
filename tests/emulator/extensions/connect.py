"""Amazon Connect beyond moto's instances (which is all moto has; see tests/emulator/README.md): the instances of the seeded topology, the
default security and routing profiles every instance gets, and users with the SAML-mode
rules of CreateUser (docs/aws-facts.md#usernames-and-case, docs/aws-facts.md#createuser-on-saml-instances)."""

from __future__ import annotations

import json
import re
import uuid
from datetime import datetime, timezone

import moto.connect.urls
from moto.connect.exceptions import InvalidParameterException, ResourceNotFoundException
from moto.connect.models import Instance, connect_backends
from moto.connect.responses import ConnectResponse
from moto.core.exceptions import JsonRESTError

from .. import admin
from ..topology import CONNECT_SECURITY_PROFILES, INSTANCE_STATUSES, Topology, stable_uuid

SECURITY_PROFILES = CONNECT_SECURITY_PROFILES  # what Connect creates
ROUTING_PROFILES = ("Basic Routing Profile",)
STATUSES = INSTANCE_STATUSES
# SAML instances: at most 64 characters from [a-zA-Z0-9_-.@], with '@' only in an email address.
SAML_USERNAME = re.compile(r"^[a-zA-Z0-9_\-.@]{1,64}$")
EMAIL_FORM = re.compile(r"^[^@]+@[^@]+\.[^@]+$")
NAME_MAX = 100  # FirstName/LastName limit for SAML instances (older SDKs; the safe bound)
MAX_SECURITY_PROFILES = 10  # SecurityProfileIds: 1 to 10 (CreateUser, UpdateUserSecurityProfiles)
MAX_TAGS = 50  # TagResource: at most 50 tags per resource
SEARCH_MAX_RESULTS = 500  # SearchUsers.MaxResults: 1 to 500
SEARCH_DEFAULT_RESULTS = 100  # inferred: the API reference gives no default page size
# SearchUsers string conditions on these fields (API reference, StringCondition of UserSearchCriteria)
SEARCH_FIELDS = {
    "Username": lambda u: [u["Username"]],
    "FirstName": lambda u: [u["IdentityInfo"].get("FirstName", "")],
    "LastName": lambda u: [u["IdentityInfo"].get("LastName", "")],
    "RoutingProfileId": lambda u: [u["RoutingProfileId"]],
    "SecurityProfileId": lambda u: list(u["SecurityProfileIds"]),
    "resourceId": lambda u: [u["Id"]],
}
PHONE_TYPES = ("SOFT_PHONE", "DESK_PHONE")
HIERARCHY_NAME_MAX = 100  # CreateUserHierarchyGroup.Name: "Must not be more than 100 characters"
HIERARCHY_LEVELS = ("LevelOne", "LevelTwo", "LevelThree", "LevelFour", "LevelFive")  # HierarchyPath: five levels


class InvalidRequestException(JsonRESTError):
    code = 400

    def __init__(self, message: str) -> None:
        super().__init__("InvalidRequestException", message)


class DuplicateResourceException(JsonRESTError):
    code = 409

    def __init__(self, message: str) -> None:
        super().__init__("DuplicateResourceException", message)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat()


def _state(account: str, region: str, instance: Instance) -> dict:
    """Profiles and users of one instance, kept on moto's backend (so moto's reset clears them)."""
    backend = connect_backends[account][region]
    store = backend.__dict__.setdefault("emulator_instances", {})
    if instance.id not in store:

        def profile(kind: str, name: str) -> dict:
            profile_id = stable_uuid(kind, instance.id, name)
            return {
                "Id": profile_id,
                "Arn": f"{instance.arn}/{kind}/{profile_id}",
                "Name": name,
                "LastModifiedTime": _now(),
                "LastModifiedRegion": region,
            }

        store[instance.id] = {
            "security-profile": {p["Id"]: p for p in (profile("security-profile", n) for n in SECURITY_PROFILES)},
            "routing-profile": {p["Id"]: p for p in (profile("routing-profile", n) for n in ROUTING_PROFILES)},
            "hierarchy-group": {},
            "users": {},
        }
    return store[instance.id]


def get_instance(account: str, region: str, instance_id: str) -> Instance | None:
    return connect_backends[account][region].instances.get(instance_id)


def find_user(account: str, region: str, instance_id: str, username: str) -> dict | None:
    """The Connect user with exactly this username (usernames are case sensitive)."""
    instance = get_instance(account, region, instance_id)
    if instance is None:
        return None
    return next((u for u in _state(account, region, instance)["users"].values() if u["Username"] == username), None)


def _page(items: list, max_results: int | None, next_token: str | None, limit: int) -> tuple[list, str | None]:
    size = max_results or limit
    if next_token is not None and not (next_token.isdigit() and int(next_token) <= len(items)):
        # Connect answers a token it did not issue with a 400, never a 500
        raise InvalidParameterException("The nextToken is not valid")
    start = int(next_token or 0)
    page = items[start : start + size]
    return page, str(start + size) if start + size < len(items) else None


def _check_saml_identity(identity: dict) -> None:
    for field in ("FirstName", "LastName"):
        if not identity.get(field) or len(identity[field]) > NAME_MAX:
            raise InvalidParameterException(f"IdentityInfo.{field} is required (1-{NAME_MAX} characters) for SAML")
    # The field doc says Email on a SAML instance returns an error (inferred; use SecondaryEmail):
    # docs/aws-facts.md#createuser-on-saml-instances.
    if identity.get("Email"):
        raise InvalidParameterException("IdentityInfo.Email is not supported for SAML; use SecondaryEmail")


def _check_security_profiles(state: dict, profiles: list | None) -> list:
    profiles = list(profiles or [])
    if not 1 <= len(profiles) <= MAX_SECURITY_PROFILES:
        raise InvalidParameterException(
            f"SecurityProfileIds must list 1 to {MAX_SECURITY_PROFILES} security profiles (got {len(profiles)})"
        )
    for profile_id in profiles:
        if profile_id not in state["security-profile"]:
            raise ResourceNotFoundException(f"Security profile {profile_id} not found")
    return profiles


def _check_routing_profile(state: dict, profile_id: str | None) -> None:
    if profile_id not in state["routing-profile"]:
        raise ResourceNotFoundException(f"Routing profile {profile_id} not found")


def _check_hierarchy_group(state: dict, group_id: str | None) -> None:
    """A user's HierarchyGroupId (CreateUser, UpdateUserHierarchy): none, or a group of the instance."""
    if group_id is not None and group_id not in state["hierarchy-group"]:
        raise ResourceNotFoundException(f"Hierarchy group {group_id} not found")


def _hierarchy_summary(group: dict) -> dict:
    """HierarchyGroupSummary: what ListUserHierarchyGroups answers and HierarchyPath holds."""
    return {k: group[k] for k in ("Id", "Arn", "Name", "LastModifiedTime", "LastModifiedRegion")}


def _hierarchy_path(state: dict, group: dict) -> dict:
    chain = [group]
    while chain[0].get("ParentGroupId"):
        chain.insert(0, state["hierarchy-group"][chain[0]["ParentGroupId"]])
    return {level: _hierarchy_summary(g) for level, g in zip(HIERARCHY_LEVELS, chain, strict=False)}


def create_hierarchy_group(region: str, instance: Instance, state: dict, params: dict) -> dict:
    """CreateUserHierarchyGroup: a group at level one, or under ParentGroupId (five levels at most).

    Inferred, not in the API reference: the name is unique among the groups of one parent
    (DuplicateResourceException), and a sixth level is an InvalidRequestException. The instance's
    hierarchy structure (level names) is not emulated: every level exists."""
    name, parent_id = params.get("Name") or "", params.get("ParentGroupId")
    if not 1 <= len(name) <= HIERARCHY_NAME_MAX:
        raise InvalidParameterException(f"Name must be 1 to {HIERARCHY_NAME_MAX} characters")
    level = 1
    if parent_id is not None:
        if parent_id not in state["hierarchy-group"]:
            raise ResourceNotFoundException(f"Hierarchy group {parent_id} not found")
        level = int(state["hierarchy-group"][parent_id]["LevelId"]) + 1
        if level > len(HIERARCHY_LEVELS):
            raise InvalidRequestException(f"A hierarchy has at most {len(HIERARCHY_LEVELS)} levels")
    if any(g["Name"] == name and g.get("ParentGroupId") == parent_id for g in state["hierarchy-group"].values()):
        raise DuplicateResourceException(f"A hierarchy group named {name} already exists at this place")
    group_id = str(uuid.uuid4())
    group = {
        "Id": group_id,
        "Arn": f"{instance.arn}/agent-group/{group_id}",
        "Name": name,
        "LevelId": str(level),
        "ParentGroupId": parent_id,
        "Tags": _check_tags(params.get("Tags") or {}, {}),
        "LastModifiedTime": _now(),
        "LastModifiedRegion": region,
    }
    state["hierarchy-group"][group_id] = group
    return group


def _check_phone_config(phone: dict) -> dict:
    if phone.get("PhoneType") not in PHONE_TYPES:
        raise InvalidParameterException(f"PhoneConfig.PhoneType must be one of {', '.join(PHONE_TYPES)}")
    if phone["PhoneType"] == "DESK_PHONE" and not phone.get("DeskPhoneNumber"):
        # inferred: a desk phone needs its number
        raise InvalidParameterException("PhoneConfig.DeskPhoneNumber is required for DESK_PHONE")
    if phone.get("AfterContactWorkTimeLimit", 0) < 0:
        raise InvalidParameterException("PhoneConfig.AfterContactWorkTimeLimit must be 0 or more")
    return {"AutoAccept": False, "AfterContactWorkTimeLimit": 0, **phone}


def _check_tags(new: dict, current: dict) -> dict:
    """Tags after adding `new` to `current`, with TagResource's rules."""
    for key, value in new.items():
        if key.lower().startswith("aws:"):
            raise InvalidParameterException(f"Tag key {key!r} is invalid: keys starting with aws: are reserved")
        if not 1 <= len(key) <= 128 or len(str(value)) > 256:
            raise InvalidParameterException(f"Tag {key!r}: keys are 1-128 characters, values at most 256")
    merged = {**current, **new}
    if len(merged) > MAX_TAGS:
        raise InvalidParameterException(f"A resource takes at most {MAX_TAGS} tags")
    return merged


def find_user_by_arn(arn: str) -> tuple[dict, dict] | None:
    """(the instance's state, the user) for a user ARN (arn:...:instance/<id>/agent/<user id>), or None."""
    parts = arn.split(":")
    if len(parts) < 6 or "/agent/" not in parts[5]:
        return None
    instance_id = parts[5].split("/")[1]
    instance = get_instance(parts[4], parts[3], instance_id)
    if instance is None:
        return None
    state = _state(parts[4], parts[3], instance)
    user = next((u for u in state["users"].values() if u["Arn"] == arn), None)
    return (state, user) if user else None


def search_summary(user: dict) -> dict:
    """A user as SearchUsers answers it (UserSearchSummary: only the names of the identity info)."""
    summary = {
        "Arn": user["Arn"],
        "Id": user["Id"],
        "Username": user["Username"],
        "IdentityInfo": {k: user["IdentityInfo"][k] for k in ("FirstName", "LastName") if k in user["IdentityInfo"]},
        "PhoneConfig": user["PhoneConfig"],
        "RoutingProfileId": user["RoutingProfileId"],
        "SecurityProfileIds": user["SecurityProfileIds"],
        "Tags": user["Tags"],
    }
    if user.get("HierarchyGroupId"):
        summary["HierarchyGroupId"] = user["HierarchyGroupId"]
    return summary


def _tag_matches(condition: dict, tags: dict) -> bool:
    return condition.get("TagKey") in tags and (
        condition.get("TagValue") is None or tags[condition["TagKey"]] == condition["TagValue"]
    )


def _search_filter(search_filter: dict | None):
    """SearchUsers' SearchFilter as a predicate on a user: a tag filter or a user attribute filter, not both."""
    if not search_filter:
        return lambda _user: True
    if set(search_filter) - {"TagFilter", "UserAttributeFilter"}:
        raise InvalidParameterException(f"SearchFilter: unknown fields {sorted(set(search_filter))}")
    if "TagFilter" in search_filter and "UserAttributeFilter" in search_filter:
        raise InvalidParameterException("SearchFilter takes a TagFilter or a UserAttributeFilter, not both")
    tag_filter = search_filter.get("TagFilter") or search_filter.get("UserAttributeFilter") or {}
    if tag_filter.get("HierarchyGroupCondition") or (tag_filter.get("AndCondition") or {}).get(
        "HierarchyGroupCondition"
    ):
        raise InvalidParameterException("HierarchyGroupCondition is not emulated")
    given = [k for k in ("OrConditions", "AndConditions", "AndCondition", "TagCondition") if tag_filter.get(k)]
    if len(given) > 1:
        raise InvalidParameterException(f"A filter takes one of OrConditions, AndConditions, TagCondition ({given})")

    def matches(user: dict) -> bool:
        tags = user["Tags"]
        if tag_filter.get("TagCondition"):
            return _tag_matches(tag_filter["TagCondition"], tags)
        if tag_filter.get("AndConditions"):
            return all(_tag_matches(c, tags) for c in tag_filter["AndConditions"])
        if tag_filter.get("AndCondition"):
            return all(_tag_matches(c, tags) for c in tag_filter["AndCondition"].get("TagConditions") or [])
        if tag_filter.get("OrConditions"):
            alternatives = tag_filter["OrConditions"]
            return any(
                all(_tag_matches(c, tags) for c in (alt if isinstance(alt, list) else alt.get("TagConditions") or []))
                for alt in alternatives
            )
        return True

    return matches


def _search_criteria(criteria: dict | None):
    """SearchUsers' SearchCriteria as a predicate: string conditions, nested with And/Or."""
    if not criteria:
        return lambda _user: True
    if criteria.get("ListCondition") or criteria.get("HierarchyGroupCondition"):
        raise InvalidParameterException("ListCondition and HierarchyGroupCondition are not emulated")
    if criteria.get("AndConditions"):
        parts = [_search_criteria(c) for c in criteria["AndConditions"]]
        return lambda user: all(p(user) for p in parts)
    if criteria.get("OrConditions"):
        parts = [_search_criteria(c) for c in criteria["OrConditions"]]
        return lambda user: any(p(user) for p in parts)
    condition = criteria.get("StringCondition")
    if not condition:
        return lambda _user: True
    field, value, comparison = condition.get("FieldName"), condition.get("Value"), condition.get("ComparisonType")
    if field not in SEARCH_FIELDS:
        raise InvalidParameterException(
            f"StringCondition.FieldName {field!r} is not searchable; use one of {', '.join(SEARCH_FIELDS)}"
        )
    if comparison not in ("STARTS_WITH", "CONTAINS", "EXACT") or value is None:
        raise InvalidParameterException("StringCondition needs a Value and a ComparisonType")
    # inferred: string conditions compare case sensitively, as usernames are
    compare = {
        "EXACT": lambda v: v == value,
        "STARTS_WITH": lambda v: v.startswith(value),
        "CONTAINS": lambda v: value in v,
    }[comparison]
    return lambda user: any(compare(v) for v in SEARCH_FIELDS[field](user))


def search_users(state: dict, params: dict) -> dict:
    max_results = params.get("MaxResults")
    if max_results is not None and not 1 <= max_results <= SEARCH_MAX_RESULTS:
        raise InvalidParameterException(f"MaxResults must be between 1 and {SEARCH_MAX_RESULTS}")
    keep, match = _search_filter(params.get("SearchFilter")), _search_criteria(params.get("SearchCriteria"))
    users = sorted((u for u in state["users"].values() if keep(u) and match(u)), key=lambda u: u["Username"])
    page, token = _page(users, max_results, params.get("NextToken"), SEARCH_DEFAULT_RESULTS)
    answer = {"Users": [search_summary(u) for u in page], "ApproximateTotalCount": len(users)}
    if token:
        answer["NextToken"] = token
    return answer


def create_user(account: str, region: str, instance: Instance, params: dict) -> dict:
    """CreateUser with Connect's rules; shared by the API and the sandbox seed."""
    state = _state(account, region, instance)
    username = params.get("Username") or ""
    identity = params.get("IdentityInfo") or {}
    if instance.identity_management_type == "SAML":
        if not SAML_USERNAME.match(username) or ("@" in username and not EMAIL_FORM.match(username)):
            raise InvalidParameterException(
                f"Username {username!r} is invalid: use at most 64 characters from a-z, A-Z, 0-9, _-.@, "
                "with @ only in an email address"
            )
        if params.get("Password"):
            raise InvalidParameterException("Password is not supported for instances using SAML identity management")
        if params.get("DirectoryUserId"):
            raise InvalidParameterException("DirectoryUserId is not supported for instances using SAML")
        _check_saml_identity(identity)
    elif instance.identity_management_type == "CONNECT_MANAGED" and not params.get("Password"):
        raise InvalidParameterException("Password is required for instances using Connect identity management")
    profiles = _check_security_profiles(state, params.get("SecurityProfileIds"))
    _check_routing_profile(state, params.get("RoutingProfileId"))
    phone = _check_phone_config(params.get("PhoneConfig") or {"PhoneType": "SOFT_PHONE", "AutoAccept": False})
    _check_hierarchy_group(state, params.get("HierarchyGroupId"))
    tags = _check_tags(params.get("Tags") or {}, {})
    if any(u["Username"] == username for u in state["users"].values()):
        raise DuplicateResourceException(f"User with username {username} already exists")
    user_id = str(uuid.uuid4())
    user = {
        "Id": user_id,
        "Arn": f"{instance.arn}/agent/{user_id}",
        "Username": username,
        "IdentityInfo": identity,
        "PhoneConfig": phone,
        "SecurityProfileIds": profiles,
        "RoutingProfileId": params["RoutingProfileId"],
        "Tags": tags,
        "LastModifiedTime": _now(),
        "LastModifiedRegion": region,
    }
    if params.get("HierarchyGroupId"):
        user["HierarchyGroupId"] = params["HierarchyGroupId"]
    state["users"][user_id] = user
    return user


class EmulatedConnectResponse(ConnectResponse):
    def _instance(self) -> Instance:
        return self.connect_backend._get_instance_or_raise(self._get_instance_id())

    def _body(self) -> dict:
        return json.loads(self.body) if self.body else {}

    def list_instances(self) -> str:
        max_results = self._get_int_param("maxResults")
        if max_results is not None and not 1 <= max_results <= 10:
            raise InvalidParameterException("maxResults must be between 1 and 10")
        instances = sorted(self.connect_backend.instances.values(), key=lambda i: (i.created_time, i.id))
        page, token = _page([i.to_summary_dict() for i in instances], max_results, self._get_param("nextToken"), 10)
        return json.dumps({"InstanceSummaryList": page, **({"NextToken": token} if token else {})})

    def create_user(self) -> str:
        user = create_user(self.current_account, self.region, self._instance(), self._body())
        return json.dumps({"UserId": user["Id"], "UserArn": user["Arn"]})

    def _user(self) -> dict:
        users = _state(self.current_account, self.region, self._instance())["users"]
        user_id = self._get_param("UserId")
        if user_id not in users:
            raise ResourceNotFoundException(f"User {user_id} not found")
        return users[user_id]

    def describe_user(self) -> str:
        return json.dumps({"User": self._user()})

    def _update_user(self, **changes) -> str:
        user = self._user()
        user.update(changes, LastModifiedTime=_now(), LastModifiedRegion=self.region)
        return "{}"

    def _instance_state(self) -> dict:
        return _state(self.current_account, self.region, self._instance())

    def update_user_security_profiles(self) -> str:
        profiles = _check_security_profiles(self._instance_state(), self._body().get("SecurityProfileIds"))
        return self._update_user(SecurityProfileIds=profiles)

    def update_user_routing_profile(self) -> str:
        profile_id = self._body().get("RoutingProfileId")
        _check_routing_profile(self._instance_state(), profile_id)
        return self._update_user(RoutingProfileId=profile_id)

    def update_user_identity_info(self) -> str:
        identity = self._body().get("IdentityInfo") or {}
        if self._instance().identity_management_type == "SAML":
            _check_saml_identity(identity)
        return self._update_user(IdentityInfo=identity)

    def update_user_phone_config(self) -> str:
        return self._update_user(PhoneConfig=_check_phone_config(self._body().get("PhoneConfig") or {}))

    def update_user_hierarchy(self) -> str:
        """UpdateUserHierarchy: HierarchyGroupId is optional; without it the user leaves the hierarchy."""
        group_id = self._body().get("HierarchyGroupId")
        _check_hierarchy_group(self._instance_state(), group_id)
        user = self._user()
        if group_id is None:
            user.pop("HierarchyGroupId", None)
        return self._update_user(**({"HierarchyGroupId": group_id} if group_id else {}))

    def create_user_hierarchy_group(self) -> str:
        group = create_hierarchy_group(self.region, self._instance(), self._instance_state(), self._body())
        return json.dumps({"HierarchyGroupId": group["Id"], "HierarchyGroupArn": group["Arn"]})

    def list_user_hierarchy_groups(self) -> str:
        groups = sorted(self._instance_state()["hierarchy-group"].values(), key=lambda g: (g["Name"], g["Id"]))
        max_results = self._get_int_param("maxResults")
        if max_results is not None and not 1 <= max_results <= 1000:
            raise InvalidParameterException("maxResults must be between 1 and 1000")
        page, token = _page([_hierarchy_summary(g) for g in groups], max_results, self._get_param("nextToken"), 100)
        return json.dumps({"UserHierarchyGroupSummaryList": page, **({"NextToken": token} if token else {})})

    def describe_user_hierarchy_group(self) -> str:
        state = self._instance_state()
        group = state["hierarchy-group"].get(self._get_param("HierarchyGroupId"))
        if group is None:
            raise ResourceNotFoundException(f"Hierarchy group {self._get_param('HierarchyGroupId')} not found")
        described = {k: group[k] for k in ("Id", "Arn", "Name", "LevelId", "Tags", "LastModifiedTime")}
        described.update(HierarchyPath=_hierarchy_path(state, group), LastModifiedRegion=group["LastModifiedRegion"])
        return json.dumps({"HierarchyGroup": described})

    def search_users(self) -> str:
        params = self._body()
        instance = self.connect_backend._get_instance_or_raise(params.get("InstanceId"))
        return json.dumps(search_users(_state(self.current_account, self.region, instance), params))

    def _tagged_user(self) -> tuple[dict, dict] | None:
        arn = self._get_resource_arn()
        found = find_user_by_arn(arn)
        if found is None and "/agent/" in arn:
            raise ResourceNotFoundException(f"User {arn} not found")
        return found

    def tag_resource(self) -> str:
        found = self._tagged_user()
        if found is None:
            return super().tag_resource()
        _state_of, user = found
        user["Tags"] = _check_tags(self._body().get("tags") or {}, user["Tags"])
        return "{}"

    def untag_resource(self) -> str:
        found = self._tagged_user()
        if found is None:
            return super().untag_resource()
        _state_of, user = found
        keys = self.querystring.get("tagKeys", [])
        if not keys:
            raise InvalidParameterException("tagKeys must list 1 to 50 keys")
        user["Tags"] = {k: v for k, v in user["Tags"].items() if k not in keys}
        return "{}"

    def list_tags_for_resource(self) -> str:
        found = self._tagged_user()
        if found is None:
            return super().list_tags_for_resource()
        return json.dumps({"tags": found[1]["Tags"]})

    def delete_user(self) -> str:
        user = self._user()
        del _state(self.current_account, self.region, self._instance())["users"][user["Id"]]
        return "{}"

    def list_users(self) -> str:
        users = sorted(
            _state(self.current_account, self.region, self._instance())["users"].values(), key=lambda u: u["Username"]
        )
        summaries = [
            {k: u[k] for k in ("Id", "Arn", "Username", "LastModifiedTime", "LastModifiedRegion")} for u in users
        ]
        max_results = self._get_int_param("maxResults")
        if max_results is not None and not 1 <= max_results <= 1000:
            raise InvalidParameterException("maxResults must be between 1 and 1000")
        page, token = _page(summaries, max_results, self._get_param("nextToken"), 100)
        return json.dumps({"UserSummaryList": page, **({"NextToken": token} if token else {})})

    def _profiles(self, kind: str, list_key: str) -> str:
        profiles = sorted(
            _state(self.current_account, self.region, self._instance())[kind].values(), key=lambda p: p["Name"]
        )
        page, token = _page(profiles, self._get_int_param("maxResults"), self._get_param("nextToken"), 100)
        return json.dumps({list_key: page, **({"NextToken": token} if token else {})})

    def list_security_profiles(self) -> str:
        return self._profiles("security-profile", "SecurityProfileSummaryList")

    def list_routing_profiles(self) -> str:
        return self._profiles("routing-profile", "RoutingProfileSummaryList")

    def _describe_profile(self, kind: str, id_param: str) -> dict:
        profiles = _state(self.current_account, self.region, self._instance())[kind]
        profile_id = self._get_param(id_param)
        if profile_id not in profiles:
            raise ResourceNotFoundException(f"{kind} {profile_id} not found")
        return profiles[profile_id]

    def describe_security_profile(self) -> str:
        profile = self._describe_profile("security-profile", "SecurityProfileId")
        return json.dumps(
            {
                "SecurityProfile": {
                    "Id": profile["Id"],
                    "Arn": profile["Arn"],
                    "SecurityProfileName": profile["Name"],
                    "Tags": {},
                }
            }
        )

    def describe_routing_profile(self) -> str:
        profile = self._describe_profile("routing-profile", "RoutingProfileId")
        return json.dumps(
            {
                "RoutingProfile": {
                    "InstanceId": self._instance().id,
                    "Name": profile["Name"],
                    "RoutingProfileArn": profile["Arn"],
                    "RoutingProfileId": profile["Id"],
                    "Description": profile["Name"],
                    "Tags": {},
                }
            }
        )


URL_PATHS = {
    "{0}/users/(?P<InstanceId>[^/]+)$": EmulatedConnectResponse.dispatch,
    "{0}/users/(?P<InstanceId>[^/]+)/(?P<UserId>[^/]+)$": EmulatedConnectResponse.dispatch,
    "{0}/users/(?P<InstanceId>[^/]+)/(?P<UserId>[^/]+)/(?P<Part>[a-z-]+)$": EmulatedConnectResponse.dispatch,
    "{0}/search-users$": EmulatedConnectResponse.dispatch,
    "{0}/users-summary/(?P<InstanceId>[^/]+)$": EmulatedConnectResponse.dispatch,
    "{0}/security-profiles-summary/(?P<InstanceId>[^/]+)$": EmulatedConnectResponse.dispatch,
    "{0}/routing-profiles-summary/(?P<InstanceId>[^/]+)$": EmulatedConnectResponse.dispatch,
    "{0}/security-profiles/(?P<InstanceId>[^/]+)/(?P<SecurityProfileId>[^/]+)$": EmulatedConnectResponse.dispatch,
    "{0}/routing-profiles/(?P<InstanceId>[^/]+)/(?P<RoutingProfileId>[^/]+)$": EmulatedConnectResponse.dispatch,
    "{0}/user-hierarchy-groups-summary/(?P<InstanceId>[^/]+)$": EmulatedConnectResponse.dispatch,
    "{0}/user-hierarchy-groups/(?P<InstanceId>[^/]+)$": EmulatedConnectResponse.dispatch,
    "{0}/user-hierarchy-groups/(?P<InstanceId>[^/]+)/(?P<HierarchyGroupId>[^/]+)$": EmulatedConnectResponse.dispatch,
}


def _set_instance_status(payload: dict, _request) -> dict:
    if payload.get("status") not in STATUSES:
        raise ValueError(f"status must be one of {STATUSES}")
    instance = get_instance(payload["account"], payload["region"], payload["instance_id"])
    if instance is None:
        raise ValueError("no such instance")
    instance.instance_status = payload["status"]
    return {"instance_id": instance.id, "status": instance.instance_status}


def install(emulator) -> None:
    for pattern in list(moto.connect.urls.url_paths):
        moto.connect.urls.url_paths[pattern] = EmulatedConnectResponse.dispatch
    moto.connect.urls.url_paths.update(URL_PATHS)
    admin.ADMIN_EXTENSIONS["/connect/instance-status"] = _set_instance_status


def seed(topology: Topology) -> dict:
    seeded = []
    for spec in topology.instances:
        backend = connect_backends[spec.account][spec.region]
        created = backend.create_instance(spec.identity_management_type, True, True, instance_alias=spec.alias)
        instance = backend.instances.pop(created["Id"])
        instance.id, instance.arn = spec.id, spec.arn  # AWS's ids are random; a topology's are fixed
        instance.instance_status = spec.status
        backend.instances[spec.id] = instance
        state = _state(spec.account, spec.region, instance)
        by_name = {
            kind: {p["Name"]: p["Id"] for p in state[kind].values()} for kind in ("security-profile", "routing-profile")
        }
        for username, user in topology.connect_users(spec):
            create_user(
                spec.account,
                spec.region,
                instance,
                {
                    "Username": username,
                    "IdentityInfo": {
                        "FirstName": user.given_name,
                        "LastName": user.family_name,
                        "SecondaryEmail": user.email,
                    },
                    "SecurityProfileIds": [by_name["security-profile"][user.connect_profile]],
                    "RoutingProfileId": by_name["routing-profile"]["Basic Routing Profile"],
                },
            )
        seeded.append(
            {
                "host": spec.host,
                "env": spec.env,
                "account": spec.account,
                "region": spec.region,
                "alias": spec.alias,
                "id": spec.id,
                "arn": spec.arn,
                "identity_management_type": spec.identity_management_type,
                "status": spec.status,
                "users": [u["Username"] for u in state["users"].values()],
            }
        )
    return {"instances": seeded}
