"""`make benchmark-users`: the read bound of connect_saml_users over one instance with many mapped users.

Seeds the sandbox's dev-east with N IdC users (default 1,000) in one new mapped group, converges them
with connect_sso.federation.connect_saml_users (one ansible-playbook task), then runs it again with
nothing to change, and prints, from the emulator's request log, the reads the no-change run made on
that instance (Connect, its account and region) against the bound ceil(N/500) + 10: the profiles
once, SearchUsers pages of 500. The identity store reads (each mapped group's members once, each
member once) are per run, not per instance, and are printed apart. Not a timed test: the wall times
are shown for orientation only.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "scripts"))

from benchmark import playbook  # noqa: E402

from emulator.client import EmulatorClient, aws_session  # noqa: E402
from emulator.process import running  # noqa: E402
from emulator.sandbox import ACCOUNTS, IDENTITY_STORE_ID, INSTANCES, ROOT_ACCOUNT  # noqa: E402

GROUP = "connect-benchmark-agents"
INSTANCE = next(i for i in INSTANCES if i.host == "dev-east")
SEARCH_PAGE = 500  # SearchUsers.MaxResults


def seed_members(endpoint: str, count: int) -> None:
    """`count` IdC users, all in GROUP (a few threads: the emulator serialises, the client waits)."""
    store = aws_session(endpoint, ROOT_ACCOUNT).client("identitystore", endpoint_url=endpoint)
    group = store.create_group(IdentityStoreId=IDENTITY_STORE_ID, DisplayName=GROUP)["GroupId"]

    def member(index: int) -> None:
        name = f"bench{index:04d}"
        user = store.create_user(
            IdentityStoreId=IDENTITY_STORE_ID,
            UserName=name,
            DisplayName=f"Bench {index}",
            Name={"GivenName": "Bench", "FamilyName": f"No{index:04d}"},
            Emails=[{"Value": f"{name}@example.com", "Primary": True}],
        )["UserId"]
        store.create_group_membership(IdentityStoreId=IDENTITY_STORE_ID, GroupId=group, MemberId={"UserId": user})

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(member, range(count)))


def users_playbook(endpoint: str, directory: Path) -> Path:
    """One task of connect_saml_users on dev-east, with each account's credentials as a pipeline passes them."""

    def keys(account: str) -> dict:
        frozen = aws_session(endpoint, account).get_credentials().get_frozen_credentials()
        return {"access_key": frozen.access_key, "secret_key": frozen.secret_key, "session_token": frozen.token}

    task = {
        "name": "Keep a Connect user for every member of the mapped group",
        "connect_sso.federation.connect_saml_users": {
            "region": INSTANCE.region,
            "instance_alias": INSTANCE.alias,
            "idc": {"region": "us-east-1", **keys(ROOT_ACCOUNT)},
            "access": [{"group": GROUP, "security_profiles": ["Agent"], "routing_profile": "Basic Routing Profile"}],
            **keys(ACCOUNTS[INSTANCE.env]),
        },
    }
    path = directory / "users.yml"
    play = [{"name": "Benchmark", "hosts": "localhost", "gather_facts": False, "tasks": [task]}]
    path.write_text(json.dumps(play))  # JSON is YAML
    return path


def measure(client: EmulatorClient, endpoint: str, path: Path, label: str) -> tuple[dict, list[dict]]:
    mark = client.mark()
    seconds, result, _processes = playbook(endpoint, str(path))
    requests = client.requests(since=mark)
    outcome = result["plays"][0]["tasks"][0]["hosts"]["localhost"]
    counts = {k: outcome.get(k) for k in ("created", "updated", "deleted", "unchanged")}
    print(
        f"  {label:<10} {seconds:6.1f} s   {counts}   AWS calls {len(requests)} (writes {sum(r['write'] for r in requests)})"
    )
    return outcome, requests


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=1000, help="mapped IdC users (default 1000)")
    args = parser.parse_args()
    bound = math.ceil(args.users / SEARCH_PAGE) + 10
    with running() as endpoint, tempfile.TemporaryDirectory() as directory:
        client = EmulatorClient(endpoint)
        started = time.perf_counter()
        seed_members(endpoint, args.users)
        print(f"{args.users} IdC users in {GROUP} seeded in {time.perf_counter() - started:.1f} s; {INSTANCE.host}:")
        path = users_playbook(endpoint, Path(directory))
        first, _requests = measure(client, endpoint, path, "converge")
        if first.get("failed") or first.get("created") != args.users:
            sys.exit(f"the converging run did not create {args.users} users: {first.get('msg', first)}")
        again, requests = measure(client, endpoint, path, "no change")
        if again.get("changed") or any(r["write"] for r in requests):
            sys.exit("the no-change run changed something")
    account = ACCOUNTS[INSTANCE.env]
    on_instance = [
        r for r in requests if r["service"] == "connect" and r["account"] == account and r["region"] == INSTANCE.region
    ]
    reads = Counter(r["operation"] for r in on_instance if not r["write"])
    idc = Counter(r["operation"] for r in requests if r["service"] == "identitystore")
    total = sum(reads.values())
    verdict = "within" if total <= bound else "OVER"
    print(
        f"no-change run, reads on {INSTANCE.host}: {total} ({verdict} the bound ceil({args.users}/{SEARCH_PAGE}) + 10"
        f" = {bound}): {dict(sorted(reads.items()))}"
    )
    print(
        f"identity store reads of the run (per mapped group and member, not per instance): {dict(sorted(idc.items()))}"
    )
    return 0 if total <= bound else 1


if __name__ == "__main__":
    sys.exit(main())
