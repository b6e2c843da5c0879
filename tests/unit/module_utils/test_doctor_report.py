"""The doctor's report, built from each host's result: summary, Markdown and printed table; and
its vocabulary: one check per link, in sign-in order."""

from __future__ import annotations

from ansible_collections.connect_sso.federation.plugins.module_utils import doctor, doctor_report
from ansible_collections.connect_sso.federation.plugins.module_utils.doctor_walk import LINKS

BROKEN = {
    "instance_id": "a27e34ec-1ac6-50ab-84a1-792a21c0fb1e",
    "ok": False,
    "broken_link": "relay_state",
    "findings": [
        {
            "link": "relay_state",
            "severity": "error",
            "message": "Session expired: the relay state | sends",
            "fix": "set it",
        },
        {"link": "certificate_expiry", "severity": "warning", "message": "expires soon", "fix": "rotate"},
    ],
}
HEALTHY = {"instance_id": "5c1e", "ok": True, "broken_link": None, "findings": []}


def test_every_link_has_its_check_in_sign_in_order():
    assert len(doctor.CHECKS) == len(LINKS) == 14
    assert [check.__name__ for check in doctor.CHECKS] == [f"check_{link}" for link in LINKS]


def test_the_report_sums_up_hosts_and_keeps_a_host_without_a_result_as_not_diagnosed():
    report = doctor_report.build(
        {"qa-west": BROKEN, "qa-east": HEALTHY, "dev-east": {"failed": True, "msg": "AccessDenied"}, "prod": None}
    )
    summary = report["summary"]
    assert summary["ok"] == ["qa-east"] and summary["broken"] == {"qa-west": "relay_state"}
    assert summary["failed"] == ["dev-east", "prod"] and summary["warnings"] == 1
    assert report["hosts"]["dev-east"]["error"] == "AccessDenied"
    assert report["hosts"]["prod"]["error"] == doctor_report.NOT_RUN


def test_markdown_and_table_say_what_users_see_and_the_fix():
    report = doctor_report.build({"qa-west": BROKEN, "qa-east": HEALTHY})
    text = doctor_report.markdown(report)
    assert (
        "| qa-west | a27e34ec-1ac6-50ab-84a1-792a21c0fb1e | broken: relay_state | Session expired: the relay state \\| sends |"
        in text
    )
    assert "- **certificate_expiry** (warning): expires soon" in text and "  - Fix: rotate" in text
    table = doctor_report.table(report)
    assert table[0].split() == ["HOST", "INSTANCE", "STATUS", "WHAT", "USERS", "SEE"]
    assert "broken: relay_state" in table[1] and table[2].split()[2] == "ok"
