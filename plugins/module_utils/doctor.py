# -*- coding: utf-8 -*-
# Copyright: Contributors to the connect_sso.federation collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The federation doctor: walk one instance's sign-in chain as a sign-in does, read-only, and
name every link that does not hold, in the words the user sees and with the fix.

The links, in sign-in order, are LINKS; the emulator's sign-in simulator names a broken link
with the same words. The app is found by the inventory's name or, for a set-up made by hand,
by its relay state pointing at the instance; the provider and the role are the ones the app's
Role attribute names, whatever they are called. Nothing here writes.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any, Callable, Dict, List

from ansible_collections.connect_sso.federation.plugins.module_utils import connect, doctor_iam, doctor_links
from ansible_collections.connect_sso.federation.plugins.module_utils.clients import AccountClients
from ansible_collections.connect_sso.federation.plugins.module_utils.doctor_walk import ERROR, LINKS, Stop, Walk
from ansible_collections.connect_sso.federation.plugins.module_utils.errors import FederationError
from ansible_collections.connect_sso.federation.plugins.module_utils.idc import Idc


def check_instance(walk: Walk) -> None:
    params = walk.params
    try:
        instance = connect.find_instance(
            walk.member.client("connect"), walk.member.region, params.get("instance_id"), params.get("instance_alias")
        )
    except FederationError as error:
        walk.error(
            "instance",
            f"{error}; a relay state cannot send anyone to an instance that is not there",
            "set connect_instance_id or connect_instance_alias (and connect_region, connect_account_role_arn) "
            "to an instance of the host's account and region",
        )
        raise Stop() from None
    walk.instance = instance
    label = instance["alias"] or instance["id"]
    if instance["identity_management_type"] != "SAML":
        walk.error(
            "instance",
            f"the instance {label} uses identity management {instance['identity_management_type']}, not SAML: "
            "Connect refuses every SAML sign-in to it",
            "SAML federation needs an instance created with SAML (the type cannot be changed): "
            "point the host at a SAML instance",
        )
        raise Stop()
    if instance["status"] != "ACTIVE":
        walk.error(
            "instance",
            f"the instance {label} is {instance['status']}, not ACTIVE",
            "wait for it to become ACTIVE, or point the host at an active instance",
        )
        raise Stop()
    walk.expected = doctor_links.expected_response(walk)


CHECKS: List[Callable[[Walk], None]] = [
    check_instance,
    doctor_links.check_app,
    doctor_links.check_app_status,
    doctor_links.check_assignment,
    doctor_links.check_acs_audience,
    doctor_links.check_role_attribute,
    doctor_iam.check_provider,
    doctor_iam.check_provider_metadata,
    doctor_iam.check_role_trust,
    doctor_iam.check_role_policy,
    doctor_links.check_relay_state,
    doctor_links.check_session_name,
    doctor_links.check_connect_user,
    doctor_iam.check_certificate_expiry,
]


def diagnose(member: AccountClients, idc: Idc, params: Dict[str, Any]) -> Dict[str, Any]:
    """Walk every link of one instance's chain; the host's report."""
    walk = Walk(member=member, idc=idc, params=params)
    for link, check in zip(LINKS, CHECKS):  # noqa: B905 - one check per link (a unit test holds them equal)
        try:
            check(walk)
        except Stop:
            walk.checked.append(link)
            break
        walk.checked.append(link)
    return report(walk)


def report(walk: Walk) -> Dict[str, Any]:
    """{instance_id, ok, broken_link, findings, ...}: findings in sign-in order, errors first within a link."""
    order = {link: index for index, link in enumerate(LINKS)}
    findings = sorted(walk.findings, key=lambda f: (order[f.link], f.severity != ERROR))
    broken = next((f.link for f in findings if f.severity == ERROR), None)
    return {
        "instance_id": walk.instance.get("id") or walk.params.get("instance_id") or walk.params.get("instance_alias"),
        "ok": broken is None,
        "broken_link": broken,
        "findings": [asdict(f) for f in findings],
        "unchecked": [link for link in LINKS if link not in walk.checked],
        "app": {"name": walk.app and walk.app.name, "arn": walk.app and walk.app.arn, "found_by": walk.found_by},
        "role_arn": walk.role_arn or None,
        "provider_arn": walk.provider_arn or None,
    }


def failure_message(result: Dict[str, Any]) -> str:
    """The one-line reason a host fails: its first broken link and what the user sees."""
    first = next(f for f in result["findings"] if f["severity"] == ERROR)
    return f"instance {result['instance_id']}: broken link {result['broken_link']}: {first['message']}. Fix: {first['fix']}"
