"""`make signin AGENT=<IdC user> HOST=<inventory host>`: sign in through the emulator's simulator.

Needs a running emulator (`make emulator`) and its endpoint in AWS_ENDPOINT_URL. Prints where
the user lands (read from the app's relay state), or which link of the chain broke and AWS's
words for it; exits 1 on refusal, or when the user lands on another instance than the host's.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from emulator.client import EmulatorClient  # noqa: E402
from emulator.sandbox import INSTANCES  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--user", required=True, help="IdC user name, e.g. dana.dev")
    parser.add_argument(
        "--host", required=True, help="inventory host, e.g. dev-east: " + ", ".join(i.host for i in INSTANCES)
    )
    parser.add_argument(
        "--app", help="the IdC app (display name or id) instead of the one the inventory names for --host"
    )
    parser.add_argument("--endpoint", default=os.environ.get("AWS_ENDPOINT_URL"))
    args = parser.parse_args()
    if not args.endpoint:
        parser.error("set AWS_ENDPOINT_URL (or --endpoint) to the endpoint `make emulator` printed")
    instance = next((i for i in INSTANCES if i.host == args.host), None)
    if instance is None:
        parser.error(f"unknown host {args.host}")
    payload = {"user": args.user, "app": args.app} if args.app else {"user": args.user, "host": args.host}
    answer = EmulatorClient(args.endpoint).admin("POST", "/signin", payload)
    if answer["ok"]:
        elsewhere = "" if answer["instance_id"] == instance.id else f" - NOT {args.host}'s instance ({instance.alias})"
        print(
            f"{args.user} -> {args.host} (app {answer['app']}): signed in as {answer['username']} "
            f"with security profiles {', '.join(answer['security_profiles']) or 'none'}, "
            f"lands on {answer['federate_url']}{elsewhere}"
        )
    else:
        print(
            f"{args.user} -> {args.host}: refused by {answer['stage']} ({answer['error_code']}): {answer['message']}"
            f"\n  broken link: {answer['broken_link']}; passed: {', '.join(answer['passed']) or 'nothing'}"
        )
    if os.environ.get("SIGNIN_JSON"):
        print(json.dumps(answer, indent=1))
    return 0 if answer["ok"] and answer["instance_id"] == instance.id else 1


if __name__ == "__main__":
    sys.exit(main())
