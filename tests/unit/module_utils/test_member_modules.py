"""The member-account modules' pure pieces: plans, desired documents, lookups, and input rules."""

from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest
from ansible_collections.connect_sso.federation.plugins.module_utils import (
    arns,
    connect,
    federation_role,
    policies,
    relay_state,
    saml_metadata,
    saml_provider,
)
from ansible_collections.connect_sso.federation.plugins.module_utils.errors import FederationError, ValidationError
from ansible_collections.connect_sso.federation.plugins.module_utils.module_support import tags_after
from samlfixtures import make_certificate_b64, make_metadata

INSTANCE = "3f2b6c1e-0f0e-4b8a-9a57-5d7c1d4e6a21"
ACCOUNT = "444444444444"
INSTANCE_ARN = f"arn:aws:connect:us-west-2:{ACCOUNT}:instance/{INSTANCE}"
PROVIDER_ARN = f"arn:aws:iam::{ACCOUNT}:saml-provider/AWSSSO_PROD_us-west-2_Connect"
GOV_INSTANCE_ARN = f"arn:aws-us-gov:connect:us-gov-west-1:{ACCOUNT}:instance/{INSTANCE}"
GOV_PROVIDER_ARN = PROVIDER_ARN.replace("arn:aws:", "arn:aws-us-gov:")
OWNED = {"managed-by": "connect_sso.federation"}


# --- missing libraries ----------------------------------------------------------------------


class FailingModule:
    """Just enough of AnsibleModule to see what fail_json was given."""

    def __init__(self) -> None:
        self.failed_with: dict | None = None

    def fail_json(self, **kwargs) -> None:
        self.failed_with = kwargs
        raise SystemExit(1)


def test_missing_defusedxml_fails_with_the_ansible_message_before_parsing(monkeypatch):
    monkeypatch.setattr(saml_metadata, "HAS_DEFUSEDXML", False)
    monkeypatch.setattr(saml_metadata, "DEFUSEDXML_IMPORT_ERROR", "ImportError: No module named 'defusedxml'")
    module = FailingModule()
    with pytest.raises(SystemExit):
        saml_metadata.require_libraries(module)
    assert module.failed_with["msg"].startswith("Failed to import the required Python library (defusedxml)")
    assert module.failed_with["exception"] == "ImportError: No module named 'defusedxml'"
    with pytest.raises(FederationError, match=r"required Python library \(defusedxml\)"):
        saml_metadata.parse_metadata(make_metadata())


def test_both_libraries_missing_are_named_together(monkeypatch):
    monkeypatch.setattr(saml_metadata, "HAS_DEFUSEDXML", False)
    monkeypatch.setattr(saml_metadata, "HAS_CRYPTOGRAPHY", False)
    module = FailingModule()
    with pytest.raises(SystemExit):
        saml_metadata.require_libraries(module)
    assert "(defusedxml and cryptography)" in module.failed_with["msg"]


def test_present_libraries_do_not_fail():
    module = FailingModule()
    saml_metadata.require_libraries(module)
    assert module.failed_with is None


# --- metadata URL ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1.evil.com/metadata",
        "http://localhost.evil.com/metadata",
        "http://127.0.0.1@evil.com/metadata",
        "http://evil.com/127.0.0.1",
        "http://[::2]/metadata",
        "ftp://127.0.0.1/metadata",
        "https:///no-host",
        "http://127.0.0.1:notaport/metadata",
    ],
)
def test_plain_http_is_refused_unless_the_host_is_exactly_loopback(url):
    with pytest.raises(ValidationError) as error:
        saml_metadata.fetch_metadata(url, "metadata_url")
    assert str(error.value) == (
        f"metadata_url={url!r}: must be an https URL (plain http only on loopback: 127.0.0.1, ::1 or localhost)"
    )


@pytest.mark.parametrize(
    "url",
    ["https://portal.sso.us-east-1.amazonaws.com/saml/metadata/x", "http://127.0.0.1:1/m", "http://[::1]:1/m"]
    + ["http://LOCALHOST:1/m"],
)
def test_https_and_exact_loopback_hosts_are_allowed(url):
    assert saml_metadata._allowed_url(url)


# --- IAM names are ASCII --------------------------------------------------------------------


@pytest.mark.parametrize(
    "validator, value",
    [
        (arns.validate_role_name, "Rôle_Connect"),
        (arns.validate_role_name, "Роль"),
        (arns.validate_provider_name, "AWSSSO_Prod_é"),
        (arns.validate_policy_name, "Politique_à"),
        (arns.validate_account_id, "４４４４４４４４４４４４"),  # full-width digits are \d in Unicode mode
        (arns.validate_role_name, "Role\n"),  # "$" alone accepts a trailing newline
    ],
)
def test_non_ascii_names_are_refused_as_iam_refuses_them(validator, value):
    with pytest.raises(ValidationError) as error:
        validator(value)
    assert repr(value) in str(error.value)


def test_account_with_unicode_digits_in_an_arn_is_refused():
    with pytest.raises(ValidationError, match="the account id must be 12 digits"):
        arns.validate_arn("arn:aws:iam::４４４４４４４４４４４４:saml-provider/P", "provider_arns[0]", "saml-provider")


# --- relay state in GovCloud ----------------------------------------------------------------


def test_govcloud_federate_url_parses_without_a_region():
    url = f"https://console.amazonaws-us-gov.com/connect/federate/{INSTANCE}?destination=%2Fccp-v2&new_domain=true"
    parsed = relay_state.parse_federate_url(url)
    assert parsed == relay_state.FederateUrl(None, INSTANCE, "/ccp-v2", True)
    assert relay_state.parse_federate_url(relay_state.federate_url("us-gov-west-1", INSTANCE)).region is None


def test_govcloud_console_host_with_a_region_label_is_not_a_console_host():
    with pytest.raises(ValidationError, match="must be on an AWS console host"):
        relay_state.parse_federate_url(
            f"https://us-gov-west-1.console.amazonaws-us-gov.com/connect/federate/{INSTANCE}"
        )


# --- desired role documents ------------------------------------------------------------------


def test_role_documents_in_govcloud_default_to_the_govcloud_acs():
    documents = policies.desired_role_documents([GOV_PROVIDER_ARN], [GOV_INSTANCE_ARN], None)
    assert documents["partition"] == "aws-us-gov"
    assert documents["account_id"] == ACCOUNT
    condition = documents["trust_policy"]["Statement"][0]["Condition"]
    assert condition == {"StringEquals": {"SAML:aud": "https://signin.amazonaws-us-gov.com/saml"}}


def test_provider_in_another_account_is_refused():
    other = PROVIDER_ARN.replace(ACCOUNT, "333333333333")
    with pytest.raises(ValidationError) as error:
        policies.desired_role_documents([other], [INSTANCE_ARN], None)
    assert str(error.value).startswith(f"provider_arns[0]={other!r}: is in account 333333333333")
    assert "share one account" in str(error.value)


def test_provider_in_another_partition_is_refused():
    with pytest.raises(ValidationError) as error:
        policies.desired_role_documents([GOV_PROVIDER_ARN], [INSTANCE_ARN], None)
    assert str(error.value) == (
        f"provider_arns[0]={GOV_PROVIDER_ARN!r}: is in partition aws-us-gov, but the target is in partition aws"
    )


def test_instances_outside_the_regions_partition_are_refused():
    with pytest.raises(ValidationError) as error:
        policies.desired_role_documents([PROVIDER_ARN], [INSTANCE_ARN], None, partition="aws-us-gov")
    assert str(error.value) == (
        f"instance_arns[0]={INSTANCE_ARN!r}: is in partition aws, but the module's region is in partition aws-us-gov"
    )


def test_aws_managed_boundary_is_allowed_from_another_account():
    boundary = "arn:aws:iam::aws:policy/PowerUserAccess"
    assert policies.desired_role_documents([PROVIDER_ARN], [INSTANCE_ARN], None, boundary)["account_id"] == ACCOUNT


# --- the role's predicted ARN is in the instances' partition --------------------------------


class NoRoleIam:
    """IAM with no role at all: GetRole says NoSuchEntity."""

    def get_role(self, RoleName):
        from botocore.exceptions import ClientError

        raise ClientError({"Error": {"Code": "NoSuchEntity", "Message": "not found"}}, "GetRole")


def test_predicted_role_arn_in_govcloud_is_in_govcloud():
    desired = federation_role.desired_state("R", [GOV_PROVIDER_ARN], [GOV_INSTANCE_ARN], partition="aws-us-gov")
    out = federation_role.ensure(NoRoleIam(), desired, check_mode=True)
    assert out["arn"] == f"arn:aws-us-gov:iam::{ACCOUNT}:role/R"
    assert out["changed"] is True


# --- saml_provider plans -------------------------------------------------------------------


@pytest.fixture(scope="module")
def metadata_text():
    return make_metadata([make_certificate_b64("plan-one")])


@pytest.fixture(scope="module")
def rotated_text():
    return make_metadata([make_certificate_b64("plan-two", key_index=1)])


def provider(text, tags=None):
    return {"arn": PROVIDER_ARN, "metadata": text, "tags": dict(tags or OWNED), "valid_until": None}


def test_provider_plan_creates_a_missing_provider_with_the_ownership_tag(metadata_text):
    plan = saml_provider.plan_present(None, saml_metadata.parse_metadata(metadata_text), {"env": "prod"}, True)
    assert (plan.create, plan.update_metadata, plan.changed) == (True, False, True)
    assert plan.tags_to_set == {"env": "prod", **OWNED}
    assert tags_after(None, plan.tags_to_set, plan.tags_to_remove) == {"env": "prod", **OWNED}


def test_provider_plan_is_empty_for_the_same_metadata(metadata_text):
    desired = saml_metadata.parse_metadata(metadata_text)
    plan = saml_provider.plan_present(provider(metadata_text.replace("><", ">\n<")), desired, None, True)
    assert plan.changed is False


def test_provider_plan_updates_a_swapped_certificate_and_purges_tags(metadata_text, rotated_text):
    current = provider(metadata_text, {**OWNED, "extra": "x", "env": "dev"})
    plan = saml_provider.plan_present(current, saml_metadata.parse_metadata(rotated_text), {"env": "prod"}, True)
    assert (plan.create, plan.update_metadata) == (False, True)
    assert (plan.tags_to_set, plan.tags_to_remove) == ({"env": "prod"}, ["extra"])
    assert tags_after(current["tags"], plan.tags_to_set, plan.tags_to_remove) == {"env": "prod", **OWNED}


def test_provider_plan_absent(metadata_text):
    assert saml_provider.plan_absent(None, False, "P").changed is False
    assert saml_provider.plan_absent(provider(metadata_text), False, "P").delete is True
    with pytest.raises(FederationError, match="name='P': the SAML provider exists but was not created"):
        saml_provider.plan_absent(provider(metadata_text, {"env": "x"}), False, "P")
    assert saml_provider.plan_absent(provider(metadata_text, {}), True, "P").delete is True


# --- federation_role plans -----------------------------------------------------------------


def desired_role(**overrides):
    desired = federation_role.desired_state("R", [PROVIDER_ARN], [INSTANCE_ARN], tags={"env": "prod"})
    desired.update(overrides)
    return desired


def current_role(desired, **overrides):
    current = {
        "arn": f"arn:aws:iam::{ACCOUNT}:role/R",
        "path": "/",
        "trust_policy": desired["trust_policy"],
        "max_session_duration": desired["max_session_duration"],
        "description": desired["description"],
        "permissions_boundary": None,
        "tags": {"env": "prod", **OWNED, federation_role.POLICY_TYPE_TAG: desired["policy_type"]},
        "policy": desired["federation_policy"],
        "policy_attached": False,
        "other_policy": None,
    }
    current.update(overrides)
    return current


def test_role_plan_creates_a_missing_role_with_its_grant():
    plan = federation_role.plan_present(None, desired_role())
    assert (plan.create, plan.put_policy, plan.attach_policy) == (True, True, False)
    assert plan.tags_to_set == {"env": "prod", **OWNED, federation_role.POLICY_TYPE_TAG: "inline"}
    managed = federation_role.plan_present(None, desired_role(policy_type="managed"))
    assert managed.attach_policy is True


def test_role_plan_is_empty_when_the_role_is_as_asked():
    desired = desired_role()
    assert federation_role.plan_present(current_role(desired), desired).changed is False


def test_role_plan_sees_each_drift():
    desired = desired_role()
    drifted = current_role(
        desired,
        trust_policy={"Version": "2012-10-17", "Statement": []},
        max_session_duration=3600,
        permissions_boundary="arn:aws:iam::aws:policy/PowerUserAccess",
        policy=None,
        tags={"env": "dev", **OWNED, federation_role.POLICY_TYPE_TAG: "inline"},
    )
    plan = federation_role.plan_present(drifted, desired)
    assert (plan.update_trust, plan.update_role, plan.boundary, plan.put_policy) == (True, True, "delete", True)
    assert plan.tags_to_set == {"env": "prod"}


def test_role_plan_marks_the_grant_type_last_so_a_settled_role_is_not_searched_for_the_other_grant():
    desired = desired_role(policy_type="managed")
    unmarked = current_role(desired, tags={"env": "prod", **OWNED}, policy_attached=True)  # made before the mark
    plan = federation_role.plan_present(unmarked, desired)
    assert (plan.changed, plan.tags_to_set) == (True, {federation_role.POLICY_TYPE_TAG: "managed"})
    switching = current_role(desired_role(), policy_attached=True)  # marked inline, now asked for managed
    assert federation_role.plan_present(switching, desired).tags_to_set == {federation_role.POLICY_TYPE_TAG: "managed"}


def test_role_plan_removes_the_grant_of_the_other_policy_type():
    desired = desired_role(policy_type="managed")
    other = {"type": "inline", "name": "AmazonConnectFederation", "document": desired["federation_policy"]}
    plan = federation_role.plan_present(current_role(desired, policy_attached=True, other_policy=other), desired)
    assert (plan.remove_other_policy, plan.put_policy, plan.changed) == (True, False, True)
    shown = federation_role.describe(current_role(desired, other_policy=other))
    assert shown["other_policy"] == other


def test_role_plan_refuses_to_move_a_role_to_another_path():
    desired = desired_role(path="/connect/")
    with pytest.raises(FederationError, match="IAM cannot move a role"):
        federation_role.plan_present(current_role(desired, path="/"), desired)


def test_role_plan_absent():
    desired = desired_role()
    assert federation_role.plan_absent(None, "R", False).changed is False
    assert federation_role.plan_absent(current_role(desired), "R", False).delete is True
    with pytest.raises(FederationError, match="name='R': the role exists but was not created by this collection"):
        federation_role.plan_absent(current_role(desired, tags={}), "R", False)
    assert federation_role.plan_absent(current_role(desired, tags={}), "R", True).delete is True


# --- Connect lookups -----------------------------------------------------------------------


def summary(alias, instance_id=INSTANCE, **extra):
    return {
        "Id": instance_id,
        "Arn": f"arn:aws:connect:us-west-2:{ACCOUNT}:instance/{instance_id}",
        "InstanceAlias": alias,
        "IdentityManagementType": "SAML",
        "InstanceStatus": "ACTIVE",
        **extra,
    }


class FakeConnect:
    """ListInstances as boto3's paginator returns it, over a fixed list."""

    def __init__(self, summaries):
        self.summaries = summaries

    def get_paginator(self, name):
        assert name == "list_instances"
        return self

    def paginate(self, **_kwargs):
        return self

    def build_full_result(self):
        return {"InstanceSummaryList": self.summaries}


def test_ambiguous_alias_fails_and_names_every_match():
    second = "00000000-0000-4000-8000-000000000002"
    client = FakeConnect(
        [summary("acme"), summary("acme", second), summary("other", "0" * 8 + "-0000-4000-8000-" + "0" * 12)]
    )
    with pytest.raises(FederationError) as error:
        connect.find_instance(client, "us-west-2", alias="acme")
    assert str(error.value) == (
        f"instance_alias='acme': 2 instances in us-west-2 have this alias; use instance_id instead ({INSTANCE}, {second})"
    )


def test_normalize_instance_reads_account_region_and_time():
    created = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    normal = connect.normalize_instance(
        summary("acme", CreatedTime=created, InstanceAccessUrl="https://acme.my.connect.aws")
    )
    assert normal == {
        "id": INSTANCE,
        "arn": f"arn:aws:connect:us-west-2:{ACCOUNT}:instance/{INSTANCE}",
        "alias": "acme",
        "identity_management_type": "SAML",
        "status": "ACTIVE",
        "access_url": "https://acme.my.connect.aws",
        "account_id": ACCOUNT,
        "region": "us-west-2",
        "service_role": None,
        "created_time": "2026-01-02T03:04:05+00:00",
    }
    assert connect.normalize_instance(summary(None))["created_time"] is None


def test_require_saml_and_active():
    connect.require_saml_and_active(connect.normalize_instance(summary("acme")), "instance_alias")
    managed = connect.normalize_instance(summary("acme", IdentityManagementType="CONNECT_MANAGED"))
    with pytest.raises(
        ValidationError, match="instance_alias='acme': the instance uses identity management CONNECT_MANAGED"
    ):
        connect.require_saml_and_active(managed, "instance_alias")
    pending = connect.normalize_instance(summary(None, InstanceStatus="CREATION_IN_PROGRESS"))
    with pytest.raises(
        ValidationError, match=f"instance_id='{INSTANCE}': the instance is CREATION_IN_PROGRESS, not ACTIVE"
    ):
        connect.require_saml_and_active(pending, "instance_id")


class NoProviderIam:
    """IAM with no SAML provider; any write would be a bug in check mode."""

    def list_saml_providers(self):
        return {"SAMLProviderList": []}

    def __getattr__(self, name):
        raise AssertionError(f"check mode called IAM {name}")


def test_check_mode_predicts_a_new_providers_arn_in_the_regions_partition(metadata_text):
    out = saml_provider.ensure(
        NoProviderIam(),
        "AWSSSO_GOV_Connect",
        metadata_text,
        check_mode=True,
        account_id=lambda: ACCOUNT,
        partition="aws-us-gov",
    )
    assert (out["changed"], out["arn"]) == (True, f"arn:aws-us-gov:iam::{ACCOUNT}:saml-provider/AWSSSO_GOV_Connect")
    assert out["diff"]["before"] == {}


# --- the permissions boundary policy -----------------------------------------------------------


def test_the_default_boundary_is_the_shipped_document():
    import json
    from pathlib import Path

    shipped = Path(__file__).resolve().parents[3] / "docs/iam/federation-role-boundary.json"
    assert json.loads(shipped.read_text()) == federation_role.BOUNDARY_DOCUMENT
    settings = federation_role.boundary_policy_settings({"name": None})
    assert settings == {
        "name": "ConnectSsoFederationRoleBoundary",
        "path": "/",
        "document": json.loads(shipped.read_text()),
    }


def test_the_boundary_policy_lands_in_the_instances_account_and_partition():
    for instance, prefix in ((INSTANCE_ARN, "arn:aws:"), (GOV_INSTANCE_ARN, "arn:aws-us-gov:")):
        provider = PROVIDER_ARN.replace("arn:aws:", prefix)
        desired = federation_role.desired_state(
            "AmazonConnect_PROD_Role", [provider], [instance], permissions_boundary_policy={"name": "B", "path": "/x/"}
        )
        assert desired["permissions_boundary"] == f"{prefix}iam::{ACCOUNT}:policy/x/B"
        assert desired["boundary_policy"]["arn"] == desired["permissions_boundary"]


@pytest.mark.parametrize(
    "value, rule",
    [
        ({"name": "no spaces"}, "permissions_boundary_policy.name"),
        ({"name": "B", "path": "x"}, "permissions_boundary_policy.path"),
        ({"name": "B", "document": "{not json"}, "is not JSON"),
        ({"name": "B", "document": '{"Version": "2012-10-17"}'}, "is not an IAM policy document"),
    ],
)
def test_the_boundary_policy_settings_are_checked(value, rule):
    with pytest.raises(ValidationError, match=re.escape(rule)):
        federation_role.boundary_policy_settings(value)


def test_a_boundary_arn_and_a_boundary_policy_are_exclusive():
    with pytest.raises(ValidationError, match="not both"):
        federation_role.role_settings(
            "R", permissions_boundary=f"arn:aws:iam::{ACCOUNT}:policy/B", permissions_boundary_policy={"name": "B"}
        )


def test_an_existing_role_gets_its_boundary_before_any_policy_write():
    """The pipeline's policy lets it write a role's policies only once the role has the boundary."""
    calls = []

    class Iam:
        def __getattr__(self, name):
            return lambda **kwargs: calls.append(name) or {}

    desired = federation_role.desired_state(
        "R", [PROVIDER_ARN], [INSTANCE_ARN], permissions_boundary=f"arn:aws:iam::{ACCOUNT}:policy/B"
    )
    current = {"arn": f"arn:aws:iam::{ACCOUNT}:role/R", "policy": None, "other_policy": None}
    plan = federation_role.RolePlan(boundary="put", put_policy=True)
    federation_role.apply(Iam(), plan, current, desired)
    assert calls == ["put_role_permissions_boundary", "put_role_policy"]
