"""The IAM policies in docs/iam allow every AWS call the site playbook makes (measured)."""

from __future__ import annotations

import fnmatch
import json
from pathlib import Path

import pytest

from emulator.sandbox import INSTANCES, ROOT_ACCOUNT

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
PREFIX = {
    "iam": "iam",
    "connect": "connect",
    "sso-admin": "sso",
    "sso-control": "sso",
    "identitystore": "identitystore",
}


def resource_of(path: Path, sid: str) -> list[str]:
    statement = next(s for s in json.loads(path.read_text())["Statement"] if s["Sid"] == sid)
    return statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]


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


def test_member_policy_resources_cover_what_a_managed_policy_run_creates(playbook, emulator, client_for):
    """The resource patterns, not only the actions: every provider, role and managed policy the run
    made (one managed policy per instance) is inside the statement that manages its kind."""
    assert playbook(ROOT / "site.yml", "-e", "connect_federation_policy_type=managed").rc == 0
    member = ROOT / "docs/iam/member-account-policy.json"
    patterns = {
        "providers": resource_of(member, "ManageTheConnectSamlProviders"),
        "roles": resource_of(member, "ManageTheConnectFederationRoles"),
        "policies": resource_of(member, "ManagedFederationPolicyOnlyWithPolicyTypeManaged"),
    }
    made: dict[str, list[str]] = {"providers": [], "roles": [], "policies": []}
    for account in sorted({i.account for i in INSTANCES}):
        iam = client_for("iam", account)
        made["providers"] += [p["Arn"] for p in iam.list_saml_providers()["SAMLProviderList"]]
        made["roles"] += [r["Arn"] for r in iam.list_roles()["Roles"] if r["RoleName"].startswith("AmazonConnect")]
        made["policies"] += [p["Arn"] for p in iam.list_policies(Scope="Local")["Policies"]]
    assert len(made["policies"]) == len(INSTANCES)
    outside = [
        (kind, arn)
        for kind, arns in made.items()
        for arn in arns
        if not any(fnmatch.fnmatchcase(arn, pattern) for pattern in patterns[kind])
    ]
    assert outside == []
