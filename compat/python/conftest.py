"""Starts the already-built `monban` binary once per session and hands tests real clients.

The binary comes from `MONBAN_BIN` (default `target/debug/monban`, under `CARGO_TARGET_DIR`
when set). The database is `MONBAN_TEST_DATABASE_URL` when set (PostgreSQL), else SQLite in
a temporary data directory. The server may already hold data (a shared PostgreSQL database),
so every test creates its own uniquely named resources.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import boto3
import pytest
from botocore import UNSIGNED
from botocore.config import Config

from flows import AppFactory
from mail_sink import MailSink
from support import MAIL_FROM, REGION, SHORT_CODE_SECS, TEMP_PASSWORD, Server, monban_binary

_SERVER: Server | None = None


@pytest.fixture(scope="session")
def mail_sink():
    """The SMTP sink the server sends all mail to (plain SMTP on a free loopback port)."""
    sink = MailSink()
    sink.start()
    yield sink
    sink.stop()


@pytest.fixture(scope="session")
def server(mail_sink):
    global _SERVER
    binary = monban_binary()
    if not binary.is_file():
        pytest.fail(f"monban binary not found at {binary}: run `cargo build -p monban` first "
                    "(or set MONBAN_BIN)", pytrace=False)
    work = Path(tempfile.mkdtemp(prefix="monban-compat-"))
    data_dir = work / "data"
    data_dir.mkdir()
    smtp = ["--smtp-host", mail_sink.host, "--smtp-port", str(mail_sink.port),
            "--smtp-security", "plain", "--smtp-from", MAIL_FROM]
    srv = Server(binary, data_dir, work / "server.log", os.environ.get("MONBAN_TEST_DATABASE_URL"),
                 extra_args=smtp)
    _SERVER = srv
    try:
        srv.start()
    except RuntimeError as err:
        pytest.fail(str(err), pytrace=False)
    yield srv
    crashed = not srv.is_running()
    code = srv.stop()
    if crashed:
        pytest.fail(f"monban exited during the run (code {code}); log {srv.log_path}:\n"
                    f"{srv.log_tail()}", pytrace=False)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """On failure, show the end of the server log next to the failures."""
    if _SERVER is None or exitstatus == 0:
        return
    terminalreporter.section("monban server log (tail)")
    terminalreporter.write_line(_SERVER.log_tail(80))
    terminalreporter.write_line(f"(full log kept at {_SERVER.log_path})")


def pytest_sessionfinish(session, exitstatus):
    # The temporary data directory (and log) is kept when anything failed.
    if _SERVER is not None and exitstatus == 0 and not os.environ.get("MONBAN_KEEP_LOGS"):
        shutil.rmtree(_SERVER.data_dir.parent, ignore_errors=True)


def _extra_server(mail_sink, prefix, flags):
    """Another `monban serve` (own data directory, same database and mail sink) started with
    `flags`: for behaviour that depends on server settings."""
    work = Path(tempfile.mkdtemp(prefix=prefix))
    data_dir = work / "data"
    data_dir.mkdir()
    args = ["--smtp-host", mail_sink.host, "--smtp-port", str(mail_sink.port),
            "--smtp-security", "plain", "--smtp-from", MAIL_FROM, *flags]
    srv = Server(monban_binary(), data_dir, work / "server.log",
                 os.environ.get("MONBAN_TEST_DATABASE_URL"), extra_args=args)
    try:
        srv.start()
    except RuntimeError as err:
        pytest.fail(str(err), pytrace=False)
    return srv


def _stop_extra_server(srv):
    crashed = not srv.is_running()
    code = srv.stop()
    if crashed:
        pytest.fail(f"monban exited during the run (code {code}); log {srv.log_path}:\n"
                    f"{srv.log_tail()}", pytrace=False)
    shutil.rmtree(srv.data_dir.parent, ignore_errors=True)


@pytest.fixture(scope="session")
def aws_issuer_server(mail_sink):
    """A server whose tokens carry Cognito's own issuer form
    (`https://cognito-idp.{region}.amazonaws.com/{poolId}`), for verifiers that hard-code it."""
    srv = _extra_server(mail_sink, "monban-compat-aws-iss-", ["--issuer-style", "aws"])
    yield srv
    _stop_extra_server(srv)


@pytest.fixture(scope="session")
def short_codes_server(mail_sink):
    """A server whose confirmation, verification and reset codes live SHORT_CODE_SECS."""
    validity = str(SHORT_CODE_SECS)
    srv = _extra_server(mail_sink, "monban-compat-short-codes-", [
        "--sign-up-code-validity-secs", validity,
        "--verification-code-validity-secs", validity,
        "--reset-code-validity-secs", validity,
    ])
    yield srv
    _stop_extra_server(srv)


def _client_for(srv, **config):
    config.setdefault("retries", {"mode": "standard", "max_attempts": 1})
    return boto3.session.Session().client(
        "cognito-idp", endpoint_url=srv.endpoint, region_name=REGION,
        aws_access_key_id=srv.admin_key.access_key_id,
        aws_secret_access_key=srv.admin_key.secret_access_key, config=Config(**config))


@pytest.fixture
def short_codes_app(short_codes_server, mail_sink, unique):
    """Like `app`, on the short-lived-codes server."""
    idp = _client_for(short_codes_server)
    public = _client_for(short_codes_server, signature_version=UNSIGNED)
    created = []

    def pool_factory(**kwargs):
        kwargs.setdefault("PoolName", unique("pool"))
        pool = idp.create_user_pool(**kwargs)["UserPool"]
        created.append(pool["Id"])
        return pool

    yield AppFactory(idp, public, mail_sink, short_codes_server, pool_factory, unique)()
    for pool_id in created:
        idp.delete_user_pool(UserPoolId=pool_id)


@pytest.fixture(scope="session")
def make_client(server):
    """A boto3 cognito-idp client; signed by the admin key unless told otherwise."""

    def make(access_key_id=None, secret_access_key=None, **config):
        config.setdefault("retries", {"mode": "standard", "max_attempts": 1})
        config.setdefault("connect_timeout", 5)
        config.setdefault("read_timeout", 30)
        return boto3.session.Session().client(
            "cognito-idp",
            endpoint_url=server.endpoint,
            region_name=REGION,
            aws_access_key_id=access_key_id or server.admin_key.access_key_id,
            aws_secret_access_key=secret_access_key or server.admin_key.secret_access_key,
            config=Config(**config),
        )

    return make


@pytest.fixture(scope="session")
def idp(make_client):
    return make_client()


@pytest.fixture(scope="session")
def public_idp(make_client):
    """An unsigned client, as apps call the public (user) operations."""
    return make_client(signature_version=UNSIGNED)


@pytest.fixture
def unique():
    """`unique("pool")` -> `pool-3f9c2a1b7d`, new on every call."""
    return lambda prefix="t": f"{prefix}-{uuid.uuid4().hex[:10]}"


@pytest.fixture
def pool_factory(idp, unique):
    """Creates pools (default settings unless given) and deletes them after the test."""
    created = []

    def create(**kwargs):
        kwargs.setdefault("PoolName", unique("pool"))
        pool = idp.create_user_pool(**kwargs)["UserPool"]
        created.append(pool["Id"])
        return pool

    yield create
    for pool_id in created:
        try:
            idp.delete_user_pool(UserPoolId=pool_id)
        except idp.exceptions.ResourceNotFoundException:
            pass


@pytest.fixture
def pool_id(pool_factory):
    return pool_factory()["Id"]


@pytest.fixture
def create_user(idp, pool_id, unique):
    """AdminCreateUser in the test's pool, mail suppressed; returns the `User`."""

    def create(username=None, attributes=None, **kwargs):
        kwargs.setdefault("TemporaryPassword", TEMP_PASSWORD)
        kwargs.setdefault("MessageAction", "SUPPRESS")
        return idp.admin_create_user(
            UserPoolId=pool_id,
            Username=username or unique("user"),
            UserAttributes=[{"Name": k, "Value": v} for k, v in (attributes or {}).items()],
            **kwargs,
        )["User"]

    return create


@pytest.fixture
def app_factory(idp, public_idp, mail_sink, server, pool_factory, unique):
    """`app_factory(pool={...}, client={...}, secret=False)` -> a pool with one app client,
    and helpers to sign users up and in through it (see flows.App)."""
    return AppFactory(idp, public_idp, mail_sink, server, pool_factory, unique)


@pytest.fixture
def app(app_factory):
    """A pool that verifies email on sign-up, with a public (secret-less) app client."""
    return app_factory()


def _aws_executable() -> list[str]:
    aws = Path(sys.executable).parent / "aws"
    return [str(aws)] if aws.exists() else [sys.executable, "-m", "awscli"]


@pytest.fixture(scope="session")
def aws_cli(server):
    """Runs `aws cognito-idp <args>` against the server; returns (exit code, JSON or None, stderr)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update({
        "AWS_ACCESS_KEY_ID": server.admin_key.access_key_id,
        "AWS_SECRET_ACCESS_KEY": server.admin_key.secret_access_key,
        "AWS_DEFAULT_REGION": REGION,
        # Keep the host's ~/.aws out of it.
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_PAGER": "",
    })

    def run(*args):
        cmd = _aws_executable() + ["cognito-idp", *args, "--endpoint-url", server.endpoint,
                                   "--region", REGION, "--output", "json"]
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120,
                              stdin=subprocess.DEVNULL)
        parsed = json.loads(proc.stdout) if proc.returncode == 0 and proc.stdout.strip() else None
        return proc.returncode, parsed, proc.stderr

    return run
