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
from typing import Any, Dict, List, Mapping

# (key in a host's names, the role variable it comes from, what it names, one per account?)
SHARED_NAME_CHECKS = (
    ("app", "connect_federation_app_name", "IAM Identity Center application", False),
    ("provider", "connect_federation_provider_name", "IAM SAML provider (in one account)", True),
    ("role", "connect_federation_role_name", "IAM role (in one account)", True),
)


def _clash(variable: str, value: str, hosts: List[str], what: str) -> str:
    return (
        f"{variable}={json.dumps(value)}: the hosts {', '.join(hosts)} all name this {what}, but each Connect "
        f"instance needs its own; give each host its own {variable} (the default is made from "
        "connect_federation_environment and connect_region)."
    )


def inventory_problems(names: Mapping[str, Mapping[str, Any]]) -> Dict[str, str]:
    """host -> what to fix in its inventory, for the hosts with a problem.

    names: host -> {shape: a problem of the host's own variables or "", account: the key of the
    instance's account, app, provider, role: the names the host makes}, in the run's host order.
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
            if len(sharing) > 1:
                found.append(_clash(variable, str(made.get(key)), sharing, what))
        if found:
            problems[host] = "\n".join(found)
    return problems
