# -*- coding: utf-8 -*-
# Copyright: Contributors to the connect_sso.federation collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The IAM SAML provider that holds an IdC app's metadata: read it, plan the change, apply it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional

from ansible_collections.amazon.aws.plugins.module_utils.iam import IAMErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.tagging import (
    ansible_dict_to_boto3_tag_list,
    boto3_tag_list_to_ansible_dict,
)
from ansible_collections.connect_sso.federation.plugins.module_utils.arns import saml_provider_arn
from ansible_collections.connect_sso.federation.plugins.module_utils.errors import ValidationError
from ansible_collections.connect_sso.federation.plugins.module_utils.module_support import (
    Plan,
    desired_tags,
    ensure_once_more_if_made_meanwhile,
    plan_tags,
    require_owned,
    tags_after,
)
from ansible_collections.connect_sso.federation.plugins.module_utils.retries import aws_retry
from ansible_collections.connect_sso.federation.plugins.module_utils.saml_metadata import (
    Metadata,
    certificate_summary,
    certificates_expiring,
    fetch_metadata,
    parse_metadata,
    same_metadata,
)

# --- AWS calls (one each, retried, errors wrapped) ---------------------------------------------


@IAMErrorHandler.common_error_handler("list SAML providers")
@aws_retry
def list_provider_arns(client: Any) -> List[str]:
    return [p["Arn"] for p in client.list_saml_providers()["SAMLProviderList"]]


@IAMErrorHandler.common_error_handler("get caller identity")
@aws_retry
def caller_account_id(sts_client: Any) -> str:
    """The account the credentials act in (STS GetCallerIdentity, a read that needs no permission)."""
    return sts_client.get_caller_identity()["Account"]


@IAMErrorHandler.list_error_handler("get SAML provider")
@aws_retry
def _get_provider(client: Any, arn: str) -> Dict[str, Any]:
    return client.get_saml_provider(SAMLProviderArn=arn)


@IAMErrorHandler.common_error_handler("create SAML provider")
@aws_retry
def _create_provider(client: Any, name: str, document: str, tags: Dict[str, str]) -> str:
    return client.create_saml_provider(
        Name=name, SAMLMetadataDocument=document, Tags=ansible_dict_to_boto3_tag_list(tags)
    )["SAMLProviderArn"]


@IAMErrorHandler.common_error_handler("update SAML provider metadata")
@aws_retry
def _update_provider(client: Any, arn: str, document: str) -> None:
    client.update_saml_provider(SAMLProviderArn=arn, SAMLMetadataDocument=document)


@IAMErrorHandler.common_error_handler("tag SAML provider")
@aws_retry
def _tag_provider(client: Any, arn: str, tags: Dict[str, str]) -> None:
    client.tag_saml_provider(SAMLProviderArn=arn, Tags=ansible_dict_to_boto3_tag_list(tags))


@IAMErrorHandler.common_error_handler("untag SAML provider")
@aws_retry
def _untag_provider(client: Any, arn: str, keys: List[str]) -> None:
    client.untag_saml_provider(SAMLProviderArn=arn, TagKeys=keys)


@IAMErrorHandler.deletion_error_handler("delete SAML provider")
@aws_retry
def _delete_provider(client: Any, arn: str) -> None:
    client.delete_saml_provider(SAMLProviderArn=arn)


def find_provider(client: Any, name: str, arn: Optional[str] = None) -> Optional[Dict[str, Any]]:
    """The provider with this name in the caller's account: {arn, metadata, tags, valid_until}.

    With its ARN known (the chain knows the account), one GetSAMLProvider; else the account's
    providers are listed to find the name."""
    if arn is None:
        arn = next((a for a in list_provider_arns(client) if a.endswith(f":saml-provider/{name}")), None)
    raw = _get_provider(client, arn) if arn else None
    if raw is None:
        return None
    valid_until = raw.get("ValidUntil")
    return {
        "arn": arn,
        "metadata": raw.get("SAMLMetadataDocument"),
        "tags": boto3_tag_list_to_ansible_dict(raw.get("Tags", [])),
        "valid_until": valid_until.isoformat() if hasattr(valid_until, "isoformat") else valid_until,
    }


def stored_metadata(current: Optional[Dict[str, Any]]) -> Optional[Metadata]:
    """The provider's metadata as stored in IAM, parsed; None when absent or unreadable (then it is replaced)."""
    if not current or not current.get("metadata"):
        return None
    try:
        return parse_metadata(current["metadata"], "current provider metadata", allow_expired=True)
    except ValidationError:
        return None


# --- desired state --------------------------------------------------------------------------


def read_metadata_source(params: Dict[str, Any]) -> str:
    """The metadata document from `metadata`, `metadata_path` or `metadata_url`."""
    if params.get("metadata"):
        return params["metadata"]
    if params.get("metadata_path"):
        try:
            with open(params["metadata_path"], "rb") as handle:
                raw = handle.read()
        except OSError as error:
            raise ValidationError(
                "metadata_path", params["metadata_path"], f"cannot be read ({error.strerror})"
            ) from None
        if raw.startswith(b"\xef\xbb\xbf"):
            raise ValidationError(
                "metadata_path", params["metadata_path"], "starts with a UTF-8 byte order mark; IAM rejects it"
            )
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            raise ValidationError("metadata_path", params["metadata_path"], "is not UTF-8 text") from None
    return fetch_metadata(params["metadata_url"], "metadata_url")


def describe(name: str, metadata: Optional[Metadata], tags: Optional[Dict[str, str]]) -> Dict[str, Any]:
    """What the diff shows of a provider: what matters to sign-in, not the XML."""
    if metadata is None:
        return {}
    return {
        "name": name,
        "entity_id": metadata.entity_id,
        "signing_certificates": [c.sha256_fingerprint for c in metadata.signing_certificates],
        "tags": dict(sorted((tags or {}).items())),
    }


@dataclass
class ProviderPlan(Plan):
    """What to do to a provider; computed from current and desired state, without AWS."""

    create: bool = False
    update_metadata: bool = False
    delete: bool = False
    tags_to_set: Dict[str, str] = field(default_factory=dict)
    tags_to_remove: List[str] = field(default_factory=list)


def plan_present(
    current: Optional[Dict[str, Any]], desired: Metadata, user_tags: Optional[Dict[str, str]], purge_tags: bool
) -> ProviderPlan:
    plan = ProviderPlan()
    if current is None:
        plan.create = True
        plan.tags_to_set = desired_tags(user_tags)
        return plan
    plan.update_metadata = not same_metadata(current["metadata"], desired)
    plan.tags_to_set, plan.tags_to_remove = plan_tags(current["tags"], user_tags, purge_tags)
    return plan


def plan_absent(current: Optional[Dict[str, Any]], force: bool, name: str) -> ProviderPlan:
    plan = ProviderPlan()
    if current is not None:
        require_owned(current["tags"], force, name, "SAML provider")
        plan.delete = True
    return plan


def apply(
    client: Any, name: str, plan: ProviderPlan, current: Optional[Dict[str, Any]], document: str
) -> Optional[str]:
    """Make the planned writes; returns the provider ARN (None once deleted)."""
    if plan.delete:
        _delete_provider(client, current["arn"])
        return None
    if plan.create:
        return _create_provider(client, name, document, plan.tags_to_set)
    arn = current["arn"]
    if plan.update_metadata:
        _update_provider(client, arn, document)
    if plan.tags_to_set:
        _tag_provider(client, arn, plan.tags_to_set)
    if plan.tags_to_remove:
        _untag_provider(client, arn, plan.tags_to_remove)
    return arn


def result(arn: Optional[str], metadata: Optional[Metadata], valid_until: Optional[str]) -> Dict[str, Any]:
    """The module's public return values."""
    if metadata is None:
        return {"arn": arn, "entity_id": None, "certificates": [], "valid_until": valid_until}
    return {
        "arn": arn,
        "entity_id": metadata.entity_id,
        "certificates": [certificate_summary(c) for c in metadata.signing_certificates],
        "valid_until": valid_until,
    }


def ensure(
    client: Any,
    name: str,
    document: Optional[str],
    option: str = "metadata",
    tags: Optional[Dict[str, str]] = None,
    purge_tags: bool = True,
    force: bool = False,
    check_mode: bool = False,
    warn: Any = None,
    account_id: Optional[Callable[[], str]] = None,
    partition: str = "aws",
    known_arn: Optional[str] = None,
) -> Dict[str, Any]:
    """The provider as asked (present with `document`, absent without), and the module's result.

    account_id is called only in check mode when the provider does not exist yet, to predict the
    ARN a later task (the role's trust policy) needs; a real run gets the ARN from IAM.
    known_arn: the ARN the provider has if it exists, when the caller knows the account.
    A provider another run created meanwhile is read again (module_support.ensure_once_more_if_made_meanwhile)."""
    desired = parse_metadata(document, option) if document is not None else None
    for cert in certificates_expiring(desired) if desired else []:
        if warn:
            warn(
                f"{name}: signing certificate {cert.subject} expires on {cert.not_after.date()}; "
                "rotate it in IAM Identity Center and run again"
            )
    return ensure_once_more_if_made_meanwhile(
        lambda: _ensure(
            client, name, document, desired, tags, purge_tags, force, check_mode, account_id, partition, known_arn
        )
    )


def _ensure(
    client: Any,
    name: str,
    document: Optional[str],
    desired: Optional[Metadata],
    tags: Optional[Dict[str, str]],
    purge_tags: bool,
    force: bool,
    check_mode: bool,
    account_id: Optional[Callable[[], str]],
    partition: str,
    known_arn: Optional[str],
) -> Dict[str, Any]:
    current = find_provider(client, name, known_arn)
    plan = plan_present(current, desired, tags, purge_tags) if desired else plan_absent(current, force, name)
    arn, valid_until = (current["arn"], current["valid_until"]) if current else (None, None)
    if plan.changed and not check_mode:
        arn = apply(client, name, plan, current, document)
        if arn and (plan.create or plan.update_metadata):
            valid_until = find_provider(client, name, arn)["valid_until"]
    elif plan.create and account_id is not None:
        arn = saml_provider_arn(account_id(), name, partition)
    before = describe(name, stored_metadata(current), (current or {}).get("tags"))
    after = describe(name, desired, tags_after(current and current["tags"], plan.tags_to_set, plan.tags_to_remove))
    return dict(result(arn, desired, valid_until), changed=plan.changed, diff={"before": before, "after": after})
