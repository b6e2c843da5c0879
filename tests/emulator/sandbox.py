"""The `sandbox` organisation, read from topologies/sandbox.yml (the one place it is described):
the accounts, Connect instances and IdC directory the demo, the tests and inventories/sandbox
all describe. These names are the sandbox's; other topologies are read with topology.load()."""

from __future__ import annotations

from .topology import Instance, User, load

__all__ = [
    "ACCESS_ROLE",
    "ACCOUNTS",
    "AMBIENT_ACCOUNT",
    "EMAIL_DOMAIN",
    "GROUPS",
    "IDC_INSTANCE_ARN",
    "IDC_REGION",
    "IDENTITY_STORE_ID",
    "INSTANCES",
    "ROOT_ACCOUNT",
    "TOPOLOGY",
    "USERS",
    "Instance",
    "User",
    "connect_users",
    "group_name",
    "stable_uuid",
]

TOPOLOGY = load("sandbox")

# moto's default account: the emulator's "ambient" credentials (any dummy keys) act here,
# like a pipeline's own account; every sandbox account is reached by AssumeRole from it.
AMBIENT_ACCOUNT = TOPOLOGY.ambient_account
ROOT_ACCOUNT = TOPOLOGY.idc.account  # the IdC account
ACCOUNTS = dict(TOPOLOGY.accounts)
ACCESS_ROLE = TOPOLOGY.access_role
IDC_REGION = TOPOLOGY.idc.region
EMAIL_DOMAIN = TOPOLOGY.email_domain
IDC_INSTANCE_ARN = TOPOLOGY.idc.instance_arn
IDENTITY_STORE_ID = TOPOLOGY.idc.identity_store_id
INSTANCES = TOPOLOGY.instances
GROUPS = {name: group.description for name, group in TOPOLOGY.groups.items()}
USERS = TOPOLOGY.users
stable_uuid = TOPOLOGY.stable_uuid
connect_users = TOPOLOGY.connect_users


def group_name(env: str, role: str) -> str:
    return f"connect-{env}-{role}"
