# -*- coding: utf-8 -*-
# Copyright: Contributors to the connect_sso.federation collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""What this organisation's IdC console API actually does, against what console_facts.py assumes.

probe() reads (never writes): the console listing, and an app the collection configured (its
ownership and digest tags) as GetApplicationInstance shows it. With write=True it also makes a
temporary app of its own (PROBE_NAME), writes its mappings and relay state, reads them back and
deletes it, whatever fails on the way; it first removes probe apps an interrupted probe left."""

from __future__ import annotations

import re
import secrets
from typing import Any, Dict, List, Optional, Tuple

from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.connect_sso.federation.plugins.module_utils import saml_app
from ansible_collections.connect_sso.federation.plugins.module_utils.console_facts import (
    FACTS,
    LIST_MARKER,
    LISTED_CONFIG_FIELDS,
    RELAY_STATE_FIELD,
    fact,
)
from ansible_collections.connect_sso.federation.plugins.module_utils.errors import FederationError
from ansible_collections.connect_sso.federation.plugins.module_utils.idc import (
    App,
    Idc,
    app_arn,
    app_tags,
    list_saml_apps,
    set_tags,
)
from ansible_collections.connect_sso.federation.plugins.module_utils.module_support import is_owned
from ansible_collections.connect_sso.federation.plugins.module_utils.partitions import (
    acs_url,
    partition_for_region,
    saml_audience,
)
from ansible_collections.connect_sso.federation.plugins.module_utils.relay_state import federate_url
from ansible_collections.connect_sso.federation.plugins.module_utils.saml_app_config import (
    COMPARED_FIELDS,
    DIGEST_TAG,
    assertion_options,
    desired_attributes,
    service_provider_config,
)

# The probe's own apps: recognisable by name (and tag), so an interrupted probe's app is found again.
PROBE_NAME = re.compile(r"connect-sso-probe-[0-9a-f]{8}")
PROBE_TAG = "connect_sso.federation:probe"
PROBE_DESCRIPTION = "Temporary app of the connect_sso.federation doctor's facts probe; safe to delete"
# What the probe app asserts: a Role pair and an instance that exist nowhere; nobody is assigned to it.
PROBE_INSTANCE_ID = "00000000-0000-4000-8000-000000000000"
PROBE_ROLE_NAME = "connect-sso-probe"
RESPONSE_PATHS = [f"{document}.{name}" for document, fields in COMPARED_FIELDS.items() for name in fields]
PROBE_ERRORS = (AnsibleAWSError, FederationError)
NAMES = [f.name for f in FACTS]


def answer(name: str, observed: Any, agrees: Optional[bool], how: str) -> Dict[str, Any]:
    """One fact as this organisation showed it: agrees None when the probe could not tell."""
    known = fact(name)
    return dict(fact=name, assumed=known.assumed, observed=observed, agrees=agrees, how=how, source=known.anchor)


def probe(idc: Idc, write: bool = False) -> Dict[str, Any]:
    """{answers: [answer per fact of console_facts.FACTS], settled, write_probe}; write_probe is None
    without write, else {app, removed_leftovers, error, left_behind}."""
    if idc.control is None:
        answers = {f: answer(f, None, None, "control_api is false: the console API was not called") for f in NAMES}
        return dict(answers=list(answers.values()), settled=False, write_probe=None)
    try:
        answers = _read_only(idc)
    except PROBE_ERRORS as error:
        answers = {f: answer(f, None, None, f"the console API could not be read: {error}") for f in NAMES}
    report = None
    if write:
        found, report = _write_probe(idc)
        answers.update({name: a for name, a in found.items() if a["agrees"] is not None or name not in answers})
    for name in NAMES:
        answers.setdefault(name, answer(name, None, None, "only the write probe can show it"))
    ordered = [answers[name] for name in NAMES]
    return dict(answers=ordered, settled=all(a["agrees"] is not None for a in ordered), write_probe=report)


# --- read-only -----------------------------------------------------------------------------------


def _read_only(idc: Idc) -> Dict[str, Dict[str, Any]]:
    """The listing's facts, and those an app the collection configured shows."""
    pages = list(idc.control.list_app_pages())
    listed = [a for page in pages for a in page.get("applicationInstances", [])]
    public = list_saml_apps(idc, fresh=True)
    answers = {a["fact"]: a for a in (_marker(pages, len(listed), len(public)), _listed_fields(listed))}
    configured = _configured_app(idc, public)
    if configured is None:
        how = "no app of this IdC instance carries the collection's ownership and attribute digest tags"
        for name in ("relay_state_field", "get_application_instance_returns_response_config"):
            answers[name] = answer(name, None, None, how + "; run the write probe")
        shown = next(iter(listed), None)
        if shown is not None:
            answers["metadata_url_form"] = _metadata_url(idc, shown, "ListApplicationInstances")
        return answers
    shown = idc.control.get_app(configured.console_id)
    where = f"GetApplicationInstance of {configured.name!r}, which the collection configured"
    answers.update({a["fact"]: a for a in _shown_facts(idc, shown, where, relay_state=None)})
    return answers


def _marker(pages: List[Dict[str, Any]], listed: int, public: int) -> Dict[str, Any]:
    how = f"ListApplicationInstances: {len(pages)} page(s), {listed} app(s); ListApplications: {public} SAML app(s)"
    if len(pages) > 1:
        return answer("list_marker", LIST_MARKER, True, how)
    if listed >= public:
        return answer("list_marker", None, None, how + "; one page held them all, so paging was not seen")
    other = sorted(k for k in pages[-1] if k != "applicationInstances") or None  # a marker by another name?
    return answer("list_marker", other, False, how + f"; apps are missing and no {LIST_MARKER!r} asks for more")


def _listed_fields(listed: List[Dict[str, Any]]) -> Dict[str, Any]:
    if not listed:
        return answer("listed_config_fields", None, None, "ListApplicationInstances listed no app")
    missing = sorted({f for app in listed for f in LISTED_CONFIG_FIELDS if f not in app})
    observed = [f for f in LISTED_CONFIG_FIELDS if f not in missing]
    how = f"ListApplicationInstances, {len(listed)} app(s)"
    if missing:
        how += f"; without {', '.join(missing)} each host reads its own app (GetApplicationInstance)"
    return answer("listed_config_fields", observed, not missing, how)


def _configured_app(idc: Idc, apps: List[App]) -> Optional[App]:
    """An app the collection made or adopted and set the attributes of (as its tags say)."""
    for app in apps:
        if PROBE_NAME.fullmatch(app.name or ""):
            continue
        tags = app_tags(idc, app)
        if is_owned(tags) and DIGEST_TAG in tags:
            return app
    return None


def _shown_facts(idc: Idc, shown: Dict[str, Any], where: str, relay_state: Optional[str]) -> List[Dict[str, Any]]:
    """What one GetApplicationInstance answer says; relay_state: the value just written, when known."""
    present = [p for p in RESPONSE_PATHS if _field(shown, p) is not None]
    missing = [p for p in RESPONSE_PATHS if p not in present]
    how = where + (f"; not shown: {', '.join(missing)} (a digest tag stands in for them)" if missing else "")
    template = (shown.get("template") or {}).get("templateId")
    return [
        answer("get_application_instance_returns_response_config", present, not missing, how),
        _relay_state_field(shown.get("responseConfig"), where, relay_state),
        _metadata_url(idc, shown, where),
        answer("custom_saml_template", template, template == fact("custom_saml_template").assumed, where),
    ]


def _field(shown: Dict[str, Any], path: str) -> Any:
    document, name = path.split(".", 1)
    value = shown.get(document)
    return value.get(name) if isinstance(value, dict) else None


def _relay_state_field(config: Any, where: str, written: Optional[str]) -> Dict[str, Any]:
    """Whether the relay state reads back under RELAY_STATE_FIELD; which member holds it otherwise."""
    name = "relay_state_field"
    if not isinstance(config, dict) or not config:
        return answer(name, None, None, where + ": no responseConfig is shown, so no field can be read back")
    value = config.get(RELAY_STATE_FIELD)
    if value and (written is None or value == written):
        return answer(name, "responseConfig." + RELAY_STATE_FIELD, True, where)
    urls = [k for k, v in config.items() if isinstance(v, str) and (v == written or v.startswith("https://"))]
    observed = "responseConfig." + urls[0] if urls else None
    return answer(name, observed, False, where + ": responseConfig is shown without the relay state under that name")


def _metadata_url(idc: Idc, shown: Dict[str, Any], where: str) -> Dict[str, Any]:
    actual = (shown.get("identityProviderConfig") or {}).get("metadataUrl")
    derived = saml_app.derived_metadata_url(
        idc.sso.meta.endpoint_url, idc.region, idc.owner_account, shown["instanceId"]
    )
    how = f"{where}: its metadataUrl against the one derived from account and id ({derived})"
    return answer("metadata_url_form", actual, actual == derived if actual else None, how)


# --- the write probe -------------------------------------------------------------------------------


def _write_probe(idc: Idc) -> Tuple[Dict[str, Dict[str, Any]], Dict[str, Any]]:
    """Make, write, read back and delete a probe app; ({fact: answer}, what happened)."""
    report: Dict[str, Any] = dict(app=None, removed_leftovers=[], error=None, left_behind=[])
    answers: Dict[str, Dict[str, Any]] = {}
    name = "connect-sso-probe-" + secrets.token_hex(4)
    app = None
    try:
        report["removed_leftovers"] = _remove_probe_apps(idc)
        created = idc.control.create_app(name)
        app = App(arn=app_arn(idc, created["instanceId"]), name=name)
        report["app"] = name
        answers.update(_created_facts(created))
        answers.update(_write_and_read_back(idc, app))
    except PROBE_ERRORS as error:
        report["error"] = f"the write probe stopped: {error}"
    finally:
        report["left_behind"] = _clean_up(idc, app)
    return answers, report


def _created_facts(created: Dict[str, Any]) -> Dict[str, Dict[str, Any]]:
    how = "CreateApplicationInstance of the probe app"
    status = created.get("status")
    agrees = status == fact("new_app_status").assumed if status else None
    return {
        "custom_saml_template": answer("custom_saml_template", fact("custom_saml_template").assumed, True, how),
        "new_app_status": answer("new_app_status", status, agrees, how),
    }


def _write_and_read_back(idc: Idc, app: App) -> Dict[str, Dict[str, Any]]:
    """Tag and describe the probe app, write every document the collection writes, read them back."""
    set_tags(idc, app.arn, {PROBE_TAG: "true"})
    idc.control.update_display(app.console_id, app.name, PROBE_DESCRIPTION)
    idc.control.update_service_provider(
        app.console_id, service_provider_config(acs_url(idc.region), saml_audience(idc.region))
    )
    response, schema = _probe_documents(idc)
    idc.control.update_response(app.console_id, response)
    idc.control.update_response_schema(app.console_id, schema)
    shown = idc.control.get_app(app.console_id)
    where = "the probe app, read back after writing its mappings and relay state"
    found = _shown_facts(idc, shown, where, relay_state=response[RELAY_STATE_FIELD])
    found.append(_listed_fields(idc.control.list_apps()))  # the probe app is listed now, at least
    return {a["fact"]: a for a in found if a["fact"] != "custom_saml_template"}


def _probe_documents(idc: Idc) -> Tuple[Dict[str, Any], Dict[str, Any]]:
    partition = partition_for_region(idc.region)
    account = f"arn:{partition}:iam::{idc.owner_account}"
    pair = {
        "role_arn": f"{account}:role/{PROBE_ROLE_NAME}",
        "provider_arn": f"{account}:saml-provider/{PROBE_ROLE_NAME}",
    }
    options = assertion_options("${user:email}", "${user:email}", "email", {}, "PT1H")
    relay = federate_url(idc.region, PROBE_INSTANCE_ID)
    return desired_attributes([pair], options, relay, app_partition=partition)


def _remove_probe_apps(idc: Idc) -> List[str]:
    """Delete the probe apps there are (an interrupted probe's); the names removed."""
    removed = []
    for app in _probe_apps(idc):
        saml_app.delete(idc, app)
        removed.append(app.name)
    return removed


def _probe_apps(idc: Idc) -> List[App]:
    """The probe's apps, by name in either listing (a create whose answer was lost has no tag yet)."""
    apps = {a.console_id: a for a in list_saml_apps(idc, fresh=True) if PROBE_NAME.fullmatch(a.name or "")}
    for shown in idc.control.list_apps():
        display = (shown.get("display") or {}).get("displayName") or ""
        if PROBE_NAME.fullmatch(display) and shown["instanceId"] not in apps:
            apps[shown["instanceId"]] = App(arn=app_arn(idc, shown["instanceId"]), name=display)
    return list(apps.values())


def _clean_up(idc: Idc, app: Optional[App]) -> List[str]:
    """Delete the probe app, then any other probe app (a create retried after its answer was lost
    makes two); the names still there when that fails, for the report."""
    try:
        if app is not None:
            saml_app.delete(idc, app)
        _remove_probe_apps(idc)
        return []
    except PROBE_ERRORS:
        try:
            return [a.name for a in _probe_apps(idc)]
        except PROBE_ERRORS:
            return [app.name if app else "connect-sso-probe-*"]
