"""Bad inputs fail before the first write, and the metadata URL is fetched with care:
retried when the server is briefly unwell, bounded in size, never redirected off its host or to http."""

from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from ansible_collections.connect_sso.federation.plugins.module_utils import saml_metadata
from ansible_collections.connect_sso.federation.plugins.module_utils.errors import ValidationError
from localhttp import serving
from samlfixtures import make_certificate_b64, make_metadata

from emulator.sandbox import ACCOUNTS, ROOT_ACCOUNT

pytestmark = pytest.mark.slow
SITE = Path(__file__).resolve().parents[2] / "site.yml"
TASK = "Federate the Connect instance with IAM Identity Center"
APP = "AmazonConnect-QA-us-east-1"


def site_for_one_host(playbook, **extra_vars):
    """site.yml for dev-east alone, with inventory variables overridden."""
    return playbook(SITE, "-l", "dev-east", "-e", json.dumps(extra_vars))


def failure_of(run) -> str:
    results = run.task_results(TASK)
    assert run.rc != 0 and results["dev-east"].get("failed"), run.stdout[-2000:]
    return results["dev-east"]["msg"]


# --- names resolved before the first write --------------------------------------------------------


def test_role_with_an_unknown_group_fails_before_any_write(playbook, emulator):
    mark = emulator.mark()
    run = site_for_one_host(playbook, connect_sso_assignments=[{"type": "GROUP", "name": "no-such-group"}])
    message = failure_of(run)
    assert [(w["service"], w["operation"]) for w in emulator.writes(since=mark)] == []
    assert "principals[0].name='no-such-group'" in message
    assert "connect_sso_assignments" in message


def test_sso_app_assignment_with_an_unknown_group_writes_nothing(run_module, emulator):
    run_module("sso_saml_app", {"name": APP}, account=ROOT_ACCOUNT)
    mark = emulator.mark()
    principals = [{"type": "GROUP", "name": "connect-qa-agents"}, {"type": "GROUP", "name": "no-such-group"}]
    out = run_module("sso_app_assignment", {"app": APP, "principals": principals}, account=ROOT_ACCOUNT)
    assert out.failed and "principals[1].name='no-such-group'" in out.msg
    assert emulator.writes(since=mark) == []


def test_chain_module_with_a_missing_permissions_boundary_writes_nothing(run_module, emulator, aws):
    dev = ACCOUNTS["dev"]
    idc = aws(ROOT_ACCOUNT).get_credentials().get_frozen_credentials()
    mark = emulator.mark()
    out = run_module(
        "connect_federation",
        {
            "instance_alias": "acme-dev-east",
            "idc": {
                "region": "us-east-1",
                "access_key": idc.access_key,
                "secret_key": idc.secret_key,
                "session_token": idc.token,
            },
            "app_name": "AmazonConnect-DEV-us-east-1",
            "provider_name": "AWSSSO_DEV_Connect",
            "role_name": "AmazonConnect_DEV_Role",
            "permissions_boundary": f"arn:aws:iam::{dev}:policy/NoSuchBoundary",
        },
        account=dev,
    )
    assert out.failed and out.msg.startswith(f"permissions_boundary='arn:aws:iam::{dev}:policy/NoSuchBoundary'"), (
        out.msg
    )
    assert emulator.writes(since=mark) == []


def test_role_with_a_destination_off_connect_fails_before_any_write(playbook, emulator):
    mark = emulator.mark()
    run = site_for_one_host(playbook, connect_federation_relay_destination="https://evil.example/x")
    message = failure_of(run)
    assert message.startswith("relay_destination='https://evil.example/x'")
    assert "connect_federation_relay_destination" in message
    assert emulator.writes(since=mark) == []


def test_role_with_a_bad_role_name_names_the_option_and_variable(playbook, emulator):
    mark = emulator.mark()
    run = site_for_one_host(playbook, connect_federation_role_name="R" * 65)
    message = failure_of(run)
    assert message.startswith("role_name='RRRR")
    assert "connect_federation_role_name" in message
    assert emulator.writes(since=mark) == []


def test_role_with_aws_tags_fails_before_any_write(playbook, emulator):
    mark = emulator.mark()
    run = site_for_one_host(playbook, connect_federation_tags={"aws:owner": "me"})
    message = failure_of(run)
    assert message.startswith("tags='aws:owner': a tag key must not start with 'aws:'")
    assert "connect_federation_tags" in message
    assert emulator.writes(since=mark) == []


@pytest.mark.parametrize("tags", [{"AWS:CostCenter": "1"}, {"k" * 129: "v"}, {"team": "v" * 257}])
def test_modules_refuse_tags_iam_would_refuse_before_any_write(run_module, emulator, tags):
    dev = ACCOUNTS["dev"]
    metadata = make_metadata([make_certificate_b64("hardening")])
    mark = emulator.mark()
    provider = run_module("connect_saml_idp", {"name": "Hardening", "metadata": metadata, "tags": tags}, account=dev)
    assert provider.failed and provider.msg.startswith("tags") and "tag" in provider.msg.split(":", 1)[1]
    role = run_module(
        "connect_federation_role",
        {
            "name": "Hardening",
            "provider_arns": [f"arn:aws:iam::{dev}:saml-provider/Hardening"],
            "instance_arns": [f"arn:aws:connect:us-east-1:{dev}:instance/8a2b3c4d-0000-4000-8000-000000000001"],
            "tags": tags,
        },
        account=dev,
    )
    assert role.failed and role.msg.startswith("tags"), role.msg
    assert emulator.writes(since=mark) == []


# --- the metadata URL -----------------------------------------------------------------------------


@pytest.fixture
def metadata_url(run_module):
    out = run_module("sso_saml_app", {"name": APP}, account=ROOT_ACCOUNT)
    assert not out.failed, out.msg
    return out.result["metadata_url"]


@pytest.mark.parametrize("kind", ["throttle", "error"])
def test_metadata_fetch_is_retried_through_throttling_and_server_errors(emulator, metadata_url, kind):
    emulator.add_fault("GetSamlMetadata", kind, service="sso-portal", count=2, status=503)
    mark = emulator.mark()
    assert "EntityDescriptor" in saml_metadata.fetch_metadata(metadata_url)
    statuses = [r["status"] for r in emulator.requests(since=mark, operation="GetSamlMetadata")]
    assert statuses == [429 if kind == "throttle" else 503] * 2 + [200]


class Pages(BaseHTTPRequestHandler):
    """/big: 2 MiB; /big-unsized: 2 MiB without Content-Length; /to?<url>: a 302 to <url>; /ok: a small page."""

    def do_GET(self):  # noqa: N802 - http.server's name
        if self.path.startswith("/to?"):
            self.send_response(302)
            self.send_header("Location", self.path[len("/to?") :])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = b"<x/>" * (512 * 1024) if self.path.startswith("/big") else b"<ok/>"
        self.send_response(200)
        if self.path != "/big-unsized":
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.close_connection = True

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def pages():
    with serving(Pages) as url:
        yield url


def test_a_redirect_on_the_same_host_is_followed(pages):
    assert saml_metadata.fetch_metadata(f"{pages}/to?{pages}/ok") == "<ok/>"
    assert saml_metadata.fetch_metadata(f"{pages}/to?/ok") == "<ok/>"


@pytest.mark.parametrize(
    "target, rule",
    [
        ("https://evil.example/metadata", "redirects to another host (evil.example)"),
        ("http://localhost:{port}/ok", "redirects to another host (localhost)"),
        ("http://evil.example/metadata", "redirects to another host (evil.example)"),
    ],
)
def test_a_redirect_off_the_host_or_to_plain_http_is_refused(pages, target, rule):
    target = target.format(port=pages.rsplit(":", 1)[1])
    with pytest.raises(ValidationError) as error:
        saml_metadata.fetch_metadata(f"{pages}/to?{target}")
    assert error.value.option == "metadata_url"
    assert rule in error.value.rule


def test_a_redirect_from_https_to_plain_http_is_refused_even_on_the_same_host():
    url = "https://portal.sso.us-east-1.amazonaws.com/saml/metadata/abc"
    with pytest.raises(ValidationError, match="which is not https"):
        saml_metadata._check_redirect(url, url.replace("https:", "http:"), "metadata_url")
    saml_metadata._check_redirect(url, url + "?v=2", "metadata_url")  # same host over https: fine


@pytest.mark.parametrize("path", ["/big", "/big-unsized"])
def test_metadata_over_1_mib_is_refused(pages, path):
    with pytest.raises(ValidationError, match=r"^metadata_url=.*larger than 1048576 bytes \(1 MiB\)"):
        saml_metadata.fetch_metadata(pages + path)
