"""InitiateAuth / AdminInitiateAuth with passwords, Cognito's sign-in errors, and the
NEW_PASSWORD_REQUIRED challenge of admin-created users, through boto3."""

import json
import time

from flows import cognito_error
from support import NEW_PASSWORD, STRONG_PASSWORD, TEMP_PASSWORD

INCORRECT = "Incorrect username or password."


def test_password_sign_in_returns_bearer_tokens(app):
    account = app.new_account()
    response = app.initiate_auth("USER_PASSWORD_AUTH",
                                 {"USERNAME": account.username, "PASSWORD": account.password})
    assert "ChallengeName" not in response
    assert response.get("ChallengeParameters", {}) == {}
    result = response["AuthenticationResult"]
    assert result["TokenType"] == "Bearer"
    assert result["ExpiresIn"] == 3600
    assert result["AccessToken"].count(".") == 2
    assert result["IdToken"].count(".") == 2
    assert result["RefreshToken"]


def test_sign_in_by_verified_email_alias(app_factory):
    app = app_factory(pool={"AliasAttributes": ["email"]})
    account = app.new_account()
    result = app.password_auth(account.email, account.password)
    assert result["AccessToken"]


def test_wrong_password_is_refused(app):
    account = app.new_account()
    with cognito_error("NotAuthorizedException", INCORRECT):
        app.password_auth(account.username, "Wr0ng-Passw0rd!")


def test_unknown_user_legacy_and_prevented_existence_errors(app, app_factory):
    with cognito_error("UserNotFoundException", "User does not exist."):
        app.password_auth("nobody-" + app.new_username(), STRONG_PASSWORD)
    hiding = app_factory.client_for(app, PreventUserExistenceErrors="ENABLED")
    with cognito_error("NotAuthorizedException", INCORRECT):
        hiding.password_auth("nobody-" + app.new_username(), STRONG_PASSWORD)


def test_disabled_user_is_refused(app, idp):
    account = app.new_account()
    idp.admin_disable_user(UserPoolId=app.pool_id, Username=account.username)
    with cognito_error("NotAuthorizedException", "User is disabled."):
        app.sign_in(account)
    idp.admin_enable_user(UserPoolId=app.pool_id, Username=account.username)
    assert app.sign_in(account)["AccessToken"]


def test_flow_must_be_enabled_for_the_client(app, app_factory):
    account = app.new_account()
    srp_only = app_factory.client_for(app, ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH",
                                                               "ALLOW_REFRESH_TOKEN_AUTH"])
    with cognito_error("InvalidParameterException"):
        srp_only.sign_in(account)


def test_initiate_auth_refuses_admin_flows(app):
    account = app.new_account()
    with cognito_error("InvalidParameterException"):
        app.initiate_auth("ADMIN_USER_PASSWORD_AUTH",
                          {"USERNAME": account.username, "PASSWORD": account.password})


def test_admin_initiate_auth_with_password(app, idp):
    account = app.new_account()
    response = idp.admin_initiate_auth(
        UserPoolId=app.pool_id, ClientId=app.client_id, AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": account.username, "PASSWORD": account.password})
    assert response["AuthenticationResult"]["AccessToken"]
    with cognito_error("NotAuthorizedException", INCORRECT):
        idp.admin_initiate_auth(
            UserPoolId=app.pool_id, ClientId=app.client_id, AuthFlow="ADMIN_NO_SRP_AUTH",
            AuthParameters={"USERNAME": account.username, "PASSWORD": "Wr0ng-Passw0rd!"})


def test_secret_client_needs_secret_hash_to_sign_in(app_factory):
    app = app_factory(secret=True)
    account = app.new_account()
    with cognito_error("NotAuthorizedException") as missing:
        app.initiate_auth("USER_PASSWORD_AUTH",
                          {"USERNAME": account.username, "PASSWORD": account.password})
    assert app.client_id in missing.value.response["Error"]["Message"]
    with cognito_error("NotAuthorizedException",
                       f"Unable to verify secret hash for client {app.client_id}"):
        app.initiate_auth("USER_PASSWORD_AUTH", {"USERNAME": account.username,
                                                 "PASSWORD": account.password,
                                                 "SECRET_HASH": "d3Jvbmc="})
    assert app.sign_in(account)["AccessToken"]


def _admin_created(app, idp, username, **kwargs):
    return idp.admin_create_user(
        UserPoolId=app.pool_id, Username=username, TemporaryPassword=TEMP_PASSWORD,
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": f"{username}@example.com"},
                        {"Name": "email_verified", "Value": "true"}], **kwargs)["User"]


def test_admin_created_user_must_choose_a_new_password(app, idp):
    username = app.new_username()
    _admin_created(app, idp, username)

    challenge = app.initiate_auth("USER_PASSWORD_AUTH",
                                  {"USERNAME": username, "PASSWORD": TEMP_PASSWORD})
    assert challenge["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    assert "AuthenticationResult" not in challenge
    assert len(challenge["Session"]) >= 20
    params = challenge["ChallengeParameters"]
    assert params["USER_ID_FOR_SRP"] == username
    assert json.loads(params["requiredAttributes"]) == []
    shown = json.loads(params["userAttributes"])
    assert shown["email"] == f"{username}@example.com"

    with cognito_error("InvalidPasswordException"):
        app.public.respond_to_auth_challenge(
            ClientId=app.client_id, ChallengeName="NEW_PASSWORD_REQUIRED",
            Session=challenge["Session"],
            ChallengeResponses={"USERNAME": username, "NEW_PASSWORD": "alllowercase1!"})

    # A failed answer may spend the session; start again.
    challenge = app.initiate_auth("USER_PASSWORD_AUTH",
                                  {"USERNAME": username, "PASSWORD": TEMP_PASSWORD})
    done = app.public.respond_to_auth_challenge(
        ClientId=app.client_id, ChallengeName="NEW_PASSWORD_REQUIRED",
        Session=challenge["Session"],
        ChallengeResponses={"USERNAME": username, "NEW_PASSWORD": NEW_PASSWORD})
    assert done["AuthenticationResult"]["AccessToken"]
    assert idp.admin_get_user(UserPoolId=app.pool_id, Username=username)["UserStatus"] == "CONFIRMED"

    # The session worked once.
    with cognito_error("NotAuthorizedException"):
        app.public.respond_to_auth_challenge(
            ClientId=app.client_id, ChallengeName="NEW_PASSWORD_REQUIRED",
            Session=challenge["Session"],
            ChallengeResponses={"USERNAME": username, "NEW_PASSWORD": NEW_PASSWORD + "2"})

    with cognito_error("NotAuthorizedException", INCORRECT):
        app.password_auth(username, TEMP_PASSWORD)
    assert app.password_auth(username, NEW_PASSWORD)["IdToken"]


def test_new_password_challenge_asks_for_missing_required_attributes(app_factory, idp):
    app = app_factory(pool={"Schema": [{"Name": "name", "AttributeDataType": "String",
                                        "Required": True, "Mutable": True}]})
    username = app.new_username()
    # Admins may create users without the required attributes; the user must supply them.
    idp.admin_create_user(UserPoolId=app.pool_id, Username=username,
                          TemporaryPassword=TEMP_PASSWORD, MessageAction="SUPPRESS")
    challenge = app.initiate_auth("USER_PASSWORD_AUTH",
                                  {"USERNAME": username, "PASSWORD": TEMP_PASSWORD})
    assert challenge["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    assert json.loads(challenge["ChallengeParameters"]["requiredAttributes"]) == [
        "userAttributes.name"]
    done = app.public.respond_to_auth_challenge(
        ClientId=app.client_id, ChallengeName="NEW_PASSWORD_REQUIRED",
        Session=challenge["Session"],
        ChallengeResponses={"USERNAME": username, "NEW_PASSWORD": NEW_PASSWORD,
                            "userAttributes.name": "Given Name"})
    assert done["AuthenticationResult"]["AccessToken"]
    user = idp.admin_get_user(UserPoolId=app.pool_id, Username=username)
    assert {a["Name"]: a["Value"] for a in user["UserAttributes"]}["name"] == "Given Name"


def test_admin_respond_to_new_password_challenge(app, idp):
    username = app.new_username()
    _admin_created(app, idp, username)
    challenge = idp.admin_initiate_auth(
        UserPoolId=app.pool_id, ClientId=app.client_id, AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": TEMP_PASSWORD})
    assert challenge["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    done = idp.admin_respond_to_auth_challenge(
        UserPoolId=app.pool_id, ClientId=app.client_id, ChallengeName="NEW_PASSWORD_REQUIRED",
        Session=challenge["Session"],
        ChallengeResponses={"USERNAME": username, "NEW_PASSWORD": NEW_PASSWORD})
    assert done["AuthenticationResult"]["RefreshToken"]


def test_reset_required_user_is_told_so(app, idp, mail_sink):
    account = app.new_account()
    idp.admin_reset_user_password(UserPoolId=app.pool_id, Username=account.username)
    assert idp.admin_get_user(UserPoolId=app.pool_id,
                              Username=account.username)["UserStatus"] == "RESET_REQUIRED"
    with cognito_error("PasswordResetRequiredException"):
        app.sign_in(account)
    # The reset code went out by mail; it sets a new password.
    code = mail_sink.next_code(account.email)
    app.public.confirm_forgot_password(ClientId=app.client_id, Username=account.username,
                                       ConfirmationCode=code, Password=NEW_PASSWORD)
    assert app.password_auth(account.username, NEW_PASSWORD)["AccessToken"]


def test_repeated_failures_lock_the_user_out_for_a_while(app):
    # Cognito: a few failures are free, then "Password attempts exceeded" for a lockout that
    # grows with each failure (even the right password is refused meanwhile), then sign-in works
    # again. The thresholds are server settings; the defaults follow flows.md §4.
    account = app.new_account()
    answers = []
    for _ in range(10):
        try:
            app.password_auth(account.username, "Wr0ng-Passw0rd!")
            answers.append("signed in?!")
        except app.public.exceptions.NotAuthorizedException as err:
            answers.append(err.response["Error"]["Message"])
            if answers[-1] == "Password attempts exceeded":
                break
    assert answers[:5] == [INCORRECT] * 5, answers
    assert answers[-1] == "Password attempts exceeded", answers
    with cognito_error("NotAuthorizedException", "Password attempts exceeded"):
        app.sign_in(account)
    deadline = time.monotonic() + 60
    while True:
        try:
            assert app.sign_in(account)["AccessToken"]
            break
        except app.public.exceptions.NotAuthorizedException as err:
            assert err.response["Error"]["Message"] == "Password attempts exceeded"
            assert time.monotonic() < deadline, "still locked out after 60 s"
            time.sleep(1)
