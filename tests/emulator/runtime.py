"""Switches that change how the emulator answers, set through the admin API."""

from __future__ import annotations

DEFAULT_CONFIG = {
    # AWS's GetApplicationInstance is only known to return the published shape. With this on,
    # the emulator also returns responseConfig and responseSchemaConfig, so the collection's
    # two ways of comparing attribute mappings can both be tested.
    "get_application_instance_includes_response_config": False,
}

config: dict = dict(DEFAULT_CONFIG)


def update_config(changes: dict) -> dict:
    unknown = set(changes) - set(DEFAULT_CONFIG)
    if unknown:
        raise ValueError(f"unknown settings {sorted(unknown)}; known: {sorted(DEFAULT_CONFIG)}")
    for key, value in changes.items():
        if not isinstance(value, type(DEFAULT_CONFIG[key])):
            raise ValueError(f"{key} must be {type(DEFAULT_CONFIG[key]).__name__}")
    config.update(changes)
    return dict(config)


def reset_config() -> None:
    config.clear()
    config.update(DEFAULT_CONFIG)
