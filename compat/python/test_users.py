"""Admin user management with boto3: create, get, list (filters, pagination), update
attributes, disable/enable, set password, delete, and the typed errors."""

import datetime
import re

import pytest

from support import STRONG_PASSWORD, TEMP_PASSWORD, attribute_map

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def list_all_users(idp, pool_id, page_size=60, **kwargs):
    pages = list(idp.get_paginator("list_users").paginate(
        UserPoolId=pool_id, PaginationConfig={"PageSize": page_size}, **kwargs))
    return pages, [user for page in pages for user in page["Users"]]


def test_admin_create_user_with_temporary_password(idp, pool_id, unique):
    username = unique("alice")
    email = f"{username}@example.com"
    user = idp.admin_create_user(
        UserPoolId=pool_id,
        Username=username,
        TemporaryPassword=TEMP_PASSWORD,
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": email}, {"Name": "name", "Value": "Alice"}],
    )["User"]
    assert user["Username"] == username
    assert user["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    assert user["Enabled"] is True
    assert isinstance(user["UserCreateDate"], datetime.datetime)
    assert isinstance(user["UserLastModifiedDate"], datetime.datetime)
    attrs = attribute_map(user["Attributes"])
    assert UUID.fullmatch(attrs["sub"]), attrs.get("sub")
    assert attrs["email"] == email
    assert attrs["name"] == "Alice"

    got = idp.admin_get_user(UserPoolId=pool_id, Username=username)
    assert got["Username"] == username
    assert got["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    assert got["Enabled"] is True
    got_attrs = attribute_map(got["UserAttributes"])
    assert got_attrs["sub"] == attrs["sub"]
    assert got_attrs["email"] == email
    assert got_attrs["name"] == "Alice"
    assert got["UserCreateDate"] == user["UserCreateDate"]


def test_admin_create_user_generates_temporary_password(idp, pool_id, unique):
    username = unique("nopass")
    user = idp.admin_create_user(UserPoolId=pool_id, Username=username,
                                 MessageAction="SUPPRESS")["User"]
    assert user["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    assert "sub" in attribute_map(user["Attributes"])


def test_duplicate_username(idp, pool_id, create_user):
    user = create_user()
    with pytest.raises(idp.exceptions.UsernameExistsException) as err:
        create_user(username=user["Username"])
    assert err.value.response["Error"]["Message"]


def test_username_unique_per_pool_only(idp, pool_factory, unique):
    username = unique("shared")
    subs = set()
    for _ in range(2):
        pool = pool_factory()["Id"]
        user = idp.admin_create_user(UserPoolId=pool, Username=username,
                                     TemporaryPassword=TEMP_PASSWORD, MessageAction="SUPPRESS")
        subs.add(attribute_map(user["User"]["Attributes"])["sub"])
    assert len(subs) == 2


def test_unknown_user(idp, pool_id, unique):
    with pytest.raises(idp.exceptions.UserNotFoundException):
        idp.admin_get_user(UserPoolId=pool_id, Username=unique("ghost"))
    with pytest.raises(idp.exceptions.UserNotFoundException):
        idp.admin_disable_user(UserPoolId=pool_id, Username=unique("ghost"))
    with pytest.raises(idp.exceptions.UserNotFoundException):
        idp.admin_delete_user(UserPoolId=pool_id, Username=unique("ghost"))


def test_user_in_unknown_pool(idp, unique):
    with pytest.raises(idp.exceptions.ResourceNotFoundException):
        idp.admin_create_user(UserPoolId="us-east-1_NoSuchPo0", Username=unique("u"),
                              MessageAction="SUPPRESS")
    with pytest.raises(idp.exceptions.ResourceNotFoundException):
        idp.list_users(UserPoolId="us-east-1_NoSuchPo0")


def test_temporary_password_must_satisfy_policy(idp, pool_factory, unique):
    pool_id = pool_factory(Policies={"PasswordPolicy": {
        "MinimumLength": 12, "RequireUppercase": True, "RequireLowercase": True,
        "RequireNumbers": True, "RequireSymbols": True}})["Id"]
    with pytest.raises(idp.exceptions.InvalidPasswordException):
        idp.admin_create_user(UserPoolId=pool_id, Username=unique("weak"),
                              TemporaryPassword="Short1!a", MessageAction="SUPPRESS")
    with pytest.raises(idp.exceptions.InvalidPasswordException):
        idp.admin_create_user(UserPoolId=pool_id, Username=unique("weak"),
                              TemporaryPassword="nouppercase-1234", MessageAction="SUPPRESS")
    # Nothing was created by the failed calls.
    _, users = list_all_users(idp, pool_id)
    assert users == []


def test_list_users_filter(idp, pool_id, create_user, unique):
    alice = create_user(username=unique("alice"),
                        attributes={"email": "alice@example.com", "given_name": "Alice"})
    bob = create_user(username=unique("bob"),
                      attributes={"email": "bob@example.com", "given_name": "Bob"})

    _, users = list_all_users(idp, pool_id, Filter='email = "alice@example.com"')
    assert [u["Username"] for u in users] == [alice["Username"]]
    assert attribute_map(users[0]["Attributes"])["email"] == "alice@example.com"

    _, users = list_all_users(idp, pool_id, Filter='given_name ^= "Bo"')
    assert [u["Username"] for u in users] == [bob["Username"]]

    bob_sub = attribute_map(bob["Attributes"])["sub"]
    _, users = list_all_users(idp, pool_id, Filter=f'sub = "{bob_sub}"')
    assert [u["Username"] for u in users] == [bob["Username"]]

    _, users = list_all_users(idp, pool_id, Filter='email = "nobody@example.com"')
    assert users == []


def test_list_users_filter_by_status(idp, pool_id, create_user):
    active = create_user()
    disabled = create_user()
    idp.admin_disable_user(UserPoolId=pool_id, Username=disabled["Username"])
    confirmed = create_user()
    idp.admin_set_user_password(UserPoolId=pool_id, Username=confirmed["Username"],
                                Password=STRONG_PASSWORD, Permanent=True)

    _, users = list_all_users(idp, pool_id, Filter='status = "Disabled"')
    assert [u["Username"] for u in users] == [disabled["Username"]]
    assert users[0]["Enabled"] is False

    _, users = list_all_users(idp, pool_id, Filter='cognito:user_status = "CONFIRMED"')
    assert [u["Username"] for u in users] == [confirmed["Username"]]

    _, users = list_all_users(idp, pool_id, Filter='cognito:user_status = "FORCE_CHANGE_PASSWORD"')
    assert sorted(u["Username"] for u in users) == sorted(
        [active["Username"], disabled["Username"]])


def test_list_users_paginates(idp, pool_id, create_user, unique):
    prefix = unique("page")
    expected = {create_user(username=f"{prefix}-{i}")["Username"] for i in range(5)}
    create_user(username=unique("other"))

    pages, users = list_all_users(idp, pool_id, page_size=2,
                                  Filter=f'username ^= "{prefix}-"')
    names = [u["Username"] for u in users]
    assert len(names) == len(set(names)), "a user was listed twice"
    assert set(names) == expected
    assert all(len(page["Users"]) <= 2 for page in pages)
    assert len(pages) >= 3

    pages, users = list_all_users(idp, pool_id, page_size=4)
    assert len(users) == 6
    assert len(pages) >= 2


def test_list_users_attributes_to_get(idp, pool_id, create_user):
    create_user(attributes={"email": "only@example.com", "name": "Only"})
    users = idp.list_users(UserPoolId=pool_id, AttributesToGet=["email"])["Users"]
    assert len(users) == 1
    assert attribute_map(users[0]["Attributes"]) == {"email": "only@example.com"}


def test_list_users_bad_filter(idp, pool_id):
    with pytest.raises(idp.exceptions.InvalidParameterException):
        idp.list_users(UserPoolId=pool_id, Filter="this is not a filter")


def test_admin_update_user_attributes(idp, pool_id, create_user):
    user = create_user(attributes={"email": "before@example.com", "name": "Before"})
    idp.admin_update_user_attributes(
        UserPoolId=pool_id,
        Username=user["Username"],
        UserAttributes=[
            {"Name": "email", "Value": "after@example.com"},
            {"Name": "email_verified", "Value": "true"},
            {"Name": "name", "Value": "After"},
            {"Name": "family_name", "Value": "Added"},
        ],
    )
    attrs = attribute_map(idp.admin_get_user(
        UserPoolId=pool_id, Username=user["Username"])["UserAttributes"])
    assert attrs["email"] == "after@example.com"
    assert attrs["email_verified"] == "true"
    assert attrs["name"] == "After"
    assert attrs["family_name"] == "Added"
    assert attrs["sub"] == attribute_map(user["Attributes"])["sub"]

    _, users = list_all_users(idp, pool_id, Filter='email = "after@example.com"')
    assert [u["Username"] for u in users] == [user["Username"]]


def test_update_unknown_attribute_rejected(idp, pool_id, create_user):
    user = create_user()
    with pytest.raises(idp.exceptions.InvalidParameterException):
        idp.admin_update_user_attributes(
            UserPoolId=pool_id, Username=user["Username"],
            UserAttributes=[{"Name": "custom:not_in_schema", "Value": "x"}])


def test_update_attributes_of_unknown_user(idp, pool_id, unique):
    with pytest.raises(idp.exceptions.UserNotFoundException):
        idp.admin_update_user_attributes(
            UserPoolId=pool_id, Username=unique("ghost"),
            UserAttributes=[{"Name": "name", "Value": "x"}])


def test_disable_and_enable(idp, pool_id, create_user):
    user = create_user()
    idp.admin_disable_user(UserPoolId=pool_id, Username=user["Username"])
    assert idp.admin_get_user(UserPoolId=pool_id, Username=user["Username"])["Enabled"] is False

    idp.admin_enable_user(UserPoolId=pool_id, Username=user["Username"])
    got = idp.admin_get_user(UserPoolId=pool_id, Username=user["Username"])
    assert got["Enabled"] is True
    assert got["UserStatus"] == "FORCE_CHANGE_PASSWORD"


def test_admin_set_user_password(idp, pool_id, create_user):
    user = create_user()
    idp.admin_set_user_password(UserPoolId=pool_id, Username=user["Username"],
                                Password=STRONG_PASSWORD, Permanent=True)
    got = idp.admin_get_user(UserPoolId=pool_id, Username=user["Username"])
    assert got["UserStatus"] == "CONFIRMED"

    idp.admin_set_user_password(UserPoolId=pool_id, Username=user["Username"],
                                Password=TEMP_PASSWORD, Permanent=False)
    got = idp.admin_get_user(UserPoolId=pool_id, Username=user["Username"])
    assert got["UserStatus"] == "FORCE_CHANGE_PASSWORD"


def test_admin_set_user_password_errors(idp, pool_id, create_user, unique):
    user = create_user()
    with pytest.raises(idp.exceptions.InvalidPasswordException):
        idp.admin_set_user_password(UserPoolId=pool_id, Username=user["Username"],
                                    Password="alllowercase", Permanent=True)
    got = idp.admin_get_user(UserPoolId=pool_id, Username=user["Username"])
    assert got["UserStatus"] == "FORCE_CHANGE_PASSWORD"

    with pytest.raises(idp.exceptions.UserNotFoundException):
        idp.admin_set_user_password(UserPoolId=pool_id, Username=unique("ghost"),
                                    Password=STRONG_PASSWORD, Permanent=True)


def test_admin_delete_user(idp, pool_id, create_user):
    user = create_user()
    idp.admin_delete_user(UserPoolId=pool_id, Username=user["Username"])
    with pytest.raises(idp.exceptions.UserNotFoundException):
        idp.admin_get_user(UserPoolId=pool_id, Username=user["Username"])
    _, users = list_all_users(idp, pool_id)
    assert user["Username"] not in {u["Username"] for u in users}

    # The name is free again, for a new user with a new sub.
    again = create_user(username=user["Username"])
    assert attribute_map(again["Attributes"])["sub"] != attribute_map(user["Attributes"])["sub"]

