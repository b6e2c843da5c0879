"""Placeholder: filled in by the iam extension work."""

from __future__ import annotations


def install(emulator) -> None:
    pass


def seed_sandbox() -> dict:
    return {}
