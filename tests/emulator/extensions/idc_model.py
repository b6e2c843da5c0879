"""The IAM Identity Center state shared by the public sso-admin API, the console (control) API,
the metadata pages and the sign-in simulator: the IdC instance, and applications with their
configuration, certificates, tags, assignments and profiles. Plain Python; cleared on reset.

Accessors for other parts of the emulator (the sign-in simulator):
- find_app(reference) -> App | None: by ins-/apl- id, application ARN or display name
- App.signing_key / App.signing_certificate: the ACTIVE certificate's RSA key and X.509 certificate
- App.configuration(): service provider, response and response schema configuration, status,
  assignment-required flag
- App.assigned_principals(): [(USER|GROUP, principal id)]
- App.sp_config, App.response_config, App.response_schema_config, App.assignments (dicts)
"""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

# The console's "Custom SAML 2.0 application" (docs/aws-facts.md#application-ids-and-provider-arns).
CUSTOM_SAML_TEMPLATE = "tpl-50e590700beb5208"
CUSTOM_SAML_PROVIDER = "arn:aws:sso::aws:applicationProvider/custom-saml"
CUSTOM_OAUTH_PROVIDER = "arn:aws:sso::aws:applicationProvider/custom"
# What custom-saml resolves to inside IdC: CreateApplication's refusal names it
# (docs/aws-facts.md#application-ids-and-provider-arns).
CUSTOM_SAML_PROVIDER_INTERNAL = "arn:aws:sso::aws:applicationProvider/app-50e590700beb5208"
CERTIFICATE_YEARS = 5  # IdC's default certificate validity (docs/aws-facts.md#certificate-rotation-and-stale-metadata)
CERTIFICATE_KEY_BITS = 2048
MAX_CERTIFICATES = 2  # at most two certificates per app (docs/aws-facts.md#certificate-rotation-and-stale-metadata)
NAMEID_FORMATS = (
    "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
    "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent",
    "urn:oasis:names:tc:SAML:2.0:nameid-format:transient",
    "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified",
)


def _now() -> datetime:
    return datetime.now(timezone.utc)


def new_hex() -> str:
    return secrets.token_hex(8)


@dataclass
class IdcInstance:
    account: str
    region: str
    arn: str
    identity_store_id: str
    name: str = ""
    created: datetime = field(default_factory=_now)
    tags: dict[str, str] = field(default_factory=dict)

    @property
    def ssoins(self) -> str:
        return self.arn.rsplit("/", 1)[1]

    @property
    def identity_store_arn(self) -> str:
        return f"arn:aws:identitystore::{self.account}:identitystore/{self.identity_store_id}"

    def summary(self) -> dict:
        """ListInstances' / DescribeInstance's shape."""
        shape = {
            "InstanceArn": self.arn,
            "IdentityStoreId": self.identity_store_id,
            "OwnerAccountId": self.account,
            "CreatedDate": self.created.timestamp(),
            "Status": "ACTIVE",
        }
        if self.name:
            shape["Name"] = self.name
        return shape


@dataclass
class Certificate:
    certificate_id: str
    key: rsa.RSAPrivateKey
    cert: x509.Certificate
    status: str = "ACTIVE"

    @property
    def der_base64(self) -> str:
        return base64.b64encode(self.cert.public_bytes(serialization.Encoding.DER)).decode()

    @property
    def pem(self) -> str:
        return self.cert.public_bytes(serialization.Encoding.PEM).decode()

    @property
    def thumbprint(self) -> str:
        return self.cert.fingerprint(hashes.SHA1()).hex().upper()  # noqa: S303 - the console shows SHA-1 thumbprints

    def summary(self) -> dict:
        """ListApplicationInstanceCertificates' shape. expiryDate is a string in the published model;
        its exact format is unknown (inferred: ISO-8601 UTC). The type value is inferred too."""
        return {
            "certificateId": self.certificate_id,
            "status": self.status,
            "expiryDate": self.cert.not_valid_after_utc.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "thumbprint": self.thumbprint,
            "type": "SAML_SIGNING",
        }


def new_certificate(common_name: str, valid_days: int | None = None) -> Certificate:
    """A self-signed 2048-bit RSA certificate valid 5 years, as IdC makes for each SAML app;
    `valid_days` for another validity from now (0 or less: one that has expired, for tests)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=CERTIFICATE_KEY_BITS)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "US"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Amazon Web Services"),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "IAM Identity Center"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )
    start = _now().replace(microsecond=0) - timedelta(minutes=5)
    end = start + timedelta(days=365 * CERTIFICATE_YEARS + 1)
    if valid_days is not None:
        end = start + timedelta(days=valid_days)
        start = min(start, end - timedelta(days=365))
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .sign(key, hashes.SHA256())
    )
    return Certificate(f"cert-{new_hex()}", key, cert)


@dataclass
class App:
    hex: str
    instance: IdcInstance
    display_name: str
    provider: str = CUSTOM_SAML_PROVIDER
    template_id: str = CUSTOM_SAML_TEMPLATE
    name: str = ""  # CreateApplicationInstance's `name`
    description: str = ""
    status: str = "DISABLED"  # inferred: the console wizard enables a new SAML app as its last step
    sp_config: dict = field(default_factory=dict)
    response_config: dict = field(default_factory=dict)
    response_schema_config: dict = field(default_factory=dict)
    certificates: list[Certificate] = field(default_factory=list)
    tags: dict[str, str] = field(default_factory=dict)
    assignment_required: bool = True  # the default (docs/aws-facts.md#what-the-public-api-can-do)
    assignments: dict[tuple[str, str], dict] = field(default_factory=dict)  # (type, principal id) -> assignment
    profiles: dict[str, dict] = field(default_factory=dict)  # profile id -> profile
    portal_options: dict = field(
        default_factory=lambda: {"SignInOptions": {"Origin": "IDENTITY_CENTER"}, "Visibility": "ENABLED"}
    )
    created: datetime = field(default_factory=_now)
    client_token: str = ""
    request_digest: str = ""  # what CreateApplication was asked, for ClientToken idempotency

    # --- identity -----------------------------------------------------------------------------
    @property
    def instance_id(self) -> str:
        """The control API's id: ins-<hex>, the same hex as the public apl-<hex>."""
        return f"ins-{self.hex}"

    @property
    def application_id(self) -> str:
        return f"apl-{self.hex}"

    @property
    def arn(self) -> str:
        return f"arn:aws:sso::{self.instance.account}:application/{self.instance.ssoins}/{self.application_id}"

    @property
    def is_saml(self) -> bool:
        return self.provider == CUSTOM_SAML_PROVIDER

    # --- the IdP side: URLs and certificates ---------------------------------------------------
    @property
    def token(self) -> str:
        """The last segment of the metadata URL: base64('<account>_ins-<hex>')
        (docs/aws-facts.md#metadata-url-and-issuer)."""
        return base64.b64encode(f"{self.instance.account}_{self.instance_id}".encode()).decode()

    @property
    def portal(self) -> str:
        return f"https://portal.sso.{self.instance.region}.amazonaws.com"

    @property
    def issuer(self) -> str:
        """entityID of the IdP metadata, Issuer of the assertions, and the SSO (login) URL."""
        return f"{self.portal}/saml/assertion/{self.token}"

    @property
    def logout_url(self) -> str:
        return f"{self.portal}/saml/logout/{self.token}"

    def metadata_url(self, endpoint: str) -> str:
        """AWS serves it at https://portal.sso.<region>.amazonaws.com/saml/metadata/<token>; the
        emulator serves the same path on its own endpoint."""
        return f"{endpoint}/saml/metadata/{self.token}"

    @property
    def active_certificate(self) -> Certificate:
        return next(c for c in self.certificates if c.status == "ACTIVE")

    @property
    def signing_key(self) -> rsa.RSAPrivateKey:
        return self.active_certificate.key

    @property
    def signing_certificate(self) -> x509.Certificate:
        return self.active_certificate.cert

    def rotate_certificate(self, valid_days: int | None = None) -> tuple[str, str]:
        """The console's rotation: a new certificate becomes ACTIVE, the old one INACTIVE. An app
        holds at most two, so an older inactive one is deleted first, as the console asks.
        valid_days: the new certificate's validity (the console's choice of months; 0 or less: expired)."""
        old, new = self.active_certificate, new_certificate(self.instance_id, valid_days)
        old.status = "INACTIVE"
        self.certificates = [old, new][-MAX_CERTIFICATES:]
        return old.thumbprint, new.thumbprint

    # --- configuration and assignments ---------------------------------------------------------
    def configuration(self) -> dict:
        return {
            "serviceProviderConfig": self.sp_config,
            "responseConfig": self.response_config,
            "responseSchemaConfig": self.response_schema_config,
            "status": self.status,
            "assignmentRequired": self.assignment_required,
        }

    def assigned_principals(self) -> list[tuple[str, str]]:
        return list(self.assignments)

    def add_assignment(self, principal_type: str, principal_id: str) -> None:
        self.assignments[(principal_type, principal_id)] = {
            "ApplicationArn": self.arn,
            "PrincipalType": principal_type,
            "PrincipalId": principal_id,
        }
        if not self.profiles:  # inferred: IdC makes a profile when the app gets its first assignment
            profile_id = f"p-{new_hex()}"
            self.profiles[profile_id] = {"name": "Default", "profileId": profile_id, "status": "ENABLED"}

    def remove_assignment(self, principal_type: str, principal_id: str) -> bool:
        return self.assignments.pop((principal_type, principal_id), None) is not None


@dataclass
class IdcState:
    instances: dict[tuple[str, str], IdcInstance] = field(default_factory=dict)  # (account, region) -> instance
    apps: dict[str, App] = field(default_factory=dict)  # hex -> app
    permission_set_tags: dict[str, dict[str, str]] = field(default_factory=dict)  # moto keeps none

    def instance_for(self, account: str, region: str) -> IdcInstance | None:
        return self.instances.get((account, region))

    def instance_by_arn(self, arn: str) -> IdcInstance | None:
        return next((i for i in self.instances.values() if i.arn == arn), None)

    def create_app(
        self, instance: IdcInstance, display_name: str, provider: str = CUSTOM_SAML_PROVIDER, name: str = ""
    ) -> App:
        hex_id = new_hex()
        while hex_id in self.apps:
            hex_id = new_hex()
        app = App(hex_id, instance, display_name, provider=provider, name=name or display_name)
        if app.is_saml:
            app.certificates.append(new_certificate(app.instance_id))
        else:
            app.template_id, app.status = "", "ENABLED"
        self.apps[app.hex] = app
        return app

    def delete_app(self, app: App) -> None:
        self.apps.pop(app.hex, None)

    def apps_of(self, instance: IdcInstance) -> list[App]:
        return sorted((a for a in self.apps.values() if a.instance is instance), key=lambda a: a.created)

    def app_by_instance_id(self, instance_id: str) -> App | None:
        if not isinstance(instance_id, str) or not instance_id.startswith("ins-"):
            return None
        return self.apps.get(instance_id[4:])

    def app_by_application_id(self, application_id: str) -> App | None:
        if not isinstance(application_id, str) or not application_id.startswith("apl-"):
            return None
        return self.apps.get(application_id[4:])

    def app_by_arn(self, arn: str) -> App | None:
        app = self.apps.get(arn.rsplit("/apl-", 1)[-1]) if isinstance(arn, str) else None
        return app if app is not None and app.arn == arn else None

    def app_by_token(self, token: str) -> App | None:
        return next((a for a in self.apps.values() if a.is_saml and a.token == token), None)

    def find_app(self, reference: str) -> App | None:
        """By ins-<hex>, apl-<hex>, application ARN or display name."""
        return (
            self.app_by_instance_id(reference)
            or self.app_by_application_id(reference)
            or self.app_by_arn(reference)
            or next((a for a in self.apps.values() if a.display_name == reference), None)
        )


STATE = IdcState()


def find_app(reference: str) -> App | None:
    return STATE.find_app(reference)


def reset() -> None:
    STATE.instances.clear()
    STATE.apps.clear()
    STATE.permission_set_tags.clear()
