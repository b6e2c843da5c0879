# -*- coding: utf-8 -*-
# Copyright: Contributors to the connect_sso.federation collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The relay state that sends an IdC sign-in to one Connect instance (docs/aws-facts.md#relay-state-urls):
https://<region>.console.aws.amazon.com/connect/federate/<instance-id>[?destination=...&new_domain=true]"""

from __future__ import annotations

import re
from typing import NamedTuple, Optional
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
)

FEDERATE_PATH = "/connect/federate/"
# configure-saml writes "&new_domain=true"; update-your-connect-domain writes "%26new_domain=true".
# We send the plain separator; change it here, and only here, if AWS proves otherwise.
NEW_DOMAIN_SEPARATOR = "&"
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
) -> str:
    """The relay state for an instance: its regional console federate URL."""
    validate_connect_instance_id(instance_id, "instance_id")
    url = f"https://{console_host(region)}{FEDERATE_PATH}{instance_id}"
    query = []
    if destination:
        query.append("destination=" + quote(validate_destination(destination, option), safe=""))
    if new_domain:
        query.append("new_domain=true")
    return url + ("?" + NEW_DOMAIN_SEPARATOR.join(query) if query else "")


def validate_destination(destination: str, option: str = "relay_destination") -> str:
    """Where in Connect a sign-in lands, after the instance's home page: a path or an https URL."""
    if not (destination.startswith("/") or destination.startswith("https://")):
        raise ValidationError(option, destination, "a destination is a path starting with / or an https URL")
    return destination


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
