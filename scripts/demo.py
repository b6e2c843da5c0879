"""`make demo`: the whole story on a laptop, against the local AWS emulator.

Starts the emulator with the sandbox organisation, runs site.yml over all five Connect
instances, runs it again (nothing changes, nothing is written), signs one agent in to every
instance with the sign-in simulator (each lands on its own instance, and is refused by the
others), prints a summary, and stops the emulator.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from emulator.client import EmulatorClient, signed_control_call  # noqa: E402
from emulator.process import ansible_env, running  # noqa: E402
from emulator.sandbox import INSTANCES, ROOT_ACCOUNT  # noqa: E402

AGENTS = {"dev": "dana.dev", "qa": "quinn.qa", "prod": "paula.prod"}
# users with no Connect user in the sandbox: the run creates theirs (connect_federation_users)
DEVELOPERS = {"devon.dev": "dev-east", "pia.prod": "prod-west"}


def table(title: str, headers: list[str], rows: list[list[object]]) -> None:
    cells = [headers, *[[str(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    print(f"\n{title}")
    for index, row in enumerate(cells):
        print("  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
        if index == 0:
            print("  " + "  ".join("-" * width for width in widths))


def site(endpoint: str, *args: str) -> tuple[int, float, int]:
    """Run site.yml as a user would, show its output; return exit code, seconds, hosts changed (from the recap)."""
    env = ansible_env(endpoint, ANSIBLE_FORCE_COLOR="0")
    command = [str(Path(sys.executable).with_name("ansible-playbook")), "site.yml", *args]
    print("\n$ AWS_ENDPOINT_URL=" + endpoint + " " + " ".join(["ansible-playbook", "site.yml", *args]), flush=True)
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    changed_hosts = 0
    for line in process.stdout:
        print(line, end="", flush=True)
        recap = re.search(r"\schanged=(\d+)\s", line)
        if recap and " : ok=" in line:
            changed_hosts += int(recap.group(1)) > 0
    return process.wait(), time.perf_counter() - started, changed_hosts


def summary(client: EmulatorClient) -> list[list[str]]:
    client.config(get_application_instance_includes_response_config=True)  # to read back what was set
    root = client.session(ROOT_ACCOUNT)
    _status, listing = signed_control_call(client.endpoint, root, "ListApplicationInstances", {})
    by_name = {a["display"]["displayName"]: a for a in listing["applicationInstances"]}
    rows = []
    for instance in INSTANCES:
        app = by_name[instance.app_name]
        role_pair = app["responseConfig"]["properties"]["https://aws.amazon.com/SAML/Attributes/Role"]["source"][0]
        role, provider = role_pair.split(",")
        rows.append(
            [
                instance.host,
                app["display"]["displayName"],
                provider.split(":", 5)[5],
                role.split(":", 5)[5],
                app["responseConfig"]["relayState"].split("://", 1)[1],
            ]
        )
    client.config(get_application_instance_includes_response_config=False)
    return rows


def main() -> int:
    with running() as endpoint:
        client = EmulatorClient(endpoint)
        print(
            f"Local AWS emulator at {endpoint}, seeded with the sandbox organisation "
            "(root 111111111111 with IdC; dev, qa and prod accounts with five SAML Connect instances)."
        )
        first_mark = client.mark()
        code, first_time, first_changed = site(endpoint)
        if code:
            print("site.yml failed; see above")
            return code
        second_mark = client.mark()
        first_writes = client.writes(since=first_mark)
        code, second_time, second_changed = site(endpoint)
        second_writes = client.writes(since=second_mark)
        if code:
            return code

        table(
            "What each instance got",
            ["host", "IdC app", "IAM SAML provider", "IAM role", "relay state"],
            summary(client),
        )

        rows, failures = [], 0
        for env, agent in AGENTS.items():
            row = [agent]
            for instance in INSTANCES:
                # the agent clicks the host's app; where they land comes from that app's relay state
                answer = client.admin("POST", "/signin", {"user": agent, "host": instance.host})
                own = instance.env == env
                if answer["ok"]:
                    row.append("lands on " + answer["federate_url"].split("//", 1)[1].split(".", 1)[0])
                else:
                    row.append(f"refused ({answer['error_code']})")
                landed_home = answer["ok"] and answer["instance_id"] == instance.id
                failures += landed_home != own
            rows.append(row)
        table(
            "Sign-in simulator: one agent per environment, against every instance",
            ["agent", *[i.host for i in INSTANCES]],
            rows,
        )
        peter = client.admin("POST", "/signin", {"user": "peter.prod", "host": INSTANCES[3].host})
        print(f"\n  and the classic failure: peter.prod -> prod-east: {peter['message']}")
        created = [w for w in first_writes if w["operation"] == "CreateUser"]
        print(f"\n  Connect users created by the first run (members of mapped IdC groups without one): {len(created)}")
        for developer, host in DEVELOPERS.items():
            answer = client.admin("POST", "/signin", {"user": developer, "host": host})
            landed = f"lands with {', '.join(answer['security_profiles'])}" if answer["ok"] else answer["message"]
            print(f"  {developer} -> {host}: {landed}")
            failures += not answer["ok"]

        table(
            "Runs",
            ["run", "wall time", "write calls", "hosts changed"],
            [
                ["first (converge)", f"{first_time:.1f} s", len(first_writes), first_changed],
                ["second (no change)", f"{second_time:.1f} s", len(second_writes), second_changed],
            ],
        )
        print(
            "\nEmulator stopped. Try it yourself: `make emulator`, then AWS_ENDPOINT_URL=<endpoint> "
            "ansible-playbook site.yml -l prod, and `make signin AGENT=paula.prod HOST=prod-west`."
        )
        return 1 if failures or second_writes or second_changed else 0


if __name__ == "__main__":
    sys.exit(main())
