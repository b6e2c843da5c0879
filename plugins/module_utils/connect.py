# -*- coding: utf-8 -*-
# Copyright: Contributors to the connect_sso.federation collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Amazon Connect instance lookup: the AWS calls (one each, retried) and the checks that the
instance can take part in SAML federation."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.connect_sso.federation.plugins.module_utils.errors import FederationError, ValidationError
from ansible_collections.connect_sso.federation.plugins.module_utils.retries import aws_retry

LIST_PAGE_SIZE = 10  # ListInstances allows at most 10 per page

# The options that name the instance a module works on (doc fragment connect_instance): exactly one.
INSTANCE_OPTIONS = dict(instance_id=dict(type="str"), instance_alias=dict(type="str"))
ONE_INSTANCE = ["instance_id", "instance_alias"]


class AnsibleConnectError(AnsibleAWSError):
    pass


class ConnectErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleConnectError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("ResourceNotFoundException")


@ConnectErrorHandler.list_error_handler("describe Amazon Connect instance")
@aws_retry
def describe_instance(client: Any, instance_id: str) -> Optional[Dict[str, Any]]:
    return client.describe_instance(InstanceId=instance_id)["Instance"]


@ConnectErrorHandler.common_error_handler("list Amazon Connect instances")
@aws_retry
def list_instances(client: Any) -> List[Dict[str, Any]]:
    paginator = client.get_paginator("list_instances")
    pages = paginator.paginate(PaginationConfig={"PageSize": LIST_PAGE_SIZE})
    return pages.build_full_result()["InstanceSummaryList"]


def normalize_instance(raw: Dict[str, Any]) -> Dict[str, Any]:
    """The public `instance` return value, from a DescribeInstance or ListInstances item."""
    arn = raw["Arn"]
    return {
        "id": raw["Id"],
        "arn": arn,
        "alias": raw.get("InstanceAlias"),
        "identity_management_type": raw.get("IdentityManagementType"),
        "status": raw.get("InstanceStatus"),
        "access_url": raw.get("InstanceAccessUrl"),
        "account_id": arn.split(":")[4],
        "region": arn.split(":")[3],
        "service_role": raw.get("ServiceRole"),
        "created_time": raw["CreatedTime"].isoformat() if hasattr(raw.get("CreatedTime"), "isoformat") else None,
    }


def _describe_choices(summaries: List[Dict[str, Any]]) -> str:
    if not summaries:
        return "there are no instances there"
    return "instances there: " + ", ".join(
        f"{s.get('InstanceAlias') or '(no alias)'} ({s['Id']})" for s in sorted(summaries, key=lambda s: s["Id"])
    )


def find_instance(
    client: Any, region: str, instance_id: Optional[str] = None, alias: Optional[str] = None
) -> Dict[str, Any]:
    """The instance with this id or alias in the client's region, normalised; a clear error if there is none."""
    if instance_id:
        raw = describe_instance(client, instance_id)
        if raw is None:
            raise FederationError(
                f"instance_id={instance_id!r}: no Amazon Connect instance with this id in {region}; "
                + _describe_choices(list_instances(client))
            )
        return normalize_instance(raw)
    summaries = list_instances(client)
    matches = [s for s in summaries if s.get("InstanceAlias") == alias]
    if len(matches) == 1:
        return normalize_instance(matches[0])
    if len(matches) > 1:
        raise FederationError(
            f"instance_alias={alias!r}: {len(matches)} instances in {region} have this alias; "
            "use instance_id instead (" + ", ".join(m["Id"] for m in matches) + ")"
        )
    near = [s["InstanceAlias"] for s in summaries if (s.get("InstanceAlias") or "").lower() == (alias or "").lower()]
    hint = f" (aliases are exact: did you mean {near[0]!r}?)" if near else ""
    raise FederationError(
        f"instance_alias={alias!r}: no Amazon Connect instance with this alias in {region}{hint}; "
        + _describe_choices(summaries)
    )


def require_saml_and_active(instance: Dict[str, Any], option: str) -> None:
    """SAML federation needs an ACTIVE instance whose identity management type is SAML."""
    label = instance["alias"] or instance["id"]
    if instance["identity_management_type"] != "SAML":
        raise ValidationError(
            option,
            label,
            f"the instance uses identity management {instance['identity_management_type']}, not SAML; "
            "SAML federation only works with instances created with SAML (the type cannot be changed later)",
        )
    if instance["status"] != "ACTIVE":
        raise ValidationError(option, label, f"the instance is {instance['status']}, not ACTIVE")
