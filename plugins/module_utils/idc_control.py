# -*- coding: utf-8 -*-
# Copyright: Contributors to the connect_sso.federation collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The one client of the IAM Identity Center console API ("SWBService", docs/aws-facts.md).

AWS publishes no API for SAML applications' configuration; the console calls
POST https://sso.<region>.amazonaws.com/control/ with X-Amz-Target: SWBService.<Op>, JSON 1.1,
signed with SigV4 for service `sso`. Every call of this collection to that API goes through
this file: it signs with the same credentials as the IdC account's other clients, calls the
same host as its sso-admin client (so endpoint_url / AWS_ENDPOINT_URL and the partition's DNS
suffix apply), retries as every AWS call does (retries.py), and turns errors into messages
that say what to do.
"""

from __future__ import annotations

import json
from typing import Any, Dict, Iterator, List, Optional

try:
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.exceptions import BotoCoreError, ClientError
    from botocore.httpsession import URLLib3Session
except ImportError:
    pass  # AnsibleAWSModule reports the missing library

from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.connect_sso.federation.plugins.module_utils.console_facts import (
    CUSTOM_SAML_TEMPLATE,
    LIST_MARKER,
)
from ansible_collections.connect_sso.federation.plugins.module_utils.errors import FederationError
from ansible_collections.connect_sso.federation.plugins.module_utils.retries import aws_retry

CONTROL_PATH = "/control/"
TARGET_PREFIX = "SWBService"
SIGNING_NAME = "sso"
# What AWS answers credentials it does not accept (unknown key, bad secret, expired session).
CREDENTIAL_ERROR_CODES = (
    "UnrecognizedClientException",
    "InvalidClientTokenId",
    "ExpiredTokenException",
    "ExpiredToken",
    "InvalidSignatureException",
    "SignatureDoesNotMatch",
    "IncompleteSignatureException",
    "MissingAuthenticationTokenException",
)


class AnsibleIdcControlError(AnsibleAWSError):
    pass


def explain(error: "ClientError", operation: str, region: str) -> str:
    """A message that says what went wrong and what to do about it."""
    code = error.response.get("Error", {}).get("Code", "")
    message = error.response.get("Error", {}).get("Message", "")
    if code in CREDENTIAL_ERROR_CODES:
        return (
            f"IAM Identity Center console API, {operation} in {region}: the credentials were refused "
            f"({code}: {message}). They are invalid or expired: refresh the profile, session or role "
            "credentials of the IdC account; this is not a missing permission"
        )
    if code in ("AccessDeniedException", "AccessDenied"):
        return (
            f"IAM Identity Center console API: the caller may not call sso:{operation} in {region} ({message}). "
            f"Grant sso:{operation} to the automation role in the IdC account, or set control_api: false "
            "to get the console steps instead"
        )
    if code == "ResourceNotFoundException" and operation != "GetApplicationInstance":
        return f"IAM Identity Center console API, {operation} in {region}: {message} (is {region} the IdC home region?)"
    return f"IAM Identity Center console API, {operation} in {region}: {code}: {message}"


class IdcControl:
    """Calls to the console API, one method per operation this collection uses."""

    def __init__(self, account: Any) -> None:
        """account: the IdC account's clients (clients.AccountClients, in the IdC home region)."""
        self._credentials = account.frozen_credentials()
        self._url = account.client("sso-admin").meta.endpoint_url.rstrip("/") + CONTROL_PATH
        self._region = account.region
        self._http = URLLib3Session(verify=True if account.verify is None else account.verify)

    # --- transport ----------------------------------------------------------------------------
    @aws_retry
    def _call(self, operation: str, body: Dict[str, Any]) -> Dict[str, Any]:
        request = AWSRequest(
            method="POST",
            url=self._url,
            data=json.dumps(body),
            headers={"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": f"{TARGET_PREFIX}.{operation}"},
        )
        SigV4Auth(self._credentials, SIGNING_NAME, self._region).add_auth(request)
        try:
            response = self._http.send(request.prepare())
        except BotoCoreError as error:
            raise FederationError(f"IAM Identity Center console API at {self._url}: {error}") from None
        try:
            payload = json.loads(response.content or b"{}")
        except ValueError:
            payload = {"message": response.content[:200].decode("utf-8", "replace")}
        if response.status_code >= 400:
            code = str(payload.get("__type") or payload.get("code") or f"HTTP{response.status_code}").rsplit("#", 1)[-1]
            message = payload.get("message") or payload.get("Message") or ""
            raise ClientError(
                {
                    "Error": {"Code": code, "Message": message},
                    "ResponseMetadata": {"HTTPStatusCode": response.status_code},
                },
                operation,
            )
        return payload

    def call(self, operation: str, **body: Any) -> Dict[str, Any]:
        """One console API call; errors become AnsibleIdcControlError with an explanation."""
        try:
            return self._call(operation, body)
        except ClientError as error:
            raise AnsibleIdcControlError(message=explain(error, operation, self._region), exception=error) from error

    # --- operations ---------------------------------------------------------------------------
    def create_app(self, name: str) -> Dict[str, Any]:
        """A new custom SAML 2.0 app; the answer's instanceId is its console id."""
        return self.call("CreateApplicationInstance", templateId=CUSTOM_SAML_TEMPLATE, name=name)["applicationInstance"]

    def list_app_pages(self) -> Iterator[Dict[str, Any]]:
        """ListApplicationInstances' answers; follows a marker if an answer has one (inferred, console_facts.py)."""
        marker: Optional[str] = None
        while True:
            answer = self.call("ListApplicationInstances", **({LIST_MARKER: marker} if marker else {}))
            yield answer
            marker = answer.get(LIST_MARKER)
            if not marker:
                return

    def list_apps(self) -> List[Dict[str, Any]]:
        """Every app's ApplicationInstance."""
        return [app for page in self.list_app_pages() for app in page.get("applicationInstances", [])]

    def get_app(self, console_id: str) -> Dict[str, Any]:
        return self.call("GetApplicationInstance", instanceId=console_id)["applicationInstance"]

    def delete_app(self, console_id: str) -> None:
        self.call("DeleteApplicationInstance", instanceId=console_id)

    def update_display(self, console_id: str, display_name: str, description: str) -> None:
        self.call(
            "UpdateApplicationInstanceDisplayData",
            instanceId=console_id,
            displayName=display_name,
            description=description,
        )

    def update_service_provider(self, console_id: str, config: Dict[str, Any]) -> None:
        self.call(
            "UpdateApplicationInstanceServiceProviderConfiguration",
            instanceId=console_id,
            serviceProviderConfig=config,
        )

    def update_response(self, console_id: str, config: Dict[str, Any]) -> None:
        self.call("UpdateApplicationInstanceResponseConfiguration", instanceId=console_id, responseConfig=config)

    def update_response_schema(self, console_id: str, config: Dict[str, Any]) -> None:
        self.call(
            "UpdateApplicationInstanceResponseSchemaConfiguration", instanceId=console_id, responseSchemaConfig=config
        )

    def update_status(self, console_id: str, status: str) -> None:
        self.call("UpdateApplicationInstanceStatus", instanceId=console_id, status=status)

    def list_profiles(self, console_id: str) -> List[Dict[str, Any]]:
        return self.call("ListProfiles", instanceId=console_id).get("applicationProfiles", [])

    def delete_profile(self, console_id: str, profile_id: str) -> None:
        self.call("DeleteProfile", instanceId=console_id, profileId=profile_id)
