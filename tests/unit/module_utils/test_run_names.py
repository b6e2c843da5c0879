"""The role's run-wide inventory check (module_utils/run_names.py, the filter inventory_problems)."""

from __future__ import annotations

from ansible_collections.connect_sso.federation.plugins.module_utils.run_names import inventory_problems


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


def test_a_shape_problem_comes_first_and_other_hosts_are_untouched():
    problems = inventory_problems({"h1": names("A1", shape="set one of ..."), "h2": names("A2", "P2", "R2")})
    assert problems == {"h1": "set one of ..."}
