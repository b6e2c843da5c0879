# -*- coding: utf-8 -*-
# Copyright: Contributors to the connect_sso.federation collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The IdC custom SAML 2.0 application itself: find or create it, plan and apply its display
data, service provider configuration and status, delete it in the order IdC requires.
Read -> plan -> apply, like the provider and the role."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Tuple
from urllib.parse import urlsplit

from ansible_collections.connect_sso.federation.plugins.module_utils import app_assignments
from ansible_collections.connect_sso.federation.plugins.module_utils.console_facts import (
    METADATA_TOKEN_FORM,
    METADATA_URL_FORM,
    NEW_APP_STATUS,
)
from ansible_collections.connect_sso.federation.plugins.module_utils.errors import ValidationError
from ansible_collections.connect_sso.federation.plugins.module_utils.idc import (
    CUSTOM_SAML_PROVIDER,
    App,
    Idc,
    IdcErrorHandler,
    app_arn,
    app_tags,
    find_app_by_name,
    set_tags,
)
from ansible_collections.connect_sso.federation.plugins.module_utils.module_support import (
    MANAGED_TAG_KEY,
    MANAGED_TAG_VALUE,
    Plan,
    diff,
    is_owned,
    require_owned,
)
from ansible_collections.connect_sso.federation.plugins.module_utils.partitions import (
    PARTITIONS,
    acs_url,
    idc_portal_host,
    partition_for_region,
    saml_audience,
)
from ansible_collections.connect_sso.federation.plugins.module_utils.retries import aws_retry
from ansible_collections.connect_sso.federation.plugins.module_utils.saml_app_config import (
    manual_app_steps,
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
    name: str,
    description: str,
    enabled: bool,
    acs: Optional[str],
    audience: Optional[str],
    region: str,
    options: Optional[Dict[str, str]] = None,
) -> Dict[str, Any]:
    """The app as asked, every input validated; ACS and audience default to the partition's.
    `options` maps name and description to the options the caller took them from (the chain
    module says app_name and app_description), so an error names them."""
    option = {"name": "name", "description": "description", **(options or {})}
    if not 1 <= len(name or "") <= 100:
        raise ValidationError(option["name"], name, "an application display name is 1 to 100 characters")
    if len(description) > 128:
        raise ValidationError(option["description"], description, "at most 128 characters")
    acs = validate_acs_url(acs) if acs else acs_url(region)
    return desired_shape(name, description, enabled, acs, validate_audience(audience, region))


def validate_audience(value: Optional[str], region: str, option: str = "audience") -> str:
    """The SAML audience of AWS sign-in in the region's partition (partitions.py): STS refuses an
    assertion for any other audience, so another value would only break every sign-in."""
    expected = saml_audience(region)
    if value and value != expected:
        raise ValidationError(
            option,
            value,
            f"AWS sign-in accepts only the audience {expected!r} in the partition of region {region}",
        )
    return expected


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


@dataclass
class AppPlan(Plan):
    create: bool = False
    display: bool = False
    service_provider: bool = False
    status: bool = False


def plan_present(current: Optional[Dict[str, Any]], desired: Dict[str, Any]) -> AppPlan:
    plan = AppPlan()
    if current is None:
        # CreateApplicationInstance's `name` may not become the display name (third-party reports say it
        # is not visible afterwards); set the display data explicitly, or the app could not be found by name.
        plan.create = plan.service_provider = plan.display = True
        current = {"status": NEW_APP_STATUS}  # inferred; apply_present goes by the created app's own status
    else:
        plan.display = (current.get("display") or {}).get("description", "") != desired["display"]["description"]
        plan.service_provider = sp_summary(current.get("serviceProviderConfig")) != sp_summary(
            desired["serviceProviderConfig"]
        )
    plan.status = current.get("status") != desired["status"]
    return plan


def never_configured(config: Optional[Dict[str, Any]]) -> bool:
    """Whether an app has neither ACS URL nor audience: as CreateApplicationInstance leaves it. The console
    cannot make such an app (its form requires both; inferred, docs/aws-facts.md#an-app-never-configured),
    so an untagged one of our name is ours, from a run cut short between creating and tagging it."""
    summary = sp_summary((config or {}).get("serviceProviderConfig"))
    return not summary["audience"] and not summary["acs_urls"]


def claim(idc: Idc, app: App) -> None:
    """Tag an app this collection made (just now, or in a run cut short before it: never_configured)."""
    set_tags(idc, app.arn, {MANAGED_TAG_KEY: MANAGED_TAG_VALUE})
    app.tags = dict(app.tags or {}, **{MANAGED_TAG_KEY: MANAGED_TAG_VALUE})


def apply_present(idc: Idc, plan: AppPlan, app: Optional[App], desired: Dict[str, Any]) -> App:
    """The writes, each resumable: an interrupted run finds the app by name next time and goes on."""
    name = desired["display"]["displayName"]
    if plan.create:
        created = idc.control.create_app(name)
        app = App(arn=app_arn(idc, created["instanceId"]), name=name)
        claim(idc, app)  # the next write: a run cut short before it leaves an app never_configured
        plan.status = created.get("status") != desired["status"]
    if plan.display:
        idc.control.update_display(app.console_id, name, desired["display"]["description"])
    if plan.service_provider:
        idc.control.update_service_provider(app.console_id, desired["serviceProviderConfig"])
    if plan.status:
        idc.control.update_status(app.console_id, desired["status"])
    if plan.create:
        app = _first_of_its_name(idc, app, name)
    if app.config is None:
        app.config = idc.control.get_app(app.console_id)
    return app


@IdcErrorHandler.common_error_handler("list IAM Identity Center applications")
@aws_retry
def _apps_named(idc: Idc, name: str) -> List[Dict[str, Any]]:
    """The custom SAML apps with this display name, read now (not the run's facts), oldest first."""
    pages = idc.sso.get_paginator("list_applications").paginate(
        InstanceArn=idc.instance_arn, Filter={"ApplicationProvider": CUSTOM_SAML_PROVIDER}
    )
    named = [a for a in pages.build_full_result().get("Applications", []) if a.get("Name") == name]
    return sorted(named, key=lambda a: (_created(a), a["ApplicationArn"]))


def _created(app: Dict[str, Any]) -> float:
    """An app's CreatedDate (a datetime from boto3) as a number; 0 without one."""
    value = app.get("CreatedDate")
    return value.timestamp() if hasattr(value, "timestamp") else float(value or 0)


def _first_of_its_name(idc: Idc, app: App, name: str) -> App:
    """Two runs at once may each create the app: both read the apps before either made it. Every run
    that just made one agrees on the app to keep (the first made; the lowest id on a tie); a run whose
    new app is not that one deletes it (nothing is assigned to it yet) and goes on with the kept one."""
    named = _apps_named(idc, name)
    keep = named[0] if named else None
    if keep is None or keep["ApplicationArn"] == app.arn:
        return app
    delete(idc, app)
    kept = App(arn=keep["ApplicationArn"], name=keep.get("Name"), description=keep.get("Description") or "")
    kept.config = idc.control.get_app(kept.console_id)
    return kept


def delete(idc: Idc, app: App) -> None:
    """Remove assignments, then profiles, then the app (the order IdC requires, docs/aws-facts.md)."""
    for principal_type, principal_id in app_assignments.list_assignments(idc, app.arn):
        app_assignments.delete_assignment(idc, app.arn, principal_type, principal_id)
    for profile in idc.control.list_profiles(app.console_id):
        idc.control.delete_profile(app.console_id, profile["profileId"])
    idc.control.delete_app(app.console_id)


def derived_metadata_url(sso_endpoint: str, region: str, account: str, console_id: str) -> str:
    """The app's metadata URL without the console API: base64('<account>_<ins-id>') under the portal
    (inferred from published examples: console_facts.py). Under a custom endpoint (an emulator or a
    proxy), the metadata is served by that endpoint."""
    token = base64.b64encode(METADATA_TOKEN_FORM.format(account=account, console_id=console_id).encode()).decode()
    default = f"https://sso.{region}.amazonaws.com"
    base = f"https://{idc_portal_host(region)}" if sso_endpoint.rstrip("/") == default else sso_endpoint.rstrip("/")
    return METADATA_URL_FORM.format(base=base, token=token)


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
    idc: Idc, desired: Dict[str, Any], present: bool = True, force: bool = False, check_mode: bool = False
) -> Tuple[Dict[str, Any], Optional[App]]:
    """The app as asked: (the module's result, the app as it now is, or None).

    With idc.control None (control_api: false) no console API call is made: the result carries the
    console steps. The app returned keeps its console answer and tags for the later steps."""
    name = desired["display"]["displayName"]
    app = find_app_by_name(idc, name)
    if idc.control is None:
        return _console_steps(idc, desired, app), app
    if app is not None and app.config is None:  # this run's idc_facts may hold it already
        app.config = idc.control.get_app(app.console_id)
    before = describe(app and app.config)
    if not present:
        if app is not None:
            require_owned(app_tags(idc, app), force, name, "application")
            if not check_mode:
                delete(idc, app)
        result = _result(app, changed=app is not None, diff=diff(before, None))
        return dict(result, **metadata_result(None)), None
    existed = app is not None
    owned = existed and is_owned(app_tags(idc, app))
    unfinished = existed and not owned and never_configured(app.config)
    if unfinished and not check_mode:
        claim(idc, app)
    plan = plan_present(app and app.config, desired)
    if plan.changed and not check_mode:
        app = apply_present(idc, plan, app, desired)
    adopted = existed and not owned and not unfinished
    result = _result(app, changed=plan.changed or unfinished, adopted=adopted, diff=diff(before, describe(desired)))
    url = app and app.config and app.config["identityProviderConfig"]["metadataUrl"]
    return dict(result, **metadata_result(url)), app


def _result(app: Optional[App], **extra: Any) -> Dict[str, Any]:
    """The module's return values that name the app (None before it exists)."""
    result = dict(
        changed=False,
        application_arn=app and app.arn,
        instance_id=app and app.console_id,
        adopted=False,
        manual_steps=[],
        unverified=[],
    )
    result.update(extra)
    return result


def _console_steps(idc: Idc, desired: Dict[str, Any], app: Optional[App]) -> Dict[str, Any]:
    """control_api false: the console steps that make the app as asked, and the metadata of the one found."""
    sp = desired["serviceProviderConfig"]
    steps = manual_app_steps(
        desired["display"]["displayName"],
        desired["display"]["description"],
        sp["consumers"][0]["location"],
        sp["audience"],
        desired["status"] == "ENABLED",
    )
    url = app and derived_metadata_url(idc.sso.meta.endpoint_url, idc.region, idc.owner_account, app.console_id)
    result = _result(app, manual_steps=steps, unverified=unverified_fields(app is not None))
    return dict(result, **metadata_result(url))
