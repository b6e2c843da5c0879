"""The IAM Identity Center state shared by the public sso-admin API and the console
(control) API: the IdC instance, and SAML applications with their configuration,
certificates, assignments and profiles. Plain Python; cleared on reset."""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from xml.sax.saxutils import escape, quoteattr

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

CUSTOM_SAML_TEMPLATE = "tpl-50e590700beb5208"  # the console's "Custom SAML 2.0 application" (aws-facts §1.3)
CUSTOM_SAML_PROVIDER = "arn:aws:sso::aws:applicationProvider/custom-saml"
CUSTOM_OAUTH_PROVIDER = "arn:aws:sso::aws:applicationProvider/custom"
CERTIFICATE_YEARS = 5  # IdC's default certificate validity (aws-facts §5.1)
NAMEID_FORMATS = (
    "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
    "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent",
    "urn:oasis:names:tc:SAML:2.0:nameid-format:transient",
    "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified",
)


def _now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class IdcInstance:
    account: str
    region: str
    arn: str
    identity_store_id: str
    created: datetime = field(default_factory=_now)

    @property
    def ssoins(self) -> str:
        return self.arn.rsplit("/", 1)[1]


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
    def thumbprint(self) -> str:
        return self.cert.fingerprint(hashes.SHA1()).hex().upper()  # noqa: S303 - the console shows SHA-1 thumbprints

    def summary(self) -> dict:
        return {
            "certificateId": self.certificate_id,
            "status": self.status,
            "expiryDate": self.cert.not_valid_after_utc.timestamp(),
            "thumbprint": self.thumbprint,
            "type": "SAML_SIGNING",
        }


def new_certificate(common_name: str) -> Certificate:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    start = _now() - timedelta(minutes=5)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=365 * CERTIFICATE_YEARS))
        .sign(key, hashes.SHA256())
    )
    return Certificate(f"cert-{secrets.token_hex(8)}", key, cert)


@dataclass
class App:
    hex: str
    instance: IdcInstance
    display_name: str
    template_id: str = CUSTOM_SAML_TEMPLATE
    description: str = ""
    status: str = "DISABLED"  # inferred: the console wizard enables the app as its last step
    sp_config: dict = field(default_factory=dict)
    response_config: dict = field(default_factory=dict)
    response_schema_config: dict = field(default_factory=dict)
    certificates: list[Certificate] = field(default_factory=list)
    tags: dict[str, str] = field(default_factory=dict)
    assignment_required: bool = True
    assignments: dict[tuple[str, str], dict] = field(default_factory=dict)  # (type, principal id) -> assignment
    profiles: dict[str, dict] = field(default_factory=dict)
    portal_options: dict = field(
        default_factory=lambda: {"SignInOptions": {"Origin": "IDENTITY_CENTER"}, "Visibility": "ENABLED"}
    )
    created: datetime = field(default_factory=_now)

    @property
    def instance_id(self) -> str:
        return f"ins-{self.hex}"

    @property
    def application_id(self) -> str:
        return f"apl-{self.hex}"

    @property
    def arn(self) -> str:
        return f"arn:aws:sso::{self.instance.account}:application/{self.instance.ssoins}/{self.application_id}"

    @property
    def token(self) -> str:
        """The last segment of the metadata URL: base64('<account>_ins-<hex>') (aws-facts §2.2)."""
        return base64.b64encode(f"{self.instance.account}_{self.instance_id}".encode()).decode()

    @property
    def issuer(self) -> str:
        return f"https://portal.sso.{self.instance.region}.amazonaws.com/saml/assertion/{self.token}"

    @property
    def active_certificate(self) -> Certificate:
        return next(c for c in self.certificates if c.status == "ACTIVE")

    def metadata_url(self, endpoint: str) -> str:
        return f"{endpoint}/saml/metadata/{self.token}"

    def published(self, endpoint: str) -> dict:
        """GetApplicationInstance's published shape (aws-facts §2.2)."""
        return {
            "instanceId": self.instance_id,
            "display": {"displayName": self.display_name, "description": self.description},
            "identityProviderConfig": {
                "metadataUrl": self.metadata_url(endpoint),
                "issuerUrl": self.issuer,
                "remoteLoginUrl": self.issuer,
                "remoteLogoutUrl": f"https://portal.sso.{self.instance.region}.amazonaws.com/saml/logout/{self.token}",
            },
            "serviceProviderConfig": self.sp_config,
            "status": self.status,
            "template": {"sSOProtocol": "SAML", "templateId": self.template_id},
        }

    def metadata(self) -> str:
        """The IdP metadata IdC publishes for this app, signed by nobody, served to anybody."""
        sso = quoteattr(self.issuer)
        logout = quoteattr(f"https://portal.sso.{self.instance.region}.amazonaws.com/saml/logout/{self.token}")
        formats = "".join(f"<md:NameIDFormat>{escape(f)}</md:NameIDFormat>" for f in NAMEID_FORMATS)
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
            f'<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID={quoteattr(self.issuer)}>'
            '<md:IDPSSODescriptor WantAuthnRequestsSigned="false" '
            'protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">'
            '<md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#">'
            f"<ds:X509Data><ds:X509Certificate>{self.active_certificate.der_base64}</ds:X509Certificate>"
            "</ds:X509Data></ds:KeyInfo></md:KeyDescriptor>"
            f'<md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location={logout}/>'
            f'<md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location={logout}/>'
            f"{formats}"
            f'<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location={sso}/>'
            f'<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location={sso}/>'
            "</md:IDPSSODescriptor></md:EntityDescriptor>"
        )

    def add_assignment(self, principal_type: str, principal_id: str) -> None:
        self.assignments[(principal_type, principal_id)] = {
            "ApplicationArn": self.arn,
            "PrincipalType": principal_type,
            "PrincipalId": principal_id,
        }
        if not self.profiles:  # inferred: IdC makes a profile when the app gets its first assignment
            profile_id = f"p-{secrets.token_hex(8)}"
            self.profiles[profile_id] = {"profileId": profile_id, "name": "Default", "status": "ENABLED"}

    def rotate_certificate(self) -> tuple[str, str]:
        old = self.active_certificate
        new = new_certificate(self.display_name or self.instance_id)
        old.status = "INACTIVE"
        self.certificates.append(new)
        return old.thumbprint, new.thumbprint


@dataclass
class IdcState:
    instances: dict[tuple[str, str], IdcInstance] = field(default_factory=dict)
    apps: dict[str, App] = field(default_factory=dict)  # hex -> app

    def instance_for(self, account: str, region: str) -> IdcInstance | None:
        return self.instances.get((account, region))

    def create_app(self, instance: IdcInstance, display_name: str, template_id: str = CUSTOM_SAML_TEMPLATE) -> App:
        app = App(secrets.token_hex(8), instance, display_name, template_id)
        app.certificates.append(new_certificate(display_name or app.instance_id))
        self.apps[app.hex] = app
        return app

    def apps_of(self, instance: IdcInstance) -> list[App]:
        return sorted((a for a in self.apps.values() if a.instance is instance), key=lambda a: a.created)

    def app_by_instance_id(self, instance_id: str) -> App | None:
        if not isinstance(instance_id, str) or not instance_id.startswith("ins-"):
            return None
        return self.apps.get(instance_id[4:])

    def app_by_arn(self, arn: str) -> App | None:
        app = self.apps.get(arn.rsplit("/apl-", 1)[-1]) if isinstance(arn, str) else None
        return app if app is not None and app.arn == arn else None

    def app_by_token(self, token: str) -> App | None:
        return next((a for a in self.apps.values() if a.token == token), None)


STATE = IdcState()


def reset() -> None:
    STATE.instances.clear()
    STATE.apps.clear()
