"""The public sso-admin API for IdC's instance and applications (moto has neither a fixed
instance nor any Application API) and a stricter identity store.

Every sso-admin and identitystore request is first checked against botocore's model as AWS
checks it (idc_shapes); then our operations answer from the IdC model (idc_model), and
moto's own (permission sets, account assignments, users and groups) answer the rest.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re

import botocore.session
from botocore.model import OperationNotFoundError
from moto.identitystore.exceptions import ResourceNotFoundException as StoreNotFound
from moto.identitystore.models import identitystore_backends
from moto.identitystore.responses import IdentityStoreResponse
from moto.ssoadmin.models import ssoadmin_backends
from moto.ssoadmin.responses import SSOAdminResponse

from ..awserrors import AWSError
from .idc_model import (
    CUSTOM_OAUTH_PROVIDER,
    CUSTOM_SAML_PROVIDER,
    CUSTOM_SAML_PROVIDER_INTERNAL,
    STATE,
    App,
    IdcInstance,
)
from .idc_shapes import Validator, parse_body

_MODELS = botocore.session.get_session()
SSO_ADMIN_MODEL = _MODELS.get_service_model("sso-admin")
IDENTITYSTORE_MODEL = _MODELS.get_service_model("identitystore")
VALIDATOR = Validator()  # AWS's JSON protocol: wrong types are SerializationException, unknown members ignored

PROVIDERS = {
    CUSTOM_SAML_PROVIDER: {
        "ApplicationProviderArn": CUSTOM_SAML_PROVIDER,
        "FederationProtocol": "SAML",
        "DisplayData": {
            "DisplayName": "Custom SAML 2.0 application",
            "Description": "Add a customer managed SAML 2.0 application",
        },
    },
    CUSTOM_OAUTH_PROVIDER: {
        "ApplicationProviderArn": CUSTOM_OAUTH_PROVIDER,
        "FederationProtocol": "OAUTH",
        "DisplayData": {
            "DisplayName": "Custom OAuth 2.0 application",
            "Description": "Add a customer managed OAuth 2.0 application",
        },
    },
}
MAX_TAGS = 75
DEFAULT_PAGE = 100  # inferred: AWS's default page size for these lists is not documented
ARN_KINDS = {
    "application": re.compile(
        r"arn:aws(-[a-z]{1,5}){0,3}:sso::\d{12}:application/(sso)?ins-[a-zA-Z0-9-.]{16}/apl-\w{16}"
    ),
    "instance": re.compile(r"arn:aws(-[a-z]{1,5}){0,3}:sso:::instance/(sso)?ins-[a-zA-Z0-9-.]{16}"),
    "permissionSet": re.compile(r"arn:aws(-[a-z]{1,5}){0,3}:sso:::permissionSet/.+"),
}


def not_found(message: str) -> AWSError:
    return AWSError("ResourceNotFoundException", message)


def validation(message: str) -> AWSError:
    return AWSError("ValidationException", message)


def page(items: list, params: dict, default: int = DEFAULT_PAGE) -> tuple[list, dict]:
    """One page of items and the NextToken to add to the answer (opaque to the caller, as AWS's)."""
    start = 0
    if params.get("NextToken"):
        try:
            start = int(base64.b64decode(params["NextToken"], validate=True).decode().split(":", 1)[1])
        except (ValueError, IndexError, UnicodeDecodeError):
            raise validation("The NextToken is not valid.") from None
    size = params.get("MaxResults") or default
    end = start + size
    token = {"NextToken": base64.b64encode(f"offset:{end}".encode()).decode()} if end < len(items) else {}
    return items[start:end], token


def application_json(app: App) -> dict:
    shape = {
        "ApplicationArn": app.arn,
        "ApplicationProviderArn": app.provider,
        "Name": app.display_name,
        "ApplicationAccount": app.instance.account,
        "InstanceArn": app.instance.arn,
        "IdentityStoreArn": app.instance.identity_store_arn,
        "Status": app.status,
        "PortalOptions": app.portal_options,
        "Description": app.description,
        "CreatedDate": app.created.timestamp(),
        "CreatedFrom": app.instance.region,
    }
    return {k: v for k, v in shape.items() if v not in ("", None)}


def principal_exists(instance: IdcInstance, principal_type: str, principal_id: str) -> bool:
    store = identitystore_backends[instance.account][instance.region].identity_stores.get(instance.identity_store_id)
    if store is None:
        return False
    return principal_id in (store.users if principal_type == "USER" else store.groups)


def _check_tags(tags: list[dict]) -> dict[str, str]:
    """Beyond the model's lengths and patterns. Inferred: duplicate keys in one call and the
    reserved aws: prefix are refused, as by other AWS tagging APIs."""
    keys = [t["Key"] for t in tags]
    if len(set(keys)) != len(keys):
        raise validation("Duplicate tag keys are not allowed.")
    if any(k.lower().startswith("aws:") for k in keys):
        raise validation("Tag keys starting with 'aws:' are reserved for AWS use.")
    return {t["Key"]: t["Value"] for t in tags}


class EmulatedSSOAdminResponse(SSOAdminResponse):
    payload: dict

    # --- every request ------------------------------------------------------------------------
    def call_action(self):
        target = self.headers.get("X-Amz-Target") or ""
        operation = target.rsplit(".", 1)[-1]
        self.payload = parse_body(self.body)
        try:
            model = SSO_ADMIN_MODEL.operation_model(operation)
        except OperationNotFoundError:
            return super().call_action()  # moto answers (the emulator turns that into UnknownOperation)
        VALIDATOR.validate(model, self.payload)
        if "InstanceArn" in model.input_shape.members and self.payload.get("InstanceArn"):
            # moto has an instance in every account and region and accepts any ARN; AWS has one.
            self._instance_named(self.payload["InstanceArn"], operation)
        return super().call_action()

    def _instance_named(self, arn: str, operation: str) -> IdcInstance:
        instance = STATE.instance_for(self.current_account, self.region)
        if instance is None or instance.arn != arn:
            # Inferred: AWS's answer for an instance that is not the caller's is not documented;
            # ResourceNotFound where the operation declares it, AccessDenied where it does not.
            declared = {e.name for e in SSO_ADMIN_MODEL.operation_model(operation).error_shapes}
            if "ResourceNotFoundException" in declared:
                raise not_found(f"Instance {arn} does not exist or is not in this account and region.")
            raise AWSError("AccessDeniedException", f"You do not have access to instance {arn}.")
        return instance

    def _app(self, arn: str) -> App:
        app = STATE.app_by_arn(arn)
        if app is None or (app.instance.account, app.instance.region) != (self.current_account, self.region):
            raise not_found(f"Application {arn} does not exist.")
        return app

    # --- the instance -----------------------------------------------------------------------
    def list_instances(self) -> str:
        instance = STATE.instance_for(self.current_account, self.region)
        items, token = page([instance.summary()] if instance else [], self.payload)
        return json.dumps({"Instances": items, **token})

    def describe_instance(self) -> str:
        return json.dumps(self._instance_named(self.payload["InstanceArn"], "DescribeInstance").summary())

    def update_instance(self) -> str:
        instance = self._instance_named(self.payload["InstanceArn"], "UpdateInstance")
        if "Name" in self.payload:
            instance.name = self.payload["Name"]
        return "{}"

    # --- permission sets (moto's, two corrections) -----------------------------------------------
    def create_permission_set(self) -> str:
        """moto names a permission set arn:aws:sso:::instance/ssoins-…/ps-…, AWS
        arn:aws:sso:::permissionSet/ssoins-…/ps-…; moto allows a duplicate name, AWS does not;
        moto drops the Tags."""
        backend = ssoadmin_backends[self.current_account][self.region]
        if any(
            p.name == self.payload["Name"] and p.instance_arn == self.payload["InstanceArn"]
            for p in backend.permission_sets
        ):
            raise AWSError("ConflictException", f"A permission set named {self.payload['Name']} already exists.")
        tags = _check_tags(self.payload.get("Tags") or [])
        super().create_permission_set()
        created = backend.permission_sets[-1]
        created.permission_set_arn = created.permission_set_arn.replace(":instance/", ":permissionSet/", 1)
        STATE.permission_set_tags[created.permission_set_arn] = tags
        return json.dumps({"PermissionSet": created.to_json(True)})

    # --- application providers ----------------------------------------------------------------
    def list_application_providers(self) -> str:
        items, token = page(list(PROVIDERS.values()), self.payload)
        return json.dumps({"ApplicationProviders": items, **token})

    def describe_application_provider(self) -> str:
        arn = self.payload["ApplicationProviderArn"]
        if arn not in PROVIDERS:
            raise not_found(f"Application provider {arn} does not exist.")
        return json.dumps(PROVIDERS[arn])

    # --- applications -------------------------------------------------------------------------
    def create_application(self) -> str:
        params = self.payload
        instance = self._instance_named(params["InstanceArn"], "CreateApplication")
        provider = params["ApplicationProviderArn"]
        if provider == CUSTOM_SAML_PROVIDER:
            # AWS: SAML apps are made in the console only; the message names the internal id
            # (docs/aws-facts.md#what-the-public-api-cannot-do).
            raise validation(
                f"The application provider with arn '{CUSTOM_SAML_PROVIDER_INTERNAL}' is not supported for this action."
            )
        if provider.split("/", 1)[1].startswith(("catalog/", "app-")):
            raise validation(f"The application provider with arn '{provider}' is not supported for this action.")
        if provider not in PROVIDERS:
            raise not_found(f"Application provider {provider} does not exist.")  # inferred for unknown providers
        tags = _check_tags(params.get("Tags") or [])
        if len(tags) > MAX_TAGS:
            raise AWSError("ServiceQuotaExceededException", f"An application can have at most {MAX_TAGS} tags.")
        digest = hashlib.sha256(json.dumps(params, sort_keys=True).encode()).hexdigest()
        if params.get("ClientToken"):
            earlier = next((a for a in STATE.apps_of(instance) if a.client_token == params["ClientToken"]), None)
            if earlier is not None:
                if earlier.request_digest != digest:  # inferred: reusing a token for another request
                    raise AWSError("ConflictException", "The ClientToken was already used with other parameters.")
                return json.dumps(self._created(earlier))
        app = STATE.create_app(instance, params["Name"], provider=provider)
        app.description = params.get("Description") or ""
        app.status = params.get("Status") or "ENABLED"  # inferred default for API-made apps
        app.portal_options = params.get("PortalOptions") or {"Visibility": "ENABLED"}
        app.tags = tags
        app.client_token, app.request_digest = params.get("ClientToken") or "", digest
        return json.dumps(self._created(app))

    @staticmethod
    def _created(app: App) -> dict:
        return {
            "ApplicationArn": app.arn,
            "InstanceArn": app.instance.arn,
            "IdentityStoreArn": app.instance.identity_store_arn,
        }

    def list_applications(self) -> str:
        instance = self._instance_named(self.payload["InstanceArn"], "ListApplications")
        wanted = self.payload.get("Filter") or {}
        apps = [
            application_json(a)
            for a in STATE.apps_of(instance)
            if wanted.get("ApplicationProvider") in (None, a.provider)
            and wanted.get("ApplicationAccount") in (None, a.instance.account)
        ]
        items, token = page(apps, self.payload)
        return json.dumps({"Applications": items, **token})

    def describe_application(self) -> str:
        return json.dumps(application_json(self._app(self.payload["ApplicationArn"])))

    def update_application(self) -> str:
        """Name and Description are the console's display data (the control API's displayName)."""
        params = self.payload
        app = self._app(params["ApplicationArn"])
        if "Name" in params:
            app.display_name = params["Name"]
        if "Description" in params:
            app.description = params["Description"]
        if "Status" in params:
            app.status = params["Status"]
        if "SignInOptions" in (params.get("PortalOptions") or {}):
            app.portal_options = {**app.portal_options, "SignInOptions": params["PortalOptions"]["SignInOptions"]}
        return "{}"

    def delete_application(self) -> str:
        # Inferred (unverified on SAML apps, docs/aws-facts.md#what-the-public-api-can-do):
        # the app goes with its assignments and profiles.
        STATE.delete_app(self._app(self.payload["ApplicationArn"]))
        return "{}"

    # --- assignments --------------------------------------------------------------------------
    def _assignment_target(self) -> tuple[App, tuple[str, str]]:
        return self._app(self.payload["ApplicationArn"]), (self.payload["PrincipalType"], self.payload["PrincipalId"])

    def create_application_assignment(self) -> str:
        app, key = self._assignment_target()
        if not principal_exists(app.instance, *key):
            raise not_found(f"{key[0].capitalize()} {key[1]} does not exist in the identity store.")
        if key in app.assignments:
            raise AWSError(
                "ConflictException", f"{key[0].capitalize()} {key[1]} is already assigned to this application."
            )
        app.add_assignment(*key)
        return "{}"

    def delete_application_assignment(self) -> str:
        app, key = self._assignment_target()
        if not app.remove_assignment(*key):
            raise not_found(f"No assignment of {key[0].lower()} {key[1]} to this application.")
        return "{}"

    def describe_application_assignment(self) -> str:
        app, key = self._assignment_target()
        if key not in app.assignments:
            raise not_found(f"No assignment of {key[0].lower()} {key[1]} to this application.")
        return json.dumps(app.assignments[key])

    def list_application_assignments(self) -> str:
        app = self._app(self.payload["ApplicationArn"])
        items, token = page(list(app.assignments.values()), self.payload)
        return json.dumps({"ApplicationAssignments": items, **token})

    def list_application_assignments_for_principal(self) -> str:
        params = self.payload
        instance = self._instance_named(params["InstanceArn"], "ListApplicationAssignmentsForPrincipal")
        key = (params["PrincipalType"], params["PrincipalId"])
        if not principal_exists(instance, *key):  # inferred: an unknown principal is not found
            raise not_found(f"{key[0].capitalize()} {key[1]} does not exist in the identity store.")
        wanted = (params.get("Filter") or {}).get("ApplicationArn")
        found = [
            a.assignments[key] for a in STATE.apps_of(instance) if key in a.assignments and wanted in (None, a.arn)
        ]
        items, token = page(found, params)
        return json.dumps({"ApplicationAssignments": items, **token})

    def put_application_assignment_configuration(self) -> str:
        self._app(self.payload["ApplicationArn"]).assignment_required = self.payload["AssignmentRequired"]
        return "{}"

    def get_application_assignment_configuration(self) -> str:
        return json.dumps({"AssignmentRequired": self._app(self.payload["ApplicationArn"]).assignment_required})

    # --- tags ---------------------------------------------------------------------------------
    def _tags_of(self) -> dict[str, str]:
        """The tag dict of ResourceArn: an application, the instance, or a permission set."""
        params = self.payload
        arn = params["ResourceArn"]
        instance = STATE.instance_for(self.current_account, self.region)
        if ARN_KINDS["application"].fullmatch(arn):
            return self._app(arn).tags
        if ARN_KINDS["instance"].fullmatch(arn):
            if instance is None or instance.arn != arn:
                raise not_found(f"Instance {arn} does not exist.")
            return instance.tags
        if ARN_KINDS["permissionSet"].fullmatch(arn):
            sets = ssoadmin_backends[self.current_account][self.region].permission_sets
            if instance is None or not any(p.permission_set_arn == arn for p in sets):
                raise not_found(f"Permission set {arn} does not exist.")
            return STATE.permission_set_tags.setdefault(arn, {})
        raise not_found(f"Resource {arn} does not exist.")  # trusted token issuers: the emulator has none

    def tag_resource(self) -> str:
        tags = self._tags_of()
        new = _check_tags(self.payload["Tags"])
        if len({**tags, **new}) > MAX_TAGS:
            raise AWSError("ServiceQuotaExceededException", f"A resource can have at most {MAX_TAGS} tags.")
        tags.update(new)
        return "{}"

    def untag_resource(self) -> str:
        tags = self._tags_of()
        for key in self.payload["TagKeys"]:
            tags.pop(key, None)
        return "{}"

    def list_tags_for_resource(self) -> str:
        tags = self._tags_of()
        items, token = page([{"Key": k, "Value": v} for k, v in sorted(tags.items())], self.payload)
        return json.dumps({"Tags": items, **token})


class StrictIdentityStoreResponse(IdentityStoreResponse):
    """moto creates an identity store for any id it is asked about; AWS knows only the stores of
    IdC instances, each in its account and region. Inputs are checked against the model first."""

    def call_action(self):
        target = self.headers.get("X-Amz-Target") or ""
        operation = target.rsplit(".", 1)[-1]
        params = parse_body(self.body)
        try:
            model = IDENTITYSTORE_MODEL.operation_model(operation)
        except OperationNotFoundError:
            return super().call_action()
        VALIDATOR.validate(model, params)
        if "IdentityStoreId" in params:
            store_id = self._own_store(params["IdentityStoreId"])
            if store_id != params["IdentityStoreId"]:  # the ARN form: moto knows only the bare id
                params["IdentityStoreId"] = store_id
                self.body = json.dumps(params)
        if operation == "GetGroupId":
            path = ((params.get("AlternateIdentifier") or {}).get("UniqueAttribute") or {}).get("AttributePath")
            if path is not None and path != "DisplayName":
                raise validation(f"The attribute {path} is not a unique attribute")
        return super().call_action()

    def _own_store(self, reference: str) -> str:
        """The bare store id, if it is the caller's; else ResourceNotFound (inferred: the error for
        another account's or an unknown store; the model's ResourceType names IDENTITY_STORE)."""
        store_id = reference.rsplit("/", 1)[-1]
        owner = reference.split(":")[4] if reference.startswith("arn:") else self.current_account
        instance = STATE.instance_for(self.current_account, self.region)
        if instance is None or instance.identity_store_id != store_id or owner != self.current_account:
            raise StoreNotFound(message=f"Identity store {reference} not found.", resource_type="IDENTITY_STORE")
        return store_id
