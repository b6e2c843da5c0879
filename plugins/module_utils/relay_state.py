# -*- coding: utf-8 -*-
# Copyright: Contributors to the connect_sso.federation collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The relay state that sends an IdC sign-in to one Connect instance (docs/aws-facts.md#relay-state-urls):
https://<region>.console.aws.amazon.com/connect/federate/<instance-id>[?destination=...&new_domain=true]"""

from __future__ import annotations

import re
from typing import List, NamedTuple, Optional
from urllib.parse import parse_qs, quote, urlsplit

from ansible_collections.connect_sso.federation.plugins.module_utils.arns import (
    validate_arn,
    validate_connect_instance_id,
)
from ansible_collections.connect_sso.federation.plugins.module_utils.errors import ValidationError
from ansible_collections.connect_sso.federation.plugins.module_utils.partitions import (
    PARTITIONS,
    console_host,
    partition_for_region,
    partition_info,
)

FEDERATE_PATH = "/connect/federate/"
# configure-saml writes "&new_domain=true"; update-your-connect-domain writes "%26new_domain=true".
# We send the plain separator; change it here, and only here, if AWS proves otherwise.
NEW_DOMAIN_SEPARATOR = "&"
# An instance alias, as a host label (connect 2017-08-08, InstanceAlias: letters, digits and inner hyphens).
_ALIAS_LABEL = re.compile(r"(?!d-)[a-z0-9]+(?:-+[a-z0-9]+)*", re.ASCII)
# Console hosts with a region label, as patterns built from partitions.PARTITIONS (the one home of host names).
_REGIONAL_CONSOLE_HOSTS = [
    re.compile(
        "^" + re.escape(info.console_host).replace(re.escape("{region}"), r"([a-z]{2}(?:-[a-z]+)+-[0-9]+)") + "$",
        re.ASCII,
    )
    for info in PARTITIONS.values()
    if "{region}" in info.console_host
]
# The same hosts without the region label: they exist, but send users to the last region used.
_REGIONLESS_CONSOLE_HOSTS = {
    info.console_host.replace("{region}.", "") for info in PARTITIONS.values() if "{region}" in info.console_host
}


class FederateUrl(NamedTuple):
    region: Optional[str]  # None for GovCloud's region-less console host
    instance_id: str
    destination: Optional[str]
    new_domain: bool


def federate_url(
    region: str,
    instance_id: str,
    destination: Optional[str] = None,
    new_domain: bool = False,
    option: str = "relay_state",
    alias: Optional[str] = None,
) -> str:
    """The relay state for an instance: its regional console federate URL; `alias`, when known,
    is the only instance whose domain the destination may name."""
    validate_connect_instance_id(instance_id, "instance_id")
    url = f"https://{console_host(region)}{FEDERATE_PATH}{instance_id}"
    query = []
    if destination:
        checked = validate_destination(destination, option, partition_for_region(region), alias)
        query.append("destination=" + quote(checked, safe=""))
    if new_domain:
        query.append("new_domain=true")
    return url + ("?" + NEW_DOMAIN_SEPARATOR.join(query) if query else "")


def connect_hosts(partition: str, alias: Optional[str]) -> List[str]:
    """An instance's own web hosts: <alias>.my.connect.aws and <alias>.awsapps.com (docs/aws-facts.md#relay-state-urls);
    with no alias known, the pattern any alias would give."""
    label = alias.lower() if alias else "<alias>"
    return [f"{label}.{domain}" for domain in partition_info(partition).connect_domains]


def _is_connect_host(host: str, partition: str, alias: Optional[str]) -> bool:
    if alias:
        return host in connect_hosts(partition, alias)
    return any(
        host.endswith("." + domain) and _ALIAS_LABEL.fullmatch(host[: -len(domain) - 1])
        for domain in partition_info(partition).connect_domains
    )


def validate_destination(
    destination: object, option: str = "relay_destination", partition: str = "aws", alias: Optional[str] = None
) -> str:
    """Where in Connect a sign-in lands, after the federate URL: a path of the instance, or an https URL
    on the instance's own Connect domain (alias known) or on a Connect domain of the partition (alias
    unknown). Anything else would send a fresh sign-in to another site (an open redirect)."""
    hosts = " or ".join(f"https://{h}/..." for h in connect_hosts(partition, alias))
    rule = f"a destination is a path starting with / or an https URL on the instance's own Connect domain ({hosts})"
    if not isinstance(destination, str) or not destination:
        raise ValidationError(option, destination, rule)
    if destination.startswith("/"):
        if destination.startswith(("//", "/\\")):  # protocol-relative: a browser reads another host
            raise ValidationError(option, destination, rule + "; // starts another host, not a path")
        return destination
    try:
        parts = urlsplit(destination)
        host, _port = (parts.hostname or "").lower(), parts.port
    except ValueError:
        raise ValidationError(option, destination, rule) from None
    if parts.scheme != "https" or parts.username is not None or not _is_connect_host(host, partition, alias):
        raise ValidationError(option, destination, rule)
    return destination


def _partition_of_console_host(host: str) -> str:
    return next(p.name for p in PARTITIONS.values() if p.console_host == host)


def parse_federate_url(url: object, option: str = "relay_state") -> FederateUrl:
    """Read a relay state back; a clear error unless it is a Connect federate URL on a console host."""
    if not isinstance(url, str):
        raise ValidationError(option, url, "must be a string")
    parts = urlsplit(url)
    if parts.scheme != "https":
        raise ValidationError(option, url, "must be an https URL")
    host = (parts.hostname or "").lower()
    region = None
    regional = next((m for m in (p.fullmatch(host) for p in _REGIONAL_CONSOLE_HOSTS) if m), None)
    if regional:
        region = regional.group(1)
        partition_for_region(region, option)
    elif host in _REGIONLESS_CONSOLE_HOSTS:
        raise ValidationError(
            option,
            url,
            "use the regional console host (<region>.console.aws.amazon.com): with the "
            "region-less host IdC sends users to the last region they used, not the instance's",
        )
    elif host not in {p.console_host for p in PARTITIONS.values() if "{region}" not in p.console_host}:
        raise ValidationError(option, url, "must be on an AWS console host such as <region>.console.aws.amazon.com")
    if not parts.path.startswith(FEDERATE_PATH):
        raise ValidationError(option, url, f"the path must be {FEDERATE_PATH}<instance-id>")
    instance_id = parts.path[len(FEDERATE_PATH) :].rstrip("/")
    validate_connect_instance_id(instance_id, option)
    # parse "%26new_domain=true" (the other documented style) as well as "&new_domain=true"
    query = parse_qs(parts.query.replace("%26new_domain", "&new_domain"))
    destination = (query.get("destination") or [None])[0]
    if destination is not None:
        partition = partition_for_region(region, option) if region else _partition_of_console_host(host)
        validate_destination(destination, f"{option} (its destination)", partition)
    return FederateUrl(region, instance_id, destination, (query.get("new_domain") or [""])[0] == "true")


def validate_relay_state(url: object, option: str = "relay_state") -> str:
    parse_federate_url(url, option)
    return str(url)


def relay_state_for(
    relay_state: Optional[str], instance_arn: Optional[str], destination: Optional[str] = None, new_domain: bool = False
) -> Optional[str]:
    """The relay state given, checked; or the one built from the instance's ARN; or None."""
    if relay_state:
        return validate_relay_state(relay_state, "relay_state")
    if instance_arn:
        arn = validate_arn(instance_arn, "instance_arn", "connect-instance")
        return federate_url(arn.region, arn.resource.split("/")[1], destination, new_domain, "relay_destination")
    return None
