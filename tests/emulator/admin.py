"""The admin API under /_emulator/: reset, seed, snapshots, faults, request log, settings, topology.

Plain JSON over HTTP, for tests, the demo and benchmarks (see client.py for a Python client).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from werkzeug.wrappers import Request, Response

from . import runtime
from . import topology as topologies

if TYPE_CHECKING:
    from .app import Emulator
    from .topology import Topology

PREFIX = "/_emulator"


def _json(data: object, status: int = 200) -> Response:
    return Response(json.dumps(data, default=str, indent=1), status=status, content_type="application/json")


def _error(message: str, status: int = 400) -> Response:
    return _json({"error": message}, status)


def handle(emulator: Emulator, request: Request, body: bytes) -> Response:
    route = request.path[len(PREFIX) :].rstrip("/") or "/"
    method = request.method
    try:
        payload = json.loads(body) if body.strip() else {}
    except ValueError:
        return _error("the body must be JSON")
    if not isinstance(payload, dict):
        return _error("the body must be a JSON object")
    try:
        return _route(emulator, route, method, payload, request)
    except (ValueError, KeyError, TypeError) as error:  # TopologyError is a ValueError
        return _error(str(error))


def _route(emulator: Emulator, route: str, method: str, payload: dict, request: Request) -> Response:
    from . import seed as seeds

    if route == "/health":
        return _json({"status": "ok", "endpoint": emulator.endpoint})
    if route == "/reset" and method == "POST":
        spec = seed_spec(payload, name_keys=("seed", "name"), default=None)
        emulator.reset()
        return _json({"reset": True, "seeded": emulator.seed(spec) if spec is not None else None})
    if route == "/seed" and method == "POST":
        return _json(emulator.seed(seed_spec(payload, name_keys=("name",), default="sandbox")))
    if route in ("/snapshot", "/restore") and method == "POST":
        name = payload.get("name")
        if not isinstance(name, str) or not name:
            raise ValueError("'name' must be a non-empty string")
        if route == "/restore" and name not in emulator.snapshots:
            raise ValueError(f"no snapshot named {name!r}; taken: {sorted(emulator.snapshots)}")
        (emulator.snapshot if route == "/snapshot" else emulator.restore)(name)
        return _json({route[1:]: name})
    if route == "/topology" and method == "GET":
        return _json(seeds.topology())
    if route == "/requests":
        if method == "DELETE":
            return _json({"cleared": emulator.log.clear()})
        filters = {k: request.args.get(k) for k in ("service", "operation", "account", "region", "write")}
        rows = emulator.log.query(since=int(request.args.get("since", 0)), **filters)
        return _json(
            {
                "requests": rows,
                "count": len(rows),
                "writes": sum(r["write"] for r in rows),
                "last_seq": emulator.log.last_seq,
            }
        )
    if route == "/faults":
        if method == "POST":
            if "seed" in payload:
                emulator.faults.seed(int(payload.pop("seed")))
            return _json(vars(emulator.faults.add(payload)) if payload else {"seeded": True})
        if method == "DELETE":
            emulator.faults.clear()
            return _json({"cleared": True})
        return _json({"faults": emulator.faults.as_list()})
    if route == "/config":
        if method == "POST":
            return _json(runtime.update_config(payload))
        return _json(dict(runtime.config))
    for prefix, handler in ADMIN_EXTENSIONS.items():
        if route == prefix:
            return _json(handler(payload, request))
    return _error(f"no admin route {method} {PREFIX}{route}", 404)


def seed_spec(payload: dict, name_keys: tuple[str, ...], default: str | None) -> Topology | None:
    """What to seed, from {"name": "sandbox" | "eu" | "scale:N"}, {"path": "<.yml>"} or
    {"topology": {...}}; at most one of them. Loaded (and so validated) here, before any reset."""
    given = [key for key in (*name_keys, "path", "topology") if payload.get(key) is not None]
    if len(given) > 1:
        raise ValueError(f"give one of {', '.join(given)}, not several")
    if not given:
        return None if default is None else topologies.load(default)
    key = given[0]
    value = payload[key]
    if key == "topology":
        if not isinstance(value, dict):
            raise ValueError("'topology' must be a JSON object (a topology document)")
        return topologies.load(value)
    if not isinstance(value, str):
        raise ValueError(f"{key!r} must be a string")
    return topologies.load(Path(value) if key == "path" else value)


# Extra admin routes registered by extensions: fn(payload, request) -> dict. signin.py adds
# "/signin" ({"user", "app"} or {"user", "host"}: the app is the one the user clicks, never the
# one found by its relay state; the answer says where the user lands, or which link broke).
ADMIN_EXTENSIONS: dict = {}
