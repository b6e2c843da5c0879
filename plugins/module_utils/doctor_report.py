# -*- coding: utf-8 -*-
# Copyright: Contributors to the connect_sso.federation collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The doctor's report of a run, from each host's connect_federation_check result: JSON, a
Markdown summary and the short table the playbook prints. Pure: the action plugin doctor_report
writes the files."""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional

from ansible_collections.connect_sso.federation.plugins.module_utils.reports import json_text, table_cell

NOT_RUN = "the doctor did not run for this host (it failed or was skipped before)"
TITLE = "# Amazon Connect federation doctor"

__all__ = ["build", "json_text", "markdown", "table"]  # json_text: the same JSON as the compliance report


def host_entry(result: Optional[Mapping[str, Any]]) -> Dict[str, Any]:
    """One host's part of the report: the doctor's result, or why there is none (an error)."""
    if result and "findings" in result:
        keep = ("instance_id", "ok", "broken_link", "findings", "unchecked", "app", "role_arn", "provider_arn")
        return {key: result.get(key) for key in keep}
    reason = (result or {}).get("msg") or NOT_RUN
    return {"instance_id": None, "ok": False, "broken_link": None, "findings": [], "error": str(reason)}


def build(results: Mapping[str, Any], generated: str = "") -> Dict[str, Any]:
    """{host: its registered result (None when it has none)}, in play order -> the report."""
    hosts = {host: host_entry(result) for host, result in results.items()}
    summary: Dict[str, Any] = {
        "hosts": len(hosts),
        "ok": [h for h, e in hosts.items() if e["ok"]],
        "broken": {h: e["broken_link"] for h, e in hosts.items() if e["broken_link"]},
        "failed": [h for h, e in hosts.items() if e.get("error")],
        "warnings": sum(1 for e in hosts.values() for f in e["findings"] if f["severity"] == "warning"),
    }
    if generated:
        summary["generated"] = generated
    return {"summary": summary, "hosts": hosts}


def _status(entry: Mapping[str, Any]) -> str:
    if entry.get("error"):
        return "not diagnosed"
    return "ok" if entry["ok"] else f"broken: {entry['broken_link']}"


def _first_error(entry: Mapping[str, Any]) -> str:
    first = next((f for f in entry["findings"] if f["severity"] == "error"), None)
    return entry.get("error") or (first["message"] if first else "")


def table(report: Mapping[str, Any], width: int = 120) -> List[str]:
    """The short table the playbook prints: one line per host."""
    rows = [("HOST", "INSTANCE", "STATUS", "WHAT USERS SEE")]
    rows += [(h, e["instance_id"] or "-", _status(e), _first_error(e)) for h, e in report["hosts"].items()]
    sizes = [max(len(str(row[i])) for row in rows) for i in range(3)]
    lines = []
    for row in rows:
        line = "  ".join(str(cell).ljust(size) for cell, size in zip(row[:3], sizes)) + "  " + row[3]  # noqa: B905
        lines.append(line if len(line) <= width else line[: width - 3] + "...")
    return lines


def markdown(report: Mapping[str, Any]) -> str:
    """A summary table (one row per host) and every finding with its fix."""
    summary = report["summary"]
    lines = [
        TITLE,
        "",
        f"{summary['hosts']} instances: {len(summary['ok'])} ok, {len(summary['broken'])} broken, "
        f"{len(summary['failed'])} not diagnosed, {summary['warnings']} warning(s)."
        + (f" Generated {summary['generated']}." if summary.get("generated") else ""),
        "",
        "| Host | Instance | Status | What users see |",
        "|---|---|---|---|",
    ]
    for host, entry in report["hosts"].items():
        cells = [host, entry["instance_id"] or "-", _status(entry), _first_error(entry)]
        lines.append("| " + " | ".join(table_cell(str(c)) for c in cells) + " |")
    for host, entry in report["hosts"].items():
        if entry["findings"]:
            lines += ["", f"## {host}", ""]
        for finding in entry["findings"]:
            lines.append(f"- **{finding['link']}** ({finding['severity']}): {table_cell(finding['message'])}")
            lines.append(f"  - Fix: {table_cell(finding['fix'])}")
    return "\n".join(lines + _facts_lines(report.get("facts"))) + "\n"


def _facts_lines(facts: Any) -> List[str]:
    """The console-API facts probe, one line per inferred fact: agrees, differs or unknown."""
    if not isinstance(facts, Mapping):
        return []
    lines = ["", "## Console API facts (inferred by the collection, probed here)", ""]
    verdicts = {True: "agrees", False: "**differs**", None: "unknown"}
    for item in facts.get("answers", []):
        lines.append(
            f"- `{item['fact']}`: {verdicts.get(item.get('agrees'), 'unknown')} (assumed {table_cell(str(item.get('assumed')))}, "
            f"observed {table_cell(str(item.get('observed')))})"
        )
    return lines
