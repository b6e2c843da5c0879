"""Our additions to moto, one module per AWS service (plus the IdC control API).

Each module has `install(emulator)` (patch moto, add routes and reset hooks; runs once,
before the first request) and `seed(topology) -> dict` (its part of a topology.Topology, e.g. the sandbox).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import connect, iam, idc

if TYPE_CHECKING:
    from ..app import Emulator

# IAM first (roles to assume), then Connect instances, then the IdC directory.
SEEDING_ORDER = (iam, connect, idc)


def install_all(emulator: Emulator) -> None:
    from .. import seed, signin

    emulator.on_reset(seed.forget)
    for extension in SEEDING_ORDER:
        extension.install(emulator)
    signin.install(emulator)
