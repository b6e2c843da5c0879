# -*- coding: utf-8 -*-
# Copyright: Contributors to the connect_sso.federation collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The whole sign-in chain of one Connect instance, in one pass (docs/architecture.md):
instance -> IdC app -> IAM provider -> IAM role -> app attributes -> assignments -> (when groups
are mapped) the instance's Connect users.

validate() checks every input before any AWS call; federate() finds the instance, builds every
document from it, then runs the steps, each the same ensure() the single-purpose modules use,
so a step behaves the same whichever way it is run. One module process per instance instead
of six is what keeps a run over many accounts fast.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Dict, Optional, Tuple

from ansible_collections.connect_sso.federation.plugins.module_utils import (
    app_assignments,
    app_attributes,
    connect,
    connect_users,
    federation_role,
    saml_app,
    saml_app_config,
    saml_provider,
)
from ansible_collections.connect_sso.federation.plugins.module_utils.arns import (
    role_arn,
    saml_provider_arn,
    validate_connect_instance_id,
    validate_provider_name,
)
from ansible_collections.connect_sso.federation.plugins.module_utils.clients import AccountClients
from ansible_collections.connect_sso.federation.plugins.module_utils.errors import FederationError, ValidationError
from ansible_collections.connect_sso.federation.plugins.module_utils.idc import Idc, resolve_principals
from ansible_collections.connect_sso.federation.plugins.module_utils.module_support import PENDING_APP
from ansible_collections.connect_sso.federation.plugins.module_utils.partitions import partition_for_region
from ansible_collections.connect_sso.federation.plugins.module_utils.relay_state import (
    federate_url,
    validate_destination,
)

STEPS = ("app", "provider", "role", "attributes", "assignments")
USERS = "users"  # the last step, only when users.access maps groups (else the result has no "users")


@dataclass
class Desired:
    """What the chain is asked for, validated; the parts that need the instance come later."""

    app: Dict[str, Any]  # saml_app.desired_state
    role: Dict[str, Any]  # federation_role.role_settings
    assertion: Dict[str, Any]  # saml_app_config.assertion_options
    inputs: Dict[str, Any]  # the module's parameters (names, principals, flags)


# The inventory variable the role connect_federation sets each option from, for error messages.
ROLE_VARIABLES = {
    "region": "connect_region",
    "idc": "connect_sso_idc_region",
    "instance_id": "connect_instance_id",
    "app_name": "connect_federation_app_name",
    "app_description": "connect_federation_app_description",
    "provider_name": "connect_federation_provider_name",
    "role_name": "connect_federation_role_name",
    "role_path": "connect_federation_role_path",
    "policy_name": "connect_federation_policy_name",
    "relay_destination": "connect_federation_relay_destination",
    "tags": "connect_federation_tags",
    "principals": "connect_sso_assignments",
    "users": "connect_federation_users",
    "max_session_duration": "connect_federation_max_session_duration",
    "role_session_name": "connect_federation_role_session_name",
    "subject": "connect_federation_subject",
    "attributes": "connect_federation_attributes",
    "session_duration": "connect_federation_session_duration",
}


ACCOUNT_HINT = (
    "The instance is looked for in the account of the module's AWS credentials; the role connect_federation "
    "takes them from connect_account_role_arn, else connect_account_profile, else the ambient credentials"
)


def with_role_variable(error: ValidationError) -> ValidationError:
    """The same error, saying which inventory variable the role takes the option from."""
    option = error.option.split("[", 1)[0].split(".", 1)[0].split(" ", 1)[0]
    variable = ROLE_VARIABLES.get(option)
    if variable is None:
        return error
    return ValidationError(
        error.option, error.value, f"{error.rule} (the role connect_federation sets {option} from {variable})"
    )


def validate(inputs: Dict[str, Any], idc_region: str, region: Optional[str] = None) -> Desired:
    """Everything that can be checked without AWS, once, before any call (region: the instance's)."""
    try:
        if region is not None:
            partition_for_region(region, "region")
        return _validate(inputs, idc_region)
    except ValidationError as error:
        raise with_role_variable(error) from None


def _validate(inputs: Dict[str, Any], idc_region: str) -> Desired:
    partition_for_region(idc_region, "idc.region")
    if not inputs.get("instance_id") and not inputs.get("instance_alias"):
        raise ValidationError("instance_id", None, "one of instance_id and instance_alias is required")
    if inputs.get("instance_id"):
        validate_connect_instance_id(inputs["instance_id"], "instance_id")
    validate_provider_name(inputs["provider_name"], "provider_name")
    if inputs.get("relay_destination"):  # the instance's own domain is checked once it is found
        validate_destination(inputs["relay_destination"], "relay_destination", partition_for_region(idc_region))
    app = saml_app.desired_state(
        inputs["app_name"],
        inputs["app_description"],
        inputs["enabled"],
        inputs["acs_url"],
        inputs["audience"],
        idc_region,
        options={"name": "app_name", "description": "app_description"},
    )
    role = federation_role.role_settings(
        inputs["role_name"],
        max_session_duration=inputs["max_session_duration"],
        path=inputs["role_path"],
        permissions_boundary=inputs["permissions_boundary"],
        permissions_boundary_policy=inputs.get("permissions_boundary_policy"),
        policy_name=inputs["policy_name"],
        policy_type=inputs["policy_type"],
        tags=inputs["tags"],
        options={"name": "role_name", "path": "role_path"},
    )
    assertion = saml_app_config.assertion_options(
        inputs["role_session_name"],
        inputs["subject"],
        inputs["subject_format"],
        inputs["attributes"],
        inputs["session_duration"],
    )
    users = _users(inputs.get("users"), inputs["role_session_name"])
    return Desired(app=app, role=role, assertion=assertion, inputs=dict(inputs, tags=role["tags"], users=users))


def _users(users: Optional[Dict[str, Any]], username_source: str) -> Optional[Dict[str, Any]]:
    """The users step's inputs, checked; None when no group is mapped (the step is off)."""
    if not users or not users.get("access"):
        return None
    access = connect_users.access_entries(users["access"], "users.access")
    try:
        connect_users.validate(access, username_source)
    except ValidationError as error:  # name the chain's options: the username is the RoleSessionName
        option = "role_session_name" if error.option == "username_source" else f"users.{error.option}"
        raise ValidationError(option, error.value, error.rule) from None
    return dict(users, access=access)


@dataclass
class Links:
    """What the instance decides: the ARNs the chain links together, its documents and relay state."""

    provider_arn: str
    role: Dict[str, Any]  # federation_role desired state, with its documents
    response: Dict[str, Any]  # the app's attribute mappings (response configuration)
    schema: Dict[str, Any]  # ... and their formats (response schema configuration)
    relay_state: str


def links_for(instance: Dict[str, Any], desired: Desired, idc_region: str) -> Links:
    """Every document of the chain, from the instance found; still no write."""
    inputs = desired.inputs
    account, partition = instance["account_id"], instance["arn"].split(":")[1]
    provider_arn = saml_provider_arn(account, inputs["provider_name"], partition)
    role = federation_role.with_documents(desired.role, [provider_arn], [instance["arn"]], inputs["saml_audiences"])
    relay = federate_url(
        instance["region"],
        instance["id"],
        inputs["relay_destination"],
        inputs["new_domain"],
        option="relay_destination",
        alias=instance.get("alias"),
    )
    pair = {"role_arn": role_arn(account, role["name"], role["path"], partition), "provider_arn": provider_arn}
    response, schema = saml_app_config.desired_attributes(
        [pair], desired.assertion, relay, app_partition=partition_for_region(idc_region, "idc.region")
    )
    return Links(provider_arn=provider_arn, role=role, response=response, schema=schema, relay_state=relay)


def federate(
    member: AccountClients,
    idc: Idc,
    desired: Desired,
    check_mode: bool = False,
    warn: Optional[Callable[[str], None]] = None,
) -> Dict[str, Any]:
    """Run the chain; returns each step's result, `changed`, and one diff."""
    inputs = desired.inputs
    try:
        instance = connect.find_instance(
            member.client("connect"), member.region, inputs.get("instance_id"), inputs.get("instance_alias")
        )
    except FederationError as error:  # most often the wrong account: say where the module looked
        raise FederationError(f"{error}. {ACCOUNT_HINT}") from None
    connect.require_saml_and_active(instance, "instance_id" if inputs.get("instance_id") else "instance_alias")
    try:
        links = links_for(instance, desired, idc.region)
        # every name the run needs, resolved before the first write: a typo fails with nothing changed
        principals = resolve_principals(idc, inputs["principals"])
        role = federation_role.read_role(member.client("iam"), links.role)
        # a role already bounded by that ARN had its boundary policy when the boundary was set:
        # a run that finds it so does not read the policy again (one IAM read per host and run)
        bounded = role is not None and role["permissions_boundary"] == links.role["permissions_boundary"]
        if not links.role["boundary_policy"] and not bounded:  # else the boundary policy is made below
            _require_boundary(member, links.role["permissions_boundary"])
    except ValidationError as error:
        raise with_role_variable(error) from None
    results: Dict[str, Any] = {"instance": instance}
    results["app"], app = saml_app.ensure(idc, desired.app, check_mode=check_mode)
    if app is None and idc.control is None:
        return _wait_for_console(results, desired, links, warn)
    if links.role["boundary_policy"] and not bounded:  # before the role, which needs it to exist
        results["boundary"] = federation_role.ensure_boundary_policy(
            member.client("iam"), links.role["boundary_policy"], inputs["tags"], check_mode=check_mode, warn=warn
        )
    results["provider"] = _ensure_provider(member, desired, links, results["app"]["metadata"], check_mode, warn)
    results["role"] = federation_role.ensure(member.client("iam"), links.role, check_mode=check_mode, current=role)
    results["attributes"] = app_attributes.ensure(idc, app, links.response, links.schema, check_mode=check_mode)
    results["assignments"] = app_assignments.ensure(
        idc,
        app,
        inputs["principals"],
        required=inputs["assignment_required"],
        exclusive=inputs["exclusive_assignments"],
        check_mode=check_mode,
        resolved=principals,
    )
    if inputs["users"]:
        results[USERS] = _ensure_users(member, idc, instance, inputs, check_mode)
    return _finish(results, links.relay_state)


def _ensure_users(
    member: AccountClients, idc: Idc, instance: Dict[str, Any], inputs: Dict[str, Any], check_mode: bool
) -> Dict[str, Any]:
    """The last step: the instance's Connect users, named by what the app sends as RoleSessionName."""
    users = inputs["users"]
    return connect_users.ensure(
        member.client("connect"),
        idc,
        instance,
        users["access"],
        inputs["role_session_name"],
        adopt=users["adopt"],
        exclusive=users["exclusive"],
        check_mode=check_mode,
        with_diff=True,
    )


def _require_boundary(member: AccountClients, arn: Optional[str]) -> None:
    """The permissions boundary must exist before the app is made: IAM refuses CreateRole otherwise."""
    if arn and federation_role.managed_policy(member.client("iam"), arn) is None:
        raise ValidationError(
            "permissions_boundary", arn, "no managed policy with this ARN exists in the instance's account"
        )


def _ensure_provider(
    member: AccountClients,
    desired: Desired,
    links: Links,
    metadata: Optional[str],
    check_mode: bool,
    warn: Optional[Callable[[str], None]],
) -> Dict[str, Any]:
    """The provider from the app's metadata; in check mode before the app exists, a pending change."""
    if metadata is None:
        return dict(
            arn=links.provider_arn,
            changed=True,
            pending=PENDING_APP,
            diff={"before": {}, "after": {"pending": PENDING_APP}},
        )
    return saml_provider.ensure(
        member.client("iam"),
        desired.inputs["provider_name"],
        metadata,
        option="the app's metadata",
        tags=desired.inputs["tags"],
        purge_tags=True,
        check_mode=check_mode,
        warn=warn,
        known_arn=links.provider_arn,
    )


def _wait_for_console(
    results: Dict[str, Any], desired: Desired, links: Links, warn: Optional[Callable[[str], None]]
) -> Dict[str, Any]:
    """Console-steps mode before the app is made in the console: the provider needs its metadata and
    the role's trust policy needs the provider, so the member side waits for the next run."""
    name = desired.app["display"]["displayName"]
    waiting = f"waits for the IAM Identity Center application {name}, made in the console"
    steps = saml_app_config.manual_attribute_steps(name, links.response, links.schema)
    for step in ("provider", "role", "attributes", "assignments"):
        manual = steps if step == "attributes" else []
        results[step] = dict(manual_steps=manual, changed=False, pending=waiting, diff={"before": {}, "after": {}})
    if warn:
        warn(
            f"the IAM Identity Center application {name} does not exist: make it in the console "
            "(app.manual_steps, then attributes.manual_steps) and run again to build the IAM provider and role"
        )
    return _finish(results, links.relay_state)


def _steps(results: Dict[str, Any]) -> Tuple[str, ...]:
    return STEPS + ((USERS,) if USERS in results else ())


def drift_message(results: Dict[str, Any]) -> Optional[str]:
    """For a compliance run that must fail on drift: which steps differ, or None.

    A Connect username that differs from the wanted one only in case is drift too: the run never
    repairs it (it would duplicate the user), and that agent cannot sign in."""
    steps = [step for step in _steps(results) if results[step]["changed"]]
    mismatches = [m["connect_username"] for m in results.get(USERS, {}).get("case_mismatches", [])]
    if mismatches:
        steps.append(f"{USERS} (usernames differing only in case: {', '.join(mismatches)})")
    if not steps:
        return None
    instance = results["instance"]
    return (
        f"Connect instance {instance.get('alias') or instance['id']} differs from the inventory in: {', '.join(steps)}"
    )


def _finish(results: Dict[str, Any], relay: str) -> Dict[str, Any]:
    """The chain's result: each step's, `changed`, and one diff."""
    results["relay_state"] = relay
    boundary = results.get("boundary") or {"changed": False}
    steps = _steps(results)
    results["changed"] = any(results[step]["changed"] for step in steps) or boundary["changed"]
    results["diff"] = {
        "before": {step: results[step].get("diff", {}).get("before", {}) for step in steps},
        "after": {step: results[step].get("diff", {}).get("after", {}) for step in steps},
    }
    if boundary["changed"]:  # the boundary policy is made, never changed: shown only when it is
        results["diff"]["before"]["boundary"] = boundary["diff"]["before"]
        results["diff"]["after"]["boundary"] = boundary["diff"]["after"]
    return results
