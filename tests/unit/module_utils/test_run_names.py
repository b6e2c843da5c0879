"""The role's run-wide inventory check (module_utils/run_names.py, the filter inventory_problems)."""

from __future__ import annotations

from ansible_collections.connect_sso.federation.plugins.module_utils.run_names import host_names, inventory_problems


def names(app, provider="P", role="R", account="a", shape=""):
    return {"app": app, "provider": provider, "role": role, "account": account, "shape": shape}


def test_distinct_names_have_no_problem():
    assert inventory_problems({"h1": names("A1", "P1", "R1"), "h2": names("A2", "P2", "R2")}) == {}


def test_one_app_for_two_hosts_fails_both_naming_every_host_and_the_variable():
    problems = inventory_problems({"h1": names("A", "P1", "R1"), "h2": names("A", "P2", "R2"), "h3": names("B")})
    assert sorted(problems) == ["h1", "h2"]
    assert problems["h1"].startswith('connect_federation_app_name="A": the hosts h1, h2 all name this IAM Identity')


def test_a_provider_or_role_name_clashes_only_within_one_account():
    apart = {"h1": names("A1", account="a"), "h2": names("A2", account="b")}
    assert inventory_problems(apart) == {}
    together = {"h1": names("A1", account="a"), "h2": names("A2", account="a")}
    problems = inventory_problems(together)
    assert "connect_federation_provider_name" in problems["h1"] and "connect_federation_role_name" in problems["h2"]


def test_hosts_that_name_no_app_share_none():
    assert inventory_problems({"h1": names(None, "P1", "R1"), "h2": names(None, "P2", "R2")}) == {}


def test_a_shape_problem_comes_first_and_other_hosts_are_untouched():
    problems = inventory_problems({"h1": names("A1", shape="set one of ..."), "h2": names("A2", "P2", "R2")})
    assert problems == {"h1": "set one of ..."}


# --- what one host makes (host_names), from its variables as its own tasks see them ------------------

HOST = {
    "connect_instance_alias": "acme-dev-east",
    "connect_federation_environment": "dev",
    "connect_federation_app_name": "A",
    "connect_federation_provider_name": "P",
    "connect_federation_role_name": "R",
}


def made(variables, entry_point="main"):
    return host_names("h1", entry_point, variables.get)


def test_a_host_makes_its_names_in_the_account_of_its_role_else_profile_else_ambient_credentials():
    assert made(HOST) == {"account": "ambient", "app": "A", "provider": "P", "role": "R", "shape": ""}
    assert made({**HOST, "connect_account_profile": "dev"})["account"] == "dev"
    role = "arn:aws:iam::111111111111:role/Deploy"
    assert made({**HOST, "connect_account_profile": "dev", "connect_account_role_arn": role})["account"] == role


def test_a_host_with_neither_alias_nor_id_or_in_no_group_has_a_shape_problem():
    no_instance = {k: v for k, v in HOST.items() if k != "connect_instance_alias"}
    assert made(no_instance)["shape"] == "set one of connect_instance_alias and connect_instance_id for h1"
    for environment in ("", "ungrouped", None):
        assert "is in no group" in made({**HOST, "connect_federation_environment": environment})["shape"]
    assert made({**HOST, "connect_federation_environment": "", "connect_environment": ""})["shape"] == ""


def test_the_idc_half_needs_the_instance_id_and_account_and_counts_names_per_account_id():
    idc_half = {**HOST, "connect_instance_id": "i-1", "connect_account_id": "111111111111"}
    assert made(idc_half, "sso_application") == {**made(idc_half), "account": "111111111111"}
    assert "set connect_instance_id for h1" in made(HOST, "sso_application")["shape"]
    assert "set connect_account_id for h1" in made({**HOST, "connect_instance_id": "i-1"}, "sso_application")["shape"]
