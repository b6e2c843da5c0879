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
def running(port: int = 0, seed: str = "sandbox") -> Iterator[str]:
    """Start `python -m emulator`; yield its endpoint; stop it on the way out."""
    env = {k: v for k, v in os.environ.items() if k != "MOTO_ACCOUNT_ID"}
    process = subprocess.Popen(
        [sys.executable, "-m", "emulator", "--port", str(port), "--seed", seed],
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
