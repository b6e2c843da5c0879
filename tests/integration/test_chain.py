"""The chain module (connect_federation) called directly, in this process, against the emulator:
converge, rerun, check mode and the per-run IdC facts, without a playbook around it.
What only a playbook shows (roles, -l, module processes, hosts sharing one run) is in test_site."""

from __future__ import annotations

from collections import Counter

import pytest
from ansible_collections.connect_sso.federation.plugins.module_utils.clients import clients_for
from ansible_collections.connect_sso.federation.plugins.module_utils.idc import connect_idc, run_facts

from emulator.sandbox import ACCOUNTS, ROOT_ACCOUNT

DEV = ACCOUNTS["dev"]
GROUPS = [{"type": "GROUP", "name": "connect-dev-agents"}, {"type": "GROUP", "name": "connect-dev-admins"}]
# reads that per-run facts stand in for
SHARED_READS = {
    ("sso-admin", "ListInstances"),
    ("sso-admin", "ListApplications"),
    ("identitystore", "GetGroupId"),
    ("sso-control", "GetApplicationInstance"),
}


@pytest.fixture
def chain(run_module, dev_east_chain_args):
    """chain(check=False, **options) -> ModuleRun of connect_federation for dev-east (both dev groups assigned)."""

    def run(check: bool = False, account: str = DEV, **options):
        args = {**dev_east_chain_args, "principals": GROUPS, **options}
        return run_module("connect_federation", args, account=account, region="us-east-1", check=check, diff=check)

    return run


def facts(emulator, idc_credentials, region: str = "us-east-1") -> dict:
    """What the idc_facts action hands every host, read the same way (idc.run_facts)."""
    account = clients_for(region, emulator.endpoint, credentials=idc_credentials)
    return run_facts(connect_idc(account), GROUPS)


def calls(emulator, since: int) -> Counter:
    return Counter((r["service"], r["operation"]) for r in emulator.requests(since=since))


def test_converges_then_a_rerun_writes_nothing_and_check_mode_writes_nothing(chain, emulator):
    first = chain()
    assert not first.failed, first.msg
    assert first.result["changed"] and all(first.result[s]["changed"] for s in ("app", "provider", "role"))
    mark = emulator.mark()
    again = chain()
    assert (again.failed, again.result["changed"]) == (False, False)
    assert emulator.writes(since=mark) == []
    checked = chain(check=True)
    assert (checked.failed, checked.result["changed"]) == (False, False)
    assert emulator.writes(since=mark) == []


def test_check_mode_on_a_fresh_organisation_writes_nothing_and_reports_every_step(chain, emulator):
    mark = emulator.mark()
    out = chain(check=True)
    assert not out.failed, out.msg
    assert all(out.result[s]["changed"] for s in ("app", "provider", "role", "attributes", "assignments"))
    assert emulator.writes(since=mark) == []


def test_with_the_runs_facts_the_chain_reads_no_shared_fact_again(chain, emulator, idc_credentials):
    chain()
    shared = facts(emulator, idc_credentials)
    assert shared["principal_ids"].keys() == {"GROUP:connect-dev-agents", "GROUP:connect-dev-admins"}
    (app,) = [a for a in shared["apps"] if a["name"] == "AmazonConnect-DEV-us-east-1"]
    assert app["config"]["serviceProviderConfig"]  # the console listing's answer stands in for a GetApplicationInstance
    mark = emulator.mark()
    out = chain(idc_facts=shared)
    assert (out.failed, out.result["changed"]) == (False, False)
    assert not SHARED_READS & set(calls(emulator, mark))
    # the provider is read by its ARN, not found by listing the account's providers
    assert calls(emulator, mark)[("iam", "ListSAMLProviders")] == 0


def test_facts_of_another_region_are_ignored_and_the_answer_is_the_same(chain, emulator, idc_credentials):
    chain()
    elsewhere = dict(facts(emulator, idc_credentials), region="us-west-2", apps=[], principal_ids={})
    mark = emulator.mark()
    out = chain(idc_facts=elsewhere)
    assert (out.failed, out.result["changed"]) == (False, False)
    assert set(calls(emulator, mark)) >= SHARED_READS


def test_a_name_the_facts_do_not_hold_is_looked_up_by_the_host(chain, emulator, idc_credentials):
    shared = dict(facts(emulator, idc_credentials), principal_ids={})
    mark = emulator.mark()
    out = chain(idc_facts=shared)
    assert not out.failed, out.msg
    assert calls(emulator, mark)[("identitystore", "GetGroupId")] == len(GROUPS)
    assigned = {a["name"] for a in out.result["assignments"]["assigned"]}
    assert assigned == {g["name"] for g in GROUPS}


def test_run_facts_list_the_groups_once_and_look_up_only_names_beyond_the_pages_read(emulator, aws):
    emulator.reset(seed="scale:120")  # 120 agents groups: two pages of 100
    frozen = aws(ROOT_ACCOUNT).get_credentials().get_frozen_credentials()
    credentials = {"access_key": frozen.access_key, "secret_key": frozen.secret_key, "session_token": frozen.token}
    account = clients_for("us-east-1", emulator.endpoint, credentials=credentials)
    idc = connect_idc(account, control_api=False)
    wanted = [{"type": "GROUP", "name": f"connect-scale-{n:04d}-agents"} for n in (1, 120)]
    wanted.append({"type": "GROUP", "name": "no-such-group"})
    first_page = account.client("identitystore").list_groups(IdentityStoreId=idc.identity_store_id, MaxResults=100)
    on_first_page = {g["DisplayName"] for g in first_page["Groups"]}
    beyond = [w for w in wanted if w["name"] not in on_first_page]  # the unknown name among them

    mark = emulator.mark()
    everything = run_facts(idc, wanted, group_pages=5)
    assert (
        calls(emulator, mark)[("identitystore", "ListGroups")],
        calls(emulator, mark)[("identitystore", "GetGroupId")],
    ) == (2, 0)  # complete: no look-up
    assert len(everything["principal_ids"]) == 120 and "GROUP:no-such-group" not in everything["principal_ids"]

    mark = emulator.mark()
    partial = run_facts(idc, wanted, group_pages=1)
    assert calls(emulator, mark)[("identitystore", "ListGroups")] == 1
    assert calls(emulator, mark)[("identitystore", "GetGroupId")] == len(beyond)
    assert {f"GROUP:{w['name']}" for w in wanted[:2]} <= set(partial["principal_ids"])
    assert all(everything["principal_ids"][k] == v for k, v in partial["principal_ids"].items())


PROD_USERS = {
    "access": [
        {"group": "connect-prod-agents", "security_profiles": ["Agent"], "routing_profile": "Basic Routing Profile"}
    ]
}


def test_the_users_step_runs_last_and_a_case_mismatch_fails_a_compliance_run(chain, emulator):
    prod = dict(
        instance_alias="acme-prod-east",
        app_name="AmazonConnect-PROD-us-east-1",
        provider_name="AWSSSO_PROD_us-east-1_Connect",
        role_name="AmazonConnect_PROD_us-east-1_Role",
        principals=[{"type": "GROUP", "name": "connect-prod-agents"}],
    )
    first = chain(users=PROD_USERS, **prod, account=ACCOUNTS["prod"])
    assert not first.failed, first.msg
    # pia.prod had no Connect user; peter.prod's differs only in case (Peter.Prod@...): reported, not duplicated
    assert first.result["users"]["users"] == {"pia.prod@example.com": "created"}
    assert [m["connect_username"] for m in first.result["users"]["case_mismatches"]] == ["Peter.Prod@example.com"]
    mark = emulator.mark()
    compliance = chain(check=True, users=PROD_USERS, fail_on_drift=True, **prod, account=ACCOUNTS["prod"])
    assert compliance.failed and "users (usernames differing only in case: Peter.Prod@example.com)" in compliance.msg
    assert not compliance.result["users"]["changed"] and emulator.writes(since=mark) == []


def test_bad_users_entries_fail_naming_the_option_before_any_write(chain, emulator):
    mark = emulator.mark()
    missing = chain(users={"access": [{"group": "connect-dev-agents", "security_profiles": ["Agent"]}]})
    assert missing.failed and "users.access[0]" in missing.msg and "routing_profile" in missing.msg
    too_many = chain(
        users={"access": [{"group": "g", "security_profiles": [f"P{i}" for i in range(11)], "routing_profile": "R"}]}
    )
    assert too_many.failed and "users.access[0].security_profiles" in too_many.msg
    assert "connect_federation_users" in too_many.msg  # the role's variable, for inventory users
    assert emulator.writes(since=mark) == []


def test_an_inventory_error_from_the_role_fails_the_host_before_any_aws_call(chain, emulator):
    mark = emulator.mark()
    out = chain(inventory_error="set one of connect_instance_alias and connect_instance_id for h", instance_alias=None)
    assert out.failed and out.msg == "set one of connect_instance_alias and connect_instance_id for h"
    # the only request is the test's own AssumeRole for the module's credentials
    assert [r["operation"] for r in emulator.requests(since=mark)] == ["AssumeRole"]
