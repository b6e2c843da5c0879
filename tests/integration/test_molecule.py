"""The Molecule scenario (converge, idempotence, verify) passes against its own emulator."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_molecule_sandbox_scenario_passes():
    bin_dir = Path(sys.executable).parent
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "ANSIBLE_", "MOLECULE_"))}
    env.update(
        PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}",
        MOLECULE_EMULATOR_PORT=str(free_port()),
        ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"),
        ANSIBLE_NOCOLOR="1",
        NO_COLOR="1",
    )
    done = subprocess.run(
        [str(bin_dir / "molecule"), "test", "-s", "sandbox"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-4000:]
    for step in ("prepare", "converge", "idempotence", "verify", "destroy"):
        assert f"{step}: Executed: Successful" in output.replace("➜ ", "").replace("sandbox ", ""), step
