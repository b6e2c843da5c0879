"""The bad-input catalogue: one table, one row per bad input, every module option, inventory variable
and inventory shape. Each row must fail, name the option (or inventory variable) and the rule it
breaks, print no Python traceback, and write nothing.

Module rows run the module's main() in this process (`run_module`, a tenth of a second each).
Inventory rows run site.yml once per batch over a generated inventory where each host carries one
bad variable (hosts fail independently); only what fails the whole run (a run_once task) gets a run
of its own.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
import yaml
from localhttp import serving
from samlfixtures import WEAK_512_CERT_B64, make_certificate_b64, make_metadata

from emulator.client import EmulatorClient
from emulator.sandbox import ACCOUNTS, ROOT_ACCOUNT

SITE = Path(__file__).resolve().parents[2] / "site.yml"
SANDBOX = Path(__file__).resolve().parents[2] / "inventories" / "sandbox" / "hosts.yml"
TASK = "Federate the Connect instance with IAM Identity Center"
DEV = ACCOUNTS["dev"]
INSTANCE_ARN = f"arn:aws:connect:us-east-1:{DEV}:instance/8a2b3c4d-0000-4000-8000-000000000001"
PROVIDER_ARN = f"arn:aws:iam::{DEV}:saml-provider/BadInputs"
ROLE_ARN = f"arn:aws:iam::{DEV}:role/BadInputs"
DEV_ROLE = f"arn:aws:iam::{DEV}:role/OrganizationAccountAccessRole"
QA_EAST = {
    "connect_region": "us-east-1",
    "connect_instance_alias": "acme-qa-east",
    "connect_account_role_arn": f"arn:aws:iam::{ACCOUNTS['qa']}:role/OrganizationAccountAccessRole",
}
GOOD_HOST = {"connect_region": "us-east-1", "connect_instance_alias": "acme-dev-east"}
# the IdC half (entry point sso_application) takes the instance's account and id from the inventory
IDC_HALF_HOST = {**GOOD_HOST, "connect_account_id": DEV, "connect_instance_id": INSTANCE_ARN.rsplit("/", 1)[1]}
SPLIT = ("sso_application", "member_federation")
NO_ACCOUNT_ROLE = "arn:aws:iam::999999999999:role/OrganizationAccountAccessRole"
DROP = object()  # a row's value that removes the option from the base arguments

# --- metadata documents -------------------------------------------------------------------------

GOOD = make_metadata([make_certificate_b64("bad-inputs")])
LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
) + GOOD.split("\n", 1)[1].replace('entityID="', 'entityID="&lol3;', 1)
EXTERNAL = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' + GOOD.split("\n", 1)[1]
EXPIRED = make_metadata([make_certificate_b64("expired", days=10, starts_days_ago=20)])


# --- the catalogue --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One bad input: where it goes, what it is, and what the message must say."""

    id: str
    target: str  # a module name; "site": host variables for the batched site.yml run; "run": a run of its own;
    # "sso_application", "member_federation": host variables for the batched run of that half (split_batch)
    values: dict  # the module arguments (merged over BASE[target]) or the host's variables
    option: str  # the option or inventory variable the message must name
    rule: str  # a fragment of the rule the message must state
    extra: dict = field(default_factory=dict)  # inventory cases: more hosts (name -> variables) in dev
    group: str | None = "dev"  # inventory cases: the host's group (None: in no group)


def module(target, id, option, rule, **values):
    return Case(id, target, values, option, rule)


def host(id, option, rule, **values):
    return Case(id, "site", values, option, rule)


CHAIN = "connect_federation"
CATALOGUE = [
    # connect_federation: the chain module (one task per host in the role)
    module(CHAIN, "chain-instance-id", "instance_id", "not-an-id", instance_id="not-an-id", instance_alias=DROP),
    module(
        CHAIN,
        "chain-id-and-alias",
        "instance_id",
        "mutually exclusive",
        instance_id="8a2b3c4d-0000-4000-8000-000000000001",
    ),
    module(
        CHAIN,
        "chain-no-instance",
        "instance_id",
        "one of instance_id and instance_alias is required",
        instance_alias=DROP,
    ),
    module(CHAIN, "chain-unknown-alias", "instance_alias", "no-such-alias", instance_alias="no-such-alias"),
    module(CHAIN, "chain-alias-wrong-region", "instance_alias", "acme-qa-west", instance_alias="acme-qa-west"),
    module(CHAIN, "chain-region", "region", "mars-1", region="mars-1"),
    module(CHAIN, "chain-idc-region", "idc.region", "not an AWS region", idc={"region": "mars-1"}),
    module(
        CHAIN,
        "chain-idc-region-without-idc",
        "region='us-west-2'",
        "no IAM Identity Center instance",
        idc={"region": "us-west-2"},
    ),
    module(CHAIN, "chain-idc-region-missing", "region", "required", idc={}),
    module(CHAIN, "chain-app-name-empty", "app_name", "1 to 100 characters", app_name=""),
    module(CHAIN, "chain-app-name-long", "app_name", "1 to 100 characters", app_name="A" * 101),
    module(CHAIN, "chain-app-description", "app_description", "at most 128 characters", app_description="d" * 129),
    module(CHAIN, "chain-enabled", "enabled", "bool", enabled="sometimes"),
    module(CHAIN, "chain-acs-url", "acs_url", "https", acs_url="http://signin.aws.amazon.com/saml"),
    module(CHAIN, "chain-audience", "audience", "accepts only the audience", audience="https://evil.example/saml"),
    module(CHAIN, "chain-provider-name", "provider_name", "bad name", provider_name="bad name!"),
    module(CHAIN, "chain-role-name", "role_name", "64", role_name="R" * 65),
    module(CHAIN, "chain-role-path", "role_path", "/", role_path="no-slashes"),
    module(CHAIN, "chain-saml-audiences", "saml_audiences", "https", saml_audiences=["not a url"]),
    module(CHAIN, "chain-max-session-short", "max_session_duration", "3600", max_session_duration=100),
    module(CHAIN, "chain-max-session-long", "max_session_duration", "43200", max_session_duration=50000),
    module(CHAIN, "chain-max-session-type", "max_session_duration", "int", max_session_duration="an hour"),
    module(CHAIN, "chain-boundary-not-arn", "permissions_boundary", "ARN", permissions_boundary="NoSuchBoundary"),
    module(
        CHAIN,
        "chain-boundary-missing",
        "permissions_boundary",
        "no managed policy",
        permissions_boundary=f"arn:aws:iam::{DEV}:policy/NoSuchBoundary",
    ),
    module(CHAIN, "chain-policy-name", "policy_name", "policy", policy_name="bad/name"),
    module(CHAIN, "chain-policy-type", "policy_type", "inline, managed", policy_type="attached"),
    module(CHAIN, "chain-role-session-name", "role_session_name", "source", role_session_name=""),
    module(CHAIN, "chain-subject", "subject", "is not closed", subject="${user:nosuchattr"),
    module(CHAIN, "chain-subject-format", "subject_format", "email", subject_format="x509"),
    module(
        CHAIN,
        "chain-attributes-reserved",
        "attributes",
        "set from role_pairs",
        attributes={"https://aws.amazon.com/SAML/Attributes/Role": "${user:email}"},
    ),
    module(CHAIN, "chain-attributes-empty-source", "attributes", "non-empty", attributes={"team": ""}),
    module(
        CHAIN,
        "chain-relay-off-connect",
        "relay_destination",
        "evil.example",
        relay_destination="https://evil.example/x",
    ),
    module(CHAIN, "chain-relay-scheme", "relay_destination", "javascript", relay_destination="javascript:alert(1)"),
    module(CHAIN, "chain-session-duration-short", "session_duration", "PT15M to PT12H", session_duration="PT5M"),
    module(CHAIN, "chain-session-duration-format", "session_duration", "ISO-8601", session_duration="1h"),
    module(CHAIN, "chain-principal-type", "type", "GROUP, USER", principals=[{"type": "ROBOT", "name": "x"}]),
    module(
        CHAIN,
        "chain-principal-both",
        "principals[0]",
        "exactly one of name and id",
        principals=[{"type": "GROUP", "name": "connect-dev-agents", "id": "x"}],
    ),
    module(
        CHAIN,
        "chain-principal-unknown",
        "principals[0].name='no-such-group'",
        "",
        principals=[{"type": "GROUP", "name": "no-such-group"}],
    ),
    module(CHAIN, "chain-tags-aws", "tags", "aws:", tags={"aws:owner": "me"}),
    module(CHAIN, "chain-tags-many", "tags", "at most 50 tags", tags={f"k{i}": "v" for i in range(50)}),
    module(CHAIN, "chain-unknown-option", "no_such_option", "Unsupported parameters", no_such_option=1),
    # connect_saml_idp: the IAM SAML provider and its metadata
    module("connect_saml_idp", "idp-name", "name", "1 to 128", name="x" * 129),
    module("connect_saml_idp", "idp-metadata-not-xml", "metadata", "well-formed", metadata="not xml " * 200),
    module("connect_saml_idp", "idp-metadata-short", "metadata", "1000 to 10000000 characters", metadata="<x/>"),
    module(
        "connect_saml_idp",
        "idp-metadata-oversized",
        "metadata",
        "1000 to 10000000 characters",
        metadata=GOOD + " " * 10_000_000,
    ),
    module("connect_saml_idp", "idp-metadata-bom", "metadata", "byte order mark", metadata="\ufeff" + GOOD),
    module("connect_saml_idp", "idp-metadata-entities", "metadata", "DOCTYPE and entity declarations", metadata=LAUGHS),
    module(
        "connect_saml_idp",
        "idp-metadata-external-entity",
        "metadata",
        "DOCTYPE and entity declarations",
        metadata=EXTERNAL,
    ),
    module(
        "connect_saml_idp",
        "idp-metadata-sp",
        "metadata",
        "no IDPSSODescriptor",
        metadata=make_metadata(include_idp=False),
    ),
    module(
        "connect_saml_idp",
        "idp-metadata-no-cert",
        "metadata",
        "no signing certificate",
        metadata=make_metadata([], key_use="signing") + " " * 1000,
    ),
    module(
        "connect_saml_idp",
        "idp-metadata-weak-key",
        "metadata",
        "at least 1024",
        metadata=make_metadata([WEAK_512_CERT_B64]),
    ),
    module("connect_saml_idp", "idp-metadata-expired", "metadata", "expired", metadata=EXPIRED),
    module(
        "connect_saml_idp",
        "idp-metadata-and-url",
        "metadata",
        "mutually exclusive",
        metadata_url="https://example.com/m",
    ),
    module(
        "connect_saml_idp",
        "idp-metadata-path-missing",
        "metadata_path",
        "no-such-file",
        metadata=DROP,
        metadata_path="/nonexistent/no-such-file.xml",
    ),
    module(
        "connect_saml_idp",
        "idp-metadata-path-bom",
        "metadata_path",
        "byte order mark",
        metadata=DROP,
        metadata_path="{tmp}/bom.xml",
    ),
    module(
        "connect_saml_idp",
        "idp-metadata-path-latin1",
        "metadata_path",
        "UTF-8",
        metadata=DROP,
        metadata_path="{tmp}/latin1.xml",
    ),
    module(
        "connect_saml_idp",
        "idp-metadata-url-http",
        "metadata_url",
        "https",
        metadata=DROP,
        metadata_url="http://example.com/metadata",
    ),
    module(
        "connect_saml_idp",
        "idp-metadata-url-redirect",
        "metadata_url",
        "redirects to another host",
        metadata=DROP,
        metadata_url="{pages}/to?https://evil.example/m",
    ),
    module(
        "connect_saml_idp",
        "idp-metadata-url-oversized",
        "metadata_url",
        "larger than 1048576 bytes",
        metadata=DROP,
        metadata_url="{pages}/big",
    ),
    module(
        "connect_saml_idp",
        "idp-metadata-url-latin1",
        "metadata_url",
        "UTF-8",
        metadata=DROP,
        metadata_url="{pages}/latin1",
    ),
    module(
        "connect_saml_idp",
        "idp-metadata-url-bom",
        "metadata_url",
        "byte order mark",
        metadata=DROP,
        metadata_url="{pages}/bom",
    ),
    module(
        "connect_saml_idp",
        "idp-metadata-url-404",
        "metadata_url",
        "HTTP 404",
        metadata=DROP,
        metadata_url="{pages}/missing",
    ),
    module("connect_saml_idp", "idp-tags-key", "tags", "1 to 128 characters", tags={"k" * 129: "v"}),
    module("connect_saml_idp", "idp-state", "state", "present, absent", state="gone"),
    # connect_federation_role
    module("connect_federation_role", "role-name", "name", "64", name="R" * 65),
    module("connect_federation_role", "role-provider-not-arn", "provider_arns[0]", "ARN", provider_arns=["BadInputs"]),
    module(
        "connect_federation_role", "role-provider-kind", "provider_arns[0]", "saml-provider", provider_arns=[ROLE_ARN]
    ),
    module(
        "connect_federation_role",
        "role-provider-partition",
        "provider_arns[0]",
        "partition",
        provider_arns=[PROVIDER_ARN.replace("arn:aws:", "arn:aws-cn:")],
    ),
    module(
        "connect_federation_role",
        "role-instance-not-arn",
        "instance_arns[0]",
        "ARN",
        instance_arns=["8a2b3c4d-0000-4000-8000-000000000001"],
    ),
    module(
        "connect_federation_role",
        "role-instance-account",
        "instance_arns[0]",
        "12 digits",
        instance_arns=[INSTANCE_ARN.replace(DEV, "22")],
    ),
    module("connect_federation_role", "role-path", "path", "/", path="x"),
    module(
        "connect_federation_role", "role-description", "description", "at most 1000 characters", description="d" * 1001
    ),
    module("connect_federation_role", "role-max-session", "max_session_duration", "3600", max_session_duration=60),
    module("connect_federation_role", "role-boundary", "permissions_boundary", "ARN", permissions_boundary="x"),
    module("connect_federation_role", "role-audiences", "saml_audiences", "https", saml_audiences=["ftp://x"]),
    module("connect_federation_role", "role-tags-value", "tags['team']", "at most 256", tags={"team": "v" * 257}),
    # sso_saml_app
    module("sso_saml_app", "app-name", "name", "1 to 100 characters", name="N" * 101),
    module("sso_saml_app", "app-description", "description", "at most 128", description="d" * 129),
    module("sso_saml_app", "app-acs-url", "acs_url", "https", acs_url="ftp://signin.aws.amazon.com/saml"),
    module("sso_saml_app", "app-region", "region", "not an AWS region", region="us-east-9"),
    module(
        "sso_saml_app",
        "app-region-without-idc",
        "region='us-west-2'",
        "no IAM Identity Center instance",
        region="us-west-2",
    ),
    # sso_app_attributes
    module(
        "sso_app_attributes",
        "attrs-app-unknown",
        "app",
        "no IAM Identity Center SAML application",
        app="AmazonConnect-NoSuchApp",
    ),
    module("sso_app_attributes", "attrs-app-id", "app", "16 lower-case hex", app="apl-xyz"),
    module("sso_app_attributes", "attrs-role-pairs-empty", "role_pairs", "at least one", role_pairs=[]),
    module(
        "sso_app_attributes",
        "attrs-role-arn",
        "role_arn",
        "role ARN",
        role_pairs=[{"role_arn": PROVIDER_ARN, "provider_arn": PROVIDER_ARN}],
    ),
    module(
        "sso_app_attributes",
        "attrs-relay-state",
        "relay_state",
        "https",
        instance_arn=DROP,
        relay_state="http://us-east-1.console.aws.amazon.com/connect/federate/x",
    ),
    module(
        "sso_app_attributes", "attrs-relay-and-instance", "relay_state", "mutually exclusive", relay_state="https://x"
    ),
    module("sso_app_attributes", "attrs-instance-arn", "instance_arn", "ARN", instance_arn="acme-dev-east"),
    module(
        "sso_app_attributes", "attrs-session-duration", "session_duration", "PT15M to PT12H", session_duration="PT13H"
    ),
    # sso_app_assignment
    module(
        "sso_app_assignment",
        "assign-app-unknown",
        "app",
        "no IAM Identity Center SAML application",
        app="AmazonConnect-NoSuchApp",
    ),
    module(
        "sso_app_assignment",
        "assign-principal-id-and-name",
        "principals[0]",
        "exactly one of name and id",
        principals=[{"type": "USER", "name": "a", "id": "b"}],
    ),
    module(
        "sso_app_assignment",
        "assign-principal-neither",
        "principals[0]",
        "exactly one of name and id",
        principals=[{"type": "USER"}],
    ),
    module(
        "sso_app_assignment",
        "assign-principal-unknown-user",
        "principals[0].name='nobody'",
        "",
        principals=[{"type": "USER", "name": "nobody"}],
    ),
    # connect_instance_info
    module(
        "connect_instance_info",
        "info-instance-id",
        "instance_id",
        "not-an-id",
        instance_id="not-an-id",
        instance_alias=DROP,
    ),
    module("connect_instance_info", "info-unknown-alias", "instance_alias", "no-such", instance_alias="no-such"),
    # inventory variables and shape: one host of a site.yml run each (see inventory_for)
    host("inv-region", "connect_region", "not an AWS region", connect_region="mars-1"),
    host(
        "inv-alias-unknown",
        "instance_alias",
        "no Amazon Connect instance with this alias",
        connect_instance_alias="acme-nope",
    ),
    host("inv-alias-wrong-region", "instance_alias", "in us-west-2", connect_region="us-west-2"),
    host("inv-instance-id", "instance_id", "not-an-id", connect_instance_id="not-an-id"),
    host(
        "inv-no-instance",
        "connect_instance_alias",
        "set one of connect_instance_alias and connect_instance_id",
        connect_instance_alias=DROP,
    ),
    host("inv-environment", "connect_federation_provider_name", "AWSSSO_DEV PROD", connect_environment="dev prod"),
    host("inv-app-name", "connect_federation_app_name", "1 to 100 characters", connect_federation_app_name="A" * 101),
    host(
        "inv-app-description",
        "connect_federation_app_description",
        "at most 128",
        connect_federation_app_description="d" * 129,
    ),
    host(
        "inv-provider-name",
        "connect_federation_provider_name",
        "bad name",
        connect_federation_provider_name="bad name!",
    ),
    host("inv-role-name", "connect_federation_role_name", "64", connect_federation_role_name="R" * 65),
    host("inv-role-path", "connect_federation_role_path", "/", connect_federation_role_path="x"),
    host(
        "inv-session-name",
        "role_session_name",
        "not an IAM Identity Center attribute",
        connect_federation_role_session_name="${user:login}",
    ),
    host("inv-subject", "subject", "is not closed", connect_federation_subject="${user:email"),
    host("inv-subject-format", "subject_format", "email", connect_federation_subject_format="x509"),
    host("inv-attributes-type", "connect_federation_attributes", "dict", connect_federation_attributes="team"),
    host(
        "inv-attributes-reserved",
        "attributes",
        "set from role_pairs",
        connect_federation_attributes={"https://aws.amazon.com/SAML/Attributes/RoleSessionName": "${user:email}"},
    ),
    host(
        "inv-relay",
        "connect_federation_relay_destination",
        "evil.example",
        connect_federation_relay_destination="https://evil.example/x",
    ),
    host("inv-new-domain", "connect_federation_new_domain", "bool", connect_federation_new_domain="maybe"),
    host("inv-session-duration", "session_duration", "PT15M to PT12H", connect_federation_session_duration="PT13H"),
    host(
        "inv-assignments-unknown",
        "connect_sso_assignments",
        "no-such-group",
        connect_sso_assignments=[{"type": "GROUP", "name": "no-such-group"}],
    ),
    host(
        "inv-assignments-type",
        "type",
        "GROUP, USER",
        connect_sso_assignments=[{"type": "TEAM", "name": "connect-dev-agents"}],
    ),
    host(
        "inv-principals-shape",
        "connect_federation_principals",
        "unable to convert to dict",
        connect_federation_principals="connect-dev-agents",
    ),
    host(
        "inv-exclusive",
        "connect_federation_exclusive_assignments",
        "bool",
        connect_federation_exclusive_assignments="maybe",
    ),
    host(
        "inv-max-session-type",
        "connect_federation_max_session_duration",
        "int",
        connect_federation_max_session_duration="long",
    ),
    host("inv-max-session-range", "max_session_duration", "3600", connect_federation_max_session_duration=60),
    host("inv-policy-type", "policy_type", "inline, managed", connect_federation_policy_type="attached"),
    host("inv-policy-name", "connect_federation_policy_name", "policy", connect_federation_policy_name="bad/name"),
    host("inv-tags", "connect_federation_tags", "aws:", connect_federation_tags={"aws:owner": "me"}),
    host("inv-control-api", "connect_federation_control_api", "bool", connect_federation_control_api="maybe"),
    host("inv-fail-on-drift", "connect_federation_fail_on_drift", "bool", connect_federation_fail_on_drift="maybe"),
    host(
        "inv-idc-region-without-idc",
        "region='us-west-2'",
        "no IAM Identity Center instance",
        connect_sso_idc_region="us-west-2",
    ),
    host(
        "inv-account-profile",
        "profile",
        "no-such-profile",
        connect_account_role_arn="",
        connect_account_profile="no-such-profile",
    ),
    host(
        "inv-missing-account",
        "instance_alias",
        "connect_account_role_arn, else connect_account_profile",
        connect_account_role_arn="",
    ),
    # a host in no group: no environment for the default names
    Case(
        "inv-no-environment",
        "site",
        {"connect_account_role_arn": DEV_ROLE},
        "connect_federation_environment",
        "is in no group",
        group=None,
    ),
    # conflicting overrides: a provider name set for two hosts of one account (as a group variable would)
    Case(
        "inv-conflicting-override",
        "site",
        {"connect_federation_provider_name": "AWSSSO_SHARED_Connect"},
        "connect_federation_provider_name",
        "inv-conflicting-override, inv-conflicting-override-2 all name this IAM SAML provider",
        extra={
            "inv-conflicting-override-2": {
                "connect_region": "us-east-1",
                "connect_instance_alias": "acme-dev-east",
                "connect_environment": "other",
                "connect_federation_provider_name": "AWSSSO_SHARED_Connect",
            }
        },
    ),
    # two hosts (dev-east's instance and qa-east's) naming one IdC application
    Case(
        "inv-duplicate-app",
        "site",
        {"connect_federation_app_name": "AmazonConnect-DUP"},
        "connect_federation_app_name",
        "inv-duplicate-app, inv-duplicate-app-2 all name this IAM Identity Center application",
        extra={"inv-duplicate-app-2": {**QA_EAST, "connect_federation_app_name": "AmazonConnect-DUP"}},
    ),
    # the split entry points check the inventory as main does (one batched run of both halves, see split_batch)
    Case(
        "split-idc-duplicate-app",
        "sso_application",
        {"connect_federation_app_name": "AmazonConnect-DUP"},
        "connect_federation_app_name",
        "split-idc-duplicate-app, split-idc-duplicate-app-2 all name this IAM Identity Center application",
        extra={"split-idc-duplicate-app-2": {**IDC_HALF_HOST, "connect_federation_app_name": "AmazonConnect-DUP"}},
    ),
    # the IdC half knows an instance's account by connect_account_id: one role name in one account is a clash
    Case(
        "split-idc-duplicate-role",
        "sso_application",
        {"connect_federation_role_name": "AmazonConnect_SHARED_Role"},
        "connect_federation_role_name",
        "split-idc-duplicate-role, split-idc-duplicate-role-2 all name this IAM role",
        extra={
            "split-idc-duplicate-role-2": {
                **IDC_HALF_HOST,
                "connect_environment": "other",
                "connect_federation_role_name": "AmazonConnect_SHARED_Role",
            }
        },
    ),
    # the IdC half does not look the instance up: an alias is not enough (the argument spec requires the id) ...
    Case(
        "split-idc-no-instance-id",
        "sso_application",
        {"connect_instance_id": DROP},
        "connect_instance_id",
        "missing required arguments",
    ),
    # ... and an empty one is refused by the run-wide check
    Case(
        "split-idc-empty-instance-id",
        "sso_application",
        {"connect_instance_id": ""},
        "connect_instance_id",
        "does not look the instance up",
    ),
    Case(
        "split-idc-no-environment",
        "sso_application",
        {"connect_account_role_arn": DEV_ROLE},
        "connect_federation_environment",
        "is in no group",
        group=None,
    ),
    Case(
        "split-member-duplicate-provider",
        "member_federation",
        {"connect_federation_provider_name": "AWSSSO_SHARED_Connect"},
        "connect_federation_provider_name",
        "split-member-duplicate-provider, split-member-duplicate-provider-2 all name this IAM SAML provider",
        extra={
            "split-member-duplicate-provider-2": {
                **GOOD_HOST,
                "connect_environment": "other",
                "connect_federation_provider_name": "AWSSSO_SHARED_Connect",
            }
        },
    ),
    Case(
        "split-member-no-instance",
        "member_federation",
        {"connect_instance_alias": DROP},
        "connect_instance_alias",
        "set one of connect_instance_alias and connect_instance_id",
    ),
    Case(
        "split-member-no-environment",
        "member_federation",
        {"connect_account_role_arn": DEV_ROLE},
        "connect_federation_environment",
        "is in no group",
        group=None,
    ),
    # accounts no one can reach: the whole run stops (a run of its own each, see the last test)
    Case(
        "run-account-role-missing",
        "run",
        {"connect_account_role_arn": NO_ACCOUNT_ROLE},
        "connect_account_role_arn of run-account-role-missing",
        "could not assume",
    ),
    Case(
        "run-account-role-not-arn",
        "run",
        {"connect_account_role_arn": "OrganizationAccountAccessRole"},
        "connect_account_role_arn of run-account-role-not-arn",
        "is not an ARN",
    ),
    Case(
        "run-idc-role-missing",
        "run",
        {"connect_sso_idc_role_arn": NO_ACCOUNT_ROLE},
        "connect_sso_idc_role_arn of run-idc-role-missing",
        "could not assume",
    ),
]

BASE = {
    CHAIN: {
        "instance_alias": "acme-dev-east",
        "idc": "{idc}",
        "app_name": "AmazonConnect-BADINPUTS",
        "provider_name": "AWSSSO_BADINPUTS_Connect",
        "role_name": "AmazonConnect_BADINPUTS_Role",
        "principals": [{"type": "GROUP", "name": "connect-dev-agents"}],
    },
    "connect_saml_idp": {"name": "BadInputs", "metadata": GOOD},
    "connect_federation_role": {"name": "BadInputs", "provider_arns": [PROVIDER_ARN], "instance_arns": [INSTANCE_ARN]},
    "sso_saml_app": {"name": "AmazonConnect-BADINPUTS"},
    "sso_app_attributes": {
        "app": "AmazonConnect-BADINPUTS",
        "role_pairs": [{"role_arn": ROLE_ARN, "provider_arn": PROVIDER_ARN}],
        "instance_arn": INSTANCE_ARN,
    },
    "sso_app_assignment": {
        "app": "AmazonConnect-BADINPUTS",
        "principals": [{"type": "GROUP", "name": "connect-dev-agents"}],
    },
    "connect_instance_info": {"instance_alias": "acme-dev-east"},
}
ACCOUNT = {CHAIN: DEV, "connect_saml_idp": DEV, "connect_federation_role": DEV, "connect_instance_info": DEV}
MODULE_CASES = [c for c in CATALOGUE if c.target not in ("site", "run", *SPLIT)]


def test_the_catalogue_is_large_and_its_ids_unique():
    ids = [c.id for c in CATALOGUE]
    assert len(ids) == len(set(ids))
    assert len(CATALOGUE) >= 50


# --- module rows ---------------------------------------------------------------------------------


class Pages(BaseHTTPRequestHandler):
    """/to?<url>: a 302; /big: 2 MiB; /latin1: ISO-8859-1 metadata; /bom: metadata after a BOM; else 404."""

    def do_GET(self):  # noqa: N802 - http.server's name
        if self.path.startswith("/to?"):
            self.send_response(302)
            self.send_header("Location", self.path[len("/to?") :])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        bodies = {
            "/big": b"<x/>" * (512 * 1024),
            "/latin1": GOOD.replace("bad-inputs", "caf\u00e9").encode("latin-1", "replace") + b"<!-- caf\xe9 -->",
            "/bom": b"\xef\xbb\xbf" + GOOD.encode(),
        }
        body = bodies.get(self.path)
        self.send_response(200 if body is not None else 404)
        body = body if body is not None else b"not found"
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def pages():
    with serving(Pages) as url:
        yield url


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("metadata")
    (folder / "bom.xml").write_bytes(b"\xef\xbb\xbf" + GOOD.encode())
    (folder / "latin1.xml").write_bytes(GOOD.encode() + b"<!-- caf\xe9 -->")
    return folder


def _fill(value, names: dict):
    """Placeholders of the table ({pages}, {tmp}) filled in; "{idc}" is the IdC credentials."""
    if value == "{idc}":
        return dict(names["idc"])
    if isinstance(value, str) and value.startswith("{"):
        return value.format(**names)
    return value


def module_args(case: Case, names: dict) -> dict:
    args = {key: _fill(value, names) for key, value in BASE[case.target].items()}
    for key, value in case.values.items():
        if value is DROP:
            args.pop(key, None)
        elif key == "idc":  # the row's idc options with the IdC credentials (region only if the row has one)
            args[key] = {**{k: v for k, v in names["idc"].items() if k != "region"}, **value}
        else:
            args[key] = _fill(value, names)
    return args


@pytest.mark.parametrize("target", sorted(BASE))
def test_the_base_arguments_alone_pass_so_each_row_fails_for_its_own_value(target, run_module, aws, pages, files):
    """Check mode, so nothing is made: the base of every module row is accepted."""
    idc = aws(ROOT_ACCOUNT).get_credentials().get_frozen_credentials()
    names = {
        "idc": {
            "region": "us-east-1",
            "access_key": idc.access_key,
            "secret_key": idc.secret_key,
            "session_token": idc.token,
        },
        "pages": pages,
        "tmp": str(files),
    }
    out = run_module(
        target,
        module_args(Case("base", target, {}, "", ""), names),
        account=ACCOUNT.get(target, ROOT_ACCOUNT),
        check=True,
    )
    assert not out.failed, out.msg


@pytest.mark.parametrize("case", MODULE_CASES, ids=[c.id for c in MODULE_CASES])
def test_a_bad_module_argument_fails_naming_the_option_and_rule_writing_nothing(
    case, run_module, emulator, aws, pages, files
):
    idc = aws(ROOT_ACCOUNT).get_credentials().get_frozen_credentials()
    names = {
        "idc": {
            "region": "us-east-1",
            "access_key": idc.access_key,
            "secret_key": idc.secret_key,
            "session_token": idc.token,
        },
        "pages": pages,
        "tmp": str(files),
    }
    if case.target in ("sso_app_attributes", "sso_app_assignment") and "app" not in case.values:
        assert not run_module("sso_saml_app", BASE["sso_saml_app"], account=ROOT_ACCOUNT).failed
    args = module_args(case, names)
    region = args.pop("region", "us-east-1")
    mark = emulator.mark()
    out = run_module(case.target, args, account=ACCOUNT.get(case.target, ROOT_ACCOUNT), region=region)
    assert out.failed, f"accepted: {out.result}"
    assert "Traceback" not in out.output and "exception" not in out.result, out.output[-2000:]
    assert case.option in out.msg, out.msg
    assert case.rule in out.msg, out.msg
    assert emulator.writes(since=mark) == []


# --- inventory rows: one site.yml run per batch ------------------------------------------------------

SITE_CASES = [c for c in CATALOGUE if c.target == "site"]


def inventory_for(cases: list[Case]) -> dict:
    """The sandbox inventory's all and dev vars; one host per case, named after it, carrying the case's
    variables over dev-east's (and, for the IdC half, its account and id), in its group (dev, or none);
    a case's `extra` hosts go in dev."""
    sandbox = yaml.safe_load(SANDBOX.read_text())["all"]
    groups: dict = {"dev": {}, None: {}}
    for index, case in enumerate(cases):
        # its own environment, so its own default names: no two hosts name one app, provider or role
        environment = {"connect_environment": f"case{index:02d}"} if case.group else {}
        base = IDC_HALF_HOST if case.target == "sso_application" else GOOD_HOST
        groups[case.group][case.id] = {**base, **environment, **case.values}
        groups["dev"].update(case.extra)
    for hosts in groups.values():
        for host_vars in hosts.values():
            for key in [k for k, v in host_vars.items() if v is DROP]:
                del host_vars[key]
    dev = {"vars": sandbox["children"]["dev"]["vars"], "hosts": groups["dev"]}
    return {"all": {"vars": sandbox["vars"], "hosts": groups[None], "children": {"dev": dev}}}


def run_site(endpoint: str, inventory: Path, *args: str, playbook: Path = SITE):
    import subprocess
    import sys

    from emulator.process import ansible_env

    command = [str(Path(sys.executable).with_name("ansible-playbook")), str(playbook), "-i", str(inventory), *args]
    env = ansible_env(endpoint, ANSIBLE_STDOUT_CALLBACK="ansible.posix.json")
    done = subprocess.run(command, cwd=SITE.parent, env=env, capture_output=True, text=True, timeout=600, check=False)
    result = json.loads(done.stdout) if done.stdout.strip().startswith("{") else {}
    return done, result


def host_failures(result: dict) -> dict:
    """host -> (message of its first failed task, the whole failed result as text)."""
    failures: dict = {}
    for play in result.get("plays", []):
        for task in play.get("tasks", []):
            for name, outcome in task["hosts"].items():
                if outcome.get("failed") and name not in failures:
                    failures[name] = (str(outcome.get("msg", "")), json.dumps(outcome))
    return failures


@pytest.fixture(scope="module")
def site_batch(emulator_endpoint, tmp_path_factory):
    """site.yml once over every inventory row; what it printed, how each host failed, what it wrote."""
    client = EmulatorClient(emulator_endpoint)
    client.reset(seed="sandbox")
    path = tmp_path_factory.mktemp("inventory") / "hosts.yml"
    path.write_text(yaml.safe_dump(inventory_for(SITE_CASES)))
    mark = client.mark()
    done, result = run_site(emulator_endpoint, path)
    return {
        "output": done.stdout + done.stderr,
        "rc": done.returncode,
        "failures": host_failures(result),
        "writes": client.writes(since=mark),
        "stats": result.get("stats", {}),
    }


def test_the_inventory_batch_writes_nothing_and_fails_every_host(site_batch):
    assert [(w["service"], w["operation"]) for w in site_batch["writes"]] == []
    assert site_batch["rc"] != 0
    assert "Traceback" not in site_batch["output"]
    assert sorted(site_batch["failures"]) == sorted(site_batch["stats"]), site_batch["output"][-3000:]


@pytest.mark.parametrize("case", SITE_CASES, ids=[c.id for c in SITE_CASES])
def test_a_bad_inventory_variable_fails_its_host_naming_the_variable_and_rule(case, site_batch):
    assert_refused_naming_the_variable_and_rule(case, site_batch)


def assert_refused_naming_the_variable_and_rule(case: Case, batch: dict) -> None:
    """The case's host failed, without a traceback, naming the variable and the rule; the other hosts
    of a clash failed too, naming the same variable."""
    assert case.id in batch["failures"], batch["output"][-3000:]
    message, whole = batch["failures"][case.id]
    assert "Traceback" not in whole
    assert case.option in message, message
    assert case.rule in message, message
    for other in case.extra:
        assert case.option in batch["failures"][other][0], batch["failures"][other]


# --- inventory rows of the split entry points: one run of both halves -------------------------------------

SPLIT_CASES = [c for c in CATALOGUE if c.target in SPLIT]
SPLIT_PLAYBOOK = Path(__file__).parent / "playbooks" / "split_inventory_check.yml"


@pytest.fixture(scope="module")
def split_batch(emulator_endpoint, tmp_path_factory):
    """The IdC half over the split-idc-* hosts, then the member half over the split-member-* ones, in one run."""
    client = EmulatorClient(emulator_endpoint)
    client.reset(seed="sandbox")
    path = tmp_path_factory.mktemp("inventory") / "hosts.yml"
    inventory = inventory_for(SPLIT_CASES)
    inventory["all"]["hosts"]["split-go-on"] = {}  # the playbook's way past a play whose every host failed
    path.write_text(yaml.safe_dump(inventory))
    mark = client.mark()
    done, result = run_site(emulator_endpoint, path, playbook=SPLIT_PLAYBOOK)
    return {
        "output": done.stdout + done.stderr,
        "rc": done.returncode,
        "failures": host_failures(result),
        "requests": client.requests(since=mark),
        "stats": {host: stats for host, stats in result.get("stats", {}).items() if host != "split-go-on"},
    }


def test_the_split_batch_makes_no_aws_call_and_fails_every_host(split_batch):
    """Every host is refused before its half's first AWS call, so the run makes none (a write least of all)."""
    assert [(r["service"], r["operation"]) for r in split_batch["requests"] if r["write"]] == []
    assert [(r["service"], r["operation"]) for r in split_batch["requests"]] == []
    assert split_batch["rc"] != 0
    assert "Traceback" not in split_batch["output"]
    assert sorted(split_batch["failures"]) == sorted(split_batch["stats"]), split_batch["output"][-3000:]
    assert len(split_batch["stats"]) == len(SPLIT_CASES) + sum(len(c.extra) for c in SPLIT_CASES)


@pytest.mark.parametrize("case", SPLIT_CASES, ids=[c.id for c in SPLIT_CASES])
def test_a_bad_inventory_fails_its_host_in_a_split_entry_point_naming_the_variable_and_rule(case, split_batch):
    assert_refused_naming_the_variable_and_rule(case, split_batch)


def test_a_name_given_in_the_play_clashes_as_one_set_in_the_inventory_does(emulator, playbook, tmp_path):
    """The check reads each host's variables as the host's own tasks see them: a name set in the play (not in
    `hostvars`) fails every host that would share it, before any write; the names from the role defaults
    (not in `hostvars` either) are each host's own, so they do not clash."""
    play = {
        "name": "One app name for the whole play",
        "hosts": "dev-east,qa-east",
        "gather_facts": False,
        "vars": {"connect_federation_app_name": "AmazonConnect-ONE"},
        "roles": ["connect_sso.federation.connect_federation"],
    }
    path = tmp_path / "one_app.yml"
    path.write_text(yaml.safe_dump([play]))
    mark = emulator.mark()
    run = playbook(path)
    failures = host_failures(run.result)
    assert run.rc != 0 and sorted(failures) == ["dev-east", "qa-east"], run.stdout[-3000:]
    for message, _whole in failures.values():
        assert message.startswith('connect_federation_app_name="AmazonConnect-ONE": the hosts dev-east, qa-east')
        assert "connect_federation_provider_name" not in message and "connect_federation_role_name" not in message
    assert emulator.writes(since=mark) == []


# --- inventory rows that stop the whole run (a run_once task reads every host's accounts) -------------

RUN_CASES = [c for c in CATALOGUE if c.target == "run"]


@pytest.mark.parametrize("case", RUN_CASES, ids=[c.id for c in RUN_CASES])
def test_an_account_that_cannot_be_reached_stops_the_run_before_any_write(case, emulator, tmp_path):
    """The accounts are assumed once for all hosts, so a role no one can assume fails every host, saying which."""
    path = tmp_path / "hosts.yml"
    path.write_text(yaml.safe_dump(inventory_for([case, Case("run-good-host", "run", {}, "", "")])))
    mark = emulator.mark()
    done, result = run_site(emulator.endpoint, path)
    assert done.returncode != 0
    assert "Traceback" not in done.stdout + done.stderr
    failures = host_failures(result)
    assert failures, done.stdout[-3000:]
    for message, _whole in failures.values():
        assert case.option in message and case.rule in message, message
    assert emulator.writes(since=mark) == []
