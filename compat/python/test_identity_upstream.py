"""Credential source `upstream`: a second monban whose GetCredentialsForIdentity calls an
STS-compatible endpoint (moto's server, in process) with AssumeRoleWithWebIdentity and
monban's OpenID token for the identity. A small recording proxy sits in front of moto so the
tests can see what monban sent, and make the STS refuse or fail."""

from __future__ import annotations

import datetime
import http.server
import threading
import urllib.error
import urllib.parse
import urllib.request

import boto3
import jwt
import pytest
from botocore.config import Config
from moto.server import ThreadedMotoServer

from conftest import _extra_server, _stop_extra_server
from flows import cognito_error
from identity_helpers import IdentityWorld, jwt_claims, role
from support import REGION

READER = role("monban-compat-reader")
GUEST = role("monban-compat-guest")

ACCESS_DENIED = b"""<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
<Error><Type>Sender</Type><Code>AccessDenied</Code>
<Message>Not authorized to perform sts:AssumeRoleWithWebIdentity</Message></Error>
<RequestId>00000000-0000-0000-0000-000000000000</RequestId></ErrorResponse>"""


class StsProxy:
    """Forwards to moto, keeping each request's form; `refuse` answers instead."""

    def __init__(self, upstream: str):
        self.upstream = upstream
        self.requests: list[dict] = []
        # None, or (status, body) to answer the next requests with.
        self.refuse: tuple[int, bytes] | None = None
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                proxy.requests.append(
                    {k: v[0] for k, v in urllib.parse.parse_qs(body.decode()).items()})
                if proxy.refuse is not None:
                    status, answer = proxy.refuse
                else:
                    forwarded = urllib.request.Request(
                        proxy.upstream + self.path, data=body, method="POST",
                        headers={"Content-Type": self.headers["Content-Type"]})
                    try:
                        with urllib.request.urlopen(forwarded, timeout=30) as resp:
                            status, answer = resp.status, resp.read()
                    except urllib.error.HTTPError as err:
                        status, answer = err.code, err.read()
                self.send_response(status)
                self.send_header("Content-Type", "text/xml")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def start(self):
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="module")
def moto():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture(scope="module")
def sts(moto):
    proxy = StsProxy(moto)
    proxy.start()
    yield proxy
    proxy.stop()


@pytest.fixture(scope="module")
def upstream_server(mail_sink, sts):
    srv = _extra_server(mail_sink, "monban-compat-upstream-sts-",
                        ["--credential-source", "upstream", "--sts-endpoint", sts.url])
    yield srv
    _stop_extra_server(srv)


@pytest.fixture
def world(upstream_server, sts, unique):
    sts.refuse = None
    w = IdentityWorld(upstream_server, unique)
    yield w
    sts.refuse = None
    w.close()


@pytest.fixture
def signed_in(world):
    pool = world.user_pool()
    identity_pool_id = world.identity_pool(
        [pool], allow_guests=True, roles={"authenticated": READER, "unauthenticated": GUEST})
    logins = {pool.provider: world.id_token(pool)}
    identity_id = world.get_id(identity_pool_id, logins)
    return identity_pool_id, identity_id, logins


def caller_identity(moto_url: str, creds: dict) -> dict:
    """STS GetCallerIdentity at moto, signed with `creds`: moto knows only keys it issued."""
    client = boto3.session.Session().client(
        "sts", endpoint_url=moto_url, region_name=REGION,
        aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretKey"],
        aws_session_token=creds["SessionToken"],
        config=Config(retries={"mode": "standard", "max_attempts": 1}))
    return client.get_caller_identity()


def test_credentials_come_from_the_upstream_sts(world, signed_in, sts, moto):
    identity_pool_id, identity_id, logins = signed_in
    sts.requests.clear()
    before = datetime.datetime.now(datetime.timezone.utc)
    answer = world.credentials(identity_id, logins)
    assert answer["IdentityId"] == identity_id
    creds = answer["Credentials"]

    # moto issued them: it recognises the key and names the assumed role and session.
    me = caller_identity(moto, creds)
    assert me["Arn"] == (f"arn:aws:sts::{READER.split(':')[4]}:assumed-role/"
                         "monban-compat-reader/CognitoIdentityCredentials")
    lifetime = creds["Expiration"] - before
    assert datetime.timedelta(minutes=59) < lifetime <= datetime.timedelta(minutes=61), lifetime

    # What monban asked for: the resolved role, Cognito's session name, an hour, and its
    # OpenID token for this identity.
    (sent,) = sts.requests
    assert sent["Action"] == "AssumeRoleWithWebIdentity"
    assert sent["Version"] == "2011-06-15"
    assert sent["RoleArn"] == READER
    assert sent["RoleSessionName"] == "CognitoIdentityCredentials"
    assert sent["DurationSeconds"] == "3600"
    claims = jwt_claims(sent["WebIdentityToken"])
    assert claims["sub"] == identity_id
    assert claims["aud"] == identity_pool_id
    assert "authenticated" in claims["amr"]

    # The token verifies with the key set its issuer publishes.
    issuer = claims["iss"]
    keys = jwt.PyJWKClient(issuer + "/.well-known/jwks.json")
    key = keys.get_signing_key_from_jwt(sent["WebIdentityToken"])
    jwt.decode(sent["WebIdentityToken"], key.key, algorithms=["RS256"],
               audience=identity_pool_id, issuer=issuer)

    # monban's own verification endpoint knows nothing of upstream credentials.
    refused = world.verify(creds)
    assert refused.status == 403


def test_a_guest_identity_assumes_the_unauthenticated_role(world, sts, moto):
    identity_pool_id = world.identity_pool(
        allow_guests=True, roles={"authenticated": READER, "unauthenticated": GUEST})
    identity_id = world.get_id(identity_pool_id)
    sts.requests.clear()
    creds = world.credentials(identity_id)["Credentials"]
    assert caller_identity(moto, creds)["Arn"].endswith(
        ":assumed-role/monban-compat-guest/CognitoIdentityCredentials")
    (sent,) = sts.requests
    assert sent["RoleArn"] == GUEST
    assert "unauthenticated" in jwt_claims(sent["WebIdentityToken"])["amr"]


def test_an_sts_refusal_is_an_invalid_pool_configuration(world, signed_in, sts):
    _, identity_id, logins = signed_in
    sts.refuse = (403, ACCESS_DENIED)
    with cognito_error("InvalidIdentityPoolConfigurationException",
                       "Invalid identity pool configuration. Check assigned IAM roles for "
                       "this pool."):
        world.credentials(identity_id, logins)


def test_an_sts_outage_is_an_external_service_error(world, signed_in, sts):
    _, identity_id, logins = signed_in
    sts.refuse = (503, b"<html>Service Unavailable</html>")
    with cognito_error("ExternalServiceException"):
        world.credentials(identity_id, logins)


def test_identity_errors_come_before_any_sts_call(world, signed_in, sts):
    _, identity_id, _ = signed_in
    sts.requests.clear()
    with cognito_error("NotAuthorizedException"):
        world.credentials(identity_id)
    assert sts.requests == []
