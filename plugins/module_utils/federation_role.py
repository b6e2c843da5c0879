# -*- coding: utf-8 -*-
# Copyright: Contributors to the connect_sso.federation collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The IAM role agents federate into: SAML trust plus the connect:GetFederationToken policy
(inline by default, or a customer managed policy). Read, plan, apply."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.iam import (
    IAMErrorHandler,
    detach_iam_role_policy,
    get_iam_role,
    list_iam_role_attached_policies,
    list_iam_role_policies,
)
from ansible_collections.amazon.aws.plugins.module_utils.tagging import (
    ansible_dict_to_boto3_tag_list,
    boto3_tag_list_to_ansible_dict,
)
from ansible_collections.connect_sso.federation.plugins.module_utils.arns import (
    role_arn,
    validate_policy_name,
    validate_role_name,
    validate_role_path,
)
from ansible_collections.connect_sso.federation.plugins.module_utils.errors import FederationError, ValidationError
from ansible_collections.connect_sso.federation.plugins.module_utils.module_support import (
    MANAGED_TAG_KEY,
    Plan,
    desired_tags,
    diff,
    ensure_once_more_if_made_meanwhile,
    is_owned,
    plan_tags,
    require_owned,
    tags_after,
    validate_tags,
)
from ansible_collections.connect_sso.federation.plugins.module_utils.policies import (
    desired_role_documents,
    load_policy,
    policies_differ,
    validate_session_duration,
)
from ansible_collections.connect_sso.federation.plugins.module_utils.retries import aws_retry

DEFAULT_DESCRIPTION = "Amazon Connect federation through IAM Identity Center (connect_sso.federation)"
# The role's grant type once every write of a run is done (set last): while it matches policy_type,
# no grant of the other type can be left over, so it need not be looked for (one read less per
# role and run). A switch interrupted before its end leaves the old value, and the next run looks.
POLICY_TYPE_TAG = MANAGED_TAG_KEY + ":policy-type"

# The permissions boundary every federation role gets by default (docs/iam/federation-role-boundary.json,
# which a unit test keeps equal to this): the role may do nothing but federate into Connect, whatever
# policy anyone later attaches to it. Its name is outside the AmazonConnectFederation* scope of the
# pipeline's policy, which may create it but never change it.
BOUNDARY_POLICY_NAME = "ConnectSsoFederationRoleBoundary"
BOUNDARY_DOCUMENT = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "FederationRolesMayOnlyFederateIntoConnect",
            "Effect": "Allow",
            "Action": "connect:GetFederationToken",
            "Resource": "*",
        }
    ],
}
BOUNDARY_DESCRIPTION = "Permissions boundary of the Amazon Connect federation roles (connect_sso.federation)"
# The modules' option permissions_boundary_policy (documented in each module).
BOUNDARY_POLICY_SPEC = dict(
    type="dict",
    options=dict(
        name=dict(type="str", default=BOUNDARY_POLICY_NAME),
        path=dict(type="str", default="/"),
        document=dict(type="json"),
    ),
)

# --- AWS calls ----------------------------------------------------------------------------------


@IAMErrorHandler.list_error_handler("get role policy")
@aws_retry
def _get_inline_policy(client: Any, role: str, policy: str) -> Optional[Any]:
    return client.get_role_policy(RoleName=role, PolicyName=policy)["PolicyDocument"]


@IAMErrorHandler.list_error_handler("get managed policy")
@aws_retry
def _get_managed_policy(client: Any, arn: str) -> Optional[Dict[str, Any]]:
    return client.get_policy(PolicyArn=arn)["Policy"]


@IAMErrorHandler.list_error_handler("get managed policy version")
@aws_retry
def _get_policy_version_document(client: Any, arn: str, version: str) -> Optional[Any]:
    return client.get_policy_version(PolicyArn=arn, VersionId=version)["PolicyVersion"]["Document"]


def managed_policy(client: Any, arn: str) -> Optional[Dict[str, Any]]:
    """A managed policy's GetPolicy answer, or None when there is no such policy."""
    return _get_managed_policy(client, arn)


def _get_managed_policy_document(client: Any, arn: str, policy: Optional[Dict[str, Any]] = None) -> Optional[Any]:
    """The default version's document of a managed policy (`policy`: its GetPolicy answer, if read)."""
    policy = policy or _get_managed_policy(client, arn)
    return policy and _get_policy_version_document(client, arn, policy["DefaultVersionId"])


@IAMErrorHandler.common_error_handler("create role")
@aws_retry
def _create_role(client: Any, desired: Dict[str, Any], tags: Dict[str, str]) -> str:
    kwargs = dict(
        RoleName=desired["name"],
        Path=desired["path"],
        AssumeRolePolicyDocument=json.dumps(desired["trust_policy"]),
        MaxSessionDuration=desired["max_session_duration"],
        Description=desired["description"],
        Tags=ansible_dict_to_boto3_tag_list(tags),
    )
    if desired["permissions_boundary"]:
        kwargs["PermissionsBoundary"] = desired["permissions_boundary"]
    return client.create_role(**kwargs)["Role"]["Arn"]


@IAMErrorHandler.common_error_handler("update role trust policy")
@aws_retry
def _update_trust(client: Any, name: str, document: Dict[str, Any]) -> None:
    client.update_assume_role_policy(RoleName=name, PolicyDocument=json.dumps(document))


@IAMErrorHandler.common_error_handler("update role")
@aws_retry
def _update_role(client: Any, name: str, max_session_duration: int, description: str) -> None:
    client.update_role(RoleName=name, MaxSessionDuration=max_session_duration, Description=description)


@IAMErrorHandler.common_error_handler("set permissions boundary")
@aws_retry
def _put_boundary(client: Any, name: str, arn: str) -> None:
    client.put_role_permissions_boundary(RoleName=name, PermissionsBoundary=arn)


@IAMErrorHandler.deletion_error_handler("remove permissions boundary")
@aws_retry
def _delete_boundary(client: Any, name: str) -> None:
    client.delete_role_permissions_boundary(RoleName=name)


@IAMErrorHandler.common_error_handler("put role policy")
@aws_retry
def _put_inline_policy(client: Any, role: str, policy: str, document: Dict[str, Any]) -> None:
    client.put_role_policy(RoleName=role, PolicyName=policy, PolicyDocument=json.dumps(document))


@IAMErrorHandler.common_error_handler("create managed policy")
@aws_retry
def _create_managed_policy(client: Any, name: str, path: str, document: Dict[str, Any], tags: Dict[str, str]) -> str:
    return client.create_policy(
        PolicyName=name, Path=path, PolicyDocument=json.dumps(document), Tags=ansible_dict_to_boto3_tag_list(tags)
    )["Policy"]["Arn"]


@IAMErrorHandler.common_error_handler("create permissions boundary policy")
@aws_retry
def _create_boundary_policy(client: Any, boundary: Dict[str, Any], tags: Dict[str, str]) -> bool:
    """False when it exists already: the instances of one account share it, and another host made it."""
    try:
        client.create_policy(
            PolicyName=boundary["name"],
            Path=boundary["path"],
            PolicyDocument=json.dumps(boundary["document"]),
            Description=BOUNDARY_DESCRIPTION,
            Tags=ansible_dict_to_boto3_tag_list(tags),
        )
    except is_boto3_error_code("EntityAlreadyExists"):
        return False
    return True


def _replace_managed_policy(client: Any, role: str, arn: str, desired: Dict[str, Any]) -> None:
    """A new document for the managed federation policy, without iam:CreatePolicyVersion (a known
    privilege-escalation action, which the pipeline's policy does not grant): detach, delete,
    create and attach it again. The role lacks its grant for these few calls; the document only
    changes when the instance or the provider does."""
    if arn in _attached_policy_arns(client, role):
        detach_iam_role_policy(client, arn, role)
    _delete_managed_policy(client, arn)
    _create_managed_policy(
        client, desired["policy_name"], desired["path"], desired["federation_policy"], desired_tags(desired["tags"])
    )


@IAMErrorHandler.common_error_handler("attach managed policy")
@aws_retry
def _attach(client: Any, role: str, arn: str) -> None:
    client.attach_role_policy(RoleName=role, PolicyArn=arn)


@IAMErrorHandler.deletion_error_handler("delete role policy")
@aws_retry
def _delete_inline_policy(client: Any, role: str, policy: str) -> None:
    client.delete_role_policy(RoleName=role, PolicyName=policy)


@IAMErrorHandler.common_error_handler("tag role")
@aws_retry
def _tag_role(client: Any, name: str, tags: Dict[str, str]) -> None:
    client.tag_role(RoleName=name, Tags=ansible_dict_to_boto3_tag_list(tags))


@IAMErrorHandler.common_error_handler("untag role")
@aws_retry
def _untag_role(client: Any, name: str, keys: List[str]) -> None:
    client.untag_role(RoleName=name, TagKeys=keys)


def _attached_policy_arns(client: Any, role: str) -> List[str]:
    return [p["PolicyArn"] for p in list_iam_role_attached_policies(client, role)]


@IAMErrorHandler.deletion_error_handler("delete role")
@aws_retry
def _delete_role(client: Any, name: str) -> None:
    for policy in list_iam_role_policies(client, name):
        client.delete_role_policy(RoleName=name, PolicyName=policy)
    for arn in _attached_policy_arns(client, name):
        detach_iam_role_policy(client, arn, name)
    client.delete_role(RoleName=name)


def policy_documents(client: Any, role: str) -> Dict[str, Any]:
    """Every permission policy of a role, whatever it is called: 'inline <name>' or the managed
    policy's ARN -> its document (the default version). The doctor evaluates them all."""
    documents = {
        f"inline {name}": _get_inline_policy(client, role, name) for name in list_iam_role_policies(client, role)
    }
    documents.update({arn: _get_managed_policy_document(client, arn) for arn in _attached_policy_arns(client, role)})
    return {label: load_policy(document) for label, document in documents.items() if document is not None}


def managed_policy_document(client: Any, arn: str) -> Optional[Dict[str, Any]]:
    """The default version's document of a managed policy (a permissions boundary), or None."""
    return load_policy(_get_managed_policy_document(client, arn))


# --- state --------------------------------------------------------------------------------------


def managed_policy_arn(role_arn: str, desired: Dict[str, Any]) -> str:
    """The customer managed policy's ARN, in the role's account and partition, under the role's path."""
    prefix = role_arn.split(":role/", 1)[0]
    return f"{prefix}:policy{desired['path']}{desired['policy_name']}"


def _other_managed_policy(client: Any, arn: str) -> Dict[str, Any]:
    """The managed grant left from policy_type=managed; deleted too only if we made it and no one else uses it."""
    raw = _get_managed_policy(client, arn) or {}
    owned = is_owned(boto3_tag_list_to_ansible_dict(raw.get("Tags", [])))
    return {
        "type": "managed",
        "arn": arn,
        "document": load_policy(raw and _get_managed_policy_document(client, arn, raw)),
        "delete_policy": owned and raw.get("AttachmentCount", 1) <= 1,
    }


def read_role(client: Any, desired: Dict[str, Any]) -> Optional[Dict[str, Any]]:
    """The role as it is: {arn, path, trust_policy, max_session_duration, permissions_boundary, tags, policy,
    other_policy}; other_policy is the grant of the other policy_type, left from a switch, to be removed."""
    raw = get_iam_role(client, desired["name"])
    if raw is None:
        return None
    current = {
        "arn": raw["Arn"],
        "path": raw.get("Path", "/"),
        "trust_policy": load_policy(raw.get("AssumeRolePolicyDocument")),
        "max_session_duration": raw.get("MaxSessionDuration", 3600),
        "description": raw.get("Description", ""),
        "permissions_boundary": (raw.get("PermissionsBoundary") or {}).get("PermissionsBoundaryArn"),
        "tags": boto3_tag_list_to_ansible_dict(raw.get("Tags", [])),
        "policy": None,
        "policy_attached": False,
        "other_policy": None,
    }
    settled = current["tags"].get(POLICY_TYPE_TAG) == desired["policy_type"]  # no grant of the other type
    arn = managed_policy_arn(raw["Arn"], desired)
    if desired["policy_type"] == "inline":
        current["policy"] = load_policy(_get_inline_policy(client, desired["name"], desired["policy_name"]))
        if not settled and arn in _attached_policy_arns(client, desired["name"]):
            current["other_policy"] = _other_managed_policy(client, arn)
    else:
        current["policy"] = load_policy(_get_managed_policy_document(client, arn))
        current["policy_attached"] = arn in _attached_policy_arns(client, desired["name"])
        inline = None if settled else load_policy(_get_inline_policy(client, desired["name"], desired["policy_name"]))
        if inline is not None:
            current["other_policy"] = {"type": "inline", "name": desired["policy_name"], "document": inline}
    return current


@dataclass
class RolePlan(Plan):
    create: bool = False
    delete: bool = False
    update_trust: bool = False
    update_role: bool = False
    boundary: Optional[str] = None  # "put" or "delete"
    put_policy: bool = False
    attach_policy: bool = False
    remove_other_policy: bool = False
    tags_to_set: Dict[str, str] = field(default_factory=dict)
    tags_to_remove: List[str] = field(default_factory=list)


def plan_present(current: Optional[Dict[str, Any]], desired: Dict[str, Any]) -> RolePlan:
    plan = RolePlan()
    if current is None:
        plan.create = plan.put_policy = True
        plan.attach_policy = desired["policy_type"] == "managed"
        plan.tags_to_set = dict(desired_tags(desired["tags"]), **{POLICY_TYPE_TAG: desired["policy_type"]})
        return plan
    if current["path"] != desired["path"]:
        raise FederationError(
            f"path={desired['path']!r}: the role {desired['name']} exists with path {current['path']}, and IAM cannot "
            "move a role; delete it (state: absent) or use its current path"
        )
    plan.update_trust = policies_differ(current["trust_policy"], desired["trust_policy"])
    plan.update_role = (current["max_session_duration"], current["description"]) != (
        desired["max_session_duration"],
        desired["description"],
    )
    if desired["permissions_boundary"] != current["permissions_boundary"]:
        plan.boundary = "put" if desired["permissions_boundary"] else "delete"
    plan.put_policy = policies_differ(current["policy"], desired["federation_policy"])
    plan.attach_policy = desired["policy_type"] == "managed" and not current["policy_attached"]
    plan.remove_other_policy = current.get("other_policy") is not None
    plan.tags_to_set, plan.tags_to_remove = plan_tags(current["tags"], desired["tags"], desired["purge_tags"])
    if current["tags"].get(POLICY_TYPE_TAG) != desired["policy_type"]:
        plan.tags_to_set[POLICY_TYPE_TAG] = desired["policy_type"]  # tagged after the grants (apply)
    return plan


def plan_absent(current: Optional[Dict[str, Any]], name: str, force: bool) -> RolePlan:
    plan = RolePlan()
    if current is not None:
        require_owned(current["tags"], force, name, "role")
        plan.delete = True
    return plan


def apply(client: Any, plan: RolePlan, current: Optional[Dict[str, Any]], desired: Dict[str, Any]) -> Optional[str]:
    """The planned writes, in an order that never leaves a half-made role unusable; returns the ARN."""
    name = desired["name"]
    if plan.delete:
        _delete_role(client, name)
        if desired["policy_type"] == "managed" and current:
            _delete_managed_policy(client, managed_policy_arn(current["arn"], desired))
        other = (current or {}).get("other_policy") or {}
        if other.get("delete_policy"):
            _delete_managed_policy(client, other["arn"])
        return None
    arn = _create_role(client, desired, plan.tags_to_set) if plan.create else current["arn"]
    # the boundary first: the pipeline's policy lets it write a role's policies only once the role has it
    if plan.boundary == "put":
        _put_boundary(client, name, desired["permissions_boundary"])
    elif plan.boundary == "delete":
        _delete_boundary(client, name)
    attach = plan.attach_policy
    if plan.put_policy:
        if desired["policy_type"] == "inline":
            _put_inline_policy(client, name, desired["policy_name"], desired["federation_policy"])
        elif current is not None and current["policy"] is not None:
            _replace_managed_policy(client, name, managed_policy_arn(arn, desired), desired)
            attach = True
        else:
            _create_managed_policy(
                client,
                desired["policy_name"],
                desired["path"],
                desired["federation_policy"],
                desired_tags(desired["tags"]),
            )
    if attach:
        _attach(client, name, managed_policy_arn(arn, desired))
    if plan.remove_other_policy:  # after the new grant is in place, so the role never lacks one
        _remove_other_policy(client, name, current["other_policy"])
    if plan.create:
        return arn
    if plan.update_trust:
        _update_trust(client, name, desired["trust_policy"])
    if plan.update_role:
        _update_role(client, name, desired["max_session_duration"], desired["description"])
    if plan.tags_to_set:
        _tag_role(client, name, plan.tags_to_set)
    if plan.tags_to_remove:
        _untag_role(client, name, plan.tags_to_remove)
    return arn


@IAMErrorHandler.deletion_error_handler("delete managed policy")
@aws_retry
def _delete_managed_policy(client: Any, arn: str) -> None:
    for version in client.list_policy_versions(PolicyArn=arn)["Versions"]:
        if not version["IsDefaultVersion"]:
            client.delete_policy_version(PolicyArn=arn, VersionId=version["VersionId"])
    client.delete_policy(PolicyArn=arn)


def _remove_other_policy(client: Any, role: str, other: Dict[str, Any]) -> None:
    if other["type"] == "inline":
        _delete_inline_policy(client, role, other["name"])
        return
    detach_iam_role_policy(client, other["arn"], role)
    if other["delete_policy"]:
        _delete_managed_policy(client, other["arn"])


def describe(current: Optional[Dict[str, Any]]) -> Dict[str, Any]:
    """What the diff shows of a role."""
    if current is None:
        return {}
    keys = ("path", "trust_policy", "max_session_duration", "description", "permissions_boundary", "tags")
    shown = {k: current.get(k) for k in keys}
    shown["federation_policy"] = current.get("policy", current.get("federation_policy"))
    if current.get("other_policy"):  # only ever in "before": the plan removes it
        other = current["other_policy"]
        shown["other_policy"] = {k: other[k] for k in ("type", "name", "arn", "document") if k in other}
    return shown


MAX_DESCRIPTION = 1000  # IAM CreateRole/UpdateRole: Description is at most 1000 characters


def validate_role_description(value: object, option: str = "description") -> str:
    """IAM refuses a longer description only at CreateRole or UpdateRole, after the provider is made."""
    if not isinstance(value, str) or len(value) > MAX_DESCRIPTION:
        length = len(value) if isinstance(value, str) else "not a string"
        raise ValidationError(option, value, f"a role description is at most {MAX_DESCRIPTION} characters ({length})")
    return value


def role_settings(
    name: str,
    max_session_duration: int = 43200,
    path: str = "/",
    description: str = DEFAULT_DESCRIPTION,
    permissions_boundary: Optional[str] = None,
    policy_name: str = "AmazonConnectFederation",
    policy_type: str = "inline",
    tags: Optional[Dict[str, str]] = None,
    purge_tags: bool = True,
    options: Optional[Dict[str, str]] = None,
    permissions_boundary_policy: Optional[Dict[str, Any]] = None,
) -> Dict[str, Any]:
    """The role's own settings, validated: everything but the documents, which need the
    provider's and the instance's ARNs. `options` maps a setting to the option the caller
    took it from (the chain module says role_name and role_path), so an error names it.
    permissions_boundary_policy ({name, path, document}): the managed policy to make the role's
    boundary, created in the role's account when missing (ensure_boundary_policy)."""
    option = {"name": "name", "path": "path", "policy_name": "policy_name", "tags": "tags", **(options or {})}
    if permissions_boundary and permissions_boundary_policy:
        raise ValidationError(
            "permissions_boundary",
            permissions_boundary,
            "give either permissions_boundary (an existing policy's ARN) or permissions_boundary_policy, not both",
        )
    return dict(
        boundary_policy=boundary_policy_settings(permissions_boundary_policy),
        name=validate_role_name(name, option["name"]),
        path=validate_role_path(path, option["path"]),
        policy_name=validate_policy_name(policy_name, option["policy_name"]),
        policy_type=policy_type,
        description=validate_role_description(description),
        max_session_duration=validate_session_duration(max_session_duration),
        permissions_boundary=permissions_boundary,
        tags=validate_tags(tags, option["tags"], collection_tags=2),  # managed-by and POLICY_TYPE_TAG
        purge_tags=purge_tags,
    )


def with_documents(
    settings: Dict[str, Any],
    provider_arns: List[str],
    instance_arns: List[str],
    saml_audiences: Optional[List[str]] = None,
    partition: Optional[str] = None,
) -> Dict[str, Any]:
    """The role as asked: its settings and both documents, every ARN validated.
    partition, when given (the module region's), is the one every ARN must be in."""
    documents = desired_role_documents(
        provider_arns, instance_arns, saml_audiences, settings["permissions_boundary"], partition
    )
    boundary = settings.get("boundary_policy")
    if boundary:  # the role's account, known from its instances, places the policy
        arn = f"arn:{documents['partition']}:iam::{documents['account_id']}:policy{boundary['path']}{boundary['name']}"
        settings = dict(settings, permissions_boundary=arn, boundary_policy=dict(boundary, arn=arn))
    return dict(settings, **documents)


def boundary_policy_settings(value: Optional[Dict[str, Any]]) -> Optional[Dict[str, Any]]:
    """permissions_boundary_policy, validated: {name, path, document} (document: the shipped boundary by default)."""
    if not value:
        return None
    document = value.get("document") or BOUNDARY_DOCUMENT
    if isinstance(document, str):
        try:
            document = json.loads(document)
        except ValueError:
            raise ValidationError("permissions_boundary_policy.document", document, "is not JSON") from None
    if not isinstance(document, dict) or not document.get("Statement"):
        raise ValidationError("permissions_boundary_policy.document", document, "is not an IAM policy document")
    return dict(
        name=validate_policy_name(value.get("name") or BOUNDARY_POLICY_NAME, "permissions_boundary_policy.name"),
        path=validate_role_path(value.get("path") or "/", "permissions_boundary_policy.path"),
        document=document,
    )


def ensure_boundary_policy(
    client: Any,
    boundary: Dict[str, Any],
    tags: Optional[Dict[str, str]] = None,
    check_mode: bool = False,
    warn: Optional[Callable[[str], None]] = None,
) -> Dict[str, Any]:
    """The role's boundary policy exists: created (ownership-tagged) when missing, never changed
    (the pipeline's policy may create it but not change it: docs/iam/README.md). A policy that
    exists with another document is left as it is, with a warning. One read when it exists."""
    current = _get_managed_policy(client, boundary["arn"])
    if current is None and (check_mode or _create_boundary_policy(client, boundary, desired_tags(tags))):
        after = {"arn": boundary["arn"], "document": boundary["document"]}
        return dict(changed=True, arn=boundary["arn"], diff={"before": {}, "after": after})
    if current is None:  # made by another host of the same account, a moment ago
        return dict(changed=False, arn=boundary["arn"], diff={"before": {}, "after": {}})
    if warn:
        document = load_policy(_get_policy_version_document(client, boundary["arn"], current["DefaultVersionId"]))
        if policies_differ(document, boundary["document"]):
            warn(
                f"the permissions boundary {boundary['arn']} exists with another document than the one asked; "
                "it is left as it is (the pipeline may create it, never change it)"
            )
    return dict(changed=False, arn=boundary["arn"], diff={"before": {}, "after": {}})


def desired_state(
    name: str,
    provider_arns: Optional[List[str]],
    instance_arns: Optional[List[str]],
    saml_audiences: Optional[List[str]] = None,
    present: bool = True,
    partition: Optional[str] = None,
    **settings: Any,
) -> Dict[str, Any]:
    """The role as asked (with state: absent, its settings only), every input validated before any AWS call."""
    validated = role_settings(name, **settings)
    return with_documents(validated, provider_arns, instance_arns, saml_audiences, partition) if present else validated


UNREAD: Any = object()  # ensure(current=...) default: the role has not been read yet


def ensure(
    client: Any,
    desired: Dict[str, Any],
    present: bool = True,
    force: bool = False,
    check_mode: bool = False,
    current: Any = UNREAD,
) -> Dict[str, Any]:
    """The role as asked, and the module's result. current: the role as read_role read it in this
    run, if the caller did (None: no such role). A role or policy another run created meanwhile is
    read again."""
    first = [current]

    def attempt() -> Dict[str, Any]:
        known, first[0] = first[0], UNREAD  # a second attempt reads the role again
        return _ensure(client, desired, present, force, check_mode, known)

    return ensure_once_more_if_made_meanwhile(attempt)


def _ensure(
    client: Any, desired: Dict[str, Any], present: bool, force: bool, check_mode: bool, current: Any
) -> Dict[str, Any]:
    if current is UNREAD:
        current = read_role(client, desired)
    if not present:
        plan = plan_absent(current, desired["name"], force)
        if plan.changed and not check_mode:
            apply(client, plan, current, desired)
        return dict(changed=plan.changed, arn=None, diff=diff(describe(current), None))
    plan = plan_present(current, desired)
    arn = current["arn"] if current else None
    if plan.changed and not check_mode:
        arn = apply(client, plan, current, desired)
    tags = tags_after(current and current["tags"], plan.tags_to_set, plan.tags_to_remove)
    return dict(
        changed=plan.changed,
        arn=arn or role_arn(desired["account_id"], desired["name"], desired["path"], desired["partition"]),
        trust_policy=desired["trust_policy"],
        federation_policy=desired["federation_policy"],
        diff=diff(describe(current), describe(dict(desired, tags=tags))),
    )
