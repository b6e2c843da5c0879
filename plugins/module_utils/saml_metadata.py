# -*- coding: utf-8 -*-
# Copyright: Contributors to the connect_sso.federation collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""SAML IdP metadata: safe parsing (defusedxml only), the checks IAM applies, signing
certificates with fingerprints and expiry, and a comparison that ignores formatting."""

from __future__ import annotations

import base64
import functools
import hashlib
import traceback
from datetime import datetime, timedelta, timezone
from typing import Any, Dict, List, NamedTuple, Optional, Tuple, Union
from urllib.error import HTTPError
from urllib.parse import urlsplit

try:
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError
    from defusedxml.ElementTree import fromstring as safe_fromstring

    HAS_DEFUSEDXML = True
    DEFUSEDXML_IMPORT_ERROR = None
except ImportError:
    HAS_DEFUSEDXML = False
    DEFUSEDXML_IMPORT_ERROR = traceback.format_exc()

try:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import dsa, rsa

    HAS_CRYPTOGRAPHY = True
    CRYPTOGRAPHY_IMPORT_ERROR = None
except ImportError:
    HAS_CRYPTOGRAPHY = False
    CRYPTOGRAPHY_IMPORT_ERROR = traceback.format_exc()

from ansible.module_utils.basic import missing_required_lib
from ansible.module_utils.urls import Request, make_context
from ansible_collections.connect_sso.federation.plugins.module_utils.errors import FederationError, ValidationError
from ansible_collections.connect_sso.federation.plugins.module_utils.retries import url_retry

MD = "urn:oasis:names:tc:SAML:2.0:metadata"
DS = "http://www.w3.org/2000/09/xmldsig#"
MIN_CHARS, MAX_CHARS = 1000, 10000000  # IAM CreateSAMLProvider limits (docs/aws-facts.md#iam-saml-providers)
MIN_KEY_BITS = 1024  # IAM refuses smaller keys
EXPIRY_WARNING_DAYS = 90  # IdC shows a certificate yellow from 90 days before expiry


class Certificate(NamedTuple):
    sha256_fingerprint: str  # upper-case hex pairs joined by ':' (as openssl prints it)
    not_before: datetime
    not_after: datetime
    subject: str
    key_bits: int
    der_base64: str


class Metadata(NamedTuple):
    entity_id: str
    sso_endpoints: List[Tuple[str, str]]  # (binding, location)
    signing_certificates: List[Certificate]
    valid_until: Optional[str]


def missing_libraries() -> List[Tuple[str, Optional[str]]]:
    """(library, import traceback) of each library metadata parsing needs and cannot import."""
    return [
        (name, error)
        for name, present, error in (
            ("defusedxml", HAS_DEFUSEDXML, DEFUSEDXML_IMPORT_ERROR),
            ("cryptography", HAS_CRYPTOGRAPHY, CRYPTOGRAPHY_IMPORT_ERROR),
        )
        if not present
    ]


def _missing_message(missing: List[Tuple[str, Optional[str]]]) -> str:
    return missing_required_lib(" and ".join(name for name, _error in missing))


def require_libraries(module: Any) -> None:
    """Fail the way amazon.aws does for a missing boto3, before any metadata is read."""
    missing = missing_libraries()
    if missing:
        module.fail_json(msg=_missing_message(missing), exception=missing[0][1])


def _now(now: Optional[datetime]) -> datetime:
    return now or datetime.now(timezone.utc)


def _utc(cert: Any, name: str) -> datetime:
    value = getattr(cert, name + "_utc", None)  # cryptography >= 42
    return value if value is not None else getattr(cert, name).replace(tzinfo=timezone.utc)


def _certificate(text: str, option: str) -> Certificate:
    try:
        der = base64.b64decode("".join(text.split()), validate=True)
        cert = x509.load_der_x509_certificate(der)
    except (ValueError, TypeError) as error:
        raise ValidationError(option, text[:40] + "...", f"a signing certificate does not parse ({error})") from None
    key = cert.public_key()
    key_bits = getattr(key, "key_size", 0)
    if isinstance(key, (rsa.RSAPublicKey, dsa.DSAPublicKey)) and key_bits < MIN_KEY_BITS:
        raise ValidationError(
            option,
            cert.subject.rfc4514_string(),
            f"the signing certificate's key has {key_bits} bits; IAM requires at least {MIN_KEY_BITS}",
        )
    digest = cert.fingerprint(hashes.SHA256()).hex().upper()
    return Certificate(
        sha256_fingerprint=":".join(digest[i : i + 2] for i in range(0, len(digest), 2)),
        not_before=_utc(cert, "not_valid_before"),
        not_after=_utc(cert, "not_valid_after"),
        subject=cert.subject.rfc4514_string(),
        key_bits=key_bits,
        der_base64=base64.b64encode(der).decode(),
    )


def parse_metadata(
    text: Union[str, bytes], option: str = "metadata", now: Optional[datetime] = None, allow_expired: bool = False
) -> Metadata:
    """Parse IdP metadata and apply IAM's rules; every failure names the option and the rule."""
    missing = missing_libraries()
    if missing:  # callers that did not call require_libraries still get a message, not a NameError
        raise FederationError(_missing_message(missing))
    if isinstance(text, bytes):
        if text.startswith(b"\xef\xbb\xbf"):
            raise ValidationError(option, "<bytes>", "starts with a UTF-8 byte order mark; IAM rejects it")
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise ValidationError(option, "<bytes>", "is not UTF-8 text") from None
    if text.startswith("\ufeff"):
        raise ValidationError(option, text[:20], "starts with a byte order mark; IAM rejects it")
    if not MIN_CHARS <= len(text) <= MAX_CHARS:
        raise ValidationError(
            option, f"<{len(text)} characters>", f"IAM accepts SAML metadata of {MIN_CHARS} to {MAX_CHARS} characters"
        )
    try:
        root = safe_fromstring(text, forbid_dtd=True)
    except DefusedXmlException as error:
        raise ValidationError(
            option,
            text[:40] + "...",
            f"DOCTYPE and entity declarations are not allowed in SAML metadata ({type(error).__name__})",
        ) from None
    except ParseError as error:
        raise ValidationError(option, text[:40] + "...", f"is not well-formed XML ({error})") from None
    if root.tag != f"{{{MD}}}EntityDescriptor":
        raise ValidationError(option, root.tag, f"is not SAML metadata: the root must be an EntityDescriptor in {MD}")
    idp = root.find(f"{{{MD}}}IDPSSODescriptor")
    if idp is None:
        raise ValidationError(
            option, root.get("entityID"), "has no IDPSSODescriptor: it is not identity provider metadata"
        )
    certificates = []
    for descriptor in idp.findall(f"{{{MD}}}KeyDescriptor"):
        if descriptor.get("use", "signing") != "signing":
            continue
        for element in descriptor.iter(f"{{{DS}}}X509Certificate"):
            certificates.append(_certificate(element.text or "", option))
    if not certificates:
        raise ValidationError(option, root.get("entityID"), 'has no signing certificate (KeyDescriptor use="signing")')
    if not allow_expired:
        for cert in certificates:
            if cert.not_after <= _now(now):
                raise ValidationError(
                    option, cert.subject, f"the signing certificate expired on {cert.not_after.isoformat()}"
                )
    endpoints = [(e.get("Binding", ""), e.get("Location", "")) for e in idp.findall(f"{{{MD}}}SingleSignOnService")]
    return Metadata(root.get("entityID", ""), endpoints, certificates, root.get("validUntil"))


def certificates_expiring(
    metadata: Metadata, within_days: int = EXPIRY_WARNING_DAYS, now: Optional[datetime] = None
) -> List[Certificate]:
    """The signing certificates that expire within the given number of days."""
    limit = _now(now) + timedelta(days=within_days)
    return [cert for cert in metadata.signing_certificates if cert.not_after <= limit]


def meaningful_digest(metadata: Metadata) -> str:
    """A digest of what matters to STS: issuer, endpoints, signing certificates."""
    canonical = "\n".join(
        [metadata.entity_id]
        + sorted(f"{binding} {location}" for binding, location in metadata.sso_endpoints)
        + sorted(cert.sha256_fingerprint for cert in metadata.signing_certificates)
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def same_metadata(current: Optional[str], desired: Metadata) -> bool:
    """Whether stored metadata means the same as the desired one (formatting does not count)."""
    if not current:
        return False
    try:
        stored = parse_metadata(current, "current provider metadata", allow_expired=True)
    except ValidationError:
        return False
    return meaningful_digest(stored) == meaningful_digest(desired)


def certificate_summary(cert: Certificate) -> Dict[str, str]:
    """The public return shape of a certificate."""
    return {
        "sha256_fingerprint": cert.sha256_fingerprint,
        "not_after": cert.not_after.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "subject": cert.subject,
    }


LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})


def _allowed_url(url: str) -> bool:
    """https anywhere; plain http only when the host is exactly a loopback name (not a prefix of one)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
        _port = parts.port  # raises ValueError on a malformed port
    except ValueError:
        return False
    if not host:
        return False
    return parts.scheme == "https" or (parts.scheme == "http" and host.lower() in LOOPBACK_HOSTS)


# What the metadata URL may answer: IdC's documents are a few kilobytes, so 1 MiB is ample and keeps a
# wrong URL (a page, a download) from filling memory. IAM's own limit is in MAX_CHARS.
MAX_METADATA_BYTES = 1024 * 1024
MAX_REDIRECTS = 5
REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})


class _TooLarge(Exception):
    """The answer is larger than the limit (never retried: it is not an OSError)."""


@functools.lru_cache(maxsize=None)
def tls_context() -> Any:
    """The process's one TLS context for metadata downloads, certificates checked: loading the
    system's CA certificates costs about 0.1 s each time, more than the download itself. The
    controller makes it before its workers fork (plugin_utils/in_process.py)."""
    return make_context(validate_certs=True)


@url_retry
def _download(url: str, limit: int) -> bytes:
    """One GET (retried on 429, 5xx, resets and timeouts), redirects not followed: the caller checks
    where each leads. Reads at most limit + 1 bytes."""
    response = Request().open(
        "GET", url, timeout=30, validate_certs=True, follow_redirects="none", context=tls_context()
    )
    length = response.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > limit:
        response.close()
        raise _TooLarge(length)
    body = response.read(limit + 1)
    if len(body) > limit:
        raise _TooLarge(f"more than {limit}")
    return body


def _check_redirect(first: str, target: str, option: str) -> None:
    """A redirect may stay on the first URL's host (and port), over https (plain http only where the
    first URL was plain http on loopback); anything else could hand IAM metadata from someone else."""
    start, there = urlsplit(first), urlsplit(target)
    try:
        same_host = (there.hostname or "").lower() == (start.hostname or "").lower() and there.port == start.port
    except ValueError:
        same_host = False
    if not same_host:
        raise ValidationError(
            option,
            first,
            f"redirects to another host ({there.hostname}); a redirect may only stay on {start.hostname}",
        )
    if there.scheme != "https" and not (there.scheme == start.scheme == "http"):
        raise ValidationError(
            option, first, f"redirects to {target!r}, which is not https; the metadata must come over https"
        )


def fetch_metadata(url: str, option: str = "metadata_url") -> str:
    """Download metadata (IdC serves it without credentials): https only, except on loopback; redirects only
    on the same host over https; at most MAX_METADATA_BYTES; transient failures retried (retries.url_retry)."""
    if not isinstance(url, str) or not _allowed_url(url):
        raise ValidationError(
            option, url, "must be an https URL (plain http only on loopback: 127.0.0.1, ::1 or localhost)"
        )
    current = url
    for _hop in range(MAX_REDIRECTS + 1):
        try:
            body = _download(current, MAX_METADATA_BYTES)
        except HTTPError as error:
            if error.code not in REDIRECT_CODES:
                raise ValidationError(option, url, f"could not be fetched (HTTP {error.code} {error.reason})") from None
            target = error.filename or ""
            error.close()
            _check_redirect(url, target, option)
            current = target
            continue
        except _TooLarge:
            raise ValidationError(
                option,
                url,
                f"the answer is larger than {MAX_METADATA_BYTES} bytes (1 MiB), the limit for SAML metadata; "
                "is this the application's metadata URL?",
            ) from None
        except Exception as error:  # urllib, ssl and socket raise many types; all mean "could not fetch"
            raise ValidationError(option, url, f"could not be fetched ({error})") from None
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError:
            raise ValidationError(option, url, "the answer is not UTF-8 text, so not SAML metadata") from None
    raise ValidationError(option, url, f"more than {MAX_REDIRECTS} redirects")
