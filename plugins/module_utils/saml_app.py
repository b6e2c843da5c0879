# -*- coding: utf-8 -*-
# Copyright: Contributors to the connect_sso.federation collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The IdC custom SAML 2.0 application itself: find or create it, plan and apply its display
data, service provider configuration and status, delete it in the order IdC requires."""

from __future__ import annotations

import base64
from typing import Any, Dict, List, Optional
from urllib.parse import urlsplit

from ansible_collections.connect_sso.federation.plugins.module_utils import idc
from ansible_collections.connect_sso.federation.plugins.module_utils.errors import FederationError, ValidationError
from ansible_collections.connect_sso.federation.plugins.module_utils.module_support import (
    MANAGED_TAG_KEY,
    MANAGED_TAG_VALUE,
    PENDING_APP,
    diff,
    is_owned,
)
from ansible_collections.connect_sso.federation.plugins.module_utils.partitions import (
    PARTITIONS,
    acs_url,
    idc_portal_host,
    partition_for_region,
    saml_audience,
)
from ansible_collections.connect_sso.federation.plugins.module_utils.saml_app_config import (
    DIGEST_TAG,
    attribute_fields,
    compare_attributes,
    digest,
    manual_app_steps,
    manual_attribute_steps,
    service_provider_config,
)
from ansible_collections.connect_sso.federation.plugins.module_utils.saml_metadata import (
    certificate_summary,
    fetch_metadata,
    parse_metadata,
)


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


def desired_state(
    name: str, description: str, enabled: bool, acs: Optional[str], audience: Optional[str], region: str
) -> Dict[str, Any]:
    """The app as asked, every input validated; ACS and audience default to the partition's."""
    if not 1 <= len(name or "") <= 100:
        raise ValidationError("name", name, "an application display name is 1 to 100 characters")
    if len(description) > 128:
        raise ValidationError("description", description, "at most 128 characters")
    acs = validate_acs_url(acs) if acs else acs_url(region)
    return desired_shape(name, description, enabled, acs, audience or saml_audience(region))


def _signin_hosts() -> List[str]:
    """The sign-in host patterns of the supported partitions, for the error message."""
    hosts = []
    for info in PARTITIONS.values():
        hosts += [info.signin_host] + ([info.regional_signin_host] if info.regional_signin_host else [])
    return hosts


def validate_acs_url(value: str, option: str = "acs_url") -> str:
    """An AWS sign-in SAML endpoint: the global or a regional sign-in host of a supported partition
    (partitions.py), path /saml; IdC would post assertions anywhere it is told."""
    rule = "an ACS URL is https://<AWS sign-in host>/saml, the host one of: " + ", ".join(_signin_hosts())
    parts = urlsplit(value)
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" or parts.path != "/saml" or parts.query or parts.fragment or parts.netloc != host:
        raise ValidationError(option, value, rule)
    for info in PARTITIONS.values():
        if host == info.signin_host:
            return value
        if info.regional_signin_host:
            prefix, suffix = info.regional_signin_host.split("{region}")
            region = host[len(prefix) : len(host) - len(suffix)] if host.endswith(suffix) else ""
            if region and host.startswith(prefix) and _partition_of(region) == info.name:
                return value
    raise ValidationError(option, value, rule + " ({region} a region of that partition)")


def _partition_of(region: str) -> Optional[str]:
    try:
        return partition_for_region(region)
    except ValidationError:
        return None


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
        # CreateApplicationInstance's `name` may not become the display name (third-party reports say it
        # is not visible afterwards); set the display data explicitly, or the app could not be found by name.
        plan.create = plan.service_provider = plan.display = True
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


def metadata_result(url: Optional[str]) -> Dict[str, Any]:
    """The app's metadata URL, document and certificates (read without credentials)."""
    if not url:
        return {"metadata_url": None, "metadata": None, "certificates": []}
    document = fetch_metadata(url, "metadata_url")
    parsed = parse_metadata(document, "the application's metadata", allow_expired=True)
    return {
        "metadata_url": url,
        "metadata": document,
        "certificates": [certificate_summary(c) for c in parsed.signing_certificates],
    }


def ensure(
    sso: Any,
    control: Any,
    instance: Dict[str, str],
    region: str,
    desired: Dict[str, Any],
    present: bool = True,
    force: bool = False,
    check_mode: bool = False,
    seen: Optional[Dict[str, Any]] = None,
) -> Dict[str, Any]:
    """The app as asked (control None: the console-steps mode, no console API call), and the module's result.

    `seen`, when given, receives what was read (app, shape, tags), so a later step need not read it again."""
    seen = {} if seen is None else seen
    name = desired["display"]["displayName"]
    app = idc.find_app_by_name(sso, instance, name)
    result = dict(
        changed=False,
        application_arn=app and app["arn"],
        instance_id=app and app["instance_id"],
        adopted=False,
        manual_steps=[],
        unverified=[],
    )
    if control is None:
        sp = desired["serviceProviderConfig"]
        result["manual_steps"] = manual_app_steps(
            name,
            desired["display"]["description"],
            sp["consumers"][0]["location"],
            sp["audience"],
            desired["status"] == "ENABLED",
        )
        result["unverified"] = unverified_fields(app is not None)
        url = app and derived_metadata_url(sso.meta.endpoint_url, region, instance["owner_account"], app["instance_id"])
        result.update(metadata_result(url))
        return result

    current = control.get_app(app["instance_id"]) if app else None
    tags = idc.get_tags(sso, instance["arn"], app["arn"]) if app else {}
    owned = is_owned(tags)
    before = describe(current)
    if not present:
        if app is not None:
            require_deletable(owned, force, name)
            if not check_mode:
                delete(control, sso, app)
        result.update(
            changed=app is not None, diff=diff(before, None), metadata_url=None, metadata=None, certificates=[]
        )
        return result

    plan = plan_present(current, desired)
    result["adopted"] = app is not None and not owned
    if plan.changed and not check_mode:
        made = apply_present(control, sso, instance, plan, app, desired)
        result.update(application_arn=made["arn"], instance_id=made["instance_id"])
        current = current or control.get_app(made["instance_id"])
    if result["application_arn"]:
        seen.update(
            app={"arn": result["application_arn"], "instance_id": result["instance_id"], "name": name},
            shape=current,
            tags=tags,
        )
    url = current and current["identityProviderConfig"]["metadataUrl"]
    result.update(metadata_result(url), changed=plan.changed, diff=diff(before, describe(desired)))
    return result


def ensure_attributes(
    sso: Any,
    control: Any,
    instance: Dict[str, str],
    app: Optional[Dict[str, Any]],
    response: Dict[str, Any],
    schema: Dict[str, Any],
    check_mode: bool = False,
    shape: Optional[Dict[str, Any]] = None,
    tags: Optional[Dict[str, str]] = None,
) -> Dict[str, Any]:
    """The app's attribute mappings as asked. The fields GetApplicationInstance's answer carries are
    compared; for those it does not carry, the digest tag of what was last applied decides.
    control None: console steps. `shape` and `tags`: the app's answer and tags, when already read.
    app None: check mode before an earlier task creates the app; everything is a pending change."""
    after = {"responseConfig": response, "responseSchemaConfig": schema}
    result = dict(changed=False, after=after, before={}, manual_steps=[], compared_by="none", unverified=[])
    if app is None:
        result.update(changed=True, pending=PENDING_APP, diff={"before": {}, "after": dict(after, pending=PENDING_APP)})
        return result
    if control is None:
        result.update(manual_steps=manual_attribute_steps(app["name"], response, schema), unverified=attribute_fields())
        return result
    shape = shape if shape is not None else control.get_app(app["instance_id"])
    seen = compare_attributes(shape, response, schema)
    before: Dict[str, Any] = {}
    if seen.compared:
        before.update({k: shape.get(k) or {} for k in ("responseConfig", "responseSchemaConfig")})
    changed = bool(seen.differing)
    wanted = digest(response, schema)
    if seen.hidden:
        stored = (tags if tags is not None else idc.get_tags(sso, instance["arn"], app["arn"])).get(DIGEST_TAG)
        before["applied_digest"] = stored
        changed = changed or stored != wanted
    compared_by = "digest" if not seen.compared else "partial" if seen.hidden else "configuration"
    if changed and not check_mode:
        control.update_response(app["instance_id"], response)
        control.update_response_schema(app["instance_id"], schema)
        idc.set_tags(sso, instance["arn"], app["arn"], {DIGEST_TAG: wanted})
    result.update(
        changed=changed,
        before=before,
        compared_by=compared_by,
        unverified=seen.hidden,
        diff={"before": before, "after": after},
    )
    return result
