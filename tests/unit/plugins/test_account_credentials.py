"""The account_credentials action: each distinct role assumed once, and each play host handed the
AWS options of its member and IdC accounts (role keys, a profile with blank keys, or nothing for
the ambient credentials), read from the host's inventory variables as Ansible templates them."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
import yaml
from ansible.errors import AnsibleActionFail
from ansible.inventory.manager import InventoryManager
from ansible.parsing.dataloader import DataLoader
from ansible.playbook.play_context import PlayContext
from ansible.playbook.task import Task
from ansible.template import Templar
from ansible.vars.hostvars import HostVars
from ansible.vars.manager import VariableManager
from ansible_collections.connect_sso.federation.plugins.action import account_credentials as plugin
from botocore.exceptions import ClientError

ROOT_ROLE = "arn:aws:iam::111111111111:role/OrganizationAccountAccessRole"
QA_ROLE = "arn:aws:iam::333333333333:role/OrganizationAccountAccessRole"
PROD_ROLE = "arn:aws:iam::444444444444:role/OrganizationAccountAccessRole"
BLANK = {"access_key": "", "secret_key": "", "session_token": ""}

# every way an inventory names an account: a role per group (templated), a profile, a per-host
# override, a blank role that falls back to the ambient credentials, and nothing at all
INVENTORY = {
    "all": {
        "vars": {"connect_sso_idc_role_arn": ROOT_ROLE},
        "children": {
            "qa": {
                "vars": {
                    "connect_account_id": "333333333333",
                    "connect_account_role_arn": "arn:aws:iam::{{ connect_account_id }}:role/OrganizationAccountAccessRole",
                },
                "hosts": {"qa-east": {}, "qa-west": {}},
            },
            "prod": {
                "vars": {"connect_account_profile": "connect-prod"},
                "hosts": {
                    "prod-east": {},
                    # a role beside the profile: the role wins
                    "prod-west": {"connect_account_role_arn": PROD_ROLE, "connect_sso_idc_profile": "connect-root"},
                },
            },
            "dev": {
                "hosts": {
                    "dev-east": {"connect_sso_idc_role_arn": ""},  # blank: the ambient credentials
                },
            },
        },
    }
}


class FakeSts:
    """Answers AssumeRole with keys derived from the role, and remembers what was asked."""

    def __init__(self, refuse: tuple[str, ...] = ()) -> None:
        self.assumed: list[str] = []
        self.refuse = refuse

    def assume_role(self, RoleArn: str, RoleSessionName: str, DurationSeconds: int) -> dict:
        self.assumed.append(RoleArn)
        if RoleArn in self.refuse:
            raise ClientError({"Error": {"Code": "AccessDenied", "Message": "not authorized"}}, "AssumeRole")
        account = RoleArn.split(":")[4]
        return {
            "Credentials": {
                "AccessKeyId": f"ASIA{account}",
                "SecretAccessKey": f"secret-{account}",
                "SessionToken": f"token-{account}",
            }
        }


def keys(account: str) -> dict:
    return {"access_key": f"ASIA{account}", "secret_key": f"secret-{account}", "session_token": f"token-{account}"}


@pytest.fixture
def hostvars(tmp_path) -> HostVars:
    """The inventory's hostvars as a play sees them (values templated on access)."""
    path = tmp_path / "hosts.yml"
    path.write_text(yaml.safe_dump(INVENTORY))
    loader = DataLoader()
    inventory = InventoryManager(loader=loader, sources=[str(path)])
    variables = VariableManager(loader=loader, inventory=inventory)
    return HostVars(inventory=inventory, variable_manager=variables, loader=loader)


@pytest.fixture
def sts(monkeypatch) -> FakeSts:
    fake = FakeSts()

    class Session:
        def __init__(self, profile_name=None) -> None:
            self.profile_name = profile_name

        def client(self, service: str, region_name=None, endpoint_url=None) -> FakeSts:
            assert service == "sts"
            return fake

    monkeypatch.setattr(plugin.boto3.session, "Session", Session)
    return fake


def run(args: dict, hostvars=None) -> dict:
    loader = DataLoader()
    task = Task()
    task.args = args
    connection = SimpleNamespace(_shell=SimpleNamespace(tmpdir="unused"))  # the action needs no connection
    action = plugin.ActionModule(task, connection, PlayContext(), loader, Templar(loader), None)
    return action.run(task_vars={"hostvars": hostvars if hostvars is not None else {}})


def test_account_keys_prefer_the_role_then_the_profile_then_the_ambient_credentials():
    assert plugin.account_key(QA_ROLE, "connect-qa") == QA_ROLE
    assert plugin.account_key(None, "connect-qa") == "profile:connect-qa"
    assert plugin.account_key("", "") is None
    assert plugin.account_key() is None


def test_each_hosts_accounts_come_from_its_templated_inventory_variables(hostvars):
    hosts = ["qa-east", "qa-west", "prod-east", "prod-west", "dev-east"]
    assert plugin.host_account_keys(hostvars, hosts, ["member", "idc"]) == {
        "qa-east": {"member": QA_ROLE, "idc": ROOT_ROLE},
        "qa-west": {"member": QA_ROLE, "idc": ROOT_ROLE},
        "prod-east": {"member": "profile:connect-prod", "idc": ROOT_ROLE},
        "prod-west": {"member": PROD_ROLE, "idc": ROOT_ROLE},
        "dev-east": {"member": None, "idc": None},
    }
    assert plugin.host_account_keys(hostvars, ["prod-east"], ["idc"]) == {"prod-east": {"idc": ROOT_ROLE}}


def test_every_host_gets_the_options_of_its_accounts_and_each_role_is_assumed_once(hostvars, sts):
    hosts = ["qa-east", "qa-west", "prod-east", "prod-west", "dev-east"]
    result = run({"hosts": hosts, "region": "us-east-1"}, hostvars)
    assert sorted(sts.assumed) == sorted([ROOT_ROLE, QA_ROLE, PROD_ROLE])  # five hosts, three distinct roles
    assert result["assumed"] == sorted([ROOT_ROLE, QA_ROLE, PROD_ROLE])
    assert result["hosts"] == {
        "qa-east": {"member": keys("333333333333"), "idc": keys("111111111111")},
        "qa-west": {"member": keys("333333333333"), "idc": keys("111111111111")},
        # by profile: the profile with blank keys, so keys in the environment cannot clash with it
        "prod-east": {"member": {"profile": "connect-prod", **BLANK}, "idc": keys("111111111111")},
        "prod-west": {"member": keys("444444444444"), "idc": keys("111111111111")},
        # neither role nor profile: no options, the ambient credentials
        "dev-east": {"member": {}, "idc": {}},
    }
    assert result["credentials"]["profile:connect-prod"] == {"profile": "connect-prod", **BLANK}
    assert result["changed"] is False
    assert result["_ansible_no_log"] is True


def test_a_pipeline_of_one_side_assumes_only_that_sides_roles(hostvars, sts):
    idc = run({"hosts": ["qa-east", "prod-east"], "host_accounts": ["idc"]}, hostvars)
    assert sts.assumed == [ROOT_ROLE]  # never a member account's role
    assert idc["hosts"] == {"qa-east": {"idc": keys("111111111111")}, "prod-east": {"idc": keys("111111111111")}}
    sts.assumed.clear()
    member = run({"hosts": ["qa-east", "prod-east"], "host_accounts": ["member"]}, hostvars)
    assert sts.assumed == [QA_ROLE]  # prod-east's account is a profile: no call
    assert member["hosts"] == {
        "qa-east": {"member": keys("333333333333")},
        "prod-east": {"member": {"profile": "connect-prod", **BLANK}},
    }


def test_the_explicit_role_arns_and_profiles_still_come_back_keyed_as_before(hostvars, sts):
    result = run({"role_arns": [QA_ROLE, QA_ROLE, ""], "profiles": ["connect-root"]}, hostvars)
    assert sts.assumed == [QA_ROLE]
    assert result["credentials"] == {
        QA_ROLE: keys("333333333333"),
        "profile:connect-root": {"profile": "connect-root", **BLANK},
    }
    assert result["assumed"] == [QA_ROLE]
    assert result["hosts"] == {}


def test_roles_named_both_explicitly_and_by_hosts_are_assumed_once(hostvars, sts):
    result = run({"role_arns": [QA_ROLE], "hosts": ["qa-east", "qa-west"], "host_accounts": ["member"]}, hostvars)
    assert sts.assumed == [QA_ROLE]
    assert result["hosts"]["qa-west"]["member"] == result["credentials"][QA_ROLE]


def test_a_host_outside_the_inventory_fails_naming_it(hostvars, sts):
    with pytest.raises(AnsibleActionFail, match=r"hosts: 'qa-north' is not a host of the inventory"):
        run({"hosts": ["qa-east", "qa-north"]}, hostvars)
    assert sts.assumed == []


def test_a_role_that_cannot_be_assumed_fails_naming_it(hostvars, sts):
    sts.refuse = (QA_ROLE,)
    with pytest.raises(
        AnsibleActionFail, match=rf"could not assume {QA_ROLE} \(connect_account_role_arn of qa-east\), .*AccessDenied"
    ):
        run({"hosts": ["qa-east"], "host_accounts": ["member"]}, hostvars)


def test_a_role_that_is_not_an_arn_fails_before_any_call_naming_its_variable(hostvars, sts):
    with pytest.raises(AnsibleActionFail, match=r"role_arns='qa': is not an ARN"):
        run({"role_arns": ["qa"]}, hostvars)
    assert sts.assumed == []


def test_an_unknown_account_kind_fails_before_any_call(hostvars, sts):
    with pytest.raises(AnsibleActionFail, match=r"host_accounts"):
        run({"hosts": ["qa-east"], "host_accounts": ["root"]}, hostvars)
    assert sts.assumed == []
