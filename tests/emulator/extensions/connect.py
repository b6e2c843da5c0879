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
        for field in ("FirstName", "LastName"):
            if not identity.get(field) or len(identity[field]) > NAME_MAX:
                raise InvalidParameterException(f"IdentityInfo.{field} is required (1-{NAME_MAX} characters) for SAML")
        # The field doc says Email on a SAML instance returns an error (inferred; use SecondaryEmail):
        # docs/aws-facts.md#createuser-on-saml-instances.
        if identity.get("Email"):
            raise InvalidParameterException("IdentityInfo.Email is not supported for SAML; use SecondaryEmail")
    elif instance.identity_management_type == "CONNECT_MANAGED" and not params.get("Password"):
        raise InvalidParameterException("Password is required for instances using Connect identity management")
    profiles = params.get("SecurityProfileIds") or []
    if not 1 <= len(profiles) <= 10:
        raise InvalidParameterException("SecurityProfileIds must list 1 to 10 security profiles")
    for profile_id in profiles:
        if profile_id not in state["security-profile"]:
            raise ResourceNotFoundException(f"Security profile {profile_id} not found")
    if params.get("RoutingProfileId") not in state["routing-profile"]:
        raise ResourceNotFoundException(f"Routing profile {params.get('RoutingProfileId')} not found")
    if any(u["Username"] == username for u in state["users"].values()):
        raise DuplicateResourceException(f"User with username {username} already exists")
    user_id = str(uuid.uuid4())
    user = {
        "Id": user_id,
        "Arn": f"{instance.arn}/agent/{user_id}",
        "Username": username,
        "IdentityInfo": identity,
        "PhoneConfig": params.get("PhoneConfig") or {"PhoneType": "SOFT_PHONE", "AutoAccept": False},
        "SecurityProfileIds": profiles,
        "RoutingProfileId": params["RoutingProfileId"],
        "Tags": params.get("Tags") or {},
        "LastModifiedTime": _now(),
        "LastModifiedRegion": region,
    }
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
    "{0}/users-summary/(?P<InstanceId>[^/]+)$": EmulatedConnectResponse.dispatch,
    "{0}/security-profiles-summary/(?P<InstanceId>[^/]+)$": EmulatedConnectResponse.dispatch,
    "{0}/routing-profiles-summary/(?P<InstanceId>[^/]+)$": EmulatedConnectResponse.dispatch,
    "{0}/security-profiles/(?P<InstanceId>[^/]+)/(?P<SecurityProfileId>[^/]+)$": EmulatedConnectResponse.dispatch,
    "{0}/routing-profiles/(?P<InstanceId>[^/]+)/(?P<RoutingProfileId>[^/]+)$": EmulatedConnectResponse.dispatch,
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
