# -*- coding: utf-8 -*-
# Copyright: Contributors to the connect_sso.federation collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Assume each account's role once per run, on the controller (see the module stub for docs).

An action plugin, not a module: it runs in the controller process, so a run over hundreds
of accounts pays for one task, not one module process per account or per host. It also hands
each play host the credentials its modules use (its "hosts" result), so roles look them up in one place.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Dict, Iterable, Mapping, Optional

from ansible.errors import AnsibleActionFail
from ansible_collections.connect_sso.federation.plugins.module_utils.arns import validate_arn
from ansible_collections.connect_sso.federation.plugins.module_utils.errors import ValidationError
from ansible_collections.connect_sso.federation.plugins.module_utils.retries import aws_retry
from ansible_collections.connect_sso.federation.plugins.plugin_utils.controller_action import ControllerAction

try:
    import boto3
    from botocore.exceptions import BotoCoreError, ClientError
except ImportError:
    pass  # ControllerAction.validated_args reports it

# The accounts a host acts in, each named by the inventory contract's variables: a role to assume,
# else a profile of the controller's AWS config, else (neither) the ambient credentials.
HOST_ACCOUNTS = {
    "member": ("connect_account_role_arn", "connect_account_profile"),  # the account of the host's instance
    "idc": ("connect_sso_idc_role_arn", "connect_sso_idc_profile"),  # the IAM Identity Center account
}
ARGUMENT_SPEC = dict(
    role_arns=dict(type="list", elements="str", default=[]),
    profiles=dict(type="list", elements="str", default=[]),
    hosts=dict(type="list", elements="str", default=[]),
    host_accounts=dict(type="list", elements="str", choices=list(HOST_ACCOUNTS), default=list(HOST_ACCOUNTS)),
    session_name=dict(type="str", default="connect-sso-federation"),
    duration_seconds=dict(type="int", default=3600),
    region=dict(type="str", default="us-east-1"),
    profile=dict(type="str"),
    endpoint_url=dict(type="str"),
)
MAX_PARALLEL = 8
PROFILE_PREFIX = "profile:"


def account_key(role_arn: Optional[str] = None, profile: Optional[str] = None) -> Optional[str]:
    """An account's key in the "credentials" result: its role ARN, else "profile:<name>", else None (ambient credentials).

    The role wins when both are set; a blank value counts as unset.
    """
    if role_arn:
        return role_arn
    if profile:
        return PROFILE_PREFIX + profile
    return None


def host_account_keys(
    hostvars: Mapping, hosts: Iterable[str], kinds: Iterable[str]
) -> Dict[str, Dict[str, Optional[str]]]:
    """host -> account kind (member, idc) -> the account's key, read from each host's inventory variables."""
    keys: Dict[str, Dict[str, Optional[str]]] = {}
    for host in hosts:
        if host not in hostvars:
            raise AnsibleActionFail(f"account_credentials: hosts: {host!r} is not a host of the inventory")
        variables = hostvars[host]
        keys[host] = {}
        for kind in kinds:
            role_variable, profile_variable = HOST_ACCOUNTS[kind]
            keys[host][kind] = account_key(variables.get(role_variable), variables.get(profile_variable))
    return keys


def named_by(key: str, per_host: Mapping[str, Mapping[str, Optional[str]]], role_arns: Iterable[str]) -> str:
    """Where a role comes from, for messages: 'connect_account_role_arn of dev-east, qa-east' or 'role_arns'."""
    sources: Dict[str, list] = {}
    for host, accounts in per_host.items():
        for kind, account in accounts.items():
            if account == key:
                sources.setdefault(HOST_ACCOUNTS[kind][0], []).append(host)
    names = [
        f"{variable} of {', '.join(hosts[:5])}{' and more' if len(hosts) > 5 else ''}"
        for variable, hosts in sources.items()
    ]
    if key in role_arns:
        names.append("role_arns")
    return "; ".join(names) or "role_arns"


def profile_options(key: str) -> Dict[str, str]:
    """The AWS options of a module for an account given by profile: the profile, with blank keys.

    Blank keys beside a profile: amazon.aws refuses a profile together with keys, and AWS_ACCESS_KEY_ID
    & co. in the environment count as keys unless the options are set.
    """
    return {"profile": key[len(PROFILE_PREFIX) :], "access_key": "", "secret_key": "", "session_token": ""}


def role_options(credentials: Mapping[str, str]) -> Dict[str, str]:
    """The AWS options of a module for an assumed role: STS AssumeRole's temporary keys."""
    return {
        "access_key": credentials["AccessKeyId"],
        "secret_key": credentials["SecretAccessKey"],
        "session_token": credentials["SessionToken"],
    }


class ActionModule(ControllerAction):
    NAME = "account_credentials"
    ARGUMENT_SPEC = ARGUMENT_SPEC

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        args = self.validated_args()
        per_host = host_account_keys((task_vars or {}).get("hostvars", {}), args["hosts"], args["host_accounts"])
        keys = [account_key(role_arn=arn) for arn in args["role_arns"]]
        keys += [account_key(profile=name) for name in args["profiles"]]
        keys += [key for accounts in per_host.values() for key in accounts.values()]
        unique = list(dict.fromkeys(key for key in keys if key))  # one AssumeRole per distinct role, in order
        for key in unique:  # a role that is not an ARN fails here, naming where it came from, before any call
            if not key.startswith(PROFILE_PREFIX):
                try:
                    validate_arn(key, named_by(key, per_host, args["role_arns"]), "role")
                except ValidationError as error:
                    raise AnsibleActionFail(f"account_credentials: {error}") from None
        session = boto3.session.Session(profile_name=args["profile"])
        sts = session.client("sts", region_name=args["region"], endpoint_url=args["endpoint_url"])

        def assume(key: str) -> Dict[str, str]:
            if key.startswith(PROFILE_PREFIX):
                return profile_options(key)  # botocore uses the profile itself: no call here
            try:
                answer = aws_retry(sts.assume_role)(  # throttling and 5xx: the collection's one retry policy
                    RoleArn=key, RoleSessionName=args["session_name"], DurationSeconds=args["duration_seconds"]
                )
            except (ClientError, BotoCoreError) as error:
                raise AnsibleActionFail(
                    f"account_credentials: could not assume {key} ({named_by(key, per_host, args['role_arns'])}), "
                    f"so no host of this run can go on: {error}"
                ) from None
            return role_options(answer["Credentials"])

        with ThreadPoolExecutor(max_workers=MAX_PARALLEL) as pool:
            answers = dict(zip(unique, pool.map(assume, unique), strict=True))
        result.update(
            changed=False,
            credentials=answers,
            assumed=sorted(key for key in answers if not key.startswith(PROFILE_PREFIX)),
            # each entry is exactly the AWS options of a module ({} for the ambient credentials),
            # so a task passes it as it is, e.g. as its module_defaults group
            hosts={
                host: {kind: dict(answers[key]) if key else {} for kind, key in accounts.items()}
                for host, accounts in per_host.items()
            },
        )
        result["_ansible_no_log"] = True  # the result holds secrets; registered values stay usable
        return result
