"""No secret reaches the logs, the error messages or the audit trail.

A server of its own (SQLite, logging at `trace`) runs a full life: sign-up with a client
secret and the mailed code, sign-in, refresh, a wrong password, forgot password, change
password, a TOTP authenticator set up and used, admin-created users with temporary and set
passwords, and requests whose invalid values are secrets. Then every secret value used —
passwords, codes, the TOTP secret, refresh tokens, access and ID tokens, the client secret,
SECRET_HASH values, the pool's private signing keys — is searched for in the captured
output, in every error message received, and in `monban audit export` when the binary has
it. The admin key's secret may appear only in the first-start banner that prints it on
purpose.
"""

from __future__ import annotations

import base64
import json
import re
import shutil
import sqlite3
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import boto3
import pyotp
import pytest
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError

from flows import DEFAULT_FLOWS, secret_hash
from support import MAIL_FROM, REGION, Server, monban_binary


class TraceServer(Server):
    """`monban serve` logging everything (`trace`), on SQLite in its own data directory."""

    def environment(self) -> dict:
        env = super().environment()
        env["RUST_LOG"] = "trace"
        return env


@pytest.fixture(scope="module")
def trace_server(mail_sink):
    binary = monban_binary()
    if not binary.is_file():
        pytest.fail(f"monban binary not found at {binary}", pytrace=False)
    work = Path(tempfile.mkdtemp(prefix="monban-secrets-"))
    data_dir = work / "data"
    data_dir.mkdir()
    args = ["--smtp-host", mail_sink.host, "--smtp-port", str(mail_sink.port),
            "--smtp-security", "plain", "--smtp-from", MAIL_FROM, "--log-level", "trace"]
    srv = TraceServer(binary, data_dir, work / "server.log", None, extra_args=args)
    try:
        srv.start()
    except RuntimeError as err:
        pytest.fail(str(err), pytrace=False)
    yield srv
    srv.stop()
    shutil.rmtree(work, ignore_errors=True)


class Secrets:
    """Every secret value the flow used, by what it is."""

    def __init__(self):
        self.values: list[tuple[str, str]] = []
        self.errors: list[str] = []

    def add(self, what: str, value: str | None) -> str | None:
        if value:
            self.values.append((what, value))
        return value

    def expect_error(self, call, *args, **kwargs) -> str:
        """Runs a call that must fail; keeps its error message for the search."""
        with pytest.raises(ClientError) as info:
            call(*args, **kwargs)
        error = info.value.response.get("Error", {})
        message = f"{error.get('Code')}: {error.get('Message')}"
        self.errors.append(message)
        return message


def _password() -> str:
    # Unique per use and unlike anything else in a log.
    return f"Pw-{uuid.uuid4().hex[:12]}-9Aa!"


def _found(secret: str, text: str) -> bool:
    if secret.isdigit():
        # Codes are short digit strings: only a whole number counts.
        return re.search(rf"(?<![0-9]){re.escape(secret)}(?![0-9])", text) is not None
    return secret in text


def _private_key_forms(data_dir: Path) -> list[tuple[str, str]]:
    """The signing keys as they would leak: hex and base64 of the DER, and a PEM marker."""
    db = data_dir / "monban.db"
    forms = [("a PEM private key marker", "PRIVATE KEY-----")]
    if not db.exists():
        return forms
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT kid, private_key_der FROM signing_keys").fetchall()
    finally:
        conn.close()
    assert rows, "the flow created signing keys"
    for kid, der in rows:
        der = bytes(der)
        # A slice from the middle: the start of any DER is the same algorithm header.
        middle = der[len(der) // 2: len(der) // 2 + 48]
        forms.append((f"private key {kid} (hex)", middle.hex()))
        forms.append((f"private key {kid} (base64)",
                      base64.b64encode(der).decode()[200:260]))
    return forms


def _audit_export(srv: Server) -> str:
    """`monban audit export` output, or "" when the binary has no such command."""
    help_text = subprocess.run([str(srv.binary), "--help"], capture_output=True, text=True,
                               timeout=60).stdout
    if not re.search(r"^\s+audit\b", help_text, re.MULTILINE):
        return ""
    proc = subprocess.run(
        [str(srv.binary), "audit", "export", "--data-dir", str(srv.data_dir)],
        capture_output=True, text=True, timeout=120, cwd=srv.data_dir, stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, f"monban audit export failed: {proc.stderr}"
    return proc.stdout + proc.stderr


def test_no_secret_in_logs_errors_or_audit(trace_server, mail_sink):
    srv = trace_server
    secrets = Secrets()
    idp = boto3.session.Session().client(
        "cognito-idp", endpoint_url=srv.endpoint, region_name=REGION,
        aws_access_key_id=srv.admin_key.access_key_id,
        aws_secret_access_key=srv.admin_key.secret_access_key,
        config=Config(retries={"mode": "standard", "max_attempts": 1}))
    public = boto3.session.Session().client(
        "cognito-idp", endpoint_url=srv.endpoint, region_name=REGION,
        config=Config(signature_version=UNSIGNED, retries={"mode": "standard", "max_attempts": 1}))

    pool_id = idp.create_user_pool(
        PoolName=f"secrets-{uuid.uuid4().hex[:8]}", AutoVerifiedAttributes=["email"],
    )["UserPool"]["Id"]
    idp.set_user_pool_mfa_config(UserPoolId=pool_id, MfaConfiguration="OPTIONAL",
                                 SoftwareTokenMfaConfiguration={"Enabled": True})
    client = idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="secret-app", GenerateSecret=True,
        ExplicitAuthFlows=DEFAULT_FLOWS)["UserPoolClient"]
    client_id = client["ClientId"]
    client_secret = secrets.add("client secret", client["ClientSecret"])

    def hashed(username: str) -> str:
        return secrets.add("SECRET_HASH", secret_hash(username, client_id, client_secret))

    # Sign-up, the mailed code, confirmation.
    username = f"user-{uuid.uuid4().hex[:8]}"
    email = f"{username}@example.com"
    password = secrets.add("sign-up password", _password())
    public.sign_up(ClientId=client_id, Username=username, Password=password,
                   SecretHash=hashed(username),
                   UserAttributes=[{"Name": "email", "Value": email}])
    code = secrets.add("sign-up code", mail_sink.next_code(email))
    secrets.expect_error(public.confirm_sign_up, ClientId=client_id, Username=username,
                         ConfirmationCode="000000" if code != "000000" else "111111",
                         SecretHash=hashed(username))
    public.confirm_sign_up(ClientId=client_id, Username=username, ConfirmationCode=code,
                           SecretHash=hashed(username))

    def sign_in(pw: str) -> dict:
        result = public.initiate_auth(
            ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": username, "PASSWORD": pw,
                            "SECRET_HASH": hashed(username)})["AuthenticationResult"]
        secrets.add("access token", result["AccessToken"])
        secrets.add("ID token", result["IdToken"])
        secrets.add("refresh token", result.get("RefreshToken"))
        return result

    # Sign-in, refresh, a wrong password.
    tokens = sign_in(password)
    refreshed = public.initiate_auth(
        ClientId=client_id, AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"],
                        "SECRET_HASH": hashed(username)})["AuthenticationResult"]
    secrets.add("refreshed access token", refreshed["AccessToken"])
    wrong = secrets.add("wrong password", _password())
    secrets.expect_error(public.initiate_auth, ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
                         AuthParameters={"USERNAME": username, "PASSWORD": wrong,
                                         "SECRET_HASH": hashed(username)})
    bad_refresh = secrets.add("forged refresh token", "eyJ" + uuid.uuid4().hex * 8)
    secrets.expect_error(public.initiate_auth, ClientId=client_id, AuthFlow="REFRESH_TOKEN_AUTH",
                         AuthParameters={"REFRESH_TOKEN": bad_refresh,
                                         "SECRET_HASH": hashed(username)})

    # Passwords that break the model or the policy: the error must not echo them.
    weak = secrets.add("weak password", f"weak{uuid.uuid4().hex[:4]}")
    secrets.expect_error(public.sign_up, ClientId=client_id, Username=f"u-{uuid.uuid4().hex[:6]}",
                         Password=weak, SecretHash=hashed("x"))
    long_pw = secrets.add("over-long password", "Aa1!" + uuid.uuid4().hex * 10)
    secrets.expect_error(public.change_password, AccessToken=tokens["AccessToken"],
                         PreviousPassword=password, ProposedPassword=long_pw)

    # Change password, then forgot password with the mailed code.
    changed = secrets.add("changed password", _password())
    public.change_password(AccessToken=tokens["AccessToken"], PreviousPassword=password,
                           ProposedPassword=changed)
    public.forgot_password(ClientId=client_id, Username=username, SecretHash=hashed(username))
    reset_code = secrets.add("reset code", mail_sink.next_code(email))
    reset = secrets.add("reset password", _password())
    public.confirm_forgot_password(ClientId=client_id, Username=username,
                                   ConfirmationCode=reset_code, Password=reset,
                                   SecretHash=hashed(username))
    tokens = sign_in(reset)

    # TOTP: associate, verify, prefer, sign in with a code.
    totp_secret = secrets.add("TOTP secret", public.associate_software_token(
        AccessToken=tokens["AccessToken"])["SecretCode"])
    totp = pyotp.TOTP(totp_secret)
    first = secrets.add("TOTP code", totp.now())
    public.verify_software_token(AccessToken=tokens["AccessToken"], UserCode=first)
    public.set_user_mfa_preference(AccessToken=tokens["AccessToken"],
                                   SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True})
    challenge = public.initiate_auth(
        ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": reset, "SECRET_HASH": hashed(username)})
    assert challenge["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    secrets.add("challenge session", challenge["Session"])
    second = secrets.add("TOTP code", totp.at(time.time() + 30))
    done = public.respond_to_auth_challenge(
        ClientId=client_id, ChallengeName="SOFTWARE_TOKEN_MFA", Session=challenge["Session"],
        ChallengeResponses={"USERNAME": username, "SOFTWARE_TOKEN_MFA_CODE": second,
                            "SECRET_HASH": hashed(username)})["AuthenticationResult"]
    secrets.add("MFA refresh token", done.get("RefreshToken"))
    secrets.add("MFA access token", done["AccessToken"])

    # Admin-created users: temporary and set passwords.
    temporary = secrets.add("temporary password", _password())
    idp.admin_create_user(UserPoolId=pool_id, Username=f"admin-{uuid.uuid4().hex[:6]}",
                          TemporaryPassword=temporary, MessageAction="SUPPRESS")
    invited_email = f"invited-{uuid.uuid4().hex[:6]}@example.com"
    idp.admin_create_user(UserPoolId=pool_id, Username=invited_email.split("@")[0],
                          UserAttributes=[{"Name": "email", "Value": invited_email},
                                          {"Name": "email_verified", "Value": "true"}],
                          DesiredDeliveryMediums=["EMAIL"])
    invitation = mail_sink.next_mail(invited_email).body
    generated = re.search(r"password is (\S+)", invitation)
    assert generated, invitation
    # A trailing full stop may be the template's: the rest is enough to find a leak.
    secrets.add("generated temporary password", generated.group(1).rstrip("."))
    set_pw = secrets.add("admin-set password", _password())
    idp.admin_set_user_password(UserPoolId=pool_id, Username=username, Password=set_pw,
                                Permanent=True)
    secrets.add("revoked refresh token", tokens.get("RefreshToken"))
    public.revoke_token(Token=tokens["RefreshToken"], ClientId=client_id,
                        ClientSecret=client_secret)

    # Give the last log lines time to reach the file, then search.
    time.sleep(0.5)
    log = srv.log_text()
    assert len(log.splitlines()) > 50, "the server logged at trace level"
    audit = _audit_export(srv)
    places = {"server output": log, "error messages": "\n".join(secrets.errors),
              "audit export": audit}
    leaks = []
    for what, value in secrets.values + _private_key_forms(srv.data_dir):
        for place, text in places.items():
            if _found(value, text):
                line = next((ln for ln in text.splitlines() if value in ln), "")
                leaks.append(f"{what} in {place}: …{line[:200]}")
    # The admin secret: only on the banner line that prints it for the operator.
    admin_secret = srv.admin_key.secret_access_key
    for place, text in places.items():
        for line in text.splitlines():
            if admin_secret in line and not line.strip().startswith("AWS_ACCESS_KEY_ID="):
                leaks.append(f"admin secret in {place}: {line[:200]}")
    assert not leaks, "secrets leaked:\n" + "\n".join(leaks)
    # The search is real: the captured output covers the whole flow.
    for operation in ("SignUp", "ConfirmSignUp", "InitiateAuth", "ForgotPassword",
                      "ConfirmForgotPassword", "VerifySoftwareToken", "RespondToAuthChallenge",
                      "AdminSetUserPassword", "RevokeToken"):
        assert f'operation="{operation}"' in log, f"{operation} is not in the captured log"
    if audit:
        assert pool_id in audit, "the audit export holds the flow's records"
