"""ForgotPassword / ConfirmForgotPassword through boto3 with the reset code from the mail."""

from flows import cognito_error
from support import NEW_PASSWORD, STRONG_PASSWORD, TEMP_PASSWORD

INCORRECT = "Incorrect username or password."


def forgot(app, username):
    return app.public.forgot_password(ClientId=app.client_id, Username=username,
                                      **app.hash_for(username))


def confirm_forgot(app, username, code, password=NEW_PASSWORD):
    return app.public.confirm_forgot_password(ClientId=app.client_id, Username=username,
                                              ConfirmationCode=code, Password=password,
                                              **app.hash_for(username))


def test_reset_code_from_mail_sets_a_new_password(app, mail_sink):
    account = app.new_account()
    response = forgot(app, account.username)
    delivery = response["CodeDeliveryDetails"]
    assert delivery["DeliveryMedium"] == "EMAIL"
    assert delivery["AttributeName"] == "email"
    assert delivery["Destination"] != account.email and "***" in delivery["Destination"]

    code = mail_sink.next_code(account.email)
    confirm_forgot(app, account.username, code)

    assert app.password_auth(account.username, NEW_PASSWORD)["AccessToken"]
    with cognito_error("NotAuthorizedException", INCORRECT):
        app.password_auth(account.username, STRONG_PASSWORD)


def test_wrong_reset_code_is_a_mismatch(app, mail_sink):
    account = app.new_account()
    forgot(app, account.username)
    code = mail_sink.next_code(account.email)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    with cognito_error("CodeMismatchException"):
        confirm_forgot(app, account.username, wrong)
    # The old password still works; the right code still does.
    assert app.sign_in(account)["AccessToken"]
    confirm_forgot(app, account.username, code)
    assert app.password_auth(account.username, NEW_PASSWORD)["AccessToken"]


def test_reset_code_works_once(app, mail_sink):
    account = app.new_account()
    forgot(app, account.username)
    code = mail_sink.next_code(account.email)
    confirm_forgot(app, account.username, code)
    with cognito_error("ExpiredCodeException"):
        confirm_forgot(app, account.username, code, password="An0ther-Passw0rd!")
    assert app.password_auth(account.username, NEW_PASSWORD)["AccessToken"]


def test_no_code_requested_is_an_expired_code(app):
    account = app.new_account()
    with cognito_error("ExpiredCodeException"):
        confirm_forgot(app, account.username, "123456")
    assert app.sign_in(account)["AccessToken"]


def test_new_password_must_follow_the_policy(app, mail_sink):
    account = app.new_account()
    forgot(app, account.username)
    code = mail_sink.next_code(account.email)
    with cognito_error("InvalidPasswordException"):
        confirm_forgot(app, account.username, code, password="alllowercase1!")


def test_too_many_wrong_codes_are_limited(app, mail_sink):
    account = app.new_account()
    forgot(app, account.username)
    code = mail_sink.next_code(account.email)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    seen = []
    for _ in range(25):
        try:
            confirm_forgot(app, account.username, wrong)
        except app.public.exceptions.LimitExceededException:
            seen.append("LimitExceededException")
            break
        except app.public.exceptions.CodeMismatchException:
            seen.append("CodeMismatchException")
    assert seen[-1] == "LimitExceededException", seen
    assert seen[0] == "CodeMismatchException", seen


def test_unverified_email_cannot_reset_a_password(app, idp):
    username = app.new_username()
    idp.admin_create_user(UserPoolId=app.pool_id, Username=username, MessageAction="SUPPRESS",
                          TemporaryPassword=TEMP_PASSWORD,
                          UserAttributes=[{"Name": "email", "Value": f"{username}@example.com"}])
    idp.admin_set_user_password(UserPoolId=app.pool_id, Username=username,
                                Password=STRONG_PASSWORD, Permanent=True)
    with cognito_error("InvalidParameterException"):
        forgot(app, username)


def test_unknown_user(app, app_factory):
    with cognito_error("UserNotFoundException"):
        forgot(app, "nobody-" + app.new_username())
    hiding = app_factory.client_for(app, PreventUserExistenceErrors="ENABLED")
    # Existence is hidden: a simulated delivery, and no mail.
    response = forgot(hiding, "nobody-" + app.new_username())
    assert response["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"


def test_secret_client_reset(app_factory, mail_sink):
    app = app_factory(secret=True)
    account = app.new_account()
    with cognito_error("NotAuthorizedException"):
        app.public.forgot_password(ClientId=app.client_id, Username=account.username)
    forgot(app, account.username)
    confirm_forgot(app, account.username, mail_sink.next_code(account.email))
    assert app.password_auth(account.username, NEW_PASSWORD)["AccessToken"]
