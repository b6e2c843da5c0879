"""`make demo`: start the emulator, show the sandbox organisation, stop the emulator."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from emulator.client import EmulatorClient  # noqa: E402
from emulator.process import running  # noqa: E402


def table(title: str, headers: list[str], rows: list[list[object]]) -> None:
    cells = [headers, *[[str(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    print(f"\n{title}")
    for index, row in enumerate(cells):
        print("  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
        if index == 0:
            print("  " + "  ".join("-" * width for width in widths))


def show_organisation(topology: dict) -> None:
    table(
        "Accounts (every one reached by AssumeRole into " + topology["access_role"] + ")",
        ["name", "account id"],
        [[name, acct] for name, acct in topology["accounts"].items()],
    )
    table(
        "Amazon Connect instances",
        ["host", "env", "account", "region", "alias", "instance id", "identity", "users"],
        [
            [
                i["host"],
                i["env"],
                i["account"],
                i["region"],
                i["alias"],
                i["id"],
                i["identity_management_type"],
                len(i.get("users", [])),
            ]
            for i in topology.get("instances", [])
        ],
    )
    idc = topology.get("idc", {})
    table(
        f"IAM Identity Center users (root account, {idc.get('region', '?')})",
        ["user", "email", "groups"],
        [[u["user_name"], u["email"], ", ".join(u["groups"]) or "-"] for u in idc.get("users", [])],
    )
    table(
        "IAM Identity Center groups",
        ["group", "members"],
        [[g["name"], ", ".join(g["members"])] for g in idc.get("groups", [])],
    )


def main() -> int:
    with running() as endpoint:
        print(f"Emulator running at {endpoint} (sandbox organisation seeded)")
        show_organisation(EmulatorClient(endpoint).topology())
        print(
            "\nThe federation modules and roles are not built yet, so this demo only shows the sandbox"
            "\norganisation the site playbook will configure. Emulator stopped."
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
