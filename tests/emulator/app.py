"""The emulator as one WSGI application.

Order of work per request: classify it (requestinfo), fire any injected faults, refuse what the
caller's identity policies do not allow (authorization, when enforced), dispatch to
one of our handlers (control API, metadata pages) or to moto (with our extensions already
patched in), then record it in the request log. Requests are served one at a time under a
lock: moto's backends are plain dicts, and Ansible's forks call in parallel.
"""

from __future__ import annotations

import json
import threading
import time
import traceback
from collections.abc import Callable, Iterable

from moto.moto_api._internal.models import moto_api_backend
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from werkzeug.wrappers import Request, Response

from . import admin, authorization, runtime
from .awserrors import AWSError, access_denied, error_code_of, error_response, server_error, throttling
from .faults import FaultRegistry
from .requestinfo import RequestInfo, classify
from .requestlog import RequestLog

Handler = Callable[[Request, RequestInfo, bytes], Response]


class Emulator:
    def __init__(self) -> None:
        self.log = RequestLog()
        self.faults = FaultRegistry()
        self.routes: list[tuple[str, Handler]] = []
        self.reset_hooks: list[Callable[[], None]] = []
        self.endpoint = ""  # set by the server once the port is known
        self.snapshots: dict = {}  # name -> snapshots.Snapshot
        self._lock = threading.RLock()
        self._moto = DomainDispatcherApplication(create_backend_app)
        from .extensions import install_all  # imported late: extensions patch moto on import

        install_all(self)

    # --- for extensions -------------------------------------------------------------
    def add_route(self, prefix: str, handler: Handler) -> None:
        """Serve paths under prefix with handler instead of moto."""
        self.routes.append((prefix, handler))

    def on_reset(self, hook: Callable[[], None]) -> None:
        self.reset_hooks.append(hook)

    # --- state ------------------------------------------------------------------------
    def reset(self) -> None:
        with self._lock:
            moto_api_backend.reset()
            for hook in self.reset_hooks:
                hook()
            runtime.reset_config()
            self.faults.clear()

    def snapshot(self, name: str) -> None:
        """Keep the whole state now under `name` (snapshots.py); a reset keeps snapshots."""
        from . import snapshots

        with self._lock:
            self.snapshots[name] = snapshots.take()

    def restore(self, name: str) -> None:
        """Reset, then make the state the one snapshotted under `name` (KeyError if none)."""
        from . import snapshots

        with self._lock:
            snapshot = self.snapshots[name]
            self.reset()
            snapshots.restore(snapshot)

    def seed(self, spec) -> dict:
        """Seed a topology: a name, a path, a dict or "scale:N" (see topology.load)."""
        from .seed import seed

        with self._lock:
            return seed(spec)

    # --- WSGI -------------------------------------------------------------------------
    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        body = _buffer_body(environ)
        info = classify(environ, body)
        if info is None:
            return admin.handle(self, Request(environ), body)(environ, start_response)

        started = time.perf_counter()
        fault_name, response = self._inject_faults(info)
        if response is None:
            with self._lock:
                denied = authorization.check(info, body)
            response = error_response(info.service, denied) if denied else self._answer(environ, info, body)
        status, payload = response.status_code, response.get_data()
        error_code = ""
        if status >= 400:
            error_code = response.headers.get("x-amzn-ErrorType", "").split(":")[0] or error_code_of(payload)
        self.log.record(info, status, error_code, (time.perf_counter() - started) * 1000, fault_name)
        return response(environ, start_response)

    def _inject_faults(self, info: RequestInfo) -> tuple[str, Response | None]:
        for fault in self.faults.fire(info):
            if fault.kind == "latency":
                time.sleep(fault.latency_ms / 1000)  # the emulator may be slow; the collection must not be
            elif fault.kind == "throttle":
                return "throttle", error_response(info.service, throttling(info.service))
            elif fault.kind == "deny":
                caller = f"arn:aws:sts::{info.account}:assumed-role/pipeline/session"
                action = f"{authorization.PREFIX.get(info.service, info.service)}:{info.operation}"
                return "deny", error_response(
                    info.service, access_denied(info.service, caller, action, "a fault says so")
                )
            else:
                return "error", error_response(info.service, server_error(info.service, fault.status))
        return "", None

    def _answer(self, environ: dict, info: RequestInfo, body: bytes) -> Response:
        """Our handler's or moto's answer, always in AWS's shape (never an HTML page)."""
        try:
            with self._lock:
                status, _payload, response = _materialise(self._dispatch(environ, info, body), environ)
        except AWSError as error:  # raised by an extension from inside moto's dispatch
            return error_response(info.service, error)
        except NotImplementedError:
            return error_response(info.service, _unsupported(info, 404))
        except Exception:  # a bug in moto or in us: say so in AWS's shape, and show it on the console
            traceback.print_exc()
            return error_response(info.service, _unsupported(info, 500))
        if status >= 400 and response.mimetype == "text/html":
            # moto answers what it lacks with an HTML page; AWS never does.
            return error_response(info.service, _unsupported(info, status))
        return response

    def _dispatch(self, environ: dict, info: RequestInfo, body: bytes):
        path = environ.get("PATH_INFO", "")
        for prefix, handler in self.routes:
            if path.startswith(prefix):
                try:
                    return handler(Request(environ), info, body)
                except AWSError as error:
                    return error_response(info.service, error)
        return self._moto


def _unsupported(info: RequestInfo, status: int) -> AWSError:
    what = f"{info.service}.{info.operation}"
    if status == 404 or info.operation == "Unknown":
        code = "InvalidAction" if info.service in ("iam", "sts") else "UnknownOperationException"
        return AWSError(code, f"The emulator does not implement {what}", 400)
    return AWSError("InternalFailure", f"The emulator failed on {what}; see its console output", 500, sender=False)


def _buffer_body(environ: dict) -> bytes:
    """Read the body once and put it back, so classification and dispatch both see it."""
    import io

    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    body = environ["wsgi.input"].read(length) if length else b""
    environ["wsgi.input"] = io.BytesIO(body)
    return body


def _materialise(app_or_response, environ: dict) -> tuple[int, bytes, Response]:
    """Run a WSGI app (moto) or take a Response, and return status, body and a Response."""
    if isinstance(app_or_response, Response):
        return app_or_response.status_code, app_or_response.get_data(), app_or_response
    captured: dict = {}

    def start_response(status: str, headers: list, exc_info=None):
        captured["status"], captured["headers"] = status, headers
        return lambda data: None

    chunks = app_or_response(environ, start_response)
    try:
        payload = b"".join(chunks)
    finally:
        if hasattr(chunks, "close"):
            chunks.close()
    response = Response(payload, status=captured["status"], headers=captured["headers"])
    return response.status_code, payload, response


def json_response(data: object, status: int = 200) -> Response:
    return Response(json.dumps(data, default=str), status=status, content_type="application/json")
