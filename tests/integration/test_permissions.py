"""The IAM policies in docs/iam allow every AWS call the site playbook makes (measured), and the
member-account policy's guard holds: with the emulator enforcing the pipeline roles' identity
policies, site.yml converges, and every way to escalate through the federation roles is denied."""

from __future__ import annotations

import fnmatch
import json
from pathlib import Path

import boto3
import pytest
from botocore.exceptions import ClientError

from emulator.sandbox import AMBIENT_ACCOUNT, IDC_INSTANCE_ARN, IDENTITY_STORE_ID, INSTANCES, ROOT_ACCOUNT

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
        if statement["Effect"] == "Deny":  # what a Deny refuses, the enforced test below proves
            continue
        listed = statement["Action"]
        actions.extend(listed if isinstance(listed, list) else [listed])
    return actions


def test_docs_policies_cover_every_call_of_a_converging_and_a_drift_repairing_run(
    converged, site_first_run_requests, playbook, emulator
):
    # the converging run is `converged`'s (its requests kept); then a change on every resource
    # kind, so update calls are exercised too
    playbook(
        ROOT / "site.yml",
        "-e",
        "connect_federation_session_duration=PT2H",
        "-e",
        "connect_federation_max_session_duration=7200",
    )
    requests = site_first_run_requests + emulator.requests()
    assert {"CreateRole", "UpdateRole", "CreateApplicationInstance"} <= {r["operation"] for r in requests}
    calls = {(r["service"], r["operation"], r["account"]) for r in requests if r["service"] in PREFIX}
    idc = allowed_actions(ROOT / "docs/iam/idc-account-policy.json")
    member = allowed_actions(ROOT / "docs/iam/member-account-policy.json")
    missing = []
    for service, operation, account in sorted(calls):
        action = f"{PREFIX[service]}:{operation}"
        policy = idc if account == ROOT_ACCOUNT else member
        if not any(fnmatch.fnmatchcase(action, pattern) for pattern in policy):
            missing.append((account, action))
    assert missing == []


def test_the_doctor_policy_covers_every_call_of_a_doctor_run_and_each_is_a_read(playbook, emulator, tmp_path):
    """docs/iam/doctor-policy.json: the read-only permissions of the doctor (doctor.yml), measured."""
    assert playbook(ROOT / "site.yml").rc == 0
    emulator.config(get_application_instance_includes_response_config=True)
    mark = emulator.mark()
    report = tmp_path / "report.json"
    run = playbook(ROOT / "doctor.yml", "-e", f"connect_federation_doctor_report={report}")
    # the sandbox's peter.prod is Peter.Prod@... in Connect (the classic case mismatch): prod is broken
    assert run.rc == 2, run.stdout[-3000:]
    assert json.loads(report.read_text())["summary"]["broken"] == {
        "prod-east": "connect_user",
        "prod-west": "connect_user",
    }
    requests = emulator.requests(since=mark)
    assert [r["operation"] for r in requests if r["write"]] == []
    calls = {(r["service"], r["operation"]) for r in requests if r["service"] in PREFIX}
    policy = allowed_actions(ROOT / "docs/iam/doctor-policy.json")
    actions = sorted(f"{PREFIX[service]}:{operation}" for service, operation in calls)
    assert [a for a in actions if not any(fnmatch.fnmatchcase(a, p) for p in policy)] == [], actions


def test_member_policy_resources_cover_what_a_managed_policy_run_creates(playbook, emulator, client_for):
    """The resource patterns, not only the actions: every provider, role and managed policy the run
    made (one managed policy per instance) is inside the statement that manages its kind."""
    assert playbook(ROOT / "site.yml", "-e", "connect_federation_policy_type=managed").rc == 0
    member = ROOT / "docs/iam/member-account-policy.json"
    patterns = {
        "providers": resource_of(member, "ManageTheConnectSamlProviders"),
        "roles": resource_of(member, "ManageTheConnectFederationRoles"),
        "policies": resource_of(member, "ManagedFederationPolicyOnlyWithPolicyTypeManaged"),
        "boundaries": resource_of(member, "CreateTheBoundaryWhenMissingNeverChangeIt"),
    }
    made: dict[str, list[str]] = {"providers": [], "roles": [], "policies": [], "boundaries": []}
    for account in sorted({i.account for i in INSTANCES}):
        iam = client_for("iam", account)
        made["providers"] += [p["Arn"] for p in iam.list_saml_providers()["SAMLProviderList"]]
        made["roles"] += [r["Arn"] for r in iam.list_roles()["Roles"] if r["RoleName"].startswith("AmazonConnect")]
        for policy in iam.list_policies(Scope="Local")["Policies"]:
            made["boundaries" if policy["PolicyName"].endswith("Boundary") else "policies"].append(policy["Arn"])
    assert len(made["policies"]) == len(INSTANCES)
    assert len(made["boundaries"]) == len({i.account for i in INSTANCES})  # one per account, shared
    outside = [
        (kind, arn)
        for kind, arns in made.items()
        for arn in arns
        if not any(fnmatch.fnmatchcase(arn, pattern) for pattern in patterns[kind])
    ]
    assert outside == []


# --- the guard, enforced ---------------------------------------------------------------------------

PIPELINE_ROLE = "ConnectSsoFederationAutomation"
IDC_POLICY = ROOT / "docs/iam/idc-account-policy.json"
MEMBER_POLICY = ROOT / "docs/iam/member-account-policy.json"
BOUNDARY = ROOT / "docs/iam/federation-role-boundary.json"
ADMIN = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})
DEV = next(i for i in INSTANCES if i.account != ROOT_ACCOUNT)
MEMBER_ACCOUNTS = sorted({i.account for i in INSTANCES})


def trusting(account: str) -> str:
    statement = {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account}:root"}, "Action": "sts:AssumeRole"}
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def session_of(emulator, role_arn: str):
    """A session of role_arn, assumed from the ambient (pipeline) credentials."""
    ambient = boto3.session.Session(aws_access_key_id="AKIAEMULATORAMBIENT1", aws_secret_access_key="x")
    sts = ambient.client("sts", endpoint_url=emulator.endpoint, region_name="us-east-1")
    creds = sts.assume_role(RoleArn=role_arn, RoleSessionName="pipeline")["Credentials"]
    return boto3.session.Session(
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
        region_name="us-east-1",
    )


def failures(run) -> list[str]:
    """What each failed task said, to show when a run that should converge does not."""
    return [
        f"{host}: {task['task']['name']}: {result.get('msg')}"
        for play in run.result.get("plays", [])
        for task in play["tasks"]
        for host, result in task["hosts"].items()
        if result.get("failed")
    ] or [run.stdout[-2000:], run.stderr[-2000:]]


def denied(call, *args, **kwargs) -> str:
    with pytest.raises(ClientError) as raised:
        call(*args, **kwargs)
    assert raised.value.response["Error"]["Code"] == "AccessDenied", raised.value.response
    return raised.value.response["Error"]["Message"]


@pytest.fixture
def pipeline(emulator, client_for):
    """As an administrator sets up the pipeline: in each account a role the pipeline assumes, holding
    only the shipped policy of docs/iam, then the emulator enforcing identity policies."""
    for account in [ROOT_ACCOUNT, *MEMBER_ACCOUNTS]:
        iam = client_for("iam", account)
        iam.create_role(RoleName=PIPELINE_ROLE, AssumeRolePolicyDocument=trusting(AMBIENT_ACCOUNT))
        document = (IDC_POLICY if account == ROOT_ACCOUNT else MEMBER_POLICY).read_text()
        iam.put_role_policy(RoleName=PIPELINE_ROLE, PolicyName="pipeline", PolicyDocument=document)
    emulator.config(enforce_identity_policies=True)
    return [
        "-e",
        f"connect_sso_idc_role_arn=arn:aws:iam::{ROOT_ACCOUNT}:role/{PIPELINE_ROLE}",
        "-e",
        "connect_account_role_arn=arn:aws:iam::{{ connect_account_id }}:role/" + PIPELINE_ROLE,
    ]


def test_the_pipeline_converges_with_only_the_documented_policies_and_every_role_gets_the_boundary(
    playbook, emulator, client_for, pipeline
):
    site = ROOT / "site.yml"
    first = playbook(site, *pipeline)
    assert first.rc == 0, failures(first)
    mark = emulator.mark()
    again = playbook(site, *pipeline)
    assert again.rc == 0 and again.total("changed") == 0, failures(again)
    assert emulator.writes(since=mark) == []
    assert [r for r in emulator.requests() if r["status"] == 403] == []
    boundary = json.loads(BOUNDARY.read_text())
    for instance in INSTANCES:
        iam = client_for("iam", instance.account)
        arn = f"arn:aws:iam::{instance.account}:policy/ConnectSsoFederationRoleBoundary"
        policy = iam.get_policy(PolicyArn=arn)["Policy"]
        assert {"Key": "managed-by", "Value": "connect_sso.federation"} in policy["Tags"]
        assert (
            iam.get_policy_version(PolicyArn=arn, VersionId=policy["DefaultVersionId"])["PolicyVersion"]["Document"]
            == boundary
        )
        role = next(r for r in iam.list_roles()["Roles"] if r["RoleName"].startswith("AmazonConnect_"))
        assert iam.get_role(RoleName=role["RoleName"])["Role"]["PermissionsBoundary"]["PermissionsBoundaryArn"] == arn

    # the IdC policy's scopes, which the emulator does not evaluate, hold what the run used: the
    # instance, the apps (each tagged managed-by, the condition of the assignment statement), the store
    sso = client_for("sso-admin", ROOT_ACCOUNT)
    apps = [a["ApplicationArn"] for a in sso.list_applications(InstanceArn=IDC_INSTANCE_ARN)["Applications"]]
    assert len(apps) == len(INSTANCES)
    read = resource_of(IDC_POLICY, "ReadTheInstanceAndItsApplications")
    assign = resource_of(IDC_POLICY, "AssignOnlyTheApplicationsItManages")
    for arn in [IDC_INSTANCE_ARN, *apps]:
        assert any(fnmatch.fnmatchcase(arn, pattern) for pattern in read), arn
    for arn in apps:
        assert any(fnmatch.fnmatchcase(arn, pattern) for pattern in assign), arn
        tags = sso.list_tags_for_resource(InstanceArn=IDC_INSTANCE_ARN, ResourceArn=arn)["Tags"]
        assert {"Key": "managed-by", "Value": "connect_sso.federation"} in tags
    store = f"arn:aws:identitystore::{ROOT_ACCOUNT}:identitystore/{IDENTITY_STORE_ID}"
    assert any(fnmatch.fnmatchcase(store, p) for p in resource_of(IDC_POLICY, "LookUpPrincipalsInTheIdentityStore"))


def test_the_pipeline_identity_cannot_escalate_through_the_federation_roles(playbook, emulator, client_for, pipeline):
    first = playbook(ROOT / "site.yml", *pipeline, "-l", DEV.host)
    assert first.rc == 0, failures(first)
    account = DEV.account
    iam = session_of(emulator, f"arn:aws:iam::{account}:role/{PIPELINE_ROLE}").client(
        "iam", endpoint_url=emulator.endpoint
    )
    boundary = f"arn:aws:iam::{account}:policy/ConnectSsoFederationRoleBoundary"
    administrator = "arn:aws:iam::aws:policy/AdministratorAccess"
    role = next(r["RoleName"] for r in client_for("iam", account).list_roles()["Roles"] if "Connect_" in r["RoleName"])
    # a role of the federation roles' name made before the boundary existed (or by someone else)
    client_for("iam", account).create_role(
        RoleName="AmazonConnect_LEGACY_Role", AssumeRolePolicyDocument=trusting(account)
    )

    # 1. a new role without the boundary, or with another one
    name, trust = "AmazonConnect_EVIL_Role", trusting(AMBIENT_ACCOUNT)
    assert "iam:CreateRole" in denied(iam.create_role, RoleName=name, AssumeRolePolicyDocument=trust)
    denied(iam.create_role, RoleName=name, AssumeRolePolicyDocument=trust, PermissionsBoundary=administrator)
    # 2. AdministratorAccess (or any policy but the federation one) attached, bounded role or not
    denied(iam.attach_role_policy, RoleName=role, PolicyArn=administrator)
    denied(iam.attach_role_policy, RoleName="AmazonConnect_LEGACY_Role", PolicyArn=administrator)
    # 3. an inline *:* policy on a role without the boundary
    denied(iam.put_role_policy, RoleName="AmazonConnect_LEGACY_Role", PolicyName="x", PolicyDocument=ADMIN)
    # 4. the boundary removed, replaced, or rewritten
    denied(iam.delete_role_permissions_boundary, RoleName=role)
    denied(iam.put_role_permissions_boundary, RoleName=role, PermissionsBoundary=administrator)
    denied(iam.create_policy_version, PolicyArn=boundary, PolicyDocument=ADMIN, SetAsDefault=True)
    denied(iam.delete_policy, PolicyArn=boundary)
    admin_view = client_for("iam", account).get_role(RoleName=role)["Role"]
    assert admin_view["PermissionsBoundary"]["PermissionsBoundaryArn"] == boundary

    # 5. what the guard lets through is capped by the boundary: trust the pipeline, write *:* inline,
    # assume the role, and it still may do nothing but federate into Connect
    iam.update_assume_role_policy(RoleName=role, PolicyDocument=trusting(AMBIENT_ACCOUNT))
    iam.put_role_policy(RoleName=role, PolicyName="x", PolicyDocument=ADMIN)
    federation = session_of(emulator, admin_view["Arn"]).client("iam", endpoint_url=emulator.endpoint)
    assert "permissions boundary" in denied(federation.create_user, UserName="backdoor")
    denied(federation.attach_role_policy, RoleName=role, PolicyArn=administrator)


def test_opting_out_of_the_boundary_is_refused_by_the_documented_policy(playbook, emulator, client_for, pipeline):
    """connect_federation_permissions_boundary: "" would remove the boundary: the guard refuses it."""
    first = playbook(ROOT / "site.yml", *pipeline, "-l", DEV.host)
    assert first.rc == 0, failures(first)
    opt_out = playbook(ROOT / "site.yml", *pipeline, "-l", DEV.host, "-e", "connect_federation_permissions_boundary=")
    assert opt_out.rc != 0
    assert "DeleteRolePermissionsBoundary" in opt_out.stdout


def test_the_guard_lets_the_pipeline_switch_to_a_managed_federation_policy_and_back(playbook, emulator, pipeline):
    """AttachRolePolicy and DetachRolePolicy, only for the AmazonConnectFederation* policies."""
    site = ROOT / "site.yml"
    for policy_type in ("managed", "inline"):
        run = playbook(site, *pipeline, "-l", DEV.host, "-e", f"connect_federation_policy_type={policy_type}")
        assert run.rc == 0, failures(run)
    operations = {r["operation"] for r in emulator.requests(account=DEV.account) if r["write"]}
    assert {"CreatePolicy", "AttachRolePolicy", "DetachRolePolicy", "DeletePolicy"} <= operations
    assert [r for r in emulator.requests() if r["status"] == 403] == []
