"""The IAM policies in docs/iam allow every AWS call the site playbook makes (measured)."""

from __future__ import annotations

import fnmatch
import json
from pathlib import Path

import pytest

from emulator.sandbox import ROOT_ACCOUNT

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
PREFIX = {
    "iam": "iam",
    "connect": "connect",
    "sso-admin": "sso",
    "sso-control": "sso",
    "identitystore": "identitystore",
}


def allowed_actions(path: Path) -> list[str]:
    document = json.loads(path.read_text())
    actions = []
    for statement in document["Statement"]:
        assert statement["Effect"] == "Allow"
        listed = statement["Action"]
        actions.extend(listed if isinstance(listed, list) else [listed])
    return actions


def test_docs_policies_cover_every_call_of_a_converging_and_a_drift_repairing_run(playbook, emulator):
    site = ROOT / "site.yml"
    assert playbook(site).rc == 0
    # a change on every resource kind, so update calls are exercised too
    playbook(
        site, "-e", "connect_federation_session_duration=PT2H", "-e", "connect_federation_max_session_duration=7200"
    )
    calls = {(r["service"], r["operation"], r["account"]) for r in emulator.requests() if r["service"] in PREFIX}
    idc = allowed_actions(ROOT / "docs/iam/idc-account-policy.json")
    member = allowed_actions(ROOT / "docs/iam/member-account-policy.json")
    missing = []
    for service, operation, account in sorted(calls):
        action = f"{PREFIX[service]}:{operation}"
        policy = idc if account == ROOT_ACCOUNT else member
        if not any(fnmatch.fnmatchcase(action, pattern) for pattern in policy):
            missing.append((account, action))
    assert missing == []
