# -*- coding: utf-8 -*-
# Copyright: Contributors to the connect_sso.federation collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The federation role's two documents (aws-facts §4.2): the trust policy for
sts:AssumeRoleWithSAML and the least-privilege connect:GetFederationToken policy."""

from __future__ import annotations

import json
from typing import Any, Dict, List, Optional, Union
from urllib.parse import unquote, urlsplit

from ansible_collections.amazon.aws.plugins.module_utils.policy import compare_policies
from ansible_collections.connect_sso.federation.plugins.module_utils.arns import connect_federation_resource
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
