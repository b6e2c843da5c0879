"""The doctor on a set-up made by hand, with names unlike the inventory's templates (as an
organisation that followed the console guide would have): from an inventory that names only the
instance, it finds the app by its relay state, follows its Role attribute to the provider and the
role, and names a broken link as the sign-in simulator does."""

from __future__ import annotations

import json

import pytest

from emulator.sandbox import ACCESS_ROLE, ACCOUNTS, INSTANCES, ROOT_ACCOUNT

pytestmark = pytest.mark.slow
QA_WEST = next(i for i in INSTANCES if i.host == "qa-west")
HAND_BUILT = {
    "connect_federation_app_name": "Contact centre (west)",
    "connect_federation_provider_name": "IdentityCenter",
    "connect_federation_role_name": "ConnectAgentsSSO",
    "connect_federation_policy_name": "AllowConnectSignIn",
    "connect_federation_permissions_boundary": "",
}


def only_the_instance(path) -> str:
    """An inventory that names the instance and the accounts, nothing else."""
    inventory = {
        "all": {
            "vars": {
                "ansible_connection": "local",
                "ansible_python_interpreter": "{{ ansible_playbook_python }}",
                "connect_sso_idc_region": "us-east-1",
                "connect_sso_idc_role_arn": f"arn:aws:iam::{ROOT_ACCOUNT}:role/{ACCESS_ROLE}",
            },
            "children": {
                "contact_centre": {
                    "vars": {"connect_account_role_arn": f"arn:aws:iam::{ACCOUNTS['qa']}:role/{ACCESS_ROLE}"},
                    "hosts": {"west": {"connect_region": QA_WEST.region, "connect_instance_alias": QA_WEST.alias}},
                }
            },
        }
    }
    path.write_text(json.dumps(inventory))
    return str(path)


def test_a_hand_built_set_up_is_diagnosed_from_an_inventory_that_names_only_the_instance(playbook, emulator, tmp_path):
    emulator.config(get_application_instance_includes_response_config=True)
    (tmp_path / "names.json").write_text(json.dumps(HAND_BUILT))
    assert playbook("site.yml", "-l", "qa-west", "-e", f"@{tmp_path / 'names.json'}").rc == 0
    inventory = only_the_instance(tmp_path / "hosts.json")
    report = tmp_path / "doctor-report.json"
    doctor = ("doctor.yml", "-i", inventory, "-e", f"connect_federation_doctor_report={report}")

    mark = emulator.mark()
    healthy = playbook(*doctor)
    assert healthy.rc == 0, healthy.stdout[-3000:]
    west = json.loads(report.read_text())["hosts"]["west"]
    assert (west["ok"], west["app"]["name"], west["app"]["found_by"]) == (True, "Contact centre (west)", "relay_state")
    assert west["role_arn"] == f"arn:aws:iam::{ACCOUNTS['qa']}:role/ConnectAgentsSSO"
    assert west["provider_arn"] == f"arn:aws:iam::{ACCOUNTS['qa']}:saml-provider/IdentityCenter"
    assert emulator.writes(since=mark) == []

    # a break in the hand-built chain: its role may federate into another instance only
    iam = emulator.session(ACCOUNTS["qa"], "us-west-2").client("iam", endpoint_url=emulator.endpoint)
    policy = iam.get_role_policy(RoleName="ConnectAgentsSSO", PolicyName="AllowConnectSignIn")["PolicyDocument"]
    elsewhere = json.dumps(policy).replace(QA_WEST.id, "00000000-0000-4000-8000-000000000000")
    iam.put_role_policy(RoleName="ConnectAgentsSSO", PolicyName="AllowConnectSignIn", PolicyDocument=elsewhere)
    broken = playbook(*doctor)
    simulated = emulator.admin("POST", "/signin", {"user": "quinn.qa", "app": "Contact centre (west)"})
    assert broken.rc == 2
    assert json.loads(report.read_text())["hosts"]["west"]["broken_link"] == simulated["broken_link"] == "role_policy"
