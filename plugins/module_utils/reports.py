# -*- coding: utf-8 -*-
# Copyright: Contributors to the connect_sso.federation collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Compliance reports of one run: JUnit XML, JSON and a Markdown summary, from each host's chain result.

Pure functions (no AWS, no Ansible): `build()` turns {host: connect_federation result} into the
report, `junit_xml()`, `json_text()` and `markdown()` render it. The action plugin compliance_report
gathers the results and writes the files.

Each host is a Connect instance; each of its links (the chain's steps) is one test case:

- ``ok``: the link is as the inventory asks;
- ``changed``: it was not, and this (normal) run repaired it;
- ``drift``: it is not, and this check-mode run left it so (a failure);
- ``error``: the host failed before this link was read or made (a failure), with the host's message.
"""

from __future__ import annotations

import difflib
import json
from typing import Any, Dict, List, Mapping, Optional
from xml.etree import ElementTree

# the chain's links, in its order (module_utils/chain.py STEPS, then USERS: "skipped" where no group is mapped)
LINKS = ("app", "provider", "role", "attributes", "assignments", "users")
FAILING = ("drift", "error")
SUITE = "connect_sso.federation compliance"
NO_RESULT = "the chain did not run for this host (it failed or was skipped before)"


def diff_text(diff: Any) -> str:
    """A step's diff ({before, after}) as a unified diff of its JSON, or "" when there is none."""
    if not isinstance(diff, Mapping):
        return ""
    before = json.dumps(diff.get("before", {}), indent=2, sort_keys=True, default=str).splitlines()
    after = json.dumps(diff.get("after", {}), indent=2, sort_keys=True, default=str).splitlines()
    return "\n".join(difflib.unified_diff(before, after, "current", "inventory", lineterm=""))


def link_status(step: Optional[Mapping[str, Any]], host_failed: bool, check_mode: bool) -> str:
    """A link missing from a failed host's result is an error (the host failed before it); else skipped."""
    if not isinstance(step, Mapping):
        return "error" if host_failed else "skipped"
    if step.get("changed"):
        return "drift" if check_mode else "changed"
    if step.get("case_mismatches"):  # never repaired by a run (it would duplicate the user): drift either way
        return "drift"
    return "ok"


def host_report(result: Optional[Mapping[str, Any]], check_mode: bool) -> Dict[str, Any]:
    """One host: its status, instance, message and each link's status and diff."""
    if not isinstance(result, Mapping) or not result or result.get("skipped"):
        links = {name: {"status": "error", "message": NO_RESULT, "diff": ""} for name in LINKS}
        return {"status": "failed", "instance": {}, "message": NO_RESULT, "links": links}
    failed = bool(result.get("failed"))
    message = str(result.get("msg", "")) if failed else ""
    links = {}
    # a result holding the chain's steps failed after them (fail_on_drift): a link it lacks (users,
    # when no group is mapped) was never to run; without them the host failed before its chain ran
    failed_before_chain = failed and "app" not in result
    for name in LINKS:
        step = result.get(name)
        status = link_status(step, failed_before_chain, check_mode)
        entry: Dict[str, Any] = {"status": status, "message": "", "diff": ""}
        if status in ("drift", "changed"):
            entry["diff"] = diff_text(step.get("diff"))
            entry["message"] = f"{name} differs from the inventory" + ("" if check_mode else " (repaired by this run)")
            fixes = [m["fix"] for m in step.get("case_mismatches") or []]
            if fixes:
                entry["message"] = "; ".join(([entry["message"]] if step.get("changed") else []) + fixes)
        elif status == "error":
            entry["message"] = message or NO_RESULT
        links[name] = entry
    statuses = {entry["status"] for entry in links.values()}
    if "error" in statuses or (failed and "drift" not in statuses):
        status = "failed"
    elif "drift" in statuses:
        status = "drift"
    elif "changed" in statuses:
        status = "changed"
    else:
        status = "ok"
    instance = result.get("instance") or {}
    return {
        "status": status,
        "instance": {key: instance.get(key) for key in ("id", "alias", "arn") if instance.get(key)},
        "message": message,
        "links": links,
    }


def build(results: Mapping[str, Any], check_mode: bool, generated: str = "") -> Dict[str, Any]:
    """The report of a run: {host: its chain result (None when it has none)} in play order."""
    hosts = {host: host_report(result, check_mode) for host, result in results.items()}
    by_status: Dict[str, List[str]] = {"ok": [], "changed": [], "drift": [], "failed": []}
    for host, report in hosts.items():
        by_status[report["status"]].append(host)
    cases = [link for report in hosts.values() for link in report["links"].values()]
    summary = {
        "hosts": len(hosts),
        "check_mode": check_mode,
        "ok": by_status["ok"],
        "changed": by_status["changed"],
        "drifted": by_status["drift"],
        "failed": by_status["failed"],
        "tests": len(cases),
        "failures": sum(1 for case in cases if case["status"] in FAILING),
    }
    if generated:
        summary["generated"] = generated
    return {"summary": summary, "hosts": hosts}


def junit_xml(report: Mapping[str, Any]) -> str:
    """JUnit XML: one test suite, one test case per host and link (classname: host, name: link)."""
    summary = report["summary"]
    counts = {"tests": str(summary["tests"]), "failures": str(summary["failures"]), "errors": "0", "skipped": "0"}
    skipped = sum(
        1 for host in report["hosts"].values() for link in host["links"].values() if link["status"] == "skipped"
    )
    counts["skipped"] = str(skipped)
    root = ElementTree.Element("testsuites", name=SUITE, **counts)
    suite = ElementTree.SubElement(root, "testsuite", name=SUITE, **counts)
    if summary.get("generated"):
        suite.set("timestamp", summary["generated"])
    for host, host_report_ in report["hosts"].items():
        for name, link in host_report_["links"].items():
            case = ElementTree.SubElement(suite, "testcase", classname=host, name=name)
            if link["status"] in FAILING:
                failure = ElementTree.SubElement(case, "failure", type=link["status"], message=link["message"])
                failure.text = link["diff"] or link["message"]
            elif link["status"] == "skipped":
                ElementTree.SubElement(case, "skipped")
            elif link["status"] == "changed":
                out = ElementTree.SubElement(case, "system-out")
                out.text = f"{link['message']}\n{link['diff']}"
    ElementTree.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(root, encoding="unicode") + "\n"


def json_text(report: Mapping[str, Any]) -> str:
    return json.dumps(report, indent=2, sort_keys=False, default=str) + "\n"


def table_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


MARKS = {"ok": "ok", "changed": "repaired", "drift": "**DRIFT**", "error": "**ERROR**", "skipped": "-"}


def markdown(report: Mapping[str, Any]) -> str:
    """A summary table (one row per host, one column per link) and the diff of every failing link."""
    summary = report["summary"]
    mode = "check mode (nothing was changed)" if summary["check_mode"] else "converge run"
    lines = [
        "# Amazon Connect federation compliance",
        "",
        f"{summary['hosts']} instances, {mode}: {len(summary['ok'])} ok, {len(summary['changed'])} repaired, "
        f"{len(summary['drifted'])} drifted, {len(summary['failed'])} failed."
        + (f" Generated {summary['generated']}." if summary.get("generated") else ""),
        "",
        "| Host | Instance | " + " | ".join(LINKS) + " | Status |",
        "|---|---|" + "---|" * len(LINKS) + "---|",
    ]
    for host, entry in report["hosts"].items():
        instance = entry["instance"].get("alias") or entry["instance"].get("id") or ""
        cells = [MARKS[entry["links"][name]["status"]] for name in LINKS]
        lines.append(
            f"| {table_cell(host)} | {table_cell(instance)} | " + " | ".join(cells) + f" | {entry['status']} |"
        )
    details = [
        (host, name, link)
        for host, entry in report["hosts"].items()
        for name, link in entry["links"].items()
        if link["status"] in FAILING
    ]
    if details:
        lines += ["", "## Failures"]
    for host, name, link in details:
        lines += ["", f"### {host}: {name} ({link['status']})", "", table_cell(link["message"])]
        if link["diff"]:
            lines += ["", "```diff", link["diff"], "```"]
    return "\n".join(lines) + "\n"


def stats(report: Mapping[str, Any]) -> Dict[str, Any]:
    """The short summary a run publishes with set_stats (AWX shows it as the job's artifacts)."""
    summary = report["summary"]
    return {key: summary[key] for key in ("hosts", "drifted", "failed", "failures")}
