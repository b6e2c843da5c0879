# -*- coding: utf-8 -*-
# Copyright: Contributors to the connect_sso.federation collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The doctor's links on the STS side (doctor.py walks them): the IAM SAML provider and its
metadata, the role's trust and permission policies (evaluated, policy_eval.py), and the app's
signing certificate. Read-only: every call here is a read."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Optional

from ansible_collections.amazon.aws.plugins.module_utils.iam import get_iam_role
from ansible_collections.connect_sso.federation.plugins.module_utils.doctor_walk import Walk
from ansible_collections.connect_sso.federation.plugins.module_utils.errors import FederationError
from ansible_collections.connect_sso.federation.plugins.module_utils.federation_role import (
    managed_policy_document,
    policy_documents,
)
from ansible_collections.connect_sso.federation.plugins.module_utils.partitions import acs_url
from ansible_collections.connect_sso.federation.plugins.module_utils.policy_eval import (
    ALLOW,
    DENY,
    UNKNOWN,
    Request,
    evaluate,
)
from ansible_collections.connect_sso.federation.plugins.module_utils.saml_app import derived_metadata_url
from ansible_collections.connect_sso.federation.plugins.module_utils.saml_metadata import (
    EXPIRY_WARNING_DAYS,
    fetch_metadata,
    parse_metadata,
)
from ansible_collections.connect_sso.federation.plugins.module_utils.saml_provider import (
    find_provider,
    stored_metadata,
)

RERUN = "or run site.yml for this host"
# Any session name serves: the federation policy names the user as ${aws:userid} (docs/aws-facts.md).
PROBE_SESSION = "doctor@example.com"


def check_provider(walk: Walk) -> None:
    name = walk.provider_arn.rsplit("/", 1)[-1]
    walk.provider = find_provider(walk.member.client("iam"), name, arn=walk.provider_arn)
    if walk.provider is None:
        walk.error(
            "provider",
            f"Specified provider doesn't exist ({walk.provider_arn})",
            f"create the IAM SAML provider {name} from {walk.app_name}'s metadata {RERUN}, or make the app's Role "
            "attribute name the provider that holds that metadata",
        )


def _read_app_metadata(walk: Walk) -> None:
    """The app's current metadata, from its metadata URL (read without credentials)."""
    if walk.metadata_url:
        return
    url = (walk.config.get("identityProviderConfig") or {}).get("metadataUrl") or derived_metadata_url(
        walk.idc.sso.meta.endpoint_url, walk.idc.region, walk.idc.owner_account, walk.app.console_id
    )
    walk.metadata_url = url
    try:
        walk.app_metadata = parse_metadata(fetch_metadata(url), "the application's metadata", allow_expired=True)
    except FederationError as error:
        walk.warning(
            "provider_metadata",
            f"the application's metadata could not be read ({error}): provider and certificate not compared",
            "check that the controller can reach the metadata URL (IAM Identity Center console > Applications > "
            f"{walk.app_name} > IAM Identity Center SAML metadata file)",
        )


def check_provider_metadata(walk: Walk) -> None:
    _read_app_metadata(walk)
    if walk.provider is None or walk.app_metadata is None:
        return
    fix = f"update the provider with the metadata at {walk.metadata_url} (IAM console > Identity providers), {RERUN}"
    stored = stored_metadata(walk.provider)
    if stored is None:
        walk.error("provider_metadata", "the provider's metadata cannot be read as SAML metadata", fix)
    elif stored.entity_id != walk.app_metadata.entity_id:
        walk.error(
            "provider_metadata",
            f"Issuer not present in specified provider: the provider holds the metadata of issuer "
            f"{stored.entity_id}, not {walk.app_name}'s ({walk.app_metadata.entity_id}): another app's metadata",
            fix,
        )
    elif not {c.sha256_fingerprint for c in walk.app_metadata.signing_certificates} & {
        c.sha256_fingerprint for c in stored.signing_certificates
    }:
        walk.error(
            "provider_metadata",
            "Response signature invalid: the provider holds another certificate than the one "
            f"{walk.app_name} signs with (a certificate rotated in IAM Identity Center, not yet in IAM)",
            fix,
        )


def _role_fix(walk: Walk, what: str) -> str:
    return f"{what} (IAM console > Roles > {walk.role_arn.rsplit('/', 1)[-1]}), {RERUN} (connect_federation_role)"


def check_role_trust(walk: Walk) -> None:
    name = walk.role_arn.rsplit("/", 1)[-1]
    role = get_iam_role(walk.member.client("iam"), name)
    audience = walk.acs or walk.params.get("acs_url") or acs_url(walk.idc.region)
    want = f"allow sts:AssumeRoleWithSAML for Federated {walk.provider_arn} with SAML:aud {audience}"
    if role is None or role["Arn"] != walk.role_arn:
        walk.error(
            "role_trust",
            f"Not authorized to perform sts:AssumeRoleWithSAML on {walk.role_arn} (the role does not exist)",
            _role_fix(walk, f"create the role, trusted to {want}"),
        )
        return
    walk.role = role
    request = Request(
        "sts:AssumeRoleWithSAML", principal={"Federated": walk.provider_arn}, context={"SAML:aud": audience}
    )
    decision = evaluate([role["AssumeRolePolicyDocument"]], request)
    if decision.effect == UNKNOWN:
        walk.warning("role_trust", f"the trust policy could not be evaluated ({decision.statement})", want)
    elif decision.effect != ALLOW:
        why = (
            f"{decision.statement} of its trust policy denies it"
            if decision.effect == DENY
            else "no statement allows it"
        )
        walk.error(
            "role_trust",
            f"Not authorized to perform sts:AssumeRoleWithSAML on {walk.role_arn}: {why} for provider "
            f"{walk.provider_arn} and SAML:aud {audience}",
            _role_fix(walk, f"make its trust policy {want}"),
        )


def check_role_policy(walk: Walk) -> None:
    if walk.role is None:
        return  # role_trust said it does not exist
    iam, role = walk.member.client("iam"), walk.role
    user_id = f"{role['RoleId']}:{PROBE_SESSION}"
    request = Request(
        "connect:GetFederationToken",
        resource=f"{walk.instance['arn']}/user/{user_id}",
        context={"connect:InstanceId": walk.instance["id"], "aws:userid": user_id, "aws:PrincipalArn": role["Arn"]},
    )
    decisions = [("the role's policies", evaluate(policy_documents(iam, role["RoleName"]).values(), request))]
    boundary = (role.get("PermissionsBoundary") or {}).get("PermissionsBoundaryArn")
    if boundary:
        decisions.append(
            (f"its permissions boundary {boundary}", evaluate([managed_policy_document(iam, boundary)], request))
        )
    fix = _role_fix(walk, f"allow connect:GetFederationToken on {walk.instance['arn']}/user/${{aws:userid}}")
    for where, decision in decisions:
        if decision.effect == UNKNOWN:
            walk.warning("role_policy", f"{where} could not be evaluated ({decision.statement})", fix)
        elif decision.effect != ALLOW:
            why = f"{decision.statement} in {where} denies" if decision.effect == DENY else f"nothing in {where} allows"
            walk.error(
                "role_policy",
                "Access denied, Please contact your AWS account administrator: "
                f"{why} connect:GetFederationToken on this instance for {walk.role_arn}",
                fix,
            )
            return


def check_certificate_expiry(walk: Walk, now: Optional[datetime] = None) -> None:
    _read_app_metadata(walk)
    if walk.app_metadata is None:
        return
    now = now or datetime.now(timezone.utc)
    fix = (
        f"IAM Identity Center console > Applications > {walk.app_name} > Actions > Edit configuration: add a new "
        "certificate and make it active, then run site.yml so every IAM provider gets the new metadata"
    )
    for cert in walk.app_metadata.signing_certificates:
        until = cert.not_after.astimezone(timezone.utc).strftime("%Y-%m-%d")
        if cert.not_after <= now:
            walk.error(
                "certificate_expiry",
                f"the application's signing certificate expired on {until}: STS refuses assertions it signs",
                fix,
            )
        elif cert.not_after <= now + timedelta(days=EXPIRY_WARNING_DAYS):
            walk.warning(
                "certificate_expiry",
                f"the application's signing certificate expires on {until}, in less than {EXPIRY_WARNING_DAYS} days",
                fix,
            )
