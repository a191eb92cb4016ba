"""The AWS JSON 1.1 error format, seen on the wire with correctly signed requests."""

from support import send_signed


def test_service_error_format(server):
    response = send_signed(server.endpoint, "DescribeUserPool",
                           {"UserPoolId": "us-east-1_NoSuchPo0"}, server.admin_key)
    assert response.status == 400
    assert response.error_type == "ResourceNotFoundException"
    assert isinstance(response.body.get("message"), str) and response.body["message"]
    assert response.headers["content-type"].startswith("application/x-amz-json-1.1")
    assert response.headers.get("x-amzn-errortype", "").split(":")[0] == "ResourceNotFoundException"
    assert response.headers.get("x-amzn-requestid")


def test_missing_required_member(server):
    response = send_signed(server.endpoint, "DescribeUserPool", {}, server.admin_key)
    assert response.status == 400
    assert response.error_type == "InvalidParameterException", response.body


def test_unknown_operation(server):
    response = send_signed(server.endpoint, "NoSuchOperation", {}, server.admin_key)
    assert response.status == 400
    assert response.error_type == "UnknownOperationException", response.body


def test_malformed_json(server):
    response = send_signed(server.endpoint, "ListUserPools", b'{"MaxResults": ', server.admin_key)
    assert response.status == 400
    assert response.error_type == "SerializationException", response.body
