"""Topologies as data: the accounts, Connect instances and IdC directory the emulator seeds.

`load(spec)` reads one: a name (a file in topologies/, e.g. "sandbox", "eu"), a path to a
.yml, a dict of the same shape, or "scale:N" (generated). It validates the shape and answers a
`Topology`, which the seeding code (extensions/*.seed) and the tests read. `inventory()` and
`write_inventory()` turn a topology into an Ansible inventory in inventories/sandbox's shape.

The file's shape (tests/emulator/README.md, "Topologies"; topologies/sandbox.yml is the example):

    name, ambient_account, access_role, email_domain, id_namespace   (all optional)
    idc: {account: <account name>, region, instance_arn?, identity_store_id?}
    accounts: {<name>: {id: "<12 digits>", instances?: [{region, alias, host?,
               identity_management_type?, status?, vars?}]}}
    groups: {<name>: {account?: <name or list>, description?, security_profiles?}}
    users: {<user name>: {given_name, family_name, groups?, connect?: {accounts, username?,
            security_profile?}}}
"""

from __future__ import annotations

import functools
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

TOPOLOGIES_DIR = Path(__file__).resolve().parent / "topologies"
DEFAULT_NAMESPACE = "6f1c1d1e-5b0a-4c55-9a57-0c0ff1ce0000"
DEFAULT_AMBIENT_ACCOUNT = "123456789012"  # moto's default account: where dummy keys act
DEFAULT_ACCESS_ROLE = "OrganizationAccountAccessRole"
IDENTITY_MANAGEMENT_TYPES = ("SAML", "CONNECT_MANAGED", "EXISTING_DIRECTORY")
INSTANCE_STATUSES = ("CREATION_IN_PROGRESS", "ACTIVE", "CREATION_FAILED")
# The security profiles Connect creates in every instance.
CONNECT_SECURITY_PROFILES = ("Admin", "Agent", "CallCenterManager", "QualityAnalyst")
ROUTING_PROFILE = "Basic Routing Profile"  # the routing profile Connect creates in every instance
SCALE_MAX = 2000
_ACCOUNT_NAME = re.compile(r"^[a-z][a-z0-9_]*$")  # an Ansible group name too: no '-' or '.'
_ACCOUNT_ID = re.compile(r"^[0-9]{12}$")
_ALIAS = re.compile(r"^[a-z0-9]([a-z0-9-]{0,60}[a-z0-9])?$")  # a subdomain of my.connect.aws
_SCALE = re.compile(r"^scale:([0-9]+)$")

_KEYS = {
    "": (
        "name",
        "ambient_account",
        "access_role",
        "email_domain",
        "id_namespace",
        "idc",
        "accounts",
        "groups",
        "users",
    ),
    "idc": ("account", "region", "instance_arn", "identity_store_id"),
    "account": ("id", "instances"),
    "instance": ("region", "alias", "host", "identity_management_type", "status", "vars"),
    "group": ("account", "description", "security_profiles"),
    "user": ("given_name", "family_name", "groups", "connect"),
    "connect": ("accounts", "username", "security_profile"),
}


class TopologyError(ValueError):
    """The topology is not valid; the message says where and why."""


def stable_uuid(*parts: str, namespace: str = DEFAULT_NAMESPACE) -> str:
    return str(uuid.uuid5(uuid.UUID(namespace), "/".join(parts)))


@dataclass(frozen=True)
class Instance:
    env: str  # the account's name: the inventory group (environment)
    host: str  # the inventory host name
    region: str
    alias: str
    account: str  # the account id
    id: str
    identity_management_type: str = "SAML"
    status: str = "ACTIVE"
    vars: Mapping = field(default_factory=dict, compare=False, hash=False)  # extra inventory host vars

    @property
    def arn(self) -> str:
        return f"arn:aws:connect:{self.region}:{self.account}:instance/{self.id}"

    @property
    def app_name(self) -> str:
        """The IdC app's display name the inventory gives this host (the roles' default template)."""
        return f"AmazonConnect-{self.env.upper()}-{self.region}"


@dataclass(frozen=True)
class Group:
    name: str
    description: str
    accounts: tuple[str, ...] = ()  # the accounts (names) whose inventory groups assign this group
    security_profiles: tuple[str, ...] = ()  # the inventory maps the group to these (connect_federation_users)


@dataclass(frozen=True)
class User:
    user_name: str  # IdC UserName
    given_name: str
    family_name: str
    groups: tuple[str, ...] = ()
    # Connect username on the instances of the user's accounts; None = the email, exact case.
    connect_username: str | None = None
    connect_profile: str = "Agent"  # security profile name on Connect
    envs: tuple[str, ...] = ()  # the accounts (names) on whose instances the user has a Connect user
    email_domain: str = "example.com"

    @property
    def email(self) -> str:
        return f"{self.user_name}@{self.email_domain}"

    @property
    def display_name(self) -> str:
        return f"{self.given_name} {self.family_name}"


@dataclass(frozen=True)
class Idc:
    account_name: str
    account: str  # the account id
    region: str
    instance_arn: str
    identity_store_id: str


@dataclass(frozen=True)
class Topology:
    name: str
    ambient_account: str
    access_role: str
    email_domain: str
    id_namespace: str
    idc: Idc
    accounts: Mapping[str, str]  # name -> id, in file order
    instances: tuple[Instance, ...]
    groups: Mapping[str, Group]
    users: tuple[User, ...]
    source: Mapping = field(compare=False, hash=False)  # the document it was read from (JSON-able)

    def stable_uuid(self, *parts: str) -> str:
        return stable_uuid(*parts, namespace=self.id_namespace)

    def role_arn(self, account: str) -> str:
        """The access role's ARN in an account (by name or id)."""
        return f"arn:aws:iam::{self.accounts.get(account, account)}:role/{self.access_role}"

    def connect_users(self, instance: Instance) -> list[tuple[str, User]]:
        """(Connect username, IdC user) for every Connect user seeded on an instance."""
        return [(u.connect_username or u.email, u) for u in self.users if instance.env in u.envs]

    def instance(self, host: str) -> Instance:
        for candidate in self.instances:
            if candidate.host == host:
                return candidate
        raise KeyError(f"no host {host!r} in topology {self.name!r}: one of {', '.join(self.hosts)}")

    @property
    def hosts(self) -> list[str]:
        return [i.host for i in self.instances]


# --- loading --------------------------------------------------------------------------------


def names() -> list[str]:
    """The topologies shipped in topologies/ (each also loads by name)."""
    return sorted(p.stem for p in TOPOLOGIES_DIR.glob("*.yml"))


def load(spec: str | Path | Mapping | Topology) -> Topology:
    """A topology from a name, a path to a .yml, a dict, "scale:N", or a Topology (as is)."""
    if isinstance(spec, Topology):
        return spec
    if isinstance(spec, Mapping):
        return _build(spec, "topology")
    if isinstance(spec, Path):
        return _from_file(spec)
    if not isinstance(spec, str) or not spec:
        raise TopologyError(f"a topology is a name, a path, a dict or 'scale:N', not {spec!r}")
    return _load_named(spec)


def _load_named(spec: str) -> Topology:
    scale = _SCALE.match(spec)
    if scale:
        return _scale_cached(int(scale.group(1)))
    if spec.startswith("scale:"):
        raise TopologyError(f"{spec!r}: scale:N needs a whole number N (1 to {SCALE_MAX})")
    if "/" not in spec and not spec.endswith((".yml", ".yaml")):
        return _named(spec)
    return _from_file(Path(spec))  # read every time: a file may change between seeds


@functools.lru_cache(maxsize=16)
def _named(name: str) -> Topology:
    path = TOPOLOGIES_DIR / f"{name}.yml"
    if not path.is_file():
        raise TopologyError(
            f"unknown topology {name!r}; known: {', '.join(names())}, scale:N, or a path to a .yml file"
        )
    return _from_file(path)


@functools.lru_cache(maxsize=8)
def _scale_cached(count: int) -> Topology:
    return scale_topology(count)


def _from_file(path: Path) -> Topology:
    if not path.is_file():
        raise TopologyError(f"no topology file {str(path)!r}")
    try:
        document = yaml.load(path.read_text(encoding="utf-8"), Loader=_StrictLoader)
    except yaml.YAMLError as error:
        raise TopologyError(f"{path.name}: not valid YAML: {error}") from None
    if not isinstance(document, Mapping):
        raise TopologyError(f"{path.name}: a topology file holds one mapping")
    if "name" not in document:
        document = {"name": path.stem, **document}
    return _build(document, path.name)


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses a key given twice in one mapping (PyYAML keeps the last silently)."""


def _mapping_without_duplicates(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen = set()
    for key_node, _value in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_duplicates)


@functools.lru_cache(maxsize=1)
def _regions(service: str) -> frozenset[str]:
    import botocore.session

    return frozenset(botocore.session.get_session().get_available_regions(service))


class _Reader:
    """Checks one document, naming the place of each fault: `<origin>: accounts.qa.instances[1]: ...`."""

    def __init__(self, origin: str) -> None:
        self.origin = origin

    def fail(self, where: str, message: str) -> TopologyError:
        return TopologyError(f"{self.origin}: {where}: {message}" if where else f"{self.origin}: {message}")

    def mapping(self, value: object, where: str, kind: str) -> dict:
        if value is None:
            value = {}
        if not isinstance(value, Mapping):
            raise self.fail(where, f"must be a mapping, not {type(value).__name__}")
        unknown = [k for k in value if k not in _KEYS[kind]]
        if unknown:
            raise self.fail(where, f"unknown key {unknown[0]!r} (known: {', '.join(_KEYS[kind])})")
        return dict(value)

    def text(self, value: object, where: str, default: str | None = None) -> str:
        if value is None and default is not None:
            return default
        if not isinstance(value, str) or not value:
            raise self.fail(where, f"must be a non-empty string, not {value!r}")
        return value

    def strings(self, value: object, where: str) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise self.fail(where, f"must be a list of non-empty strings, not {value!r}")
        if len(set(value)) != len(value):
            raise self.fail(where, f"lists an entry twice: {value!r}")
        return tuple(value)

    def account_id(self, value: object, where: str) -> str:
        if isinstance(value, int) and not isinstance(value, bool):
            value = f"{value:012d}"
        if not isinstance(value, str) or not _ACCOUNT_ID.match(value):
            raise self.fail(where, f"must be a 12-digit account id (quote it), not {value!r}")
        return value

    def choice(self, value: object, where: str, choices: tuple[str, ...], default: str) -> str:
        if value is None:
            return default
        if value not in choices:
            raise self.fail(where, f"{value!r} is not one of {', '.join(choices)}")
        return value

    def region(self, value: object, where: str, service: str, what: str) -> str:
        region = self.text(value, where)
        if region not in _regions(service):
            raise self.fail(where, f"{region!r} is not a region with {what} ({', '.join(sorted(_regions(service)))})")
        return region


def _build(document: Mapping, origin: str) -> Topology:
    read = _Reader(origin)
    top = read.mapping(document, "", "")
    name = read.text(top.get("name"), "name", default="custom")
    ambient = read.account_id(top.get("ambient_account", DEFAULT_AMBIENT_ACCOUNT), "ambient_account")
    access_role = read.text(top.get("access_role"), "access_role", default=DEFAULT_ACCESS_ROLE)
    email_domain = read.text(top.get("email_domain"), "email_domain", default="example.com")
    namespace = read.text(top.get("id_namespace"), "id_namespace", default=DEFAULT_NAMESPACE)
    try:
        uuid.UUID(namespace)
    except ValueError:
        raise read.fail("id_namespace", f"must be a UUID, not {namespace!r}") from None

    # accounts and their instances
    raw_accounts = top.get("accounts")
    if not isinstance(raw_accounts, Mapping) or not raw_accounts:
        raise read.fail("accounts", "must be a mapping of account name to {id, instances}")
    accounts: dict[str, str] = {}
    instances: list[Instance] = []
    hosts: dict[str, str] = {}
    aliases: dict[str, str] = {}
    for account_name, raw in raw_accounts.items():
        where = f"accounts.{account_name}"
        if not isinstance(account_name, str) or not _ACCOUNT_NAME.match(account_name):
            raise read.fail(where, "an account name is lower case letters, digits and '_' (an inventory group)")
        body = read.mapping(raw, where, "account")
        account_id = read.account_id(body.get("id"), f"{where}.id")
        clash = next((n for n, i in accounts.items() if i == account_id), None)
        if clash:
            raise read.fail(f"{where}.id", f"duplicate account id {account_id} (also accounts.{clash})")
        accounts[account_name] = account_id
        raw_instances = body.get("instances") or []
        if not isinstance(raw_instances, list):
            raise read.fail(f"{where}.instances", "must be a list")
        for index, raw_instance in enumerate(raw_instances):
            here = f"{where}.instances[{index}]"
            spec = read.mapping(raw_instance, here, "instance")
            region = read.region(spec.get("region"), f"{here}.region", "connect", "Amazon Connect")
            alias = read.text(spec.get("alias"), f"{here}.alias")
            if not _ALIAS.match(alias):
                raise read.fail(f"{here}.alias", f"{alias!r}: lower case letters, digits and '-', at most 62")
            host = read.text(spec.get("host"), f"{here}.host", default=alias)
            for seen, key, value in ((aliases, "alias", alias), (hosts, "host", host)):
                if value in seen:
                    raise read.fail(f"{here}.{key}", f"duplicate {key} {value!r} (also {seen[value]})")
                seen[value] = here
            host_vars = spec.get("vars") or {}
            if not isinstance(host_vars, Mapping):
                raise read.fail(f"{here}.vars", "must be a mapping of inventory host vars")
            instances.append(
                Instance(
                    env=account_name,
                    host=host,
                    region=region,
                    alias=alias,
                    account=account_id,
                    id=stable_uuid("connect-instance", account_id, region, alias, namespace=namespace),
                    identity_management_type=read.choice(
                        spec.get("identity_management_type"),
                        f"{here}.identity_management_type",
                        IDENTITY_MANAGEMENT_TYPES,
                        "SAML",
                    ),
                    status=read.choice(spec.get("status"), f"{here}.status", INSTANCE_STATUSES, "ACTIVE"),
                    vars=dict(host_vars),
                )
            )

    # IdC
    idc_spec = read.mapping(top.get("idc"), "idc", "idc")
    idc_account = read.text(idc_spec.get("account"), "idc.account")
    if idc_account not in accounts:
        raise read.fail("idc.account", f"unknown account {idc_account!r} (accounts: {', '.join(accounts)})")
    idc_region = read.region(idc_spec.get("region"), "idc.region", "sso-admin", "IAM Identity Center")
    seed = uuid.uuid5(uuid.UUID(namespace), f"idc/{accounts[idc_account]}/{idc_region}").hex
    idc = Idc(
        account_name=idc_account,
        account=accounts[idc_account],
        region=idc_region,
        instance_arn=read.text(
            idc_spec.get("instance_arn"), "idc.instance_arn", default=f"arn:aws:sso:::instance/ssoins-{seed[:16]}"
        ),
        identity_store_id=read.text(
            idc_spec.get("identity_store_id"), "idc.identity_store_id", default=f"d-{seed[16:26]}"
        ),
    )

    # groups
    raw_groups = top.get("groups") or {}
    if not isinstance(raw_groups, Mapping):
        raise read.fail("groups", "must be a mapping of group name to {account, description, security_profiles}")
    groups: dict[str, Group] = {}
    for group_name, raw in raw_groups.items():
        where = f"groups.{group_name}"
        body = read.mapping(raw, where, "group")
        raw_account = body.get("account")
        assigned_in = read.strings([raw_account] if isinstance(raw_account, str) else raw_account, f"{where}.account")
        stray = [a for a in assigned_in if a not in accounts]
        if stray:
            raise read.fail(f"{where}.account", f"unknown account {stray[0]!r} (accounts: {', '.join(accounts)})")
        groups[str(group_name)] = Group(
            name=str(group_name),
            description=read.text(body.get("description"), f"{where}.description", default=str(group_name)),
            accounts=assigned_in,
            security_profiles=read.strings(body.get("security_profiles"), f"{where}.security_profiles"),
        )
        unknown = [p for p in groups[str(group_name)].security_profiles if p not in CONNECT_SECURITY_PROFILES]
        if unknown:
            raise read.fail(
                f"{where}.security_profiles",
                f"unknown security profile {unknown[0]!r} (Connect's: {', '.join(CONNECT_SECURITY_PROFILES)})",
            )

    # users
    raw_users = top.get("users") or {}
    if not isinstance(raw_users, Mapping):
        raise read.fail("users", "must be a mapping of user name to {given_name, family_name, groups, connect}")
    users: list[User] = []
    for user_name, raw in raw_users.items():
        where = f"users.{user_name}"
        body = read.mapping(raw, where, "user")
        member_of = read.strings(body.get("groups"), f"{where}.groups")
        unknown = [g for g in member_of if g not in groups]
        if unknown:
            raise read.fail(f"{where}.groups", f"unknown group {unknown[0]!r} (groups: {', '.join(groups) or 'none'})")
        connect = read.mapping(body.get("connect"), f"{where}.connect", "connect") if "connect" in body else {}
        envs = read.strings(connect.get("accounts"), f"{where}.connect.accounts")
        if "connect" in body and not envs:
            raise read.fail(f"{where}.connect.accounts", "name the accounts whose instances get this Connect user")
        stray = [a for a in envs if a not in accounts]
        if stray:
            raise read.fail(f"{where}.connect.accounts", f"unknown account {stray[0]!r}")
        users.append(
            User(
                user_name=str(user_name),
                given_name=read.text(body.get("given_name"), f"{where}.given_name"),
                family_name=read.text(body.get("family_name"), f"{where}.family_name"),
                groups=member_of,
                connect_username=(
                    read.text(connect["username"], f"{where}.connect.username") if "username" in connect else None
                ),
                connect_profile=read.choice(
                    connect.get("security_profile"),
                    f"{where}.connect.security_profile",
                    CONNECT_SECURITY_PROFILES,
                    "Agent",
                ),
                envs=envs,
                email_domain=email_domain,
            )
        )

    return Topology(
        name=name,
        ambient_account=ambient,
        access_role=access_role,
        email_domain=email_domain,
        id_namespace=namespace,
        idc=idc,
        accounts=accounts,
        instances=tuple(instances),
        groups=groups,
        users=tuple(users),
        source=_plain(document),
    )


def _plain(value: object) -> object:
    """A JSON-able copy (the document as given, so GET /_emulator/topology can hand it back)."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


# --- scale:N --------------------------------------------------------------------------------

SCALE_FIRST_ACCOUNT = 500000000001
SCALE_REGIONS = (("east", "us-east-1"), ("west", "us-west-2"))


def scale_document(count: int) -> dict:
    """N member accounts (ids 500000000001...), each with an instance in us-east-1 and one in
    us-west-2 (alias scale-0001-east/-west), an agents group and 2 agents with Connect users;
    IdC in the sandbox's root account, us-east-1."""
    if not 1 <= count <= SCALE_MAX:
        raise TopologyError(f"scale:{count}: N must be between 1 and {SCALE_MAX}")
    accounts: dict = {"root": {"id": "111111111111"}}
    groups: dict = {}
    users: dict = {}
    for n in range(1, count + 1):
        label = f"scale-{n:04d}"
        account = f"scale_{n:04d}"
        accounts[account] = {
            "id": f"{SCALE_FIRST_ACCOUNT + n - 1:012d}",
            "instances": [{"region": region, "alias": f"{label}-{side}"} for side, region in SCALE_REGIONS],
        }
        group = f"connect-{label}-agents"
        groups[group] = {"account": account, "description": f"Amazon Connect agents in {label}"}
        for k in (1, 2):
            users[f"agent{k}.{label}"] = {
                "given_name": f"Agent{k}",
                "family_name": f"Scale{n:04d}",
                "groups": [group],
                "connect": {"accounts": [account]},
            }
    return {
        "name": f"scale:{count}",
        "idc": {"account": "root", "region": "us-east-1"},
        "accounts": accounts,
        "groups": groups,
        "users": users,
    }


def scale_topology(count: int) -> Topology:
    return _build(scale_document(count), f"scale:{count}")


# --- inventory ------------------------------------------------------------------------------


def inventory(topology: str | Path | Mapping | Topology) -> dict:
    """The Ansible inventory (YAML inventory plugin's shape, as inventories/sandbox/hosts.yml):
    one group per account with instances (its environment), one host per instance."""
    topo = load(topology)
    children: dict = {}
    for account, account_id in topo.accounts.items():
        hosts = [i for i in topo.instances if i.env == account]
        if not hosts:
            continue
        group_vars: dict = {
            "connect_environment": account,
            "connect_account_id": account_id,
            "connect_account_role_arn": topo.role_arn(account),
        }
        assigned = [g for g in topo.groups.values() if account in g.accounts]
        if assigned:
            group_vars["connect_sso_assignments"] = [{"type": "GROUP", "name": g.name} for g in assigned]
        mapped = [g for g in assigned if g.security_profiles]
        if mapped:
            group_vars["connect_federation_users"] = [
                {"group": g.name, "security_profiles": list(g.security_profiles), "routing_profile": ROUTING_PROFILE}
                for g in mapped
            ]
        children[account] = {
            "vars": group_vars,
            "hosts": {i.host: {"connect_region": i.region, "connect_instance_alias": i.alias, **i.vars} for i in hosts},
        }
    return {
        "all": {
            "vars": {
                "ansible_connection": "local",
                "ansible_python_interpreter": "{{ ansible_playbook_python }}",
                "connect_sso_idc_region": topo.idc.region,
                "connect_sso_idc_role_arn": topo.role_arn(topo.idc.account),
            },
            "children": children,
        }
    }


def write_inventory(topology: str | Path | Mapping | Topology, path: str | Path) -> Path:
    """Write inventory(topology) as a YAML inventory file; answers the path."""
    topo = load(topology)
    path = Path(path)
    header = (
        f"---\n# Generated from the emulator topology {topo.name!r} (tests/emulator/topology.py).\n"
        "# Export AWS_ENDPOINT_URL=<the emulator's endpoint> and any dummy keys, then\n"
        f"#   ansible-playbook -i {path.name} site.yml\n"
    )
    path.write_text(header + yaml.safe_dump(inventory(topo), sort_keys=False, width=120), encoding="utf-8")
    return path
