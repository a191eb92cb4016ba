"""Codes expire: on a server whose code lifetimes are set to a couple of seconds, a late code
is an ExpiredCodeException and a fresh one works (the lifetimes are server settings; Cognito's
defaults, 24 h and 1 h, are checked with an injected clock in the Rust suites)."""

import time

from flows import cognito_error
from support import NEW_PASSWORD, SHORT_CODE_SECS, STRONG_PASSWORD


def wait_out_the_code():
    time.sleep(SHORT_CODE_SECS + 1.0)


def test_expired_sign_up_code(short_codes_app, mail_sink):
    app = short_codes_app
    username = app.new_username()
    email = f"{username}@example.com"
    app.sign_up(username, STRONG_PASSWORD, email)
    code = mail_sink.next_code(email)
    wait_out_the_code()
    with cognito_error("ExpiredCodeException"):
        app.confirm_sign_up(username, code)
    app.public.resend_confirmation_code(ClientId=app.client_id, Username=username)
    app.confirm_sign_up(username, mail_sink.next_code(email))
    assert app.password_auth(username, STRONG_PASSWORD)["AccessToken"]


def test_expired_reset_code(short_codes_app, mail_sink):
    app = short_codes_app
    account = app.new_account()
    app.public.forgot_password(ClientId=app.client_id, Username=account.username)
    code = mail_sink.next_code(account.email)
    wait_out_the_code()
    with cognito_error("ExpiredCodeException"):
        app.public.confirm_forgot_password(ClientId=app.client_id, Username=account.username,
                                           ConfirmationCode=code, Password=NEW_PASSWORD)
    assert app.sign_in(account)["AccessToken"]
    app.public.forgot_password(ClientId=app.client_id, Username=account.username)
    app.public.confirm_forgot_password(ClientId=app.client_id, Username=account.username,
                                       ConfirmationCode=mail_sink.next_code(account.email),
                                       Password=NEW_PASSWORD)
    assert app.password_auth(account.username, NEW_PASSWORD)["AccessToken"]


def test_expired_attribute_verification_code(short_codes_app, mail_sink):
    app = short_codes_app
    account = app.new_account()
    token = app.sign_in(account)["AccessToken"]
    app.public.get_user_attribute_verification_code(AccessToken=token, AttributeName="email")
    code = mail_sink.next_code(account.email)
    wait_out_the_code()
    with cognito_error("ExpiredCodeException"):
        app.public.verify_user_attribute(AccessToken=token, AttributeName="email", Code=code)
