"""The user's own operations with an access token, through boto3: GetUser,
UpdateUserAttributes, attribute verification by mailed code, ChangePassword, DeleteUser."""

import pytest
from botocore.exceptions import ClientError

from flows import cognito_error
from support import NEW_PASSWORD, STRONG_PASSWORD, attribute_map

INCORRECT = "Incorrect username or password."


def test_get_user(app):
    account = app.new_account(attributes={"name": "Alice"})
    token = app.sign_in(account)["AccessToken"]
    user = app.public.get_user(AccessToken=token)
    assert user["Username"] == account.username
    attrs = attribute_map(user["UserAttributes"])
    assert attrs["sub"] == account.sub
    assert attrs["email"] == account.email
    assert attrs["email_verified"] == "true"
    assert attrs["name"] == "Alice"
    assert user.get("MFAOptions", []) == []


def test_invalid_access_token_is_refused(app):
    with cognito_error("NotAuthorizedException"):
        app.public.get_user(AccessToken="eyJhbGciOiJSUzI1NiJ9.e30.c2lnbmF0dXJl")


def test_update_user_attributes(app):
    account = app.new_account()
    token = app.sign_in(account)["AccessToken"]
    response = app.public.update_user_attributes(
        AccessToken=token, UserAttributes=[{"Name": "name", "Value": "Renamed"},
                                           {"Name": "given_name", "Value": "Ren"}])
    assert response.get("CodeDeliveryDetailsList", []) == []
    attrs = attribute_map(app.public.get_user(AccessToken=token)["UserAttributes"])
    assert attrs["name"] == "Renamed"
    assert attrs["given_name"] == "Ren"


def test_client_write_attributes_are_respected(app, app_factory):
    account = app.new_account()
    narrow = app_factory.client_for(app, WriteAttributes=["name"])
    token = narrow.sign_in(account)["AccessToken"]
    with cognito_error("NotAuthorizedException"):
        narrow.public.update_user_attributes(
            AccessToken=token, UserAttributes=[{"Name": "family_name", "Value": "X"}])
    narrow.public.update_user_attributes(AccessToken=token,
                                         UserAttributes=[{"Name": "name", "Value": "Ok"}])


def test_email_change_is_verified_by_mailed_code(app, idp, mail_sink):
    account = app.new_account()
    token = app.sign_in(account)["AccessToken"]
    new_email = f"new-{account.email}"
    response = app.public.update_user_attributes(
        AccessToken=token, UserAttributes=[{"Name": "email", "Value": new_email}])
    (delivery,) = response["CodeDeliveryDetailsList"]
    assert delivery["AttributeName"] == "email"
    assert delivery["DeliveryMedium"] == "EMAIL"
    attrs = attribute_map(app.public.get_user(AccessToken=token)["UserAttributes"])
    assert attrs["email"] == new_email
    assert attrs["email_verified"] == "false"

    code = mail_sink.next_code(new_email)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    with cognito_error("CodeMismatchException"):
        app.public.verify_user_attribute(AccessToken=token, AttributeName="email", Code=wrong)
    app.public.verify_user_attribute(AccessToken=token, AttributeName="email", Code=code)
    attrs = attribute_map(app.public.get_user(AccessToken=token)["UserAttributes"])
    assert attrs["email_verified"] == "true"


def test_get_user_attribute_verification_code(app, mail_sink):
    account = app.new_account()
    token = app.sign_in(account)["AccessToken"]
    response = app.public.get_user_attribute_verification_code(AccessToken=token,
                                                               AttributeName="email")
    assert response["CodeDeliveryDetails"]["AttributeName"] == "email"
    assert response["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"
    code = mail_sink.next_code(account.email)
    app.public.verify_user_attribute(AccessToken=token, AttributeName="email", Code=code)
    # A code works once.
    with cognito_error("ExpiredCodeException"):
        app.public.verify_user_attribute(AccessToken=token, AttributeName="email", Code=code)


def test_email_change_waits_for_verification_when_the_pool_says_so(app_factory, mail_sink):
    app = app_factory(pool={
        "AliasAttributes": ["email"],
        "UserAttributeUpdateSettings": {"AttributesRequireVerificationBeforeUpdate": ["email"]},
    })
    account = app.new_account()
    token = app.sign_in(account)["AccessToken"]
    new_email = f"new-{account.email}"
    app.public.update_user_attributes(AccessToken=token,
                                      UserAttributes=[{"Name": "email", "Value": new_email}])
    # Until verified, the old verified address stays, and still signs in.
    attrs = attribute_map(app.public.get_user(AccessToken=token)["UserAttributes"])
    assert attrs["email"] == account.email
    assert attrs["email_verified"] == "true"
    assert app.password_auth(account.email, account.password)["AccessToken"]

    code = mail_sink.next_code(new_email)
    app.public.verify_user_attribute(AccessToken=token, AttributeName="email", Code=code)
    attrs = attribute_map(app.public.get_user(AccessToken=token)["UserAttributes"])
    assert attrs["email"] == new_email
    assert attrs["email_verified"] == "true"
    assert app.password_auth(new_email, account.password)["AccessToken"]
    # The old address no longer names anyone (the client has LEGACY existence errors).
    with cognito_error("UserNotFoundException"):
        app.password_auth(account.email, account.password)


def test_delete_user_attributes(app):
    account = app.new_account(attributes={"name": "Gone Soon"})
    token = app.sign_in(account)["AccessToken"]
    app.public.delete_user_attributes(AccessToken=token, UserAttributeNames=["name"])
    attrs = attribute_map(app.public.get_user(AccessToken=token)["UserAttributes"])
    assert "name" not in attrs


def test_change_password(app):
    account = app.new_account()
    token = app.sign_in(account)["AccessToken"]
    with cognito_error("NotAuthorizedException", INCORRECT):
        app.public.change_password(AccessToken=token, PreviousPassword="Wr0ng-Passw0rd!",
                                   ProposedPassword=NEW_PASSWORD)
    with cognito_error("InvalidPasswordException"):
        app.public.change_password(AccessToken=token, PreviousPassword=STRONG_PASSWORD,
                                   ProposedPassword="alllowercase1!")
    app.public.change_password(AccessToken=token, PreviousPassword=STRONG_PASSWORD,
                               ProposedPassword=NEW_PASSWORD)
    with cognito_error("NotAuthorizedException", INCORRECT):
        app.password_auth(account.username, STRONG_PASSWORD)
    assert app.password_auth(account.username, NEW_PASSWORD)["AccessToken"]


def test_delete_user(app, idp):
    account = app.new_account()
    token = app.sign_in(account)["AccessToken"]
    app.public.delete_user(AccessToken=token)
    with cognito_error("UserNotFoundException"):
        idp.admin_get_user(UserPoolId=app.pool_id, Username=account.username)
    with pytest.raises(ClientError) as refused:
        app.public.get_user(AccessToken=token)
    assert refused.value.response["Error"]["Code"] in ("NotAuthorizedException",
                                                       "UserNotFoundException")
    # The username is free again.
    app.sign_up(account.username, STRONG_PASSWORD, account.email)
