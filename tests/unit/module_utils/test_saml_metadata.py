"""SAML metadata: IAM's rules, safe parsing, certificates, and formatting-blind comparison."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from ansible_collections.connect_sso.federation.plugins.module_utils import saml_metadata
from ansible_collections.connect_sso.federation.plugins.module_utils.errors import ValidationError
from samlfixtures import WEAK_512_CERT_B64, make_certificate_b64, make_metadata


@pytest.fixture(scope="module")
def cert():
    return make_certificate_b64("idc-a")


@pytest.fixture(scope="module")
def other_cert():
    return make_certificate_b64("idc-b", key_index=1)


def test_idc_style_metadata_parses(cert):
    metadata = saml_metadata.parse_metadata(make_metadata([cert]))
    assert metadata.entity_id.startswith("https://portal.sso.us-east-1.amazonaws.com/saml/assertion/")
    assert [binding.rsplit(":", 1)[1] for binding, _location in metadata.sso_endpoints] == [
        "HTTP-POST",
        "HTTP-Redirect",
    ]
    [certificate] = metadata.signing_certificates
    assert certificate.key_bits == 2048
    assert certificate.subject == "CN=idc-a"
    assert len(certificate.sha256_fingerprint.split(":")) == 32


def test_certificate_summary_is_the_public_return_shape(cert):
    [certificate] = saml_metadata.parse_metadata(make_metadata([cert])).signing_certificates
    summary = saml_metadata.certificate_summary(certificate)
    assert set(summary) == {"sha256_fingerprint", "not_after", "subject"}
    assert summary["not_after"].endswith("Z")


def test_key_descriptor_without_use_counts_as_signing(cert):
    assert saml_metadata.parse_metadata(make_metadata([cert], key_use=None)).signing_certificates


def test_encryption_only_key_is_not_a_signing_certificate(cert):
    with pytest.raises(ValidationError, match="no signing certificate"):
        saml_metadata.parse_metadata(make_metadata([cert], key_use="encryption"))


def test_metadata_with_a_bom_is_rejected(cert):
    text = make_metadata([cert])
    with pytest.raises(ValidationError, match="byte order mark"):
        saml_metadata.parse_metadata("\ufeff" + text)
    with pytest.raises(ValidationError, match="byte order mark"):
        saml_metadata.parse_metadata(b"\xef\xbb\xbf" + text.encode())


def test_metadata_under_1000_characters_is_rejected():
    with pytest.raises(ValidationError) as error:
        saml_metadata.parse_metadata("<x/>" * 10, option="metadata_path")
    assert (
        str(error.value) == "metadata_path='<40 characters>': IAM accepts SAML metadata of 1000 to 10000000 characters"
    )


def test_metadata_that_is_not_xml_is_rejected():
    with pytest.raises(ValidationError, match="not well-formed XML"):
        saml_metadata.parse_metadata("this is not xml " * 100)


def test_metadata_with_doctype_is_rejected(cert):
    xxe = '<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' + make_metadata(
        [cert]
    ).split("?>", 1)[1].replace('entityID="', 'entityID="&xxe;', 1)
    with pytest.raises(ValidationError, match="DOCTYPE and entity declarations are not allowed"):
        saml_metadata.parse_metadata(xxe)


def test_billion_laughs_is_rejected_without_expanding(cert):
    lol = "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    bomb = f'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">{lol}]><lolz>&lol9;</lolz>' + " " * 1000
    with pytest.raises(ValidationError, match="DOCTYPE and entity declarations are not allowed"):
        saml_metadata.parse_metadata(bomb)


def test_xml_that_is_not_saml_metadata_is_rejected():
    with pytest.raises(ValidationError, match="is not SAML metadata"):
        saml_metadata.parse_metadata("<root>" + "x" * 1000 + "</root>")


def test_sp_metadata_without_idpssodescriptor_is_rejected(cert):
    with pytest.raises(ValidationError, match="has no IDPSSODescriptor"):
        saml_metadata.parse_metadata(make_metadata([cert], include_idp=False))


def test_metadata_without_certificates_is_rejected():
    with pytest.raises(ValidationError, match="no signing certificate"):
        saml_metadata.parse_metadata(make_metadata([]) + " " * 1000)


def test_512_bit_key_is_rejected():
    with pytest.raises(ValidationError, match="key has 512 bits; IAM requires at least 1024"):
        saml_metadata.parse_metadata(make_metadata([WEAK_512_CERT_B64]))


def test_certificate_that_does_not_parse_is_rejected():
    with pytest.raises(ValidationError, match="does not parse"):
        saml_metadata.parse_metadata(make_metadata(["bm90IGEgY2VydGlmaWNhdGU="]) + " " * 500)


def test_expired_certificate_is_rejected_unless_allowed():
    expired = make_certificate_b64("old", days=10, starts_days_ago=20)
    with pytest.raises(ValidationError, match="expired on"):
        saml_metadata.parse_metadata(make_metadata([expired]))
    assert saml_metadata.parse_metadata(make_metadata([expired]), allow_expired=True).signing_certificates


def test_expiring_within_90_days_is_reported(cert):
    soon = make_certificate_b64("soon", days=60, starts_days_ago=1)
    metadata = saml_metadata.parse_metadata(make_metadata([cert, soon]))
    assert [c.subject for c in saml_metadata.certificates_expiring(metadata)] == ["CN=soon"]
    later = datetime.now(timezone.utc) + timedelta(days=1900)
    assert len(saml_metadata.certificates_expiring(metadata, now=later)) == 2


def test_whitespace_prefix_and_attribute_order_are_not_a_change(cert):
    original = make_metadata([cert])
    reformatted = (
        make_metadata([cert], prefix="")
        .replace("><", ">\n  <")
        .replace('WantAuthnRequestsSigned="false" protocolSupportEnumeration', "protocolSupportEnumeration")
        .replace('<?xml version="1.0" encoding="UTF-8"?>', "<!-- served by IdC -->")
    )
    assert reformatted != original
    assert saml_metadata.same_metadata(reformatted, saml_metadata.parse_metadata(original))


def test_swapped_certificate_is_a_change(cert, other_cert):
    current = make_metadata([cert])
    rotated = saml_metadata.parse_metadata(make_metadata([other_cert]))
    assert not saml_metadata.same_metadata(current, rotated)


def test_added_second_certificate_is_a_change(cert, other_cert):
    both = saml_metadata.parse_metadata(make_metadata([cert, other_cert]))
    assert not saml_metadata.same_metadata(make_metadata([cert]), both)


def test_unparseable_stored_metadata_counts_as_different(cert):
    assert not saml_metadata.same_metadata("garbage", saml_metadata.parse_metadata(make_metadata([cert])))
    assert not saml_metadata.same_metadata(None, saml_metadata.parse_metadata(make_metadata([cert])))
