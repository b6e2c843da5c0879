"""site.yml over an inventory that reaches accounts through named profiles of the controller's AWS
config (connect_account_profile, connect_sso_idc_profile) instead of role ARNs: botocore assumes each
profile's role itself, the role never calls STS for them, and the chain lands in the same accounts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from emulator.sandbox import ACCESS_ROLE, ACCOUNTS, AMBIENT_ACCOUNT, INSTANCES, ROOT_ACCOUNT

pytestmark = pytest.mark.slow
SITE = Path(__file__).resolve().parents[2] / "site.yml"
SPLIT = Path(__file__).parent / "playbooks" / "split_roles.yml"
TASK = "Federate the Connect instance with IAM Identity Center"
AGENTS = {"dev": "dana.dev", "qa": "quinn.qa", "prod": "paula.prod"}
ENVS = ("dev", "qa", "prod")


def profile_name(env: str) -> str:
    return f"connect-{env}"


def role_arn(account: str) -> str:
    return f"arn:aws:iam::{account}:role/{ACCESS_ROLE}"


def inventory(envs: tuple[str, ...] = ENVS, idc_by_profile: bool = True, members_by_profile: bool = True) -> dict:
    """The sandbox inventory's hosts and names, with each account given by profile or by role ARN."""
    idc = (
        {"connect_sso_idc_profile": "connect-root"}
        if idc_by_profile
        else {"connect_sso_idc_role_arn": role_arn(ROOT_ACCOUNT)}
    )
    children = {}
    for env in envs:
        access = (
            {"connect_account_profile": profile_name(env)}
            if members_by_profile
            else {"connect_account_role_arn": role_arn(ACCOUNTS[env])}
        )
        hosts = {
            i.host: {"connect_region": i.region, "connect_instance_alias": i.alias} for i in INSTANCES if i.env == env
        }
        if "prod-west" in hosts:  # the sandbox inventory's per-host override
            hosts["prod-west"]["connect_federation_relay_destination"] = "/agent-app-v2"
        children[env] = {
            "vars": {
                "connect_environment": env,
                "connect_account_id": ACCOUNTS[env],
                **access,
                "connect_sso_assignments": [
                    {"type": "GROUP", "name": f"connect-{env}-agents"},
                    {"type": "GROUP", "name": f"connect-{env}-admins"},
                ],
            },
            "hosts": hosts,
        }
    return {
        "all": {
            "vars": {
                "ansible_connection": "local",
                "ansible_python_interpreter": "{{ ansible_playbook_python }}",
                "connect_sso_idc_region": "us-east-1",
                **idc,
            },
            "children": children,
        }
    }


@pytest.fixture
def aws_config(tmp_path) -> dict:
    """An AWS config whose profiles assume each sandbox account's access role from a source profile
    with dummy keys (botocore does the AssumeRole), as the environment of a run."""
    config = tmp_path / "aws_config"
    credentials = tmp_path / "aws_credentials"
    sections = [
        f"[profile {name}]\nrole_arn = {role_arn(account)}\nsource_profile = pipeline\n"
        for name, account in [("connect-root", ROOT_ACCOUNT)] + [(profile_name(e), ACCOUNTS[e]) for e in ENVS]
    ]
    config.write_text("\n".join(["[profile pipeline]\nregion = us-east-1\n", *sections]))
    credentials.write_text("[pipeline]\naws_access_key_id = AKIAEMULATORPROFILE1\naws_secret_access_key = dummy\n")
    return {"AWS_CONFIG_FILE": str(config), "AWS_SHARED_CREDENTIALS_FILE": str(credentials)}


@pytest.fixture
def site(playbook, tmp_path, aws_config):
    """site(inventory_dict, *args) -> PlaybookRun, with the AWS config above in the environment."""

    def run(hosts: dict, *args: str, playbook_path: Path = SITE):
        path = tmp_path / "hosts.yml"
        path.write_text(yaml.safe_dump(hosts, sort_keys=False))
        return playbook(playbook_path, "-i", str(path), *args, env=aws_config)

    return run


def federation_names(env: str, region: str) -> tuple[str, str, str]:
    """(app, provider, role) as the roles' default templates name them."""
    upper = env.upper()
    return f"AmazonConnect-{upper}-{region}", f"AWSSSO_{upper}_{region}_Connect", f"AmazonConnect_{upper}_{region}_Role"


def assert_chain_in_the_right_accounts(emulator, client_for, instances) -> None:
    """Each instance's provider and role in its own account, its app in the root account, nothing elsewhere."""
    sso = client_for("sso-admin", ROOT_ACCOUNT)
    apps = {
        a["Name"] for a in sso.list_applications(InstanceArn=emulator.topology()["idc"]["instance_arn"])["Applications"]
    }
    assert apps == {federation_names(i.env, i.region)[0] for i in instances}
    for account in {*ACCOUNTS.values(), AMBIENT_ACCOUNT}:
        iam = client_for("iam", account if account != AMBIENT_ACCOUNT else None)
        roles = {r["RoleName"] for r in iam.list_roles()["Roles"] if r["RoleName"].startswith("AmazonConnect_")}
        providers = {p["Arn"].rsplit("/", 1)[1] for p in iam.list_saml_providers()["SAMLProviderList"]}
        here = [i for i in instances if i.account == account]
        assert roles == {federation_names(i.env, i.region)[2] for i in here}, account
        assert providers == {federation_names(i.env, i.region)[1] for i in here}, account


def test_every_account_by_profile_converges_in_the_right_accounts_then_writes_nothing(site, emulator, client_for):
    mark = emulator.mark()
    first = site(inventory())
    assert first.rc == 0, first.stdout[-3000:] + first.stderr[-3000:]
    results = first.task_results(TASK)
    assert sorted(results) == sorted(i.host for i in INSTANCES)
    assert all(r["changed"] for r in results.values())
    assert_chain_in_the_right_accounts(emulator, client_for, INSTANCES)
    writes = emulator.writes(since=mark)
    assert {w["account"] for w in writes} == set(ACCOUNTS.values())  # never the pipeline's own account
    for instance in INSTANCES:
        answer = emulator.admin("POST", "/signin", {"user": AGENTS[instance.env], "host": instance.host})
        assert answer["ok"], (instance.host, answer)
        assert answer["instance_id"] == instance.id
        page = "/agent-app-v2" if instance.host == "prod-west" else "/connect/home"
        assert answer["federate_url"] == f"https://{instance.alias}.my.connect.aws{page}", answer

    mark = emulator.mark()
    second = site(inventory())
    assert second.rc == 0, second.stdout[-3000:]
    assert second.total("changed") == 0
    assert emulator.writes(since=mark) == []


def test_idc_by_profile_and_members_by_role_arn_converge_then_write_nothing(site, emulator, client_for):
    hosts = inventory(envs=("qa",), idc_by_profile=True, members_by_profile=False)
    first = site(hosts)
    assert first.rc == 0, first.stdout[-3000:] + first.stderr[-3000:]
    qa = [i for i in INSTANCES if i.env == "qa"]
    assert_chain_in_the_right_accounts(emulator, client_for, qa)
    for instance in qa:
        answer = emulator.admin("POST", "/signin", {"user": "quinn.qa", "host": instance.host})
        assert answer["ok"] and answer["instance_id"] == instance.id, (instance.host, answer)
    mark = emulator.mark()
    second = site(hosts)
    assert second.rc == 0
    assert second.total("changed") == 0
    assert emulator.writes(since=mark) == []


def test_a_profile_missing_from_the_config_fails_naming_it_and_writes_nothing(site, emulator):
    hosts = inventory(envs=("qa",))
    hosts["all"]["children"]["qa"]["vars"]["connect_account_profile"] = "connect-missing"
    mark = emulator.mark()
    run = site(hosts)
    assert run.rc != 0
    failed = run.task_results(TASK)
    assert sorted(failed) == ["qa-east", "qa-west"]
    assert all("connect-missing" in r["msg"] and r["failed"] for r in failed.values()), failed
    assert emulator.writes(since=mark) == []


def test_split_roles_reach_every_account_by_profile_then_write_nothing(site, emulator, client_for):
    qa = [i for i in INSTANCES if i.env == "qa"]
    ids = json.dumps({"instance_ids": {i.host: i.id for i in qa}})
    first = site(inventory(envs=("qa",)), "-e", ids, playbook_path=SPLIT)
    assert first.rc == 0, first.stdout[-3000:] + first.stderr[-3000:]
    assert_chain_in_the_right_accounts(emulator, client_for, qa)
    for instance in qa:
        answer = emulator.admin("POST", "/signin", {"user": "quinn.qa", "host": instance.host})
        assert answer["ok"] and answer["instance_id"] == instance.id, (instance.host, answer)
    mark = emulator.mark()
    second = site(inventory(envs=("qa",)), "-e", ids, playbook_path=SPLIT)
    assert second.rc == 0
    assert second.total("changed") == 0
    assert emulator.writes(since=mark) == []
