# -*- coding: utf-8 -*-
# Copyright: Contributors to the connect_sso.federation collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""IAM Identity Center through its public APIs (sso-admin, identitystore): the instance,
SAML applications by name or id, their tags and assignments, principals by name."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import (
    ansible_dict_to_boto3_tag_list,
    boto3_tag_list_to_ansible_dict,
)
from ansible_collections.connect_sso.federation.plugins.module_utils.arns import (
    instance_id_to_application_id,
    parse_app_reference,
)
from ansible_collections.connect_sso.federation.plugins.module_utils.errors import FederationError, ValidationError
from ansible_collections.connect_sso.federation.plugins.module_utils.idc_control import RETRY_CODES
from ansible_collections.connect_sso.federation.plugins.module_utils.module_support import PENDING_APP

CUSTOM_SAML_PROVIDER = "arn:aws:sso::aws:applicationProvider/custom-saml"  # aws-facts §1.3 [3p]
# The argument spec of `principals` (doc fragment connect_sso.federation.assertion.principals).
PRINCIPALS_SPEC = dict(
    type="list",
    elements="dict",
    default=[],
    options=dict(
        type=dict(type="str", choices=["GROUP", "USER"], required=True), name=dict(type="str"), id=dict(type="str")
    ),
)
retry = AWSRetry.jittered_backoff(retries=8, delay=1, max_delay=20, catch_extra_error_codes=RETRY_CODES)


class AnsibleIdcError(AnsibleAWSError):
    pass


class IdcErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleIdcError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("ResourceNotFoundException")


# --- instance and applications -------------------------------------------------------------------


@IdcErrorHandler.common_error_handler("list IAM Identity Center instances")
@retry
def get_instance(client: Any, region: str) -> Dict[str, str]:
    """The IdC instance visible here; a clear error when this region has none."""
    instances = client.list_instances()["Instances"]
    if not instances:
        raise FederationError(
            f"region={region!r}: no IAM Identity Center instance is visible in this account and region; "
            "use the IdC home region of the organisation's management account (connect_sso_idc_region)"
        )
    instance = instances[0]
    return {
        "arn": instance["InstanceArn"],
        "identity_store_id": instance["IdentityStoreId"],
        "owner_account": instance.get("OwnerAccountId", ""),
    }


def _normalize_app(raw: Dict[str, Any]) -> Dict[str, Any]:
    application_id = raw["ApplicationArn"].rsplit("/", 1)[1]
    return {
        "arn": raw["ApplicationArn"],
        "application_id": application_id,
        "instance_id": "ins-" + application_id[len("apl-") :],
        "name": raw.get("Name"),
        "description": raw.get("Description") or "",
        "status": raw.get("Status"),
        "provider_arn": raw.get("ApplicationProviderArn"),
    }


@IdcErrorHandler.common_error_handler("list IAM Identity Center applications")
@retry
def list_saml_apps(client: Any, instance_arn: str) -> List[Dict[str, Any]]:
    pages = client.get_paginator("list_applications").paginate(
        InstanceArn=instance_arn, Filter={"ApplicationProvider": CUSTOM_SAML_PROVIDER}
    )
    return [_normalize_app(a) for a in pages.build_full_result().get("Applications", [])]


@IdcErrorHandler.list_error_handler("describe IAM Identity Center application")
@retry
def describe_app(client: Any, arn: str) -> Optional[Dict[str, Any]]:
    return _normalize_app(client.describe_application(ApplicationArn=arn))


def app_arn(instance: Dict[str, str], instance_id: str) -> str:
    """The public ARN of a console app instance (same hex, aws-facts §1.3)."""
    ssoins = instance["arn"].rsplit("/", 1)[1]
    partition = instance["arn"].split(":")[1]
    return f"arn:{partition}:sso::{instance['owner_account']}:application/{ssoins}/{instance_id_to_application_id(instance_id)}"


def find_app_by_name(
    client: Any, instance: Dict[str, str], name: str, option: str = "name"
) -> Optional[Dict[str, Any]]:
    matches = [a for a in list_saml_apps(client, instance["arn"]) if a["name"] == name]
    if len(matches) > 1:
        raise ValidationError(
            option,
            name,
            "more than one SAML application has this display name ("
            + ", ".join(a["application_id"] for a in matches)
            + "); rename one or name the app by id",
        )
    return matches[0] if matches else None


def resolve_app(
    client: Any, instance: Dict[str, str], reference: str, option: str = "app", check_mode: bool = False
) -> Optional[Dict[str, Any]]:
    """The app an `app` option names (display name, apl-/ins- id or ARN); a clear error if none.

    In check mode an app named by display name that does not exist yet is None: an earlier
    sso_saml_app task would have created it (a compliance run on a fresh organisation)."""
    parsed = parse_app_reference(reference, option)
    if "display_name" in parsed:
        app = find_app_by_name(client, instance, parsed["display_name"], option)
        if app is None and check_mode:
            return None
    else:
        app = describe_app(client, parsed.get("arn") or app_arn(instance, parsed["instance_id"]))
    if app is None:
        raise ValidationError(
            option,
            reference,
            "no IAM Identity Center SAML application has this name or id; "
            "create it first (connect_sso.federation.sso_saml_app)",
        )
    return app


# --- tags --------------------------------------------------------------------------------------


@IdcErrorHandler.common_error_handler("list application tags")
@retry
def get_tags(client: Any, instance_arn: str, arn: str) -> Dict[str, str]:
    pages = client.get_paginator("list_tags_for_resource").paginate(InstanceArn=instance_arn, ResourceArn=arn)
    return boto3_tag_list_to_ansible_dict(pages.build_full_result().get("Tags", []))


@IdcErrorHandler.common_error_handler("tag application")
@retry
def set_tags(client: Any, instance_arn: str, arn: str, tags: Dict[str, str]) -> None:
    client.tag_resource(InstanceArn=instance_arn, ResourceArn=arn, Tags=ansible_dict_to_boto3_tag_list(tags))


# --- assignments ---------------------------------------------------------------------------------


@IdcErrorHandler.common_error_handler("list application assignments")
@retry
def list_assignments(client: Any, arn: str) -> List[Tuple[str, str]]:
    pages = client.get_paginator("list_application_assignments").paginate(ApplicationArn=arn)
    return [(a["PrincipalType"], a["PrincipalId"]) for a in pages.build_full_result().get("ApplicationAssignments", [])]


@IdcErrorHandler.common_error_handler("create application assignment")
@retry
def create_assignment(client: Any, arn: str, principal_type: str, principal_id: str) -> None:
    client.create_application_assignment(ApplicationArn=arn, PrincipalType=principal_type, PrincipalId=principal_id)


@IdcErrorHandler.deletion_error_handler("delete application assignment")
@retry
def delete_assignment(client: Any, arn: str, principal_type: str, principal_id: str) -> None:
    client.delete_application_assignment(ApplicationArn=arn, PrincipalType=principal_type, PrincipalId=principal_id)


@IdcErrorHandler.common_error_handler("get application assignment configuration")
@retry
def assignment_required(client: Any, arn: str) -> bool:
    return client.get_application_assignment_configuration(ApplicationArn=arn)["AssignmentRequired"]


@IdcErrorHandler.common_error_handler("put application assignment configuration")
@retry
def set_assignment_required(client: Any, arn: str, required: bool) -> None:
    client.put_application_assignment_configuration(ApplicationArn=arn, AssignmentRequired=required)


# --- principals -----------------------------------------------------------------------------------

_LOOKUP = {"USER": ("get_user_id", "UserName", "UserId"), "GROUP": ("get_group_id", "DisplayName", "GroupId")}


@IdcErrorHandler.list_error_handler("look up principal")
@retry
def _principal_id(client: Any, store_id: str, principal_type: str, name: str) -> Optional[str]:
    method, path, key = _LOOKUP[principal_type]
    return getattr(client, method)(
        IdentityStoreId=store_id,
        AlternateIdentifier={"UniqueAttribute": {"AttributePath": path, "AttributeValue": name}},
    )[key]


def resolve_principals(
    client: Any, store_id: str, principals: List[Dict[str, Any]], option: str = "principals"
) -> List[Dict[str, Any]]:
    """[{type, id, name}] for principals given by name or id; an unknown name fails, naming it."""
    resolved = []
    for index, principal in enumerate(principals):
        kind = principal["type"]
        if principal.get("id"):
            resolved.append({"type": kind, "id": principal["id"], "name": principal.get("name")})
            continue
        principal_id = _principal_id(client, store_id, kind, principal["name"])
        if principal_id is None:
            what = "user with UserName" if kind == "USER" else "group with DisplayName"
            raise ValidationError(
                f"{option}[{index}].name",
                principal["name"],
                f"no IAM Identity Center {what} {principal['name']!r} in identity store {store_id}",
            )
        resolved.append({"type": kind, "id": principal_id, "name": principal["name"]})
    return resolved


def ensure_assignments(
    sso: Any,
    store: Any,
    instance: Dict[str, str],
    app: Dict[str, Any],
    principals: List[Dict[str, Any]],
    required: Optional[bool] = None,
    exclusive: bool = False,
    present: bool = True,
    check_mode: bool = False,
) -> Dict[str, Any]:
    """The app's assignments as asked; names resolved before the first write.
    app None: in check mode, an app that an earlier task would create (nothing assigned yet)."""
    for index, principal in enumerate(principals):
        if bool(principal.get("name")) == bool(principal.get("id")):
            raise ValidationError(f"principals[{index}]", principal, "give exactly one of name and id")
    wanted = resolve_principals(store, instance["identity_store_id"], principals)
    names = {(p["type"], p["id"]): p["name"] for p in wanted}
    if app is None:
        return _pending_assignments(wanted, required, present)
    current = set(list_assignments(sso, app["arn"]))
    listed = {(p["type"], p["id"]) for p in wanted}
    if present:
        to_add, to_remove = sorted(listed - current), sorted(current - listed) if exclusive else []
    else:
        to_add, to_remove = [], sorted(listed & current)
    required_change = required is not None and assignment_required(sso, app["arn"]) != required
    if not check_mode:
        for principal_type, principal_id in to_add:
            create_assignment(sso, app["arn"], principal_type, principal_id)
        for principal_type, principal_id in to_remove:
            delete_assignment(sso, app["arn"], principal_type, principal_id)
        if required_change:
            set_assignment_required(sso, app["arn"], required)

    def listing(keys):
        return [{"type": t, "id": i, "name": names.get((t, i))} for t, i in sorted(keys)]

    after = (current | set(to_add)) - set(to_remove)
    return dict(
        changed=bool(to_add or to_remove or required_change),
        assigned=listing(after),
        added=listing(to_add),
        removed=listing(to_remove),
        diff={"before": {"assigned": listing(current)}, "after": {"assigned": listing(after)}},
    )


def _pending_assignments(wanted: List[Dict[str, Any]], required: Optional[bool], present: bool) -> Dict[str, Any]:
    """What would be assigned to an app that does not exist yet (check mode only)."""
    added = sorted(
        ({"type": p["type"], "id": p["id"], "name": p["name"]} for p in wanted), key=lambda p: (p["type"], p["id"])
    )
    added = added if present else []
    return dict(
        changed=bool(added) or (present and required is not None),
        pending=PENDING_APP,
        assigned=added,
        added=added,
        removed=[],
        diff={"before": {"assigned": []}, "after": {"assigned": added, "pending": PENDING_APP}},
    )
