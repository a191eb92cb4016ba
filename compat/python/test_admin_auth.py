"""Admin (IAM) operations need a valid SigV4 signature from an admin key: the rejections
real AWS gives, through boto3 and through hand-signed requests."""

import datetime

import pytest
from botocore import UNSIGNED
from botocore.exceptions import ClientError

from support import AdminKey, send_signed, send_unsigned

LIST = ("ListUserPools", {"MaxResults": 1})


def error_of(err: ClientError):
    return err.response["Error"]["Code"], err.response["Error"].get("Message", "")


def assert_rejected(response, error_type):
    assert 400 <= response.status < 500, response
    assert response.error_type == error_type, response.body
    assert response.body.get("message") or response.body.get("Message"), response.body
    assert response.headers.get("x-amzn-errortype", "").split(":")[0] == error_type
    assert "UserPools" not in response.body


def test_signed_request_accepted(server):
    response = send_signed(server.endpoint, *LIST, server.admin_key)
    assert response.status == 200, response.body
    assert isinstance(response.body["UserPools"], list)
    assert response.headers["content-type"].startswith("application/x-amz-json-1.1")
    assert response.headers.get("x-amzn-requestid")


def test_small_clock_skew_accepted(server):
    three_minutes_ago = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=3)
    response = send_signed(server.endpoint, *LIST, server.admin_key, signed_at=three_minutes_ago)
    assert response.status == 200, response.body


def test_unsigned_call_rejected(make_client):
    client = make_client(signature_version=UNSIGNED)
    with pytest.raises(ClientError) as err:
        client.list_user_pools(MaxResults=1)
    code, _ = error_of(err.value)
    assert code == "MissingAuthenticationTokenException"
    assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] in (400, 403)


def test_unsigned_raw_call_rejected(server):
    assert_rejected(send_unsigned(server.endpoint, *LIST), "MissingAuthenticationTokenException")


def test_wrong_secret_rejected(make_client, server):
    client = make_client(secret_access_key="wrong" + server.admin_key.secret_access_key[5:])
    with pytest.raises(ClientError) as err:
        client.list_user_pools(MaxResults=1)
    code, _ = error_of(err.value)
    assert code == "InvalidSignatureException"


def test_unknown_key_rejected(make_client):
    client = make_client(access_key_id="AKIAMONBANUNKNOWN000",
                         secret_access_key="not-a-real-secret-key-0000000000000000000")
    with pytest.raises(ClientError) as err:
        client.list_user_pools(MaxResults=1)
    code, _ = error_of(err.value)
    assert code == "UnrecognizedClientException"


def test_rejected_call_changes_nothing(make_client, idp, unique):
    name = unique("never")
    client = make_client(signature_version=UNSIGNED)
    with pytest.raises(ClientError):
        client.create_user_pool(PoolName=name)
    pages = idp.get_paginator("list_user_pools").paginate(PaginationConfig={"PageSize": 60})
    assert name not in {pool["Name"] for page in pages for pool in page["UserPools"]}


def test_stale_signature_rejected(server):
    twenty_minutes_ago = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=20)
    response = send_signed(server.endpoint, *LIST, server.admin_key, signed_at=twenty_minutes_ago)
    assert_rejected(response, "InvalidSignatureException")
    assert "Signature expired" in response.body.get("message", ""), response.body


def test_future_signature_rejected(server):
    in_twenty_minutes = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(minutes=20)
    response = send_signed(server.endpoint, *LIST, server.admin_key, signed_at=in_twenty_minutes)
    assert_rejected(response, "InvalidSignatureException")
    assert "Signature not yet current" in response.body.get("message", ""), response.body


def test_tampered_body_rejected(server):
    response = send_signed(server.endpoint, "ListUserPools", {"MaxResults": 1}, server.admin_key,
                           sent_body={"MaxResults": 2})
    assert_rejected(response, "InvalidSignatureException")


def test_raw_wrong_secret_and_unknown_key(server):
    wrong = AdminKey(server.admin_key.access_key_id, "x" * 40)
    assert_rejected(send_signed(server.endpoint, *LIST, wrong), "InvalidSignatureException")
    unknown = AdminKey("AKIAMONBANUNKNOWN000", "x" * 40)
    assert_rejected(send_signed(server.endpoint, *LIST, unknown), "UnrecognizedClientException")


def test_first_start_prints_admin_key_usage(server):
    # The README promises a ready-to-paste command on first start.
    log = server.log_text()
    assert f"AWS_ACCESS_KEY_ID={server.admin_key.access_key_id}" in log
    assert "--endpoint-url" in log
