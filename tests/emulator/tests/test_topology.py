"""Topologies as data: the loader (shapes, validation, scale:N, inventories) and seeding the
emulator from a name, a path, a document or scale:N."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from emulator import sandbox, topology
from emulator.client import AdminError
from emulator.topology import TopologyError, inventory, load, write_inventory

ROOT = Path(__file__).resolve().parents[3]
SANDBOX_INVENTORY = ROOT / "inventories" / "sandbox" / "hosts.yml"


def small() -> dict:
    """A minimal valid document, changed by each validation test."""
    return {
        "name": "small",
        "idc": {"account": "root", "region": "eu-west-1"},
        "accounts": {
            "root": {"id": "910000000001"},
            "team": {"id": "910000000002", "instances": [{"region": "eu-central-1", "alias": "small-team"}]},
        },
        "groups": {"agents": {"account": "team", "security_profiles": ["Agent"]}},
        "users": {"ann": {"given_name": "Ann", "family_name": "Agent", "groups": ["agents"]}},
    }


# --- the loader ----------------------------------------------------------------------------------
def test_the_sandbox_file_is_what_sandbox_py_exports():
    sandbox_topology = load("sandbox")
    assert sandbox.TOPOLOGY is sandbox_topology
    assert sandbox.ACCOUNTS == {
        "root": "111111111111",
        "dev": "222222222222",
        "qa": "333333333333",
        "prod": "444444444444",
    }
    assert (sandbox.ROOT_ACCOUNT, sandbox.IDC_REGION, sandbox.IDENTITY_STORE_ID) == (
        "111111111111",
        "us-east-1",
        "d-9067a1b2c3",
    )
    assert [i.host for i in sandbox.INSTANCES] == ["dev-east", "qa-east", "qa-west", "prod-east", "prod-west"]
    # the fixed id seeds: the ids every run of the sandbox had before it became a file
    dev_east = sandbox_topology.instance("dev-east")
    assert dev_east.id == topology.stable_uuid("connect-instance", "222222222222", "us-east-1", "acme-dev-east")
    assert dev_east.id == "886e71b0-0615-535b-9208-acad61c9d55d"
    peter = next(u for u in sandbox.USERS if u.user_name == "peter.prod")
    assert (peter.connect_username, peter.email, peter.envs) == (
        "Peter.Prod@example.com",
        "peter.prod@example.com",
        ("prod",),
    )
    assert [u for u, _identity in sandbox.connect_users(sandbox_topology.instance("prod-west"))] == [
        "paula.prod@example.com",
        "Peter.Prod@example.com",
        "priya.prod@example.com",
    ]


def test_the_sandbox_inventory_is_inventories_sandbox():
    assert inventory("sandbox") == yaml.safe_load(SANDBOX_INVENTORY.read_text())


def test_write_inventory_writes_a_yaml_inventory(tmp_path):
    path = write_inventory("eu", tmp_path / "hosts.yml")
    assert yaml.safe_load(path.read_text()) == inventory("eu")
    assert path.read_text().startswith("---\n# Generated from the emulator topology 'eu'")


def test_eu_keeps_idc_in_eu_west_1_in_its_own_account():
    eu = load("eu")
    assert (eu.idc.account_name, eu.idc.account, eu.idc.region) == ("management", "555555555555", "eu-west-1")
    assert {i.region for i in eu.instances} == {"eu-central-1", "eu-west-2"}
    assert eu.groups["connect-supervisors"].security_profiles == ("CallCenterManager", "QualityAnalyst")
    shape = inventory(eu)["all"]
    assert shape["vars"]["connect_sso_idc_region"] == "eu-west-1"
    assert shape["vars"]["connect_sso_idc_role_arn"] == "arn:aws:iam::555555555555:role/OrganizationAccountAccessRole"
    assert sorted(shape["children"]) == ["sales", "support"]  # the IdC account has no instance: no group
    assert shape["children"]["support"]["vars"]["connect_sso_assignments"] == [
        {"type": "GROUP", "name": "connect-support-agents"},
        {"type": "GROUP", "name": "connect-supervisors"},
    ]


def test_a_document_a_path_and_a_topology_load_alike(tmp_path):
    path = tmp_path / "small.yml"
    path.write_text(yaml.safe_dump(small()))
    from_dict, from_path, from_str = load(small()), load(path), load(str(path))
    assert from_dict == from_path == from_str
    assert load(from_dict) is from_dict
    assert from_dict.groups["agents"].security_profiles == ("Agent",)
    assert from_dict.users[0].envs == ()
    assert load(from_dict.source) == from_dict  # the source round-trips


def test_a_file_without_a_name_is_named_after_the_file(tmp_path):
    document = small()
    del document["name"]
    path = tmp_path / "mine.yml"
    path.write_text(yaml.safe_dump(document))
    assert load(path).name == "mine"


def test_scale_n_counts_and_ids():
    scaled = load("scale:3")
    assert scaled.name == "scale:3"
    assert (scaled.idc.account, scaled.idc.region) == ("111111111111", "us-east-1")
    assert list(scaled.accounts.values()) == ["111111111111", "500000000001", "500000000002", "500000000003"]
    assert len(scaled.instances) == 6
    assert [(i.alias, i.region) for i in scaled.instances[:2]] == [
        ("scale-0001-east", "us-east-1"),
        ("scale-0001-west", "us-west-2"),
    ]
    assert list(scaled.groups) == [
        "connect-scale-0001-agents",
        "connect-scale-0002-agents",
        "connect-scale-0003-agents",
    ]
    assert len(scaled.users) == 6
    assert all(len(scaled.connect_users(i)) == 2 for i in scaled.instances)
    assert len(inventory(scaled)["all"]["children"]) == 3
    assert load("scale:3") == topology.scale_topology(3)  # deterministic


def test_scale_n_at_size():
    scaled = load("scale:250")
    assert len(scaled.instances) == 500
    assert len(set(scaled.accounts.values())) == 251
    assert all(len(a) == 12 for a in scaled.accounts.values())


def _with(change) -> dict:
    document = copy.deepcopy(small())
    change(document)
    return document


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (_with(lambda d: d.update(acounts={})), "topology: unknown key 'acounts'"),
        (
            _with(lambda d: d["accounts"]["team"]["instances"][0].update(regoin="x")),
            "accounts.team.instances[0]: unknown key 'regoin'",
        ),
        (_with(lambda d: d["users"]["ann"].update(group=["agents"])), "users.ann: unknown key 'group'"),
        (
            _with(lambda d: d["accounts"]["team"].update(id="910000000001")),
            "accounts.team.id: duplicate account id 910000000001 (also accounts.root)",
        ),
        (_with(lambda d: d["accounts"]["team"].update(id="12345")), "accounts.team.id: must be a 12-digit account id"),
        (
            _with(lambda d: d["accounts"]["team"]["instances"][0].update(region="eu-west-1")),
            "accounts.team.instances[0].region: 'eu-west-1' is not a region with Amazon Connect",
        ),
        (
            _with(lambda d: d["accounts"]["team"]["instances"][0].update(region="mars-north-1")),
            "'mars-north-1' is not a region with Amazon Connect",
        ),
        (
            _with(lambda d: d["users"]["ann"].update(groups=["agents", "admins"])),
            "users.ann.groups: unknown group 'admins'",
        ),
        (_with(lambda d: d["idc"].update(account="nobody")), "idc.account: unknown account 'nobody'"),
        (
            _with(lambda d: d["idc"].update(region="moon-1")),
            "idc.region: 'moon-1' is not a region with IAM Identity Center",
        ),
        (_with(lambda d: d["groups"]["agents"].update(account="elsewhere")), "groups.agents.account: unknown account"),
        (
            _with(lambda d: d["groups"]["agents"].update(security_profiles="Agent")),
            "groups.agents.security_profiles: must be a list of non-empty strings",
        ),
        (
            _with(lambda d: d["accounts"]["team"]["instances"].append({"region": "us-east-1", "alias": "small-team"})),
            "accounts.team.instances[1].alias: duplicate alias 'small-team'",
        ),
        (
            _with(lambda d: d["accounts"]["team"]["instances"][0].update(status="SLEEPING")),
            "'SLEEPING' is not one of CREATION_IN_PROGRESS, ACTIVE, CREATION_FAILED",
        ),
        (
            _with(lambda d: d["users"]["ann"].update(connect={"accounts": ["team"], "security_profile": "Boss"})),
            "users.ann.connect.security_profile: 'Boss' is not one of",
        ),
        (_with(lambda d: d["users"]["ann"].update(connect={"accounts": ["ghost"]})), "unknown account 'ghost'"),
        (
            _with(lambda d: d["accounts"].update({"my-team": {"id": "910000000009"}})),
            "accounts.my-team: an account name",
        ),
        (_with(lambda d: d.pop("accounts")), "accounts: must be a mapping"),
    ],
)
def test_validation_errors_name_the_place_and_the_reason(document, message):
    with pytest.raises(TopologyError) as error:
        load(document)
    assert message in str(error.value)


def test_a_key_given_twice_in_a_file_is_refused(tmp_path):
    path = tmp_path / "twice.yml"
    path.write_text(SANDBOX_TEXT.replace("  dev:\n", "  qa:\n    id: '999999999999'\n  dev:\n", 1))
    with pytest.raises(TopologyError, match="duplicate key 'qa'"):
        load(path)


SANDBOX_TEXT = (topology.TOPOLOGIES_DIR / "sandbox.yml").read_text()


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("atlantis", "unknown topology 'atlantis'; known: eu, sandbox, scale:N"),
        ("scale:0", "N must be between 1"),
        ("scale:lots", "scale:N needs a whole number"),
        ("no/such/file.yml", "no topology file"),
        (42, "a topology is a name, a path, a dict or 'scale:N'"),
    ],
)
def test_unknown_specs_are_refused(spec, message):
    with pytest.raises(TopologyError, match=message):
        load(spec)


# --- seeding the emulator ------------------------------------------------------------------------
def test_seeding_eu_puts_idc_in_eu_west_1_and_instances_in_their_regions(emulator, client_for):
    seeded = emulator.reset(seed="eu")["seeded"]
    assert (seeded["name"], seeded["idc_account"], seeded["idc_region"]) == ("eu", "555555555555", "eu-west-1")
    eu = load("eu")
    [instance] = client_for("sso-admin", "555555555555", "eu-west-1").list_instances()["Instances"]
    assert (instance["InstanceArn"], instance["IdentityStoreId"]) == (eu.idc.instance_arn, eu.idc.identity_store_id)
    assert client_for("sso-admin", "555555555555", "us-east-1").list_instances()["Instances"] == []
    store = client_for("identitystore", "555555555555", "eu-west-1")
    names = {u["UserName"] for u in store.list_users(IdentityStoreId=eu.idc.identity_store_id)["Users"]}
    assert names == {u.user_name for u in eu.users}
    for host in eu.hosts:
        spec = eu.instance(host)
        connect = client_for("connect", spec.account, spec.region)
        described = connect.describe_instance(InstanceId=spec.id)["Instance"]
        assert (described["InstanceAlias"], described["InstanceStatus"]) == (spec.alias, "ACTIVE")
        users = {u["Username"] for u in connect.list_users(InstanceId=spec.id)["UserSummaryList"]}
        assert users == {name for name, _identity in eu.connect_users(spec)}
    groups = {g["name"]: g for g in emulator.topology()["idc"]["groups"]}
    assert groups["connect-supervisors"]["security_profiles"] == ["CallCenterManager", "QualityAnalyst"]
    assert load(emulator.topology()["source"]) == eu


def test_seed_by_path_document_topology_and_scale(emulator, client_for, tmp_path):
    document = small()
    path = tmp_path / "small.yml"
    path.write_text(yaml.safe_dump(document))
    for spec in (path, str(path), document, load(document)):
        emulator.reset(seed=None)
        assert emulator.seed(spec)["name"] == "small"
        [instance] = client_for("connect", "910000000002", "eu-central-1").list_instances()["InstanceSummaryList"]
        assert instance["InstanceAlias"] == "small-team"
    seeded = emulator.reset(seed="scale:2")["seeded"]
    assert len(seeded["instances"]) == 4
    west = client_for("connect", "500000000002", "us-west-2").list_instances()["InstanceSummaryList"]
    assert [i["InstanceAlias"] for i in west] == ["scale-0002-west"]


def test_reset_takes_a_path_or_a_document(emulator, tmp_path):
    path = tmp_path / "small.yml"
    path.write_text(yaml.safe_dump(small()))
    assert emulator.admin("POST", "/reset", {"path": str(path)})["seeded"]["name"] == "small"
    assert emulator.admin("POST", "/reset", {"topology": small()})["seeded"]["name"] == "small"
    assert emulator.admin("POST", "/seed", {"topology": load("eu").source})["name"] == "eu"


def test_instance_status_and_identity_type_come_from_the_topology(emulator, client_for):
    document = small()
    document["accounts"]["team"]["instances"][0].update(
        identity_management_type="CONNECT_MANAGED", status="CREATION_IN_PROGRESS"
    )
    emulator.reset(seed=None)
    emulator.seed(document)
    spec = load(document).instances[0]
    described = client_for("connect", spec.account, spec.region).describe_instance(InstanceId=spec.id)["Instance"]
    assert (described["IdentityManagementType"], described["InstanceStatus"]) == (
        "CONNECT_MANAGED",
        "CREATION_IN_PROGRESS",
    )


def test_an_invalid_topology_is_refused_before_anything_is_wiped(emulator):
    document = small()
    document["users"]["ann"]["groups"] = ["nope"]
    with pytest.raises(AdminError, match=r"400 (.|\n)*users\.ann\.groups: unknown group 'nope'"):
        emulator.admin("POST", "/reset", {"topology": document})
    assert emulator.topology()["name"] == "sandbox"  # the reset did not happen
    with pytest.raises(AdminError, match="give one of"):
        emulator.admin("POST", "/seed", {"name": "eu", "topology": document})
