"""Real SAML metadata for tests: self-signed certificates (cryptography) in IdP metadata."""

from __future__ import annotations

import base64
import functools
from datetime import datetime, timedelta, timezone

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

# A 512-bit RSA certificate (CN=weak-512, valid to 2036), made once with
# `openssl req -x509 -newkey rsa:512`: cryptography refuses to generate keys this small.
WEAK_512_CERT_B64 = (
    "MIIBfTCCASegAwIBAgIUVoXBXEn6mqQWODP+V7qxspZe6acwDQYJKoZIhvcNAQELBQAwEzERMA8GA1UEAwwId2Vhay01MTIwHhcNMjYxMTI0"
    "MjAyMjMwWhcNMzYxMTIxMjAyMjMwWjATMREwDwYDVQQDDAh3ZWFrLTUxMjBcMA0GCSqGSIb3DQEBAQUAA0sAMEgCQQDMF92JqmNwRqrDPhlV"
    "cHGyji5AwmTaEW12iBoexH82OLcILrZ1xeXtxQfau4Sa5R9nVLuUV87mG7QJAHjiog9hAgMBAAGjUzBRMB0GA1UdDgQWBBS2IsLWh3W2Src7"
    "R8CYOcJMvFYhSTAfBgNVHSMEGDAWgBS2IsLWh3W2Src7R8CYOcJMvFYhSTAPBgNVHRMBAf8EBTADAQH/MA0GCSqGSIb3DQEBCwUAA0EAVd/x"
    "cwrcojsdttPXXoxlBuSKmKzvvybWjOYqnZSegmXFGKYfvyhcOsAigjuhSQk2FMFS9seR1fOU7AAAlIftHA=="
)
MD = "urn:oasis:names:tc:SAML:2.0:metadata"
DS = "http://www.w3.org/2000/09/xmldsig#"


@functools.lru_cache(maxsize=4)
def rsa_key(bits: int = 2048, index: int = 0) -> rsa.RSAPrivateKey:
    """RSA keys are slow to make; tests share a few."""
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def make_certificate_b64(cn: str = "idc-test", days: int = 1825, starts_days_ago: int = 1, key_index: int = 0) -> str:
    """A self-signed certificate as base64 DER (what X509Certificate elements hold)."""
    key = rsa_key(2048, key_index)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
    start = datetime.now(timezone.utc) - timedelta(days=starts_days_ago)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=days))
        .sign(key, hashes.SHA256())
    )
    return base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode()


def make_metadata(
    certificates: list[str] | None = None,
    entity_id: str = "https://portal.sso.us-east-1.amazonaws.com/saml/assertion/MTExMTExMTExMTExX2lucy0wMTIzNDU2Nzg5YWJjZGVm",
    sso_url: str = "https://portal.sso.us-east-1.amazonaws.com/saml/assertion/MTExMTExMTExMTExX2lucy0wMTIzNDU2Nzg5YWJjZGVm",
    prefix: str = "md",
    key_use: str | None = "signing",
    include_idp: bool = True,
) -> str:
    """IdP metadata in the shape IdC serves, with the given signing certificates."""
    certificates = certificates if certificates is not None else [make_certificate_b64()]
    p = f"{prefix}:" if prefix else ""
    use = f' use="{key_use}"' if key_use else ""
    keys = "".join(
        f'<{p}KeyDescriptor{use}><ds:KeyInfo xmlns:ds="{DS}"><ds:X509Data><ds:X509Certificate>{cert}'
        f"</ds:X509Certificate></ds:X509Data></ds:KeyInfo></{p}KeyDescriptor>"
        for cert in certificates
    )
    body = (
        f'<{p}IDPSSODescriptor WantAuthnRequestsSigned="false" '
        f'protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">{keys}'
        f"<{p}NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</{p}NameIDFormat>"
        f'<{p}SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="{sso_url}"/>'
        f'<{p}SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="{sso_url}"/>'
        f"</{p}IDPSSODescriptor>"
        if include_idp
        else f'<{p}SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">{keys}</{p}SPSSODescriptor>'
    )
    xmlns = f'xmlns:{prefix}="{MD}"' if prefix else f'xmlns="{MD}"'
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<{p}EntityDescriptor {xmlns} entityID="{entity_id}">{body}</{p}EntityDescriptor>'
