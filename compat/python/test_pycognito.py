"""pycognito against the server: SRP sign-in (USER_SRP_AUTH, PASSWORD_VERIFIER answered without a
Session, as pycognito does), token verification by pycognito itself, refresh, password change,
registration and the other helpers apps use.

pycognito requires `iss` = `{endpoint_url}/{userPoolId}` and fetches the JWKS under it when the
boto3 client has an `endpoint_url`: that is the server's default issuer (public URL = endpoint)."""

import time

import jwt
import pytest
from pycognito import Cognito
from pycognito.exceptions import ForceChangePasswordException

from flows import cognito_error
from support import NEW_PASSWORD, REGION, STRONG_PASSWORD, TEMP_PASSWORD

INCORRECT = "Incorrect username or password."


@pytest.fixture(autouse=True)
def _jwks_from_the_server(monkeypatch):
    # pycognito would take a key set from this variable instead of the server's.
    monkeypatch.delenv("COGNITO_JWKS", raising=False)


def cognito(app, username, **kwargs) -> Cognito:
    return Cognito(
        app.pool_id, app.client_id, user_pool_region=REGION, username=username,
        client_secret=app.client_secret,
        access_key=app.server.admin_key.access_key_id,
        secret_key=app.server.admin_key.secret_access_key,
        boto3_client_kwargs={"endpoint_url": app.server.endpoint},
        **kwargs,
    )


@pytest.fixture(params=[False, True], ids=["public-client", "client-with-secret"])
def srp_app(request, app_factory):
    return app_factory(secret=request.param)


def test_srp_sign_in(srp_app):
    account = srp_app.new_account()
    user = cognito(srp_app, account.username)
    user.authenticate(password=account.password)
    # pycognito verified both tokens against the served JWKS (signature, iss, aud, token_use).
    assert user.token_type == "Bearer"
    assert user.refresh_token
    assert user.id_claims["cognito:username"] == account.username
    assert user.id_claims["sub"] == account.sub
    assert user.id_claims["aud"] == srp_app.client_id
    assert user.access_claims["username"] == account.username
    assert user.access_claims["client_id"] == srp_app.client_id
    assert user.get_user().email == account.email


def test_srp_wrong_password(srp_app):
    account = srp_app.new_account()
    with cognito_error("NotAuthorizedException", INCORRECT):
        cognito(srp_app, account.username).authenticate(password="Wr0ng-Passw0rd!")


def test_srp_unknown_user(srp_app, app_factory):
    with cognito_error("UserNotFoundException"):
        cognito(srp_app, "nobody-" + srp_app.new_username()).authenticate(password=STRONG_PASSWORD)
    hiding = app_factory.client_for(srp_app, secret=srp_app.client_secret is not None,
                                    PreventUserExistenceErrors="ENABLED")
    with cognito_error("NotAuthorizedException", INCORRECT):
        cognito(hiding, "nobody-" + srp_app.new_username()).authenticate(password=STRONG_PASSWORD)


def test_srp_by_email_alias(app_factory):
    app = app_factory(pool={"AliasAttributes": ["email"]})
    account = app.new_account()
    user = cognito(app, account.email)
    user.authenticate(password=account.password)
    assert user.id_claims["cognito:username"] == account.username


def test_srp_email_as_username_with_secret(app_factory, mail_sink):
    # The internal username is the sub: SECRET_HASH of the challenge answer uses it.
    app = app_factory(pool={"UsernameAttributes": ["email"]}, secret=True)
    email = f"{app.new_username()}@example.com"
    sub = app.sign_up(email, STRONG_PASSWORD)["UserSub"]
    app.confirm_sign_up(email, mail_sink.next_code(email))
    user = cognito(app, email)
    user.authenticate(password=STRONG_PASSWORD)
    assert user.id_claims["cognito:username"] == sub
    assert user.id_claims["email"] == email


def test_renew_access_token(srp_app):
    account = srp_app.new_account()
    user = cognito(srp_app, account.username)
    user.authenticate(password=account.password)
    assert user.check_token() is False
    first_access, first_refresh = user.access_token, user.refresh_token
    time.sleep(1.1)
    user.renew_access_token()
    assert user.access_token != first_access
    assert user.refresh_token == first_refresh
    assert user.access_claims["origin_jti"] == jwt.decode(
        first_access, options={"verify_signature": False})["origin_jti"]


def test_check_token_renews_an_expired_access_token(srp_app):
    account = srp_app.new_account()
    signed_in = cognito(srp_app, account.username)
    signed_in.authenticate(password=account.password)
    # An app restoring a session whose access token has expired: check_token refreshes it.
    expired = jwt.encode({"exp": int(time.time()) - 60, "token_use": "access"}, "k" * 32,
                         algorithm="HS256")
    restored = cognito(srp_app, account.username, access_token=expired,
                       id_token=signed_in.id_token, refresh_token=signed_in.refresh_token)
    assert restored.check_token() is True
    assert restored.access_claims["username"] == account.username
    assert restored.get_user().email == account.email


def test_change_password(srp_app):
    account = srp_app.new_account()
    user = cognito(srp_app, account.username)
    user.authenticate(password=account.password)
    user.change_password(account.password, NEW_PASSWORD)
    cognito(srp_app, account.username).authenticate(password=NEW_PASSWORD)
    with cognito_error("NotAuthorizedException", INCORRECT):
        cognito(srp_app, account.username).authenticate(password=account.password)


def test_register_and_confirm_sign_up(srp_app, mail_sink, idp):
    username = srp_app.new_username()
    email = f"{username}@example.com"
    user = cognito(srp_app, username)
    user.set_base_attributes(email=email, name="Py Cognito")
    response = user.register(username, STRONG_PASSWORD)
    assert response["UserConfirmed"] is False
    assert response["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"
    user.confirm_sign_up(mail_sink.next_code(email), username=username)
    user.authenticate(password=STRONG_PASSWORD)
    assert user.id_claims["name"] == "Py Cognito"
    assert user.id_claims["email_verified"] is True


def test_forgot_password(srp_app, mail_sink):
    account = srp_app.new_account()
    user = cognito(srp_app, account.username)
    user.initiate_forgot_password()
    user.confirm_forgot_password(mail_sink.next_code(account.email), NEW_PASSWORD)
    cognito(srp_app, account.username).authenticate(password=NEW_PASSWORD)


def test_admin_authenticate(srp_app):
    account = srp_app.new_account()
    user = cognito(srp_app, account.username)
    user.admin_authenticate(account.password)
    assert user.access_claims["username"] == account.username
    assert user.refresh_token


def test_new_password_challenge(srp_app, idp):
    username = srp_app.new_username()
    idp.admin_create_user(UserPoolId=srp_app.pool_id, Username=username,
                          TemporaryPassword=TEMP_PASSWORD, MessageAction="SUPPRESS")
    with pytest.raises(ForceChangePasswordException):
        cognito(srp_app, username).authenticate(password=TEMP_PASSWORD)
    user = cognito(srp_app, username)
    user.new_password_challenge(TEMP_PASSWORD, NEW_PASSWORD)
    assert user.access_claims["username"] == username
    assert idp.admin_get_user(UserPoolId=srp_app.pool_id,
                              Username=username)["UserStatus"] == "CONFIRMED"
    cognito(srp_app, username).authenticate(password=NEW_PASSWORD)


def test_update_profile_and_logout(srp_app):
    account = srp_app.new_account()
    user = cognito(srp_app, account.username)
    user.authenticate(password=account.password)
    user.update_profile({"name": "Updated"})
    assert user.get_user().name == "Updated"
    access_token = user.access_token
    user.logout()  # GlobalSignOut, then pycognito forgets its tokens
    with cognito_error("NotAuthorizedException", "Access Token has been revoked"):
        user.client.get_user(AccessToken=access_token)
    cognito(srp_app, account.username).authenticate(password=account.password)
