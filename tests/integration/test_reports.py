"""Compliance reports (connect_federation_report_dir): one JUnit XML, JSON and Markdown report per run,
written once by the controller, failed hosts included, and the run's exit code left as it was."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree

import pytest

from emulator.sandbox import ACCOUNTS, INSTANCES

pytestmark = pytest.mark.slow
SITE = Path(__file__).resolve().parents[2] / "site.yml"
TASK = "Federate the Connect instance with IAM Identity Center"
HOSTS = sorted(i.host for i in INSTANCES)
LINKS = {"app", "provider", "role", "attributes", "assignments", "users"}
CHECK = ("--check", "--diff", "-e", "connect_federation_fail_on_drift=true")


@pytest.fixture
def site(playbook):
    def run(*args: str, report: Path):
        return playbook(
            SITE, *args, "-e", f"connect_federation_report_dir={report}", env={"ANSIBLE_SHOW_CUSTOM_STATS": "1"}
        )

    return run


def junit(report: Path) -> tuple[ElementTree.Element, list[ElementTree.Element]]:
    root = ElementTree.parse(report / "compliance.xml").getroot()
    return root, root.findall("./testsuite/testcase")


def failing(cases: list[ElementTree.Element]) -> dict[tuple[str, str], ElementTree.Element]:
    return {(c.get("classname"), c.get("name")): c.find("failure") for c in cases if c.find("failure") is not None}


def test_a_converge_then_a_clean_check_run_report_every_instance_and_link_with_no_failure(
    case_mismatch_fixed, site, tmp_path
):
    first = site(report=tmp_path / "converge")
    assert first.rc == 0, first.stdout[-3000:] + first.stderr[-3000:]
    summary = json.loads((tmp_path / "converge" / "compliance.json").read_text())["summary"]
    assert (summary["check_mode"], summary["failures"], sorted(summary["changed"])) == (False, 0, HOSTS)
    root, cases = junit(tmp_path / "converge")
    assert len(cases) == len(HOSTS) * len(LINKS) and failing(cases) == {}

    check = site(*CHECK, report=tmp_path / "check")
    assert check.rc == 0, check.stdout[-3000:]
    assert check.total("changed") == 0  # writing the report changes no instance
    root, cases = junit(tmp_path / "check")
    assert (root.get("tests"), root.get("failures")) == (str(len(HOSTS) * len(LINKS)), "0")
    assert {(c.get("classname"), c.get("name")) for c in cases} == {(h, link) for h in HOSTS for link in LINKS}
    assert failing(cases) == {}
    report = json.loads((tmp_path / "check" / "compliance.json").read_text())
    assert sorted(report["summary"]["ok"]) == HOSTS and report["summary"]["drifted"] == []
    assert all(link["status"] == "ok" for host in report["hosts"].values() for link in host["links"].values())
    # written once for the run, published as its stats (AWX shows them as the job's artifacts)
    (writer,) = check.task_results("Write the compliance reports of this run (JUnit XML, JSON, Markdown)").values()
    assert writer["changed"] is False
    stats = check.result["global_custom_stats"]["connect_federation_compliance"]
    assert stats == {"hosts": len(HOSTS), "drifted": [], "failed": [], "failures": 0}


def test_drift_on_two_instances_fails_the_run_and_the_report_names_exactly_their_links(
    converged_onboarded, site, emulator, drift_two_instances, tmp_path
):
    drifting = drift_two_instances(converged_onboarded.task_results(TASK))

    mark = emulator.mark()
    report = tmp_path / "compliance"
    check = site(*CHECK, report=report)
    assert check.rc == 2, check.stdout[-3000:]  # the gate: failed hosts still fail the run
    assert {h for h, s in check.stats.items() if s.get("failures")} == {"dev-east", "qa-east"}
    assert emulator.writes(since=mark) == []

    root, cases = junit(report)
    assert len(cases) == len(HOSTS) * len(LINKS) and root.get("failures") == "2"
    failures = failing(cases)
    assert set(failures) == drifting
    assert all(f.get("type") == "drift" for f in failures.values())
    assert "evil.example.com" in failures[("dev-east", "role")].text  # the step's diff
    assert failures[("qa-east", "provider")].text.startswith("--- current")

    document = json.loads((report / "compliance.json").read_text())
    summary = document["summary"]
    assert (summary["check_mode"], summary["failures"], summary["failed"]) == (True, 2, [])
    assert sorted(summary["drifted"]) == ["dev-east", "qa-east"]
    assert sorted(summary["ok"]) == sorted(set(HOSTS) - {"dev-east", "qa-east"})
    reported = {
        (h, n) for h, r in document["hosts"].items() for n, link in r["links"].items() if link["status"] != "ok"
    }
    assert reported == drifting
    stats = check.result["global_custom_stats"]["connect_federation_compliance"]
    assert sorted(stats["drifted"]) == ["dev-east", "qa-east"] and stats["failures"] == 2

    markdown = (report / "compliance.md").read_text()
    assert "| Host | Instance | app | provider | role | attributes | assignments | users | Status |" in markdown
    rows = {line.split("|")[1].strip(): line for line in markdown.splitlines() if line.startswith("| ")}
    assert set(HOSTS) <= set(rows)
    assert "**DRIFT**" in rows["qa-east"] and "**DRIFT**" in rows["dev-east"] and "DRIFT" not in rows["prod-east"]
    assert "### dev-east: role (drift)" in markdown and "```diff" in markdown


def test_without_a_report_dir_no_report_task_runs(playbook):
    run = playbook(SITE, "-l", "qa-east")
    assert run.rc == 0
    (skipped,) = run.task_results("Write the compliance reports of this run (JUnit XML, JSON, Markdown)").values()
    assert skipped.get("skipped") is True


def test_when_every_host_fails_the_report_is_still_written_and_the_run_still_fails(site, emulator, tmp_path):
    emulator.add_fault("PutRolePolicy", "deny", service="iam", account=ACCOUNTS["prod"])
    report = tmp_path / "broken"
    broken = site("-l", "prod", report=report)
    assert broken.rc == 2, broken.stdout[-3000:]
    summary = json.loads((report / "compliance.json").read_text())["summary"]
    assert (sorted(summary["failed"]), summary["drifted"]) == (["prod-east", "prod-west"], [])
    root, cases = junit(report)
    failures = failing(cases)
    assert {host for host, _link in failures} == {"prod-east", "prod-west"}
    assert all(f.get("type") == "error" and "PutRolePolicy" in f.get("message") for f in failures.values())
