"""Who asked what: service, operation, account, region, and whether it writes.

Every request is classified once, before dispatch, so the request log, fault injection
and our extensions agree on what a request is.
"""

from __future__ import annotations

import base64
import io
import json
from dataclasses import dataclass
from urllib.parse import parse_qs

from moto.core.request import Request as MotoRequest
from moto.core.routing import NotFound, get_service_router
from moto.iam.models import get_account_id_from

# The IdC console API and its public metadata pages are not botocore services; name them here.
CONTROL_SERVICE = "sso-control"
PORTAL_SERVICE = "sso-portal"
CONTROL_PATH = "/control/"
PORTAL_METADATA_PATH = "/saml/metadata/"
ADMIN_PATH = "/_emulator/"

# SigV4 signing names that differ from the botocore service name we log.
SIGNING_NAME_TO_SERVICE = {"sso": "sso-admin"}

# Operations that only read. Anything else counts as a write, so an unknown operation can
# never hide a write from the idempotence tests. STS calls change no configuration.
READ_PREFIXES = ("Get", "List", "Describe", "Search", "Lookup", "Is", "Simulate", "Check", "Decode")
READ_ONLY_SERVICES = frozenset({"sts", PORTAL_SERVICE})


@dataclass
class RequestInfo:
    service: str
    operation: str
    account: str
    region: str
    write: bool
    access_key: str = ""

    def as_dict(self) -> dict:
        return {
            "service": self.service,
            "operation": self.operation,
            "account": self.account,
            "region": self.region,
            "write": self.write,
        }


def is_write(service: str, operation: str) -> bool:
    if service in READ_ONLY_SERVICES:
        return False
    return not operation.startswith(READ_PREFIXES)


def _credential_scope(auth: str) -> tuple[str, str, str]:
    """(access key, region, signing name) from a SigV4 Authorization header, or blanks."""
    try:
        credential = auth.split("Credential=", 1)[1].split(",", 1)[0]
        access_key, _date, region, signing_name, _terminator = credential.split("/")
        return access_key, region, signing_name
    except (IndexError, ValueError):
        return "", "", ""


def _portal_account(path: str) -> str:
    """The metadata URL's last segment is base64("<account>_ins-<hex>")."""
    token = path[len(PORTAL_METADATA_PATH) :].strip("/")
    try:
        return base64.b64decode(token + "=" * (-len(token) % 4)).decode().split("_", 1)[0]
    except (ValueError, UnicodeDecodeError):
        return ""


def classify(environ: dict, body: bytes) -> RequestInfo | None:
    """Classify an AWS request; None for the emulator's own admin API."""
    path = environ.get("PATH_INFO", "")
    if path.startswith(ADMIN_PATH):
        return None
    headers_target = environ.get("HTTP_X_AMZ_TARGET", "")
    access_key, region, signing_name = _credential_scope(environ.get("HTTP_AUTHORIZATION", ""))
    account = get_account_id_from(access_key) if access_key else ""

    if path.startswith(PORTAL_METADATA_PATH):
        return RequestInfo(PORTAL_SERVICE, "GetSamlMetadata", _portal_account(path), region, False)
    if path.startswith(CONTROL_PATH.rstrip("/")):
        operation = headers_target.split(".", 1)[1] if "." in headers_target else headers_target
        return RequestInfo(
            CONTROL_SERVICE,
            operation or "Unknown",
            account,
            region,
            is_write(CONTROL_SERVICE, operation or "Unknown"),
            access_key,
        )

    service = SIGNING_NAME_TO_SERVICE.get(signing_name, signing_name)
    operation = ""
    if not service:
        # Unsigned calls: only STS AssumeRoleWithSAML (and friends) are legitimate.
        form = parse_qs(body.decode("utf-8", "replace"))
        operation = (form.get("Action") or [""])[0]
        service = "sts" if operation.startswith("AssumeRoleWith") else "unknown"
        region = region or "us-east-1"
    if not operation and service != "unknown":
        try:
            request = MotoRequest({**environ, "wsgi.input": io.BytesIO(body)})  # leave the body unread
            operation = get_service_router(service).match(request)[0].name
        except (NotFound, NotImplementedError, KeyError, ValueError, AttributeError):
            operation = _operation_from_body(headers_target, body)
    operation = operation or "Unknown"
    return RequestInfo(service, operation, account or "", region, is_write(service, operation), access_key)


def _operation_from_body(target: str, body: bytes) -> str:
    if "." in target:
        return target.split(".", 1)[1]
    try:
        return (parse_qs(body.decode("utf-8", "replace")).get("Action") or [""])[0]
    except ValueError:
        return ""


def json_body(body: bytes) -> dict:
    """A JSON request body as a dict, or {} when it is empty."""
    return json.loads(body) if body.strip() else {}
