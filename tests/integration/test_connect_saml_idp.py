"""connect_saml_idp through ansible-playbook against the emulator, in an assumed account."""

from __future__ import annotations

import pytest
from samlfixtures import WEAK_512_CERT_B64, make_certificate_b64, make_metadata

from emulator.client import signed_control_call
from emulator.sandbox import ACCOUNTS, ROOT_ACCOUNT

pytestmark = pytest.mark.slow
PROD = ACCOUNTS["prod"]
NAME = "AWSSSO_PROD_us-west-2_Connect"


@pytest.fixture(scope="module")
def metadata():
    return make_metadata([make_certificate_b64("idc-one")])


@pytest.fixture(scope="module")
def rotated():
    return make_metadata([make_certificate_b64("idc-two", key_index=1)])


def iam_writes(emulator, mark):
    return [r["operation"] for r in emulator.writes(since=mark) if r["service"] == "iam"]


def module_calls(emulator, mark):
    """Every call since mark but the AssumeRole run_module makes to get the account's credentials."""
    return [r["operation"] for r in emulator.requests(since=mark) if r["operation"] != "AssumeRole"]


def test_create_then_rerun_makes_no_write(run_module, emulator, metadata, client_for):
    out = run_module("connect_saml_idp", {"name": NAME, "metadata": metadata, "tags": {"env": "prod"}}, account=PROD)
    assert not out.failed, out.msg
    assert out.result["changed"] is True
    assert out.result["arn"] == f"arn:aws:iam::{PROD}:saml-provider/{NAME}"
    assert out.result["certificates"][0]["subject"] == "CN=idc-one"
    tags = client_for("iam", PROD).list_saml_provider_tags(SAMLProviderArn=out.result["arn"])["Tags"]
    assert {"Key": "managed-by", "Value": "connect_sso.federation"} in tags

    mark = emulator.mark()
    again = run_module("connect_saml_idp", {"name": NAME, "metadata": metadata, "tags": {"env": "prod"}}, account=PROD)
    assert again.result["changed"] is False
    assert iam_writes(emulator, mark) == []


def test_check_mode_makes_no_write_and_reports_the_change(run_module, emulator, metadata):
    mark = emulator.mark()
    out = run_module("connect_saml_idp", {"name": NAME, "metadata": metadata}, account=PROD, check=True, diff=True)
    assert out.result["changed"] is True
    assert out.result["diff"]["before"] == {}
    assert out.result["diff"]["after"]["name"] == NAME
    assert iam_writes(emulator, mark) == []


def test_reformatted_metadata_is_not_a_change(run_module, emulator, metadata):
    run_module("connect_saml_idp", {"name": NAME, "metadata": metadata}, account=PROD)
    mark = emulator.mark()
    out = run_module("connect_saml_idp", {"name": NAME, "metadata": metadata.replace("><", ">\n  <")}, account=PROD)
    assert out.result["changed"] is False
    assert iam_writes(emulator, mark) == []


def test_certificate_change_updates_the_provider_and_shows_in_the_diff(run_module, emulator, metadata, rotated):
    first = run_module("connect_saml_idp", {"name": NAME, "metadata": metadata}, account=PROD)
    mark = emulator.mark()
    out = run_module("connect_saml_idp", {"name": NAME, "metadata": rotated}, account=PROD, diff=True)
    assert out.result["changed"] is True
    before, after = out.result["diff"]["before"], out.result["diff"]["after"]
    assert before["signing_certificates"] == [first.result["certificates"][0]["sha256_fingerprint"]]
    assert after["signing_certificates"] == [out.result["certificates"][0]["sha256_fingerprint"]]
    assert before["signing_certificates"] != after["signing_certificates"]
    assert iam_writes(emulator, mark) == ["UpdateSAMLProvider"]


def test_metadata_from_the_idc_metadata_url(run_module, emulator, aws):
    _status, body = signed_control_call(
        emulator.endpoint,
        aws(ROOT_ACCOUNT),
        "CreateApplicationInstance",
        {"templateId": "tpl-50e590700beb5208", "name": "AmazonConnect-PROD-us-west-2"},
    )
    app = body["applicationInstance"]
    out = run_module(
        "connect_saml_idp", {"name": NAME, "metadata_url": app["identityProviderConfig"]["metadataUrl"]}, account=PROD
    )
    assert not out.failed, out.msg
    assert out.result["entity_id"] == app["identityProviderConfig"]["issuerUrl"]


def test_metadata_from_a_file(run_module, tmp_path, metadata):
    path = tmp_path / "idc.xml"
    path.write_text(metadata)
    out = run_module("connect_saml_idp", {"name": NAME, "metadata_path": str(path)}, account=PROD)
    assert out.result["changed"] is True


def test_absent_deletes_what_the_collection_owns(run_module, emulator, metadata):
    run_module("connect_saml_idp", {"name": NAME, "metadata": metadata}, account=PROD)
    out = run_module("connect_saml_idp", {"name": NAME, "state": "absent"}, account=PROD)
    assert (out.result["changed"], out.result["arn"]) == (True, None)
    again = run_module("connect_saml_idp", {"name": NAME, "state": "absent"}, account=PROD)
    assert again.result["changed"] is False


def test_absent_refuses_a_provider_it_does_not_own_unless_forced(run_module, client_for, metadata):
    client_for("iam", PROD).create_saml_provider(Name="HandMade", SAMLMetadataDocument=metadata)
    out = run_module("connect_saml_idp", {"name": "HandMade", "state": "absent"}, account=PROD)
    assert out.failed and "not created by this collection" in out.msg
    forced = run_module("connect_saml_idp", {"name": "HandMade", "state": "absent", "force": True}, account=PROD)
    assert forced.result["changed"] is True


def test_certificate_expiring_within_90_days_warns(run_module):
    soon = make_metadata([make_certificate_b64("soon", days=30)])
    out = run_module("connect_saml_idp", {"name": NAME, "metadata": soon}, account=PROD)
    assert not out.failed
    assert any("expires on" in w for w in out.result.get("warnings", []))


BAD_METADATA = {
    "not-xml": ("not xml " * 200, "is not well-formed XML"),
    "not-saml": ("<root>" + "x" * 1200 + "</root>", "is not SAML metadata"),
    "no-idpssodescriptor": (None, "has no IDPSSODescriptor"),
    "no-signing-certificate": (None, "no signing certificate"),
    "xxe": (None, "DOCTYPE and entity declarations are not allowed"),
    "billion-laughs": (None, "DOCTYPE and entity declarations are not allowed"),
    "bom": (None, "byte order mark"),
    "short": ("<x/>", "IAM accepts SAML metadata of 1000 to 10000000 characters"),
    "expired": (None, "expired on"),
    "512-bit": (None, "key has 512 bits"),
}


def bad_document(kind: str, metadata: str) -> str:
    if BAD_METADATA[kind][0] is not None:
        return BAD_METADATA[kind][0]
    body = metadata.split("?>", 1)[1]
    return {
        "no-idpssodescriptor": lambda: make_metadata(include_idp=False),
        "no-signing-certificate": lambda: metadata.replace('use="signing"', 'use="encryption"'),
        "xxe": lambda: '<?xml version="1.0"?><!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]>' + body,
        "billion-laughs": lambda: '<!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>' + body,
        "bom": lambda: "\ufeff" + metadata,
        "expired": lambda: make_metadata([make_certificate_b64("old", days=5, starts_days_ago=10)]),
        "512-bit": lambda: make_metadata([WEAK_512_CERT_B64]),
    }[kind]()


@pytest.mark.parametrize("kind", sorted(BAD_METADATA))
def test_bad_metadata_fails_before_any_write_naming_option_and_rule(run_module, emulator, metadata, kind):
    mark = emulator.mark()
    out = run_module("connect_saml_idp", {"name": NAME, "metadata": bad_document(kind, metadata)}, account=PROD)
    assert out.failed
    assert out.msg.startswith("metadata=")
    assert BAD_METADATA[kind][1] in out.msg
    assert "Traceback" not in out.output
    assert [r for r in emulator.requests(since=mark) if r["service"] == "iam"] == []


@pytest.mark.parametrize(
    "args, fragment",
    [
        ({"name": "bad name!"}, "name='bad name!': an IAM SAML provider name is 1 to 128 characters"),
        ({"name": "x" * 129}, "an IAM SAML provider name is 1 to 128 characters"),
        ({"name": NAME, "metadata_url": "https://127.0.0.1:1/none", "metadata": None}, "could not be fetched"),
        ({"name": NAME, "metadata_url": "http://example.com/md", "metadata": None}, "must be an https URL"),
        ({"name": NAME, "metadata_path": "/nonexistent/idc.xml", "metadata": None}, "cannot be read"),
    ],
)
def test_bad_names_and_sources_fail_clearly(run_module, metadata, args, fragment):
    full = {"metadata": metadata, **args}
    out = run_module("connect_saml_idp", {k: v for k, v in full.items() if v is not None}, account=PROD)
    assert out.failed
    assert fragment in out.msg


def test_check_mode_on_a_fresh_account_predicts_the_arn_and_makes_no_write(run_module, emulator, metadata):
    # the member_federation role feeds this ARN to connect_federation_role, which refuses null
    mark = emulator.mark()
    out = run_module("connect_saml_idp", {"name": NAME, "metadata": metadata}, account=PROD, check=True)
    assert not out.failed, out.msg
    assert out.result["changed"] is True
    assert out.result["arn"] == f"arn:aws:iam::{PROD}:saml-provider/{NAME}"
    assert emulator.writes(since=mark) == []
    assert "GetCallerIdentity" in [r["operation"] for r in emulator.requests(since=mark) if r["service"] == "sts"]


def test_check_mode_on_an_existing_provider_asks_sts_nothing(run_module, emulator, metadata):
    created = run_module("connect_saml_idp", {"name": NAME, "metadata": metadata}, account=PROD)
    mark = emulator.mark()
    out = run_module("connect_saml_idp", {"name": NAME, "metadata": metadata}, account=PROD, check=True)
    assert out.result["arn"] == created.result["arn"]
    assert [r["operation"] for r in emulator.requests(since=mark) if r["operation"] == "GetCallerIdentity"] == []


def test_check_mode_certificate_swap_shows_in_the_diff_and_makes_no_write(run_module, emulator, metadata, rotated):
    first = run_module("connect_saml_idp", {"name": NAME, "metadata": metadata}, account=PROD)
    mark = emulator.mark()
    out = run_module("connect_saml_idp", {"name": NAME, "metadata": rotated}, account=PROD, check=True, diff=True)
    assert out.result["changed"] is True
    before, after = out.result["diff"]["before"], out.result["diff"]["after"]
    assert before["signing_certificates"] == [first.result["certificates"][0]["sha256_fingerprint"]]
    assert after["signing_certificates"] == [out.result["certificates"][0]["sha256_fingerprint"]]
    assert before["signing_certificates"] != after["signing_certificates"]
    assert emulator.writes(since=mark) == []


def test_check_mode_absent_makes_no_write(run_module, emulator, metadata, client_for):
    created = run_module("connect_saml_idp", {"name": NAME, "metadata": metadata}, account=PROD)
    mark = emulator.mark()
    out = run_module("connect_saml_idp", {"name": NAME, "state": "absent"}, account=PROD, check=True)
    assert out.result["changed"] is True
    assert emulator.writes(since=mark) == []
    arns = [p["Arn"] for p in client_for("iam", PROD).list_saml_providers()["SAMLProviderList"]]
    assert created.result["arn"] in arns


def test_purge_tags_removes_an_extra_tag_and_keeps_the_ownership_tag(run_module, emulator, metadata, client_for):
    out = run_module("connect_saml_idp", {"name": NAME, "metadata": metadata, "tags": {"env": "prod"}}, account=PROD)
    iam = client_for("iam", PROD)
    iam.tag_saml_provider(SAMLProviderArn=out.result["arn"], Tags=[{"Key": "extra", "Value": "by-hand"}])
    mark = emulator.mark()
    again = run_module(
        "connect_saml_idp",
        {"name": NAME, "metadata": metadata, "tags": {"env": "prod"}, "purge_tags": True},
        account=PROD,
    )
    assert again.result["changed"] is True
    assert iam_writes(emulator, mark) == ["UntagSAMLProvider"]
    tags = {t["Key"]: t["Value"] for t in iam.list_saml_provider_tags(SAMLProviderArn=out.result["arn"])["Tags"]}
    assert tags == {"env": "prod", "managed-by": "connect_sso.federation"}


def test_metadata_file_with_a_byte_order_mark_fails_before_any_call(run_module, emulator, tmp_path, metadata):
    path = tmp_path / "bom.xml"
    path.write_bytes(b"\xef\xbb\xbf" + metadata.encode())
    mark = emulator.mark()
    out = run_module("connect_saml_idp", {"name": NAME, "metadata_path": str(path)}, account=PROD)
    assert out.failed
    assert out.msg == f"metadata_path={str(path)!r}: starts with a UTF-8 byte order mark; IAM rejects it"
    assert module_calls(emulator, mark) == []


def test_region_that_does_not_exist_fails_before_any_call(run_module, emulator, metadata):
    mark = emulator.mark()
    out = run_module("connect_saml_idp", {"name": NAME, "metadata": metadata, "region": "us-east-7"}, account=PROD)
    assert out.failed
    assert out.msg.startswith("region='us-east-7': is not an AWS region botocore knows (known: ")
    assert module_calls(emulator, mark) == []
