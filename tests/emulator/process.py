"""Run the emulator as a child process, exactly as `make emulator` does."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

TESTS_DIR = Path(__file__).resolve().parent.parent


@contextlib.contextmanager
def running(port: int = 0, seed: str | Path = "sandbox") -> Iterator[str]:
    """Start `python -m emulator`; yield its endpoint; stop it on the way out.

    seed: a topology name, "scale:N", "none", or a path to a .yml (relative to the current directory).
    """
    env = {k: v for k, v in os.environ.items() if k != "MOTO_ACCOUNT_ID"}
    if isinstance(seed, Path) or str(seed).endswith((".yml", ".yaml")):
        seed = Path(seed).resolve()  # the child runs in tests/
    process = subprocess.Popen(
        [sys.executable, "-m", "emulator", "--port", str(port), "--seed", str(seed)],
        cwd=TESTS_DIR,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline().strip()
        if not line.startswith("endpoint: "):
            raise RuntimeError(f"the emulator did not start (exit {process.poll()}): {line!r}")
        yield line.split(" ", 1)[1]
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def ansible_env(endpoint: str, **extra: str) -> dict:
    """The environment of an ansible-playbook (or any AWS tool) run against the emulator: its
    endpoint, ambient dummy keys, this repository's ansible.cfg, this Python's tools first on PATH."""
    root = TESTS_DIR.parent
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "ANSIBLE_"))}
    env.update(
        AWS_ENDPOINT_URL=endpoint,
        AWS_ACCESS_KEY_ID="AKIAEMULATORAMBIENT1",
        AWS_SECRET_ACCESS_KEY="dummy",
        AWS_DEFAULT_REGION="us-east-1",
        ANSIBLE_CONFIG=str(root / "ansible.cfg"),
        ANSIBLE_PYTHON_INTERPRETER=sys.executable,
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    )
    env.update(extra)
    return env
