"""The member_federation and sso_application roles, run as two halves, build the same chain from
the same inventory (per-host overrides and Connect users included) as the one-task connect_federation role."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from emulator.sandbox import INSTANCES

pytestmark = pytest.mark.slow
PLAYBOOK = Path(__file__).parent / "playbooks" / "split_roles.yml"
SITE = Path(__file__).resolve().parents[2] / "site.yml"
AGENTS = {"dev": "dana.dev", "qa": "quinn.qa", "prod": "paula.prod"}
USERS_TASK = "Keep a Connect user for every member of the mapped IdC groups"


@pytest.fixture(scope="session")
def ids(tmp_path_factory) -> str:
    """The instance ids as an extra-vars file, as a split pipeline's inventory would know them."""
    extra = tmp_path_factory.mktemp("split") / "ids.json"
    extra.write_text(json.dumps({"instance_ids": {i.host: i.id for i in INSTANCES}}))
    return f"@{extra}"


@pytest.fixture
def split_converged(converged_by, ids):
    """The sandbox as the split roles' first run left it (one run per worker, then a snapshot)."""
    return converged_by("split-roles-converged", PLAYBOOK, "-e", ids).run


def test_split_roles_converge_all_hosts_then_change_nothing_and_agents_sign_in(
    split_converged, playbook, emulator, ids
):
    first = split_converged  # its rc is asserted where it ran
    assert first.total("changed") > 0
    assert sorted(first.stats) == sorted(i.host for i in INSTANCES)
    for instance in INSTANCES:
        answer = emulator.admin("POST", "/signin", {"user": AGENTS[instance.env], "host": instance.host})
        assert answer["ok"], answer
        assert answer["instance_id"] == instance.id
        # prod-west's inventory override (connect_federation_relay_destination) reaches the split roles too
        page = "/agent-app-v2" if instance.host == "prod-west" else "/connect/home"
        assert answer["federate_url"] == f"https://{instance.alias}.my.connect.aws{page}", answer
    # the member half keeps the Connect users of the inventory's mapping, as the one-task role does
    made = first.task_results(USERS_TASK)
    assert sorted(made) == sorted(i.host for i in INSTANCES)
    assert made["dev-east"]["users"] == {"devon.dev@example.com": "created"}, made["dev-east"]
    devon = emulator.admin("POST", "/signin", {"user": "devon.dev", "host": "dev-east"})
    assert devon["ok"] and devon["security_profiles"] == ["Agent", "QualityAnalyst"], devon
    mark = emulator.mark()
    second = playbook(PLAYBOOK, "-e", ids)
    assert second.rc == 0
    assert second.total("changed") == 0
    assert emulator.writes(since=mark) == []


def test_split_roles_and_the_one_task_role_agree(split_converged, playbook, emulator):
    """After the split roles, site.yml finds nothing to change on any host (overrides included)."""
    mark = emulator.mark()
    site = playbook(SITE)  # Connect users included
    assert site.rc == 0
    assert site.total("changed") == 0, site.stdout[-2000:]
    assert emulator.writes(since=mark) == []


def test_split_roles_follow_the_connect_federation_name_overrides(playbook, emulator, ids, client_for):
    """One set of inventory names for both ways of running: connect_federation_* names reach the halves."""
    names = [
        "-e",
        "connect_federation_app_name=Agents-{{ connect_region }}-{{ inventory_hostname }}",
        "-e",
        "connect_federation_provider_name=IdC-{{ inventory_hostname }}",
        "-e",
        "connect_federation_role_name=Federation-{{ inventory_hostname }}",
    ]
    run = playbook(PLAYBOOK, "-l", "qa-west", "-e", ids, *names)
    assert run.rc == 0, run.stdout[-3000:]
    qa_west = next(i for i in INSTANCES if i.host == "qa-west")
    iam = client_for("iam", qa_west.account)
    assert iam.get_role(RoleName="Federation-qa-west")["Role"]["Arn"].endswith(":role/Federation-qa-west")
    arns = [p["Arn"] for p in iam.list_saml_providers()["SAMLProviderList"]]
    assert arns == [f"arn:aws:iam::{qa_west.account}:saml-provider/IdC-qa-west"]
    answer = emulator.admin("POST", "/signin", {"user": "quinn.qa", "app": "Agents-us-west-2-qa-west"})
    assert answer["ok"] and answer["instance_id"] == qa_west.id, answer


def test_check_mode_of_the_split_roles_on_a_fresh_organisation_writes_nothing(playbook, emulator, ids):
    mark = emulator.mark()
    check = playbook(PLAYBOOK, "--check", "-e", ids)
    assert emulator.writes(since=mark) == []
    assert check.rc == 0, check.stdout[-3000:]
    hosts = sorted(i.host for i in INSTANCES)
    apps = check.task_results("Ensure the IdC SAML application exists")
    assert sorted(h for h, r in apps.items() if r["changed"]) == hosts
    # no app, so no metadata to compare: the provider is reported, and the role planned against its future ARN
    reported = check.task_results("Report that the provider will be made from the app's metadata once the app exists")
    assert sorted(h for h, r in reported.items() if r["changed"]) == hosts
    roles = check.task_results("Ensure the federation role trusts the provider and may federate into the instance")
    assert sorted(h for h, r in roles.items() if r["changed"] and not r.get("failed")) == hosts
    # the app's mappings and assignments: pending changes, the principals' names already resolved
    for task in (
        "Set what the application asserts and where it sends users",
        "Assign the application to the environment's principals",
    ):
        pending = check.task_results(task)
        assert sorted(h for h, r in pending.items() if r["changed"] and r.get("pending")) == hosts, task
