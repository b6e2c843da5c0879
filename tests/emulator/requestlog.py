"""The request log: every AWS request the emulator answered, in order."""

from __future__ import annotations

import itertools
import threading
import time
from dataclasses import dataclass, field

from .requestinfo import RequestInfo


@dataclass
class RequestLog:
    entries: list[dict] = field(default_factory=list)
    _seq: itertools.count = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)
    last_seq: int = 0

    def record(self, info: RequestInfo, status: int, error_code: str, duration_ms: float, fault: str = "") -> None:
        with self._lock:
            self.last_seq = next(self._seq)
            self.entries.append(
                {
                    "seq": self.last_seq,
                    "time": time.time(),
                    **info.as_dict(),
                    "status": status,
                    "error_code": error_code,
                    "fault": fault,
                    "duration_ms": round(duration_ms, 2),
                }
            )

    def clear(self) -> int:
        """Forget every entry; sequence numbers keep counting so 'since' marks stay valid."""
        with self._lock:
            count = len(self.entries)
            self.entries.clear()
            return count

    def query(self, since: int = 0, **filters: str) -> list[dict]:
        with self._lock:
            rows = [e for e in self.entries if e["seq"] > since]
        for key, wanted in filters.items():
            if wanted in (None, ""):
                continue
            if key == "write":
                flag = str(wanted).lower() in ("1", "true", "yes")
                rows = [r for r in rows if r["write"] is flag]
            else:
                rows = [r for r in rows if str(r.get(key)) == str(wanted)]
        return rows
