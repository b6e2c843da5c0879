"""The sign-in simulator: the user clicks a host's app, and the answer says where they land or
which link of the chain broke - one case per link, each breaking only that link.

The chain is built once for the module by the site playbook over qa (two instances in one
account); each test breaks one link through the AWS APIs and puts it back afterwards, and a
check after every test proves the chain works again (so no test passes on another's damage).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from emulator.client import EmulatorClient, signed_control_call
from emulator.process import ansible_env
from emulator.sandbox import ACCOUNTS, IDENTITY_STORE_ID, INSTANCES, ROOT_ACCOUNT

pytestmark = pytest.mark.slow
REPOSITORY = Path(__file__).resolve().parents[3]
HOSTS = {i.host: i for i in INSTANCES}
QA = ACCOUNTS["qa"]
AGENT = "quinn.qa"
ROLE = "AmazonConnect_QA_us-west-2_Role"
PROVIDER = "AWSSSO_QA_us-west-2_Connect"
POLICY = "AmazonConnectFederation_QA_us-west-2"


@pytest.fixture(scope="module")
def chain(emulator_endpoint) -> EmulatorClient:
    """qa-east and qa-west federated by site.yml, once for every test here."""
    client = EmulatorClient(emulator_endpoint)
    client.reset(seed="sandbox")
    run = subprocess.run(
        [str(Path(sys.executable).with_name("ansible-playbook")), "site.yml", "-l", "qa"],
        cwd=REPOSITORY,
        env=ansible_env(emulator_endpoint),
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout[-3000:]
    return client


@pytest.fixture(autouse=True)
def chain_holds_again_after_each_test(chain):
    yield
    after = signin(chain, AGENT, "qa-west")
    assert after["ok"] and after["instance_id"] == HOSTS["qa-west"].id, after


@pytest.fixture
def iam(chain):
    session = chain.session(QA, "us-west-2")
    return session.client("iam", endpoint_url=chain.endpoint)


def signin(client: EmulatorClient, user: str, host: str) -> dict:
    return client.admin("POST", "/signin", {"user": user, "host": host})


def broken(answer: dict) -> tuple:
    return answer["ok"], answer.get("error_code"), answer.get("broken_link")


def provider_arn(host: str) -> str:
    instance = HOSTS[host]
    return f"arn:aws:iam::{instance.account}:saml-provider/AWSSSO_{instance.env.upper()}_{instance.region}_Connect"


def app_response_config(client: EmulatorClient, host: str) -> tuple[str, dict]:
    """(app instance id, response configuration) of the host's app, read through the control API."""
    root = client.session(ROOT_ACCOUNT)
    client.config(get_application_instance_includes_response_config=True)
    try:
        _status, listing = signed_control_call(client.endpoint, root, "ListApplicationInstances", {})
        app = next(a for a in listing["applicationInstances"] if a["display"]["displayName"] == HOSTS[host].app_name)
        _status, shape = signed_control_call(
            client.endpoint, root, "GetApplicationInstance", {"instanceId": app["instanceId"]}
        )
    finally:
        client.config(get_application_instance_includes_response_config=False)
    return app["instanceId"], shape["applicationInstance"]["responseConfig"]


def set_response_config(client: EmulatorClient, app_id: str, response: dict) -> None:
    status, answer = signed_control_call(
        client.endpoint,
        client.session(ROOT_ACCOUNT),
        "UpdateApplicationInstanceResponseConfiguration",
        {"instanceId": app_id, "responseConfig": response},
    )
    assert status == 200, answer


def test_the_agent_lands_on_the_instance_of_the_app_they_clicked(chain):
    for host in ("qa-east", "qa-west"):
        answer = signin(chain, AGENT, host)
        assert answer["ok"], answer
        assert answer["app"] == HOSTS[host].app_name
        assert answer["instance_id"] == HOSTS[host].id
        assert answer["federate_url"].startswith(f"https://{HOSTS[host].alias}.my.connect.aws/")
        # and with what they may do there: their Connect user's security profiles, by name
        assert answer["security_profiles"] == ["Agent"]


def test_an_unknown_host_or_no_app_is_a_bad_request(chain):
    from emulator.client import AdminError

    with pytest.raises(AdminError, match="400"):
        chain.admin("POST", "/signin", {"user": AGENT, "host": "nowhere"})
    with pytest.raises(AdminError, match="400"):
        chain.admin("POST", "/signin", {"user": AGENT})


def test_trust_policy_for_another_audience_breaks_the_role_trust(chain, iam):
    original = iam.get_role(RoleName=ROLE)["Role"]["AssumeRolePolicyDocument"]
    loosened = json.loads(json.dumps(original))
    loosened["Statement"][0]["Condition"]["StringEquals"]["SAML:aud"] = "https://evil.example.com/saml"
    iam.update_assume_role_policy(RoleName=ROLE, PolicyDocument=json.dumps(loosened))
    try:
        answer = signin(chain, AGENT, "qa-west")
    finally:
        iam.update_assume_role_policy(RoleName=ROLE, PolicyDocument=json.dumps(original))
    assert broken(answer) == (False, "AccessDenied", "role_trust"), answer
    assert "sts:AssumeRoleWithSAML" in answer["message"]


def test_provider_holding_another_apps_metadata_breaks_on_the_issuer(chain, iam):
    own = iam.get_saml_provider(SAMLProviderArn=provider_arn("qa-west"))["SAMLMetadataDocument"]
    other = iam.get_saml_provider(SAMLProviderArn=provider_arn("qa-east"))["SAMLMetadataDocument"]
    iam.update_saml_provider(SAMLProviderArn=provider_arn("qa-west"), SAMLMetadataDocument=other)
    try:
        answer = signin(chain, AGENT, "qa-west")
    finally:
        iam.update_saml_provider(SAMLProviderArn=provider_arn("qa-west"), SAMLMetadataDocument=own)
    assert broken(answer) == (False, "InvalidIdentityToken", "provider_metadata"), answer


def test_a_missing_provider_breaks_the_provider_link(chain, iam):
    arn = provider_arn("qa-west")
    metadata = iam.get_saml_provider(SAMLProviderArn=arn)["SAMLMetadataDocument"]
    iam.delete_saml_provider(SAMLProviderArn=arn)
    try:
        answer = signin(chain, AGENT, "qa-west")
    finally:
        assert iam.create_saml_provider(Name=PROVIDER, SAMLMetadataDocument=metadata)["SAMLProviderArn"] == arn
    assert broken(answer) == (False, "InvalidIdentityToken", "provider"), answer
    assert "Specified provider doesn't exist" in answer["message"]


def test_a_missing_role_breaks_the_trust_link(chain, iam):
    role = iam.get_role(RoleName=ROLE)["Role"]
    policy = iam.get_role_policy(RoleName=ROLE, PolicyName=POLICY)["PolicyDocument"]
    iam.delete_role_policy(RoleName=ROLE, PolicyName=POLICY)
    iam.delete_role(RoleName=ROLE)
    try:
        answer = signin(chain, AGENT, "qa-west")
    finally:
        iam.create_role(
            RoleName=ROLE,
            AssumeRolePolicyDocument=json.dumps(role["AssumeRolePolicyDocument"]),
            MaxSessionDuration=role["MaxSessionDuration"],
        )
        iam.put_role_policy(RoleName=ROLE, PolicyName=POLICY, PolicyDocument=json.dumps(policy))
    assert broken(answer) == (False, "AccessDenied", "role_trust"), answer
    assert ROLE in answer["message"]


def test_a_permission_policy_for_another_instance_breaks_get_federation_token(chain, iam):
    policy = iam.get_role_policy(RoleName=ROLE, PolicyName=POLICY)["PolicyDocument"]
    elsewhere = json.loads(json.dumps(policy).replace(HOSTS["qa-west"].arn, HOSTS["qa-east"].arn))
    assert elsewhere != policy  # the policy did name qa-west's instance
    iam.put_role_policy(RoleName=ROLE, PolicyName=POLICY, PolicyDocument=json.dumps(elsewhere))
    try:
        answer = signin(chain, AGENT, "qa-west")
    finally:
        iam.put_role_policy(RoleName=ROLE, PolicyName=POLICY, PolicyDocument=json.dumps(policy))
    assert broken(answer) == (False, "AccessDeniedException", "role_policy"), answer
    assert answer["passed"][-1] == "STS AssumeRoleWithSAML"


def test_a_relay_state_pointing_at_another_accounts_instance_breaks_the_relay_state(chain):
    app_id, response = app_response_config(chain, "qa-west")
    dev = HOSTS["dev-east"]
    set_response_config(
        chain, app_id, dict(response, relayState=f"https://us-east-1.console.aws.amazon.com/connect/federate/{dev.id}")
    )
    try:
        answer = signin(chain, AGENT, "qa-west")
    finally:
        set_response_config(chain, app_id, response)
    assert broken(answer) == (False, "ResourceNotFoundException", "relay_state"), answer


def test_a_relay_state_pointing_at_a_sibling_instance_is_session_expired_even_where_the_role_may_go(chain, iam):
    """With a role allowed on both qa instances, qa-west's app sending users to qa-east is still
    the broken relay state: the host's app must land on the host's instance ("Session expired")."""
    app_id, response = app_response_config(chain, "qa-west")
    east = HOSTS["qa-east"]
    policy = iam.get_role_policy(RoleName=ROLE, PolicyName=POLICY)["PolicyDocument"]
    both = json.loads(json.dumps(policy))
    for statement in json.loads(json.dumps(policy).replace(HOSTS["qa-west"].arn, east.arn))["Statement"]:
        both["Statement"].append(dict(statement, Sid=statement.get("Sid", "") + "QaEast"))
    iam.put_role_policy(RoleName=ROLE, PolicyName=POLICY, PolicyDocument=json.dumps(both))
    set_response_config(
        chain, app_id, dict(response, relayState=f"https://us-east-1.console.aws.amazon.com/connect/federate/{east.id}")
    )
    try:
        answer = signin(chain, AGENT, "qa-west")
        by_app = chain.admin("POST", "/signin", {"user": AGENT, "app": HOSTS["qa-west"].app_name})
    finally:
        set_response_config(chain, app_id, response)
        iam.put_role_policy(RoleName=ROLE, PolicyName=POLICY, PolicyDocument=json.dumps(policy))
    assert broken(answer) == (False, "SessionExpired", "relay_state"), answer
    assert east.id in answer["message"]
    # clicked by name, with no host to compare with, the user lands where the relay state says
    assert by_app["ok"] and by_app["instance_id"] == east.id, by_app
    assert by_app["federate_url"].startswith(f"https://{east.alias}.my.connect.aws/")


def test_a_role_session_name_matching_no_connect_user_is_not_onboarded(chain):
    """An IdC user in qa's agents group, with no Connect user of that name on the instance."""
    root = chain.session(ROOT_ACCOUNT)
    store_id = IDENTITY_STORE_ID
    identitystore = root.client("identitystore", endpoint_url=chain.endpoint)
    user_id = identitystore.create_user(
        IdentityStoreId=store_id,
        UserName="quincy.qa",
        DisplayName="Quincy Quartz",
        Name={"GivenName": "Quincy", "FamilyName": "Quartz"},
        Emails=[{"Value": "quincy.qa@example.com", "Type": "work", "Primary": True}],
    )["UserId"]
    group_id = identitystore.get_group_id(
        IdentityStoreId=store_id,
        AlternateIdentifier={
            "UniqueAttribute": {"AttributePath": "DisplayName", "AttributeValue": "connect-qa-agents"}
        },
    )["GroupId"]
    identitystore.create_group_membership(IdentityStoreId=store_id, GroupId=group_id, MemberId={"UserId": user_id})
    answer = signin(chain, "quincy.qa", "qa-west")
    assert broken(answer) == (False, "UserNotFoundException", "connect_user"), answer
    assert "has not been onboarded" in answer["message"] and "quincy.qa@example.com" in answer["message"]


def test_a_user_not_assigned_to_the_app_is_not_offered_it(chain):
    answer = signin(chain, "nora.nobody", "qa-west")
    assert broken(answer) == (False, "NotAssigned", "assignment"), answer
    assert answer["passed"] == ["IdC user"]
