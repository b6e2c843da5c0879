"""The console-API facts probe (console_probe.probe) called directly against the emulator: read-only it
writes nothing and says which inferred facts (console_facts.FACTS) this organisation bears out; the write
probe makes one app of its own and leaves nothing behind, also when it fails midway or an earlier probe
was interrupted."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from ansible_collections.connect_sso.federation.plugins.module_utils.clients import clients_for
from ansible_collections.connect_sso.federation.plugins.module_utils.console_facts import CUSTOM_SAML_TEMPLATE, FACTS
from ansible_collections.connect_sso.federation.plugins.module_utils.console_probe import PROBE_NAME, probe
from ansible_collections.connect_sso.federation.plugins.module_utils.idc import connect_idc

from emulator.client import signed_control_call
from emulator.sandbox import ACCOUNTS, ROOT_ACCOUNT

DEV = ACCOUNTS["dev"]
WRITES_POLICY = Path(__file__).resolve().parents[2] / "docs/iam/doctor-probe-writes-policy.json"
IAM_PREFIX = {"sso-admin": "sso", "sso-control": "sso", "identitystore": "identitystore"}
# every write the probe app may cost, and nothing else
PROBE_WRITES = {
    "CreateApplicationInstance",
    "TagResource",
    "UpdateApplicationInstanceDisplayData",
    "UpdateApplicationInstanceServiceProviderConfiguration",
    "UpdateApplicationInstanceResponseConfiguration",
    "UpdateApplicationInstanceResponseSchemaConfiguration",
    "DeleteApplicationInstance",
}


@pytest.fixture
def idc(emulator, idc_credentials):
    """idc() -> the IdC context, as a module of the collection builds it."""
    return lambda: connect_idc(clients_for("us-east-1", emulator.endpoint, credentials=idc_credentials))


@pytest.fixture
def converged(run_module, dev_east_chain_args):
    """dev-east federated by the chain module: an app the collection configured."""
    out = run_module("connect_federation", dev_east_chain_args, account=DEV)
    assert not out.failed, out.msg


@pytest.fixture
def no_waiting(monkeypatch):
    """The retry policy runs in full, without its sleeps."""
    monkeypatch.setattr(time, "sleep", lambda _seconds: None)


def by_fact(result: dict) -> dict:
    assert [a["fact"] for a in result["answers"]] == [f.name for f in FACTS]
    return {a["fact"]: a for a in result["answers"]}


def made_and_deleted(emulator, mark) -> tuple[int, int]:
    """(apps created, apps deleted) since mark, by the calls that succeeded."""
    done = [r["operation"] for r in emulator.writes(since=mark, service="sso-control") if r["status"] < 400]
    return done.count("CreateApplicationInstance"), done.count("DeleteApplicationInstance")


def probe_apps(emulator, aws) -> list[str]:
    """The probe's apps in the console listing, read by the test itself."""
    _status, body = signed_control_call(emulator.endpoint, aws(ROOT_ACCOUNT), "ListApplicationInstances", {})
    names = [(a.get("display") or {}).get("displayName", "") for a in body["applicationInstances"]]
    return [n for n in names if PROBE_NAME.fullmatch(n)]


def test_read_only_probe_writes_nothing_and_agrees_on_a_converged_organisation(converged, idc, emulator):
    emulator.config(get_application_instance_includes_response_config=True)
    mark = emulator.mark()
    result = probe(idc())
    assert emulator.writes(since=mark) == []
    facts = by_fact(result)
    for name in ("relay_state_field", "get_application_instance_returns_response_config", "metadata_url_form"):
        assert facts[name]["agrees"] is True, facts[name]
    assert facts["relay_state_field"]["observed"] == "responseConfig.relayState"
    assert facts["custom_saml_template"]["agrees"] is True
    assert facts["listed_config_fields"]["agrees"] is True
    # one page held the one app, and a new app is only seen by the write probe: unknown, not guessed
    assert facts["list_marker"]["agrees"] is None and facts["new_app_status"]["agrees"] is None
    assert result["write_probe"] is None and result["settled"] is False


def test_an_answer_without_the_response_configuration_disagrees(converged, idc, emulator):
    emulator.config(get_application_instance_includes_response_config=False)
    facts = by_fact(probe(idc()))
    shown = facts["get_application_instance_returns_response_config"]
    assert (shown["agrees"], shown["observed"]) == (False, [])
    assert "digest tag stands in" in shown["how"]
    assert facts["relay_state_field"]["agrees"] is None  # nothing to read it back from


def test_a_relay_state_not_shown_under_its_field_disagrees(converged, idc, emulator):
    emulator.config(
        get_application_instance_includes_response_config=True,
        get_application_instance_omits=["responseConfig.relayState"],
    )
    facts = by_fact(probe(idc()))
    assert facts["relay_state_field"]["agrees"] is False
    assert facts["get_application_instance_returns_response_config"]["observed"] == [
        "responseConfig.subject",
        "responseConfig.properties",
        "responseConfig.ttl",
        "responseSchemaConfig.subject",
        "responseSchemaConfig.properties",
    ]


def test_write_probe_settles_every_fact_and_leaves_nothing_behind(idc, emulator, aws):
    emulator.config(get_application_instance_includes_response_config=True)
    mark = emulator.mark()
    result = probe(idc(), write=True)
    report = result["write_probe"]
    assert PROBE_NAME.fullmatch(report["app"]) and report["error"] is None and report["left_behind"] == []
    facts = by_fact(result)
    assert {name: a["agrees"] for name, a in facts.items() if name != "list_marker"} == {
        name: True for name in facts if name != "list_marker"
    }
    assert facts["new_app_status"]["observed"] == "DISABLED"
    assert {r["operation"] for r in emulator.writes(since=mark)} <= PROBE_WRITES
    assert made_and_deleted(emulator, mark) == (1, 1)
    assert probe_apps(emulator, aws) == []


def test_write_probe_failing_midway_still_deletes_its_app(idc, emulator, aws, no_waiting):
    emulator.add_fault("UpdateApplicationInstanceResponseConfiguration", "error", service="sso-control", count=1000)
    mark = emulator.mark()
    result = probe(idc(), write=True)
    assert made_and_deleted(emulator, mark) == (1, 1)
    report = result["write_probe"]
    assert "the write probe stopped" in report["error"] and report["left_behind"] == []
    assert probe_apps(emulator, aws) == []
    facts = by_fact(result)
    assert facts["new_app_status"]["agrees"] is True  # what it saw before the fault still counts
    assert facts["relay_state_field"]["agrees"] is None


def test_write_probe_removes_the_app_an_interrupted_probe_left(idc, emulator, aws):
    session = aws(ROOT_ACCOUNT)
    _status, body = signed_control_call(
        emulator.endpoint,
        session,
        "CreateApplicationInstance",
        {"templateId": CUSTOM_SAML_TEMPLATE, "name": "connect-sso-probe-0badc0de"},
    )
    left = body["applicationInstance"]["instanceId"]
    signed_control_call(
        emulator.endpoint,
        session,
        "UpdateApplicationInstanceDisplayData",
        {"instanceId": left, "displayName": "connect-sso-probe-0badc0de"},
    )
    assert probe_apps(emulator, aws) == ["connect-sso-probe-0badc0de"]
    report = probe(idc(), write=True)["write_probe"]
    assert report["removed_leftovers"] == ["connect-sso-probe-0badc0de"]
    assert probe_apps(emulator, aws) == []


def test_the_write_probe_needs_the_probe_writes_policy_beyond_the_read_only_probes_calls(converged, idc, emulator):
    def calls(write: bool) -> set[str]:
        mark = emulator.mark()
        probe(idc(), write=write)
        return {f"{IAM_PREFIX[r['service']]}:{r['operation']}" for r in emulator.requests(since=mark)}

    extra = calls(write=True) - calls(write=False)
    allowed = {a for s in json.loads(WRITES_POLICY.read_text())["Statement"] for a in s["Action"]}
    assert extra <= allowed, extra - allowed
    # least privilege: nothing more, but for the profiles a probe app could have (the delete order)
    assert allowed - extra == {"sso:DeleteProfile"}


def test_a_probe_app_that_cannot_be_deleted_is_named_and_the_next_probe_removes_it(idc, emulator, aws, no_waiting):
    emulator.add_fault("DeleteApplicationInstance", "error", service="sso-control", count=1000)
    report = probe(idc(), write=True)["write_probe"]
    assert report["error"] is None and report["left_behind"] == [report["app"]]
    assert probe_apps(emulator, aws) == [report["app"]]
    emulator.clear_faults()
    again = probe(idc(), write=True)["write_probe"]
    assert again["removed_leftovers"] == [report["app"]] and again["left_behind"] == []
    assert probe_apps(emulator, aws) == []
