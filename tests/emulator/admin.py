"""The admin API under /_emulator/: reset, seed, faults, request log, settings, topology.

Plain JSON over HTTP, for tests, the demo and benchmarks (see client.py for a Python client).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from werkzeug.wrappers import Request, Response

from . import runtime

if TYPE_CHECKING:
    from .app import Emulator

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
    except (ValueError, KeyError, TypeError) as error:
        return _error(str(error))


def _route(emulator: Emulator, route: str, method: str, payload: dict, request: Request) -> Response:
    from . import seed as seeds

    if route == "/health":
        return _json({"status": "ok", "endpoint": emulator.endpoint})
    if route == "/reset" and method == "POST":
        emulator.reset()
        name = payload.get("seed")
        return _json({"reset": True, "seeded": emulator.seed(name) if name else None})
    if route == "/seed" and method == "POST":
        return _json(emulator.seed(payload.get("name", "sandbox")))
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


# Extra admin routes registered by extensions: fn(payload, request) -> dict. signin.py adds
# "/signin" ({"user", "app"} or {"user", "host"}: the app is the one the user clicks, never the
# one found by its relay state; the answer says where the user lands, or which link broke).
ADMIN_EXTENSIONS: dict = {}
