"""Tag planning and ownership: what the collection creates is marked; what it adopts is not claimed."""

from __future__ import annotations

from ansible_collections.connect_sso.federation.plugins.module_utils.module_support import (
    MANAGED_TAG_KEY,
    desired_tags,
    is_owned,
    plan_tags,
)


def test_created_resources_carry_the_ownership_tag_whatever_the_user_asks():
    tags = desired_tags({"env": "prod", MANAGED_TAG_KEY: "someone-else"})
    assert is_owned(tags) and tags["env"] == "prod"


def test_without_user_tags_an_existing_resource_is_left_alone():
    assert plan_tags({"team": "x"}, None, True) == ({}, [])
    assert plan_tags({}, None, True) == ({}, [])  # an adopted, untagged resource is not claimed


def test_user_tags_are_set_and_purged_but_the_ownership_tag_is_kept():
    current = {"old": "1", "env": "dev", MANAGED_TAG_KEY: "connect_sso.federation", "aws:cloudformation:x": "y"}
    to_set, to_remove = plan_tags(current, {"env": "prod"}, True)
    assert to_set == {"env": "prod"}
    assert to_remove == ["old"]
    assert plan_tags(current, {"env": "prod"}, False) == ({"env": "prod"}, [])


def test_an_adopted_resource_is_not_claimed_by_tagging_it():
    to_set, _to_remove = plan_tags({}, {"env": "prod"}, True)
    assert MANAGED_TAG_KEY not in to_set
