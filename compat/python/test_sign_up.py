"""SignUp, ConfirmSignUp and ResendConfirmationCode through boto3, with the confirmation code
read from the mail the server sent to the local SMTP sink."""

import re
import uuid

from flows import cognito_error
from support import MAIL_FROM, STRONG_PASSWORD, attribute_map


def test_sign_up_mails_a_code_that_confirms_the_user(app, idp, mail_sink):
    username = app.new_username()
    email = f"{username}@example.com"
    response = app.sign_up(username, STRONG_PASSWORD, email, {"name": "Alice"})

    assert response["UserConfirmed"] is False
    uuid.UUID(response["UserSub"])
    delivery = response["CodeDeliveryDetails"]
    assert delivery["DeliveryMedium"] == "EMAIL"
    assert delivery["AttributeName"] == "email"
    # Masked: first letter, stars, the domain's first letter.
    assert delivery["Destination"] != email
    assert delivery["Destination"][0] == email[0]
    assert "***" in delivery["Destination"]

    user = idp.admin_get_user(UserPoolId=app.pool_id, Username=username)
    assert user["UserStatus"] == "UNCONFIRMED"
    attrs = attribute_map(user["UserAttributes"])
    assert attrs["sub"] == response["UserSub"]
    assert attrs["email"] == email
    assert attrs.get("email_verified", "false") == "false"

    mail = mail_sink.next_mail(email)
    assert mail.mail_from == MAIL_FROM
    code = mail.code()

    app.confirm_sign_up(username, code)
    user = idp.admin_get_user(UserPoolId=app.pool_id, Username=username)
    assert user["UserStatus"] == "CONFIRMED"
    assert attribute_map(user["UserAttributes"])["email_verified"] == "true"

    tokens = app.password_auth(username, STRONG_PASSWORD)
    assert tokens["AccessToken"] and tokens["IdToken"] and tokens["RefreshToken"]


def test_unconfirmed_user_cannot_sign_in(app, mail_sink):
    username = app.new_username()
    email = f"{username}@example.com"
    app.sign_up(username, STRONG_PASSWORD, email)
    with cognito_error("UserNotConfirmedException", "User is not confirmed."):
        app.password_auth(username, STRONG_PASSWORD)
    assert re.fullmatch(r"\d{6}", mail_sink.next_code(email))


def test_wrong_code_is_a_mismatch_and_the_right_one_still_works(app, idp, mail_sink):
    username = app.new_username()
    email = f"{username}@example.com"
    app.sign_up(username, STRONG_PASSWORD, email)
    code = mail_sink.next_code(email)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    with cognito_error("CodeMismatchException"):
        app.confirm_sign_up(username, wrong)
    assert idp.admin_get_user(UserPoolId=app.pool_id, Username=username)["UserStatus"] == "UNCONFIRMED"
    app.confirm_sign_up(username, code)
    assert idp.admin_get_user(UserPoolId=app.pool_id, Username=username)["UserStatus"] == "CONFIRMED"


def test_confirming_twice_is_refused(app, mail_sink):
    username = app.new_username()
    email = f"{username}@example.com"
    app.sign_up(username, STRONG_PASSWORD, email)
    code = mail_sink.next_code(email)
    app.confirm_sign_up(username, code)
    with cognito_error("NotAuthorizedException",
                       "User cannot be confirmed. Current status is CONFIRMED"):
        app.confirm_sign_up(username, code)


def test_resend_confirmation_code_mails_a_new_code(app, idp, public_idp, mail_sink):
    username = app.new_username()
    email = f"{username}@example.com"
    app.sign_up(username, STRONG_PASSWORD, email)
    mail_sink.next_code(email)

    response = public_idp.resend_confirmation_code(ClientId=app.client_id, Username=username)
    assert response["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"
    assert response["CodeDeliveryDetails"]["AttributeName"] == "email"
    code = mail_sink.next_code(email)
    app.confirm_sign_up(username, code)
    assert idp.admin_get_user(UserPoolId=app.pool_id, Username=username)["UserStatus"] == "CONFIRMED"


def test_taken_username_is_refused(app, mail_sink):
    account = app.new_account()
    with cognito_error("UsernameExistsException", "User already exists"):
        app.sign_up(account.username, STRONG_PASSWORD, f"other-{account.email}")


def test_password_policy_applies(app):
    username = app.new_username()
    with cognito_error("InvalidPasswordException") as info:
        app.sign_up(username, "alllowercase1!", f"{username}@example.com")
    assert info.value.response["Error"]["Message"].startswith("Password did not conform with policy")


def test_sign_up_refused_when_only_admins_create_users(app_factory):
    app = app_factory(pool={"AdminCreateUserConfig": {"AllowAdminCreateUserOnly": True}})
    username = app.new_username()
    with cognito_error("NotAuthorizedException"):
        app.sign_up(username, STRONG_PASSWORD, f"{username}@example.com")


def test_client_with_secret_needs_the_secret_hash(app_factory, public_idp, idp, mail_sink):
    app = app_factory(secret=True)
    username = app.new_username()
    email = f"{username}@example.com"
    attrs = [{"Name": "email", "Value": email}]

    with cognito_error("NotAuthorizedException") as missing:
        public_idp.sign_up(ClientId=app.client_id, Username=username, Password=STRONG_PASSWORD,
                           UserAttributes=attrs)
    assert app.client_id in missing.value.response["Error"]["Message"]

    with cognito_error("NotAuthorizedException",
                       f"Unable to verify secret hash for client {app.client_id}"):
        public_idp.sign_up(ClientId=app.client_id, Username=username, Password=STRONG_PASSWORD,
                           UserAttributes=attrs, SecretHash="d3Jvbmc=")

    app.sign_up(username, STRONG_PASSWORD, email)
    app.confirm_sign_up(username, mail_sink.next_code(email))
    assert idp.admin_get_user(UserPoolId=app.pool_id, Username=username)["UserStatus"] == "CONFIRMED"


def test_secret_hash_sent_to_a_client_without_secret_is_refused(app, public_idp):
    username = app.new_username()
    with cognito_error("InvalidParameterException"):
        public_idp.sign_up(ClientId=app.client_id, Username=username, Password=STRONG_PASSWORD,
                           SecretHash="d3Jvbmc=",
                           UserAttributes=[{"Name": "email", "Value": f"{username}@example.com"}])


def test_unknown_client_is_refused(public_idp, app):
    with cognito_error("ResourceNotFoundException"):
        public_idp.sign_up(ClientId="1example23456789abcdefghij", Username="nobody",
                           Password=STRONG_PASSWORD)


def test_email_as_username_pool(app_factory, idp, mail_sink):
    app = app_factory(pool={"UsernameAttributes": ["email"]})
    email = f"{app.new_username()}@example.com"
    response = app.public.sign_up(ClientId=app.client_id, Username=email, Password=STRONG_PASSWORD)
    sub = response["UserSub"]
    app.confirm_sign_up(email, mail_sink.next_code(email))
    user = idp.admin_get_user(UserPoolId=app.pool_id, Username=email)
    # The internal username is the sub; the email is an attribute that signs in.
    assert user["Username"] == sub
    assert attribute_map(user["UserAttributes"])["email"] == email
    tokens = app.password_auth(email, STRONG_PASSWORD)
    assert tokens["AccessToken"]
