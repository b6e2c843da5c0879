# -*- coding: utf-8 -*-
# Copyright: Contributors to the connect_sso.federation collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The IdC custom SAML 2.0 application itself: find or create it, plan and apply its display
data, service provider configuration and status, delete it in the order IdC requires."""

from __future__ import annotations

import base64
from typing import Any, Dict, List, Optional

from ansible_collections.connect_sso.federation.plugins.module_utils import idc
from ansible_collections.connect_sso.federation.plugins.module_utils.errors import FederationError
from ansible_collections.connect_sso.federation.plugins.module_utils.module_support import (
    MANAGED_TAG_KEY,
    MANAGED_TAG_VALUE,
)
from ansible_collections.connect_sso.federation.plugins.module_utils.partitions import idc_portal_host
from ansible_collections.connect_sso.federation.plugins.module_utils.saml_app_config import service_provider_config


def sp_summary(config: Optional[Dict[str, Any]]) -> Dict[str, Any]:
    """The parts of a service provider configuration that matter, in a comparable form."""
    config = config or {}
    return {
        "audience": config.get("audience"),
        "acs_urls": sorted(c.get("location") for c in config.get("consumers") or []),
        "require_request_signature": bool(config.get("requireRequestSignature")),
    }


def describe(shape: Optional[Dict[str, Any]]) -> Dict[str, Any]:
    """What the diff shows of an app (from a GetApplicationInstance shape or the desired state)."""
    if not shape:
        return {}
    sp = sp_summary(shape.get("serviceProviderConfig"))
    return {
        "name": (shape.get("display") or {}).get("displayName"),
        "description": (shape.get("display") or {}).get("description") or "",
        "status": shape.get("status"),
        "acs_urls": sp["acs_urls"],
        "audience": sp["audience"],
    }


def desired_shape(name: str, description: str, enabled: bool, acs_url: str, audience: str) -> Dict[str, Any]:
    return {
        "display": {"displayName": name, "description": description},
        "serviceProviderConfig": service_provider_config(acs_url, audience),
        "status": "ENABLED" if enabled else "DISABLED",
    }


class AppPlan:
    def __init__(self) -> None:
        self.create = False
        self.delete = False
        self.display = False
        self.service_provider = False
        self.status = False

    @property
    def changed(self) -> bool:
        return self.create or self.delete or self.display or self.service_provider or self.status


def plan_present(current: Optional[Dict[str, Any]], desired: Dict[str, Any]) -> AppPlan:
    plan = AppPlan()
    if current is None:
        plan.create = plan.service_provider = True
        plan.display = bool(desired["display"]["description"])
        current = {"status": "DISABLED"}  # what a new console app starts as (inferred; harmless if not)
    else:
        plan.display = (current.get("display") or {}).get("description", "") != desired["display"]["description"]
        plan.service_provider = sp_summary(current.get("serviceProviderConfig")) != sp_summary(
            desired["serviceProviderConfig"]
        )
    plan.status = current.get("status") != desired["status"]
    return plan


def apply_present(
    control: Any,
    sso: Any,
    instance: Dict[str, str],
    plan: AppPlan,
    app: Optional[Dict[str, Any]],
    desired: Dict[str, Any],
) -> Dict[str, str]:
    """The writes, each resumable: an interrupted run finds the app by name next time and goes on."""
    if plan.create:
        created = control.create_app(desired["display"]["displayName"])
        instance_id = created["instanceId"]
        arn = idc.app_arn(instance, instance_id)
        idc.set_tags(sso, instance["arn"], arn, {MANAGED_TAG_KEY: MANAGED_TAG_VALUE})
        plan.status = created.get("status") != desired["status"]
    else:
        instance_id, arn = app["instance_id"], app["arn"]
    if plan.display:
        control.update_display(instance_id, desired["display"]["displayName"], desired["display"]["description"])
    if plan.service_provider:
        control.update_service_provider(instance_id, desired["serviceProviderConfig"])
    if plan.status:
        control.update_status(instance_id, desired["status"])
    return {"instance_id": instance_id, "arn": arn}


def require_deletable(owned: bool, force: bool, name: str) -> None:
    if not owned and not force:
        raise FederationError(
            f"name={name!r}: the application exists but was not created by this collection "
            "(no managed-by tag); set force: true to delete it anyway"
        )


def delete(control: Any, sso: Any, app: Dict[str, Any]) -> None:
    """Remove assignments, then profiles, then the app (the order IdC requires, aws-facts §2.2)."""
    for principal_type, principal_id in idc.list_assignments(sso, app["arn"]):
        idc.delete_assignment(sso, app["arn"], principal_type, principal_id)
    for profile in control.list_profiles(app["instance_id"]):
        control.delete_profile(app["instance_id"], profile["profileId"])
    control.delete_app(app["instance_id"])


def derived_metadata_url(sso_endpoint: str, region: str, account: str, instance_id: str) -> str:
    """The app's metadata URL without the console API: base64('<account>_<ins-id>') under the portal
    (aws-facts §2.2, inferred from published examples). Under a custom endpoint (an emulator or a
    proxy), the metadata is served by that endpoint."""
    token = base64.b64encode(f"{account}_{instance_id}".encode()).decode()
    default = f"https://sso.{region}.amazonaws.com"
    base = f"https://{idc_portal_host(region)}" if sso_endpoint.rstrip("/") == default else sso_endpoint.rstrip("/")
    return f"{base}/saml/metadata/{token}"


def unverified_fields(app_found: bool) -> List[str]:
    what = ["ACS URL", "audience", "status", "description"]
    return what if app_found else ["the application does not exist yet"] + what
