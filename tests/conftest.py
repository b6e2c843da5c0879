"""Fixtures shared by every suite: one emulator process per test session (per worker under
pytest-xdist, which `make test` uses), reset per test."""

from __future__ import annotations

import pytest

from emulator.client import EmulatorClient, aws_session
from emulator.process import running


def pytest_collection_modifyitems(items):
    """Modules marked slow (playbooks, subprocesses) first, each kept whole, in the usual order otherwise:
    under `--dist worksteal` the quick tests at the end fill the gaps while the last slow ones finish."""
    slow_modules = {item.module for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: item.module not in slow_modules)


@pytest.fixture(scope="session")
def emulator_endpoint():
    with running() as endpoint:
        yield endpoint


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
