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


@pytest.mark.parametrize(
    "code, retried",
    [
        ("ServiceFailure", True),  # IAM's 500
        ("ThrottlingException", True),
        ("Throttling", True),
        ("InternalServerException", True),
        ("AccessDenied", False),
        ("EntityAlreadyExists", False),
    ],
)
def test_aws_server_errors_of_every_service_are_retried(monkeypatch, code, retried):
    from ansible_collections.connect_sso.federation.plugins.module_utils import retries
    from botocore.exceptions import ClientError

    monkeypatch.setattr("time.sleep", lambda _seconds: None)
    calls = []

    @retries.aws_retry
    def call():
        calls.append(1)
        raise ClientError({"Error": {"Code": code, "Message": "x"}}, "Op")

    with pytest.raises(ClientError):
        call()
    assert len(calls) == (retries.ATTEMPTS if retried else 1)
