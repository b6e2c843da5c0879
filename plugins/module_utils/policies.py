# -*- coding: utf-8 -*-
# Copyright: Contributors to the connect_sso.federation collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The federation role's two documents (docs/aws-facts.md#iam-trust-policy-and-role-policy): the trust policy for
sts:AssumeRoleWithSAML and the least-privilege connect:GetFederationToken policy."""

from __future__ import annotations

import json
from typing import Any, Dict, List, Optional, Union
from urllib.parse import unquote, urlsplit

from ansible_collections.amazon.aws.plugins.module_utils.policy import compare_policies
from ansible_collections.connect_sso.federation.plugins.module_utils.arns import (
    connect_federation_resource,
    validate_arn,
)
from ansible_collections.connect_sso.federation.plugins.module_utils.errors import ValidationError
from ansible_collections.connect_sso.federation.plugins.module_utils.partitions import acs_url

VERSION = "2012-10-17"


def _one_or_many(values: List[str]) -> Union[str, List[str]]:
    return values[0] if len(values) == 1 else list(values)


def trust_policy(provider_arns: List[str], audiences: List[str]) -> Dict[str, Any]:
    """Allow sts:AssumeRoleWithSAML from these providers when SAML:aud is one of the audiences."""
    return {
        "Version": VERSION,
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Federated": _one_or_many(provider_arns)},
                "Action": "sts:AssumeRoleWithSAML",
                "Condition": {"StringEquals": {"SAML:aud": _one_or_many(audiences)}},
            }
        ],
    }


def federation_policy(instance_arns: List[str]) -> Dict[str, Any]:
    """connect:GetFederationToken on these instances only, as the caller's own user."""
    return {
        "Version": VERSION,
        "Statement": [
            {
                "Sid": "ConnectFederation",
                "Effect": "Allow",
                "Action": "connect:GetFederationToken",
                "Resource": _one_or_many([connect_federation_resource(arn) for arn in instance_arns]),
            }
        ],
    }


def default_audiences(region: str, regional_acs: bool = False) -> List[str]:
    """The global ACS, plus the instance region's ACS when regional sign-in is used."""
    audiences = [acs_url(region)]
    if regional_acs:
        audiences.append(acs_url(region, regional=True))
    return audiences


def validate_audiences(values: Optional[List[str]], option: str = "saml_audiences") -> List[str]:
    if not values:
        raise ValidationError(option, values, "at least one SAML audience (an ACS URL) is required")
    for index, value in enumerate(values):
        parts = urlsplit(value) if isinstance(value, str) else None
        if parts is None or parts.scheme != "https" or not parts.hostname:
            raise ValidationError(
                f"{option}[{index}]",
                value,
                "a SAML audience is the https ACS URL, e.g. https://signin.aws.amazon.com/saml",
            )
    return list(values)


def load_policy(document: Union[str, Dict[str, Any], None]) -> Optional[Dict[str, Any]]:
    """A policy as a dict, from a dict, a JSON string, or IAM's URL-encoded JSON string."""
    if document is None or isinstance(document, dict):
        return document
    text = document if document.lstrip().startswith("{") else unquote(document)
    return json.loads(text)


def policies_differ(current: Union[str, Dict[str, Any], None], desired: Dict[str, Any]) -> bool:
    """True when the policies mean different things (order and string-vs-list do not count)."""
    current_doc = load_policy(current)
    if current_doc is None:
        return True
    return compare_policies(current_doc, desired)


MIN_SESSION, MAX_SESSION = 3600, 43200  # IAM's MaxSessionDuration range, seconds


def validate_session_duration(value: int, option: str = "max_session_duration") -> int:
    if not MIN_SESSION <= value <= MAX_SESSION:
        raise ValidationError(option, value, f"IAM allows {MIN_SESSION} to {MAX_SESSION} seconds")
    return value


def desired_role_documents(
    provider_arns: List[str],
    instance_arns: List[str],
    audiences: Optional[List[str]],
    permissions_boundary: Optional[str] = None,
    partition: Optional[str] = None,
) -> Dict[str, Any]:
    """Validate the role's inputs together and build both documents.

    Providers, instances and the boundary must be ARNs of their kind, in one account and one
    partition (the role lives beside them; `partition`, the module region's, when given);
    audiences default to the partition's global ACS.
    """
    if not provider_arns:
        raise ValidationError("provider_arns", provider_arns, "at least one SAML provider ARN is required")
    if not instance_arns:
        raise ValidationError("instance_arns", instance_arns, "at least one Amazon Connect instance ARN is required")
    instances = [validate_arn(a, f"instance_arns[{i}]", "connect-instance") for i, a in enumerate(instance_arns)]
    for index, instance in enumerate(instances):
        if partition and instance.partition != partition:  # IAM is global: only the region says which partition
            raise ValidationError(
                f"instance_arns[{index}]",
                str(instance),
                f"is in partition {instance.partition}, but the module's region is in partition {partition}",
            )
    partition, account = instances[0].partition, instances[0].account_id
    parsed = [(f"instance_arns[{i}]", a) for i, a in enumerate(instances)]
    parsed += [
        (f"provider_arns[{i}]", validate_arn(a, f"provider_arns[{i}]", "saml-provider", partition))
        for i, a in enumerate(provider_arns)
    ]
    if permissions_boundary:
        parsed.append(
            ("permissions_boundary", validate_arn(permissions_boundary, "permissions_boundary", "policy", partition))
        )
    for option, arn in parsed:
        if arn.partition != partition:
            raise ValidationError(option, str(arn), f"is in partition {arn.partition}, the instances in {partition}")
        if arn.account_id != account and not (option == "permissions_boundary" and arn.account_id == "aws"):
            raise ValidationError(
                option,
                str(arn),
                f"is in account {arn.account_id}, but instance_arns[0] is in "
                f"{account}: the role, its providers and its instances share one account",
            )
    audiences = validate_audiences(audiences) if audiences else default_audiences(instances[0].region)
    return {
        "account_id": account,
        "partition": partition,
        "trust_policy": trust_policy(list(provider_arns), audiences),
        "federation_policy": federation_policy(list(instance_arns)),
    }
