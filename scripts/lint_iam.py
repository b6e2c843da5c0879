"""Lint every IAM policy in docs/iam with parliament (an independent policy linter), community
auditors included (privilege escalation, credentials exposure, ...): print every finding, fail on
HIGH or CRITICAL ones. `make lint` runs it; `python scripts/lint_iam.py [FILE ...]` lints others."""

from __future__ import annotations

import sys
from pathlib import Path

import parliament
from parliament import analyze_policy_string, enhance_finding, override_config

ROOT = Path(__file__).resolve().parent.parent
POLICIES = ROOT / "docs" / "iam"
FAILING = ("HIGH", "CRITICAL")


# the severities of the community auditors' findings, as parliament's --include-community-auditors loads them
override_config(Path(parliament.__file__).parent / "community_auditors" / "config_override.yaml")


def findings_of(path: Path) -> list:
    policy = analyze_policy_string(path.read_text(), path.name, include_community_auditors=True)
    return [enhance_finding(finding) for finding in policy.findings]


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted(POLICIES.glob("*.json"))
    if not paths:
        print(f"no policy to lint in {POLICIES}", file=sys.stderr)
        return 1
    failing = 0
    for path in paths:
        shown = path.relative_to(ROOT) if path.resolve().is_relative_to(ROOT) else path
        findings = findings_of(path)
        print(f"{shown}: {len(findings)} finding(s)")
        for finding in findings:
            print(f"  {finding.severity} {finding.issue}: {finding.title} {finding.detail or ''} {finding.location}")
            failing += finding.severity in FAILING
    if failing:
        print(f"{failing} finding(s) of severity {' or '.join(FAILING)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
