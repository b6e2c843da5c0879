"""Fixtures shared by every suite: one emulator process per test session, reset per test."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from emulator.client import EmulatorClient, aws_session

ROOT = Path(__file__).resolve().parent.parent


def start_emulator() -> tuple[subprocess.Popen, str]:
    """Start `python -m emulator` exactly as `make emulator` does; return it and its endpoint."""
    env = {k: v for k, v in os.environ.items() if k != "MOTO_ACCOUNT_ID"}
    process = subprocess.Popen(
        [sys.executable, "-m", "emulator", "--port", "0"],
        cwd=ROOT / "tests", env=env, stdout=subprocess.PIPE, text=True,
    )
    line = process.stdout.readline().strip()
    if not line.startswith("endpoint: "):
        process.kill()
        raise RuntimeError(f"the emulator did not start: {line!r}")
    return process, line.split(" ", 1)[1]


@pytest.fixture(scope="session")
def emulator_endpoint():
    process, endpoint = start_emulator()
    yield endpoint
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def emulator(emulator_endpoint) -> EmulatorClient:
    """The emulator, freshly reset and seeded with the sandbox organisation."""
    client = EmulatorClient(emulator_endpoint)
    client.reset(seed="sandbox")
    client.clear_requests()
    return client


@pytest.fixture
def aws(emulator):
    """aws(account=None, region='us-east-1') -> boto3 Session acting in that sandbox account."""

    def session(account: str | None = None, region: str = "us-east-1"):
        return aws_session(emulator.endpoint, account, region)

    return session


@pytest.fixture
def client_for(emulator):
    """client_for(service, account=None, region='us-east-1', **config) -> boto3 client on the emulator."""
    import botocore.config

    def make(service: str, account: str | None = None, region: str = "us-east-1", retries: int = 1):
        """retries = total attempts (1: no retry, so a test sees every error)."""
        session = aws_session(emulator.endpoint, account, region)
        config = botocore.config.Config(retries={"total_max_attempts": retries, "mode": "standard"})
        return session.client(service, endpoint_url=emulator.endpoint, config=config)

    return make
