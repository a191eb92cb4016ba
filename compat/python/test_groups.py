"""Groups with boto3: create, get, update, list, membership, delete."""

import datetime

import pytest

ROLE_ARN = "arn:aws:iam::123456789012:role/compat-test"


def group_names(pages, key):
    return [group["GroupName"] for page in pages for group in page[key]]


def test_create_and_get_group(idp, pool_id, unique):
    name = unique("admins")
    group = idp.create_group(UserPoolId=pool_id, GroupName=name, Description="Admins",
                             Precedence=3, RoleArn=ROLE_ARN)["Group"]
    assert group["GroupName"] == name
    assert group["UserPoolId"] == pool_id
    assert group["Description"] == "Admins"
    assert group["Precedence"] == 3
    assert group["RoleArn"] == ROLE_ARN
    assert isinstance(group["CreationDate"], datetime.datetime)
    assert isinstance(group["LastModifiedDate"], datetime.datetime)

    got = idp.get_group(UserPoolId=pool_id, GroupName=name)["Group"]
    assert {k: got[k] for k in group} == group


def test_duplicate_group(idp, pool_id, unique):
    name = unique("dup")
    idp.create_group(UserPoolId=pool_id, GroupName=name)
    with pytest.raises(idp.exceptions.GroupExistsException) as err:
        idp.create_group(UserPoolId=pool_id, GroupName=name)
    assert err.value.response["Error"]["Message"]


def test_update_group(idp, pool_id, unique):
    name = unique("editors")
    idp.create_group(UserPoolId=pool_id, GroupName=name, Description="old", Precedence=1)
    updated = idp.update_group(UserPoolId=pool_id, GroupName=name, Description="new",
                               Precedence=7)["Group"]
    assert updated["Description"] == "new"
    assert updated["Precedence"] == 7
    got = idp.get_group(UserPoolId=pool_id, GroupName=name)["Group"]
    assert got["Description"] == "new"
    assert got["Precedence"] == 7


def test_list_groups_paginates(idp, pool_id, unique):
    expected = {unique("g") for _ in range(3)}
    for name in expected:
        idp.create_group(UserPoolId=pool_id, GroupName=name)
    pages = list(idp.get_paginator("list_groups").paginate(
        UserPoolId=pool_id, PaginationConfig={"PageSize": 2}))
    names = group_names(pages, "Groups")
    assert sorted(names) == sorted(expected)
    assert len(pages) >= 2


def test_membership(idp, pool_id, create_user, unique):
    readers, writers = unique("readers"), unique("writers")
    idp.create_group(UserPoolId=pool_id, GroupName=readers, Precedence=2)
    idp.create_group(UserPoolId=pool_id, GroupName=writers, Precedence=1)
    alice, bob = create_user(), create_user()

    idp.admin_add_user_to_group(UserPoolId=pool_id, Username=alice["Username"], GroupName=readers)
    idp.admin_add_user_to_group(UserPoolId=pool_id, Username=alice["Username"], GroupName=writers)
    idp.admin_add_user_to_group(UserPoolId=pool_id, Username=bob["Username"], GroupName=readers)
    # Adding again is not an error.
    idp.admin_add_user_to_group(UserPoolId=pool_id, Username=bob["Username"], GroupName=readers)

    pages = list(idp.get_paginator("admin_list_groups_for_user").paginate(
        UserPoolId=pool_id, Username=alice["Username"], PaginationConfig={"PageSize": 1}))
    assert sorted(group_names(pages, "Groups")) == sorted([readers, writers])

    pages = list(idp.get_paginator("list_users_in_group").paginate(
        UserPoolId=pool_id, GroupName=readers, PaginationConfig={"PageSize": 1}))
    members = [user["Username"] for page in pages for user in page["Users"]]
    assert sorted(members) == sorted([alice["Username"], bob["Username"]])
    assert all(user["UserStatus"] == "FORCE_CHANGE_PASSWORD"
               for page in pages for user in page["Users"])

    idp.admin_remove_user_from_group(UserPoolId=pool_id, Username=alice["Username"],
                                     GroupName=readers)
    groups = idp.admin_list_groups_for_user(UserPoolId=pool_id, Username=alice["Username"])
    assert [g["GroupName"] for g in groups["Groups"]] == [writers]
    users = idp.list_users_in_group(UserPoolId=pool_id, GroupName=readers)["Users"]
    assert [u["Username"] for u in users] == [bob["Username"]]


def test_delete_group(idp, pool_id, create_user, unique):
    name = unique("temp")
    idp.create_group(UserPoolId=pool_id, GroupName=name)
    user = create_user()
    idp.admin_add_user_to_group(UserPoolId=pool_id, Username=user["Username"], GroupName=name)

    idp.delete_group(UserPoolId=pool_id, GroupName=name)
    with pytest.raises(idp.exceptions.ResourceNotFoundException):
        idp.get_group(UserPoolId=pool_id, GroupName=name)
    with pytest.raises(idp.exceptions.ResourceNotFoundException):
        idp.delete_group(UserPoolId=pool_id, GroupName=name)
    # Membership went with the group; the user stays.
    groups = idp.admin_list_groups_for_user(UserPoolId=pool_id, Username=user["Username"])
    assert groups["Groups"] == []
    idp.admin_get_user(UserPoolId=pool_id, Username=user["Username"])


def test_membership_errors(idp, pool_id, create_user, unique):
    name = unique("grp")
    idp.create_group(UserPoolId=pool_id, GroupName=name)
    user = create_user()
    with pytest.raises(idp.exceptions.ResourceNotFoundException):
        idp.admin_add_user_to_group(UserPoolId=pool_id, Username=user["Username"],
                                    GroupName=unique("nogroup"))
    with pytest.raises(idp.exceptions.UserNotFoundException):
        idp.admin_add_user_to_group(UserPoolId=pool_id, Username=unique("ghost"), GroupName=name)
    with pytest.raises(idp.exceptions.ResourceNotFoundException):
        idp.list_users_in_group(UserPoolId=pool_id, GroupName=unique("nogroup"))
    with pytest.raises(idp.exceptions.UserNotFoundException):
        idp.admin_list_groups_for_user(UserPoolId=pool_id, Username=unique("ghost"))


def test_deleted_user_leaves_groups(idp, pool_id, create_user, unique):
    name = unique("grp")
    idp.create_group(UserPoolId=pool_id, GroupName=name)
    user = create_user()
    idp.admin_add_user_to_group(UserPoolId=pool_id, Username=user["Username"], GroupName=name)
    idp.admin_delete_user(UserPoolId=pool_id, Username=user["Username"])
    assert idp.list_users_in_group(UserPoolId=pool_id, GroupName=name)["Users"] == []
