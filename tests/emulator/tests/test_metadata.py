"""The metadata pages: IdP metadata per app, unauthenticated, readable by real SAML tools."""

from __future__ import annotations

import base64
import urllib.error
import urllib.request

import pytest
from cryptography import x509
from defusedxml.ElementTree import fromstring
from saml2 import md

from emulator.client import signed_control_call
from emulator.sandbox import ROOT_ACCOUNT

MD = "{urn:oasis:names:tc:SAML:2.0:metadata}"
DS = "{http://www.w3.org/2000/09/xmldsig#}"


@pytest.fixture
def app(emulator, aws):
    status, body = signed_control_call(
        emulator.endpoint,
        aws(ROOT_ACCOUNT),
        "CreateApplicationInstance",
        {"templateId": "tpl-50e590700beb5208", "name": "AmazonConnect-PROD-us-east-1"},
    )
    assert status == 200
    return body["applicationInstance"]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:  # no credentials at all
        return response.read().decode()


def certificate_of(metadata: str) -> x509.Certificate:
    root = fromstring(metadata)
    text = root.find(f"{MD}IDPSSODescriptor/{MD}KeyDescriptor/{DS}KeyInfo/{DS}X509Data/{DS}X509Certificate").text
    return x509.load_der_x509_certificate(base64.b64decode(text))


def test_metadata_is_served_without_credentials_and_pysaml2_reads_it(app):
    metadata = fetch(app["identityProviderConfig"]["metadataUrl"])
    assert len(metadata) >= 1000
    descriptor = md.entity_descriptor_from_string(metadata)
    assert descriptor.entity_id == app["identityProviderConfig"]["issuerUrl"]
    [idp] = descriptor.idpsso_descriptor
    assert {s.binding.rsplit(":", 1)[1] for s in idp.single_sign_on_service} == {"HTTP-POST", "HTTP-Redirect"}
    assert [k.use for k in idp.key_descriptor] == ["signing"]


def test_each_app_has_its_own_real_2048_bit_certificate_valid_5_years(app, emulator, aws):
    cert = certificate_of(fetch(app["identityProviderConfig"]["metadataUrl"]))
    assert cert.public_key().key_size == 2048
    assert 5 * 365 - 2 <= (cert.not_valid_after_utc - cert.not_valid_before_utc).days <= 5 * 366
    _status, other = signed_control_call(
        emulator.endpoint,
        aws(ROOT_ACCOUNT),
        "CreateApplicationInstance",
        {"templateId": "tpl-50e590700beb5208", "name": "other"},
    )
    other_cert = certificate_of(fetch(other["applicationInstance"]["identityProviderConfig"]["metadataUrl"]))
    assert other_cert.fingerprint(cert.signature_hash_algorithm) != cert.fingerprint(cert.signature_hash_algorithm)


def test_rotation_changes_the_metadata_certificate(app, emulator):
    url = app["identityProviderConfig"]["metadataUrl"]
    before = certificate_of(fetch(url))
    rotated = emulator.admin("POST", "/idc/rotate-certificate", {"instance_id": app["instanceId"]})
    after = certificate_of(fetch(url))
    assert before.serial_number != after.serial_number
    assert rotated["previous_thumbprint"] != rotated["active_thumbprint"]


def test_unknown_metadata_token_is_a_404_in_aws_shape(emulator):
    with pytest.raises(urllib.error.HTTPError) as error:
        fetch(f"{emulator.endpoint}/saml/metadata/bm9uZQ==")
    assert error.value.code == 404
    assert error.value.headers["x-amzn-ErrorType"] == "NotFound"
    assert b"does not exist" in error.value.read()


def test_metadata_fetch_is_logged_as_a_read_of_the_root_account(app, emulator):
    mark = emulator.mark()
    fetch(app["identityProviderConfig"]["metadataUrl"])
    [row] = emulator.requests(since=mark)
    assert (row["service"], row["operation"], row["account"], row["write"]) == (
        "sso-portal",
        "GetSamlMetadata",
        ROOT_ACCOUNT,
        False,
    )
