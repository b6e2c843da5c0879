"""AWS-shaped error responses, in the wire format of each service's protocol.

Used for injected faults and by our extensions, so botocore parses every error the
emulator sends exactly as it parses AWS's (error code, message, HTTP status).
"""

from __future__ import annotations

import json
import uuid
from xml.sax.saxutils import escape

from werkzeug.wrappers import Response

# Protocol per service we serve (botocore's metadata.protocol); the control API is JSON 1.1.
PROTOCOLS = {
    "iam": "query",
    "sts": "query",
    "connect": "rest-json",
    "sso-admin": "json",
    "identitystore": "json",
    "sso-control": "json",
    "sso-portal": "rest-json",
}
QUERY_NAMESPACES = {
    "iam": "https://iam.amazonaws.com/doc/2010-05-08/",
    "sts": "https://sts.amazonaws.com/doc/2011-06-15/",
}
# What each service calls throttling (all are in botocore's and AWSRetry's retryable lists).
THROTTLING_CODES = {"iam": "Throttling", "sts": "Throttling"}
SERVER_ERROR_CODES = {"iam": "ServiceFailure", "sts": "InternalFailure", "connect": "InternalServiceException"}


class AWSError(Exception):
    """Raise from an extension handler to answer with an AWS error."""

    def __init__(self, code: str, message: str, status: int = 400, sender: bool = True) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.sender = sender


def error_response(service: str, error: AWSError) -> Response:
    request_id = str(uuid.uuid4())
    protocol = PROTOCOLS.get(service, "json")
    if protocol == "query":
        kind = "Sender" if error.sender else "Receiver"
        body = (
            f'<ErrorResponse xmlns="{QUERY_NAMESPACES.get(service, "")}">'
            f"<Error><Type>{kind}</Type><Code>{escape(error.code)}</Code>"
            f"<Message>{escape(error.message)}</Message></Error>"
            f"<RequestId>{request_id}</RequestId></ErrorResponse>"
        )
        return Response(body, status=error.status, content_type="text/xml", headers={"x-amzn-RequestId": request_id})
    if protocol == "rest-json":
        return Response(
            json.dumps({"message": error.message}),
            status=error.status,
            content_type="application/json",
            headers={"x-amzn-RequestId": request_id, "x-amzn-ErrorType": error.code},
        )
    return Response(
        json.dumps({"__type": error.code, "message": error.message}),
        status=error.status,
        content_type="application/x-amz-json-1.1",
        headers={"x-amzn-RequestId": request_id},
    )


def throttling(service: str) -> AWSError:
    status = 429 if PROTOCOLS.get(service) == "rest-json" else 400
    return AWSError(THROTTLING_CODES.get(service, "ThrottlingException"), "Rate exceeded", status)


def server_error(service: str, status: int = 500) -> AWSError:
    code = "ServiceUnavailable" if status == 503 else SERVER_ERROR_CODES.get(service, "InternalServerException")
    return AWSError(code, "We encountered an internal error. Please try again.", status, sender=False)


def access_denied(service: str, caller: str, action: str, reason: str, resource: str | None = None) -> AWSError:
    """What AWS answers a caller no policy lets make this request (IAM's code has no "Exception")."""
    code = "AccessDenied" if service in ("iam", "sts") else "AccessDeniedException"
    on = f" on resource: {resource}" if resource else ""
    return AWSError(code, f"User: {caller} is not authorized to perform: {action}{on} because {reason}", 403)


def error_code_of(body: bytes) -> str:
    """The AWS error code in a response body, for the request log (best effort)."""
    text = body[:4096].decode("utf-8", "replace")
    if "<Code>" in text:
        return text.split("<Code>", 1)[1].split("</Code>", 1)[0]
    try:
        data = json.loads(text)
    except ValueError:
        return ""
    code = data.get("__type") or data.get("code") or data.get("Code") or "" if isinstance(data, dict) else ""
    return str(code).rsplit("#", 1)[-1]
