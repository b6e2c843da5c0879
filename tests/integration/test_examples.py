"""Every module's EXAMPLES block runs, as written, against the emulator's sandbox: one playbook runs them all
on prod-west (the instance they name), in the order one feeds the next (connect_instance_info registers the
`connect` that the role and attribute examples read, sso_saml_app the `app` that connect_saml_idp reads).
What the examples leave to the reader is given around them, as a playbook would: the credentials of the
account a module acts in (module_defaults of the `aws` action group) and `idc_creds` (IdC's, from
account_credentials)."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
# every module, in the order its examples run, with the account it acts in (its module_defaults)
ORDER = [
    ("account_credentials", "member"),
    ("inventory_check", "member"),
    ("connect_instance_info", "member"),
    ("sso_saml_app", "idc"),
    ("connect_saml_idp", "member"),  # ends by removing the provider; the chain's example makes it again
    ("connect_federation", "member"),
    ("connect_federation_role", "member"),
    ("sso_app_attributes", "idc"),
    ("sso_app_assignment", "idc"),
    ("connect_saml_users", "member"),
    ("idc_facts", "member"),
    ("compliance_report", "member"),
    ("connect_federation_check", "member"),
    ("doctor_report", "member"),
]


def examples(module: str) -> list[dict]:
    tree = ast.parse((ROOT / "plugins" / "modules" / f"{module}.py").read_text())
    (text,) = [
        node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == "EXAMPLES"
    ]
    return yaml.safe_load(text)


def playbook_of_every_example() -> list[dict]:
    credentials = [
        {
            "name": "Credentials for the examples: IdC's and prod-west's account",
            "connect_sso.federation.account_credentials": {"hosts": "{{ ansible_play_hosts_all }}"},
            "run_once": True,
            "register": "test_accounts",
        },
        {
            "name": "The IdC credentials the examples call idc_creds",
            "ansible.builtin.set_fact": {"idc_creds": "{{ test_accounts.hosts[inventory_hostname].idc }}"},
        },
    ]
    blocks = [
        {
            "name": f"EXAMPLES of {module}",
            "block": examples(module),
            "module_defaults": {
                "group/connect_sso.federation.aws": f"{{{{ test_accounts.hosts[inventory_hostname].{account} }}}}"
            },
        }
        for module, account in ORDER
    ]
    return [
        {"name": "Every module's EXAMPLES", "hosts": "prod-west", "gather_facts": False, "tasks": credentials + blocks}
    ]


def test_every_module_has_examples_in_the_run():
    modules = sorted(p.stem for p in (ROOT / "plugins" / "modules").glob("*.py") if p.stem != "__init__")
    assert sorted(module for module, _account in ORDER) == modules


def flattened(tasks: list[dict]) -> list[dict]:
    """The tasks a run reports: a block's own tasks instead of the block."""
    return [
        t for task in tasks for t in (flattened(task["block"] + task.get("always", [])) if "block" in task else [task])
    ]


def test_every_modules_examples_run_against_the_sandbox(case_mismatch_fixed, playbook, tmp_path):
    path = tmp_path / "examples.yml"
    path.write_text(yaml.safe_dump(playbook_of_every_example(), sort_keys=False))
    run = playbook(path, "-l", "prod-west")
    assert run.rc == 0, json.dumps(run.result.get("plays", run.stdout), indent=1)[-5000:] + run.stderr[-2000:]
    ran = [task for play in run.result["plays"] for task in play["tasks"]]
    written = [t["name"] for module, _account in ORDER for t in flattened(examples(module))]
    assert [t["task"]["name"] for t in ran][2:] == written  # every example task ran, in order, none twice
    assert [t["task"]["name"] for t in ran if t["hosts"]["prod-west"].get("skipped")] == []
    assert (tmp_path / "reports" / "compliance.xml").exists()  # compliance_report's example wrote its report
