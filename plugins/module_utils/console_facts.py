# -*- coding: utf-8 -*-
# Copyright: Contributors to the connect_sso.federation collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""What the collection assumes about the IdC console API without AWS documenting it, in one place.

Each value below is used by the code that needs it (it imports it from here) and is listed in
FACTS with why the code needs it and where docs/aws-facts.md gives its source. console_probe.py
checks them in an organisation. This file imports nothing of the collection, so that every other
module_utils file may import it.
"""

from __future__ import annotations

from typing import Any, NamedTuple, Tuple

# Where responseConfig keeps the app's relay state (saml_app_config.py writes and compares it here).
RELAY_STATE_FIELD = "relayState"
# Whether GetApplicationInstance's answer carries responseConfig and responseSchemaConfig
# (app_attributes.py compares what it shows; a digest tag stands in for what it does not).
RETURNS_RESPONSE_CONFIG = True
# The console's Custom SAML 2.0 template, which CreateApplicationInstance makes apps from (idc_control.py).
CUSTOM_SAML_TEMPLATE = "tpl-50e590700beb5208"
# The member of a ListApplicationInstances answer that asks for another page (idc_control.py).
LIST_MARKER = "marker"
# What a listed app must hold to stand in for its GetApplicationInstance (idc.py, per-run facts).
LISTED_CONFIG_FIELDS = ("identityProviderConfig", "serviceProviderConfig", "status")
# The status a new app starts with (saml_app.py plans its status change from it).
NEW_APP_STATUS = "DISABLED"
# An app's metadata URL without the console API (saml_app.py): the token is base64 of this.
METADATA_URL_FORM = "{base}/saml/metadata/{token}"
METADATA_TOKEN_FORM = "{account}_{console_id}"

FACTS_ANCHOR = "docs/aws-facts.md#"


class Fact(NamedTuple):
    """One inferred fact: the value the code assumes, why the code needs it, and its source."""

    name: str
    assumed: Any
    why: str
    anchor: str


FACTS: Tuple[Fact, ...] = (
    Fact(
        "relay_state_field",
        "responseConfig." + RELAY_STATE_FIELD,
        "the relay state (the instance's federate URL) is written and compared under this name",
        FACTS_ANCHOR + "relay-state-and-start-url-fields",
    ),
    Fact(
        "get_application_instance_returns_response_config",
        RETURNS_RESPONSE_CONFIG,
        "attribute mappings and relay state are compared as shown; a digest tag stands in for what is not",
        FACTS_ANCHOR + "what-getapplicationinstance-returns",
    ),
    Fact(
        "metadata_url_form",
        METADATA_URL_FORM.format(base="https://<portal>", token="base64(" + METADATA_TOKEN_FORM + ")"),
        "with control_api false the app's metadata URL is derived, not read",
        FACTS_ANCHOR + "metadata-url-and-issuer",
    ),
    Fact(
        "custom_saml_template",
        CUSTOM_SAML_TEMPLATE,
        "CreateApplicationInstance makes the Custom SAML 2.0 app from this template",
        FACTS_ANCHOR + "operations-and-shapes",
    ),
    Fact(
        "list_marker",
        LIST_MARKER,
        "ListApplicationInstances is followed page by page through this member",
        FACTS_ANCHOR + "operations-and-shapes",
    ),
    Fact(
        "listed_config_fields",
        list(LISTED_CONFIG_FIELDS),
        "a listed app with these stands in for its GetApplicationInstance (one listing per run)",
        FACTS_ANCHOR + "operations-and-shapes",
    ),
    Fact(
        "new_app_status",
        NEW_APP_STATUS,
        "the plan of a new app reports a status change from this one",
        FACTS_ANCHOR + "operations-and-shapes",
    ),
)


def fact(name: str) -> Fact:
    return next(f for f in FACTS if f.name == name)
