"""connect_federation_role through ansible-playbook against the emulator."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from samlfixtures import make_certificate_b64, make_metadata

from emulator.sandbox import ACCOUNTS, INSTANCES

pytestmark = pytest.mark.slow
PROD = ACCOUNTS["prod"]
PROD_WEST = next(i for i in INSTANCES if i.host == "prod-west")
PROVIDER = f"arn:aws:iam::{PROD}:saml-provider/AWSSSO_PROD_us-west-2_Connect"
ROLE = "AmazonConnect_PROD_us-west-2_Role"


@pytest.fixture
def provider(client_for):
    metadata = make_metadata([make_certificate_b64("role-tests")])
    return client_for("iam", PROD).create_saml_provider(
        Name="AWSSSO_PROD_us-west-2_Connect", SAMLMetadataDocument=metadata
    )["SAMLProviderArn"]


def args(**overrides) -> dict:
    return {"name": ROLE, "provider_arns": [PROVIDER], "instance_arns": [PROD_WEST.arn], **overrides}


def iam_writes(emulator, mark):
    return [r["operation"] for r in emulator.writes(since=mark) if r["service"] == "iam"]


def module_calls(emulator, mark):
    """Every call since mark but the AssumeRole run_module makes to get the account's credentials."""
    return [r["operation"] for r in emulator.requests(since=mark) if r["operation"] != "AssumeRole"]


def test_create_then_rerun_makes_no_write(run_module, emulator, provider, client_for):
    out = run_module("connect_federation_role", args(tags={"env": "prod"}), account=PROD)
    assert not out.failed, out.msg
    assert out.result["changed"] is True
    assert out.result["arn"] == f"arn:aws:iam::{PROD}:role/{ROLE}"
    statement = out.result["trust_policy"]["Statement"][0]
    assert statement["Principal"] == {"Federated": provider}
    assert statement["Condition"] == {"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}}
    assert out.result["federation_policy"]["Statement"][0]["Resource"] == PROD_WEST.arn + "/user/${aws:userid}"
    iam = client_for("iam", PROD)
    assert iam.get_role(RoleName=ROLE)["Role"]["MaxSessionDuration"] == 43200
    assert (
        iam.get_role_policy(RoleName=ROLE, PolicyName="AmazonConnectFederation")["PolicyDocument"]
        == (out.result["federation_policy"])
    )

    mark = emulator.mark()
    again = run_module("connect_federation_role", args(tags={"env": "prod"}), account=PROD)
    assert again.result["changed"] is False
    assert iam_writes(emulator, mark) == []


def test_check_mode_makes_no_write_and_predicts_the_arn(run_module, emulator, provider):
    mark = emulator.mark()
    out = run_module("connect_federation_role", args(), account=PROD, check=True, diff=True)
    assert (out.result["changed"], out.result["arn"]) == (True, f"arn:aws:iam::{PROD}:role/{ROLE}")
    assert out.result["diff"]["before"] == {}
    assert out.result["diff"]["after"]["trust_policy"] == out.result["trust_policy"]
    assert iam_writes(emulator, mark) == []


def test_equivalent_trust_policy_is_not_a_change(run_module, emulator, provider, client_for):
    out = run_module("connect_federation_role", args(), account=PROD)
    statement = out.result["trust_policy"]["Statement"][0]
    reordered = {
        "Statement": [{**dict(reversed(list(statement.items()))), "Action": ["sts:AssumeRoleWithSAML"]}],
        "Version": "2012-10-17",
    }
    client_for("iam", PROD).update_assume_role_policy(RoleName=ROLE, PolicyDocument=json.dumps(reordered))
    mark = emulator.mark()
    assert run_module("connect_federation_role", args(), account=PROD).result["changed"] is False
    assert iam_writes(emulator, mark) == []


def test_drifted_trust_policy_is_repaired_and_shown(run_module, emulator, provider, client_for):
    out = run_module("connect_federation_role", args(), account=PROD)
    drifted = json.loads(json.dumps(out.result["trust_policy"]))
    drifted["Statement"][0]["Condition"]["StringEquals"]["SAML:aud"] = "https://evil.example.com/saml"
    client_for("iam", PROD).update_assume_role_policy(RoleName=ROLE, PolicyDocument=json.dumps(drifted))
    mark = emulator.mark()
    fixed = run_module("connect_federation_role", args(), account=PROD, diff=True)
    assert fixed.result["changed"] is True
    assert fixed.result["diff"]["before"]["trust_policy"] == drifted
    assert iam_writes(emulator, mark) == ["UpdateAssumeRolePolicy"]


def test_regional_audience_and_session_duration_are_updated(run_module, emulator, provider, client_for):
    run_module("connect_federation_role", args(), account=PROD)
    audiences = ["https://signin.aws.amazon.com/saml", "https://us-west-2.signin.aws.amazon.com/saml"]
    mark = emulator.mark()
    out = run_module("connect_federation_role", args(saml_audiences=audiences, max_session_duration=3600), account=PROD)
    assert out.result["trust_policy"]["Statement"][0]["Condition"]["StringEquals"]["SAML:aud"] == audiences
    assert sorted(iam_writes(emulator, mark)) == ["UpdateAssumeRolePolicy", "UpdateRole"]
    assert client_for("iam", PROD).get_role(RoleName=ROLE)["Role"]["MaxSessionDuration"] == 3600


def test_managed_policy_mode(run_module, emulator, provider, client_for):
    out = run_module("connect_federation_role", args(policy_type="managed"), account=PROD)
    assert not out.failed, out.msg
    iam = client_for("iam", PROD)
    [attached] = iam.list_attached_role_policies(RoleName=ROLE)["AttachedPolicies"]
    assert attached["PolicyArn"] == f"arn:aws:iam::{PROD}:policy/AmazonConnectFederation"
    mark = emulator.mark()
    assert run_module("connect_federation_role", args(policy_type="managed"), account=PROD).result["changed"] is False
    assert iam_writes(emulator, mark) == []
    gone = run_module(
        "connect_federation_role", {"name": ROLE, "state": "absent", "policy_type": "managed"}, account=PROD
    )
    assert gone.result["changed"] is True
    assert iam.list_policies(Scope="Local")["Policies"] == []


def test_absent_deletes_owned_and_refuses_unowned_unless_forced(run_module, provider, client_for):
    run_module("connect_federation_role", args(), account=PROD)
    assert run_module("connect_federation_role", {"name": ROLE, "state": "absent"}, account=PROD).result["changed"]
    client_for("iam", PROD).create_role(
        RoleName="HandMade",
        AssumeRolePolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Principal": {"Federated": provider}, "Action": "sts:AssumeRoleWithSAML"}
                ],
            }
        ),
    )
    refused = run_module("connect_federation_role", {"name": "HandMade", "state": "absent"}, account=PROD)
    assert refused.failed and "not created by this collection" in refused.msg
    forced = run_module("connect_federation_role", {"name": "HandMade", "state": "absent", "force": True}, account=PROD)
    assert forced.result["changed"] is True


@pytest.mark.parametrize(
    "overrides, fragment",
    [
        ({"name": "bad/name"}, "name='bad/name': an IAM role name is 1 to 64 characters"),
        ({"provider_arns": ["not-an-arn"]}, "provider_arns[0]='not-an-arn': is not an ARN"),
        ({"provider_arns": [PROVIDER.replace("arn:aws:", "arn:aws-us-gov:")]}, "is in partition aws-us-gov"),
        ({"provider_arns": [PROVIDER.replace(PROD, ACCOUNTS["qa"])]}, "share one account"),
        ({"instance_arns": [PROD_WEST.arn.replace("us-west-2", "us-west-9")]}, "'us-west-9' is not an AWS region"),
        ({"instance_arns": [PROD_WEST.arn.rsplit("/", 1)[0] + "/nope"]}, "lower-case UUID"),
        ({"saml_audiences": ["urn:amazon:webservices"]}, "saml_audiences[0]='urn:amazon:webservices'"),
        ({"max_session_duration": 60}, "max_session_duration=60: IAM allows 3600 to 43200 seconds"),
        ({"path": "no-slash"}, "path='no-slash'"),
    ],
)
def test_bad_inputs_fail_before_any_call(run_module, emulator, overrides, fragment):
    mark = emulator.mark()
    out = run_module("connect_federation_role", args(**overrides), account=PROD)
    assert out.failed
    assert fragment in out.msg
    assert [r for r in emulator.requests(since=mark) if r["service"] == "iam"] == []


def test_role_name_of_65_characters_is_refused_before_any_call(run_module, emulator):
    mark = emulator.mark()
    out = run_module("connect_federation_role", args(name="R" * 65), account=PROD)
    assert out.failed
    assert out.msg == f"name={'R' * 65!r}: an IAM role name is 1 to 64 characters from letters, digits and +=,.@_-"
    assert module_calls(emulator, mark) == []


def test_region_that_does_not_exist_fails_before_any_call(run_module, emulator):
    mark = emulator.mark()
    out = run_module("connect_federation_role", args(region="us-east-7"), account=PROD)
    assert out.failed
    assert out.msg.startswith("region='us-east-7': is not an AWS region botocore knows (known: ")
    assert module_calls(emulator, mark) == []


def test_arns_outside_the_regions_partition_fail_before_any_call(run_module, emulator):
    mark = emulator.mark()
    out = run_module("connect_federation_role", args(region="us-gov-west-1"), account=PROD)
    assert out.failed
    assert out.msg == (
        f"instance_arns[0]={PROD_WEST.arn!r}: is in partition aws, but the module's region is in partition aws-us-gov"
    )
    assert module_calls(emulator, mark) == []


def test_created_role_carries_the_ownership_tag_and_purge_removes_an_extra_tag(
    run_module, emulator, provider, client_for
):
    run_module("connect_federation_role", args(tags={"env": "prod"}), account=PROD)
    iam = client_for("iam", PROD)
    iam.tag_role(RoleName=ROLE, Tags=[{"Key": "extra", "Value": "by-hand"}])
    mark = emulator.mark()
    out = run_module("connect_federation_role", args(tags={"env": "prod"}, purge_tags=True), account=PROD)
    assert out.result["changed"] is True
    assert iam_writes(emulator, mark) == ["UntagRole"]
    tags = {t["Key"]: t["Value"] for t in iam.list_role_tags(RoleName=ROLE)["Tags"]}
    assert tags == {"env": "prod", "managed-by": "connect_sso.federation", "managed-by:policy-type": "inline"}


def test_check_mode_update_shows_the_change_and_makes_no_write(run_module, emulator, provider, client_for):
    run_module("connect_federation_role", args(), account=PROD)
    audiences = ["https://signin.aws.amazon.com/saml", "https://us-west-2.signin.aws.amazon.com/saml"]
    mark = emulator.mark()
    out = run_module("connect_federation_role", args(saml_audiences=audiences), account=PROD, check=True, diff=True)
    assert out.result["changed"] is True
    assert out.result["diff"]["before"]["trust_policy"]["Statement"][0]["Condition"]["StringEquals"] == {
        "SAML:aud": "https://signin.aws.amazon.com/saml"
    }
    assert out.result["diff"]["after"]["trust_policy"]["Statement"][0]["Condition"]["StringEquals"] == {
        "SAML:aud": audiences
    }
    assert emulator.writes(since=mark) == []


def test_check_mode_absent_makes_no_write(run_module, emulator, provider, client_for):
    run_module("connect_federation_role", args(), account=PROD)
    mark = emulator.mark()
    out = run_module("connect_federation_role", {"name": ROLE, "state": "absent"}, account=PROD, check=True)
    assert out.result["changed"] is True
    assert emulator.writes(since=mark) == []
    assert client_for("iam", PROD).get_role(RoleName=ROLE)["Role"]["RoleName"] == ROLE


def test_switching_policy_type_leaves_only_the_new_grant(run_module, emulator, provider, client_for):
    iam = client_for("iam", PROD)
    managed = f"arn:aws:iam::{PROD}:policy/AmazonConnectFederation"
    run_module("connect_federation_role", args(), account=PROD)

    to_managed = run_module("connect_federation_role", args(policy_type="managed"), account=PROD, diff=True)
    assert to_managed.result["changed"] is True
    assert to_managed.result["diff"]["before"]["other_policy"]["type"] == "inline"
    assert "other_policy" not in to_managed.result["diff"]["after"]
    assert iam.list_role_policies(RoleName=ROLE)["PolicyNames"] == []
    assert [p["PolicyArn"] for p in iam.list_attached_role_policies(RoleName=ROLE)["AttachedPolicies"]] == [managed]
    mark = emulator.mark()
    assert run_module("connect_federation_role", args(policy_type="managed"), account=PROD).result["changed"] is False
    assert iam_writes(emulator, mark) == []

    back = run_module("connect_federation_role", args(policy_type="inline"), account=PROD, diff=True)
    assert back.result["changed"] is True
    assert back.result["diff"]["before"]["other_policy"] == {
        "type": "managed",
        "arn": managed,
        "document": to_managed.result["federation_policy"],
    }
    assert iam.list_role_policies(RoleName=ROLE)["PolicyNames"] == ["AmazonConnectFederation"]
    assert iam.list_attached_role_policies(RoleName=ROLE)["AttachedPolicies"] == []
    assert iam.list_policies(Scope="Local")["Policies"] == []  # we made it and nothing else used it
    mark = emulator.mark()
    assert run_module("connect_federation_role", args(), account=PROD).result["changed"] is False
    assert iam_writes(emulator, mark) == []


def test_a_switch_cut_short_is_finished_next_run_and_a_settled_role_is_not_searched_again(
    run_module, emulator, provider, client_for
):
    iam = client_for("iam", PROD)
    run_module("connect_federation_role", args(policy_type="managed"), account=PROD)
    # a run switching to inline that stopped after its first write: the inline grant is in place,
    # the managed one still attached, and the role still marked managed
    document = iam.get_policy_version(PolicyArn=f"arn:aws:iam::{PROD}:policy/AmazonConnectFederation", VersionId="v1")[
        "PolicyVersion"
    ]["Document"]
    iam.put_role_policy(RoleName=ROLE, PolicyName="AmazonConnectFederation", PolicyDocument=json.dumps(document))
    finish = run_module("connect_federation_role", args(policy_type="inline"), account=PROD)
    assert finish.result["changed"] is True
    assert iam.list_attached_role_policies(RoleName=ROLE)["AttachedPolicies"] == []
    tags = {t["Key"]: t["Value"] for t in iam.list_role_tags(RoleName=ROLE)["Tags"]}
    assert tags["managed-by:policy-type"] == "inline"
    mark = emulator.mark()
    assert run_module("connect_federation_role", args(), account=PROD).result["changed"] is False
    reads = [r["operation"] for r in emulator.requests(since=mark) if r["service"] == "iam"]
    assert reads == ["GetRole", "GetRolePolicy"]  # settled: no search for a managed grant


def test_a_new_managed_policy_document_replaces_the_policy_without_a_new_version(
    run_module, emulator, provider, client_for
):
    """iam:CreatePolicyVersion is a known privilege-escalation action the pipeline's policy does not
    grant: a managed federation policy whose document changes is detached, deleted, made and attached again."""
    assert not run_module("connect_federation_role", args(policy_type="managed"), account=PROD).failed
    prod_east = next(i for i in INSTANCES if i.host == "prod-east")
    mark = emulator.mark()
    out = run_module(
        "connect_federation_role",
        args(policy_type="managed", instance_arns=[PROD_WEST.arn, prod_east.arn]),
        account=PROD,
    )
    assert not out.failed, out.msg
    assert "CreatePolicyVersion" not in iam_writes(emulator, mark)
    iam = client_for("iam", PROD)
    [attached] = iam.list_attached_role_policies(RoleName=ROLE)["AttachedPolicies"]
    policy = iam.get_policy(PolicyArn=attached["PolicyArn"])["Policy"]
    document = iam.get_policy_version(PolicyArn=attached["PolicyArn"], VersionId=policy["DefaultVersionId"])
    assert document["PolicyVersion"]["Document"] == out.result["federation_policy"]
    assert len(iam.list_policy_versions(PolicyArn=attached["PolicyArn"])["Versions"]) == 1


def test_the_boundary_policy_is_made_once_before_the_role_and_never_changed(run_module, emulator, provider, client_for):
    boundary = f"arn:aws:iam::{PROD}:policy/ConnectSsoFederationRoleBoundary"
    with_boundary = args(permissions_boundary_policy={"name": "ConnectSsoFederationRoleBoundary"})
    check = run_module("connect_federation_role", with_boundary, account=PROD, check=True)
    assert check.result["changed"] is True and check.result["boundary"] == {"changed": True, "arn": boundary}
    iam = client_for("iam", PROD)
    assert iam.list_policies(Scope="Local")["Policies"] == []

    mark = emulator.mark()
    out = run_module("connect_federation_role", with_boundary, account=PROD)
    assert not out.failed, out.msg
    assert iam_writes(emulator, mark)[:2] == ["CreatePolicy", "CreateRole"]
    assert iam.get_role(RoleName=ROLE)["Role"]["PermissionsBoundary"]["PermissionsBoundaryArn"] == boundary
    policy = iam.get_policy(PolicyArn=boundary)["Policy"]
    assert {"Key": "managed-by", "Value": "connect_sso.federation"} in policy["Tags"]
    shipped = json.loads((Path(__file__).resolve().parents[2] / "docs/iam/federation-role-boundary.json").read_text())
    assert iam.get_policy_version(PolicyArn=boundary, VersionId="v1")["PolicyVersion"]["Document"] == shipped

    mark = emulator.mark()
    again = run_module("connect_federation_role", with_boundary, account=PROD)
    assert again.result["changed"] is False and iam_writes(emulator, mark) == []

    # someone changed it: left as it is, with a warning
    wider = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "connect:*", "Resource": "*"}]}
    iam.create_policy_version(PolicyArn=boundary, PolicyDocument=json.dumps(wider), SetAsDefault=True)
    mark = emulator.mark()
    changed = run_module("connect_federation_role", with_boundary, account=PROD, through_playbook=True)
    assert iam_writes(emulator, mark) == []
    assert "exists with another document than the one asked" in changed.output

    both = run_module("connect_federation_role", dict(with_boundary, permissions_boundary=boundary), account=PROD)
    assert both.failed and "mutually exclusive" in both.msg
