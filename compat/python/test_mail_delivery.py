"""Mail that arrives and can be traced: DKIM signatures that an independent verifier
(dkimpy) accepts against the record `monban mail dns` prints, retries of temporary SMTP
failures without duplicates, delivery after a restart when the mail server was down,
sending limits, and a mail log that never holds a code.

Each test runs its own `monban serve` on SQLite (its own data directory): its sender must
not share a queue with the suite's other servers, which send to another sink."""

from __future__ import annotations

import base64
import email
import email.policy
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import boto3
import dkim
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from delivery_sink import ScriptedSink
from support import MAIL_FROM, REGION, STRONG_PASSWORD, Server, free_port, monban_binary

SELECTOR = "sel1"
DOMAIN = MAIL_FROM.split("@")[1]
CODE = re.compile(r"(?<!\d)(\d{6})(?!\d)")


class Node:
    """A `monban serve` of one test, with the flags its `monban mail` commands share."""

    def __init__(self, work: Path, sink_port: int, flags: list[str]):
        self.data_dir = work / "data"
        self.data_dir.mkdir(exist_ok=True)
        self.flags = ["--smtp-host", "127.0.0.1", "--smtp-port", str(sink_port),
                      "--smtp-security", "plain", "--smtp-from", MAIL_FROM,
                      "--mail-retry-initial-ms", "300", "--mail-poll-ms", "100", *flags]
        self.server = Server(monban_binary(), self.data_dir, work / "server.log", None,
                             extra_args=self.flags)

    def start(self) -> "Node":
        self.server.start()
        return self

    def stop(self) -> None:
        self.server.stop()

    def client(self):
        key = self.server.admin_key
        return boto3.session.Session().client(
            "cognito-idp", endpoint_url=self.server.endpoint, region_name=REGION,
            aws_access_key_id=key.access_key_id, aws_secret_access_key=key.secret_access_key,
            # One attempt: botocore retries LimitExceededException as throttling otherwise.
            config=Config(retries={"mode": "standard", "total_max_attempts": 1}))

    def cli(self, *args: str) -> str:
        env = {k: v for k, v in os.environ.items() if not k.startswith("MONBAN_")}
        done = subprocess.run(
            [str(monban_binary()), *args, "--data-dir", str(self.data_dir), *self.flags],
            capture_output=True, text=True, env=env, timeout=60)
        assert done.returncode == 0, done.stderr
        return done.stdout

    def mail_log(self, pool_id: str) -> list[dict]:
        out = self.cli("mail", "log", "--pool-id", pool_id, "--json")
        return [json.loads(line) for line in out.splitlines() if line.strip()]


@pytest.fixture
def work():
    path = Path(tempfile.mkdtemp(prefix="monban-mail-"))
    yield path
    if not os.environ.get("MONBAN_KEEP_LOGS"):
        shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def nodes():
    started: list[Node] = []
    yield started
    for node in started:
        node.stop()


@pytest.fixture
def sinks():
    started: list[ScriptedSink] = []
    yield started
    for sink in started:
        sink.stop()


def sign_up(idp, unique):
    """A pool that verifies email, a client, and a user signing up:
    (pool, client, username, address)."""
    pool_id = idp.create_user_pool(PoolName=unique("mail"),
                                   AutoVerifiedAttributes=["email"])["UserPool"]["Id"]
    client_id = idp.create_user_pool_client(UserPoolId=pool_id,
                                            ClientName="app")["UserPoolClient"]["ClientId"]
    username = unique("u")
    address = f"{username}@example.com"
    answer = idp.sign_up(ClientId=client_id, Username=username, Password=STRONG_PASSWORD,
                         UserAttributes=[{"Name": "email", "Value": address}])
    assert answer["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"
    return pool_id, client_id, username, address


def code_of(raw: bytes) -> str:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    found = CODE.findall(message.get_body(preferencelist=("plain", "html")).get_content())
    assert len(found) == 1, found
    return found[0]


def wait_for(predicate, what: str, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def rsa_key_file(work: Path) -> Path:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path = work / "dkim.pem"
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                       serialization.PrivateFormat.TraditionalOpenSSL,
                                       serialization.NoEncryption()))
    return path


def dns_records(node: Node, pool_id: str) -> dict[str, bytes]:
    """`monban mail dns` output as name -> TXT value (its quoted strings joined)."""
    records = {}
    for line in node.cli("mail", "dns", "--pool-id", pool_id).splitlines():
        if line.startswith(";") or " IN TXT " not in line:
            continue
        name, value = line.split(" IN TXT ", 1)
        records[name.strip()] = "".join(re.findall(r'"([^"]*)"', value)).encode()
    return records


def ed25519_key_file(work: Path) -> Path:
    path = work / "dkim.ed25519"
    path.write_text(base64.b64encode(os.urandom(32)).decode() + "\n")
    return path


@pytest.mark.parametrize("algorithm", ["rsa", "ed25519"])
def test_dkim_signature_verifies_against_the_printed_record(work, nodes, sinks, unique,
                                                            algorithm):
    sink = ScriptedSink().start()
    sinks.append(sink)
    key = rsa_key_file(work) if algorithm == "rsa" else ed25519_key_file(work)
    node = Node(work, sink.port, ["--dkim-key-file", str(key), "--dkim-selector", SELECTOR])
    nodes.append(node.start())
    pool_id, _, _, _ = sign_up(node.client(), unique)
    raw = sink.wait_accepted(1)[0].raw
    assert b"DKIM-Signature:" in raw
    assert f"a={algorithm}-sha256".encode() in raw

    records = dns_records(node, pool_id)
    dkim_name = f"{SELECTOR}._domainkey.{DOMAIN}."
    assert dkim_name in records, records
    assert f"k={algorithm};".encode() in records[dkim_name]
    assert records[f"{DOMAIN}."].startswith(b"v=spf1")
    assert records[f"_dmarc.{DOMAIN}."].startswith(b"v=DMARC1")

    asked = []

    def dnsfunc(name, timeout=5):
        name = name.decode() if isinstance(name, bytes) else name
        asked.append(name)
        return records.get(name if name.endswith(".") else name + ".")

    assert dkim.verify(raw, dnsfunc=dnsfunc), "dkimpy rejects the signature"
    assert asked == [dkim_name]
    # A changed body no longer verifies: the signature covers what was sent.
    assert not dkim.verify(raw.replace(b"verification code", b"verification kode"),
                           dnsfunc=dnsfunc)


def test_a_temporary_failure_is_retried_and_delivered_once(work, nodes, sinks, unique):
    sink = ScriptedSink(replies=["451 4.3.0 Try again later"]).start()
    sinks.append(sink)
    node = Node(work, sink.port, [])
    nodes.append(node.start())
    pool_id, _, _, address = sign_up(node.client(), unique)
    accepted = sink.wait_accepted(1)
    assert len(sink.attempts) == 2, "one refused attempt, one accepted"
    code = code_of(accepted[0].raw)
    # No duplicate follows.
    time.sleep(1.5)
    assert len(sink.accepted) == 1

    log = wait_for(lambda: [r for r in node.mail_log(pool_id) if r["status"] == "sent"],
                   "the mail log to say sent")
    assert len(log) == 1
    record = log[0]
    assert record["purpose"] == "sign_up_code"
    assert record["recipient"] == address
    assert record["attempts"] == 2
    assert record["smtp_reply"].startswith("250")
    assert record["user_sub"]
    for output in (node.cli("mail", "log", "--pool-id", pool_id),
                   node.cli("mail", "log", "--pool-id", pool_id, "--json"),
                   node.cli("mail", "log", "--summary")):
        assert code not in output
    summary = node.cli("mail", "log", "--summary", "--pool-id", pool_id)
    assert f"pool={pool_id} " in summary and " sent=1 " in summary, summary

    # The audit record of the SignUp call names the message by its mail-log id.
    audit = [json.loads(line) for line in
             node.cli("audit", "export", "--pool-id", pool_id).splitlines() if line.strip()]
    sign_ups = [r["event"] for r in audit if r["event"]["operation"] == "SignUp"]
    assert [e.get("mail_ids") for e in sign_ups] == [[record["id"]]], sign_ups


def test_mail_queued_while_the_server_is_down_arrives_after_a_restart(work, nodes, sinks,
                                                                      unique):
    port = free_port()  # nothing listens there yet
    node = Node(work, port, [])
    nodes.append(node.start())
    pool_id, client_id, username, address = sign_up(node.client(), unique)
    wait_for(lambda: any(r["status"] == "deferred" for r in node.mail_log(pool_id)),
             "a deferred message")
    node.stop()

    sink = ScriptedSink(port=port).start()
    sinks.append(sink)
    node.start()
    raw = sink.wait_accepted(1)[0].raw
    assert sink.accepted[0].to == [address]
    node.client().confirm_sign_up(ClientId=client_id, Username=username,
                                  ConfirmationCode=code_of(raw))
    record = wait_for(lambda: [r for r in node.mail_log(pool_id) if r["status"] == "sent"],
                      "the mail log to say sent")[0]
    assert record["attempts"] >= 2


def test_sending_limits_refuse_a_mail_bomb(work, nodes, sinks, unique):
    sink = ScriptedSink().start()
    sinks.append(sink)
    node = Node(work, sink.port, ["--mail-limit-per-recipient", "2"])
    nodes.append(node.start())
    idp = node.client()
    pool_id, client_id, username, address = sign_up(idp, unique)
    idp.resend_confirmation_code(ClientId=client_id, Username=username)
    with pytest.raises(ClientError) as refused:
        idp.resend_confirmation_code(ClientId=client_id, Username=username)
    assert refused.value.response["Error"]["Code"] == "LimitExceededException"
    sink.wait_accepted(2)
    time.sleep(0.5)
    assert len(sink.accepted) == 2
    statuses = sorted(r["status"] for r in node.mail_log(pool_id))
    assert statuses == ["refused", "sent", "sent"], json.dumps(node.mail_log(pool_id))
    refused_record = [r for r in node.mail_log(pool_id) if r["status"] == "refused"][0]
    assert "recipient sending limit" in refused_record["reason"]


def test_the_sending_limit_answers_unknown_names_as_users(work, nodes, sinks, unique):
    """PreventUserExistenceErrors: past the per-recipient limit a real user's
    ForgotPassword is refused; a name the pool does not have must be refused after as
    many, or the refusal would tell which names exist."""
    sink = ScriptedSink().start()
    sinks.append(sink)
    node = Node(work, sink.port, ["--mail-limit-per-recipient", "3"])
    nodes.append(node.start())
    idp = node.client()
    pool_id, client_id, username, _ = sign_up(idp, unique)
    idp.admin_confirm_sign_up(UserPoolId=pool_id, Username=username)
    idp.admin_update_user_attributes(
        UserPoolId=pool_id, Username=username,
        UserAttributes=[{"Name": "email_verified", "Value": "true"}])
    hiding = idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="hiding",
        PreventUserExistenceErrors="ENABLED")["UserPoolClient"]["ClientId"]
    unknown = unique("nobody")

    def answer(name: str) -> str:
        try:
            idp.forgot_password(ClientId=hiding, Username=name)
            return "sent"
        except ClientError as e:
            return f'{e.response["Error"]["Code"]}: {e.response["Error"]["Message"]}'

    # The sign-up code was the first message to the real address.
    real = [answer(username) for _ in range(3)]
    fake = [answer(unknown) for _ in range(3)]
    assert real == ["sent", "sent",
                    "LimitExceededException: Attempt limit exceeded, please try after some time."]
    # One message fewer went to the unknown name (no sign-up code): it is refused one
    # try later, with the same words.
    assert fake[:3] == ["sent", "sent", "sent"]
    assert answer(unknown) == real[2]
    assert answer(username) == real[2]
