"""The audit trail with real clients: boto3 reads a user's sign-in events back through
AdminListUserAuthEvents and marks one with AdminUpdateAuthEventFeedback; `monban audit export`
writes the calls as JSON lines without any password or code; `monban audit verify` passes on
an intact trail and names the record that was altered in the database behind its back."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

import boto3
import pytest
from botocore.config import Config

from support import REGION, STRONG_PASSWORD, Server, monban_binary


def cli(data_dir: Path, database_url: str | None, *args: str) -> subprocess.CompletedProcess:
    cmd = [str(monban_binary()), *args, "--data-dir", str(data_dir)]
    if database_url:
        cmd += ["--database-url", database_url]
    env = {k: v for k, v in os.environ.items() if not k.startswith("MONBAN_")}
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=env,
                          stdin=subprocess.DEVNULL)


def test_sign_in_events_are_listed_and_take_feedback(app, idp):
    account = app.new_account()
    with pytest.raises(app.public.exceptions.NotAuthorizedException):
        app.password_auth(account.username, "Wrong-Password-1")
    app.sign_in(account)

    events = idp.admin_list_user_auth_events(UserPoolId=app.pool_id,
                                            Username=account.username)["AuthEvents"]
    sign_ins = [e for e in events if e["EventType"] == "SignIn"]
    assert [e["EventResponse"] for e in sign_ins] == ["Pass", "Fail"]
    assert [e["EventType"] for e in events].count("SignUp") == 1
    ok, failed = sign_ins
    assert ok["EventContextData"]["IpAddress"] == "127.0.0.1"
    assert "Boto3" in ok["EventContextData"]["DeviceName"]
    assert ok["CreationDate"] >= failed["CreationDate"]

    idp.admin_update_auth_event_feedback(UserPoolId=app.pool_id, Username=account.username,
                                         EventId=failed["EventId"], FeedbackValue="Invalid")
    events = idp.admin_list_user_auth_events(UserPoolId=app.pool_id,
                                            Username=account.username)["AuthEvents"]
    marked = next(e for e in events if e["EventId"] == failed["EventId"])
    assert marked["EventFeedback"]["FeedbackValue"] == "Invalid"
    assert marked["EventFeedback"]["Provider"] == "Admin"

    page = idp.admin_list_user_auth_events(UserPoolId=app.pool_id, Username=account.username,
                                          MaxResults=1)
    assert len(page["AuthEvents"]) == 1 and page["NextToken"]

    with pytest.raises(idp.exceptions.ResourceNotFoundException):
        idp.admin_update_auth_event_feedback(UserPoolId=app.pool_id, Username=account.username,
                                             EventId="no-such-event", FeedbackValue="Valid")


def test_export_holds_the_calls_and_no_secret_and_verify_passes(app, idp, server):
    account = app.new_account()
    tokens = app.sign_in(account)
    app.public.forgot_password(ClientId=app.client_id, Username=account.username)
    code = app.mail.next_code(account.email)
    app.public.confirm_forgot_password(ClientId=app.client_id, Username=account.username,
                                       ConfirmationCode=code, Password=STRONG_PASSWORD + "x")

    out = cli(server.data_dir, server.database_url, "audit", "export", "--pool-id", app.pool_id)
    assert out.returncode == 0, out.stderr
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    operations = [line["event"]["operation"] for line in lines]
    for op in ("SignUp", "ConfirmSignUp", "InitiateAuth", "ForgotPassword",
               "ConfirmForgotPassword"):
        assert op in operations, operations
    assert all(line["event"]["pool_id"] == app.pool_id for line in lines)
    seqs = [line["seq"] for line in lines]
    assert seqs == sorted(seqs)
    for secret in (STRONG_PASSWORD, code, tokens["AccessToken"], tokens["RefreshToken"]):
        assert secret not in out.stdout

    by_user = cli(server.data_dir, server.database_url, "audit", "export",
                  "--user", account.sub)
    assert by_user.returncode == 0, by_user.stderr
    assert all(json.loads(line)["event"].get("sub") == account.sub
               for line in by_user.stdout.splitlines())

    verified = cli(server.data_dir, server.database_url, "audit", "verify")
    assert verified.returncode == 0, verified.stderr
    assert "intact" in verified.stdout


def test_verify_names_an_altered_record():
    """On a server of its own (SQLite): alter one record with sqlite3, and verify fails."""
    work = Path(tempfile.mkdtemp(prefix="monban-audit-"))
    data_dir = work / "data"
    data_dir.mkdir()
    srv = Server(monban_binary(), data_dir, work / "server.log", None)
    srv.start()
    try:
        idp = boto3.session.Session().client(
            "cognito-idp", endpoint_url=srv.endpoint, region_name=REGION,
            aws_access_key_id=srv.admin_key.access_key_id,
            aws_secret_access_key=srv.admin_key.secret_access_key,
            config=Config(retries={"mode": "standard", "max_attempts": 1}))
        pool = idp.create_user_pool(PoolName="audit")["UserPool"]["Id"]
        for name in ("a", "b", "c"):
            idp.admin_create_user(UserPoolId=pool, Username=name, MessageAction="SUPPRESS")
    finally:
        srv.stop()
    assert cli(data_dir, None, "audit", "verify").returncode == 0

    db = sqlite3.connect(data_dir / "monban.db")
    with db:
        db.execute("UPDATE audit_log SET body = REPLACE(body, '\"Pass\"', '\"Fail\"') "
                   "WHERE seq = 3")
    db.close()
    failed = cli(data_dir, None, "audit", "verify")
    assert failed.returncode == 1
    assert "record 3 was altered" in failed.stderr
    shutil.rmtree(work, ignore_errors=True)
