"""The IdC console ("control") API at POST /control/: SWBService operations, JSON 1.1, SigV4
with service `sso` (docs/aws-facts.md#the-idc-console-api-swbservice).

The operations and shapes are those of the published third-party model (asyschikov/aws-idc-saml
service-2.json, docs/aws-facts.md#operations-and-shapes), written below as a botocore model so that
the same validator as the public APIs checks them, plus the members docs/aws-facts.md lists as
inferred (relayState, startUrl) and a `marker` for paging. Every inference is marked where it is made.
"""

from __future__ import annotations

import hmac
import json
import re
from datetime import datetime, timedelta, timezone

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.model import ServiceModel
from moto.iam.models import iam_backends
from moto.sts.models import sts_backends
from werkzeug.wrappers import Request, Response

from .. import runtime
from ..awserrors import AWSError
from ..requestinfo import RequestInfo
from .idc_model import CUSTOM_SAML_TEMPLATE, NAMEID_FORMATS, STATE, App, IdcInstance
from .idc_shapes import Validator, parse_body

TARGET_PREFIX = "SWBService."
SIGNING_NAME = "sso"
MAX_CLOCK_SKEW = timedelta(minutes=15)  # SigV4's limit
PAGE_SIZE = 50  # inferred: the published model has no paging; the emulator pages past this many

# IdC's attribute sources (docs/aws-facts.md#idc-attribute-sources); anything else in ${user:...} is refused (inferred).
USER_SOURCES = {"email", "subject", "name", "preferredUsername", "givenName", "familyName", "middleName", "AD_GUID"}
SOURCE_VARIABLE = re.compile(r"\$\{user:([^}]*)\}")
DURATION = re.compile(r"PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?")
MIN_TTL, MAX_TTL = 15 * 60, 12 * 3600  # the console's session duration choices, PT15M to PT12H
BINDINGS = {
    "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST",
    "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect",
    "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Artifact",
}
ATTRIBUTE_NAME_FORMATS = {
    "urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified",
    "urn:oasis:names:tc:SAML:2.0:attrname-format:uri",
    "urn:oasis:names:tc:SAML:2.0:attrname-format:basic",
}
INCLUDE = ["REQUIRED", "YES", "NO"]  # inferred: the published model types `include` as a plain string
# https only, as the console asks for ACS and start URLs; http is accepted for localhost, which
# IdC is reported to take (luk-kop/aws-idc-saml-capture uses http://localhost:8443/saml/acs).
WEB_URL = re.compile(r"(https://[^\s/?#]+|http://(localhost|127\.0\.0\.1)(:\d+)?)([/?#]\S*)?")
RELAY_STATE_MAX = 240  # inferred: the console's relay state field limit is not published


def _s(**constraints) -> dict:
    return {"type": "string", **constraints}


def _request(required: list[str], **members: str) -> dict:
    return {"type": "structure", "required": required, "members": {k: {"shape": v} for k, v in members.items()}}


_SHAPES = {
    "InstanceId": _s(pattern="ins-[a-f0-9]+"),
    "ProfileId": _s(pattern="p-[a-f0-9]+"),
    "TemplateId": _s(pattern="tpl-[a-f0-9]+"),
    "Name": _s(min=1, max=100),  # inferred: the public API's limit for an application's Name
    "DisplayName": _s(min=1, max=100),
    "Description": _s(min=0, max=128),  # the public API's limit; "" clears it (inferred)
    "StatusType": _s(enum=["ENABLED", "DISABLED"]),
    "Include": _s(enum=INCLUDE),
    "String": _s(),
    "NonEmptyString": _s(min=1, max=1024),
    "Marker": _s(min=1, max=2048),
    "Boolean": {"type": "boolean"},
    "SourceList": {"type": "list", "member": {"shape": "NonEmptyString"}, "min": 1, "max": 10},
    "Consumer": {
        "type": "structure",
        "required": ["location", "binding"],
        "members": {
            "location": {"shape": "String"},
            "binding": {"shape": "String"},
            "defaultValue": {"shape": "Boolean"},
        },
    },
    "ConsumerList": {"type": "list", "member": {"shape": "Consumer"}, "min": 1, "max": 25},
    "ServiceProviderConfig": {
        "type": "structure",
        "required": ["audience", "consumers"],
        "members": {
            "audience": {"shape": "NonEmptyString"},
            "consumers": {"shape": "ConsumerList"},
            "requireRequestSignature": {"shape": "Boolean"},
            "startUrl": {"shape": "String"},  # inferred member (docs/aws-facts.md#relay-state-and-start-url-fields)
        },
    },
    "ResponseAttributeSource": {
        "type": "structure",
        "required": ["source"],
        "members": {"source": {"shape": "SourceList"}},
    },
    "ResponseAttributeMap": {
        "type": "map",
        "key": {"shape": "NonEmptyString"},
        "value": {"shape": "ResponseAttributeSource"},
    },
    "ResponseConfig": {
        "type": "structure",
        "required": ["subject"],
        "members": {
            "subject": {"shape": "ResponseAttributeSource"},
            "properties": {"shape": "ResponseAttributeMap"},
            "ttl": {"shape": "String"},
            # inferred member (docs/aws-facts.md#relay-state-and-start-url-fields): a copy of this API
            # names it there; verify with a HAR capture
            "relayState": {"shape": "String"},
        },
    },
    "ResponseSchemaSubject": {
        "type": "structure",
        "required": ["include", "nameIdFormat"],
        "members": {"include": {"shape": "Include"}, "nameIdFormat": {"shape": "String"}},
    },
    "ResponseSchemaProperty": {
        "type": "structure",
        "required": ["attrNameFormat", "include"],
        "members": {"attrNameFormat": {"shape": "String"}, "include": {"shape": "Include"}},
    },
    "ResponseSchemaPropertyMap": {
        "type": "map",
        "key": {"shape": "NonEmptyString"},
        "value": {"shape": "ResponseSchemaProperty"},
    },
    "ResponseSchemaConfig": {
        "type": "structure",
        "required": ["subject"],
        "members": {
            "subject": {"shape": "ResponseSchemaSubject"},
            "properties": {"shape": "ResponseSchemaPropertyMap"},
        },
    },
    "CreateApplicationInstanceRequest": _request(["templateId", "name"], templateId="TemplateId", name="Name"),
    "GetApplicationInstanceRequest": _request(["instanceId"], instanceId="InstanceId"),
    "ListApplicationInstancesRequest": _request([], marker="Marker"),
    "DeleteApplicationInstanceRequest": _request(["instanceId"], instanceId="InstanceId"),
    "UpdateApplicationInstanceDisplayDataRequest": _request(
        ["instanceId"], instanceId="InstanceId", displayName="DisplayName", description="Description"
    ),
    "UpdateApplicationInstanceServiceProviderConfigurationRequest": _request(
        ["instanceId", "serviceProviderConfig"], instanceId="InstanceId", serviceProviderConfig="ServiceProviderConfig"
    ),
    "UpdateApplicationInstanceResponseConfigurationRequest": _request(
        ["instanceId", "responseConfig"], instanceId="InstanceId", responseConfig="ResponseConfig"
    ),
    "UpdateApplicationInstanceResponseSchemaConfigurationRequest": _request(
        ["instanceId", "responseSchemaConfig"], instanceId="InstanceId", responseSchemaConfig="ResponseSchemaConfig"
    ),
    "UpdateApplicationInstanceStatusRequest": _request(
        ["instanceId", "status"], instanceId="InstanceId", status="StatusType"
    ),
    "ListApplicationInstanceCertificatesRequest": _request(["instanceId"], instanceId="InstanceId"),
    "ListProfilesRequest": _request(["instanceId"], instanceId="InstanceId"),
    "DeleteProfileRequest": _request(["profileId", "instanceId"], profileId="ProfileId", instanceId="InstanceId"),
}
OPERATIONS = [
    "CreateApplicationInstance",
    "GetApplicationInstance",
    "ListApplicationInstances",
    "DeleteApplicationInstance",
    "UpdateApplicationInstanceDisplayData",
    "UpdateApplicationInstanceServiceProviderConfiguration",
    "UpdateApplicationInstanceResponseConfiguration",
    "UpdateApplicationInstanceResponseSchemaConfiguration",
    "UpdateApplicationInstanceStatus",
    "ListApplicationInstanceCertificates",
    "ListProfiles",
    "DeleteProfile",
]
CONTROL_MODEL = ServiceModel(
    {
        "metadata": {
            "apiVersion": "2020-07-20",
            "protocol": "json",
            "jsonVersion": "1.1",
            "signingName": SIGNING_NAME,
            "targetPrefix": "SWBService",
        },
        "operations": {
            name: {"name": name, "http": {"method": "POST", "requestUri": "/"}, "input": {"shape": f"{name}Request"}}
            for name in OPERATIONS
        },
        "shapes": _SHAPES,
    },
    service_name="sso-control",
)
# Inferred: this API refuses members it does not know, and members of the wrong type, as ValidationExceptions.
VALIDATOR = Validator(strict_types=True, reject_unknown=True)


def invalid(message: str) -> AWSError:
    return AWSError("ValidationException", message)


def access_denied(info: RequestInfo, operation: str, instance: IdcInstance) -> AWSError:
    """What AWS answers a caller without the sso:<Operation> permission (JSON protocol: 400)."""
    caller = sts_backends[info.account]["global"].get_caller_identity(info.access_key, info.region)[1]
    return AWSError(
        "AccessDeniedException",
        f"User: {caller} is not authorized to perform: sso:{operation} on resource: {instance.arn} "
        f"because no identity-based policy allows the sso:{operation} action",
    )


# --- authentication ------------------------------------------------------------------------------
def _secret_for(access_key: str) -> str | None:
    """The secret of an access key the emulator issued (IAM user keys, AssumeRole credentials)."""
    for account in list(iam_backends.values()):
        for partition in account.values():
            key = partition.access_keys.get(access_key)
            if key is not None:
                return key.secret_access_key
    return None


def authenticate(request: Request, body: bytes) -> None:
    """SigV4 as AWS checks it: present, complete, scoped to `sso`, fresh, and (for credentials the
    emulator issued) correctly signed. Keys it never issued are taken as moto takes them."""
    auth = request.headers.get("Authorization", "")
    if not auth:
        raise AWSError("MissingAuthenticationTokenException", "Missing Authentication Token", 403)
    if not auth.startswith("AWS4-HMAC-SHA256 "):
        raise AWSError("IncompleteSignatureException", f"Unsupported Authorization Type: {auth.split(' ', 1)[0]}", 403)
    fields = dict(part.strip().split("=", 1) for part in auth[len("AWS4-HMAC-SHA256 ") :].split(",") if "=" in part)
    missing = [
        f"Authorization header requires '{n}' parameter."
        for n in ("Credential", "Signature", "SignedHeaders")
        if n not in fields
    ]
    amz_date = request.headers.get("X-Amz-Date", "")
    if not amz_date:
        missing.append("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
    if missing:
        raise AWSError("IncompleteSignatureException", " ".join(missing) + f" Authorization={auth}", 403)
    scope = fields["Credential"].split("/")
    if len(scope) != 5 or scope[4] != "aws4_request":
        raise AWSError("IncompleteSignatureException", f"Credential should have 5 parts: {fields['Credential']}", 403)
    access_key, day, region, service, _terminator = scope
    if service != SIGNING_NAME:
        raise AWSError(
            "InvalidSignatureException", f"Credential should be scoped to correct service: '{SIGNING_NAME}'.", 403
        )
    try:
        signed_at = datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)
    except ValueError:
        raise AWSError(
            "IncompleteSignatureException", f"Date must be in ISO-8601 'basic format'. Got '{amz_date}'.", 403
        ) from None
    if day != amz_date[:8]:
        raise AWSError(
            "InvalidSignatureException",
            f"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{day}' != '{amz_date[:8]}'",
            403,
        )
    now = datetime.now(timezone.utc)
    if abs(now - signed_at) > MAX_CLOCK_SKEW:
        raise AWSError(
            "InvalidSignatureException",
            f"Signature expired: {amz_date} is now earlier than {(now - MAX_CLOCK_SKEW).strftime('%Y%m%dT%H%M%SZ')}",
            403,
        )
    secret = _secret_for(access_key)
    if secret is None:
        return
    signed = [name for name in fields["SignedHeaders"].split(";") if name]
    query = request.query_string.decode()
    copy = AWSRequest(
        method=request.method,
        url=f"http://{request.host}{request.path}" + (f"?{query}" if query else ""),
        data=body,
        headers={name: request.headers.get(name, "") for name in signed},
    )
    copy.context["timestamp"] = amz_date
    signer = SigV4Auth(Credentials(access_key, secret), service, region)
    expected = signer.signature(signer.string_to_sign(copy, signer.canonical_request(copy)), copy)
    if not hmac.compare_digest(expected, fields["Signature"]):
        raise AWSError(
            "InvalidSignatureException",
            "The request signature we calculated does not match the signature you provided. "
            "Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
            403,
        )


# --- what the operations check beyond the shapes ---------------------------------------------------
def _check_url(value: object, what: str) -> None:
    if not isinstance(value, str) or not WEB_URL.fullmatch(value):
        raise invalid(f"{what} must be an https URL")


def _check_sources(sources: list[str], what: str) -> None:
    for source in sources:
        for name in SOURCE_VARIABLE.findall(source):
            if name not in USER_SOURCES:
                raise invalid(f"{what}: ${{user:{name}}} is not a supported attribute")


def ttl_seconds(ttl: str) -> int:
    match = DURATION.fullmatch(ttl)
    if not match or not any(match.groups()):
        raise invalid(f"ttl '{ttl}' is not an ISO-8601 duration such as PT1H")
    hours, minutes, seconds = (int(g or 0) for g in match.groups())
    return hours * 3600 + minutes * 60 + seconds


def check_service_provider_config(config: dict) -> dict:
    for index, consumer in enumerate(config["consumers"], start=1):
        _check_url(consumer["location"], f"serviceProviderConfig.consumers.{index}.location")
        if consumer["binding"] not in BINDINGS:
            raise invalid(f"serviceProviderConfig.consumers.{index}.binding must be a SAML 2.0 binding URN")
    if sum(bool(c.get("defaultValue")) for c in config["consumers"]) > 1:  # inferred: one default ACS
        raise invalid("At most one consumer can be the default")
    if config.get("startUrl"):
        _check_url(config["startUrl"], "serviceProviderConfig.startUrl")
    return config


def check_response_config(config: dict) -> dict:
    _check_sources(config["subject"]["source"], "responseConfig.subject")
    for name, value in (config.get("properties") or {}).items():
        _check_sources(value["source"], f"responseConfig.properties.{name}")
    if "ttl" in config and not MIN_TTL <= ttl_seconds(config["ttl"]) <= MAX_TTL:
        raise invalid("ttl must be between PT15M and PT12H")
    relay = config.get("relayState")
    # inferred member and rule: a URL the portal sends along; "" clears it
    if relay and (len(relay) > RELAY_STATE_MAX or not re.fullmatch(r"https?://\S+", relay)):
        raise invalid(f"relayState must be a URL of at most {RELAY_STATE_MAX} characters")
    return config


def check_response_schema_config(config: dict) -> dict:
    if config["subject"]["nameIdFormat"] not in NAMEID_FORMATS:
        raise invalid(f"responseSchemaConfig.subject.nameIdFormat must be one of {list(NAMEID_FORMATS)}")
    for name, value in (config.get("properties") or {}).items():
        if value["attrNameFormat"] not in ATTRIBUTE_NAME_FORMATS:
            raise invalid(
                f"responseSchemaConfig.properties.{name}.attrNameFormat must be a SAML 2.0 attrname-format URN"
            )
    return config


# --- the API ------------------------------------------------------------------------------------------
class ControlApi:
    def __init__(self, emulator) -> None:
        self.emulator = emulator

    def __call__(self, request: Request, info: RequestInfo, body: bytes) -> Response:
        if request.method != "POST" or request.path.rstrip("/") != "/control":
            raise AWSError("UnknownOperationException", f"No operation at {request.method} {request.path}", 404)
        authenticate(request, body)
        target = request.headers.get("X-Amz-Target", "")
        operation = target[len(TARGET_PREFIX) :] if target.startswith(TARGET_PREFIX) else ""
        if operation not in OPERATIONS:
            raise AWSError("UnknownOperationException", f"Unknown operation {target or '(no X-Amz-Target)'}")
        payload = parse_body(body)
        VALIDATOR.validate(CONTROL_MODEL.operation_model(operation), payload)
        instance = STATE.instance_for(info.account, info.region)
        if instance is None:
            # Inferred: AWS's answer in an account or region without the IdC instance is unknown;
            # ResourceNotFound (rather than AccessDenied) says "not here", which is what it means.
            raise AWSError(
                "ResourceNotFoundException",
                f"No IAM Identity Center instance in account {info.account} region {info.region}",
            )
        if operation in runtime.config["control_api_denied_operations"]:
            raise access_denied(info, operation, instance)
        result = getattr(self, operation)(instance, payload)
        return Response(json.dumps(result), content_type="application/x-amz-json-1.1")

    def _app(self, instance: IdcInstance, payload: dict) -> App:
        app = STATE.app_by_instance_id(payload["instanceId"])
        # The control API knows the SAML application instances (inferred: OAuth apps made with
        # the public CreateApplication are not among them).
        if app is None or app.instance is not instance or not app.is_saml:
            raise AWSError("ResourceNotFoundException", f"Application instance {payload['instanceId']} not found")
        return app

    def shape(self, app: App) -> dict:
        """The published ApplicationInstance shape; members with no value are left out, as AWS's
        JSON protocol does. With the runtime switch on, also the response configurations."""
        display = {"displayName": app.display_name, "description": app.description}
        shape = {
            "instanceId": app.instance_id,
            "display": {k: v for k, v in display.items() if v},
            "identityProviderConfig": {
                "metadataUrl": app.metadata_url(self.emulator.endpoint),
                "issuerUrl": app.issuer,
                "remoteLoginUrl": app.issuer,
                "remoteLogoutUrl": app.logout_url,
            },
            "serviceProviderConfig": app.sp_config,
            "status": app.status,
            "template": {"sSOProtocol": "SAML", "templateId": app.template_id},
        }
        shape = {k: v for k, v in shape.items() if v != {}}
        if runtime.config["get_application_instance_includes_response_config"]:
            # The hypothesis this switch stands for: AWS returns both, {} before they are set,
            # less the fields the second switch hides (AWS may show only part of them).
            shape["responseConfig"] = dict(app.response_config)
            shape["responseSchemaConfig"] = dict(app.response_schema_config)
            for path in runtime.config["get_application_instance_omits"]:
                document, field = path.split(".", 1)
                shape[document].pop(field, None)
        return shape

    # --- operations (AWS's names) -----------------------------------------------------------------
    def CreateApplicationInstance(self, instance, payload):  # noqa: N802
        if payload["templateId"] != CUSTOM_SAML_TEMPLATE:
            raise invalid(f"Template {payload['templateId']} is not supported")
        # Inferred: `name` becomes the display name until UpdateApplicationInstanceDisplayData sets
        # one. Third-party users report `name` "not visible after" and always set display data.
        app = STATE.create_app(instance, payload["name"], name=payload["name"])
        return {"applicationInstance": self.shape(app)}

    def GetApplicationInstance(self, instance, payload):  # noqa: N802
        return {"applicationInstance": self.shape(self._app(instance, payload))}

    def ListApplicationInstances(self, instance, payload):  # noqa: N802
        apps = [a for a in STATE.apps_of(instance) if a.is_saml]
        try:
            start = int(payload.get("marker") or 0)
        except ValueError:
            raise invalid("The marker is not valid") from None
        result = {"applicationInstances": [self.shape(a) for a in apps[start : start + PAGE_SIZE]]}
        if start + PAGE_SIZE < len(apps):
            result["marker"] = str(start + PAGE_SIZE)
        return result

    def DeleteApplicationInstance(self, instance, payload):  # noqa: N802
        app = self._app(instance, payload)
        # The order IdC requires: assignments, then profiles, then the app
        # (docs/aws-facts.md#profiles-and-the-delete-order).
        if app.assignments:
            raise AWSError("ConflictException", "The application has assignments; delete them first")
        if app.profiles:
            raise AWSError("ConflictException", "The application has profiles; delete them first")
        STATE.delete_app(app)
        return {}

    def UpdateApplicationInstanceDisplayData(self, instance, payload):  # noqa: N802
        app = self._app(instance, payload)
        if "displayName" in payload:
            app.display_name = payload["displayName"]
        if "description" in payload:
            app.description = payload["description"]
        return {}

    def UpdateApplicationInstanceServiceProviderConfiguration(self, instance, payload):  # noqa: N802
        app = self._app(instance, payload)
        app.sp_config = check_service_provider_config(payload["serviceProviderConfig"])
        return {}

    def UpdateApplicationInstanceResponseConfiguration(self, instance, payload):  # noqa: N802
        app = self._app(instance, payload)
        app.response_config = check_response_config(payload["responseConfig"])
        return {}

    def UpdateApplicationInstanceResponseSchemaConfiguration(self, instance, payload):  # noqa: N802
        app = self._app(instance, payload)
        app.response_schema_config = check_response_schema_config(payload["responseSchemaConfig"])
        return {}

    def UpdateApplicationInstanceStatus(self, instance, payload):  # noqa: N802
        self._app(instance, payload).status = payload["status"]
        return {}

    def ListApplicationInstanceCertificates(self, instance, payload):  # noqa: N802
        return {"certificates": [c.summary() for c in self._app(instance, payload).certificates]}

    def ListProfiles(self, instance, payload):  # noqa: N802
        return {"applicationProfiles": list(self._app(instance, payload).profiles.values())}

    def DeleteProfile(self, instance, payload):  # noqa: N802
        app = self._app(instance, payload)
        if app.profiles.pop(payload["profileId"], None) is None:
            raise AWSError("ResourceNotFoundException", f"Profile {payload['profileId']} not found")
        return {}
