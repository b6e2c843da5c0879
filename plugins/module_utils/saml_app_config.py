# -*- coding: utf-8 -*-
# Copyright: Contributors to the connect_sso.federation collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""What an IdC SAML app must send for Amazon Connect (docs/aws-facts.md#saml-attributes), as the console API's
documents: service provider, response and response schema configuration. Pure functions:
building, validating, comparing (a Role pair in either order is the same), digests, and the
console steps for organisations that forbid the console API."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any, Dict, List, NamedTuple, Optional, Tuple

from ansible_collections.connect_sso.federation.plugins.module_utils.arns import validate_arn
from ansible_collections.connect_sso.federation.plugins.module_utils.console_facts import RELAY_STATE_FIELD
from ansible_collections.connect_sso.federation.plugins.module_utils.errors import ValidationError

ROLE_ATTRIBUTE = "https://aws.amazon.com/SAML/Attributes/Role"
SESSION_NAME_ATTRIBUTE = "https://aws.amazon.com/SAML/Attributes/RoleSessionName"
ATTRIBUTE_NAME_FORMAT = "urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified"
POST_BINDING = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
NAMEID_FORMATS = {
    "email": "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
    "persistent": "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent",
    "transient": "urn:oasis:names:tc:SAML:2.0:nameid-format:transient",
    "unspecified": "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified",
}
# IdC's attribute sources (docs/aws-facts.md#idc-attribute-sources); anything else in ${user:...} is a typo.
USER_SOURCES = ("email", "subject", "name", "preferredUsername", "givenName", "familyName", "middleName", "AD_GUID")
_SOURCE_VARIABLE = re.compile(r"\$\{user:([^}]*)\}")
_DURATION = re.compile(r"^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$")
MIN_DURATION, MAX_DURATION = 15 * 60, 12 * 3600
DIGEST_TAG = "connect_sso.federation:attributes-sha256"
# Where the console API keeps the session duration in responseConfig: ttl, observed in published clients
# (docs/aws-facts.md#operations-and-shapes). The relay state's field is inferred: console_facts.py holds it.
SESSION_DURATION_FIELD = "ttl"
# The argument spec of what the app asserts (doc fragment connect_sso.federation.assertion).
ASSERTION_SPEC = dict(
    role_session_name=dict(type="str", default="${user:email}"),
    subject=dict(type="str", default="${user:email}"),
    subject_format=dict(type="str", choices=["email", "persistent", "transient", "unspecified"], default="email"),
    attributes=dict(type="dict", default={}),
    relay_destination=dict(type="str"),
    new_domain=dict(type="bool", default=False),
    session_duration=dict(type="str", default="PT1H"),
)


def service_provider_config(acs_url: str, audience: str) -> Dict[str, Any]:
    """Where IdC posts assertions (ACS) and for whom (audience)."""
    return {
        "audience": audience,
        "consumers": [{"location": acs_url, "binding": POST_BINDING, "defaultValue": True}],
        "requireRequestSignature": False,
    }


def validate_source(value: object, option: str) -> str:
    if not isinstance(value, str) or not value:
        raise ValidationError(option, value, "an attribute source is a non-empty string")
    if value.count("${") != len(_SOURCE_VARIABLE.findall(value)):
        raise ValidationError(option, value, "a ${...} in an attribute source is not closed: write ${user:<name>}")
    for name in _SOURCE_VARIABLE.findall(value):
        if name not in USER_SOURCES:
            raise ValidationError(
                option,
                value,
                f"${{user:{name}}} is not an IAM Identity Center attribute "
                "(known: " + ", ".join(f"${{user:{n}}}" for n in USER_SOURCES) + ")",
            )
    return value


def validate_attribute_name(name: object, option: str = "attributes") -> str:
    """An extra attribute's name: not empty, and not one the chain sets itself (Role, RoleSessionName),
    which an extra mapping would replace, breaking every sign-in."""
    name = str(name)
    if not name.strip():
        raise ValidationError(option, name, "an attribute name is a non-empty string")
    if name in (ROLE_ATTRIBUTE, SESSION_NAME_ATTRIBUTE):
        raise ValidationError(
            option,
            name,
            "this attribute is set from role_pairs (Role) or role_session_name (RoleSessionName); "
            "set those options instead",
        )
    return name


def duration_seconds(value: object, option: str = "session_duration") -> int:
    match = _DURATION.match(value) if isinstance(value, str) else None
    if not match or not any(match.groups()):
        raise ValidationError(option, value, "must be an ISO-8601 duration such as PT1H or PT8H30M")
    hours, minutes, seconds = (int(g or 0) for g in match.groups())
    total = hours * 3600 + minutes * 60 + seconds
    if not MIN_DURATION <= total <= MAX_DURATION:
        raise ValidationError(option, value, "IAM Identity Center allows PT15M to PT12H")
    return total


def validate_role_pairs(
    pairs: List[Dict[str, str]], option: str = "role_pairs", app_partition: Optional[str] = None
) -> List[Tuple[str, str]]:
    """(role ARN, provider ARN) pairs: each well formed, a pair in one account, all in one partition,
    and that partition the app's (app_partition, when known): sign-in never crosses partitions."""
    if not pairs:
        raise ValidationError(option, pairs, "at least one (role_arn, provider_arn) pair is required")
    result, partition = [], None
    for index, pair in enumerate(pairs):
        role = validate_arn(pair.get("role_arn"), f"{option}[{index}].role_arn", "role", partition)
        if app_partition and role.partition != app_partition:
            raise ValidationError(
                f"{option}[{index}].role_arn",
                pair["role_arn"],
                f"is in partition {role.partition}, but the IAM Identity Center application is in partition "
                f"{app_partition}; AWS sign-in only accepts roles of the IdC region's partition",
            )
        partition = role.partition
        provider = validate_arn(pair.get("provider_arn"), f"{option}[{index}].provider_arn", "saml-provider", partition)
        if role.account_id != provider.account_id:
            raise ValidationError(
                f"{option}[{index}].provider_arn",
                pair["provider_arn"],
                f"is in account {provider.account_id} but its role is in {role.account_id}; "
                "STS only accepts a role and provider of the same account",
            )
        result.append((pair["role_arn"], pair["provider_arn"]))
    return result


def response_config(
    role_pairs: List[Tuple[str, str]],
    role_session_name: str,
    subject: str,
    attributes: Dict[str, str],
    relay_state: Optional[str],
    session_duration: str,
) -> Dict[str, Any]:
    """The assertion IdC builds: Subject, Role (role first, as AWS documents it), RoleSessionName, extras."""
    properties = {
        ROLE_ATTRIBUTE: {"source": [f"{role},{provider}" for role, provider in role_pairs]},
        SESSION_NAME_ATTRIBUTE: {"source": [role_session_name]},
    }
    for name, source in sorted(attributes.items()):
        properties[name] = {"source": [source]}
    config: Dict[str, Any] = {
        "subject": {"source": [subject]},
        "properties": properties,
        SESSION_DURATION_FIELD: session_duration,
    }
    if relay_state:
        config[RELAY_STATE_FIELD] = relay_state
    return config


def response_schema_config(subject_format: str, attribute_names: List[str]) -> Dict[str, Any]:
    return {
        "subject": {"include": "REQUIRED", "nameIdFormat": NAMEID_FORMATS[subject_format]},
        "properties": {
            name: {"attrNameFormat": ATTRIBUTE_NAME_FORMAT, "include": "YES"} for name in sorted(attribute_names)
        },
    }


def _pair_key(value: str) -> str:
    """'role,provider' and 'provider,role' are the same pair."""
    parts = [p.strip() for p in value.split(",")]
    if len(parts) == 2 and ":saml-provider/" in parts[0] and ":role/" in parts[1]:
        parts.reverse()
    return ",".join(parts)


def canonical_response(config: Optional[Dict[str, Any]]) -> Dict[str, Any]:
    """A response configuration with everything that does not change its meaning taken out,
    and only the fields the collection sets (an answer's extra keys do not count)."""
    config = config or {}
    properties = {}
    for name, value in (config.get("properties") or {}).items():
        sources = list((value or {}).get("source") or [])
        if name == ROLE_ATTRIBUTE:
            sources = sorted(_pair_key(s) for s in sources)
        properties[name] = sources
    return {
        "subject": list((config.get("subject") or {}).get("source") or []),
        "properties": properties,
        SESSION_DURATION_FIELD: config.get(SESSION_DURATION_FIELD) or "",
        RELAY_STATE_FIELD: config.get(RELAY_STATE_FIELD) or "",
    }


def _only(value: Any, keys: Tuple[str, ...]) -> Dict[str, Any]:
    return {k: v for k, v in (value or {}).items() if k in keys}


def canonical_schema(config: Optional[Dict[str, Any]]) -> Dict[str, Any]:
    config = config or {}
    return {
        "subject": _only(config.get("subject"), ("include", "nameIdFormat")),
        "properties": {k: _only(v, ("attrNameFormat", "include")) for k, v in (config.get("properties") or {}).items()},
    }


# The fields the collection sets, per document of GetApplicationInstance's answer, with the
# words the results use for them. Whether AWS's answer carries any of them is unknown
# (docs/aws-facts.md#what-getapplicationinstance-returns).
COMPARED_FIELDS = {
    "responseConfig": {
        "subject": "subject",
        "properties": "attribute mappings",
        SESSION_DURATION_FIELD: "session duration",
        RELAY_STATE_FIELD: "relay state",
    },
    "responseSchemaConfig": {"subject": "subject format", "properties": "attribute formats"},
}


class Comparison(NamedTuple):
    """How an answer's configuration compares with the desired one, field by field."""

    differing: List[str]  # carried by the answer and different
    hidden: List[str]  # set by the collection, not carried by the answer: only the digest can tell
    compared: List[str]  # carried by the answer (equal or not)


def compare_attributes(
    shape: Dict[str, Any], desired_response: Dict[str, Any], desired_schema: Dict[str, Any]
) -> Comparison:
    """Compare what GetApplicationInstance's answer carries; name what it does not carry."""
    result = Comparison([], [], [])
    documents = {
        "responseConfig": (canonical_response, desired_response),
        "responseSchemaConfig": (canonical_schema, desired_schema),
    }
    for document, (canonical, desired) in documents.items():
        current = shape.get(document)
        current = current if isinstance(current, dict) else {}
        have, want = canonical(current), canonical(desired)
        if document == "responseConfig":
            for document_fields in (have, want):
                document_fields[SESSION_DURATION_FIELD] = _duration_key(document_fields[SESSION_DURATION_FIELD])
        for field, label in COMPARED_FIELDS[document].items():
            if current.get(field) is not None:  # a null member is no more shown than a missing one
                result.compared.append(label)
                if have[field] != want[field]:
                    result.differing.append(label)
            elif want[field]:
                # AWS's JSON leaves out members with no value, so a missing field matches an empty
                # wish; a field we set that is missing may be unset or merely not shown.
                result.hidden.append(label)
    return result


def _duration_key(value: str) -> Any:
    """PT1H and PT60M are the same session duration, whichever way IdC writes it back."""
    match = _DURATION.match(value)
    if not match or not any(match.groups()):
        return value
    hours, minutes, seconds = (int(g or 0) for g in match.groups())
    return hours * 3600 + minutes * 60 + seconds


def attribute_fields() -> List[str]:
    """What sso_app_attributes sets, in the words of its results."""
    return [label for fields in COMPARED_FIELDS.values() for label in fields.values()]


def digest(response: Dict[str, Any], schema: Dict[str, Any]) -> str:
    """What the collection last applied, as a tag value, when the API cannot show the configuration."""
    canonical = {"response": canonical_response(response), "schema": canonical_schema(schema)}
    return hashlib.sha256(json.dumps(canonical, sort_keys=True).encode()).hexdigest()


def manual_app_steps(name: str, description: str, acs_url: str, audience: str, enabled: bool) -> List[str]:
    """The console steps that make the app sso_saml_app would make."""
    return [
        "IAM Identity Center console > Applications > Add application > "
        "'I have an application I want to set up' > SAML 2.0 > Next",
        f"Display name: {name}",
        f"Description: {description or '(empty)'}",
        "IAM Identity Center metadata: copy the 'IAM Identity Center SAML metadata file' URL "
        "(give it to connect_sso.federation.connect_saml_idp as metadata_url)",
        "Application properties: leave 'Application start URL' empty (agents start from the portal)",
        f"Application metadata > 'Manually type your metadata values': Application ACS URL: {acs_url}",
        f"Application SAML audience: {audience}",
        "Submit, then Actions > " + ("keep the application Active" if enabled else "Disable the application"),
    ]


def manual_attribute_steps(name: str, response: Dict[str, Any], schema: Dict[str, Any]) -> List[str]:
    """The console steps that set what sso_app_attributes would set."""
    steps = [
        f"IAM Identity Center console > Applications > {name} > Actions > Edit configuration",
        f"Application properties > Relay state: {response.get(RELAY_STATE_FIELD, '(empty)')}",
        f"Application properties > Session duration: {response[SESSION_DURATION_FIELD]}",
        "Save changes, then Actions > Edit attribute mappings",
        f"Subject: {response['subject']['source'][0]}  format: {schema['subject']['nameIdFormat'].rsplit(':', 1)[-1]}",
    ]
    for attribute, value in response["properties"].items():
        for source in value["source"]:
            steps.append(f"Add new attribute mapping: {attribute} = {source}  format: unspecified")
    steps.append("Save changes")
    return steps


def assertion_options(
    role_session_name: str,
    subject: str,
    subject_format: str,
    attributes: Optional[Dict[str, str]],
    session_duration: str,
) -> Dict[str, Any]:
    """What the assertion carries besides the Role pairs and the relay state, validated."""
    if subject_format not in NAMEID_FORMATS:
        raise ValidationError("subject_format", subject_format, "one of " + ", ".join(NAMEID_FORMATS))
    duration_seconds(session_duration)
    return dict(
        role_session_name=validate_source(role_session_name, "role_session_name"),
        subject=validate_source(subject, "subject"),
        subject_format=subject_format,
        attributes={
            validate_attribute_name(k): validate_source(v, f"attributes.{k}") for k, v in (attributes or {}).items()
        },
        session_duration=session_duration,
    )


def desired_attributes(
    role_pairs: List[Dict[str, str]],
    options: Dict[str, Any],
    relay_state: Optional[str],
    app_partition: Optional[str] = None,
) -> Tuple[Dict[str, Any], Dict[str, Any]]:
    """(response, schema) configuration from the Role pairs (validated here), the assertion
    options (assertion_options) and the relay state.
    app_partition: the IdC region's partition, which every role pair must be in."""
    pairs = validate_role_pairs(role_pairs, app_partition=app_partition)
    response = response_config(
        pairs,
        options["role_session_name"],
        options["subject"],
        options["attributes"],
        relay_state,
        options["session_duration"],
    )
    return response, response_schema_config(options["subject_format"], list(response["properties"]))
