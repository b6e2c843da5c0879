"""The metadata pages: IdP metadata per SAML app, unauthenticated, readable by real SAML tools,
with a real certificate that changes when it is rotated."""

from __future__ import annotations

import base64
import datetime
import json
import urllib.error
import urllib.request

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from defusedxml.ElementTree import fromstring
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT, md
from saml2.attribute_converter import ac_factory
from saml2.mdstore import InMemoryMetaData

from emulator.client import signed_control_call
from emulator.extensions.idc_model import IdcInstance, IdcState
from emulator.sandbox import IDC_INSTANCE_ARN, IDENTITY_STORE_ID, ROOT_ACCOUNT

MD = "{urn:oasis:names:tc:SAML:2.0:metadata}"
DS = "{http://www.w3.org/2000/09/xmldsig#}"


@pytest.fixture
def control(emulator, aws):
    session = aws(ROOT_ACCOUNT)

    def call(operation: str, body: dict) -> dict:
        status, answer = signed_control_call(emulator.endpoint, session, operation, body)
        assert status == 200, answer
        return answer

    return call


@pytest.fixture
def make_app(control):
    def make(name: str = "AmazonConnect-PROD-us-east-1") -> dict:
        return control("CreateApplicationInstance", {"templateId": "tpl-50e590700beb5208", "name": name})[
            "applicationInstance"
        ]

    return make


@pytest.fixture
def app(make_app):
    return make_app()


def fetch(url: str) -> tuple[str, str]:
    with urllib.request.urlopen(url, timeout=10) as response:  # no credentials at all
        return response.read().decode(), response.headers["Content-Type"]


def metadata_of(app: dict) -> str:
    return fetch(app["identityProviderConfig"]["metadataUrl"])[0]


def certificate_of(metadata: str) -> x509.Certificate:
    root = fromstring(metadata)
    path = f"{MD}IDPSSODescriptor/{MD}KeyDescriptor/{DS}KeyInfo/{DS}X509Data/{DS}X509Certificate"
    return x509.load_der_x509_certificate(base64.b64decode(root.find(path).text))


def thumbprint(certificate: x509.Certificate) -> str:
    return certificate.fingerprint(hashes.SHA1()).hex().upper()  # noqa: S303 - as the console shows it


def active_thumbprint(control, app: dict) -> str:
    certificates = control("ListApplicationInstanceCertificates", {"instanceId": app["instanceId"]})["certificates"]
    return next(c["thumbprint"] for c in certificates if c["status"] == "ACTIVE")


def test_metadata_is_served_without_credentials_as_xml(app):
    metadata, content_type = fetch(app["identityProviderConfig"]["metadataUrl"])
    assert content_type.endswith("xml")
    assert len(metadata) >= 1000
    assert (
        app["identityProviderConfig"]["metadataUrl"].split("/saml/metadata/", 1)[1]
        == base64.b64encode(f"{ROOT_ACCOUNT}_{app['instanceId']}".encode()).decode()
    )


def test_pysaml2_reads_the_idp_from_the_metadata(app):
    idp_config = app["identityProviderConfig"]
    store = InMemoryMetaData(ac_factory(), metadata=metadata_of(app))
    store.load()
    entity = idp_config["issuerUrl"]
    assert list(store.keys()) == [entity]
    for binding in (BINDING_HTTP_POST, BINDING_HTTP_REDIRECT):
        [sso] = store.service(entity, "idpsso_descriptor", "single_sign_on_service", binding)
        assert sso["location"] == idp_config["remoteLoginUrl"]
        [slo] = store.service(entity, "idpsso_descriptor", "single_logout_service", binding)
        assert slo["location"] == idp_config["remoteLogoutUrl"]
    assert len(store.certs(entity, "idpsso", "signing")) == 1
    descriptor = md.entity_descriptor_from_string(metadata_of(app))
    [idp] = descriptor.idpsso_descriptor
    assert idp.protocol_support_enumeration == "urn:oasis:names:tc:SAML:2.0:protocol"
    assert [k.use for k in idp.key_descriptor] == ["signing"]
    assert "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress" in [f.text for f in idp.name_id_format]


def test_metadata_carries_the_active_certificate(app, control):
    assert thumbprint(certificate_of(metadata_of(app))) == active_thumbprint(control, app)


def test_each_app_has_its_own_real_2048_bit_certificate_valid_5_years(app, make_app):
    cert = certificate_of(metadata_of(app))
    assert cert.public_key().key_size == 2048
    assert cert.issuer == cert.subject  # self-signed, as IdC's are
    cert.public_key().verify(
        cert.signature, cert.tbs_certificate_bytes, padding.PKCS1v15(), cert.signature_hash_algorithm
    )
    assert 5 * 365 <= (cert.not_valid_after_utc - cert.not_valid_before_utc).days <= 5 * 366
    now = datetime.datetime.now(datetime.timezone.utc)
    assert cert.not_valid_before_utc <= now < cert.not_valid_after_utc
    assert thumbprint(certificate_of(metadata_of(make_app("other")))) != thumbprint(cert)


def test_rotation_changes_the_metadata_certificate(app, emulator, control):
    before = certificate_of(metadata_of(app))
    rotated = emulator.admin("POST", "/idc/rotate-certificate", {"instance_id": app["instanceId"]})
    after = certificate_of(metadata_of(app))
    assert (rotated["previous_thumbprint"], rotated["active_thumbprint"]) == (thumbprint(before), thumbprint(after))
    assert active_thumbprint(control, app) == thumbprint(after)


def test_rotation_by_application_arn(app, emulator):
    arn = f"arn:aws:sso::{ROOT_ACCOUNT}:application/{IDC_INSTANCE_ARN.rsplit('/', 1)[1]}/apl-{app['instanceId'][4:]}"
    before = thumbprint(certificate_of(metadata_of(app)))
    rotated = emulator.admin("POST", "/idc/rotate-certificate", {"application_arn": arn})
    assert rotated["previous_thumbprint"] == before != rotated["active_thumbprint"]


def test_rotating_an_unknown_app_is_an_admin_error(emulator):
    with pytest.raises(Exception, match="400"):
        emulator.admin("POST", "/idc/rotate-certificate", {"instance_id": "ins-0000000000000000"})


def aws_error(url: str, method: str = "GET") -> tuple[int, str, dict]:
    with pytest.raises(urllib.error.HTTPError) as raised:
        urllib.request.urlopen(urllib.request.Request(url, method=method), timeout=10)
    return raised.value.code, raised.value.headers["x-amzn-ErrorType"], json.loads(raised.value.read())


def test_unknown_metadata_token_is_a_404_in_aws_shape(emulator):
    status, code, body = aws_error(f"{emulator.endpoint}/saml/metadata/bm9uZQ==")
    assert (status, code) == (404, "NotFound")
    assert "does not exist" in body["message"]


def test_a_deleted_app_has_no_metadata(app, control):
    control("DeleteApplicationInstance", {"instanceId": app["instanceId"]})
    assert aws_error(app["identityProviderConfig"]["metadataUrl"])[0] == 404


def test_metadata_is_read_only(app):
    assert aws_error(app["identityProviderConfig"]["metadataUrl"], method="POST")[:2] == (
        405,
        "MethodNotAllowedException",
    )


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


def test_model_accessors_for_the_sign_in_simulator():
    """In-process: what the sign-in simulator reads from the IdC model."""
    state = IdcState()
    instance = IdcInstance(ROOT_ACCOUNT, "us-east-1", IDC_INSTANCE_ARN, IDENTITY_STORE_ID)
    made = state.create_app(instance, "Connect")
    for reference in (made.instance_id, made.application_id, made.arn, "Connect"):
        assert state.find_app(reference) is made
    assert state.find_app("ins-0000000000000000") is None
    signature = made.signing_key.sign(b"assertion", padding.PKCS1v15(), hashes.SHA256())
    made.signing_certificate.public_key().verify(signature, b"assertion", padding.PKCS1v15(), hashes.SHA256())
    made.add_assignment("GROUP", "g-1")
    assert made.assigned_principals() == [("GROUP", "g-1")]
    assert made.configuration()["assignmentRequired"] is True
