# -*- coding: utf-8 -*-
# Copyright: Contributors to the connect_sso.federation collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""IAM Identity Center through its public APIs (sso-admin, identitystore): the IdC context a
module works in, SAML applications by name or id, their tags, and principals by name.

Three things are called "instance" around here; this file keeps them apart:
- the IdC instance (Idc.instance_arn, arn:aws:sso:::instance/ssoins-...), one per organisation;
- an app's console id (App.console_id, ins-<hex>), the console API's name for the app;
- the Amazon Connect instance, which IdC never sees (see connect.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.tagging import (
    ansible_dict_to_boto3_tag_list,
    boto3_tag_list_to_ansible_dict,
)
from ansible_collections.connect_sso.federation.plugins.module_utils.arns import (
    application_id_to_instance_id,
    instance_id_to_application_id,
    parse_app_reference,
)
from ansible_collections.connect_sso.federation.plugins.module_utils.clients import AccountClients
from ansible_collections.connect_sso.federation.plugins.module_utils.console_facts import LISTED_CONFIG_FIELDS
from ansible_collections.connect_sso.federation.plugins.module_utils.errors import FederationError, ValidationError
from ansible_collections.connect_sso.federation.plugins.module_utils.idc_control import IdcControl
from ansible_collections.connect_sso.federation.plugins.module_utils.retries import aws_retry

# The provider of console-made custom SAML 2.0 apps (observed by others, docs/aws-facts.md).
CUSTOM_SAML_PROVIDER = "arn:aws:sso::aws:applicationProvider/custom-saml"
# The argument spec of `principals` (doc fragment connect_sso.federation.assertion.principals).
PRINCIPALS_SPEC = dict(
    type="list",
    elements="dict",
    default=[],
    options=dict(
        type=dict(type="str", choices=["GROUP", "USER"], required=True), name=dict(type="str"), id=dict(type="str")
    ),
)


class AnsibleIdcError(AnsibleAWSError):
    pass


class IdcErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleIdcError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("ResourceNotFoundException")


# --- the context ---------------------------------------------------------------------------------


@dataclass
class Idc:
    """IAM Identity Center as a module sees it: the clients of its account, the organisation's
    IdC instance, and the console API client (None with control_api: false)."""

    account: AccountClients
    instance_arn: str
    identity_store_id: str
    owner_account: str
    control: Optional[IdcControl] = None
    # What this run already read once for every host (run_facts): the custom SAML apps and the
    # principal ids by "TYPE:name". None / {}: read them here.
    apps: Optional[List["App"]] = None
    principal_ids: Dict[str, str] = field(default_factory=dict)

    @property
    def region(self) -> str:
        return self.account.region

    @property
    def sso(self) -> Any:
        return self.account.client("sso-admin")

    @property
    def identity_store(self) -> Any:
        return self.account.client("identitystore")


@IdcErrorHandler.common_error_handler("list IAM Identity Center instances")
@aws_retry
def _list_instances(client: Any) -> List[Dict[str, Any]]:
    return client.list_instances()["Instances"]


def connect_idc(account: AccountClients, control_api: bool = True, facts: Optional[Dict[str, Any]] = None) -> Idc:
    """The IdC context of an account and region; a clear error when that region has no IdC instance.

    With `facts` (run_facts of this run, for this region) nothing is read again."""
    control = IdcControl(account) if control_api else None
    if facts and facts.get("region") == account.region and facts.get("version") == FACTS_VERSION:
        return Idc(
            account=account,
            instance_arn=facts["instance_arn"],
            identity_store_id=facts["identity_store_id"],
            owner_account=facts["owner_account"],
            control=control,
            apps=[App(**app) for app in facts["apps"]],
            principal_ids=dict(facts["principal_ids"]),
        )
    instances = _list_instances(account.client("sso-admin"))
    if not instances:
        raise FederationError(
            f"region={account.region!r}: no IAM Identity Center instance is visible in this account and region; "
            "use the IdC home region of the organisation's management account (connect_sso_idc_region)"
        )
    return Idc(
        account=account,
        instance_arn=instances[0]["InstanceArn"],
        identity_store_id=instances[0]["IdentityStoreId"],
        owner_account=instances[0].get("OwnerAccountId", ""),
        control=control,
    )


FACTS_VERSION = 1  # the shape of run_facts' answer; a host given another shape reads for itself


def run_facts(idc: Idc, principals: List[Dict[str, Any]], group_pages: int = 0) -> Dict[str, Any]:
    """What every host of a run reads alike, read once (on the controller, by the idc_facts action):
    the IdC instance, its custom SAML apps and the ids of principals. With group_pages, every group
    on the first that many pages of the identity store's groups; then each name of `principals`
    not seen there, one by one. A name not found is left out: the host that names it reports it,
    naming its own option."""
    found, complete = _listed_groups(idc, group_pages) if group_pages else ({}, False)
    wanted = {(p["type"], p["name"]) for p in principals if p.get("name") and p.get("type") in _LOOKUP}
    for kind, name in sorted(wanted):
        if (kind, name) not in found and not (complete and kind == "GROUP"):
            found[(kind, name)] = _principal_id(idc, kind, name)
    configs = _console_configs(idc)
    return dict(
        version=FACTS_VERSION,
        region=idc.region,
        instance_arn=idc.instance_arn,
        identity_store_id=idc.identity_store_id,
        owner_account=idc.owner_account,
        apps=[dict(_listed(a), config=configs.get(a.console_id)) for a in list_saml_apps(idc)],
        principal_ids={f"{kind}:{name}": pid for (kind, name), pid in found.items() if pid},
    )


def _listed(app: "App") -> Dict[str, Any]:
    return dict(arn=app.arn, name=app.name, description=app.description, status=app.status)


def _console_configs(idc: Idc) -> Dict[str, Dict[str, Any]]:
    """console id -> the app's console answer, for the apps whose listing is complete (that a listing
    holds whole ApplicationInstances is inferred: a listed app without LISTED_CONFIG_FIELDS is read by
    its host); {} without the console API or when it cannot be read (each host then reads its own app)."""
    if idc.control is None:
        return {}
    try:
        listed = idc.control.list_apps()
    except (AnsibleAWSError, FederationError):
        return {}
    return {a["instanceId"]: a for a in listed if all(field in a for field in LISTED_CONFIG_FIELDS)}


@IdcErrorHandler.common_error_handler("list identity store groups")
@aws_retry
def _groups_page(idc: Idc, token: Optional[str]) -> Dict[str, Any]:
    options = {"NextToken": token} if token else {}
    return idc.identity_store.list_groups(IdentityStoreId=idc.identity_store_id, MaxResults=100, **options)


def _listed_groups(idc: Idc, pages: int) -> Tuple[Dict[Tuple[str, str], str], bool]:
    """({("GROUP", name): id} from at most `pages` pages of groups, whether that was all of them)."""
    found: Dict[Tuple[str, str], str] = {}
    token: Optional[str] = None
    for _page in range(pages):
        answer = _groups_page(idc, token)
        found.update({("GROUP", g["DisplayName"]): g["GroupId"] for g in answer["Groups"] if g.get("DisplayName")})
        token = answer.get("NextToken")
        if not token:
            return found, True
    return found, False


# --- applications --------------------------------------------------------------------------------


@dataclass
class App:
    """A custom SAML app, as the public API lists it; `config` (its console API answer) and
    `tags` are filled in by whoever reads them, so a later step need not read them again."""

    arn: str
    name: Optional[str]
    description: str = ""
    status: Optional[str] = None
    config: Optional[Dict[str, Any]] = None
    tags: Optional[Dict[str, str]] = field(default=None)

    @property
    def application_id(self) -> str:
        return self.arn.rsplit("/", 1)[1]

    @property
    def console_id(self) -> str:
        """The id the console API knows the app by (ins-<hex>: the same hex as apl-<hex>)."""
        return application_id_to_instance_id(self.application_id)


def _app(raw: Dict[str, Any]) -> App:
    return App(
        arn=raw["ApplicationArn"],
        name=raw.get("Name"),
        description=raw.get("Description") or "",
        status=raw.get("Status"),
    )


def list_saml_apps(idc: Idc, fresh: bool = False) -> List[App]:
    """The custom SAML apps of the IdC instance (as this run read them once, when it did, unless fresh)."""
    return list(idc.apps) if idc.apps is not None and not fresh else _list_saml_apps(idc)


@IdcErrorHandler.common_error_handler("list IAM Identity Center applications")
@aws_retry
def _list_saml_apps(idc: Idc) -> List[App]:
    pages = idc.sso.get_paginator("list_applications").paginate(
        InstanceArn=idc.instance_arn, Filter={"ApplicationProvider": CUSTOM_SAML_PROVIDER}
    )
    return [_app(a) for a in pages.build_full_result().get("Applications", [])]


@IdcErrorHandler.list_error_handler("describe IAM Identity Center application")
@aws_retry
def _describe_app(idc: Idc, arn: str) -> Optional[App]:
    return _app(idc.sso.describe_application(ApplicationArn=arn))


def app_arn(idc: Idc, console_id: str) -> str:
    """The public ARN of a console app (the same hex, docs/aws-facts.md)."""
    ssoins = idc.instance_arn.rsplit("/", 1)[1]
    partition = idc.instance_arn.split(":")[1]
    application_id = instance_id_to_application_id(console_id)
    return f"arn:{partition}:sso::{idc.owner_account}:application/{ssoins}/{application_id}"


def find_app_by_name(idc: Idc, name: str, option: str = "name") -> Optional[App]:
    matches = [a for a in list_saml_apps(idc) if a.name == name]
    if len(matches) > 1:
        raise ValidationError(
            option,
            name,
            "more than one SAML application has this display name ("
            + ", ".join(a.application_id for a in matches)
            + "), so the collection cannot tell which one to keep (two runs at once can make such a pair); "
            "delete all but one in the IAM Identity Center console (keep the one users are assigned to) or "
            "rename one, then run again",
        )
    return matches[0] if matches else None


def resolve_app(idc: Idc, reference: str, option: str = "app", check_mode: bool = False) -> Optional[App]:
    """The app an `app` option names (display name, apl-/ins- id or ARN); a clear error if none.

    In check mode an app named by display name that does not exist yet is None: an earlier
    sso_saml_app task would have created it (a compliance run on a fresh organisation)."""
    parsed = parse_app_reference(reference, option)
    if "display_name" in parsed:
        app = find_app_by_name(idc, parsed["display_name"], option)
        if app is None and check_mode:
            return None
    else:
        app = _describe_app(idc, parsed.get("arn") or app_arn(idc, parsed["instance_id"]))
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
@aws_retry
def _list_tags(idc: Idc, arn: str) -> Dict[str, str]:
    pages = idc.sso.get_paginator("list_tags_for_resource").paginate(InstanceArn=idc.instance_arn, ResourceArn=arn)
    return boto3_tag_list_to_ansible_dict(pages.build_full_result().get("Tags", []))


def app_tags(idc: Idc, app: App) -> Dict[str, str]:
    """The app's tags, read once and kept on the app."""
    if app.tags is None:
        app.tags = _list_tags(idc, app.arn)
    return app.tags


@IdcErrorHandler.common_error_handler("tag application")
@aws_retry
def set_tags(idc: Idc, arn: str, tags: Dict[str, str]) -> None:
    idc.sso.tag_resource(InstanceArn=idc.instance_arn, ResourceArn=arn, Tags=ansible_dict_to_boto3_tag_list(tags))


# --- principals -----------------------------------------------------------------------------------

_LOOKUP = {"USER": ("get_user_id", "UserName", "UserId"), "GROUP": ("get_group_id", "DisplayName", "GroupId")}


@IdcErrorHandler.list_error_handler("look up principal")
@aws_retry
def _principal_id(idc: Idc, principal_type: str, name: str) -> Optional[str]:
    method, path, key = _LOOKUP[principal_type]
    return getattr(idc.identity_store, method)(
        IdentityStoreId=idc.identity_store_id,
        AlternateIdentifier={"UniqueAttribute": {"AttributePath": path, "AttributeValue": name}},
    )[key]


def resolve_principals(idc: Idc, principals: List[Dict[str, Any]], option: str = "principals") -> List[Dict[str, Any]]:
    """[{type, id, name}] for principals given by name or id; an unknown name fails, naming it."""
    resolved = []
    for index, principal in enumerate(principals):
        kind = principal["type"]
        if bool(principal.get("name")) == bool(principal.get("id")):
            raise ValidationError(f"{option}[{index}]", principal, "give exactly one of name and id")
        if principal.get("id"):
            resolved.append({"type": kind, "id": principal["id"], "name": principal.get("name")})
            continue
        principal_id = idc.principal_ids.get(f"{kind}:{principal['name']}") or _principal_id(
            idc, kind, principal["name"]
        )
        if principal_id is None:
            what = "user with UserName" if kind == "USER" else "group with DisplayName"
            raise ValidationError(
                f"{option}[{index}].name",
                principal["name"],
                f"no IAM Identity Center {what} {principal['name']!r} in identity store {idc.identity_store_id}",
            )
        resolved.append({"type": kind, "id": principal_id, "name": principal["name"]})
    return resolved


# --- group members (connect_users) ----------------------------------------------------------------


@IdcErrorHandler.common_error_handler("list group members")
@aws_retry
def group_member_ids(idc: Idc, group_id: str) -> List[str]:
    """The ids of the users in a group (direct members; IdC groups do not nest)."""
    pages = idc.identity_store.get_paginator("list_group_memberships").paginate(
        IdentityStoreId=idc.identity_store_id, GroupId=group_id
    )
    memberships = pages.build_full_result().get("GroupMemberships", [])
    return [m["MemberId"]["UserId"] for m in memberships if "UserId" in (m.get("MemberId") or {})]


@IdcErrorHandler.list_error_handler("describe user")
@aws_retry
def describe_user(idc: Idc, user_id: str) -> Optional[Dict[str, Any]]:
    """An identity store user (UserName, Name, DisplayName, Emails, ...); None if it is gone."""
    return idc.identity_store.describe_user(IdentityStoreId=idc.identity_store_id, UserId=user_id)
