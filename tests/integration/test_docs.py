"""ansible-doc renders every module and the action plugin's documentation."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
MODULES = [
    "account_credentials",
    "compliance_report",
    "connect_federation",
    "connect_federation_role",
    "connect_instance_info",
    "connect_saml_users",
    "connect_saml_idp",
    "inventory_check",
    "sso_app_assignment",
    "sso_app_attributes",
    "sso_saml_app",
]


def test_ansible_doc_renders_every_module_with_options_examples_and_returns():
    env = dict(os.environ, ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"))
    names = [f"connect_sso.federation.{m}" for m in MODULES]
    done = subprocess.run(
        [str(Path(sys.executable).with_name("ansible-doc")), "--json", *names],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    docs = json.loads(done.stdout)
    assert sorted(docs) == sorted(names)
    for name, doc in docs.items():
        assert doc["doc"]["options"], name
        assert doc["examples"].strip(), name
        assert doc["return"], name
        for option, spec in doc["doc"]["options"].items():
            assert spec.get("description"), f"{name}: option {option} has no description"
    listed = subprocess.run(
        [str(Path(sys.executable).with_name("ansible-doc")), "--list", "connect_sso.federation"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert all(name in listed for name in names)
