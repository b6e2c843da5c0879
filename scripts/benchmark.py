"""`make benchmark`: a no-change run of site.yml over the five sandbox instances, side by side
with the generic amazon.aws modules doing only the IAM half of the chain (provider, role,
inline policy) for the same instances. Prints the ratio; the target is at most 0.5. The same
site.yml run with ordinary module processes (connect_sso_in_process=false) is shown beside them.

Both are measured against the same emulator, alternating, after one converging run, and the
median of the rounds is compared. It also counts module processes per host and AWS calls,
since a module process costs more here than the calls it makes.

`make benchmark SCALE=N` (--scale N) measures site.yml over the emulator's `scale:N` topology
(N accounts, 2N instances) instead: first, no-change (the median of --rounds runs) and check runs,
then a no-change run with 50 ms added to every AWS call, each with wall time, time per instance, AWS
calls per instance and module processes per host, with the default output a user sees; then the
five-instance comparison above.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from emulator.client import EmulatorClient  # noqa: E402
from emulator.process import ansible_env, running  # noqa: E402
from emulator.sandbox import INSTANCES  # noqa: E402
from emulator.topology import load, write_inventory  # noqa: E402

TARGET = 0.5


def playbook(endpoint: str, path: str, *args: str, as_user: bool = False) -> tuple[float, dict, int]:
    """Run a playbook; return wall seconds, its json result, and how many module processes it started.

    Module processes are counted from the AnsiballZ payloads Ansible writes for each one (kept
    in a private remote_tmp for the count). as_user: with the default output a user sees, not the
    json callback (which keeps every result of the run until it ends); the result is then {}."""
    with tempfile.TemporaryDirectory() as remote_tmp:
        env = ansible_env(
            endpoint,
            ANSIBLE_STDOUT_CALLBACK="default" if as_user else "ansible.posix.json",
            ANSIBLE_REMOTE_TMP=remote_tmp,
            ANSIBLE_KEEP_REMOTE_FILES="1",
        )
        started = time.perf_counter()
        done = subprocess.run(
            [str(Path(sys.executable).with_name("ansible-playbook")), path, *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        elapsed = time.perf_counter() - started
        processes = len(list(Path(remote_tmp).rglob("AnsiballZ_*.py")))
    if done.returncode:
        sys.exit(f"{path} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return elapsed, {} if as_user else json.loads(done.stdout), processes


def tasks_per_host(result: dict) -> float:
    per_host: dict[str, int] = {}
    for play in result["plays"]:
        for task in play["tasks"]:
            for host, outcome in task["hosts"].items():
                if not outcome.get("skipped"):
                    per_host[host] = per_host.get(host, 0) + 1
    return statistics.mean(per_host.values()) if per_host else 0.0


def scale(accounts: int, repeats: int) -> None:
    """site.yml over scale:N, run as a user would (default output): one table row per run; the
    no-change run is repeated and its median shown, since one sample on a shared machine varies by
    several seconds."""
    topology = load(f"scale:{accounts}")
    instances = len(topology.instances)
    print(f"site.yml over scale:{accounts} ({instances} instances, forks 10)")
    print(f"  {'run':<30}{'wall s':>8}{'s/instance':>12}{'calls/instance':>16}{'writes':>8}{'processes/host':>16}")
    with running(seed=f"scale:{accounts}") as endpoint, tempfile.TemporaryDirectory() as directory:
        client = EmulatorClient(endpoint)
        inventory = str(write_inventory(topology, Path(directory) / "hosts.yml"))
        runs = [("first", [], 0, 1), (f"no change (median of {repeats})", [], 0, repeats)]
        runs += [("check (--check --diff)", ["--check", "--diff"], 0, 1), ("no change, 50 ms per call", [], 50, 1)]
        for label, flags, latency, times in runs:
            if latency:
                client.add_fault("*", "latency", latency_ms=latency)
            samples = []
            for _time in range(times):
                mark = client.mark()
                seconds, _result, processes = playbook(
                    endpoint, "site.yml", "-i", inventory, "-f", "10", *flags, as_user=True
                )
                samples.append(seconds)
                requests = client.requests(since=mark)
            seconds = statistics.median(samples)
            writes = sum(r["write"] for r in requests)
            print(
                f"  {label:<30}{seconds:8.1f}{seconds / instances:12.3f}{len(requests) / instances:16.1f}"
                f"{writes:8d}{processes / instances:16.1f}"
            )
        client.clear_faults()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--scale", default="", help="also measure site.yml over scale:N (N accounts); N,M,... for several sizes"
    )
    args = parser.parse_args()
    for accounts in [int(n) for n in args.scale.split(",") if n.strip()]:
        scale(accounts, args.rounds)
    with running() as endpoint:
        client = EmulatorClient(endpoint)
        _t, converge, _p = playbook(endpoint, "site.yml")
        tasks = converge["plays"][0]["tasks"]
        chain = next(
            t["hosts"]
            for t in tasks
            if t["task"]["name"].endswith("Federate the Connect instance with IAM Identity Center")
        )
        host_by_id = {i.host: i for i in INSTANCES}
        extra = {
            "benchmark_metadata": {h: r["app"]["metadata"] for h, r in chain.items()},
            "benchmark_documents": {
                h: {"trust_policy": r["role"]["trust_policy"], "federation_policy": r["role"]["federation_policy"]}
                for h, r in chain.items()
            },
        }
        assert set(extra["benchmark_metadata"]) == set(host_by_id)
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
            json.dump(extra, handle)
        ours, separate, theirs, calls, processes = [], [], [], {}, {}
        try:
            playbook(endpoint, "benchmarks/amazon_aws_iam_half.yml", "-e", f"@{handle.name}")  # warm-up, converge
            for _round in range(args.rounds):
                mark = client.mark()
                seconds, result_ours, processes["ours"] = playbook(endpoint, "site.yml")
                ours.append(seconds)
                calls["ours"] = client.requests(since=mark)
                mark = client.mark()  # the same run with ordinary module processes (plugin_utils/in_process.py off)
                seconds, result_separate, processes["separate"] = playbook(
                    endpoint, "site.yml", "-e", "connect_sso_in_process=false"
                )
                separate.append(seconds)
                calls["separate"] = client.requests(since=mark)
                mark = client.mark()
                seconds, result_theirs, processes["theirs"] = playbook(
                    endpoint, "benchmarks/amazon_aws_iam_half.yml", "-e", f"@{handle.name}"
                )
                theirs.append(seconds)
                calls["theirs"] = client.requests(since=mark)
        finally:
            os.unlink(handle.name)
    ratio = statistics.median(ours) / statistics.median(theirs)
    print(f"no-change run over {len(INSTANCES)} instances, {args.rounds} rounds, median wall time")
    rows = [
        ("connect_sso.federation site.yml (whole chain: IdC + IAM)", ours, result_ours, calls["ours"], "ours"),
        ("the same, connect_sso_in_process=false", separate, result_separate, calls["separate"], "separate"),
        ("amazon.aws + community.aws (IAM half only)", theirs, result_theirs, calls["theirs"], "theirs"),
    ]
    for label, times, result, requests, key in rows:
        writes = sum(r["write"] for r in requests)
        print(
            f"  {label}\n    {statistics.median(times):5.2f} s   tasks/host {tasks_per_host(result):.1f}   "
            f"module processes/host {processes[key] / len(INSTANCES):.1f}   AWS calls {len(requests)} "
            f"(writes {writes})"
        )
    verdict = "meets" if ratio <= TARGET else "MISSES"
    print(f"ratio {ratio:.2f} ({verdict} the target of at most {TARGET})")
    print(f"ratio with module processes {statistics.median(separate) / statistics.median(theirs):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
