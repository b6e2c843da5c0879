"""Which metadata-URL failures the one retry policy waits out, and which it reports at once."""

from __future__ import annotations

import socket
import ssl
from urllib.error import HTTPError, URLError

import pytest
from ansible_collections.connect_sso.federation.plugins.module_utils.retries import UrlRetry


def _http(code: int) -> HTTPError:
    return HTTPError("https://portal.sso.us-east-1.amazonaws.com/saml/metadata/x", code, "status", {}, None)


@pytest.mark.parametrize(
    "error, retried",
    [
        (_http(429), True),
        (_http(500), True),
        (_http(503), True),
        (_http(403), False),
        (_http(404), False),
        (URLError(ConnectionResetError()), True),
        (URLError(TimeoutError()), True),
        (ConnectionResetError(), True),
        (URLError(ConnectionRefusedError()), False),
        (URLError(socket.gaierror(-2, "Name or service not known")), False),
        (URLError(ssl.SSLCertVerificationError("certificate verify failed")), False),
    ],
)
def test_throttling_server_errors_and_resets_are_retried_nothing_else(error, retried):
    assert UrlRetry.found(UrlRetry.status_code_from_exception(error)) is retried
