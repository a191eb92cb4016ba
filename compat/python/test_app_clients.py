"""App clients with boto3: create (with and without secret), describe, update, list, delete."""

import datetime
import re

import pytest

CLIENT_ID = re.compile(r"[0-9a-z]{26}")
SECRET = re.compile(r"[\w+]{24,64}")

SETTINGS = {
    "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    "RefreshTokenValidity": 10,
    "AccessTokenValidity": 30,
    "IdTokenValidity": 30,
    "TokenValidityUnits": {"RefreshToken": "days", "AccessToken": "minutes", "IdToken": "minutes"},
    "ReadAttributes": ["email", "email_verified", "name"],
    "WriteAttributes": ["email", "name"],
    "PreventUserExistenceErrors": "ENABLED",
    "EnableTokenRevocation": True,
    "AuthSessionValidity": 5,
}


def assert_settings_echoed(client, pool_id, name):
    assert client["UserPoolId"] == pool_id
    assert client["ClientName"] == name
    assert CLIENT_ID.fullmatch(client["ClientId"]), client["ClientId"]
    assert isinstance(client["CreationDate"], datetime.datetime)
    assert isinstance(client["LastModifiedDate"], datetime.datetime)
    assert sorted(client["ExplicitAuthFlows"]) == sorted(SETTINGS["ExplicitAuthFlows"])
    for key in ("RefreshTokenValidity", "AccessTokenValidity", "IdTokenValidity",
                "TokenValidityUnits", "PreventUserExistenceErrors", "EnableTokenRevocation",
                "AuthSessionValidity"):
        assert client[key] == SETTINGS[key], key
    assert sorted(client["ReadAttributes"]) == sorted(SETTINGS["ReadAttributes"])
    assert sorted(client["WriteAttributes"]) == sorted(SETTINGS["WriteAttributes"])


def test_create_describe_client_with_secret(idp, pool_id, unique):
    name = unique("client")
    created = idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName=name, GenerateSecret=True, **SETTINGS
    )["UserPoolClient"]
    assert_settings_echoed(created, pool_id, name)
    assert SECRET.fullmatch(created["ClientSecret"]), "secret does not match the model pattern"

    described = idp.describe_user_pool_client(
        UserPoolId=pool_id, ClientId=created["ClientId"]
    )["UserPoolClient"]
    assert_settings_echoed(described, pool_id, name)
    assert described["ClientId"] == created["ClientId"]
    assert described["ClientSecret"] == created["ClientSecret"]


def test_client_without_secret(idp, pool_id, unique):
    created = idp.create_user_pool_client(UserPoolId=pool_id, ClientName=unique("public"))
    client = created["UserPoolClient"]
    assert "ClientSecret" not in client
    assert CLIENT_ID.fullmatch(client["ClientId"])
    described = idp.describe_user_pool_client(UserPoolId=pool_id, ClientId=client["ClientId"])
    assert "ClientSecret" not in described["UserPoolClient"]


def test_update_client_keeps_secret(idp, pool_id, unique):
    created = idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName=unique("client"), GenerateSecret=True, **SETTINGS
    )["UserPoolClient"]
    new_name = unique("renamed")

    updated = idp.update_user_pool_client(
        UserPoolId=pool_id,
        ClientId=created["ClientId"],
        ClientName=new_name,
        ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        RefreshTokenValidity=5,
        TokenValidityUnits={"RefreshToken": "days"},
    )["UserPoolClient"]
    assert updated["ClientId"] == created["ClientId"]
    assert updated["ClientName"] == new_name
    assert sorted(updated["ExplicitAuthFlows"]) == ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"]
    assert updated["RefreshTokenValidity"] == 5
    assert updated["ClientSecret"] == created["ClientSecret"]

    described = idp.describe_user_pool_client(
        UserPoolId=pool_id, ClientId=created["ClientId"]
    )["UserPoolClient"]
    assert described["ClientName"] == new_name
    assert sorted(described["ExplicitAuthFlows"]) == [
        "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"]
    assert described["LastModifiedDate"] >= described["CreationDate"]


def test_list_clients_paginates(idp, pool_id, unique):
    created = {}
    for _ in range(3):
        name = unique("listed")
        client = idp.create_user_pool_client(UserPoolId=pool_id, ClientName=name)
        created[client["UserPoolClient"]["ClientId"]] = name

    pages = list(idp.get_paginator("list_user_pool_clients").paginate(
        UserPoolId=pool_id, PaginationConfig={"PageSize": 2}))
    listed = [c for page in pages for c in page["UserPoolClients"]]
    assert len(pages) >= 2
    assert all(len(page["UserPoolClients"]) <= 2 for page in pages)
    assert {c["ClientId"]: c["ClientName"] for c in listed} == created
    assert all(c["UserPoolId"] == pool_id for c in listed)


def test_delete_client(idp, pool_id, unique):
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName=unique("doomed"))["UserPoolClient"]["ClientId"]
    idp.delete_user_pool_client(UserPoolId=pool_id, ClientId=client_id)

    with pytest.raises(idp.exceptions.ResourceNotFoundException):
        idp.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)
    with pytest.raises(idp.exceptions.ResourceNotFoundException):
        idp.delete_user_pool_client(UserPoolId=pool_id, ClientId=client_id)
    remaining = idp.list_user_pool_clients(UserPoolId=pool_id, MaxResults=60)["UserPoolClients"]
    assert client_id not in {c["ClientId"] for c in remaining}


def test_client_in_unknown_pool(idp, unique):
    with pytest.raises(idp.exceptions.ResourceNotFoundException):
        idp.create_user_pool_client(UserPoolId="us-east-1_NoSuchPo0", ClientName=unique("c"))


def test_client_of_another_pool_not_found(idp, pool_factory, unique):
    pool_a = pool_factory()["Id"]
    pool_b = pool_factory()["Id"]
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_a, ClientName=unique("c"))["UserPoolClient"]["ClientId"]
    with pytest.raises(idp.exceptions.ResourceNotFoundException):
        idp.describe_user_pool_client(UserPoolId=pool_b, ClientId=client_id)
