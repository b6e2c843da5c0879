"""Named snapshots of the emulator's whole state, restored in milliseconds.

Converging the sandbox with site.yml takes tens of seconds; tests that start from a converged
organisation (and then read it, or break one link and check the repair) snapshot it once and
restore it before each test instead of converging again. A snapshot holds moto's backends (the
Connect extension keeps its users on them), the IdC model, what the last seed made and the
settings; the request log keeps counting and faults are cleared, as after a reset.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from moto.core.base_backend import BackendDict

from . import runtime, seed
from .extensions import idc_model


@dataclass
class Snapshot:
    backends: list[tuple[BackendDict, dict]]  # each service's BackendDict and its accounts
    idc: idc_model.IdcState
    seeded: dict
    topology: list
    config: dict


def take() -> Snapshot:
    """A deep copy of the state now (call under the emulator's lock)."""
    return _copy(
        Snapshot(
            backends=[(backend, dict(backend)) for backend in BackendDict._instances],
            idc=idc_model.STATE,
            seeded=dict(seed._seeded),
            topology=list(seed._current),
            config=dict(runtime.config),
        )
    )


def restore(snapshot: Snapshot) -> None:
    """Make the state the snapshot's again (after a reset; call under the emulator's lock).
    The snapshot itself stays untouched, so it can be restored any number of times."""
    fresh = _copy(snapshot)
    for backend, accounts in fresh.backends:
        backend.clear()
        backend.update(accounts)
        if backend not in BackendDict._instances:
            BackendDict._instances.append(backend)
    idc_model.STATE.__dict__.update(fresh.idc.__dict__)
    seed._seeded.clear()
    seed._seeded.update(fresh.seeded)
    seed._current[:] = fresh.topology
    runtime.config.clear()
    runtime.config.update(fresh.config)


def _copy(snapshot: Snapshot) -> Snapshot:
    """Copy everything but the BackendDicts themselves: moto's modules hold those by name, so
    they stay the same objects and only their contents are copied."""
    memo = {id(backend): backend for backend in BackendDict._instances}
    memo.update({id(backend): backend for backend, _accounts in snapshot.backends})
    return copy.deepcopy(snapshot, memo)
