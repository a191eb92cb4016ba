"""`monban export` / `monban import` and `monban backup` / `monban restore`, run as the real
binary against servers of their own: a pool moves between instances (SQLite, and PostgreSQL when
MONBAN_TEST_DATABASE_URL is set, both ways) and its users still sign in with the same password
(USER_PASSWORD_AUTH and SRP through pycognito), their TOTP authenticators still work, tokens
issued before the move still work, and a re-export equals the export. A backup taken while the
server serves restores into a server where users sign in; an encrypted backup refuses a wrong
passphrase clearly."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
import uuid
from pathlib import Path

import boto3
import pyotp
import pytest
from botocore import UNSIGNED
from botocore.config import Config
from pycognito.aws_srp import AWSSRP

from flows import secret_hash
from support import REGION, STRONG_PASSWORD, Server, monban_binary

# Both ends of a move answer to the same public URL, so tokens (whose issuer names it) stay
# valid; the test reaches each server at its own endpoint.
PUBLIC_URL = "http://idp.monban.test"
PG_URL = os.environ.get("MONBAN_TEST_DATABASE_URL")
PASSPHRASE = "correct horse battery staple"


class Instance:
    """A data directory and database with, while `start`ed, a server on them."""

    def __init__(self, database_url: str | None):
        self.work = Path(tempfile.mkdtemp(prefix="monban-export-"))
        self.data_dir = self.work / "data"
        self.data_dir.mkdir()
        self.database_url = database_url
        self.server: Server | None = None

    def cli(self, *args: str, passphrase: str | None = None, check: bool = True):
        cmd = [str(monban_binary()), *args, "--data-dir", str(self.data_dir)]
        if self.database_url:
            cmd += ["--database-url", self.database_url]
        env = {k: v for k, v in os.environ.items() if not k.startswith("MONBAN_")}
        if passphrase is not None:
            env["MONBAN_BACKUP_PASSPHRASE"] = passphrase
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300, env=env,
                              stdin=subprocess.DEVNULL, cwd=self.work)
        if check:
            assert proc.returncode == 0, f"{args}: {proc.stderr}"
        return proc

    def start(self) -> "Instance":
        self.server = Server(monban_binary(), self.data_dir, self.work / "server.log",
                             self.database_url, extra_args=["--public-url", PUBLIC_URL])
        try:
            self.server.start()
        except RuntimeError as err:
            pytest.fail(str(err), pytrace=False)
        return self

    def stop(self):
        if self.server is not None:
            self.server.stop()
            self.server = None

    def admin(self):
        return boto3.session.Session().client(
            "cognito-idp", endpoint_url=self.server.endpoint, region_name=REGION,
            aws_access_key_id=self.server.admin_key.access_key_id,
            aws_secret_access_key=self.server.admin_key.secret_access_key,
            config=Config(retries={"mode": "standard", "max_attempts": 1}))

    def public(self):
        return boto3.session.Session().client(
            "cognito-idp", endpoint_url=self.server.endpoint, region_name=REGION,
            aws_access_key_id="unused", aws_secret_access_key="unused",
            config=Config(signature_version=UNSIGNED,
                          retries={"mode": "standard", "max_attempts": 1}))

    def remove(self):
        self.stop()
        shutil.rmtree(self.work, ignore_errors=True)


class FreshPostgres:
    """A database of its own on the test PostgreSQL server, dropped afterwards."""

    def __init__(self):
        if shutil.which("psql") is None:
            pytest.skip("psql is needed to make a second PostgreSQL database")
        self.name = f"monban_export_{uuid.uuid4().hex[:10]}"
        self._psql(f"CREATE DATABASE {self.name}")
        base, _, _query = PG_URL.partition("?")
        self.url = base.rsplit("/", 1)[0] + "/" + self.name

    def _psql(self, sql):
        subprocess.run(["psql", PG_URL, "-v", "ON_ERROR_STOP=1", "-c", sql], check=True,
                       capture_output=True, timeout=60)

    def drop(self):
        self._psql(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")


def backend_url(kind: str, cleanups: list) -> str | None:
    if kind == "sqlite":
        return None
    if not PG_URL:
        pytest.skip("MONBAN_TEST_DATABASE_URL is not set")
    if kind == "postgres":
        return PG_URL
    fresh = FreshPostgres()
    cleanups.append(fresh.drop)
    return fresh.url


class Pool:
    """A pool with a secret-holding client, a group, and users made through the API."""

    def __init__(self, instance: Instance):
        admin = instance.admin()
        self.pool_id = admin.create_user_pool(PoolName=f"moving-{uuid.uuid4().hex[:8]}")[
            "UserPool"]["Id"]
        admin.set_user_pool_mfa_config(UserPoolId=self.pool_id, MfaConfiguration="OPTIONAL",
                                       SoftwareTokenMfaConfiguration={"Enabled": True})
        client = admin.create_user_pool_client(
            UserPoolId=self.pool_id, ClientName="app", GenerateSecret=True,
            ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH",
                               "ALLOW_REFRESH_TOKEN_AUTH"])["UserPoolClient"]
        self.client_id = client["ClientId"]
        self.client_secret = client["ClientSecret"]
        admin.create_group(UserPoolId=self.pool_id, GroupName="staff", Precedence=1)
        for username in ("alice", "bob"):
            admin.admin_create_user(
                UserPoolId=self.pool_id, Username=username, MessageAction="SUPPRESS",
                UserAttributes=[{"Name": "email", "Value": f"{username}@example.com"},
                                {"Name": "email_verified", "Value": "true"}])
            admin.admin_set_user_password(UserPoolId=self.pool_id, Username=username,
                                          Password=STRONG_PASSWORD, Permanent=True)
        admin.admin_add_user_to_group(UserPoolId=self.pool_id, Username="alice",
                                      GroupName="staff")

    def password_auth(self, instance: Instance, username: str) -> dict:
        return instance.public().initiate_auth(
            ClientId=self.client_id, AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": username, "PASSWORD": STRONG_PASSWORD,
                            "SECRET_HASH": secret_hash(username, self.client_id,
                                                       self.client_secret)})

    def srp_auth(self, instance: Instance, username: str) -> dict:
        srp = AWSSRP(username=username, password=STRONG_PASSWORD, pool_id=self.pool_id,
                     client_id=self.client_id, client=instance.public(),
                     client_secret=self.client_secret)
        return srp.authenticate_user()["AuthenticationResult"]

    def set_up_totp(self, instance: Instance, username: str) -> pyotp.TOTP:
        public = instance.public()
        access = self.password_auth(instance, username)["AuthenticationResult"]["AccessToken"]
        secret = public.associate_software_token(AccessToken=access)["SecretCode"]
        totp = pyotp.TOTP(secret)
        public.verify_software_token(AccessToken=access, UserCode=totp.now())
        public.set_user_mfa_preference(
            AccessToken=access, SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True})
        return totp

    def totp_sign_in(self, instance: Instance, username: str, totp: pyotp.TOTP) -> dict:
        challenge = self.password_auth(instance, username)
        assert challenge["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
        # The code VerifySoftwareToken took is spent: answer with the next step's.
        return instance.public().respond_to_auth_challenge(
            ClientId=self.client_id, ChallengeName="SOFTWARE_TOKEN_MFA",
            Session=challenge["Session"],
            ChallengeResponses={"USERNAME": username,
                                "SOFTWARE_TOKEN_MFA_CODE": totp.at(time.time() + 30),
                                "SECRET_HASH": secret_hash(username, self.client_id,
                                                           self.client_secret)},
        )["AuthenticationResult"]


def lines_but_header(path: Path) -> list[dict]:
    lines = path.read_text().splitlines()
    header = json.loads(lines[0])
    assert header["format"] == "monban-export" and header["version"] == 1
    return [json.loads(line) for line in lines[1:]]


@pytest.mark.parametrize("source_kind,target_kind", [
    ("sqlite", "sqlite"),
    ("sqlite", "postgres"),
    ("postgres", "sqlite"),
    ("postgres", "fresh-postgres"),
])
def test_a_pool_moves_and_its_users_sign_in_as_before(source_kind, target_kind):
    cleanups: list = []
    source = Instance(backend_url(source_kind, cleanups))
    target = Instance(backend_url(target_kind, cleanups))
    try:
        source.start()
        pool = Pool(source)
        before = pool.password_auth(source, "alice")["AuthenticationResult"]
        totp = pool.set_up_totp(source, "bob")

        exported = source.work / "pool.jsonl"
        source.cli("export", "--pool-id", pool.pool_id, "--include-signing-keys", str(exported))
        records = lines_but_header(exported)
        kinds = [r["type"] for r in records]
        assert kinds[0] == "pool" and kinds[-1] == "end"
        assert kinds.count("user") == 2 and kinds.count("signing_key") == 2
        assert records[-1]["users"] == 2

        target.cli("import", str(exported))
        # Nothing has signed in on the target yet: its export equals the source's.
        again = target.work / "again.jsonl"
        target.cli("export", "--pool-id", pool.pool_id, "--include-signing-keys", str(again))
        assert lines_but_header(again) == records
        refused = target.cli("import", str(exported), check=False)
        assert refused.returncode != 0 and "already exists" in refused.stderr
        if source.database_url == PG_URL:
            source.admin().delete_user_pool(UserPoolId=pool.pool_id)
        source.stop()

        target.start()
        if target.database_url and target.database_url == PG_URL:
            cleanups.append(lambda: target.admin().delete_user_pool(UserPoolId=pool.pool_id))
        admin = target.admin()
        client = admin.describe_user_pool_client(UserPoolId=pool.pool_id,
                                                 ClientId=pool.client_id)["UserPoolClient"]
        assert client["ClientSecret"] == pool.client_secret
        groups = admin.admin_list_groups_for_user(UserPoolId=pool.pool_id, Username="alice")
        assert [g["GroupName"] for g in groups["Groups"]] == ["staff"]

        # The same password, by both protocols.
        assert pool.password_auth(target, "alice")["AuthenticationResult"]["AccessToken"]
        assert pool.srp_auth(target, "alice")["AccessToken"]
        # Tokens from before the move: the access token works, the refresh token refreshes.
        me = target.public().get_user(AccessToken=before["AccessToken"])
        assert me["Username"] == "alice"
        refreshed = target.public().initiate_auth(
            ClientId=pool.client_id, AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": before["RefreshToken"],
                            "SECRET_HASH": secret_hash("alice", pool.client_id,
                                                       pool.client_secret)})
        assert refreshed["AuthenticationResult"]["AccessToken"]
        # The authenticator bob set up on the source still works.
        assert pool.totp_sign_in(target, "bob", totp)["AccessToken"]
    finally:
        source.remove()
        target.stop()
        for cleanup in reversed(cleanups):
            try:
                cleanup()
            except Exception:  # noqa: BLE001 - cleanup must not hide the test's outcome
                pass
        target.remove()


def test_without_signing_keys_old_tokens_do_not_verify_but_sign_in_works():
    source, target = Instance(None), Instance(None)
    try:
        source.start()
        pool = Pool(source)
        before = pool.password_auth(source, "alice")["AuthenticationResult"]
        exported = source.work / "pool.jsonl"
        source.cli("export", "--pool", pool.pool_id, str(exported))
        assert "signing_key" not in [r["type"] for r in lines_but_header(exported)]
        target.cli("import", str(exported))
        target.start()
        with pytest.raises(Exception) as info:
            target.public().get_user(AccessToken=before["AccessToken"])
        assert "NotAuthorizedException" in str(info.value)
        assert pool.srp_auth(target, "alice")["AccessToken"]
    finally:
        source.remove()
        target.remove()


def test_an_encrypted_export_needs_its_passphrase():
    source, target = Instance(None), Instance(None)
    try:
        source.start()
        pool = Pool(source)
        exported = source.work / "pool.sealed"
        source.cli("export", "--pool-id", pool.pool_id, str(exported), passphrase=PASSPHRASE)
        assert b"alice" not in exported.read_bytes()
        missing = target.cli("import", str(exported), check=False)
        assert missing.returncode != 0 and "encrypted" in missing.stderr
        wrong = target.cli("import", str(exported), passphrase="not it", check=False)
        assert wrong.returncode != 0 and "wrong passphrase" in wrong.stderr
        target.cli("import", str(exported), passphrase=PASSPHRASE)
        target.start()
        assert pool.password_auth(target, "alice")["AuthenticationResult"]["AccessToken"]
    finally:
        source.remove()
        target.remove()


def _keep_signing_in(instance, pool, stop, failures):
    while not stop.is_set():
        try:
            pool.password_auth(instance, "bob")
        except Exception as err:  # noqa: BLE001 - reported by the test
            failures.append(err)


@pytest.mark.parametrize("passphrase", [None, PASSPHRASE], ids=["plain", "encrypted"])
def test_backup_while_serving_then_restore(passphrase):
    source, restored = Instance(None), Instance(None)
    try:
        source.start()
        pool = Pool(source)
        stop, failures = threading.Event(), []
        busy = threading.Thread(target=_keep_signing_in, args=(source, pool, stop, failures))
        busy.start()
        try:
            backup = source.work / "monban.backup"
            done = source.cli("backup", str(backup), passphrase=passphrase)
            assert "backup written" in done.stdout
        finally:
            stop.set()
            busy.join(timeout=60)
        assert failures == [], "the server kept serving during the backup"
        # Made after the backup: not in it.
        source.admin().admin_create_user(UserPoolId=pool.pool_id, Username="late",
                                         MessageAction="SUPPRESS")
        source.stop()
        if passphrase:
            assert not backup.read_bytes().startswith(b"SQLite format 3")
            wrong = restored.cli("restore", str(backup), passphrase="not it", check=False)
            assert wrong.returncode != 0
            assert "wrong passphrase" in wrong.stderr, wrong.stderr
            assert not (restored.data_dir / "monban.db").exists(), "a failed restore leaves nothing"
        restored.cli("restore", str(backup), passphrase=passphrase)
        again = restored.cli("restore", str(backup), passphrase=passphrase, check=False)
        assert again.returncode != 0 and "exists" in again.stderr
        restored.start()
        assert pool.password_auth(restored, "alice")["AuthenticationResult"]["AccessToken"]
        assert pool.srp_auth(restored, "bob")["AccessToken"]
        users = restored.admin().list_users(UserPoolId=pool.pool_id)["Users"]
        assert sorted(u["Username"] for u in users) == ["alice", "bob"]
    finally:
        source.remove()
        restored.remove()
