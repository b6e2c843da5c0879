"""Fault injection per operation: throttling, 5xx, access denied, added latency; by probability or count.

A denial is what a caller whose policy lacks the action meets: AWS answers it at once, and no retry
policy retries it, so a test that only needs a step to fail does not wait out a backoff."""

from __future__ import annotations

import itertools
import random
import threading
from dataclasses import asdict, dataclass, field

from .requestinfo import RequestInfo

KINDS = ("throttle", "error", "deny", "latency")


@dataclass
class Fault:
    operation: str  # "*" matches every operation of the service
    kind: str
    service: str = "*"
    account: str = "*"
    probability: float = 1.0
    count: int | None = None  # how many times it may still fire; None = unlimited
    status: int = 500  # for kind=error
    latency_ms: int = 0  # for kind=latency
    id: int = 0
    fired: int = 0

    def matches(self, info: RequestInfo) -> bool:
        return (
            self.operation in ("*", info.operation)
            and self.service in ("*", info.service)
            and self.account in ("*", info.account)
            and (self.count is None or self.count > 0)
        )


@dataclass
class FaultRegistry:
    faults: list[Fault] = field(default_factory=list)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _random: random.Random = field(default_factory=random.Random)

    def add(self, spec: dict) -> Fault:
        allowed = {f for f in Fault.__dataclass_fields__ if f not in ("id", "fired")}
        unknown = set(spec) - allowed
        if unknown:
            raise ValueError(f"unknown fault fields {sorted(unknown)}; allowed: {sorted(allowed)}")
        if "operation" not in spec or "kind" not in spec:
            raise ValueError("a fault needs 'operation' and 'kind'")
        fault = Fault(**spec)
        if fault.kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}")
        if not 0 <= fault.probability <= 1:
            raise ValueError("probability must be between 0 and 1")
        if fault.kind == "error" and not 500 <= fault.status <= 599:
            raise ValueError("status of an error fault must be 5xx")
        with self._lock:
            fault.id = next(self._ids)
            self.faults.append(fault)
        return fault

    def seed(self, value: int) -> None:
        self._random.seed(value)

    def clear(self) -> None:
        with self._lock:
            self.faults.clear()

    def fire(self, info: RequestInfo) -> list[Fault]:
        """The faults that fire for this request (their counts are spent)."""
        fired = []
        with self._lock:
            for fault in self.faults:
                if fault.matches(info) and self._random.random() < fault.probability:
                    if fault.count is not None:
                        fault.count -= 1
                    fault.fired += 1
                    fired.append(fault)
        return fired

    def as_list(self) -> list[dict]:
        with self._lock:
            return [asdict(f) for f in self.faults]
