# -*- coding: utf-8 -*-
# Copyright: Contributors to the connect_sso.federation collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The run-wide inventory check of the role connect_federation: what is wrong with each host's inventory
before any AWS call, with every host of the run looked at once (the filter inventory_problems).

One app, provider and role per Connect instance: two hosts naming the same one (a name set for a
whole group, say) would take turns rewriting it, so a sign-in through it would reach whichever
host ran last. The app is one per IdC instance; the provider and the role one per account.
"""

from __future__ import annotations

import json
from typing import Any, Callable, Dict, List, Mapping, Optional

# (key in a host's names, the role variable it comes from, what it names, one per account?)
SHARED_NAME_CHECKS = (
    ("app", "connect_federation_app_name", "IAM Identity Center application", False),
    ("provider", "connect_federation_provider_name", "IAM SAML provider (in one account)", True),
    ("role", "connect_federation_role_name", "IAM role (in one account)", True),
)


# The entry point that configures only the IdC side: it does not look the instance up (DescribeInstance
# is a call in the instance's account), so it needs the instance's id and account from the inventory.
IDC_HALF = "sso_application"


def host_names(host: str, entry_point: str, value: Callable[[str], Optional[Any]]) -> Dict[str, Any]:
    """What one host makes, the input of inventory_problems. value(name): the host's variable as its
    own tasks see it (templated), or None when it does not have it."""
    idc_half = entry_point == IDC_HALF
    if idc_half:
        account = str(value("connect_account_id"))
    else:
        account = value("connect_account_role_arn") or value("connect_account_profile") or "ambient"
    return {
        "account": account,
        "app": value("connect_federation_app_name"),
        "provider": value("connect_federation_provider_name"),
        "role": value("connect_federation_role_name"),
        "shape": _shape_problem(host, idc_half, value),
    }


def _shape_problem(host: str, idc_half: bool, value: Callable[[str], Optional[Any]]) -> str:
    """A problem of the host's own variables, or ""."""
    half = f"the IdC half (entry point {IDC_HALF})"
    if idc_half and not value("connect_instance_id"):
        return f"set connect_instance_id for {host}: {half} does not look the instance up, so connect_instance_alias is not enough"
    if idc_half and not value("connect_account_id"):
        return f"set connect_account_id for {host}: {half} makes the ARNs of the instance, provider and role from it"
    if value("connect_instance_alias") is None and value("connect_instance_id") is None:
        return f"set one of connect_instance_alias and connect_instance_id for {host}"
    if value("connect_environment") is None and str(value("connect_federation_environment") or "") in ("", "ungrouped"):
        return (
            f"connect_federation_environment is empty: {host} is in no group (Ansible says ungrouped) and sets no "
            "connect_environment, and the default names are made from it; put the host in the group of its "
            "environment (dev, qa, prod...) or set connect_environment"
        )
    return ""


def _clash(variable: str, value: str, hosts: List[str], what: str) -> str:
    return (
        f"{variable}={json.dumps(value)}: the hosts {', '.join(hosts)} all name this {what}, but each Connect "
        f"instance needs its own; give each host its own {variable} (the default is made from "
        "connect_federation_environment and connect_region)."
    )


def inventory_problems(names: Mapping[str, Mapping[str, Any]]) -> Dict[str, str]:
    """host -> what to fix in its inventory, for the hosts with a problem.

    names: host -> {shape: a problem of the host's own variables or "", account: the key of the
    instance's account, app, provider, role: the names the host makes (None: it names none)}, in the
    run's host order.
    """
    owners: Dict[tuple, List[str]] = {}
    for host, made in names.items():
        for key, _variable, _what, per_account in SHARED_NAME_CHECKS:
            owners.setdefault((key, made.get("account") if per_account else None, made.get(key)), []).append(host)
    problems: Dict[str, str] = {}
    for host, made in names.items():
        found = [str(made["shape"])] if made.get("shape") else []
        for key, variable, what, per_account in SHARED_NAME_CHECKS:
            sharing = owners[(key, made.get("account") if per_account else None, made.get(key))]
            if len(sharing) > 1 and made.get(key) is not None:  # a host that names none shares nothing
                found.append(_clash(variable, str(made.get(key)), sharing, what))
        if found:
            problems[host] = "\n".join(found)
    return problems
