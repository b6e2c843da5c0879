"""Seeding from a topology (topology.py): a name, a path, a dict or "scale:N". Each extension
seeds its own part of the topology and reports what it made."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from . import topology as topologies
from .extensions import SEEDING_ORDER
from .topology import Topology

_seeded: dict = {}
_current: list[Topology] = []


def seed(spec: str | Path | Mapping | Topology = "sandbox") -> dict:
    topology = topologies.load(spec)
    result: dict = {
        "name": topology.name,
        "ambient_account": topology.ambient_account,
        "accounts": dict(topology.accounts),
        "access_role": topology.access_role,
        "idc_account": topology.idc.account,
        "idc_region": topology.idc.region,
    }
    for extension in SEEDING_ORDER:
        result.update(extension.seed(topology) or {})
    result["source"] = topology.source  # the document itself: topology.load() reads it back
    _seeded.clear()
    _seeded.update(result)
    _current[:] = [topology]
    return result


def topology() -> dict:
    """What the last seed made (empty after a reset)."""
    return dict(_seeded)


def current() -> Topology | None:
    """The last seeded topology (None after a reset)."""
    return _current[0] if _current else None


def forget() -> None:
    _seeded.clear()
    _current.clear()
