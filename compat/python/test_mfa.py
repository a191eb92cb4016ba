"""MFA through boto3: a TOTP authenticator set up with the access token (AssociateSoftwareToken,
VerifySoftwareToken, SetUserMFAPreference) and the SOFTWARE_TOKEN_MFA challenge answered with
codes computed by pyotp, an independent RFC 6238 implementation; EMAIL_OTP with the code read
from the suite's SMTP sink."""

import time

import pyotp

from flows import cognito_error

SOFTWARE_TOKEN_ON = {"SoftwareTokenMfaConfiguration": {"Enabled": True}}


def _mfa_app(app_factory, **config):
    app = app_factory()
    app.idp.set_user_pool_mfa_config(UserPoolId=app.pool_id, MfaConfiguration="OPTIONAL",
                                     **config)
    return app


def _respond(app, response, username, key, code):
    return app.public.respond_to_auth_challenge(
        ClientId=app.client_id, ChallengeName=response["ChallengeName"],
        Session=response["Session"],
        ChallengeResponses={"USERNAME": username, key: code, **app.auth_hash(username)})


def _password_challenge(app, account):
    return app.initiate_auth("USER_PASSWORD_AUTH",
                             {"USERNAME": account.username, "PASSWORD": account.password},
                             account.username)


def test_totp_set_up_with_the_access_token_then_asked_at_sign_in(app_factory):
    app = _mfa_app(app_factory, **SOFTWARE_TOKEN_ON)
    account = app.new_account()
    access = app.sign_in(account)["AccessToken"]

    secret = app.public.associate_software_token(AccessToken=access)["SecretCode"]
    totp = pyotp.TOTP(secret)
    with cognito_error("EnableSoftwareTokenMFAException"):
        app.public.verify_software_token(AccessToken=access,
                                         UserCode=pyotp.TOTP(pyotp.random_base32()).now())
    verified = app.public.verify_software_token(AccessToken=access, UserCode=totp.now(),
                                                FriendlyDeviceName="phone")
    assert verified["Status"] == "SUCCESS"
    app.public.set_user_mfa_preference(
        AccessToken=access,
        SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True})
    user = app.public.get_user(AccessToken=access)
    assert user["UserMFASettingList"] == ["SOFTWARE_TOKEN_MFA"]
    assert user["PreferredMfaSetting"] == "SOFTWARE_TOKEN_MFA"

    challenge = _password_challenge(app, account)
    assert challenge["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    assert challenge["ChallengeParameters"].get("FRIENDLY_DEVICE_NAME") == "phone"
    assert "AuthenticationResult" not in challenge
    # A code is good once: the one VerifySoftwareToken took is spent, so answer with the
    # next time step's (within the accepted window).
    code = totp.at(time.time() + 30)
    with cognito_error("CodeMismatchException"):
        _respond(app, challenge, account.username, "SOFTWARE_TOKEN_MFA_CODE",
                 "000000" if code != "000000" else "111111")
    done = _respond(app, challenge, account.username, "SOFTWARE_TOKEN_MFA_CODE", code)
    result = done["AuthenticationResult"]
    assert result["AccessToken"].count(".") == 2 and result["RefreshToken"]


def test_email_otp_code_from_the_smtp_sink(app_factory):
    app = _mfa_app(app_factory, EmailMfaConfiguration={
        "Subject": "Your sign-in code", "Message": "Sign-in code: {####}"})
    account = app.new_account()
    access = app.sign_in(account)["AccessToken"]
    app.public.set_user_mfa_preference(
        AccessToken=access, EmailMfaSettings={"Enabled": True, "PreferredMfa": True})

    challenge = _password_challenge(app, account)
    assert challenge["ChallengeName"] == "EMAIL_OTP"
    params = challenge["ChallengeParameters"]
    assert params["CODE_DELIVERY_DELIVERY_MEDIUM"] == "EMAIL"
    assert params["CODE_DELIVERY_DESTINATION"] == f"{account.email[0]}***@e***"
    mail = app.mail.next_mail(account.email)
    assert mail.subject == "Your sign-in code"
    assert mail.body.strip().startswith("Sign-in code: ")
    done = _respond(app, challenge, account.username, "EMAIL_OTP_CODE", mail.code())
    assert done["AuthenticationResult"]["IdToken"].count(".") == 2
