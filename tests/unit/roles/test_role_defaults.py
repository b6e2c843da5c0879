"""Role variables have one source: each role's defaults/main.yml. Its argument specs document
those values exactly (so the two cannot drift), every default is documented, every entry point has
its tasks file, and no other role or playbook file repeats a name template or a default literal."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from ansible_collections.connect_sso.federation.plugins.module_utils.connect_users import ACCESS_SPEC

ROOT = Path(__file__).resolve().parents[3]
ROLES = sorted(path.parent.parent for path in (ROOT / "roles").glob("*/meta/argument_specs.yml"))
# a value of these kinds in a YAML file outside defaults/main.yml and argument_specs.yml is a second copy
FALLBACK = re.compile(r"""\|\s*default\(\s*(['"0-9{\[]|true|false)""")


def load(path: Path):
    return yaml.safe_load(path.read_text()) if path.is_file() else None


def entry_points(role: Path) -> dict:
    return load(role / "meta" / "argument_specs.yml")["argument_specs"]


def defaults(role: Path) -> dict:
    return load(role / "defaults" / "main.yml") or {}


def strings(node):
    """Every string value (not key) of a YAML document."""
    if isinstance(node, dict):
        for value in node.values():
            yield from strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from strings(value)
    elif isinstance(node, str):
        yield node


def test_there_are_roles_to_check():
    assert {role.name for role in ROLES} >= {"connect_federation", "sso_application", "member_federation"}


@pytest.mark.parametrize("role", ROLES, ids=lambda role: role.name)
def test_every_documented_default_is_the_value_of_the_roles_defaults_file(role):
    values = defaults(role)
    for entry, spec in entry_points(role).items():
        for option, documented in (spec.get("options") or {}).items():
            if "default" in documented:
                assert option in values, (
                    f"{role.name} {entry}: {option} documents a default that defaults/main.yml lacks"
                )
                assert documented["default"] == values[option], f"{role.name} {entry}: {option}"


@pytest.mark.parametrize("role", ROLES, ids=lambda role: role.name)
def test_every_default_is_documented_in_an_entry_point(role):
    documented = {option for spec in entry_points(role).values() for option in (spec.get("options") or {})}
    assert sorted(set(defaults(role)) - documented) == []


@pytest.mark.parametrize("role", ROLES, ids=lambda role: role.name)
def test_every_entry_point_has_its_tasks_file_and_every_variable_its_role_prefix(role):
    for entry in entry_points(role):
        assert (role / "tasks" / f"{entry}.yml").is_file(), f"{role.name}: entry point {entry} has no tasks file"
    assert [name for name in defaults(role) if not name.startswith(f"{role.name}_")] == []


def test_no_role_task_or_playbook_repeats_a_template_or_literal_of_the_defaults():
    federation = defaults(ROOT / "roles" / "connect_federation")
    # the fixed parts of the name templates, and the literals that are not mere words or booleans
    fixed = {part for value in federation.values() if isinstance(value, str) for part in re.split(r"{{.*?}}", value)}
    copies = {part for part in fixed if len(part) >= 4 and not re.search(r"\s", part)} | {
        str(value) for value in federation.values() if isinstance(value, int) and not isinstance(value, bool)
    }
    copies |= {"${user:email}", "PT1H"}
    files = [
        path
        for pattern in ("roles/*/tasks/*.yml", "roles/*/vars/*.yml", "roles/*/defaults/*.yml", "playbooks/*.yml")
        for path in ROOT.glob(pattern)
        if path != ROOT / "roles" / "connect_federation" / "defaults" / "main.yml"
    ]
    files += list((ROOT / "extensions" / "molecule").rglob("*.yml"))
    found = [
        (path.relative_to(ROOT).as_posix(), value)
        for path in files
        for value in strings(load(path))
        if FALLBACK.search(value) or any(copy in value for copy in copies)
    ]
    assert found == [], found


def inventory_variables(node) -> set[str]:
    """The variable names an inventory sets, in group vars and host entries."""
    names: set[str] = set()
    for group in node.values():
        names |= set((group or {}).get("vars") or {})
        for host in ((group or {}).get("hosts") or {}).values():
            names |= set(host or {})
        names |= inventory_variables((group or {}).get("children") or {})
    return names


@pytest.mark.parametrize("inventory", sorted((ROOT / "inventories").glob("*/hosts.yml")), ids=lambda p: p.parent.name)
def test_every_variable_an_inventory_sets_or_suggests_is_one_the_roles_document(inventory):
    documented = {
        option for role in ROLES for spec in entry_points(role).values() for option in (spec.get("options") or {})
    }
    text = inventory.read_text()
    suggested = set(re.findall(r"^\s*#\s*(connect_[a-z_]+):", text, re.MULTILINE))
    names = inventory_variables(yaml.safe_load(text)) | suggested
    assert sorted(n for n in names if not n.startswith("ansible_") and n not in documented) == []


def test_the_users_entries_of_the_role_are_the_modules_access_entries():
    """connect_federation_users is the access option of connect_saml_users: the same keys, types and defaults."""

    def shape(options: dict) -> dict:
        keys = ("type", "elements", "required", "default", "choices")
        return {name: {k: spec[k] for k in keys if spec.get(k) not in (None, False)} for name, spec in options.items()}

    for entry, spec in entry_points(ROOT / "roles" / "connect_federation").items():
        documented = (spec.get("options") or {}).get("connect_federation_users")
        if documented:
            assert shape(documented["options"]) == shape(ACCESS_SPEC["options"]), entry
