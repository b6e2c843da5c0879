"""Amazon Connect in the emulator: sandbox instances, default profiles, users with SAML rules."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from emulator import sandbox
from emulator.sandbox import ACCOUNTS, INSTANCES

DEV, QA, PROD = ACCOUNTS["dev"], ACCOUNTS["qa"], ACCOUNTS["prod"]
DEV_EAST = next(i for i in INSTANCES if i.host == "dev-east")


def error_of(call, **kwargs) -> tuple[str, int, str]:
    with pytest.raises(ClientError) as error:
        call(**kwargs)
    response = error.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"], response["Error"]["Message"]


@pytest.fixture
def dev(client_for):
    return client_for("connect", DEV)


def profile_ids(connect, instance_id: str) -> dict[str, str]:
    security = connect.list_security_profiles(InstanceId=instance_id)["SecurityProfileSummaryList"]
    routing = connect.list_routing_profiles(InstanceId=instance_id)["RoutingProfileSummaryList"]
    return {p["Name"]: p["Id"] for p in security + routing}


def user_params(instance_id: str, ids: dict[str, str], **overrides) -> dict:
    params = {
        "InstanceId": instance_id,
        "Username": "new.agent@example.com",
        "IdentityInfo": {"FirstName": "New", "LastName": "Agent", "SecondaryEmail": "new.agent@example.com"},
        "PhoneConfig": {"PhoneType": "SOFT_PHONE"},
        "SecurityProfileIds": [ids["Agent"]],
        "RoutingProfileId": ids["Basic Routing Profile"],
    }
    params.update(overrides)
    return params


@pytest.mark.parametrize("spec", INSTANCES, ids=lambda i: i.host)
def test_sandbox_instance_is_saml_active_in_its_account_and_region(client_for, spec):
    connect = client_for("connect", spec.account, spec.region)
    instance = connect.describe_instance(InstanceId=spec.id)["Instance"]
    assert instance["Arn"] == spec.arn
    assert instance["InstanceAlias"] == spec.alias
    assert (instance["IdentityManagementType"], instance["InstanceStatus"]) == ("SAML", "ACTIVE")
    assert instance["InstanceAccessUrl"] == f"https://{spec.alias}.my.connect.aws"
    listed = connect.list_instances()["InstanceSummaryList"]
    assert spec.id in [i["Id"] for i in listed]


def test_instances_are_not_visible_from_other_accounts_or_regions(client_for):
    assert client_for("connect", DEV, "us-west-2").list_instances()["InstanceSummaryList"] == []
    qa_east = [i["InstanceAlias"] for i in client_for("connect", QA).list_instances()["InstanceSummaryList"]]
    assert qa_east == ["acme-qa-east"]
    code, status, _message = error_of(client_for("connect", PROD).describe_instance, InstanceId=DEV_EAST.id)
    assert (code, status) == ("ResourceNotFoundException", 404)


def test_list_instances_pages_at_most_ten(dev):
    for index in range(11):
        dev.create_instance(
            IdentityManagementType="SAML",
            InstanceAlias=f"extra-{index}",
            InboundCallsEnabled=True,
            OutboundCallsEnabled=True,
        )
    first = dev.list_instances()
    assert len(first["InstanceSummaryList"]) == 10
    second = dev.list_instances(NextToken=first["NextToken"])
    assert len(second["InstanceSummaryList"]) == 2 and "NextToken" not in second
    everything = dev.get_paginator("list_instances").paginate().build_full_result()["InstanceSummaryList"]
    assert len({i["Id"] for i in everything}) == 12


@pytest.mark.parametrize("token", ["not-a-token", "-3", "999"])
def test_a_next_token_connect_did_not_issue_is_invalid_parameter_not_a_server_error(dev, token):
    for call, extra in ((dev.list_instances, {}), (dev.list_users, {"InstanceId": DEV_EAST.id})):
        code, status, _message = error_of(call, NextToken=token, **extra)
        assert (code, status) == ("InvalidParameterException", 400), call
    profiles = error_of(dev.list_security_profiles, InstanceId=DEV_EAST.id, NextToken=token)
    assert profiles[:2] == ("InvalidParameterException", 400)


def test_new_instance_gets_connects_default_profiles(dev):
    instance_id = dev.create_instance(
        IdentityManagementType="SAML", InstanceAlias="fresh", InboundCallsEnabled=True, OutboundCallsEnabled=True
    )["Id"]
    names = set(profile_ids(dev, instance_id))
    assert names == {"Admin", "Agent", "CallCenterManager", "QualityAnalyst", "Basic Routing Profile"}
    security = dev.list_security_profiles(InstanceId=instance_id)["SecurityProfileSummaryList"][0]
    assert security["Arn"].startswith(f"arn:aws:connect:us-east-1:{DEV}:instance/{instance_id}/security-profile/")
    described = dev.describe_security_profile(InstanceId=instance_id, SecurityProfileId=security["Id"])
    assert described["SecurityProfile"]["SecurityProfileName"] == security["Name"]


def test_create_describe_list_delete_user(dev):
    ids = profile_ids(dev, DEV_EAST.id)
    created = dev.create_user(**user_params(DEV_EAST.id, ids))
    assert created["UserArn"] == f"{DEV_EAST.arn}/agent/{created['UserId']}"
    user = dev.describe_user(InstanceId=DEV_EAST.id, UserId=created["UserId"])["User"]
    assert (user["Username"], user["SecurityProfileIds"]) == ("new.agent@example.com", [ids["Agent"]])
    names = [u["Username"] for u in dev.list_users(InstanceId=DEV_EAST.id)["UserSummaryList"]]
    assert "new.agent@example.com" in names
    dev.delete_user(InstanceId=DEV_EAST.id, UserId=created["UserId"])
    assert error_of(dev.describe_user, InstanceId=DEV_EAST.id, UserId=created["UserId"])[:2] == (
        "ResourceNotFoundException",
        404,
    )


@pytest.mark.parametrize(
    "overrides, fragment",
    [
        ({"Username": "has space"}, "Username"),
        ({"Username": "testuser@example"}, "email address"),
        ({"Username": "x" * 65}, "Username"),
        ({"Password": "Secret123!"}, "Password is not supported"),
        ({"DirectoryUserId": "abc"}, "DirectoryUserId"),
        ({"IdentityInfo": {"LastName": "Agent"}}, "FirstName"),
        ({"IdentityInfo": {"FirstName": "New", "LastName": "A" * 101}}, "LastName"),
        ({"IdentityInfo": {"FirstName": "N", "LastName": "A", "Email": "n@example.com"}}, "SecondaryEmail"),
    ],
)
def test_create_user_enforces_saml_rules(dev, overrides, fragment):
    ids = profile_ids(dev, DEV_EAST.id)
    code, status, message = error_of(dev.create_user, **user_params(DEV_EAST.id, ids, **overrides))
    assert (code, status) == ("InvalidParameterException", 400)
    assert fragment in message


def test_create_user_needs_existing_profiles(dev):
    ids = profile_ids(dev, DEV_EAST.id)
    missing = "00000000-0000-4000-8000-000000000000"
    params = user_params(DEV_EAST.id, ids, SecurityProfileIds=[missing])
    assert error_of(dev.create_user, **params)[:2] == ("ResourceNotFoundException", 404)
    params = user_params(DEV_EAST.id, ids, RoutingProfileId=missing)
    assert error_of(dev.create_user, **params)[:2] == ("ResourceNotFoundException", 404)


def test_duplicate_username_is_refused_but_case_counts(dev):
    ids = profile_ids(dev, DEV_EAST.id)
    dev.create_user(**user_params(DEV_EAST.id, ids))
    assert error_of(dev.create_user, **user_params(DEV_EAST.id, ids))[:2] == ("DuplicateResourceException", 409)
    dev.create_user(**user_params(DEV_EAST.id, ids, Username="New.Agent@example.com"))


def test_list_users_paginates(dev):
    ids = profile_ids(dev, DEV_EAST.id)
    for index in range(5):
        dev.create_user(**user_params(DEV_EAST.id, ids, Username=f"agent{index}@example.com"))
    first = dev.list_users(InstanceId=DEV_EAST.id, MaxResults=3)
    assert len(first["UserSummaryList"]) == 3
    pages = dev.get_paginator("list_users").paginate(InstanceId=DEV_EAST.id, PaginationConfig={"PageSize": 3})
    assert [len(page["UserSummaryList"]) for page in pages] == [3, 3, 1]  # 5 new + the 2 seeded dev users


def test_unknown_instance_is_resource_not_found(dev):
    missing = "00000000-0000-4000-8000-000000000000"
    assert error_of(dev.list_users, InstanceId=missing)[:2] == ("ResourceNotFoundException", 404)


def test_seeded_users_match_the_sandbox(client_for):
    for spec in INSTANCES:
        connect = client_for("connect", spec.account, spec.region)
        names = sorted(u["Username"] for u in connect.list_users(InstanceId=spec.id)["UserSummaryList"])
        assert names == sorted(name for name, _user in sandbox.connect_users(spec))
    prod_names = [
        u["Username"] for u in client_for("connect", PROD).list_users(InstanceId=INSTANCES[3].id)["UserSummaryList"]
    ]
    assert "Peter.Prod@example.com" in prod_names and "peter.prod@example.com" not in prod_names


def test_admin_route_sets_an_instance_status(emulator, dev):
    emulator.admin(
        "POST",
        "/connect/instance-status",
        {"account": DEV, "region": "us-east-1", "instance_id": DEV_EAST.id, "status": "CREATION_FAILED"},
    )
    assert dev.describe_instance(InstanceId=DEV_EAST.id)["Instance"]["InstanceStatus"] == "CREATION_FAILED"


# --- the users API: SearchUsers, updates, tags, DeleteUser ------------------------------------


@pytest.fixture
def new_user(dev):
    ids = profile_ids(dev, DEV_EAST.id)
    created = dev.create_user(**user_params(DEV_EAST.id, ids, Tags={"team": "blue"}))
    return created["UserId"], created["UserArn"], ids


def search(connect, **kwargs) -> list[dict]:
    return connect.search_users(InstanceId=DEV_EAST.id, **kwargs)["Users"]


def test_search_users_answers_the_api_models_summary_with_only_the_names_of_the_identity(dev, new_user):
    user_id, arn, ids = new_user
    found = search(
        dev,
        SearchCriteria={"StringCondition": {"FieldName": "resourceId", "Value": user_id, "ComparisonType": "EXACT"}},
    )
    assert found == [
        {
            "Arn": arn,
            "Id": user_id,
            "Username": "new.agent@example.com",
            "IdentityInfo": {"FirstName": "New", "LastName": "Agent"},
            "PhoneConfig": {"PhoneType": "SOFT_PHONE", "AutoAccept": False, "AfterContactWorkTimeLimit": 0},
            "RoutingProfileId": ids["Basic Routing Profile"],
            "SecurityProfileIds": [ids["Agent"]],
            "Tags": {"team": "blue"},
        }
    ]


def test_search_users_filters_by_tag_or_attribute_and_matches_string_conditions(dev, new_user):
    _user_id, _arn, ids = new_user
    everyone = {u["Username"] for u in search(dev)}
    assert everyone == {"new.agent@example.com", "dana.dev@example.com", "dmitri.dev@example.com"}
    assert [
        u["Username"]
        for u in search(dev, SearchFilter={"TagFilter": {"TagCondition": {"TagKey": "team", "TagValue": "blue"}}})
    ] == ["new.agent@example.com"]
    by_attribute = {"UserAttributeFilter": {"TagCondition": {"TagKey": "team"}}}
    assert [u["Username"] for u in search(dev, SearchFilter=by_attribute)] == ["new.agent@example.com"]
    admins = {"StringCondition": {"FieldName": "SecurityProfileId", "Value": ids["Admin"], "ComparisonType": "EXACT"}}
    assert [u["Username"] for u in search(dev, SearchCriteria=admins)] == ["dmitri.dev@example.com"]
    either = {
        "OrConditions": [
            {"StringCondition": {"FieldName": "FirstName", "Value": "Dan", "ComparisonType": "STARTS_WITH"}},
            {"StringCondition": {"FieldName": "LastName", "Value": "gen", "ComparisonType": "CONTAINS"}},
        ]
    }
    assert {u["Username"] for u in search(dev, SearchCriteria=either)} == {
        "dana.dev@example.com",
        "new.agent@example.com",
    }
    # usernames are case sensitive
    upper = {"StringCondition": {"FieldName": "Username", "Value": "Dana.Dev@example.com", "ComparisonType": "EXACT"}}
    assert search(dev, SearchCriteria=upper) == []


@pytest.fixture
def unvalidated(aws, emulator):
    """Connect through a client that skips botocore's parameter validation (as another SDK or a raw request would)."""
    import botocore.config

    config = botocore.config.Config(parameter_validation=False, retries={"total_max_attempts": 1})
    return aws(DEV).client("connect", endpoint_url=emulator.endpoint, config=config)


def test_search_users_pages_up_to_500_and_refuses_bad_limits_filters_and_fields(dev, new_user, unvalidated):
    first = dev.search_users(InstanceId=DEV_EAST.id, MaxResults=2)
    assert (len(first["Users"]), first["ApproximateTotalCount"]) == (2, 3)
    second = dev.search_users(InstanceId=DEV_EAST.id, MaxResults=2, NextToken=first["NextToken"])
    assert len(second["Users"]) == 1 and "NextToken" not in second
    paged = dev.get_paginator("search_users").paginate(InstanceId=DEV_EAST.id, PaginationConfig={"PageSize": 500})
    assert len(paged.build_full_result()["Users"]) == 3
    for bad in (0, 501):
        code, status, _message = error_of(unvalidated.search_users, InstanceId=DEV_EAST.id, MaxResults=bad)
        assert (code, status) == ("InvalidParameterException", 400)
    both = {"TagFilter": {"TagCondition": {"TagKey": "a"}}, "UserAttributeFilter": {"TagCondition": {"TagKey": "a"}}}
    assert error_of(dev.search_users, InstanceId=DEV_EAST.id, SearchFilter=both)[0] == "InvalidParameterException"
    odd = {"StringCondition": {"FieldName": "Email", "Value": "x", "ComparisonType": "EXACT"}}
    assert error_of(dev.search_users, InstanceId=DEV_EAST.id, SearchCriteria=odd)[0] == "InvalidParameterException"
    code, status, _message = error_of(dev.search_users, InstanceId="00000000-0000-0000-0000-000000000000")
    assert (code, status) == ("ResourceNotFoundException", 404)


def test_updates_change_the_user_with_createusers_rules(dev, new_user, unvalidated):
    user_id, _arn, ids = new_user
    key = {"InstanceId": DEV_EAST.id, "UserId": user_id}
    dev.update_user_security_profiles(SecurityProfileIds=[ids["Agent"], ids["CallCenterManager"]], **key)
    dev.update_user_routing_profile(RoutingProfileId=ids["Basic Routing Profile"], **key)
    dev.update_user_identity_info(
        IdentityInfo={"FirstName": "Nu", "LastName": "Agent", "SecondaryEmail": "nu@example.com"}, **key
    )
    dev.update_user_phone_config(
        PhoneConfig={"PhoneType": "SOFT_PHONE", "AutoAccept": True, "AfterContactWorkTimeLimit": 30}, **key
    )
    user = dev.describe_user(**key)["User"]
    assert user["SecurityProfileIds"] == [ids["Agent"], ids["CallCenterManager"]]
    assert user["IdentityInfo"] == {"FirstName": "Nu", "LastName": "Agent", "SecondaryEmail": "nu@example.com"}
    assert user["PhoneConfig"] == {"PhoneType": "SOFT_PHONE", "AutoAccept": True, "AfterContactWorkTimeLimit": 30}
    eleven = [ids["Agent"]] * 11
    assert (
        error_of(dev.update_user_security_profiles, SecurityProfileIds=eleven, **key)[0] == "InvalidParameterException"
    )
    unknown = "00000000-0000-0000-0000-000000000001"
    code, status, _message = error_of(dev.update_user_security_profiles, SecurityProfileIds=[unknown], **key)
    assert (code, status) == ("ResourceNotFoundException", 404)
    assert error_of(dev.update_user_routing_profile, RoutingProfileId=unknown, **key)[0] == "ResourceNotFoundException"
    with_email = {"FirstName": "Nu", "LastName": "Agent", "Email": "nu@example.com"}
    assert error_of(dev.update_user_identity_info, IdentityInfo=with_email, **key)[0] == "InvalidParameterException"
    desk = {"PhoneType": "DESK_PHONE"}
    assert error_of(dev.update_user_phone_config, PhoneConfig=desk, **key)[0] == "InvalidParameterException"
    missing = {"InstanceId": DEV_EAST.id, "UserId": unknown}
    assert (
        error_of(dev.update_user_routing_profile, RoutingProfileId=ids["Basic Routing Profile"], **missing)[0]
        == "ResourceNotFoundException"
    )


def test_user_tags_and_delete(dev, new_user):
    user_id, arn, ids = new_user
    dev.tag_resource(resourceArn=arn, tags={"managed-by": "connect_sso.federation"})
    assert dev.list_tags_for_resource(resourceArn=arn)["tags"] == {
        "team": "blue",
        "managed-by": "connect_sso.federation",
    }
    dev.untag_resource(resourceArn=arn, tagKeys=["team"])
    assert dev.list_tags_for_resource(resourceArn=arn)["tags"] == {"managed-by": "connect_sso.federation"}
    code, status, _message = error_of(dev.tag_resource, resourceArn=arn, tags={"aws:owner": "x"})
    assert (code, status) == ("InvalidParameterException", 400)
    too_many = {f"k{i}": "v" for i in range(50)}
    assert error_of(dev.tag_resource, resourceArn=arn, tags=too_many)[0] == "InvalidParameterException"
    assert (
        error_of(dev.create_user, **user_params(DEV_EAST.id, ids, Username="other@example.com", Tags={"aws:x": "y"}))[0]
        == "InvalidParameterException"
    )
    dev.delete_user(InstanceId=DEV_EAST.id, UserId=user_id)
    assert error_of(dev.describe_user, InstanceId=DEV_EAST.id, UserId=user_id)[0] == "ResourceNotFoundException"
    assert error_of(dev.list_tags_for_resource, resourceArn=arn)[0] == "ResourceNotFoundException"
    # instance tags still go to moto
    dev.tag_resource(resourceArn=DEV_EAST.arn, tags={"env": "dev"})
    assert dev.list_tags_for_resource(resourceArn=DEV_EAST.arn)["tags"] == {"env": "dev"}


def test_hierarchy_groups_nest_five_levels_and_users_join_and_leave_them(dev, new_user, unvalidated):
    user_id, _arn, ids = new_user
    made = dev.create_user_hierarchy_group(InstanceId=DEV_EAST.id, Name="EMEA", Tags={"team": "blue"})
    assert made["HierarchyGroupArn"] == f"{DEV_EAST.arn}/agent-group/{made['HierarchyGroupId']}"
    parent = made["HierarchyGroupId"]
    for level in range(2, 6):
        parent = dev.create_user_hierarchy_group(InstanceId=DEV_EAST.id, Name=f"L{level}", ParentGroupId=parent)[
            "HierarchyGroupId"
        ]
    deepest = dev.describe_user_hierarchy_group(InstanceId=DEV_EAST.id, HierarchyGroupId=parent)["HierarchyGroup"]
    assert (deepest["LevelId"], deepest["HierarchyPath"]["LevelOne"]["Name"]) == ("5", "EMEA")
    assert deepest["HierarchyPath"]["LevelFive"]["Id"] == parent
    code, status, _message = error_of(
        dev.create_user_hierarchy_group, InstanceId=DEV_EAST.id, Name="L6", ParentGroupId=parent
    )
    assert (code, status) == ("InvalidRequestException", 400)
    code, status, _message = error_of(dev.create_user_hierarchy_group, InstanceId=DEV_EAST.id, Name="EMEA")
    assert (code, status) == ("DuplicateResourceException", 409)
    assert error_of(dev.create_user_hierarchy_group, InstanceId=DEV_EAST.id, Name="x" * 101)[0] == (
        "InvalidParameterException"
    )
    unknown = "00000000-0000-0000-0000-000000000002"
    assert error_of(dev.create_user_hierarchy_group, InstanceId=DEV_EAST.id, Name="y", ParentGroupId=unknown)[0] == (
        "ResourceNotFoundException"
    )
    listed = dev.list_user_hierarchy_groups(InstanceId=DEV_EAST.id, MaxResults=2)
    assert len(listed["UserHierarchyGroupSummaryList"]) == 2 and listed["NextToken"]
    everything = dev.get_paginator("list_user_hierarchy_groups").paginate(InstanceId=DEV_EAST.id).build_full_result()
    summaries = everything["UserHierarchyGroupSummaryList"]
    assert sorted(g["Name"] for g in summaries) == ["EMEA", "L2", "L3", "L4", "L5"]
    assert set(summaries[0]) == {"Id", "Arn", "Name", "LastModifiedTime", "LastModifiedRegion"}
    assert error_of(unvalidated.list_user_hierarchy_groups, InstanceId=DEV_EAST.id, MaxResults=1001)[0] == (
        "InvalidParameterException"
    )
    # a user joins a group (UpdateUserHierarchy), SearchUsers and DescribeUser say which; no group leaves it
    key = {"InstanceId": DEV_EAST.id, "UserId": user_id}
    dev.update_user_hierarchy(HierarchyGroupId=made["HierarchyGroupId"], **key)
    assert dev.describe_user(**key)["User"]["HierarchyGroupId"] == made["HierarchyGroupId"]
    found = [u for u in search(dev) if u["Id"] == user_id]
    assert found[0]["HierarchyGroupId"] == made["HierarchyGroupId"]
    assert error_of(dev.update_user_hierarchy, HierarchyGroupId=unknown, **key)[0] == "ResourceNotFoundException"
    dev.update_user_hierarchy(**key)
    assert "HierarchyGroupId" not in dev.describe_user(**key)["User"]
    # CreateUser takes a group too, and refuses one the instance does not have
    other = user_params(DEV_EAST.id, ids, Username="other@example.com", HierarchyGroupId=parent)
    created = dev.create_user(**other)
    assert dev.describe_user(InstanceId=DEV_EAST.id, UserId=created["UserId"])["User"]["HierarchyGroupId"] == parent
    bad = user_params(DEV_EAST.id, ids, Username="third@example.com", HierarchyGroupId=unknown)
    assert error_of(dev.create_user, **bad)[0] == "ResourceNotFoundException"
