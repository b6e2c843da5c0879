"""Two site.yml runs at once over a fresh sandbox: each instance ends with exactly one app, one provider
and one role, and a third run changes nothing. A race that makes a second app with the same name is
reported, naming both ids and how to fix it; the test then fixes it as the message says and checks
the end state."""

from __future__ import annotations

import re
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from emulator.sandbox import INSTANCES, ROOT_ACCOUNT

pytestmark = pytest.mark.slow
SITE = Path(__file__).resolve().parents[2] / "site.yml"
TASK = "Federate the Connect instance with IAM Identity Center"
APPS = {f"AmazonConnect-{i.env.upper()}-{i.region}": i for i in INSTANCES}


def app_ids_by_name(emulator) -> dict[str, list[str]]:
    sso = emulator.session(ROOT_ACCOUNT).client("sso-admin", endpoint_url=emulator.endpoint)
    instance_arn = emulator.topology()["idc"]["instance_arn"]
    found: dict[str, list[str]] = {}
    for page in sso.get_paginator("list_applications").paginate(InstanceArn=instance_arn):
        for app in page["Applications"]:
            found.setdefault(app["Name"], []).append(app["ApplicationArn"])
    return found


def iam_names(emulator, account: str) -> tuple[list[str], list[str]]:
    iam = emulator.session(account).client("iam", endpoint_url=emulator.endpoint)
    providers = [p["Arn"].rsplit("/", 1)[1] for p in iam.list_saml_providers()["SAMLProviderList"]]
    roles = [r["RoleName"] for r in iam.list_roles()["Roles"] if r["RoleName"].startswith("AmazonConnect_")]
    return providers, roles


def test_two_runs_at_once_end_with_one_app_provider_and_role_per_instance(playbook, emulator):
    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = list(pool.map(lambda _n: playbook(SITE), range(2)))
    duplicates = {name: arns for name, arns in app_ids_by_name(emulator).items() if len(arns) > 1}
    for run in runs:
        for host, result in run.task_results(TASK).items():
            if result.get("failed"):
                message = result["msg"]
                # the only failure a race may cause: a clear report of the duplicate, with the fix
                assert "more than one SAML application has this display name" in message, (host, message)
                assert "delete" in message or "rename" in message, message
                ids = re.findall(r"apl-[0-9a-f]{16}", message)
                assert len(ids) >= 2, message
    if duplicates:  # fix it as the message says: keep the first, delete the others
        sso = emulator.session(ROOT_ACCOUNT).client("sso-admin", endpoint_url=emulator.endpoint)
        for arns in duplicates.values():
            for arn in arns[1:]:
                sso.delete_application(ApplicationArn=arn)
        assert playbook(SITE).rc == 0
    # the end state: exactly one of each per instance
    apps = app_ids_by_name(emulator)
    assert {name: len(arns) for name, arns in apps.items()} == dict.fromkeys(APPS, 1)
    for account in {i.account for i in INSTANCES}:
        providers, roles = iam_names(emulator, account)
        mine = [i for i in INSTANCES if i.account == account]
        assert Counter(providers) == Counter(f"AWSSSO_{i.env.upper()}_{i.region}_Connect" for i in mine)
        assert Counter(roles) == Counter(f"AmazonConnect_{i.env.upper()}_{i.region}_Role" for i in mine)
    mark = emulator.mark()
    third = playbook(SITE)
    assert third.rc == 0, third.stdout[-3000:]
    assert third.total("changed") == 0
    assert emulator.writes(since=mark) == []
    for user, host in (("dana.dev", "dev-east"), ("paula.prod", "prod-west")):
        assert emulator.admin("POST", "/signin", {"user": user, "host": host})["ok"]
