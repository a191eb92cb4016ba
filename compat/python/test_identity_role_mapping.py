"""Role mapping as Cognito does it, seen through the credentials it vends: rules on a custom
attribute, the role of a user-pool group from the ID token, and Deny when nothing matches.
The role each identity got is read back from monban's verification endpoint."""

from __future__ import annotations

import pytest

from flows import cognito_error
from identity_helpers import IdentityWorld, jwt_claims, role

AUTHENTICATED = role("monban-compat-authenticated")
ENGINEERING = role("monban-compat-engineering")
EDITORS = role("monban-compat-editors")

DEPARTMENT_SCHEMA = [{"Name": "department", "AttributeDataType": "String", "Mutable": True}]


@pytest.fixture
def world(server, unique):
    w = IdentityWorld(server, unique)
    yield w
    w.close()


def role_of(world: IdentityWorld, identity_pool_id: str, logins: dict) -> str:
    """The role of the credentials GetCredentialsForIdentity vends for these logins."""
    identity_id = world.get_id(identity_pool_id, logins)
    answer = world.credentials(identity_id, logins)
    verified = world.verify(answer["Credentials"])
    assert verified.status == 200, verified.body
    assert verified.body["IdentityId"] == identity_id
    return verified.body["RoleArn"]


def test_rules_on_a_custom_attribute_pick_the_role(world):
    pool = world.user_pool(Schema=DEPARTMENT_SCHEMA)
    identity_pool_id = world.identity_pool(
        [pool], roles={"authenticated": AUTHENTICATED},
        role_mappings={pool.login_key: {
            "Type": "Rules",
            "AmbiguousRoleResolution": "AuthenticatedRole",
            "RulesConfiguration": {"Rules": [
                {"Claim": "custom:department", "MatchType": "Equals", "Value": "engineering",
                 "RoleARN": ENGINEERING},
            ]},
        }})
    engineer = world.id_token(pool, {"custom:department": "engineering"})
    assert jwt_claims(engineer)["custom:department"] == "engineering"
    assert role_of(world, identity_pool_id, {pool.provider: engineer}) == ENGINEERING

    # No rule matches: AmbiguousRoleResolution falls back to the authenticated role.
    seller = world.id_token(pool, {"custom:department": "sales"})
    assert role_of(world, identity_pool_id, {pool.provider: seller}) == AUTHENTICATED


def test_rules_with_deny_refuse_an_identity_no_rule_matches(world):
    pool = world.user_pool(Schema=DEPARTMENT_SCHEMA)
    identity_pool_id = world.identity_pool(
        [pool], roles={"authenticated": AUTHENTICATED},
        role_mappings={pool.login_key: {
            "Type": "Rules",
            "AmbiguousRoleResolution": "Deny",
            "RulesConfiguration": {"Rules": [
                {"Claim": "custom:department", "MatchType": "StartsWith", "Value": "eng",
                 "RoleARN": ENGINEERING},
            ]},
        }})
    engineer = world.id_token(pool, {"custom:department": "engineering"})
    assert role_of(world, identity_pool_id, {pool.provider: engineer}) == ENGINEERING

    seller = {pool.provider: world.id_token(pool, {"custom:department": "sales"})}
    identity_id = world.get_id(identity_pool_id, seller)
    with cognito_error("NotAuthorizedException"):
        world.credentials(identity_id, seller)


def test_token_mapping_takes_the_role_of_the_users_group(world):
    pool = world.user_pool()
    world.idp.create_group(UserPoolId=pool.pool_id, GroupName="editors", RoleArn=EDITORS,
                           Precedence=1)
    identity_pool_id = world.identity_pool(
        [pool], roles={"authenticated": AUTHENTICATED},
        role_mappings={pool.login_key: {
            "Type": "Token", "AmbiguousRoleResolution": "AuthenticatedRole"}})

    editor = world.id_token(pool, groups=["editors"])
    assert jwt_claims(editor)["cognito:preferred_role"] == EDITORS
    assert role_of(world, identity_pool_id, {pool.provider: editor}) == EDITORS

    # A user in no group has no role in its token: the authenticated role.
    plain = world.id_token(pool)
    assert role_of(world, identity_pool_id, {pool.provider: plain}) == AUTHENTICATED


def test_token_mapping_with_deny_refuses_a_user_without_a_role(world):
    pool = world.user_pool()
    identity_pool_id = world.identity_pool(
        [pool], roles={"authenticated": AUTHENTICATED},
        role_mappings={pool.login_key: {"Type": "Token", "AmbiguousRoleResolution": "Deny"}})
    logins = {pool.provider: world.id_token(pool)}
    identity_id = world.get_id(identity_pool_id, logins)
    with cognito_error("NotAuthorizedException"):
        world.credentials(identity_id, logins)


def test_custom_role_arn_picks_one_of_the_users_group_roles(world):
    pool = world.user_pool()
    world.idp.create_group(UserPoolId=pool.pool_id, GroupName="editors", RoleArn=EDITORS,
                           Precedence=1)
    world.idp.create_group(UserPoolId=pool.pool_id, GroupName="engineers", RoleArn=ENGINEERING,
                           Precedence=2)
    identity_pool_id = world.identity_pool(
        [pool], roles={"authenticated": AUTHENTICATED},
        role_mappings={pool.login_key: {
            "Type": "Token", "AmbiguousRoleResolution": "AuthenticatedRole"}})
    logins = {pool.provider: world.id_token(pool, groups=["editors", "engineers"])}
    identity_id = world.get_id(identity_pool_id, logins)

    answer = world.credentials(identity_id, logins, CustomRoleArn=ENGINEERING)
    assert world.verify(answer["Credentials"]).body["RoleArn"] == ENGINEERING
    # Without CustomRoleArn: the preferred role (lowest precedence value).
    answer = world.credentials(identity_id, logins)
    assert world.verify(answer["Credentials"]).body["RoleArn"] == EDITORS
