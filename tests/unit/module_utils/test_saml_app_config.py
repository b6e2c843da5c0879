"""The app configuration documents: building, comparing (pair order, defaults, missing
fields), digests, and the plan for the app itself."""

from __future__ import annotations

import pytest
from ansible_collections.connect_sso.federation.plugins.module_utils import saml_app
from ansible_collections.connect_sso.federation.plugins.module_utils import saml_app_config as config
from ansible_collections.connect_sso.federation.plugins.module_utils.errors import ValidationError

ROLE = "arn:aws:iam::444444444444:role/AmazonConnect_PROD_us-west-2_Role"
PROVIDER = "arn:aws:iam::444444444444:saml-provider/AWSSSO_PROD_us-west-2_Connect"
RELAY = "https://us-west-2.console.aws.amazon.com/connect/federate/3f2b6c1e-0f0e-4b8a-9a57-5d7c1d4e6a21"


def build(pairs=((ROLE, PROVIDER),), relay=RELAY, ttl="PT1H"):
    response = config.response_config(list(pairs), "${user:email}", "${user:email}", {}, relay, ttl)
    return response, config.response_schema_config("email", list(response["properties"]))


def same(current_response, current_schema, response, schema) -> bool:
    """Every field we set is carried by the answer and equal."""
    seen = config.compare_attributes(
        {"responseConfig": current_response, "responseSchemaConfig": current_schema}, response, schema
    )
    return seen.differing == [] and seen.hidden == []


def test_role_attribute_is_role_first_and_session_name_is_email():
    response, schema = build()
    assert response["properties"][config.ROLE_ATTRIBUTE] == {"source": [f"{ROLE},{PROVIDER}"]}
    assert response["properties"][config.SESSION_NAME_ATTRIBUTE] == {"source": ["${user:email}"]}
    assert response["relayState"] == RELAY
    assert schema["subject"]["nameIdFormat"].endswith("emailAddress")
    assert set(schema["properties"]) == set(response["properties"])


def test_pair_in_either_order_is_equal():
    response, schema = build()
    flipped = dict(
        response, properties=dict(response["properties"], **{config.ROLE_ATTRIBUTE: {"source": [f"{PROVIDER},{ROLE}"]}})
    )
    assert same(flipped, schema, response, schema)


def test_several_pairs_compare_as_a_set():
    other = ("arn:aws:iam::444444444444:role/Other", PROVIDER)
    one, schema = build(pairs=[(ROLE, PROVIDER), other])
    two, _schema = build(pairs=[other, (ROLE, PROVIDER)])
    assert same(one, schema, two, schema)
    assert config.digest(one, schema) == config.digest(two, schema)


def test_an_answer_without_the_configuration_hides_every_field_we_set():
    response, schema = build()
    for shape in ({}, {"responseConfig": None}, {"responseConfig": {}, "responseSchemaConfig": {}}):
        seen = config.compare_attributes(shape, response, schema)
        assert (seen.differing, seen.compared) == ([], [])
        assert seen.hidden == config.attribute_fields()


def test_a_partial_answer_compares_what_it_carries_and_names_the_rest():
    response, schema = build()
    partial = {k: v for k, v in response.items() if k not in ("ttl", "relayState")}
    seen = config.compare_attributes({"responseConfig": partial, "responseSchemaConfig": schema}, response, schema)
    assert seen.differing == []
    assert seen.hidden == ["session duration", "relay state"]
    assert "attribute mappings" in seen.compared and "session duration" not in seen.compared


def test_a_partial_answer_still_shows_drift_in_what_it_carries():
    response, schema = build()
    drifted = dict(
        response,
        properties=dict(response["properties"], **{config.SESSION_NAME_ATTRIBUTE: {"source": ["${user:name}"]}}),
    )
    drifted.pop("ttl")
    seen = config.compare_attributes({"responseConfig": drifted, "responseSchemaConfig": schema}, response, schema)
    assert (seen.differing, seen.hidden) == (["attribute mappings"], ["session duration"])


def test_keys_the_collection_does_not_set_are_ignored():
    response, schema = build()
    extra_response = dict(response, startUrl="https://example.com", sessionTags={"a": "b"})
    extra_response["properties"] = {
        name: dict(value, attrNameFormat="x") for name, value in response["properties"].items()
    }
    extra_schema = {
        "subject": dict(schema["subject"], supportedNameIdFormats=["a"]),
        "properties": {name: dict(value, name=name) for name, value in schema["properties"].items()},
        "supportedNameIdFormats": ["urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"],
    }
    assert same(extra_response, extra_schema, response, schema)


def test_missing_ttl_with_the_default_asked_is_not_a_difference_but_unverified():
    response, schema = build(ttl="PT1H")
    without_ttl = {k: v for k, v in response.items() if k != "ttl"}
    seen = config.compare_attributes({"responseConfig": without_ttl, "responseSchemaConfig": schema}, response, schema)
    assert (seen.differing, seen.hidden) == ([], ["session duration"])


def test_a_null_field_counts_as_not_shown_and_durations_compare_by_length():
    response, schema = build(ttl="PT1H")
    seen = config.compare_attributes(
        {"responseConfig": dict(response, ttl=None, relayState=None), "responseSchemaConfig": schema}, response, schema
    )
    assert (seen.differing, seen.hidden) == ([], ["session duration", "relay state"])
    assert same(dict(response, ttl="PT60M"), schema, response, schema)
    assert not same(dict(response, ttl="PT2H"), schema, response, schema)


def test_a_field_we_leave_empty_may_be_missing_but_not_set():
    response, schema = build(relay=None)
    seen = config.compare_attributes({"responseConfig": response, "responseSchemaConfig": schema}, response, schema)
    assert (seen.differing, seen.hidden) == ([], [])
    with_relay = dict(response, relayState=RELAY)
    seen = config.compare_attributes({"responseConfig": with_relay, "responseSchemaConfig": schema}, response, schema)
    assert seen.differing == ["relay state"]


def test_changed_relay_state_or_duration_changes_the_digest():
    response, schema = build()
    assert config.digest(*build(relay=RELAY.replace("us-west-2", "us-east-1"))) != config.digest(response, schema)
    assert config.digest(*build(ttl="PT8H")) != config.digest(response, schema)


def test_no_relay_state_means_no_relay_field():
    response, _schema = build(relay=None)
    assert "relayState" not in response


@pytest.mark.parametrize(
    "value, ok",
    [
        ("PT15M", True),
        ("PT12H", True),
        ("PT8H30M", True),
        ("PT14M", False),
        ("PT12H1S", False),
        ("P1D", False),
        ("", False),
    ],
)
def test_session_duration_range(value, ok):
    if ok:
        assert config.duration_seconds(value) >= 900
    else:
        with pytest.raises(ValidationError):
            config.duration_seconds(value)


def test_unknown_user_attribute_is_refused_but_literals_pass():
    assert config.validate_source("literal-value", "x") == "literal-value"
    assert config.validate_source("${user:givenName}.${user:familyName}", "x")
    with pytest.raises(ValidationError, match=r"\$\{user:emial\} is not an IAM Identity Center attribute"):
        config.validate_source("${user:emial}", "role_session_name")


def test_pair_accounts_must_match():
    with pytest.raises(ValidationError, match="but its role is in 444444444444"):
        config.validate_role_pairs([{"role_arn": ROLE, "provider_arn": PROVIDER.replace("4444", "3333", 1)}])
    assert config.validate_role_pairs([{"role_arn": ROLE, "provider_arn": PROVIDER}]) == [(ROLE, PROVIDER)]


def test_app_plan_for_a_new_app_creates_configures_and_enables():
    desired = saml_app.desired_shape("App", "", True, "https://signin.aws.amazon.com/saml", "urn:amazon:webservices")
    plan = saml_app.plan_present(None, desired)
    assert (plan.create, plan.service_provider, plan.status, plan.display) == (True, True, True, True)


def test_app_plan_for_a_matching_app_is_empty():
    desired = saml_app.desired_shape("App", "d", True, "https://signin.aws.amazon.com/saml", "urn:amazon:webservices")
    assert not saml_app.plan_present(dict(desired), desired).changed


def test_app_plan_sees_a_changed_acs_and_status():
    desired = saml_app.desired_shape("App", "", True, "https://signin.aws.amazon.com/saml", "urn:amazon:webservices")
    current = saml_app.desired_shape(
        "App", "", False, "https://us-east-1.signin.aws.amazon.com/saml", "urn:amazon:webservices"
    )
    plan = saml_app.plan_present(current, desired)
    assert (plan.service_provider, plan.status, plan.display, plan.create) == (True, True, False, False)


def test_derived_metadata_url_uses_the_portal_host_or_the_custom_endpoint():
    url = saml_app.derived_metadata_url(
        "https://sso.us-east-1.amazonaws.com", "us-east-1", "113496420080", "ins-68044c9cb4b51402"
    )
    assert (
        url == "https://portal.sso.us-east-1.amazonaws.com/saml/metadata/MTEzNDk2NDIwMDgwX2lucy02ODA0NGM5Y2I0YjUxNDAy"
    )
    assert saml_app.derived_metadata_url("http://127.0.0.1:9", "us-east-1", "1", "ins-0").startswith(
        "http://127.0.0.1:9/saml/metadata/"
    )


def test_access_denied_on_the_console_api_names_the_missing_action():
    from ansible_collections.connect_sso.federation.plugins.module_utils.idc_control import explain
    from botocore.exceptions import ClientError

    error = ClientError(
        {"Error": {"Code": "AccessDeniedException", "Message": "User is not authorized"}},
        "UpdateApplicationInstanceResponseConfiguration",
    )
    message = explain(error, "UpdateApplicationInstanceResponseConfiguration", "us-east-1")
    assert "may not call sso:UpdateApplicationInstanceResponseConfiguration in us-east-1" in message
    assert "control_api: false" in message


@pytest.mark.parametrize("code", ["UnrecognizedClientException", "ExpiredTokenException", "InvalidSignatureException"])
def test_refused_credentials_are_not_reported_as_a_missing_permission(code):
    from ansible_collections.connect_sso.federation.plugins.module_utils.idc_control import explain
    from botocore.exceptions import ClientError

    error = ClientError({"Error": {"Code": code, "Message": "The security token is invalid"}}, "GetApplicationInstance")
    message = explain(error, "GetApplicationInstance", "us-east-1")
    assert f"the credentials were refused ({code}: The security token is invalid)" in message
    assert "invalid or expired" in message
    assert "sso:GetApplicationInstance" not in message


def test_pairs_must_share_one_partition_and_it_must_be_the_apps():
    gov_role, gov_provider = (a.replace("arn:aws:", "arn:aws-us-gov:") for a in (ROLE, PROVIDER))
    with pytest.raises(ValidationError, match=r"role_pairs\[0\].provider_arn=.*is in partition aws-us-gov"):
        config.validate_role_pairs([{"role_arn": ROLE, "provider_arn": gov_provider}])
    pairs = [{"role_arn": gov_role, "provider_arn": gov_provider}]
    with pytest.raises(
        ValidationError,
        match=r"role_pairs\[0\].role_arn=.*is in partition aws-us-gov, but the IAM Identity Center application is "
        r"in partition aws",
    ):
        config.validate_role_pairs(pairs, app_partition="aws")
    assert config.validate_role_pairs(pairs, app_partition="aws-us-gov") == [(gov_role, gov_provider)]
    with pytest.raises(ValidationError, match=r"role_pairs\[1\].role_arn=.*is in partition aws-us-gov"):
        config.validate_role_pairs([{"role_arn": ROLE, "provider_arn": PROVIDER}, pairs[0]])


@pytest.mark.parametrize(
    "url",
    [
        "https://signin.aws.amazon.com/saml",
        "https://us-west-2.signin.aws.amazon.com/saml",
        "https://eu-central-1.signin.aws.amazon.com/saml",
        "https://signin.amazonaws-us-gov.com/saml",
    ],
)
def test_acs_url_accepts_the_sign_in_hosts(url):
    assert (
        saml_app.desired_state("App", "", True, url, None, "us-east-1")["serviceProviderConfig"]["consumers"][0][
            "location"
        ]
        == url
    )


@pytest.mark.parametrize(
    "url",
    [
        "http://signin.aws.amazon.com/saml",
        "https://evil.example.com/saml",
        "https://signin.aws.amazon.com.evil.example.com/saml",
        "https://us-west-9.signin.aws.amazon.com/saml",
        "https://us-gov-west-1.signin.aws.amazon.com/saml",
        "https://evil.example.com/signin.aws.amazon.com/saml",
        "https://signin.aws.amazon.com/saml?x=1",
        "https://user@signin.aws.amazon.com/saml",
        "https://signin.aws.amazon.com:8443/saml",
        "https://signin.aws.amazon.com/other/saml",
    ],
)
def test_acs_url_refuses_other_hosts_naming_the_rule(url):
    with pytest.raises(ValidationError) as error:
        saml_app.desired_state("App", "", True, url, None, "us-east-1")
    assert f"acs_url={url!r}" in str(error.value)
    assert "an ACS URL is https://<AWS sign-in host>/saml, the host one of: signin.aws.amazon.com" in str(error.value)
