# -*- coding: utf-8 -*-
# Copyright: Contributors to the connect_sso.federation collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Assume each account's role once per run, on the controller (see the module stub for docs).

An action plugin, not a module: it runs in the controller process, so a run over hundreds
of accounts pays for one task, not one module process per account or per host.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from ansible.errors import AnsibleActionFail
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.plugins.action import ActionBase

try:
    import boto3
    from botocore.exceptions import BotoCoreError, ClientError

    HAS_BOTO3 = True
except ImportError:
    HAS_BOTO3 = False

ARGUMENT_SPEC = dict(
    role_arns=dict(type="list", elements="str", default=[]),
    profiles=dict(type="list", elements="str", default=[]),
    session_name=dict(type="str", default="connect-sso-federation"),
    duration_seconds=dict(type="int", default=3600),
    region=dict(type="str", default="us-east-1"),
    profile=dict(type="str"),
    endpoint_url=dict(type="str"),
)
MAX_PARALLEL = 8


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _requires_connection = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        validated = ArgumentSpecValidator(ARGUMENT_SPEC).validate(self._task.args)
        if validated.error_messages:
            raise AnsibleActionFail("account_credentials: " + "; ".join(validated.error_messages))
        if not HAS_BOTO3:
            raise AnsibleActionFail("account_credentials needs boto3 on the controller")
        args = validated.validated_parameters
        # keyed as later tasks look them up: the role ARN, or "profile:<name>"
        unique = {arn: {"role_arn": arn} for arn in args["role_arns"] if arn}
        unique.update({f"profile:{name}": {"profile": name} for name in args["profiles"] if name})
        session = boto3.session.Session(profile_name=args["profile"])
        sts = session.client("sts", region_name=args["region"], endpoint_url=args["endpoint_url"])

        def assume(account: dict) -> dict:
            if not account.get("role_arn"):
                # blank keys beside the profile: amazon.aws refuses a profile together with keys, and
                # AWS_ACCESS_KEY_ID & co. in the environment count as keys unless the options are set
                return {"profile": account.get("profile"), "access_key": "", "secret_key": "", "session_token": ""}
            try:
                answer = sts.assume_role(
                    RoleArn=account["role_arn"],
                    RoleSessionName=args["session_name"],
                    DurationSeconds=args["duration_seconds"],
                )
            except (ClientError, BotoCoreError) as error:
                raise AnsibleActionFail(f"role_arns: could not assume {account['role_arn']}: {error}") from None
            credentials = answer["Credentials"]
            return {
                "access_key": credentials["AccessKeyId"],
                "secret_key": credentials["SecretAccessKey"],
                "session_token": credentials["SessionToken"],
            }

        with ThreadPoolExecutor(max_workers=MAX_PARALLEL) as pool:
            answers = dict(zip(unique, pool.map(assume, unique.values()), strict=True))
        result.update(changed=False, credentials=answers, assumed=sorted(k for k in answers if k.startswith("arn:")))
        # each entry is exactly the AWS options of a module, so it can be passed as it is
        result["_ansible_no_log"] = True  # the result holds secrets; registered values stay usable
        return result
