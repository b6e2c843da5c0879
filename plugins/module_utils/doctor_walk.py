# -*- coding: utf-8 -*-
# Copyright: Contributors to the connect_sso.federation collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""What the doctor's walk of one instance carries from link to link, and its vocabulary (doctor.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from ansible_collections.connect_sso.federation.plugins.module_utils.clients import AccountClients
from ansible_collections.connect_sso.federation.plugins.module_utils.idc import App, Idc

# The chain's links in the order a sign-in meets them (one vocabulary with the sign-in simulator).
LINKS = (
    "instance",
    "app",
    "app_status",
    "assignment",
    "acs_audience",
    "role_attribute",
    "provider",
    "provider_metadata",
    "role_trust",
    "role_policy",
    "relay_state",
    "session_name",
    "connect_user",
    "certificate_expiry",
)
ERROR, WARNING = "error", "warning"


@dataclass
class Finding:
    link: str
    severity: str  # ERROR or WARNING
    message: str  # what the user sees, in AWS's or Connect's words, and why
    fix: str  # what to change, in the console or in the inventory


class Stop(Exception):
    """This link's failure leaves nothing to check in the links after it."""


@dataclass
class Walk:
    """One instance's walk: the clients, the inventory's options, and what each link found."""

    member: AccountClients
    idc: Idc
    params: Dict[str, Any]
    findings: List[Finding] = field(default_factory=list)
    instance: Dict[str, Any] = field(default_factory=dict)
    app: Optional[App] = None
    found_by: str = ""  # how the app was found: "name" or "relay_state"
    config: Dict[str, Any] = field(default_factory=dict)  # the app's console answer ({} without the console API)
    expected: Dict[str, Any] = field(default_factory=dict)  # the response configuration the inventory asks for
    shown: Dict[str, Any] = field(default_factory=dict)  # mappings as the app holds them (shown or verified)
    acs: str = ""
    role_arn: str = ""
    provider_arn: str = ""
    provider: Optional[Dict[str, Any]] = None
    role: Optional[Dict[str, Any]] = None
    app_metadata: Any = None  # saml_metadata.Metadata of the app, once read
    metadata_url: str = ""
    users: Optional[List[Dict[str, Any]]] = None  # the identity store users the app is assigned to
    checked: List[str] = field(default_factory=list)

    def error(self, link: str, message: str, fix: str) -> None:
        self.findings.append(Finding(link, ERROR, message, fix))

    def warning(self, link: str, message: str, fix: str) -> None:
        self.findings.append(Finding(link, WARNING, message, fix))

    @property
    def app_name(self) -> str:
        return (self.app and self.app.name) or self.params["app_name"]
