# -*- coding: utf-8 -*-
# Copyright: Contributors to the connect_sso.federation collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The one client of the IAM Identity Center console API ("SWBService", aws-facts §2).

AWS publishes no API for SAML applications' configuration; the console calls
POST https://sso.<region>.amazonaws.com/control/ with X-Amz-Target: SWBService.<Op>, JSON 1.1,
signed with SigV4 for service `sso`. Every call of this collection to that API goes through
this file: it signs with the same credentials as the module's other AWS calls, honours
endpoint_url / AWS_ENDPOINT_URL (via the sso-admin client's endpoint, the same host), retries
throttling and server errors, and turns errors into messages that say what to do.
"""

from __future__ import annotations

import json
from typing import Any, Dict, List, Optional

try:
    import boto3
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    from botocore.exceptions import BotoCoreError, ClientError
    from botocore.httpsession import URLLib3Session
except ImportError:
    pass  # AnsibleAWSModule reports the missing library

from ansible_collections.amazon.aws.plugins.module_utils.botocore import get_aws_connection_info
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.connect_sso.federation.plugins.module_utils.errors import FederationError

CONTROL_PATH = "/control/"
TARGET_PREFIX = "SWBService"
SIGNING_NAME = "sso"
CUSTOM_SAML_TEMPLATE = "tpl-50e590700beb5208"  # the console's Custom SAML 2.0 template (aws-facts §1.3)
# IdC answers throttling and server trouble with these codes; AWSRetry retries them.
RETRY_CODES = ["ThrottlingException", "InternalServerException", "ServiceUnavailableException", "InternalFailure"]
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
retry = AWSRetry.jittered_backoff(retries=8, delay=1, max_delay=20, catch_extra_error_codes=RETRY_CODES)


class AnsibleIdcControlError(AnsibleAWSError):
    pass


class IdcControlErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleIdcControlError


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

    def __init__(self, module: Any, sso_admin_client: Any, region: str, connection: Optional[Dict[str, Any]] = None):
        """connection: boto3 session/client arguments for the IdC account; the module's own by default."""
        if connection is None:
            _region, _endpoint, connection = get_aws_connection_info(module)
        session = boto3.session.Session(profile_name=connection.get("profile_name"))
        if connection.get("aws_access_key_id"):
            credentials = Credentials(
                connection["aws_access_key_id"],
                connection["aws_secret_access_key"],
                connection.get("aws_session_token"),
            )
        else:
            credentials = session.get_credentials()
        if credentials is None:
            raise FederationError("no AWS credentials found for the IAM Identity Center account")
        self._credentials = credentials
        # Same host as the public sso-admin API: reusing its resolved endpoint honours endpoint_url,
        # AWS_ENDPOINT_URL and the partition's DNS suffix without a second resolver.
        self._url = sso_admin_client.meta.endpoint_url.rstrip("/") + CONTROL_PATH
        self._region = region
        verify = connection.get("verify")
        self._http = URLLib3Session(verify=True if verify is None else verify)

    # --- transport ----------------------------------------------------------------------------
    @retry
    def _call(self, operation: str, body: Dict[str, Any]) -> Dict[str, Any]:
        request = AWSRequest(
            method="POST",
            url=self._url,
            data=json.dumps(body),
            headers={"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": f"{TARGET_PREFIX}.{operation}"},
        )
        SigV4Auth(self._credentials.get_frozen_credentials(), SIGNING_NAME, self._region).add_auth(request)
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
        return self.call("CreateApplicationInstance", templateId=CUSTOM_SAML_TEMPLATE, name=name)["applicationInstance"]

    def get_app(self, instance_id: str) -> Dict[str, Any]:
        return self.call("GetApplicationInstance", instanceId=instance_id)["applicationInstance"]

    def list_apps(self) -> List[Dict[str, Any]]:
        apps: List[Dict[str, Any]] = []
        marker: Optional[str] = None
        while True:
            page = self.call("ListApplicationInstances", **({"marker": marker} if marker else {}))
            apps.extend(page.get("applicationInstances", []))
            marker = page.get("marker")
            if not marker:
                return apps

    def delete_app(self, instance_id: str) -> None:
        self.call("DeleteApplicationInstance", instanceId=instance_id)

    def update_display(self, instance_id: str, display_name: str, description: str) -> None:
        self.call(
            "UpdateApplicationInstanceDisplayData",
            instanceId=instance_id,
            displayName=display_name,
            description=description,
        )

    def update_service_provider(self, instance_id: str, config: Dict[str, Any]) -> None:
        self.call(
            "UpdateApplicationInstanceServiceProviderConfiguration",
            instanceId=instance_id,
            serviceProviderConfig=config,
        )

    def update_response(self, instance_id: str, config: Dict[str, Any]) -> None:
        self.call("UpdateApplicationInstanceResponseConfiguration", instanceId=instance_id, responseConfig=config)

    def update_response_schema(self, instance_id: str, config: Dict[str, Any]) -> None:
        self.call(
            "UpdateApplicationInstanceResponseSchemaConfiguration", instanceId=instance_id, responseSchemaConfig=config
        )

    def update_status(self, instance_id: str, status: str) -> None:
        self.call("UpdateApplicationInstanceStatus", instanceId=instance_id, status=status)

    def list_certificates(self, instance_id: str) -> List[Dict[str, Any]]:
        return self.call("ListApplicationInstanceCertificates", instanceId=instance_id).get("certificates", [])

    def list_profiles(self, instance_id: str) -> List[Dict[str, Any]]:
        return self.call("ListProfiles", instanceId=instance_id).get("applicationProfiles", [])

    def delete_profile(self, instance_id: str, profile_id: str) -> None:
        self.call("DeleteProfile", instanceId=instance_id, profileId=profile_id)
