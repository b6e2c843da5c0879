"""The registry of inferred console-API facts: each names a section of docs/aws-facts.md that exists,
and the code that depends on a fact uses the registry's value."""

from __future__ import annotations

import re
from pathlib import Path

from ansible_collections.connect_sso.federation.plugins.module_utils import (
    console_facts,
    console_probe,
    idc_control,
    saml_app,
)
from ansible_collections.connect_sso.federation.plugins.module_utils.console_facts import FACTS, FACTS_ANCHOR
from ansible_collections.connect_sso.federation.plugins.module_utils.saml_app_config import COMPARED_FIELDS

AWS_FACTS = Path(__file__).resolve().parents[3] / "docs" / "aws-facts.md"


def anchors() -> set[str]:
    """GitHub's anchors of the page's headings."""
    headings = re.findall(r"^#+ (.+)$", AWS_FACTS.read_text(), re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", h.lower()).replace(" ", "-") for h in headings}


def test_every_fact_names_a_section_of_aws_facts_that_exists():
    assert len({f.name for f in FACTS}) == len(FACTS)
    for fact in FACTS:
        assert fact.anchor.startswith(FACTS_ANCHOR) and fact.why
        assert fact.anchor[len(FACTS_ANCHOR) :] in anchors(), fact


def test_the_code_uses_the_registrys_values():
    assert console_facts.RELAY_STATE_FIELD in COMPARED_FIELDS["responseConfig"]
    assert idc_control.CUSTOM_SAML_TEMPLATE is console_facts.CUSTOM_SAML_TEMPLATE
    plan = saml_app.plan_present(
        None, saml_app.desired_shape("a", "", False, "https://x/saml", "urn:amazon:webservices")
    )
    assert not plan.status  # a new app is assumed to start as NEW_APP_STATUS (DISABLED)
    url = saml_app.derived_metadata_url("https://sso.us-east-1.amazonaws.com", "us-east-1", "111122223333", "ins-ab")
    assert url == "https://portal.sso.us-east-1.amazonaws.com/saml/metadata/MTExMTIyMjIzMzMzX2lucy1hYg=="


def test_paging_is_judged_by_what_the_listing_shows():
    two_pages = [{"applicationInstances": [{}], "marker": "1"}, {"applicationInstances": [{}]}]
    assert console_probe._marker(two_pages, 2, 2)["agrees"] is True
    assert console_probe._marker(two_pages[1:], 1, 1)["agrees"] is None  # one page held them all
    short = console_probe._marker([{"applicationInstances": [{}], "nextToken": "x"}], 1, 3)
    assert (short["agrees"], short["observed"]) == (False, ["nextToken"])


def test_a_relay_state_read_back_under_another_name_names_it():
    written = "https://us-east-1.console.aws.amazon.com/connect/federate/00000000-0000-4000-8000-000000000000"
    found = console_probe._relay_state_field({"subject": {}, "relay_state": written}, "here", written)
    assert (found["agrees"], found["observed"]) == (False, "responseConfig.relay_state")
    assert console_probe._relay_state_field({"relayState": written}, "here", written)["agrees"] is True
    assert console_probe._relay_state_field(None, "here", written)["agrees"] is None
