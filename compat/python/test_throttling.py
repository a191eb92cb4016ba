"""Per-source throttling on the real binary: past its token bucket, a source address gets
TooManyRequestsException on the public sign-in and sign-up operations; another address and
the admin operations are not affected; the bucket refills at the configured rate."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import tempfile
import time
import uuid
from pathlib import Path

import boto3
import pytest
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError

from support import JSON_CONTENT_TYPE, REGION, TARGET_PREFIX, Server, monban_binary

RATE, BURST = 1, 5


@pytest.fixture(scope="module")
def throttled_server():
    work = Path(tempfile.mkdtemp(prefix="monban-compat-throttle-"))
    data_dir = work / "data"
    data_dir.mkdir()
    srv = Server(monban_binary(), data_dir, work / "server.log",
                 os.environ.get("MONBAN_TEST_DATABASE_URL"),
                 extra_args=["--throttle-rate", str(RATE), "--throttle-burst", str(BURST)])
    try:
        srv.start()
    except RuntimeError as err:
        pytest.fail(str(err), pytrace=False)
    yield srv
    srv.stop()
    shutil.rmtree(work, ignore_errors=True)


def _client(srv, **config):
    # No retries: botocore would retry a throttling error and hide it.
    config.setdefault("retries", {"mode": "standard", "max_attempts": 1})
    return boto3.session.Session().client(
        "cognito-idp", endpoint_url=srv.endpoint, region_name=REGION,
        aws_access_key_id=srv.admin_key.access_key_id,
        aws_secret_access_key=srv.admin_key.secret_access_key, config=Config(**config))


def _error_code(call):
    try:
        call()
    except ClientError as err:
        return err.response["Error"]["Code"], err.response["Error"]["Message"]
    return None, None


def _raw_initiate_auth(srv, client_id, source_ip):
    """InitiateAuth sent from `source_ip` (another loopback address): another source."""
    host, port = srv.endpoint.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=10, source_address=(source_ip, 0))
    body = json.dumps({"ClientId": client_id, "AuthFlow": "USER_PASSWORD_AUTH",
                       "AuthParameters": {"USERNAME": "nobody", "PASSWORD": "Wrong-Passw0rd!"}})
    conn.request("POST", "/", body, {"Content-Type": JSON_CONTENT_TYPE,
                                     "X-Amz-Target": TARGET_PREFIX + "InitiateAuth"})
    answer = json.loads(conn.getresponse().read() or b"{}")
    conn.close()
    return answer.get("__type")


def test_a_source_past_its_bucket_is_throttled_and_others_are_not(throttled_server):
    idp = _client(throttled_server)
    public = _client(throttled_server, signature_version=UNSIGNED)
    pool = idp.create_user_pool(PoolName=f"throttled-{uuid.uuid4().hex[:10]}")["UserPool"]["Id"]
    client_id = idp.create_user_pool_client(
        UserPoolId=pool, ClientName="c", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"],
    )["UserPoolClient"]["ClientId"]

    def sign_in():
        public.initiate_auth(ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
                             AuthParameters={"USERNAME": "nobody", "PASSWORD": "Wrong-Passw0rd!"})

    codes = [_error_code(sign_in)[0] for _ in range(BURST)]
    assert "TooManyRequestsException" not in codes, codes
    # Past the burst (a slow machine earns a token a second meanwhile).
    answers = [_error_code(sign_in) for _ in range(20)]
    assert ("TooManyRequestsException", "Rate exceeded") in answers, answers
    # The sign-up family shares the bucket (drained again first: a slow machine may have
    # earned a token meanwhile); the admin API does not.
    sign_up_codes = []
    for attempt in range(10):
        while _error_code(sign_in)[0] != "TooManyRequestsException":
            pass
        sign_up_codes.append(_error_code(lambda: public.sign_up(
            ClientId=client_id, Username=f"someone{attempt}", Password="Some-Passw0rd!"))[0])
        if sign_up_codes[-1] == "TooManyRequestsException":
            break
    assert sign_up_codes[-1] == "TooManyRequestsException", sign_up_codes
    assert idp.describe_user_pool(UserPoolId=pool)["UserPool"]["Id"] == pool
    # Another source address has its own bucket.
    assert _raw_initiate_auth(throttled_server, client_id, "127.0.0.2") == "UserNotFoundException"
    # The bucket refills at RATE a second (and a busy source soon empties it again).
    time.sleep(1.2 / RATE)
    assert _error_code(sign_in)[0] != "TooManyRequestsException"
    codes = [_error_code(sign_in)[0] for _ in range(20)]
    assert "TooManyRequestsException" in codes, codes
