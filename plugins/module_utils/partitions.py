# -*- coding: utf-8 -*-
# Copyright: Contributors to the connect_sso.federation collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The one table of per-partition facts (hosts, sign-in endpoints, SAML audience), and
whether a region exists. No other file spells a host name."""

from __future__ import annotations

from typing import Dict, List, NamedTuple, Optional, Tuple

try:
    from botocore.loaders import create_loader

    HAS_BOTOCORE = True
except ImportError:
    HAS_BOTOCORE = False

from ansible_collections.connect_sso.federation.plugins.module_utils.errors import ValidationError


class Partition(NamedTuple):
    name: str
    dns_suffix: str
    console_host: str  # "{region}" is replaced by the region where the host has one
    signin_host: str  # global sign-in (ACS) host
    regional_signin_host: Optional[str]  # regional sign-in host; None where none is documented
    saml_audience: str
    connect_domains: Tuple[str, ...]  # an instance's own web domains are <alias>.<each of these>


# Sources: docs/aws-facts.md#relay-state-urls (console hosts), #acs-urls-and-saml-audiences (ACS, audience),
# #metadata-url-and-issuer (IdC portal host), #relay-state-urls (an instance's Connect domains).
PARTITIONS: Dict[str, Partition] = {
    "aws": Partition(
        name="aws",
        dns_suffix="amazonaws.com",
        console_host="{region}.console.aws.amazon.com",
        signin_host="signin.aws.amazon.com",
        regional_signin_host="{region}.signin.aws.amazon.com",
        saml_audience="urn:amazon:webservices",
        connect_domains=("my.connect.aws", "awsapps.com"),
    ),
    "aws-us-gov": Partition(
        name="aws-us-gov",
        dns_suffix="amazonaws.com",
        console_host="console.amazonaws-us-gov.com",  # GovCloud's console host has no region label
        signin_host="signin.amazonaws-us-gov.com",
        regional_signin_host=None,  # no regional ACS is documented for GovCloud
        saml_audience="urn:amazon:webservices:govcloud",
        connect_domains=("my.connect.aws", "awsapps.com"),  # inferred: the commercial pair
    ),
}


def _botocore_partitions() -> List[dict]:
    if not HAS_BOTOCORE:  # AnsibleAWSModule reports a missing botocore before we get here
        return []
    return create_loader().load_data("partitions")["partitions"]


def partition_for_region(region: Optional[str], option: str = "region") -> str:
    """The partition of a region that exists (per botocore's data); a clear error otherwise."""
    if not region:
        raise ValidationError(option, region, "a region is required")
    known = []
    for partition in _botocore_partitions():
        regions = [name for name in partition["regions"] if not name.endswith("-global")]
        if region in regions:
            return partition["id"]
        known.extend(regions)
    prefix = str(region).split("-", maxsplit=1)[0] + "-"
    similar = sorted(name for name in known if name.startswith(prefix)) or sorted(known)
    raise ValidationError(option, region, "is not an AWS region botocore knows (known: " + ", ".join(similar) + ")")


def partition_info(partition: str, option: str = "region") -> Partition:
    """The facts of a partition this collection supports."""
    try:
        return PARTITIONS[partition]
    except KeyError:
        raise ValidationError(
            option, partition, "this partition is not supported yet (supported: " + ", ".join(sorted(PARTITIONS)) + ")"
        ) from None


def console_host(region: str, option: str = "region") -> str:
    """The regional AWS console host (never the region-less commercial host)."""
    return partition_info(partition_for_region(region, option), option).console_host.format(region=region)


def acs_url(region: str, regional: bool = False, option: str = "region") -> str:
    """The SAML assertion consumer service (sign-in) URL; global unless regional is asked for."""
    info = partition_info(partition_for_region(region, option), option)
    if not regional:
        return f"https://{info.signin_host}/saml"
    if info.regional_signin_host is None:
        raise ValidationError(option, region, f"no regional sign-in endpoint is known in partition {info.name}")
    return f"https://{info.regional_signin_host.format(region=region)}/saml"


def saml_audience(region: str, option: str = "region") -> str:
    """The SAML audience (SP entity id) of AWS sign-in in the region's partition."""
    return partition_info(partition_for_region(region, option), option).saml_audience


def idc_portal_host(region: str, option: str = "region") -> str:
    """The IdC portal host that serves SAML metadata and assertions (docs/aws-facts.md#metadata-url-and-issuer)."""
    info = partition_info(partition_for_region(region, option), option)
    return f"portal.sso.{region}.{info.dns_suffix}"
