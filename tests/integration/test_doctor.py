"""The federation doctor (connect_federation_check, doctor.yml): for each link broken in turn in
the emulator, the doctor names the same broken link as the sign-in simulator (POST /signin) for
the same break; a healthy organisation is ok everywhere; it never writes.

The chain is built once for the module by site.yml over qa (two instances in one account, the
same set-up as tests/emulator/tests/test_signin.py); each test breaks one link through the AWS
APIs and puts it back, and a check after every test proves the doctor and the simulator find the
chain whole again (so no test passes on another's damage).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

from emulator.client import EmulatorClient, aws_session, signed_control_call
from emulator.process import ansible_env
from emulator.sandbox import ACCOUNTS, INSTANCES, ROOT_ACCOUNT

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
HOSTS = {i.host: i for i in INSTANCES}
QA = ACCOUNTS["qa"]
AGENT = "quinn.qa"
ROLE = "AmazonConnect_QA_us-west-2_Role"
POLICY = "AmazonConnectFederation_QA_us-west-2"
QA_GROUPS = ["connect-qa-agents", "connect-qa-admins", "connect-qa-developers"]


def doctor_args(host: str, endpoint: str, **overrides) -> dict:
    """The module's options for a sandbox host, as the doctor playbook passes them (default names)."""
    instance = HOSTS[host]
    env, region = instance.env.upper(), instance.region
    idc = aws_session(endpoint, ROOT_ACCOUNT).get_credentials().get_frozen_credentials()
    args = {
        "region": region,
        "instance_alias": instance.alias,
        "idc": {
            "region": "us-east-1",
            "access_key": idc.access_key,
            "secret_key": idc.secret_key,
            "session_token": idc.token,
        },
        "app_name": instance.app_name,
        "provider_name": f"AWSSSO_{env}_{region}_Connect",
        "role_name": f"AmazonConnect_{env}_{region}_Role",
        "principals": [{"type": "GROUP", "name": g.replace("qa", instance.env)} for g in QA_GROUPS],
        "fail_on_error": False,
    }
    return dict(args, **overrides)


def diagnose(endpoint: str, host: str, **overrides) -> dict:
    """The doctor's result for a host, the module's main() run in this process."""
    from ansible_collections.connect_sso.federation.plugins.modules import connect_federation_check
    from ansible_collections.connect_sso.federation.plugins.plugin_utils.in_process import call_main

    member = aws_session(endpoint, HOSTS[host].account).get_credentials().get_frozen_credentials()
    env = {
        "AWS_ACCESS_KEY_ID": member.access_key,
        "AWS_SECRET_ACCESS_KEY": member.secret_key,
        "AWS_SESSION_TOKEN": member.token,
        "AWS_ENDPOINT_URL": endpoint,
    }
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        output = call_main(connect_federation_check.main, doctor_args(host, endpoint, **overrides))
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return json.loads(output)


@pytest.fixture(scope="module")
def chain(emulator_endpoint) -> EmulatorClient:
    """qa-east and qa-west federated by site.yml; the console API shows attribute mappings."""
    client = EmulatorClient(emulator_endpoint)
    client.reset(seed="sandbox")
    run = subprocess.run(
        [str(Path(sys.executable).with_name("ansible-playbook")), "site.yml", "-l", "qa"],
        cwd=ROOT,
        env=ansible_env(emulator_endpoint),
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout[-3000:]
    client.config(get_application_instance_includes_response_config=True)
    yield client
    client.config(get_application_instance_includes_response_config=False)


def signin(client: EmulatorClient, host: str, user: str = AGENT) -> dict:
    return client.admin("POST", "/signin", {"user": user, "host": host})


@pytest.fixture(autouse=True)
def chain_is_whole_again_after_each_test(chain):
    yield
    assert signin(chain, "qa-west")["ok"]
    assert diagnose(chain.endpoint, "qa-west")["ok"]


def iam(client: EmulatorClient, region: str = "us-west-2"):
    return client.session(QA, region).client("iam", endpoint_url=client.endpoint)


def provider_arn(host: str) -> str:
    instance = HOSTS[host]
    return f"arn:aws:iam::{instance.account}:saml-provider/AWSSSO_{instance.env.upper()}_{instance.region}_Connect"


def control(client: EmulatorClient, operation: str, **body) -> dict:
    status, answer = signed_control_call(client.endpoint, client.session(ROOT_ACCOUNT), operation, body)
    assert status == 200, answer
    return answer


def app_of(client: EmulatorClient, host: str) -> dict:
    """The host's app as the console API answers (with its response configuration: the chain fixture's switch)."""
    listing = control(client, "ListApplicationInstances")["applicationInstances"]
    return next(a for a in listing if a["display"]["displayName"] == HOSTS[host].app_name)


@contextmanager
def response_changed(client: EmulatorClient, host: str, **changes):
    """The host's app's response configuration with `changes` (None: the field removed), put back after."""
    app = app_of(client, host)
    original = app["responseConfig"]
    changed = {k: v for k, v in dict(original, **changes).items() if v is not None}
    control(
        client, "UpdateApplicationInstanceResponseConfiguration", instanceId=app["instanceId"], responseConfig=changed
    )
    try:
        yield
    finally:
        control(
            client,
            "UpdateApplicationInstanceResponseConfiguration",
            instanceId=app["instanceId"],
            responseConfig=original,
        )


@contextmanager
def role_policy(client: EmulatorClient, document_of):
    """qa-west's federation policy replaced by document_of(current policy), put back after."""
    client_iam = iam(client)
    policy = client_iam.get_role_policy(RoleName=ROLE, PolicyName=POLICY)["PolicyDocument"]
    client_iam.put_role_policy(RoleName=ROLE, PolicyName=POLICY, PolicyDocument=json.dumps(document_of(policy)))
    try:
        yield
    finally:
        client_iam.put_role_policy(RoleName=ROLE, PolicyName=POLICY, PolicyDocument=json.dumps(policy))


@contextmanager
def trust_for_another_audience(client):
    client_iam = iam(client)
    original = client_iam.get_role(RoleName=ROLE)["Role"]["AssumeRolePolicyDocument"]
    loosened = json.loads(json.dumps(original))
    loosened["Statement"][0]["Condition"]["StringEquals"]["SAML:aud"] = "https://evil.example.com/saml"
    client_iam.update_assume_role_policy(RoleName=ROLE, PolicyDocument=json.dumps(loosened))
    try:
        yield
    finally:
        client_iam.update_assume_role_policy(RoleName=ROLE, PolicyDocument=json.dumps(original))


@contextmanager
def provider_metadata_of(client, document: str):
    client_iam = iam(client)
    own = client_iam.get_saml_provider(SAMLProviderArn=provider_arn("qa-west"))["SAMLMetadataDocument"]
    client_iam.update_saml_provider(SAMLProviderArn=provider_arn("qa-west"), SAMLMetadataDocument=document)
    try:
        yield
    finally:
        client_iam.update_saml_provider(SAMLProviderArn=provider_arn("qa-west"), SAMLMetadataDocument=own)


@contextmanager
def another_apps_metadata(client):
    east = client.session(QA).client("iam", endpoint_url=client.endpoint)
    with provider_metadata_of(
        client, east.get_saml_provider(SAMLProviderArn=provider_arn("qa-east"))["SAMLMetadataDocument"]
    ):
        yield


@contextmanager
def no_provider(client):
    client_iam = iam(client)
    metadata = client_iam.get_saml_provider(SAMLProviderArn=provider_arn("qa-west"))["SAMLMetadataDocument"]
    client_iam.delete_saml_provider(SAMLProviderArn=provider_arn("qa-west"))
    try:
        yield
    finally:
        client_iam.create_saml_provider(Name="AWSSSO_QA_us-west-2_Connect", SAMLMetadataDocument=metadata)


@contextmanager
def no_role(client):
    client_iam = iam(client)
    role = client_iam.get_role(RoleName=ROLE)["Role"]
    policy = client_iam.get_role_policy(RoleName=ROLE, PolicyName=POLICY)["PolicyDocument"]
    client_iam.delete_role_policy(RoleName=ROLE, PolicyName=POLICY)
    client_iam.delete_role(RoleName=ROLE)
    try:
        yield
    finally:
        client_iam.create_role(
            RoleName=ROLE,
            AssumeRolePolicyDocument=json.dumps(role["AssumeRolePolicyDocument"]),
            MaxSessionDuration=role["MaxSessionDuration"],
        )
        client_iam.put_role_policy(RoleName=ROLE, PolicyName=POLICY, PolicyDocument=json.dumps(policy))


def federate(instance) -> str:
    return f"https://{instance.region}.console.aws.amazon.com/connect/federate/{instance.id}"


@contextmanager
def relay_states_swapped(client):
    with (
        response_changed(client, "qa-west", relayState=federate(HOSTS["qa-east"])),
        response_changed(client, "qa-east", relayState=federate(HOSTS["qa-west"])),
    ):
        yield


@contextmanager
def app_status(client, status: str):
    app = app_of(client, "qa-west")
    control(client, "UpdateApplicationInstanceStatus", instanceId=app["instanceId"], status=status)
    try:
        yield
    finally:
        control(client, "UpdateApplicationInstanceStatus", instanceId=app["instanceId"], status="ENABLED")


@contextmanager
def nobody_assigned(client):
    root = client.session(ROOT_ACCOUNT)
    sso = root.client("sso-admin", endpoint_url=client.endpoint)
    arn = diagnose(client.endpoint, "qa-west")["app"]["arn"]
    assigned = sso.list_application_assignments(ApplicationArn=arn)["ApplicationAssignments"]
    for a in assigned:
        sso.delete_application_assignment(
            ApplicationArn=arn, PrincipalId=a["PrincipalId"], PrincipalType=a["PrincipalType"]
        )
    try:
        yield
    finally:
        for a in assigned:
            sso.create_application_assignment(
                ApplicationArn=arn, PrincipalId=a["PrincipalId"], PrincipalType=a["PrincipalType"]
            )


def metadata_now(client, host: str) -> str:
    import urllib.request

    url = app_of(client, host)["identityProviderConfig"]["metadataUrl"]
    with urllib.request.urlopen(url) as page:  # noqa: S310 - the emulator's metadata page
        return page.read().decode()


@contextmanager
def certificate_rotated(client, valid_days: int | None = None, provider_follows: bool = False):
    """A new signing certificate for qa-west's app (valid_days: expired when 0 or less); with
    provider_follows, the IAM provider gets the new metadata. Put back: a fresh certificate, the provider updated."""
    app_id = app_of(client, "qa-west")["instanceId"]
    client.admin(
        "POST",
        "/idc/rotate-certificate",
        {"instance_id": app_id, **({"valid_days": valid_days} if valid_days is not None else {})},
    )
    client_iam = iam(client)
    if provider_follows:
        client_iam.update_saml_provider(
            SAMLProviderArn=provider_arn("qa-west"), SAMLMetadataDocument=metadata_now(client, "qa-west")
        )
    try:
        yield
    finally:
        client.admin("POST", "/idc/rotate-certificate", {"instance_id": app_id})
        client_iam.update_saml_provider(
            SAMLProviderArn=provider_arn("qa-west"), SAMLMetadataDocument=metadata_now(client, "qa-west")
        )


@contextmanager
def assigned_user_without_connect_user(client):
    """An IdC user in qa's agents group (assigned through it), with no Connect user of that name."""
    store = client.session(ROOT_ACCOUNT).client("identitystore", endpoint_url=client.endpoint)
    from emulator.sandbox import IDENTITY_STORE_ID

    user_id = store.create_user(
        IdentityStoreId=IDENTITY_STORE_ID,
        UserName="quincy.qa",
        DisplayName="Quincy Quartz",
        Name={"GivenName": "Quincy", "FamilyName": "Quartz"},
        Emails=[{"Value": "quincy.qa@example.com", "Type": "work", "Primary": True}],
    )["UserId"]
    group_id = store.get_group_id(
        IdentityStoreId=IDENTITY_STORE_ID,
        AlternateIdentifier={
            "UniqueAttribute": {"AttributePath": "DisplayName", "AttributeValue": "connect-qa-agents"}
        },
    )["GroupId"]
    membership = store.create_group_membership(
        IdentityStoreId=IDENTITY_STORE_ID, GroupId=group_id, MemberId={"UserId": user_id}
    )
    try:
        yield "quincy.qa"
    finally:
        store.delete_group_membership(IdentityStoreId=IDENTITY_STORE_ID, MembershipId=membership["MembershipId"])
        store.delete_user(IdentityStoreId=IDENTITY_STORE_ID, UserId=user_id)


def _another_instance(policy: dict) -> dict:
    return json.loads(json.dumps(policy).replace(HOSTS["qa-west"].arn, HOSTS["qa-east"].arn))


def _wildcard(policy: dict) -> dict:
    return {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "connect:*", "Resource": f"arn:aws:connect:*:{QA}:instance/*"}],
    }


def _with_deny(policy: dict) -> dict:
    deny = {"Sid": "NoFederation", "Effect": "Deny", "Action": "connect:GetFederation*", "Resource": "*"}
    return dict(policy, Statement=[*policy["Statement"], deny])


ROLE_ATTRIBUTE = "https://aws.amazon.com/SAML/Attributes/Role"
SESSION_NAME_ATTRIBUTE = "https://aws.amazon.com/SAML/Attributes/RoleSessionName"


def _without(name: str):
    def change(client):
        properties = {k: v for k, v in app_of(client, "qa-west")["responseConfig"]["properties"].items() if k != name}
        return response_changed(client, "qa-west", properties=properties)

    return change


# break -> the link both must name (None: a break that is not one: both let the user in)
BREAKS = {
    "app disabled": (lambda c: app_status(c, "DISABLED"), "app_status"),
    "nobody assigned": (nobody_assigned, "assignment"),
    "no Role attribute": (_without(ROLE_ATTRIBUTE), "role_attribute"),
    "no provider": (no_provider, "provider"),
    "provider holding another app's metadata": (another_apps_metadata, "provider_metadata"),
    "certificate rotated, provider stale": (certificate_rotated, "provider_metadata"),
    "trust for another audience": (trust_for_another_audience, "role_trust"),
    "no role": (no_role, "role_trust"),
    "policy for another instance": (lambda c: role_policy(c, _another_instance), "role_policy"),
    "explicit Deny": (lambda c: role_policy(c, _with_deny), "role_policy"),
    "wildcard policy that allows": (lambda c: role_policy(c, _wildcard), None),
    "relay state at another account's instance": (
        lambda c: response_changed(c, "qa-west", relayState=federate(HOSTS["dev-east"])),
        "relay_state",
    ),
    "relay states of two instances swapped": (relay_states_swapped, "relay_state"),
    "no RoleSessionName mapping": (_without(SESSION_NAME_ATTRIBUTE), "session_name"),
    "expired certificate": (
        lambda c: certificate_rotated(c, valid_days=-1, provider_follows=True),
        "certificate_expiry",
    ),
}


@pytest.mark.parametrize("name", BREAKS)
def test_the_doctor_names_the_link_the_sign_in_simulator_finds_broken(chain, name):
    make_break, link = BREAKS[name]
    with make_break(chain):
        simulated = signin(chain, "qa-west")
        diagnosed = diagnose(chain.endpoint, "qa-west")
    assert simulated.get("broken_link") == diagnosed["broken_link"] == link, (simulated, diagnosed)
    assert diagnosed["ok"] is (link is None)
    if link is not None:
        finding = next(f for f in diagnosed["findings"] if f["link"] == link and f["severity"] == "error")
        assert finding["message"] and finding["fix"], finding


def test_an_assigned_user_without_a_connect_user_is_named(chain):
    with assigned_user_without_connect_user(chain) as user:
        simulated = signin(chain, "qa-west", user)
        diagnosed = diagnose(chain.endpoint, "qa-west")
    assert simulated["broken_link"] == diagnosed["broken_link"] == "connect_user", (simulated, diagnosed)
    message = next(f["message"] for f in diagnosed["findings"] if f["link"] == "connect_user")
    assert "has not been onboarded" in message and "quincy.qa@example.com" in message


def test_swapped_relay_states_name_the_app_that_sends_users_here(chain):
    with relay_states_swapped(chain):
        diagnosed = diagnose(chain.endpoint, "qa-west")
    messages = {f["link"]: f["message"] for f in diagnosed["findings"]}
    assert messages["relay_state"].startswith("Session expired") and HOSTS["qa-east"].id in messages["relay_state"]
    assert HOSTS["qa-east"].app_name in messages["app"]  # a warning: that app sends users to qa-west


def test_a_healthy_organisation_is_ok_everywhere_and_the_doctor_never_writes(chain):
    mark = chain.mark()
    for host in ("qa-east", "qa-west"):
        result = diagnose(chain.endpoint, host)
        assert (result["ok"], result["broken_link"], result["findings"]) == (True, None, []), result
    assert chain.writes(since=mark) == []
    # with the mappings hidden (AWS's published answer), the digest tag vouches for them
    chain.config(get_application_instance_includes_response_config=False)
    try:
        hidden = diagnose(chain.endpoint, "qa-west")
    finally:
        chain.config(get_application_instance_includes_response_config=True)
    assert (hidden["ok"], hidden["findings"]) == (True, []), hidden
    assert chain.writes(since=mark) == []


def test_doctor_playbook_writes_one_report_prints_the_table_and_fails_the_broken_host(chain, tmp_path):
    """ansible-playbook doctor.yml -l qa, from another directory: the report lands in that directory;
    the host with the broken link fails (exit code 2), the healthy one does not; nothing is written to AWS."""
    with relay_states_swapped(chain):
        mark = chain.mark()
        run = subprocess.run(
            [str(Path(sys.executable).with_name("ansible-playbook")), str(ROOT / "doctor.yml"), "-l", "qa"],
            cwd=tmp_path,
            env=ansible_env(chain.endpoint),
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )
        writes = chain.writes(since=mark)
    assert run.returncode == 2, run.stdout[-3000:]
    assert writes == []
    report = json.loads((tmp_path / "doctor-report.json").read_text())
    assert report["summary"]["broken"] == {"qa-east": "relay_state", "qa-west": "relay_state"}
    assert report["hosts"]["qa-west"]["instance_id"] == HOSTS["qa-west"].id
    markdown = (tmp_path / "doctor-report.md").read_text()
    assert "| qa-west |" in markdown and "Session expired" in markdown and "Fix:" in markdown
    assert "broken: relay_state" in run.stdout  # the printed table
    # the console API's inferred facts, probed read-only (zero writes, above) on the converged organisation
    facts = {a["fact"]: a["agrees"] for a in report["facts"]["answers"]}
    assert facts["relay_state_field"] is True and report["facts"]["write_probe"] is None
    assert "## Console API facts" in markdown and "`relay_state_field`: agrees" in markdown
    assert sorted(p.name for p in tmp_path.iterdir()) == ["doctor-report.json", "doctor-report.md"]


def test_a_certificate_expiring_within_90_days_is_a_warning_not_a_break(chain):
    with certificate_rotated(chain, valid_days=30, provider_follows=True):
        simulated = signin(chain, "qa-west")
        diagnosed = diagnose(chain.endpoint, "qa-west")
    assert simulated["ok"] and diagnosed["ok"], (simulated, diagnosed)
    assert [(f["link"], f["severity"]) for f in diagnosed["findings"]] == [("certificate_expiry", "warning")]
