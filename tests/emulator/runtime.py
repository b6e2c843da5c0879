"""Switches that change how the emulator answers, set through the admin API."""

from __future__ import annotations

DEFAULT_CONFIG = {
    # AWS's GetApplicationInstance is only known to return the published shape. With this on,
    # the emulator also returns responseConfig and responseSchemaConfig, so the collection's
    # two ways of comparing attribute mappings can both be tested.
    "get_application_instance_includes_response_config": False,
    # With the switch above on, leave these fields out of the answer ("responseConfig.ttl",
    # "responseSchemaConfig.properties", ...): AWS may show only part of the configuration
    # (relayState is an inferred name, and whether the answer carries any of these fields is
    # unknown: docs/aws-facts.md#what-getapplicationinstance-returns).
    "get_application_instance_omits": [],
    # Control-API operations (SWBService names) the caller is not allowed to call: they answer
    # AccessDeniedException as AWS does for a missing sso:<Operation> permission.
    "control_api_denied_operations": [],
    # Enforce the identity-based policies (and permissions boundary) of the role a request's session
    # assumed, as IAM does: authorization.py says what is evaluated. Off: every caller may do anything.
    "enforce_identity_policies": False,
}
# The documents of GetApplicationInstance's answer whose fields may be left out.
OMITTABLE_DOCUMENTS = ("responseConfig", "responseSchemaConfig")

config: dict = dict(DEFAULT_CONFIG)


def _check(key: str, value: object) -> None:
    if not isinstance(value, type(DEFAULT_CONFIG[key])):
        raise ValueError(f"{key} must be {type(DEFAULT_CONFIG[key]).__name__}")
    if isinstance(value, list) and not all(isinstance(item, str) and item for item in value):
        raise ValueError(f"{key} must be a list of non-empty strings")
    if key == "get_application_instance_omits":
        for path in value:
            if path.split(".", 1)[0] not in OMITTABLE_DOCUMENTS or "." not in path:
                raise ValueError(f"{key}: {path!r} is not <document>.<field> with document in {OMITTABLE_DOCUMENTS}")


def update_config(changes: dict) -> dict:
    unknown = set(changes) - set(DEFAULT_CONFIG)
    if unknown:
        raise ValueError(f"unknown settings {sorted(unknown)}; known: {sorted(DEFAULT_CONFIG)}")
    for key, value in changes.items():
        _check(key, value)
    config.update({key: list(value) if isinstance(value, list) else value for key, value in changes.items()})
    return dict(config)


def reset_config() -> None:
    config.clear()
    config.update({key: list(value) if isinstance(value, list) else value for key, value in DEFAULT_CONFIG.items()})
