# -*- coding: utf-8 -*-
# Copyright: Contributors to the connect_sso.federation collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The whole sign-in chain of one Connect instance, in one pass (DESIGN.md "Per-host flow"):
instance -> IdC app -> IAM provider -> IAM role -> app attributes -> assignments.

Every input is validated before the first call; each step is the same ensure_* function the
single-purpose modules use, so a step behaves the same whichever way it is run. One module
process per instance instead of six is what keeps a run over many accounts fast.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, Optional

from ansible_collections.connect_sso.federation.plugins.module_utils import (
    connect,
    federation_role,
    idc,
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
from ansible_collections.connect_sso.federation.plugins.module_utils.module_support import PENDING_APP
from ansible_collections.connect_sso.federation.plugins.module_utils.partitions import partition_for_region
from ansible_collections.connect_sso.federation.plugins.module_utils.relay_state import federate_url

STEPS = ("app", "provider", "role", "attributes", "assignments")


def validate(inputs: Dict[str, Any], idc_region: str) -> Dict[str, Any]:
    """Everything that can be checked without AWS, before any call."""
    if inputs.get("instance_id"):
        validate_connect_instance_id(inputs["instance_id"], "instance_id")
    validate_provider_name(inputs["provider_name"], "provider_name")
    app = saml_app.desired_state(
        inputs["app_name"],
        inputs["app_description"],
        inputs["enabled"],
        inputs["acs_url"],
        inputs["audience"],
        idc_region,
    )
    # the role's and the attributes' documents need the instance's account, known after step 1;
    # their names and options are checked now
    role = federation_role.desired_state(
        inputs["role_name"],
        None,
        None,
        max_session_duration=inputs["max_session_duration"],
        path=inputs["role_path"],
        permissions_boundary=inputs["permissions_boundary"],
        policy_name=inputs["policy_name"],
        policy_type=inputs["policy_type"],
        tags=inputs["tags"],
        present=False,
    )
    return {"app": app, "role": role}


def federate(
    member: Dict[str, Any],
    root: Dict[str, Any],
    idc_region: str,
    inputs: Dict[str, Any],
    check_mode: bool,
    warn: Optional[Callable[[str], None]] = None,
) -> Dict[str, Any]:
    """Run the chain; returns each step's result, `changed`, and one diff."""
    desired = validate(inputs, idc_region)
    instance = connect.find_instance(
        member["connect"], member["region"], inputs.get("instance_id"), inputs.get("instance_alias")
    )
    connect.require_saml_and_active(instance, "instance_id" if inputs.get("instance_id") else "instance_alias")
    account, partition = instance["account_id"], instance["arn"].split(":")[1]
    provider_arn = saml_provider_arn(account, inputs["provider_name"], partition)
    role = federation_role.desired_state(
        inputs["role_name"],
        [provider_arn],
        [instance["arn"]],
        inputs["saml_audiences"],
        inputs["max_session_duration"],
        inputs["role_path"],
        permissions_boundary=inputs["permissions_boundary"],
        policy_name=inputs["policy_name"],
        policy_type=inputs["policy_type"],
        tags=inputs["tags"],
    )
    relay = federate_url(instance["region"], instance["id"], inputs["relay_destination"], inputs["new_domain"])
    response, schema = saml_app_config.desired_attributes(
        [
            {
                "role_arn": role_arn(account, inputs["role_name"], inputs["role_path"], partition),
                "provider_arn": provider_arn,
            }
        ],
        inputs["role_session_name"],
        inputs["subject"],
        inputs["subject_format"],
        inputs["attributes"],
        relay,
        inputs["session_duration"],
        app_partition=partition_for_region(idc_region, "idc.region"),
    )

    results: Dict[str, Any] = {"instance": instance}
    idc_instance = idc.get_instance(root["sso"], idc_region)
    seen: Dict[str, Any] = {}
    results["app"] = saml_app.ensure(
        root["sso"], root["control"], idc_instance, idc_region, desired["app"], check_mode=check_mode, seen=seen
    )
    app_exists = results["app"]["application_arn"] is not None
    if not app_exists and root["control"] is None:
        # console-steps mode before the app is made in the console: the provider needs its metadata and
        # the role's trust policy needs the provider, so the member side waits for the next run
        name = desired["app"]["display"]["displayName"]
        idc.resolve_principals(root["identitystore"], idc_instance["identity_store_id"], inputs["principals"])
        steps = saml_app_config.manual_attribute_steps(name, response, schema)
        for step in ("provider", "role", "attributes", "assignments"):
            results[step] = _waiting(name, manual_steps=steps if step == "attributes" else [])
        if warn:
            warn(
                f"the IAM Identity Center application {name} does not exist: make it in the console "
                "(app.manual_steps, then attributes.manual_steps) and run again to build the IAM provider and role"
            )
        return _finish(results, relay)

    document = results["app"]["metadata"]
    if document is not None:
        results["provider"] = saml_provider.ensure(
            member["iam"],
            inputs["provider_name"],
            document,
            "the app's metadata",
            inputs["tags"],
            True,
            check_mode=check_mode,
            warn=warn,
        )
    else:  # check mode before the app exists: the provider will be created from its metadata
        results["provider"] = _pending({"arn": provider_arn})
    results["role"] = federation_role.ensure(member["iam"], role, check_mode=check_mode)
    app = None  # check mode before the app exists: the two steps below report their pending change
    if app_exists:
        app = seen.get("app") or idc.resolve_app(root["sso"], idc_instance, results["app"]["application_arn"])
    results["attributes"] = saml_app.ensure_attributes(
        root["sso"],
        root["control"],
        idc_instance,
        app,
        response,
        schema,
        check_mode,
        seen.get("shape"),
        seen.get("tags"),
    )
    results["assignments"] = idc.ensure_assignments(
        root["sso"],
        root["identitystore"],
        idc_instance,
        app,
        inputs["principals"],
        inputs["assignment_required"],
        inputs["exclusive_assignments"],
        check_mode=check_mode,
    )
    return _finish(results, relay)


def _finish(results: Dict[str, Any], relay: str) -> Dict[str, Any]:
    """The chain's result: each step's, `changed`, and one diff."""
    results["relay_state"] = relay
    results["changed"] = any(results[step]["changed"] for step in STEPS)
    results["diff"] = {
        "before": {step: results[step].get("diff", {}).get("before", {}) for step in STEPS},
        "after": {step: results[step].get("diff", {}).get("after", {}) for step in STEPS},
    }
    return results


def _waiting(app_name: str, **extra: Any) -> Dict[str, Any]:
    """A step that waits, unchanged, for the app to be made by hand (control_api false)."""
    waiting = f"waits for the IAM Identity Center application {app_name}, made in the console"
    return dict(extra, changed=False, pending=waiting, diff={"before": {}, "after": {}})


def _pending(extra: Dict[str, Any]) -> Dict[str, Any]:
    """A step that cannot be planned in detail until the app exists (check mode, first run)."""
    return dict(extra, changed=True, pending=PENDING_APP, diff={"before": {}, "after": {"pending": PENDING_APP}})
