"""Seeding by name. Each extension seeds its own part of a topology and reports what it made."""

from __future__ import annotations

from . import sandbox
from .extensions import SEEDING_ORDER

_seeded: dict = {}


def seed(name: str) -> dict:
    if name not in SEEDS:
        raise ValueError(f"unknown seed {name!r}; known: {sorted(SEEDS)}")
    return SEEDS[name]()


def seed_sandbox() -> dict:
    result: dict = {
        "name": "sandbox",
        "ambient_account": sandbox.AMBIENT_ACCOUNT,
        "accounts": dict(sandbox.ACCOUNTS),
        "access_role": sandbox.ACCESS_ROLE,
        "idc_region": sandbox.IDC_REGION,
    }
    for extension in SEEDING_ORDER:
        result.update(extension.seed_sandbox() or {})
    _seeded.clear()
    _seeded.update(result)
    return result


def topology() -> dict:
    """What the last seed made (empty after a reset)."""
    return dict(_seeded)


def forget() -> None:
    _seeded.clear()


SEEDS = {"sandbox": seed_sandbox}
