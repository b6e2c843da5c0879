"""The compliance report of a run, built from chain results without AWS (module_utils/reports.py)."""

from __future__ import annotations

import json
from xml.etree import ElementTree

from ansible_collections.connect_sso.federation.plugins.module_utils import reports

STEPS = ("app", "provider", "role", "attributes", "assignments")  # no users step: "skipped"


def chain_result(changed=(), failed=False, msg=""):
    result = {"instance": {"id": "i-1", "alias": "acme"}, "changed": bool(changed)}
    for step in STEPS:
        diff = {"before": {"aud": "old"}, "after": {"aud": "new"}} if step in changed else {"before": {}, "after": {}}
        result[step] = {"changed": step in changed, "diff": diff}
    if failed:
        result.update(failed=True, msg=msg)
    return result


def test_drift_in_check_mode_is_one_failure_per_link_with_its_diff():
    report = reports.build(
        {"a": chain_result(), "b": chain_result(["role"], failed=True, msg="differs from the inventory in: role")},
        check_mode=True,
    )
    assert report["summary"]["drifted"] == ["b"] and report["summary"]["failed"] == []
    assert (report["summary"]["tests"], report["summary"]["failures"]) == (12, 1)  # 6 links each
    root = ElementTree.fromstring(reports.junit_xml(report))
    failures = [(c.get("classname"), c.get("name"), c.find("failure")) for c in root.iter("testcase")]
    failures = [(host, name, f) for host, name, f in failures if f is not None]
    assert [(h, n) for h, n, _failure in failures] == [("b", "role")]
    assert '-  "aud": "old"' in failures[0][2].text and '+  "aud": "new"' in failures[0][2].text
    assert reports.stats(report) == {"hosts": 2, "drifted": ["b"], "failed": [], "failures": 1}


def test_a_normal_run_repairs_instead_of_failing():
    report = reports.build({"a": chain_result(["provider"])}, check_mode=False)
    assert report["summary"]["changed"] == ["a"] and report["summary"]["failures"] == 0
    assert "<failure" not in reports.junit_xml(report)


def test_a_failed_host_fails_every_link_its_result_lacks_and_a_host_without_result_every_link():
    report = reports.build({"a": {"failed": True, "msg": "AccessDenied"}, "b": None}, check_mode=True)
    assert report["summary"]["failed"] == ["a", "b"] and report["summary"]["failures"] == 12
    assert {link["message"] for link in report["hosts"]["a"]["links"].values()} == {"AccessDenied"}
    assert json.loads(reports.json_text(report)) == report


def test_the_markdown_table_has_one_row_per_host_and_the_failures_below():
    report = reports.build({"a|b": chain_result(), "c": chain_result(["app"], failed=True, msg="x")}, check_mode=True)
    text = reports.markdown(report)
    assert "| Host | Instance | app | provider | role | attributes | assignments | users | Status |" in text
    assert "| a\\|b | acme | ok | ok | ok | ok | ok | - | ok |" in text
    assert "| c | acme | **DRIFT** | ok | ok | ok | ok | - | drift |" in text
    assert "### c: app (drift)" in text and "```diff" in text


def test_a_username_differing_only_in_case_is_drift_even_in_a_normal_run_and_says_the_fix():
    result = chain_result()
    fix = "IAM Identity Center sends 'peter@x' but Connect has 'Peter@x': delete the Connect user and rerun"
    result["users"] = {"changed": False, "case_mismatches": [{"connect_username": "Peter@x", "fix": fix}]}
    for check_mode in (True, False):
        report = reports.build({"a": result}, check_mode=check_mode)
        users = report["hosts"]["a"]["links"]["users"]
        assert (users["status"], users["message"], report["summary"]["failures"]) == ("drift", fix, 1)
