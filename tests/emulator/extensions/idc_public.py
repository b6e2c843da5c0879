"""The public sso-admin API for applications (moto has none) and a stricter identity store."""

from __future__ import annotations

import json
import re

from moto.identitystore.exceptions import ResourceNotFoundException as StoreNotFound
from moto.identitystore.models import identitystore_backends
from moto.identitystore.responses import IdentityStoreResponse
from moto.ssoadmin.responses import SSOAdminResponse

from ..awserrors import AWSError
from .idc_model import CUSTOM_OAUTH_PROVIDER, CUSTOM_SAML_PROVIDER, STATE, App

APPLICATION_ARN = re.compile(
    r"^arn:aws(-[a-z]{1,5}){0,3}:sso::\d{12}:application/(sso)?ins-[a-zA-Z0-9-.]{16}/apl-[a-zA-Z0-9]{16}$"
)
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


def not_found(message: str) -> AWSError:
    return AWSError("ResourceNotFoundException", message)


def validation(message: str) -> AWSError:
    return AWSError("ValidationException", message)


def _page(items: list, params: dict, limit: int = 100) -> tuple[list, str | None]:
    size = int(params.get("MaxResults") or limit)
    start = int(params.get("NextToken") or 0)
    return items[start : start + size], (str(start + size) if start + size < len(items) else None)


def application_json(app: App) -> dict:
    return {
        "ApplicationArn": app.arn,
        "ApplicationProviderArn": CUSTOM_SAML_PROVIDER,
        "Name": app.display_name,
        "ApplicationAccount": app.instance.account,
        "InstanceArn": app.instance.arn,
        "IdentityStoreArn": f"arn:aws:identitystore::{app.instance.account}:identitystore/{app.instance.identity_store_id}",
        "Status": app.status,
        "PortalOptions": app.portal_options,
        "Description": app.description or None,
        "CreatedDate": app.created.timestamp(),
        "CreatedFrom": app.instance.region,
    }


def principal_exists(instance, principal_type: str, principal_id: str) -> bool:
    store = identitystore_backends[instance.account][instance.region].identity_stores.get(instance.identity_store_id)
    if store is None:
        return False
    return principal_id in (store.users if principal_type == "USER" else store.groups)


class EmulatedSSOAdminResponse(SSOAdminResponse):
    def _params(self) -> dict:
        return json.loads(self.body) if self.body else {}

    def _instance(self):
        instance = STATE.instance_for(self.current_account, self.region)
        if instance is None:
            raise not_found(f"No IAM Identity Center instance in account {self.current_account} region {self.region}")
        return instance

    def _app(self, arn: str | None) -> App:
        if not isinstance(arn, str) or not APPLICATION_ARN.match(arn):
            raise validation(f"ApplicationArn {arn!r} is not a valid application ARN")
        app = STATE.app_by_arn(arn)
        if app is None or app.instance.account != self.current_account:
            raise not_found(f"Application {arn} not found")
        return app

    def list_instances(self) -> str:
        instance = STATE.instance_for(self.current_account, self.region)
        items = []
        if instance is not None:
            items.append(
                {
                    "InstanceArn": instance.arn,
                    "IdentityStoreId": instance.identity_store_id,
                    "OwnerAccountId": instance.account,
                    "Name": "sandbox",
                    "CreatedDate": instance.created.timestamp(),
                    "Status": "ACTIVE",
                }
            )
        return json.dumps({"Instances": items})

    def list_application_providers(self) -> str:
        return json.dumps({"ApplicationProviders": list(PROVIDERS.values())})

    def describe_application_provider(self) -> str:
        arn = self._params().get("ApplicationProviderArn")
        if arn not in PROVIDERS:
            raise not_found(f"Application provider {arn} not found")
        return json.dumps(PROVIDERS[arn])

    def create_application(self) -> str:
        params = self._params()
        provider = params.get("ApplicationProviderArn")
        if provider == CUSTOM_SAML_PROVIDER or provider not in PROVIDERS:
            # AWS: SAML (and catalog) apps can only be created in the console (aws-facts §1.3)
            internal = "app-50e590700beb5208" if provider == CUSTOM_SAML_PROVIDER else provider
            raise validation(f"The application provider with arn '{internal}' is not supported for this action.")
        raise validation("The emulator creates only SAML applications, through the console API")

    def list_applications(self) -> str:
        params = self._params()
        instance = self._instance()
        if params.get("InstanceArn") != instance.arn:
            raise not_found(f"Instance {params.get('InstanceArn')} not found")
        apps = [application_json(a) for a in STATE.apps_of(instance)]
        wanted = params.get("Filter") or {}
        if wanted.get("ApplicationProvider"):
            apps = [a for a in apps if a["ApplicationProviderArn"] == wanted["ApplicationProvider"]]
        if wanted.get("ApplicationAccount"):
            apps = [a for a in apps if a["ApplicationAccount"] == wanted["ApplicationAccount"]]
        page, token = _page(apps, params)
        return json.dumps({"Applications": page, **({"NextToken": token} if token else {})})

    def describe_application(self) -> str:
        return json.dumps(application_json(self._app(self._params().get("ApplicationArn"))))

    def update_application(self) -> str:
        params = self._params()
        app = self._app(params.get("ApplicationArn"))
        if "Name" in params:
            app.display_name = params["Name"]
        if "Description" in params:
            app.description = params["Description"]
        if "Status" in params:
            if params["Status"] not in ("ENABLED", "DISABLED"):
                raise validation("Status must be ENABLED or DISABLED")
            app.status = params["Status"]
        if "PortalOptions" in params:
            app.portal_options = {**app.portal_options, **params["PortalOptions"]}
        return "{}"

    def delete_application(self) -> str:
        app = self._app(self._params().get("ApplicationArn"))
        del STATE.apps[app.hex]
        return "{}"

    def create_application_assignment(self) -> str:
        params = self._params()
        app = self._app(params.get("ApplicationArn"))
        principal_type, principal_id = params.get("PrincipalType"), params.get("PrincipalId")
        if principal_type not in ("USER", "GROUP"):
            raise validation("PrincipalType must be USER or GROUP")
        if not principal_exists(app.instance, principal_type, principal_id):
            raise not_found(f"{principal_type} {principal_id} not found in the identity store")
        if (principal_type, principal_id) in app.assignments:
            raise AWSError("ConflictException", "The assignment already exists")
        app.add_assignment(principal_type, principal_id)
        return "{}"

    def delete_application_assignment(self) -> str:
        params = self._params()
        app = self._app(params.get("ApplicationArn"))
        key = (params.get("PrincipalType"), params.get("PrincipalId"))
        if key not in app.assignments:
            raise not_found("The assignment does not exist")
        del app.assignments[key]
        return "{}"

    def list_application_assignments(self) -> str:
        params = self._params()
        app = self._app(params.get("ApplicationArn"))
        page, token = _page(list(app.assignments.values()), params)
        return json.dumps({"ApplicationAssignments": page, **({"NextToken": token} if token else {})})

    def put_application_assignment_configuration(self) -> str:
        params = self._params()
        app = self._app(params.get("ApplicationArn"))
        if not isinstance(params.get("AssignmentRequired"), bool):
            raise validation("AssignmentRequired must be a boolean")
        app.assignment_required = params["AssignmentRequired"]
        return "{}"

    def get_application_assignment_configuration(self) -> str:
        app = self._app(self._params().get("ApplicationArn"))
        return json.dumps({"AssignmentRequired": app.assignment_required})

    def _tagged(self) -> App:
        params = self._params()
        arn = params.get("ResourceArn")
        if isinstance(arn, str) and ":application/" in arn:
            return self._app(arn)
        raise validation(f"ResourceArn {arn!r} is not a resource the emulator can tag")

    def tag_resource(self) -> str:
        app = self._tagged()
        tags = {t["Key"]: t["Value"] for t in self._params().get("Tags", [])}
        for key, value in tags.items():
            if not 1 <= len(key) <= 128 or len(value) > 256:
                raise validation("Tag keys are 1-128 characters and values at most 256")
        if len({**app.tags, **tags}) > MAX_TAGS:
            raise AWSError("ServiceQuotaExceededException", f"A resource can have at most {MAX_TAGS} tags")
        app.tags.update(tags)
        return "{}"

    def untag_resource(self) -> str:
        app = self._tagged()
        for key in self._params().get("TagKeys", []):
            app.tags.pop(key, None)
        return "{}"

    def list_tags_for_resource(self) -> str:
        app = self._tagged()
        return json.dumps({"Tags": [{"Key": k, "Value": v} for k, v in sorted(app.tags.items())]})


class StrictIdentityStoreResponse(IdentityStoreResponse):
    """moto creates an identity store for any id it is asked about; AWS does not."""

    def call_action(self):
        store_id = (json.loads(self.body) if self.body else {}).get("IdentityStoreId")
        instance = next((i for i in STATE.instances.values() if i.identity_store_id == store_id), None)
        if store_id is not None and (instance is None or instance.account != self.current_account):
            raise StoreNotFound(message=f"Identity store {store_id} not found", resource_type="IDENTITY_STORE")
        return super().call_action()
