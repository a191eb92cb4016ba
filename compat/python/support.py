"""Helpers for the compatibility suite: running `monban serve`, reading its admin key,
and sending hand-signed requests (for the signature tests boto3 cannot produce)."""

from __future__ import annotations

import datetime
import json
import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

REPO_ROOT = Path(__file__).resolve().parents[2]
REGION = "us-east-1"
TARGET_PREFIX = "AWSCognitoIdentityProviderService."
JSON_CONTENT_TYPE = "application/x-amz-json-1.1"
STARTUP_TIMEOUT_S = 60.0
# Both pass the default pool password policy (8+, upper, lower, number, symbol).
TEMP_PASSWORD = "Temp-Passw0rd!"
STRONG_PASSWORD = "Str0ng-Passw0rd!"
NEW_PASSWORD = "N3w-Passw0rd!x"
# Sender for pools on Cognito's default email (the server's --smtp-from).
MAIL_FROM = "no-reply@monban.test"
# Code lifetimes on the short-codes server (conftest.short_codes_server).
SHORT_CODE_SECS = 2


def monban_binary() -> Path:
    """`MONBAN_BIN`, else the debug binary in cargo's target directory."""
    explicit = os.environ.get("MONBAN_BIN")
    if explicit:
        path = Path(explicit)
    else:
        target = Path(os.environ.get("CARGO_TARGET_DIR") or "target")
        path = target / "debug" / "monban"
    # Relative paths mean what they mean to cargo and scripts/test: from the repo root.
    return path if path.is_absolute() else REPO_ROOT / path


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class AdminKey:
    access_key_id: str
    secret_access_key: str


def _normalise(name: str) -> str:
    return re.sub(r"[^a-z]", "", name.lower())


def _find_key_fields(doc) -> AdminKey | None:
    """The first object holding an access key id and a secret, however the file nests it."""
    if isinstance(doc, dict):
        fields = {_normalise(k): v for k, v in doc.items() if isinstance(v, str)}
        key_id = fields.get("accesskeyid") or fields.get("awsaccesskeyid")
        secret = fields.get("secretaccesskey") or fields.get("awssecretaccesskey")
        if key_id and secret:
            return AdminKey(key_id, secret)
        children = doc.values()
    elif isinstance(doc, list):
        children = doc
    else:
        return None
    for child in children:
        found = _find_key_fields(child)
        if found:
            return found
    return None


def read_admin_key(data_dir: Path, log_text: str) -> AdminKey:
    """From `<data_dir>/admin-key.json`; the first-start banner in the log as a fallback."""
    key_file = data_dir / "admin-key.json"
    if key_file.exists():
        found = _find_key_fields(json.loads(key_file.read_text()))
        if found:
            return found
    key_id = re.search(r"AWS_ACCESS_KEY_ID=(\S+)", log_text)
    secret = re.search(r"AWS_SECRET_ACCESS_KEY=(\S+)", log_text)
    if key_id and secret:
        return AdminKey(key_id.group(1), secret.group(1))
    raise RuntimeError(
        f"no admin key: {key_file} has no access key id/secret and the log has no "
        "AWS_ACCESS_KEY_ID=… AWS_SECRET_ACCESS_KEY=… line"
    )


class Server:
    """One `monban serve` process on a free loopback port with its own data directory."""

    def __init__(self, binary: Path, data_dir: Path, log_path: Path, database_url: str | None,
                 extra_args: list[str] | None = None):
        self.binary = binary
        self.data_dir = data_dir
        self.log_path = log_path
        self.database_url = database_url
        # More `monban serve` flags (the SMTP sink, ...).
        self.extra_args = list(extra_args or [])
        self.process: subprocess.Popen | None = None
        self.endpoint = ""
        self.admin_key: AdminKey | None = None

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def log_tail(self, lines: int = 60) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])

    def environment(self) -> dict:
        # MONBAN_* variables would override the flags below; the suite decides everything.
        env = {k: v for k, v in os.environ.items() if not k.startswith("MONBAN_")}
        env.setdefault("RUST_LOG", "info")
        return env

    def start(self) -> None:
        for _attempt in range(3):
            port = free_port()
            self.endpoint = f"http://127.0.0.1:{port}"
            cmd = [
                str(self.binary), "serve",
                "--listen", f"127.0.0.1:{port}",
                "--data-dir", str(self.data_dir),
                "--region", REGION,
            ]
            if self.database_url:
                cmd += ["--database-url", self.database_url]
            cmd += self.extra_args
            with open(self.log_path, "ab") as log:
                shown = [("<database-url>" if arg == self.database_url else arg) for arg in cmd]
                log.write(f"$ {' '.join(shown)}\n".encode())
                log.flush()
                self.process = subprocess.Popen(
                    cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                    cwd=self.data_dir, env=self.environment(), start_new_session=True,
                )
            if self._wait_healthy():
                self.admin_key = read_admin_key(self.data_dir, self.log_text())
                return
            # Another process may have taken the port between free_port() and bind: retry.
            if "in use" not in self.log_text().lower():
                break
        self.stop()
        raise RuntimeError(f"monban did not become healthy; log {self.log_path}:\n{self.log_tail()}")

    def _wait_healthy(self) -> bool:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                return False
            try:
                with urllib.request.urlopen(self.endpoint + "/health", timeout=2) as resp:
                    if resp.status == 200:
                        return True
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                pass
            time.sleep(0.2)
        return False

    def is_running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> int | None:
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)
        return self.process.returncode


@dataclass
class RawResponse:
    status: int
    headers: dict
    body: dict

    @property
    def error_type(self) -> str | None:
        kind = self.body.get("__type")
        # Clients accept `namespace#Name`; compare the bare name.
        return kind.split("#")[-1] if isinstance(kind, str) else None


def send_signed(
    endpoint: str,
    operation: str,
    body: dict | bytes,
    key: AdminKey,
    signed_at: datetime.datetime | None = None,
    region: str = REGION,
    sent_body: dict | None = None,
) -> RawResponse:
    """POST one JSON 1.1 call, SigV4-signed by botocore as if the clock read `signed_at`.
    `sent_body`, when given, replaces the signed body on the wire (a tampered request)."""
    request = AWSRequest(
        method="POST",
        url=endpoint + "/",
        data=body if isinstance(body, bytes) else json.dumps(body).encode(),
        headers={"X-Amz-Target": TARGET_PREFIX + operation, "Content-Type": JSON_CONTENT_TYPE},
    )
    signer = SigV4Auth(Credentials(key.access_key_id, key.secret_access_key), "cognito-idp", region)
    if signed_at is None:
        signer.add_auth(request)
    else:
        naive_utc = signed_at.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        with mock.patch("botocore.auth.get_current_datetime", return_value=naive_utc):
            signer.add_auth(request)
    prepared = request.prepare()
    data = prepared.body if sent_body is None else json.dumps(sent_body).encode()
    return _send(prepared.url, data, dict(prepared.headers))


def send_unsigned(endpoint: str, operation: str, body: dict) -> RawResponse:
    headers = {"X-Amz-Target": TARGET_PREFIX + operation, "Content-Type": JSON_CONTENT_TYPE}
    return _send(endpoint + "/", json.dumps(body).encode(), headers)


def _send(url: str, data: bytes, headers: dict) -> RawResponse:
    # urllib sets Content-Length from the bytes actually sent.
    headers = {k: v for k, v in headers.items() if k.lower() != "content-length"}
    req = urllib.request.Request(url, data=data, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            status, resp_headers, raw = resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as err:
        status, resp_headers, raw = err.code, dict(err.headers), err.read()
    try:
        body = json.loads(raw) if raw else {}
    except ValueError:
        body = {"__raw__": raw.decode(errors="replace")}
    return RawResponse(status, {k.lower(): v for k, v in resp_headers.items()}, body)


def attribute_map(attributes: list) -> dict:
    """`[{"Name": n, "Value": v}, …]` -> `{n: v}`."""
    return {a["Name"]: a.get("Value") for a in attributes or []}
