"""The `sandbox` organisation: the accounts, Connect instances and IdC directory the demo,
the tests and inventories/sandbox all describe. One place; everything else reads it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

# moto's default account: the emulator's "ambient" credentials (any dummy keys) act here,
# like a pipeline's own account; every sandbox account is reached by AssumeRole from it.
AMBIENT_ACCOUNT = "123456789012"
ROOT_ACCOUNT = "111111111111"
ACCOUNTS = {"root": ROOT_ACCOUNT, "dev": "222222222222", "qa": "333333333333", "prod": "444444444444"}
ACCESS_ROLE = "OrganizationAccountAccessRole"
IDC_REGION = "us-east-1"
EMAIL_DOMAIN = "example.com"

# Fixed seeds for ids that AWS would generate randomly, so every run of the sandbox has the
# same ids (readable demo output, stable docs). Formats match AWS's.
_NAMESPACE = uuid.UUID("6f1c1d1e-5b0a-4c55-9a57-0c0ff1ce0000")
IDC_INSTANCE_ARN = "arn:aws:sso:::instance/ssoins-7223a1b2c3d4e5f6"
IDENTITY_STORE_ID = "d-9067a1b2c3"


def stable_uuid(*parts: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, "/".join(parts)))


@dataclass(frozen=True)
class Instance:
    env: str
    host: str  # the inventory host name
    region: str
    alias: str

    @property
    def account(self) -> str:
        return ACCOUNTS[self.env]

    @property
    def id(self) -> str:
        return stable_uuid("connect-instance", self.account, self.region, self.alias)

    @property
    def arn(self) -> str:
        return f"arn:aws:connect:{self.region}:{self.account}:instance/{self.id}"

    @property
    def app_name(self) -> str:
        """The IdC app's display name inventories/sandbox gives this host (the roles' default template)."""
        return f"AmazonConnect-{self.env.upper()}-{self.region}"


INSTANCES = (
    Instance("dev", "dev-east", "us-east-1", "acme-dev-east"),
    Instance("qa", "qa-east", "us-east-1", "acme-qa-east"),
    Instance("qa", "qa-west", "us-west-2", "acme-qa-west"),
    Instance("prod", "prod-east", "us-east-1", "acme-prod-east"),
    Instance("prod", "prod-west", "us-west-2", "acme-prod-west"),
)


@dataclass(frozen=True)
class User:
    user_name: str  # IdC UserName
    given_name: str
    family_name: str
    groups: tuple[str, ...] = ()
    # Connect username on the instances of the user's environment; None = the email, exact case.
    connect_username: str | None = None
    connect_profile: str = "Agent"  # security profile name on Connect
    envs: tuple[str, ...] = field(default=())

    @property
    def email(self) -> str:
        return f"{self.user_name}@{EMAIL_DOMAIN}"

    @property
    def display_name(self) -> str:
        return f"{self.given_name} {self.family_name}"


def group_name(env: str, role: str) -> str:
    return f"connect-{env}-{role}"


GROUPS = {
    group_name(env, role): f"Amazon Connect {role} in {env}"
    for env in ("dev", "qa", "prod")
    for role in ("agents", "admins")
}

USERS = (
    User("dana.dev", "Dana", "Devlin", (group_name("dev", "agents"),), envs=("dev",)),
    User("dmitri.dev", "Dmitri", "Dvorak", (group_name("dev", "admins"),), connect_profile="Admin", envs=("dev",)),
    User("quinn.qa", "Quinn", "Quayle", (group_name("qa", "agents"),), envs=("qa",)),
    User("quentin.qa", "Quentin", "Quist", (group_name("qa", "admins"),), connect_profile="Admin", envs=("qa",)),
    User("paula.prod", "Paula", "Prado", (group_name("prod", "agents"),), envs=("prod",)),
    # Connect username differs from the email only in case: IdC sends peter.prod@..., Connect
    # knows Peter.Prod@... -> "not onboarded", the classic failure.
    User(
        "peter.prod",
        "Peter",
        "Prost",
        (group_name("prod", "agents"),),
        connect_username=f"Peter.Prod@{EMAIL_DOMAIN}",
        envs=("prod",),
    ),
    User("priya.prod", "Priya", "Prakash", (group_name("prod", "admins"),), connect_profile="Admin", envs=("prod",)),
    # In IdC but in no group and on no instance: refused everywhere.
    User("nora.nobody", "Nora", "Nobody"),
)


def connect_users(instance: Instance) -> list[tuple[str, User]]:
    """(Connect username, IdC user) for every Connect user seeded on an instance."""
    return [(u.connect_username or u.email, u) for u in USERS if instance.env in u.envs]
