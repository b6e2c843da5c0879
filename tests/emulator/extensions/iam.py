"""IAM and STS as strict as AWS where moto is lax (see tests/emulator/README.md).

SAML providers: metadata parsed and checked, names validated, duplicates refused, tags
stored and served (keys starting aws: refused, on roles too). Roles: trust policies validated
on create, Federated principals must exist, names and session durations checked. STS:
AssumeRole needs an existing role whose trust policy allows the caller.
"""

from __future__ import annotations

import base64
import json
import re
import uuid
from datetime import datetime, timezone
from fnmatch import fnmatchcase
from urllib.parse import unquote

import moto.iam.urls
import moto.sts.urls
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import dsa, rsa
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError
from defusedxml.ElementTree import fromstring as safe_fromstring
from moto.core.responses import ActionResult, EmptyResult
from moto.iam.exceptions import (
    EntityAlreadyExists,
    InvalidInput,
    LimitExceededException,
    MalformedPolicyDocument,
    NoSuchEntity,
    ValidationError,
)
from moto.iam.models import iam_backends
from moto.iam.policy_validation import IAMTrustPolicyDocumentValidator
from moto.iam.responses import IamResponse
from moto.sts.responses import TokenResponse

from ..awserrors import AWSError
from ..topology import Topology

MD = "urn:oasis:names:tc:SAML:2.0:metadata"
DS = "http://www.w3.org/2000/09/xmldsig#"
PROVIDER_NAME = re.compile(r"^[\w._-]+$")
ROLE_NAME = re.compile(r"^[\w+=,.@-]+$")
MAX_PROVIDER_TAGS = 50


def _validation(value: str, field: str, constraint: str) -> ValidationError:
    return ValidationError(
        f"1 validation error detected: Value '{value}' at '{field}' failed to satisfy constraint: {constraint}"
    )


def check_saml_metadata(document: str) -> str | None:
    """validUntil of the metadata when IAM would accept it; raises InvalidInput as IAM does.

    The length bounds are IAM's API constraints (1,000 to 10,000,000 characters): botocore checks
    the minimum client-side too, but IAM refuses a short document from any client.
    """
    document = document or ""
    if len(document) < 1000:
        raise _validation(document, "sAMLMetadataDocument", "Member must have length greater than or equal to 1000")
    if len(document) > 10_000_000:
        raise _validation("...", "sAMLMetadataDocument", "Member must have length less than or equal to 10000000")
    try:
        if document.startswith("\ufeff"):
            raise ValueError("byte order mark")
        root = safe_fromstring(document, forbid_dtd=True)
        if root.tag != f"{{{MD}}}EntityDescriptor":
            raise ValueError("not an EntityDescriptor")
        idp = root.find(f"{{{MD}}}IDPSSODescriptor")
        if idp is None:
            raise ValueError("no IDPSSODescriptor")
        certificates = [
            element.text or ""
            for descriptor in idp.findall(f"{{{MD}}}KeyDescriptor")
            if descriptor.get("use", "signing") == "signing"
            for element in descriptor.iter(f"{{{DS}}}X509Certificate")
        ]
        if not certificates:
            raise ValueError("no signing certificate")
        for text in certificates:
            key = x509.load_der_x509_certificate(base64.b64decode("".join(text.split()))).public_key()
            if isinstance(key, (rsa.RSAPublicKey, dsa.DSAPublicKey)) and key.key_size < 1024:
                raise ValueError("key too small")
    except (ValueError, TypeError, ParseError, DefusedXmlException):
        raise InvalidInput("Could not parse metadata") from None
    return root.get("validUntil")


def _provider_by_arn(backend, arn: str):
    for provider in backend.saml_providers.values():
        if provider.arn == arn:
            return provider
    raise NoSuchEntity(f"SAMLProvider {arn} does not exist.")


def _tags_from_params(params: list[dict] | None) -> dict[str, str]:
    """IAM's tag rules (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_tags.html): keys of 1 to 128
    characters that do not start with aws: (any case), values of at most 256. InvalidInput is among the
    errors TagRole and TagSAMLProvider document; that it is the one for the prefix, and its message, are inferred."""
    tags = {}
    for tag in params or []:
        key, value = tag.get("Key", ""), tag.get("Value", "")
        if key.lower().startswith("aws:"):
            raise InvalidInput(f"User-defined tag keys can't start with 'aws:': {key}")
        if not 1 <= len(key) <= 128:
            raise _validation(key, "tags.member.key", "Member must have length between 1 and 128")
        if len(value) > 256:
            raise _validation(value, "tags.member.value", "Member must have length less than or equal to 256")
        tags[key] = value
    return tags


def _set_tags(provider, tags: dict[str, str]) -> None:
    merged = {**getattr(provider, "emulator_tags", {}), **tags}
    if len(merged) > MAX_PROVIDER_TAGS:
        raise LimitExceededException(f"The number of tags has reached the maximum limit of {MAX_PROVIDER_TAGS}.")
    provider.emulator_tags = merged


def policy_statements(document) -> list:
    """A policy document's statements (a dict, JSON, or URL-encoded JSON as moto may hold it); [] if not JSON."""
    if isinstance(document, str):
        try:
            document = json.loads(unquote(document) if not document.lstrip().startswith("{") else document)
        except ValueError:
            return []  # moto's validator reports the syntax error
    statements = document.get("Statement", []) if isinstance(document, dict) else []
    return statements if isinstance(statements, list) else [statements]


def _federated_principals(document: str) -> list[str]:
    principals = []
    for statement in policy_statements(document):
        federated = (statement.get("Principal") or {}).get("Federated") if isinstance(statement, dict) else None
        principals.extend([federated] if isinstance(federated, str) else federated or [])
    return principals


def _check_trust_policy(backend, document: str) -> None:
    IAMTrustPolicyDocumentValidator(document).validate()
    for principal in _federated_principals(document):
        if ":saml-provider/" in principal:
            name = principal.split(":saml-provider/", 1)[1]
            provider = backend.saml_providers.get(name)
            if provider is None or provider.arn != principal:
                raise MalformedPolicyDocument(f'Invalid principal in policy: "Federated":"{principal}"')


class StrictIamResponse(IamResponse):
    def create_saml_provider(self) -> ActionResult:
        name = self._get_param("Name")
        document = self._get_param("SAMLMetadataDocument")
        if not 1 <= len(name or "") <= 128:
            raise _validation(name, "name", "Member must have length between 1 and 128")
        if not PROVIDER_NAME.match(name):
            raise _validation(name, "name", r"Member must satisfy regular expression pattern: [\w._-]+")
        if name in self.backend.saml_providers:
            raise EntityAlreadyExists(f"SAMLProvider {name} already exists.")
        valid_until = check_saml_metadata(document)
        tags = _tags_from_params(self._get_param("Tags", []))
        provider = self.backend.create_saml_provider(name, document)
        provider.emulator_uuid = str(uuid.uuid4())
        provider.emulator_tags = {}
        _set_tags(provider, tags)
        if valid_until:
            provider.valid_until = _parse_time(valid_until)
        return ActionResult({"SAMLProviderArn": provider.arn, "Tags": _tag_list(provider)})

    def update_saml_provider(self) -> ActionResult:
        provider = _provider_by_arn(self.backend, self._get_param("SAMLProviderArn"))
        document = self._get_param("SAMLMetadataDocument")
        if document is not None:
            valid_until = check_saml_metadata(document)
            provider.saml_metadata_document = document
            if valid_until:
                provider.valid_until = _parse_time(valid_until)
        return ActionResult({"SAMLProviderArn": provider.arn})

    def delete_saml_provider(self) -> EmptyResult:
        provider = _provider_by_arn(self.backend, self._get_param("SAMLProviderArn"))
        del self.backend.saml_providers[provider.name]
        return EmptyResult()

    def get_saml_provider(self) -> ActionResult:
        provider = _provider_by_arn(self.backend, self._get_param("SAMLProviderArn"))
        return ActionResult(
            {
                "SAMLProviderUUID": getattr(provider, "emulator_uuid", None),
                "SAMLMetadataDocument": provider.saml_metadata_document,
                "CreateDate": provider.create_date,
                "ValidUntil": provider.valid_until,
                "Tags": _tag_list(provider),
            }
        )

    def tag_saml_provider(self) -> EmptyResult:
        provider = _provider_by_arn(self.backend, self._get_param("SAMLProviderArn"))
        _set_tags(provider, _tags_from_params(self._get_param("Tags", [])))
        return EmptyResult()

    def untag_saml_provider(self) -> EmptyResult:
        provider = _provider_by_arn(self.backend, self._get_param("SAMLProviderArn"))
        for key in self._get_param("TagKeys", []):
            getattr(provider, "emulator_tags", {}).pop(key, None)
        return EmptyResult()

    def list_saml_provider_tags(self) -> ActionResult:
        provider = _provider_by_arn(self.backend, self._get_param("SAMLProviderArn"))
        return ActionResult({"Tags": _tag_list(provider), "IsTruncated": False})

    def create_role(self) -> ActionResult:
        name = self._get_param("RoleName")
        if not 1 <= len(name or "") <= 64:
            raise _validation(name, "roleName", "Member must have length between 1 and 64")
        if not ROLE_NAME.match(name):
            raise _validation(name, "roleName", r"Member must satisfy regular expression pattern: [\w+=,.@-]+")
        duration = self._get_param("MaxSessionDuration")
        if duration is not None and not 3600 <= int(duration) <= 43200:
            raise _validation(duration, "maxSessionDuration", "Member must have value between 3600 and 43200 (seconds)")
        boundary = self._get_param("PermissionsBoundary")
        if boundary and ":policy/" in boundary and boundary.split(":")[4] not in ("aws", self.current_account):
            raise InvalidInput(f"ARN {boundary} is not valid.")
        if (
            boundary
            and boundary.split(":")[4] == self.current_account
            and boundary not in self.backend.managed_policies
        ):
            raise NoSuchEntity(f"Scope ARN: {boundary} does not exist or is not attachable.")
        _check_trust_policy(self.backend, self._get_param("AssumeRolePolicyDocument") or "")
        _tags_from_params(self._get_param("Tags", []))  # moto checks lengths and count, not the aws: prefix
        return super().create_role()

    def tag_role(self) -> ActionResult:
        _tags_from_params(self._get_param("Tags", []))
        return super().tag_role()

    def update_assume_role_policy(self) -> EmptyResult:
        self.backend.get_role(self._get_param("RoleName"))  # NoSuchEntity first, as AWS does
        _check_trust_policy(self.backend, self._get_param("PolicyDocument") or "")
        return super().update_assume_role_policy()

    def update_role(self) -> ActionResult:
        duration = self._get_param("MaxSessionDuration")
        if duration is not None and not 3600 <= int(duration) <= 43200:
            raise _validation(duration, "maxSessionDuration", "Member must have value between 3600 and 43200 (seconds)")
        return super().update_role()


def _caller_principals(sts_backend, access_key: str, region: str) -> tuple[str, str, set[str]]:
    """(caller ARN as GetCallerIdentity says it, caller account, the principal ARNs that name it).

    An assumed-role session is named by its role's ARN and by its session ARN; an IAM user by its
    ARN; moto's default identity (dummy keys, arn:aws:sts::<acct>:user/moto) also by the iam form.
    """
    _user_id, arn, account = sts_backend.get_caller_identity(access_key, region)
    names = {arn}
    session = sts_backend.get_assumed_role_from_access_key(access_key)
    if session is not None:
        names.add(session.role_arn)
    elif ":sts::" in arn:
        names.add(arn.replace(":sts::", ":iam::", 1))
    return arn, account, names


def as_list(value) -> list:
    """A policy element that may be one value or a list, as a list."""
    return value if isinstance(value, list) else [] if value is None else [value]


def _action_matches(statement: dict, action: str) -> bool:
    if "NotAction" in statement:
        return not any(fnmatchcase(action.lower(), str(p).lower()) for p in as_list(statement["NotAction"]))
    return any(fnmatchcase(action.lower(), str(p).lower()) for p in as_list(statement.get("Action")))


def _principal_matches(statement: dict, account: str, names: set[str]) -> bool:
    principal = statement.get("Principal")
    if principal == "*":
        return True
    if not isinstance(principal, dict):
        return False
    for value in map(str, as_list(principal.get("AWS"))):
        if value == "*" or value in names or value == account:
            return True
        parts = value.split(":")
        if len(parts) == 6 and parts[2] == "iam" and parts[4] == account and parts[5] == "root":
            return True
    return False


def trust_decision(document: str, action: str, account: str, names: set[str]) -> str:
    """How IAM decides a trust policy for a caller: "Allow", "Deny" (an explicit Deny matched; it
    wins) or "ImplicitDeny". A statement matches when its Action (or NotAction; wildcards allowed)
    covers the action and its Principal AWS names the caller's account ("<acct>" or
    arn:aws:iam::<acct>:root), the caller's role, user or session ARN, or "*".

    Conditions are ignored (a statement with a Condition counts as if it were met): no seeded role
    has one on sts:AssumeRole. Identity-based policies of the caller are not evaluated either.
    """
    matching = [
        s
        for s in policy_statements(document)
        if isinstance(s, dict) and _action_matches(s, action) and _principal_matches(s, account, names)
    ]
    if any(s.get("Effect") == "Deny" for s in matching):
        return "Deny"
    return "Allow" if any(s.get("Effect") == "Allow" for s in matching) else "ImplicitDeny"


class StrictTokenResponse(TokenResponse):
    def assume_role(self) -> ActionResult:
        role_arn = self._get_param("RoleArn") or ""
        parts = role_arn.split(":", 5)
        account = parts[4] if len(parts) == 6 else ""
        role_name = parts[5].rsplit("/", 1)[-1] if len(parts) == 6 else ""
        partition = parts[1] if len(parts) == 6 else "aws"
        roles = iam_backends[account][partition].roles.values() if account else []
        role = next((r for r in roles if r.arn == role_arn), None) if role_name else None
        caller, caller_account, names = _caller_principals(self.backend, self.get_access_key(), self.region)
        # AWS answers the same whether the role is missing or its trust policy does not allow the
        # caller (or explicitly denies it): AccessDenied, 403. STS's model has no AccessDenied
        # shape (moto would answer 400).
        if (
            role is None
            or trust_decision(role.assume_role_policy_document or "", "sts:AssumeRole", caller_account, names)
            != "Allow"
        ):
            message = f"User: {caller} is not authorized to perform: sts:AssumeRole on resource: {role_arn}"
            raise AWSError("AccessDenied", message, 403)
        return super().assume_role()


def _tag_list(provider) -> list[dict[str, str]]:
    return [{"Key": k, "Value": v} for k, v in sorted(getattr(provider, "emulator_tags", {}).items())]


def _parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(timezone.utc).replace(tzinfo=None)


def install(emulator) -> None:
    moto.iam.urls.url_paths["{0}/$"] = StrictIamResponse.dispatch
    moto.sts.urls.url_paths["{0}/$"] = StrictTokenResponse.dispatch


ADMIN_POLICY = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})


def seed(topology: Topology) -> dict:
    # As AWS Organizations makes OrganizationAccountAccessRole: trusted by the root of the account
    # the callers come from. Every caller (tests, demo, playbooks, molecule) uses ambient dummy
    # keys, which moto maps to its default account, the topology's ambient_account; AssumeRole enforces it.
    trust = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:aws:iam::{topology.ambient_account}:root"},
                    "Action": "sts:AssumeRole",
                }
            ],
        }
    )
    arns = {}
    for name, account in topology.accounts.items():
        backend = iam_backends[account]["aws"]
        role = backend.create_role(topology.access_role, trust, "/", None, "Sandbox access", [], 3600)
        backend.put_role_policy(topology.access_role, "AdministratorAccess", ADMIN_POLICY)
        arns[name] = role.arn
    return {"access_role_arns": arns}
