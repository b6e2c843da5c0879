"""The IdC console ("control") API at POST /control/: SWBService operations, JSON 1.1,
SigV4 with service `sso` (aws-facts §2). Unknown operations, unknown ids and malformed
bodies get AWS-style errors."""

from __future__ import annotations

import json
import re

from werkzeug.wrappers import Request, Response

from .. import runtime
from ..awserrors import AWSError
from ..requestinfo import RequestInfo
from .idc_model import CUSTOM_SAML_TEMPLATE, STATE, App

USER_SOURCES = {"email", "subject", "name", "preferredUsername", "givenName", "familyName", "middleName", "AD_GUID"}
SOURCE_VARIABLE = re.compile(r"\$\{user:([^}]*)\}")
DURATION = re.compile(r"^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$")
MIN_TTL, MAX_TTL = 15 * 60, 12 * 3600  # the console's session duration range
STATUSES = ("ENABLED", "DISABLED")
INCLUDE = ("REQUIRED", "YES", "NO")

# operation -> {field: (type, required)}
OPERATIONS: dict[str, dict[str, tuple[type, bool]]] = {
    "CreateApplicationInstance": {"templateId": (str, True), "name": (str, True)},
    "GetApplicationInstance": {"instanceId": (str, True)},
    "ListApplicationInstances": {"marker": (str, False), "filter": (dict, False)},
    "DeleteApplicationInstance": {"instanceId": (str, True)},
    "UpdateApplicationInstanceDisplayData": {
        "instanceId": (str, True),
        "displayName": (str, False),
        "description": (str, False),
    },
    "UpdateApplicationInstanceServiceProviderConfiguration": {
        "instanceId": (str, True),
        "serviceProviderConfig": (dict, True),
    },
    "UpdateApplicationInstanceResponseConfiguration": {"instanceId": (str, True), "responseConfig": (dict, True)},
    "UpdateApplicationInstanceResponseSchemaConfiguration": {
        "instanceId": (str, True),
        "responseSchemaConfig": (dict, True),
    },
    "UpdateApplicationInstanceStatus": {"instanceId": (str, True), "status": (str, True)},
    "ListApplicationInstanceCertificates": {"instanceId": (str, True)},
    "ListProfiles": {"instanceId": (str, True)},
    "DeleteProfile": {"instanceId": (str, True), "profileId": (str, True)},
}
PAGE_SIZE = 50


def invalid(message: str) -> AWSError:
    return AWSError("ValidationException", message)


def _check_fields(operation: str, body: dict) -> None:
    spec = OPERATIONS[operation]
    unknown = sorted(set(body) - set(spec))
    if unknown:
        raise invalid(f"Unknown field(s) {unknown} for {operation}")
    for name, (kind, required) in spec.items():
        if name not in body:
            if required:
                raise invalid(f"Missing required field '{name}'")
        elif not isinstance(body[name], kind):
            raise invalid(f"Field '{name}' must be of type {kind.__name__}")


def _check_https(value: object, what: str) -> None:
    if not isinstance(value, str) or not re.match(r"^https://[^/\s]+", value):
        raise invalid(f"{what} must be an https URL")


def _check_sources(sources: object, what: str) -> None:
    if not isinstance(sources, list) or not sources or not all(isinstance(s, str) for s in sources):
        raise invalid(f"{what}.source must be a non-empty list of strings")
    for source in sources:
        for name in SOURCE_VARIABLE.findall(source):
            if name not in USER_SOURCES:
                raise invalid(f"{what}: unknown attribute ${{user:{name}}}")


def _ttl_seconds(ttl: object) -> int:
    match = DURATION.match(ttl) if isinstance(ttl, str) else None
    if not match or not any(match.groups()):
        raise invalid("ttl must be an ISO-8601 duration such as PT1H")
    hours, minutes, seconds = (int(g or 0) for g in match.groups())
    return hours * 3600 + minutes * 60 + seconds


def _check_sp_config(config: dict) -> dict:
    allowed = {"audience", "consumers", "requireRequestSignature", "startUrl"}
    if set(config) - allowed:
        raise invalid(f"Unknown serviceProviderConfig field(s) {sorted(set(config) - allowed)}")
    if not isinstance(config.get("audience"), str) or not config["audience"]:
        raise invalid("serviceProviderConfig.audience is required")
    consumers = config.get("consumers")
    if not isinstance(consumers, list) or not consumers:
        raise invalid("serviceProviderConfig.consumers must list at least one assertion consumer service")
    for consumer in consumers:
        if not isinstance(consumer, dict):
            raise invalid("each consumer is an object")
        _check_https(consumer.get("location"), "consumers[].location")
        if not str(consumer.get("binding", "")).startswith("urn:oasis:names:tc:SAML:2.0:bindings:"):
            raise invalid("consumers[].binding must be a SAML 2.0 binding URN")
    if "startUrl" in config:
        _check_https(config["startUrl"], "serviceProviderConfig.startUrl")
    return config


def _check_response_config(config: dict) -> dict:
    # relayState's place here is inferred from a copy of this API (aws-facts §2.2).
    allowed = {"subject", "properties", "ttl", "relayState"}
    if set(config) - allowed:
        raise invalid(f"Unknown responseConfig field(s) {sorted(set(config) - allowed)}")
    _check_sources((config.get("subject") or {}).get("source"), "responseConfig.subject")
    properties = config.get("properties", {})
    if not isinstance(properties, dict):
        raise invalid("responseConfig.properties must be an object")
    for name, value in properties.items():
        _check_sources((value or {}).get("source"), f"responseConfig.properties.{name}")
    if "ttl" in config and not MIN_TTL <= _ttl_seconds(config["ttl"]) <= MAX_TTL:
        raise invalid("ttl must be between PT15M and PT12H")
    if "relayState" in config and config["relayState"] not in ("", None):
        value = config["relayState"]
        if not isinstance(value, str) or not re.match(r"^https?://", value) or len(value) > 240:
            raise invalid("relayState must be a URL of at most 240 characters")
    return config


def _check_schema_config(config: dict) -> dict:
    subject = config.get("subject") or {}
    if subject.get("include") not in INCLUDE or not str(subject.get("nameIdFormat", "")).startswith("urn:oasis:"):
        raise invalid("responseSchemaConfig.subject needs include (REQUIRED|YES|NO) and a nameIdFormat URN")
    for name, value in (config.get("properties") or {}).items():
        if not isinstance(value, dict) or value.get("include") not in INCLUDE or not value.get("attrNameFormat"):
            raise invalid(f"responseSchemaConfig.properties.{name} needs attrNameFormat and include")
    return config


class ControlApi:
    def __init__(self, emulator) -> None:
        self.emulator = emulator

    def __call__(self, request: Request, info: RequestInfo, body: bytes) -> Response:
        auth = request.headers.get("Authorization", "")
        if "Credential=" not in auth:
            raise AWSError("MissingAuthenticationTokenException", "Missing Authentication Token", 403)
        scope = auth.split("Credential=", 1)[1].split(",", 1)[0].split("/")
        if len(scope) != 5 or scope[3] != "sso":
            raise AWSError("InvalidSignatureException", "Credential should be scoped to correct service: 'sso'.", 403)
        target = request.headers.get("X-Amz-Target", "")
        operation = target.split(".", 1)[1] if target.startswith("SWBService.") else ""
        if operation not in OPERATIONS:
            raise AWSError("UnknownOperationException", f"Unknown operation {target or '(no X-Amz-Target)'}")
        try:
            payload = json.loads(body or b"{}")
        except ValueError:
            raise AWSError("SerializationException", "Start of structure or map found where not expected") from None
        if not isinstance(payload, dict):
            raise AWSError("SerializationException", "The request body must be a JSON object")
        _check_fields(operation, payload)
        instance = STATE.instance_for(info.account, info.region)
        if instance is None:
            # inferred: AWS's exact answer for an account/region without IdC is unknown
            raise AWSError(
                "ResourceNotFoundException",
                f"No IAM Identity Center instance in account {info.account} region {info.region}",
            )
        result = getattr(self, operation)(instance, payload)
        return Response(json.dumps(result, default=str), content_type="application/x-amz-json-1.1")

    def _app(self, instance, payload: dict) -> App:
        app = STATE.app_by_instance_id(payload["instanceId"])
        if app is None or app.instance is not instance:
            raise AWSError("ResourceNotFoundException", f"Application instance {payload['instanceId']} not found")
        return app

    def _shape(self, app: App) -> dict:
        shape = app.published(self.emulator.endpoint)
        if runtime.config["get_application_instance_includes_response_config"]:
            shape["responseConfig"] = app.response_config
            shape["responseSchemaConfig"] = app.response_schema_config
        return shape

    # --- operations -----------------------------------------------------------------
    def CreateApplicationInstance(self, instance, payload):  # noqa: N802 - AWS operation names
        if payload["templateId"] != CUSTOM_SAML_TEMPLATE:
            raise invalid(f"Template {payload['templateId']} is not supported")
        if not 1 <= len(payload["name"]) <= 255:
            raise invalid("name must be 1 to 255 characters")
        return {"applicationInstance": self._shape(STATE.create_app(instance, payload["name"]))}

    def GetApplicationInstance(self, instance, payload):  # noqa: N802
        return {"applicationInstance": self._shape(self._app(instance, payload))}

    def ListApplicationInstances(self, instance, payload):  # noqa: N802
        apps = STATE.apps_of(instance)
        start = int(payload.get("marker") or 0)
        result = {"applicationInstances": [self._shape(a) for a in apps[start : start + PAGE_SIZE]]}
        if start + PAGE_SIZE < len(apps):
            result["marker"] = str(start + PAGE_SIZE)
        return result

    def DeleteApplicationInstance(self, instance, payload):  # noqa: N802
        app = self._app(instance, payload)
        if app.assignments or app.profiles:  # inferred order: assignments, then profiles, then the app
            raise AWSError("ConflictException", "Delete the application's assignments and profiles first")
        del STATE.apps[app.hex]
        return {}

    def UpdateApplicationInstanceDisplayData(self, instance, payload):  # noqa: N802
        app = self._app(instance, payload)
        if "displayName" in payload:
            if not 1 <= len(payload["displayName"]) <= 255:
                raise invalid("displayName must be 1 to 255 characters")
            app.display_name = payload["displayName"]
        if "description" in payload:
            app.description = payload["description"]
        return {}

    def UpdateApplicationInstanceServiceProviderConfiguration(self, instance, payload):  # noqa: N802
        self._app(instance, payload).sp_config = _check_sp_config(payload["serviceProviderConfig"])
        return {}

    def UpdateApplicationInstanceResponseConfiguration(self, instance, payload):  # noqa: N802
        self._app(instance, payload).response_config = _check_response_config(payload["responseConfig"])
        return {}

    def UpdateApplicationInstanceResponseSchemaConfiguration(self, instance, payload):  # noqa: N802
        self._app(instance, payload).response_schema_config = _check_schema_config(payload["responseSchemaConfig"])
        return {}

    def UpdateApplicationInstanceStatus(self, instance, payload):  # noqa: N802
        if payload["status"] not in STATUSES:
            raise invalid(f"status must be one of {STATUSES}")
        self._app(instance, payload).status = payload["status"]
        return {}

    def ListApplicationInstanceCertificates(self, instance, payload):  # noqa: N802
        return {"certificates": [c.summary() for c in self._app(instance, payload).certificates]}

    def ListProfiles(self, instance, payload):  # noqa: N802
        return {"applicationProfiles": list(self._app(instance, payload).profiles.values())}

    def DeleteProfile(self, instance, payload):  # noqa: N802
        app = self._app(instance, payload)
        if payload["profileId"] not in app.profiles:
            raise AWSError("ResourceNotFoundException", f"Profile {payload['profileId']} not found")
        del app.profiles[payload["profileId"]]
        return {}
