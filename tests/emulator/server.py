"""Serve the emulator over HTTP on 127.0.0.1 (never on other interfaces)."""

from __future__ import annotations

import threading

from moto.moto_server.werkzeug_app import MotoRequestHandler
from werkzeug.serving import BaseWSGIServer, make_server

from .app import Emulator

LOOPBACK = "127.0.0.1"


class EmulatorServer:
    """The emulator on a port (0 = any free port), in a background thread or the foreground."""

    def __init__(self, port: int = 0, seed: object = "sandbox") -> None:
        """seed: anything topology.load() reads (a name, a path, a dict, "scale:N"), or None."""
        self.app = Emulator()
        self._server: BaseWSGIServer = make_server(
            LOOPBACK, port, self.app, threaded=True, request_handler=_QuietHandler
        )
        self.port = self._server.server_address[1]
        self.endpoint = f"http://{LOOPBACK}:{self.port}"
        self.app.endpoint = self.endpoint
        if seed:
            self.app.seed(seed)
        self._thread: threading.Thread | None = None

    def serve_forever(self) -> None:
        self._server.serve_forever(poll_interval=0.1)

    def start(self) -> EmulatorServer:
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread:
            self._thread.join()


class _QuietHandler(MotoRequestHandler):
    """No access log on stdout: the request log is the record, and stdout carries the endpoint."""

    def log_request(self, *args, **kwargs) -> None:
        pass
