"""User pools with boto3: create, describe, update, list, delete."""

import datetime
import re

import pytest

POOL_ID = re.compile(r"us-east-1_[0-9A-Za-z]+")

CUSTOM_SETTINGS = {
    "Policies": {
        "PasswordPolicy": {
            "MinimumLength": 10,
            "RequireUppercase": True,
            "RequireLowercase": True,
            "RequireNumbers": True,
            "RequireSymbols": False,
            "TemporaryPasswordValidityDays": 3,
        }
    },
    "AutoVerifiedAttributes": ["email"],
    "AliasAttributes": ["email", "preferred_username"],
    "MfaConfiguration": "OFF",
    "AdminCreateUserConfig": {"AllowAdminCreateUserOnly": True},
    "UsernameConfiguration": {"CaseSensitive": False},
    "UserPoolTags": {"team": "compat", "purpose": "test"},
    "DeletionProtection": "INACTIVE",
    "AccountRecoverySetting": {"RecoveryMechanisms": [{"Priority": 1, "Name": "verified_email"}]},
    "Schema": [
        {
            "Name": "tier",
            "AttributeDataType": "String",
            "Mutable": True,
            "StringAttributeConstraints": {"MinLength": "1", "MaxLength": "32"},
        }
    ],
}


def assert_custom_settings_echoed(pool, name):
    assert POOL_ID.fullmatch(pool["Id"]), pool["Id"]
    assert pool["Name"] == name
    assert re.fullmatch(r"arn:aws:cognito-idp:us-east-1:\d{12}:userpool/" + re.escape(pool["Id"]),
                        pool["Arn"]), pool["Arn"]
    assert isinstance(pool["CreationDate"], datetime.datetime)
    assert isinstance(pool["LastModifiedDate"], datetime.datetime)
    policy = pool["Policies"]["PasswordPolicy"]
    for key, value in CUSTOM_SETTINGS["Policies"]["PasswordPolicy"].items():
        assert policy[key] == value, key
    assert pool["AutoVerifiedAttributes"] == ["email"]
    assert sorted(pool["AliasAttributes"]) == ["email", "preferred_username"]
    assert pool["MfaConfiguration"] == "OFF"
    assert pool["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is True
    assert pool["UsernameConfiguration"]["CaseSensitive"] is False
    assert pool["UserPoolTags"] == CUSTOM_SETTINGS["UserPoolTags"]
    assert pool["DeletionProtection"] == "INACTIVE"
    assert pool["AccountRecoverySetting"] == CUSTOM_SETTINGS["AccountRecoverySetting"]
    schema = {attr["Name"]: attr for attr in pool["SchemaAttributes"]}
    tier = schema["custom:tier"]
    assert tier["AttributeDataType"] == "String"
    assert tier["Mutable"] is True
    assert tier["StringAttributeConstraints"] == {"MinLength": "1", "MaxLength": "32"}
    assert {"sub", "email", "email_verified", "phone_number", "name"} <= set(schema)


def test_create_and_describe_echo_settings(idp, pool_factory, unique):
    name = unique("echo pool")
    created = pool_factory(PoolName=name, **CUSTOM_SETTINGS)
    assert_custom_settings_echoed(created, name)

    described = idp.describe_user_pool(UserPoolId=created["Id"])["UserPool"]
    assert_custom_settings_echoed(described, name)
    assert described["Id"] == created["Id"]
    assert described["Arn"] == created["Arn"]
    assert described["EstimatedNumberOfUsers"] == 0


def test_default_pool_settings(idp, pool_factory):
    pool_id = pool_factory()["Id"]
    pool = idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    default_policy = {
        "MinimumLength": 8,
        "RequireUppercase": True,
        "RequireLowercase": True,
        "RequireNumbers": True,
        "RequireSymbols": True,
        "TemporaryPasswordValidityDays": 7,
    }
    policy = pool["Policies"]["PasswordPolicy"]
    assert {key: policy.get(key) for key in default_policy} == default_policy
    assert pool["MfaConfiguration"] == "OFF"
    # The API (unlike the console) makes usernames case-sensitive by default.
    assert pool.get("UsernameConfiguration", {"CaseSensitive": True})["CaseSensitive"] is True
    schema = {attr["Name"]: attr for attr in pool["SchemaAttributes"]}
    assert schema["sub"]["Required"] is True
    assert schema["sub"]["Mutable"] is False
    assert {"email", "phone_number", "email_verified", "given_name", "family_name",
            "updated_at"} <= set(schema)


def test_update_pool(idp, pool_factory, unique):
    name = unique("update pool")
    pool_id = pool_factory(PoolName=name, **CUSTOM_SETTINGS)["Id"]

    response = idp.update_user_pool(
        UserPoolId=pool_id,
        Policies={"PasswordPolicy": {
            "MinimumLength": 12,
            "RequireUppercase": False,
            "RequireLowercase": True,
            "RequireNumbers": True,
            "RequireSymbols": True,
            "TemporaryPasswordValidityDays": 5,
        }},
        AutoVerifiedAttributes=["email"],
        MfaConfiguration="OFF",
        UserPoolTags={"stage": "two"},
    )
    assert {k: v for k, v in response.items() if k != "ResponseMetadata"} == {}

    pool = idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    assert pool["Name"] == name
    policy = pool["Policies"]["PasswordPolicy"]
    assert policy["MinimumLength"] == 12
    assert policy["RequireUppercase"] is False
    assert policy["RequireSymbols"] is True
    assert policy["TemporaryPasswordValidityDays"] == 5
    assert pool["AutoVerifiedAttributes"] == ["email"]
    assert pool["UserPoolTags"].get("stage") == "two"
    # UpdateUserPool resets every setting it is not given to its default.
    assert pool.get("AdminCreateUserConfig", {}).get("AllowAdminCreateUserOnly", False) is False
    # Settings fixed at creation stay.
    assert sorted(pool["AliasAttributes"]) == ["email", "preferred_username"]
    assert "custom:tier" in {attr["Name"] for attr in pool["SchemaAttributes"]}
    assert pool["LastModifiedDate"] >= pool["CreationDate"]


def test_update_unknown_pool(idp):
    with pytest.raises(idp.exceptions.ResourceNotFoundException):
        idp.update_user_pool(UserPoolId="us-east-1_NoSuchPo0", MfaConfiguration="OFF")


def test_list_user_pools_paginates(idp, pool_factory, unique):
    prefix = unique("list")
    created = {pool_factory(PoolName=f"{prefix}-{i}")["Id"]: f"{prefix}-{i}" for i in range(3)}

    pages = list(idp.get_paginator("list_user_pools").paginate(PaginationConfig={"PageSize": 2}))
    assert len(pages) >= 2
    listed = [pool for page in pages for pool in page["UserPools"]]
    assert all(len(page["UserPools"]) <= 2 for page in pages)
    ids = [pool["Id"] for pool in listed]
    assert len(ids) == len(set(ids)), "a pool was listed twice"
    by_id = {pool["Id"]: pool for pool in listed}
    for pool_id, name in created.items():
        assert by_id[pool_id]["Name"] == name
        assert isinstance(by_id[pool_id]["CreationDate"], datetime.datetime)


def test_delete_pool(idp, pool_factory):
    pool_id = pool_factory()["Id"]
    idp.delete_user_pool(UserPoolId=pool_id)

    with pytest.raises(idp.exceptions.ResourceNotFoundException):
        idp.describe_user_pool(UserPoolId=pool_id)
    with pytest.raises(idp.exceptions.ResourceNotFoundException):
        idp.delete_user_pool(UserPoolId=pool_id)
    listed = idp.get_paginator("list_user_pools").paginate(PaginationConfig={"PageSize": 60})
    assert pool_id not in {pool["Id"] for page in listed for pool in page["UserPools"]}


def test_deletion_protection_blocks_delete(idp, pool_factory):
    pool_id = pool_factory(DeletionProtection="ACTIVE")["Id"]
    with pytest.raises(idp.exceptions.InvalidParameterException):
        idp.delete_user_pool(UserPoolId=pool_id)
    idp.describe_user_pool(UserPoolId=pool_id)

    idp.update_user_pool(UserPoolId=pool_id, DeletionProtection="INACTIVE")
    idp.delete_user_pool(UserPoolId=pool_id)
    with pytest.raises(idp.exceptions.ResourceNotFoundException):
        idp.describe_user_pool(UserPoolId=pool_id)


def test_describe_unknown_pool(idp):
    with pytest.raises(idp.exceptions.ResourceNotFoundException) as err:
        idp.describe_user_pool(UserPoolId="us-east-1_NoSuchPo0")
    assert err.value.response["Error"]["Message"]


def test_invalid_pool_name_rejected(idp, unique):
    with pytest.raises(idp.exceptions.InvalidParameterException):
        idp.create_user_pool(PoolName=unique("bad/name!"))


def test_model_constraints_checked_by_server(make_client):
    # botocore would refuse MaxResults=61 itself; switch that off so the server sees it.
    raw = make_client(parameter_validation=False)
    with pytest.raises(raw.exceptions.InvalidParameterException):
        raw.list_user_pools(MaxResults=61)
