"""ID and access tokens checked with PyJWT against the JWKS the server serves; refresh with
REFRESH_TOKEN_AUTH and GetTokensFromRefreshToken; revocation with RevokeToken and
GlobalSignOut, enforced by the self-service operations."""

import re
import time
import uuid

import pytest
from botocore.exceptions import ClientError

from flows import cognito_error
from jwt_check import get_json, jwks_url, unverified_claims, verify
from support import STRONG_PASSWORD, send_unsigned

CUSTOM_VALIDITY = {
    "IdTokenValidity": 30, "AccessTokenValidity": 20, "RefreshTokenValidity": 2,
    "TokenValidityUnits": {"IdToken": "minutes", "AccessToken": "minutes", "RefreshToken": "days"},
}


def check_pair(app, result):
    """Verifies both tokens of an AuthenticationResult; returns (id header, id claims,
    access header, access claims)."""
    endpoint = app.server.endpoint
    id_header, id_claims = verify(result["IdToken"], endpoint, app.pool_id, app.issuer, "id",
                                  app.client_id)
    access_header, access_claims = verify(result["AccessToken"], endpoint, app.pool_id,
                                          app.issuer, "access", app.client_id)
    return id_header, id_claims, access_header, access_claims


def test_jwks_and_discovery_are_served(app):
    jwks = get_json(jwks_url(app.server.endpoint, app.pool_id))
    keys = jwks["keys"]
    assert len(keys) >= 2
    for key in keys:
        assert key["kty"] == "RSA"
        assert key["alg"] == "RS256"
        assert key["use"] == "sig"
        assert key["e"] == "AQAB"
        assert key["kid"] and key["n"]
        assert set(key) == {"alg", "e", "kid", "kty", "n", "use"}
    assert len({k["kid"] for k in keys}) == len(keys)

    discovery = get_json(f"{app.server.endpoint}/{app.pool_id}/.well-known/openid-configuration")
    assert discovery["issuer"] == app.issuer
    assert discovery["jwks_uri"] == jwks_url(app.server.endpoint, app.pool_id)
    assert "RS256" in discovery["id_token_signing_alg_values_supported"]


def test_tokens_verify_and_carry_cognitos_claims(app_factory, idp):
    app = app_factory(client=CUSTOM_VALIDITY)
    account = app.new_account(attributes={"name": "Alice Example"})
    before = int(time.time())
    result = app.sign_in(account)
    after = int(time.time())
    assert result["ExpiresIn"] == 20 * 60
    assert result["TokenType"] == "Bearer"
    assert re.fullmatch(r"[A-Za-z0-9\-_=.]+", result["RefreshToken"])

    id_header, id_claims, access_header, access_claims = check_pair(app, result)

    assert set(id_header) == {"kid", "alg"} and id_header["alg"] == "RS256"
    assert set(access_header) == {"kid", "alg"} and access_header["alg"] == "RS256"
    assert id_header["kid"] != access_header["kid"], "ID and access tokens use different keys"

    # ID token
    assert id_claims["iss"] == app.issuer
    assert id_claims["aud"] == app.client_id
    assert id_claims["token_use"] == "id"
    assert id_claims["sub"] == account.sub
    assert id_claims["cognito:username"] == account.username
    assert id_claims["email"] == account.email
    assert id_claims["email_verified"] is True
    assert id_claims["name"] == "Alice Example"
    assert id_claims["exp"] - id_claims["iat"] == 30 * 60
    assert before - 1 <= id_claims["iat"] <= after + 1
    assert before - 1 <= id_claims["auth_time"] <= after + 1
    for claim in ("jti", "origin_jti", "event_id"):
        uuid.UUID(id_claims[claim])
    assert "cognito:groups" not in id_claims
    assert "username" not in id_claims

    # Access token
    assert access_claims["iss"] == app.issuer
    assert access_claims["client_id"] == app.client_id
    assert "aud" not in access_claims
    assert access_claims["token_use"] == "access"
    assert access_claims["sub"] == account.sub
    assert access_claims["username"] == account.username
    assert access_claims["scope"] == "aws.cognito.signin.user.admin"
    assert access_claims["exp"] - access_claims["iat"] == 20 * 60
    assert access_claims["auth_time"] == id_claims["auth_time"]
    for claim in ("jti", "origin_jti", "event_id"):
        uuid.UUID(access_claims[claim])
    assert "email" not in access_claims

    # One authentication: same family and event, distinct tokens.
    assert access_claims["origin_jti"] == id_claims["origin_jti"]
    assert access_claims["event_id"] == id_claims["event_id"]
    assert access_claims["jti"] != id_claims["jti"]


def test_groups_and_custom_attributes_in_tokens(app_factory, idp):
    app = app_factory(
        pool={"Schema": [{"Name": "tier", "AttributeDataType": "Number", "Mutable": True}]},
        client={"ReadAttributes": ["email", "email_verified", "custom:tier"],
                "WriteAttributes": ["email", "custom:tier"]},
    )
    account = app.new_account(attributes={"custom:tier": "3"})
    role = "arn:aws:iam::123456789012:role/Admins"
    idp.create_group(UserPoolId=app.pool_id, GroupName="admins", Precedence=1, RoleArn=role)
    idp.create_group(UserPoolId=app.pool_id, GroupName="readers", Precedence=5)
    for group in ("admins", "readers"):
        idp.admin_add_user_to_group(UserPoolId=app.pool_id, Username=account.username,
                                    GroupName=group)
    _, id_claims, _, access_claims = check_pair(app, app.sign_in(account))
    assert sorted(id_claims["cognito:groups"]) == ["admins", "readers"]
    assert sorted(access_claims["cognito:groups"]) == ["admins", "readers"]
    assert id_claims["cognito:roles"] == [role]
    assert id_claims["cognito:preferred_role"] == role
    assert "cognito:roles" not in access_claims
    # Custom attributes are strings in tokens, whatever their type.
    assert id_claims["custom:tier"] == "3"
    # Only the client's readable attributes appear.
    assert "name" not in id_claims
    assert id_claims["email_verified"] is True


def test_refresh_token_auth_keeps_the_family(app):
    account = app.new_account()
    first = app.sign_in(account)
    _, id1, _, access1 = check_pair(app, first)
    time.sleep(1.1)
    refreshed = app.refresh(first["RefreshToken"], account.username)
    assert "RefreshToken" not in refreshed
    assert refreshed["TokenType"] == "Bearer"
    _, id2, _, access2 = check_pair(app, refreshed)
    assert access2["origin_jti"] == access1["origin_jti"] == id2["origin_jti"]
    assert access2["auth_time"] == access1["auth_time"]
    assert id2["auth_time"] == id1["auth_time"]
    assert access2["jti"] != access1["jti"]
    assert access2["iat"] > access1["iat"]
    # The new access token works.
    user = app.public.get_user(AccessToken=refreshed["AccessToken"])
    assert user["Username"] == account.username


def test_get_tokens_from_refresh_token(app_factory):
    app = app_factory(secret=True)
    account = app.new_account()
    first = app.sign_in(account)
    result = app.public.get_tokens_from_refresh_token(
        RefreshToken=first["RefreshToken"], ClientId=app.client_id,
        ClientSecret=app.client_secret)["AuthenticationResult"]
    assert "RefreshToken" not in result
    _, _, _, access = check_pair(app, result)
    assert access["origin_jti"] == unverified_claims(first["AccessToken"])["origin_jti"]

    with cognito_error("NotAuthorizedException"):
        app.public.get_tokens_from_refresh_token(
            RefreshToken=first["RefreshToken"], ClientId=app.client_id,
            ClientSecret="w" * 52)


def test_refresh_token_is_bound_to_its_client(app, app_factory):
    account = app.new_account()
    tokens = app.sign_in(account)
    other = app_factory.client_for(app)
    with cognito_error("NotAuthorizedException"):
        other.refresh(tokens["RefreshToken"], account.username)


def test_garbage_refresh_token_is_refused(app):
    with cognito_error("NotAuthorizedException"):
        app.refresh("not-a-refresh-token", "anyone")


def test_refresh_token_rotation(app_factory):
    app = app_factory(client={"RefreshTokenRotation": {"Feature": "ENABLED",
                                                       "RetryGracePeriodSeconds": 0}})
    account = app.new_account()
    first = app.sign_in(account)
    rotated = app.public.get_tokens_from_refresh_token(
        RefreshToken=first["RefreshToken"], ClientId=app.client_id)["AuthenticationResult"]
    assert rotated["RefreshToken"] and rotated["RefreshToken"] != first["RefreshToken"]
    check_pair(app, rotated)
    # With rotation on, only GetTokensFromRefreshToken refreshes (the error type of the refusal
    # is not documented).
    with pytest.raises(ClientError) as refused:
        app.refresh(rotated["RefreshToken"], account.username)
    assert refused.value.response["Error"]["Code"] in ("NotAuthorizedException",
                                                       "InvalidParameterException")
    # The old one is spent (no grace period).
    with cognito_error("RefreshTokenReuseException"):
        app.public.get_tokens_from_refresh_token(RefreshToken=first["RefreshToken"],
                                                 ClientId=app.client_id)


def test_revoke_token_ends_that_session_only(app):
    account = app.new_account()
    revoked = app.sign_in(account)
    kept = app.sign_in(account)
    app.public.revoke_token(Token=revoked["RefreshToken"], ClientId=app.client_id)

    with cognito_error("NotAuthorizedException"):
        app.refresh(revoked["RefreshToken"], account.username)
    with cognito_error("NotAuthorizedException", "Access Token has been revoked"):
        app.public.get_user(AccessToken=revoked["AccessToken"])

    assert app.public.get_user(AccessToken=kept["AccessToken"])["Username"] == account.username
    assert app.refresh(kept["RefreshToken"], account.username)["AccessToken"]


def test_revoke_token_with_the_wrong_client_or_token_type(app, app_factory):
    account = app.new_account()
    tokens = app.sign_in(account)
    other = app_factory.client_for(app)
    with cognito_error("UnsupportedTokenTypeException"):
        app.public.revoke_token(Token=tokens["AccessToken"], ClientId=app.client_id)
    # Revoking with another client leaves the token alone, whatever that call answers.
    try:
        app.public.revoke_token(Token=tokens["RefreshToken"], ClientId=other.client_id)
    except ClientError:
        pass
    assert app.refresh(tokens["RefreshToken"], account.username)["AccessToken"]


def test_global_sign_out_revokes_every_session(app):
    account = app.new_account()
    one = app.sign_in(account)
    two = app.sign_in(account)
    app.public.global_sign_out(AccessToken=one["AccessToken"])
    for tokens in (one, two):
        with cognito_error("NotAuthorizedException", "Access Token has been revoked"):
            app.public.get_user(AccessToken=tokens["AccessToken"])
        with cognito_error("NotAuthorizedException"):
            app.refresh(tokens["RefreshToken"], account.username)
    # Signing in again works.
    fresh = app.sign_in(account)
    assert app.public.get_user(AccessToken=fresh["AccessToken"])["Username"] == account.username


def test_admin_user_global_sign_out(app, idp):
    account = app.new_account()
    tokens = app.sign_in(account)
    idp.admin_user_global_sign_out(UserPoolId=app.pool_id, Username=account.username)
    with cognito_error("NotAuthorizedException", "Access Token has been revoked"):
        app.public.get_user(AccessToken=tokens["AccessToken"])
    with cognito_error("NotAuthorizedException"):
        app.refresh(tokens["RefreshToken"], account.username)


def test_disabled_or_deleted_users_tokens_stop_working(app, idp):
    account = app.new_account()
    tokens = app.sign_in(account)
    idp.admin_disable_user(UserPoolId=app.pool_id, Username=account.username)
    with cognito_error("NotAuthorizedException"):
        app.public.get_user(AccessToken=tokens["AccessToken"])
    with cognito_error("NotAuthorizedException"):
        app.refresh(tokens["RefreshToken"], account.username)

    other = app.new_account()
    other_tokens = app.sign_in(other)
    idp.admin_delete_user(UserPoolId=app.pool_id, Username=other.username)
    with pytest.raises(ClientError) as refused:
        app.refresh(other_tokens["RefreshToken"], other.username)
    assert refused.value.response["Error"]["Code"] in ("NotAuthorizedException",
                                                       "UserNotFoundException")


def test_forged_or_id_tokens_are_not_access_tokens(app):
    account = app.new_account()
    tokens = app.sign_in(account)
    # A token whose signature does not verify.
    head, body, sig = tokens["AccessToken"].split(".")
    tampered = ".".join([head, body, sig[:-4] + ("AAAA" if sig[-4:] != "AAAA" else "BBBB")])
    with cognito_error("NotAuthorizedException"):
        app.public.get_user(AccessToken=tampered)
    # The ID token is not an access token.
    with cognito_error("NotAuthorizedException"):
        app.public.get_user(AccessToken=tokens["IdToken"])


def test_password_sign_in_tokens_for_secret_clients_refresh_with_internal_username(app_factory,
                                                                                   mail_sink):
    app = app_factory(pool={"UsernameAttributes": ["email"]}, secret=True)
    email = f"{app.new_username()}@example.com"
    sub = app.sign_up(email, STRONG_PASSWORD)["UserSub"]
    app.confirm_sign_up(email, mail_sink.next_code(email))
    tokens = app.password_auth(email, STRONG_PASSWORD)
    # SECRET_HASH for refresh uses the internal username (the sub), not the email.
    refreshed = app.refresh(tokens["RefreshToken"], sub)
    assert unverified_claims(refreshed["IdToken"])["cognito:username"] == sub


def test_refresh_accepts_a_null_device_key(app):
    # amazon-cognito-identity-js's refreshSession sends `"DEVICE_KEY": null` in AuthParameters
    # when no device was remembered; Cognito treats a null map value as absent.
    account = app.new_account()
    tokens = app.sign_in(account)
    response = send_unsigned(app.server.endpoint, "InitiateAuth", {
        "ClientId": app.client_id,
        "AuthFlow": "REFRESH_TOKEN_AUTH",
        "AuthParameters": {"REFRESH_TOKEN": tokens["RefreshToken"], "DEVICE_KEY": None},
    })
    assert response.status == 200, response.body
    assert response.body["AuthenticationResult"]["AccessToken"]
