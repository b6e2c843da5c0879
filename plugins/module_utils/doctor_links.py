# -*- coding: utf-8 -*-
# Copyright: Contributors to the connect_sso.federation collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The doctor's links on the IAM Identity Center and Amazon Connect side (doctor.py walks them):
the app, its status, assignments, ACS and audience, attribute mappings, relay state, session
name, and the Connect users. Read-only: every call here is a read."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

from ansible_collections.connect_sso.federation.plugins.module_utils import saml_app
from ansible_collections.connect_sso.federation.plugins.module_utils.app_assignments import list_assignments
from ansible_collections.connect_sso.federation.plugins.module_utils.arns import role_arn, saml_provider_arn
from ansible_collections.connect_sso.federation.plugins.module_utils.connect_users import (
    SOURCE_READERS,
    search_users,
    username_of,
    username_problem,
)
from ansible_collections.connect_sso.federation.plugins.module_utils.doctor_walk import Stop, Walk
from ansible_collections.connect_sso.federation.plugins.module_utils.errors import ValidationError
from ansible_collections.connect_sso.federation.plugins.module_utils.idc import (
    app_tags,
    describe_user,
    find_app_by_name,
    group_member_ids,
    list_saml_apps,
    resolve_principals,
)
from ansible_collections.connect_sso.federation.plugins.module_utils.partitions import partition_for_region
from ansible_collections.connect_sso.federation.plugins.module_utils.relay_state import (
    federate_url,
    parse_federate_url,
)
from ansible_collections.connect_sso.federation.plugins.module_utils.saml_app_config import (
    DIGEST_TAG,
    RELAY_STATE_FIELD,
    ROLE_ATTRIBUTE,
    SESSION_NAME_ATTRIBUTE,
    assertion_options,
    desired_attributes,
    digest,
    validate_role_pairs,
)

RERUN = "or run site.yml for this host"
SOURCE_VARIABLE_PREFIX = "${user:"


def expected_response(walk: Walk) -> Dict[str, Any]:
    """The response and schema configuration the inventory asks for this instance (as the chain builds them)."""
    params, instance = walk.params, walk.instance
    account, partition = instance["account_id"], instance["arn"].split(":")[1]
    pair = {
        "role_arn": role_arn(account, params["role_name"], params["role_path"], partition),
        "provider_arn": saml_provider_arn(account, params["provider_name"], partition),
    }
    relay = federate_url(
        instance["region"],
        instance["id"],
        params.get("relay_destination"),
        params["new_domain"],
        option="relay_destination",
        alias=instance.get("alias"),
    )
    options = assertion_options(
        params["role_session_name"],
        params["subject"],
        params["subject_format"],
        params["attributes"],
        params["session_duration"],
    )
    response, schema = desired_attributes([pair], options, relay, partition_for_region(walk.idc.region, "idc.region"))
    return {"response": response, "schema": schema, "digest": digest(response, schema)}


# --- app -------------------------------------------------------------------------------------------


def _relay_instance(config: Optional[Dict[str, Any]]) -> Optional[str]:
    """The instance id an app's relay state points at, when its console answer shows one."""
    relay = ((config or {}).get("responseConfig") or {}).get(RELAY_STATE_FIELD)
    try:
        return parse_federate_url(relay).instance_id if relay else None
    except ValidationError:
        return None


def _console_configs(walk: Walk) -> Dict[str, Dict[str, Any]]:
    """console id -> console answer of every app: as this run's idc_facts read them once when they
    hold every app's, else one ListApplicationInstances; {} without the console API."""
    if walk.idc.control is None:
        return {}
    if walk.idc.apps and all(app.config for app in walk.idc.apps):
        return {app.console_id: app.config for app in walk.idc.apps}
    return {a["instanceId"]: a for a in walk.idc.control.list_apps() if a.get("instanceId")}


def check_app(walk: Walk) -> None:
    """The app of the inventory's name; else one whose relay state sends users to this instance."""
    name = walk.params["app_name"]
    try:
        named = find_app_by_name(walk.idc, name, "app_name")
    except ValidationError as error:
        walk.error("app", str(error), "delete or rename all but one of them in the IAM Identity Center console")
        raise Stop() from None
    configs = _console_configs(walk)
    pointing = [
        a for a in list_saml_apps(walk.idc) if _relay_instance(configs.get(a.console_id)) == walk.instance["id"]
    ]
    walk.app = named or (pointing[0] if pointing else None)
    walk.found_by = "name" if named else "relay_state"
    if walk.app is None:
        walk.error(
            "app",
            f"IAM Identity Center has no application {name!r}, and no application's relay state sends users to "
            f"instance {walk.instance['id']}: users have nothing to click in the AWS access portal",
            "run site.yml for this host to create it, or set connect_federation_app_name to the display name "
            "of the instance's application",
        )
        raise Stop()
    others = sorted(a.name or a.arn for a in pointing if a.arn != walk.app.arn)
    if others:
        walk.warning(
            "app",
            f"besides {walk.app.name}, the application(s) {', '.join(others)} also send users to this instance",
            "keep one application per instance: fix or delete the others in the IAM Identity Center console",
        )
    walk.config = configs.get(walk.app.console_id) or (
        walk.idc.control.get_app(walk.app.console_id) if walk.idc.control else {}
    )


def check_app_status(walk: Walk) -> None:
    status = walk.config.get("status") or walk.app.status
    if status not in ("ENABLED", None):
        walk.error(
            "app_status",
            f"the application {walk.app_name} is {status}: the AWS access portal does not offer it, so no "
            "sign-in can start",
            f"IAM Identity Center console > Applications > {walk.app_name} > Actions > Enable, {RERUN}",
        )


def _assigned_users(walk: Walk, assigned: List[Tuple[str, str]]) -> List[Dict[str, Any]]:
    """The identity store users the app is assigned to, directly or through a group (each read once)."""
    ids: List[str] = []
    for kind, principal in assigned:
        for user_id in [principal] if kind == "USER" else group_member_ids(walk.idc, principal):
            if user_id not in ids:
                ids.append(user_id)
    return [user for user in (describe_user(walk.idc, i) for i in ids) if user]


def check_assignment(walk: Walk) -> None:
    assigned = list_assignments(walk.idc, walk.app.arn)
    walk.users = _assigned_users(walk, assigned)
    if not assigned:
        walk.error(
            "assignment",
            f"no user or group is assigned to {walk.app_name}: everyone is not assigned to it (neither directly "
            "nor through a group), so the portal offers it to no one",
            f"assign the instance's groups (connect_sso_assignments) {RERUN}, or in the IAM Identity Center console",
        )
        return
    try:
        wanted = resolve_principals(walk.idc, walk.params["principals"], option="connect_sso_assignments")
    except ValidationError as error:
        walk.error("assignment", str(error), "create the group or user, or correct connect_sso_assignments")
        return
    missing = [f"{p['type']} {p['name'] or p['id']}" for p in wanted if (p["type"], p["id"]) not in assigned]
    if missing:
        walk.error(
            "assignment",
            f"{', '.join(missing)} of the inventory is not assigned to {walk.app_name}, so the portal does not "
            "offer it to them",
            f"assign them {RERUN}, or in the IAM Identity Center console (Applications > {walk.app_name} > Assign users)",
        )


def check_acs_audience(walk: Walk) -> None:
    if walk.idc.control is None:
        walk.warning("acs_audience", "not checked: control_api is false", "check ACS and audience in the console")
        return
    wanted = saml_app.desired_state(
        walk.app_name, "", True, walk.params.get("acs_url"), walk.params.get("audience"), walk.idc.region
    )["serviceProviderConfig"]
    sp = walk.config.get("serviceProviderConfig") or {}
    consumers = sp.get("consumers") or []
    where = f"IAM Identity Center console > Applications > {walk.app_name} > Actions > Edit configuration"
    if not consumers:
        walk.error(
            "acs_audience",
            "the application has no ACS URL (service provider configuration missing): IAM Identity Center has "
            "nowhere to post the sign-in",
            f"{where}: Application ACS URL {wanted['consumers'][0]['location']}, SAML audience {wanted['audience']}; {RERUN}",
        )
        return
    walk.acs = consumers[0]["location"]
    if sp.get("audience") != wanted["audience"]:
        walk.error(
            "acs_audience",
            f"Audience {sp.get('audience')!r} is not {wanted['audience']}: STS refuses the assertion "
            "(Your request included an invalid SAML response)",
            f"{where}: Application SAML audience {wanted['audience']}; {RERUN}",
        )
    try:
        saml_app.validate_acs_url(walk.acs, "the application's ACS URL")
    except ValidationError as error:
        walk.error("acs_audience", f"{error}: the assertion never reaches AWS sign-in", f"{where}; {RERUN}")


# --- attribute mappings ------------------------------------------------------------------------------


def _shown_response(walk: Walk) -> Optional[Dict[str, Any]]:
    """The app's response configuration when the console answer shows its mappings, else None."""
    response = walk.config.get("responseConfig")
    return response if isinstance(response, dict) and response.get("properties") is not None else None


def _digest_matches(walk: Walk) -> bool:
    return app_tags(walk.idc, walk.app).get(DIGEST_TAG) == walk.expected["digest"]


def check_role_attribute(walk: Walk) -> None:
    """The Role pair the app asserts: shown by the console API, or (hidden) the inventory's when the
    digest tag says the collection applied exactly that; else an unverified warning."""
    response = _shown_response(walk)
    walk.shown = response if response is not None else walk.expected["response"]
    if response is None and not _digest_matches(walk):
        expected = walk.expected["response"]
        walk.warning(
            "role_attribute",
            "the console API does not show the app's attribute mappings, and the app does not carry the digest of "
            "what the inventory asks for: the Role, RoleSessionName and relay state below are the inventory's, "
            "not verified",
            f"check in the console (Applications > {walk.app_name} > Attribute mappings): Role = "
            f"{expected['properties'][ROLE_ATTRIBUTE]['source'][0]}, RoleSessionName = "
            f"{expected['properties'][SESSION_NAME_ATTRIBUTE]['source'][0]}, relay state = "
            f"{expected.get(RELAY_STATE_FIELD)}; {RERUN}",
        )
    if response is not None and not (response.get("subject") or {}).get("source"):
        walk.error(
            "role_attribute",
            "The SAML assertion has no Subject NameID: STS refuses it (AccessDenied)",
            f"map Subject to {walk.params['subject']} (Applications > {walk.app_name} > Attribute mappings), {RERUN}",
        )
    sources = ((walk.shown.get("properties") or {}).get(ROLE_ATTRIBUTE) or {}).get("source") or []
    _follow_role_pair(walk, sources)


def _follow_role_pair(walk: Walk, sources: List[str]) -> None:
    expected = walk.expected["response"]["properties"][ROLE_ATTRIBUTE]["source"][0]
    fix = f"set the app's Role attribute to {expected} (Applications > {walk.app_name} > Attribute mappings), {RERUN}"
    if not sources:
        walk.error("role_attribute", "Your request included an invalid SAML response (no Role attribute)", fix)
        role, provider = expected.split(",")
    else:
        parts = [p.strip() for p in sources[0].split(",")]
        role, provider = (parts if ":role/" in parts[0] else parts[::-1]) if len(parts) == 2 else ("", "")
        try:
            validate_role_pairs(
                [{"role_arn": role, "provider_arn": provider}],
                option="the app's Role attribute",
                app_partition=partition_for_region(walk.idc.region, "idc.region"),
            )
            account = role.split(":")[4]
            if account != walk.instance["account_id"]:
                raise ValidationError(
                    "the app's Role attribute", sources[0], f"names account {account}, not the instance's"
                )
        except ValidationError as error:
            walk.error("role_attribute", f"Your request included an invalid SAML response ({error})", fix)
            role, provider = expected.split(",")
    walk.role_arn, walk.provider_arn = role, provider


def _mapped(walk: Walk, name: str) -> Optional[str]:
    source = ((walk.shown.get("properties") or {}).get(name) or {}).get("source") or []
    return source[0] if source else None


def check_relay_state(walk: Walk) -> None:
    instance = walk.instance
    relay = walk.shown.get(RELAY_STATE_FIELD)
    wanted = walk.expected["response"][RELAY_STATE_FIELD]
    fix = (
        f"set the relay state of {walk.app_name} to {wanted} (IAM Identity Center console > Applications > "
        f"{walk.app_name} > Actions > Edit configuration > Relay state), {RERUN}"
    )
    if not relay:
        if not _digest_matches(walk):
            walk.error("relay_state", "Session expired: the app has no relay state, so users land on the console", fix)
        return
    try:
        target = parse_federate_url(relay, "the app's relay state")
    except ValidationError as error:
        walk.error("relay_state", f"Session expired: {error}", fix)
        return
    if target.instance_id != instance["id"] or (target.region and target.region != instance["region"]):
        walk.error(
            "relay_state",
            f"Session expired: the relay state sends users to instance {target.instance_id} in "
            f"{target.region or 'GovCloud'}, not to this instance ({instance['id']} in {instance['region']})",
            fix,
        )


def check_session_name(walk: Walk) -> None:
    source = _mapped(walk, SESSION_NAME_ATTRIBUTE)
    fix = (
        f"map RoleSessionName to {walk.params['role_session_name']} (connect_federation_role_session_name) in "
        f"Applications > {walk.app_name} > Attribute mappings, {RERUN}"
    )
    if not source:
        walk.error("session_name", "RoleSessionName is not mapped: STS refuses the assertion (ValidationError)", fix)
        return
    readable = all(name in SOURCE_READERS for name in _variables(source))
    if not readable:
        walk.warning(
            "session_name",
            f"the RoleSessionName source {source} cannot be read from the identity store: its values are not checked",
            f"use one of {', '.join('${user:' + n + '}' for n in SOURCE_READERS)} to have them checked",
        )
        return
    bad = [(u.get("UserName"), username_of(u, source)) for u in walk.users or []]
    bad = [(user, name, username_problem(name)) for user, name in bad if username_problem(name)]
    if bad:
        listed = "; ".join(f"{user}: {name!r} {problem}" for user, name, problem in bad[:5])
        walk.error("session_name", f"{len(bad)} assigned user(s) get an invalid RoleSessionName: {listed}", fix)


def _variables(source: str) -> List[str]:
    return [part.split("}", 1)[0] for part in source.split(SOURCE_VARIABLE_PREFIX)[1:]]


def check_connect_user(walk: Walk) -> None:
    source = _mapped(walk, SESSION_NAME_ATTRIBUTE)
    if not source or not all(name in SOURCE_READERS for name in _variables(source)):
        return  # session_name said why the usernames cannot be known
    users = search_users(walk.member.client("connect"), walk.instance["id"])
    usernames = {u.get("Username") for u in users}
    by_lower = {(name or "").lower(): name for name in usernames}
    missing = []
    for user in walk.users or []:
        name = username_of(user, source)
        if name and name not in usernames and not username_problem(name):
            near = by_lower.get(name.lower())
            missing.append(f"{name!r} (Connect has {near!r}: usernames are case sensitive)" if near else repr(name))
    if missing:
        walk.error(
            "connect_user",
            "Access Denied. Your account has been authenticated, but has not been onboarded to this application: "
            f"no Connect user named exactly {', '.join(missing[:10])}" + (" ..." if len(missing) > 10 else ""),
            "a Connect username must equal the RoleSessionName exactly, case included: map the users' IdC groups in "
            "connect_federation_users and run site.yml (connect_saml_users), or create Connect users with exactly "
            "these usernames"
            + (
                "; where only the case differs, change the user's attribute in IAM Identity Center (the "
                "RoleSessionName source), or replace the Connect user by one with the exact username"
                if "case sensitive" in str(missing)
                else ""
            ),
        )
