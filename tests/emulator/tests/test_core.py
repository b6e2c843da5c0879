"""The emulator's own machinery: request log, faults, AWS-shaped errors, admin API."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from emulator.client import AdminError
from emulator.sandbox import ACCOUNTS

DEV = ACCOUNTS["dev"]
EC2_TRUST = (
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow",'
    '"Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}'
)


def test_endpoint_answers_health(emulator):
    assert emulator.health()["status"] == "ok"


def test_request_log_records_service_operation_account_region_and_write(emulator, client_for):
    iam = client_for("iam", DEV)
    mark = emulator.mark()
    iam.create_role(RoleName="logged", AssumeRolePolicyDocument=EC2_TRUST)
    iam.get_role(RoleName="logged")
    rows = emulator.requests(since=mark)
    assert [(r["service"], r["operation"], r["account"], r["region"], r["write"]) for r in rows] == [
        ("iam", "CreateRole", DEV, "us-east-1", True),
        ("iam", "GetRole", DEV, "us-east-1", False),
    ]
    assert [r["operation"] for r in emulator.writes(since=mark)] == ["CreateRole"]


def test_request_log_can_be_filtered_and_cleared(emulator, client_for):
    client_for("sts", DEV).get_caller_identity()
    assert emulator.requests(operation="GetCallerIdentity", account=DEV)
    assert emulator.requests(operation="GetCallerIdentity", account="999999999999") == []
    assert emulator.clear_requests() > 0
    assert emulator.requests() == []


def test_throttle_fault_fires_count_times_then_stops(emulator, client_for):
    iam = client_for("iam", DEV)
    emulator.add_fault("ListRoles", "throttle", count=2)
    for _attempt in range(2):
        with pytest.raises(ClientError) as error:
            iam.list_roles()
        assert error.value.response["Error"]["Code"] == "Throttling"
        assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    iam.list_roles()
    assert [f["fired"] for f in emulator.faults()] == [2]


def test_throttled_calls_are_retried_by_botocore_and_converge(emulator, client_for):
    emulator.add_fault("ListRoles", "throttle", count=2)
    client_for("iam", DEV, retries=5).list_roles()
    statuses = [r["status"] for r in emulator.requests(operation="ListRoles")]
    assert statuses == [400, 400, 200]


def test_server_error_fault_uses_the_status_asked_for(emulator, client_for):
    emulator.add_fault("GetCallerIdentity", "error", status=503, count=1)
    with pytest.raises(ClientError) as error:
        client_for("sts", DEV).get_caller_identity()
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 503


@pytest.mark.parametrize(
    "service, call, code",
    [("iam", "list_roles", "AccessDenied"), ("connect", "list_instances", "AccessDeniedException")],
)
def test_deny_fault_answers_access_denied_in_the_services_shape_and_botocore_does_not_retry_it(
    emulator, client_for, service, call, code
):
    operation = "".join(word.title() for word in call.split("_"))
    emulator.add_fault(operation, "deny", service=service)
    with pytest.raises(ClientError) as error:
        getattr(client_for(service, DEV, retries=5), call)()
    assert error.value.response["Error"]["Code"] == code
    assert "is not authorized to perform" in error.value.response["Error"]["Message"]
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert len(emulator.requests(operation=operation)) == 1  # once: a refusal is not worth retrying


def test_latency_fault_delays_the_answer(emulator, client_for):
    import time

    sts = client_for("sts", DEV)
    emulator.add_fault("GetCallerIdentity", "latency", latency_ms=300, count=1)
    started = time.perf_counter()
    sts.get_caller_identity()
    assert time.perf_counter() - started >= 0.3


def test_probability_zero_never_fires(emulator, client_for):
    emulator.add_fault("GetCallerIdentity", "throttle", probability=0.0)
    client_for("sts", DEV).get_caller_identity()


def test_fault_can_be_limited_to_one_account(emulator, client_for):
    emulator.add_fault("GetCallerIdentity", "throttle", account=ACCOUNTS["qa"])
    client_for("sts", DEV).get_caller_identity()
    with pytest.raises(ClientError):
        client_for("sts", ACCOUNTS["qa"]).get_caller_identity()


def test_bad_fault_is_refused_with_a_reason(emulator):
    with pytest.raises(AdminError, match="kind must be one of"):
        emulator.add_fault("ListRoles", "explode")
    with pytest.raises(AdminError, match="unknown fault fields"):
        emulator.add_fault("ListRoles", "throttle", colour="red")


def test_unimplemented_operation_gets_an_aws_error_not_html(emulator, client_for):
    with pytest.raises(ClientError) as error:
        client_for("iam", DEV).simulate_custom_policy(PolicyInputList=["{}"], ActionNames=["s3:GetObject"])
    assert error.value.response["Error"]["Code"] == "InvalidAction"
    assert "does not implement iam.SimulateCustomPolicy" in error.value.response["Error"]["Message"]


def test_config_switch_is_validated_and_reset(emulator):
    key = "get_application_instance_includes_response_config"
    assert emulator.config(**{key: True})[key] is True
    with pytest.raises(AdminError, match="unknown settings"):
        emulator.config(nonsense=True)
    emulator.reset(seed=None)
    assert emulator.config()[key] is False


def test_unknown_admin_route_is_a_404(emulator):
    with pytest.raises(AdminError, match="404"):
        emulator.admin("GET", "/nowhere")


def test_reset_with_seed_returns_the_sandbox_topology(emulator):
    seeded = emulator.reset(seed="sandbox")["seeded"]
    assert seeded["accounts"] == ACCOUNTS
    assert emulator.topology()["name"] == "sandbox"


def test_restore_brings_back_the_snapshot_state_every_time_and_an_unknown_name_is_refused(emulator, client_for):
    iam = client_for("iam", DEV)
    iam.create_role(RoleName="kept", AssumeRolePolicyDocument=EC2_TRUST)
    emulator.config(get_application_instance_includes_response_config=True)
    emulator.snapshot("one-role")
    for _round in range(2):
        iam.delete_role(RoleName="kept")
        iam.create_role(RoleName="later", AssumeRolePolicyDocument=EC2_TRUST)
        emulator.add_fault("ListRoles", "throttle", count=5)
        mark = emulator.mark()
        emulator.restore("one-role")
        assert [r["RoleName"] for r in iam.list_roles()["Roles"] if r["RoleName"] in ("kept", "later")] == ["kept"]
        assert emulator.faults() == []  # as after a reset
        assert emulator.config()["get_application_instance_includes_response_config"] is True
        assert emulator.topology()["name"] == "sandbox"
        assert emulator.mark() > mark  # the request log keeps counting
    with pytest.raises(AdminError, match="no snapshot named 'other'"):
        emulator.restore("other")
