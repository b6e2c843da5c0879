"""connect_instance_info through ansible-playbook against the emulator."""

from __future__ import annotations

import pytest

from emulator.sandbox import ACCOUNTS, INSTANCES

pytestmark = pytest.mark.slow
QA_WEST = next(i for i in INSTANCES if i.host == "qa-west")


def test_finds_an_instance_by_alias_in_its_region(run_module):
    out = run_module(
        "connect_instance_info",
        {"instance_alias": QA_WEST.alias, "require_saml": True},
        account=QA_WEST.account,
        region=QA_WEST.region,
    )
    assert not out.failed, out.msg
    assert out.result["changed"] is False
    assert out.result["instance"] | {"created_time": None} == {
        "id": QA_WEST.id,
        "arn": QA_WEST.arn,
        "alias": QA_WEST.alias,
        "identity_management_type": "SAML",
        "status": "ACTIVE",
        "access_url": f"https://{QA_WEST.alias}.my.connect.aws",
        "account_id": QA_WEST.account,
        "region": "us-west-2",
        "service_role": out.result["instance"]["service_role"],
        "created_time": None,
    }


def test_finds_an_instance_by_id(run_module):
    out = run_module("connect_instance_info", {"instance_id": QA_WEST.id}, account=QA_WEST.account, region="us-west-2")
    assert out.result["instance"]["alias"] == QA_WEST.alias


def test_unknown_alias_lists_what_exists(run_module):
    out = run_module(
        "connect_instance_info", {"instance_alias": "acme-qa-north"}, account=QA_WEST.account, region="us-west-2"
    )
    assert out.failed
    assert "instance_alias='acme-qa-north': no Amazon Connect instance with this alias in us-west-2" in out.msg
    assert f"acme-qa-west ({QA_WEST.id})" in out.msg


def test_alias_in_the_wrong_case_gets_a_hint(run_module):
    out = run_module(
        "connect_instance_info", {"instance_alias": "ACME-QA-WEST"}, account=QA_WEST.account, region="us-west-2"
    )
    assert "did you mean 'acme-qa-west'?" in out.msg


def test_instance_that_is_not_saml_is_refused(run_module, client_for):
    connect = client_for("connect", ACCOUNTS["dev"])
    connect.create_instance(
        IdentityManagementType="CONNECT_MANAGED",
        InstanceAlias="acme-dev-managed",
        InboundCallsEnabled=True,
        OutboundCallsEnabled=True,
    )
    out = run_module(
        "connect_instance_info", {"instance_alias": "acme-dev-managed", "require_saml": True}, account=ACCOUNTS["dev"]
    )
    assert out.failed
    assert (
        "instance_alias='acme-dev-managed': the instance uses identity management CONNECT_MANAGED, not SAML" in out.msg
    )


def test_instance_that_is_not_active_is_refused(run_module, emulator):
    dev_east = INSTANCES[0]
    emulator.admin(
        "POST",
        "/connect/instance-status",
        {
            "account": dev_east.account,
            "region": dev_east.region,
            "instance_id": dev_east.id,
            "status": "CREATION_IN_PROGRESS",
        },
    )
    out = run_module(
        "connect_instance_info", {"instance_id": dev_east.id, "require_saml": True}, account=dev_east.account
    )
    assert "the instance is CREATION_IN_PROGRESS, not ACTIVE" in out.msg


def test_malformed_id_and_unknown_region_fail_before_any_call(run_module, emulator):
    mark = emulator.mark()
    out = run_module("connect_instance_info", {"instance_id": "not-a-uuid"}, account=ACCOUNTS["dev"])
    assert "instance_id='not-a-uuid': an Amazon Connect instance id is a lower-case UUID" in out.msg
    out = run_module("connect_instance_info", {"instance_alias": "x", "region": "us-east-7"}, account=ACCOUNTS["dev"])
    assert "region='us-east-7': is not an AWS region botocore knows" in out.msg
    assert [r for r in emulator.requests(since=mark) if r["service"] == "connect"] == []


def test_unknown_id_is_a_clear_error(run_module):
    out = run_module(
        "connect_instance_info", {"instance_id": "00000000-0000-4000-8000-000000000000"}, account=ACCOUNTS["prod"]
    )
    assert "no Amazon Connect instance with this id in us-east-1; instances there: acme-prod-east" in out.msg


def test_alias_on_the_second_page_of_list_instances_is_found(run_module, client_for, emulator):
    # ListInstances returns at most 10 per page: the 12th instance is only on page two
    dev, region = ACCOUNTS["dev"], "us-west-2"
    connect = client_for("connect", dev, region)
    created = [
        connect.create_instance(
            IdentityManagementType="SAML",
            InstanceAlias=f"acme-page-{index:02d}",
            InboundCallsEnabled=True,
            OutboundCallsEnabled=True,
        )["Id"]
        for index in range(12)
    ]
    mark = emulator.mark()
    out = run_module("connect_instance_info", {"instance_alias": "acme-page-11"}, account=dev, region=region)
    assert not out.failed, out.msg
    assert out.result["instance"]["id"] == created[-1]
    pages = [r for r in emulator.requests(since=mark) if r["operation"] == "ListInstances"]
    assert len(pages) == 2
