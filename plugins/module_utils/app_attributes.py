# -*- coding: utf-8 -*-
# Copyright: Contributors to the connect_sso.federation collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""An IdC SAML app's attribute mappings, relay state and session duration: read -> plan -> apply.

Whether the console API's GetApplicationInstance answer carries these is not known (inferred,
docs/aws-facts.md): the fields it carries are compared; for those it does not, a digest tag of
what the collection last applied decides."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from ansible_collections.connect_sso.federation.plugins.module_utils.idc import App, Idc, app_tags, set_tags
from ansible_collections.connect_sso.federation.plugins.module_utils.module_support import PENDING_APP
from ansible_collections.connect_sso.federation.plugins.module_utils.saml_app_config import (
    DIGEST_TAG,
    attribute_fields,
    compare_attributes,
    digest,
    manual_attribute_steps,
)


@dataclass
class AttributesPlan:
    """Whether to write, and what the comparison could see."""

    changed: bool
    digest: str
    before: Dict[str, Any] = field(default_factory=dict)
    compared_by: str = "none"  # configuration | partial | digest
    unverified: List[str] = field(default_factory=list)


def plan(idc: Idc, app: App, response: Dict[str, Any], schema: Dict[str, Any]) -> AttributesPlan:
    """Compare the app's console answer (read now unless already read) and, for what it does not
    show, the digest tag, with the desired configuration."""
    if app.config is None:
        app.config = idc.control.get_app(app.console_id)
    seen = compare_attributes(app.config, response, schema)
    result = AttributesPlan(changed=bool(seen.differing), digest=digest(response, schema), unverified=seen.hidden)
    if seen.compared:
        result.before = {k: app.config.get(k) or {} for k in ("responseConfig", "responseSchemaConfig")}
    if seen.hidden:
        stored = app_tags(idc, app).get(DIGEST_TAG)
        result.before["applied_digest"] = stored
        result.changed = result.changed or stored != result.digest
    result.compared_by = "digest" if not seen.compared else "partial" if seen.hidden else "configuration"
    return result


def apply(idc: Idc, app: App, response: Dict[str, Any], schema: Dict[str, Any], applied_digest: str) -> None:
    """Both documents (values, then formats), then the digest of what was applied."""
    idc.control.update_response(app.console_id, response)
    idc.control.update_response_schema(app.console_id, schema)
    set_tags(idc, app.arn, {DIGEST_TAG: applied_digest})


def ensure(
    idc: Idc, app: Optional[App], response: Dict[str, Any], schema: Dict[str, Any], check_mode: bool = False
) -> Dict[str, Any]:
    """The app's attribute mappings as asked, and the module's result.
    app None: check mode before an earlier task creates the app; everything is a pending change.
    idc.control None: the console steps, nothing verified."""
    after = {"responseConfig": response, "responseSchemaConfig": schema}
    result = dict(changed=False, after=after, before={}, manual_steps=[], compared_by="none", unverified=[])
    if app is None:
        return dict(
            result, changed=True, pending=PENDING_APP, diff={"before": {}, "after": dict(after, pending=PENDING_APP)}
        )
    if idc.control is None:
        return dict(
            result, manual_steps=manual_attribute_steps(app.name, response, schema), unverified=attribute_fields()
        )
    change = plan(idc, app, response, schema)
    if change.changed and not check_mode:
        apply(idc, app, response, schema, change.digest)
    return dict(
        result,
        changed=change.changed,
        before=change.before,
        compared_by=change.compared_by,
        unverified=change.unverified,
        diff={"before": change.before, "after": after},
    )
