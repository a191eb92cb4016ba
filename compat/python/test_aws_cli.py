"""The AWS CLI (v1, from the venv) against the server, parsing its JSON output."""

import re

from support import TEMP_PASSWORD, attribute_map

# AWS CLI v1 exits 255 on any error, a service error included (v2 would use 254).
SERVICE_ERROR_EXIT = 255


def cli_ok(aws_cli, *args):
    code, out, err = aws_cli(*args)
    assert code == 0, f"aws {' '.join(args)} exited {code}: {err}"
    return out


def test_cli_pool_and_user(aws_cli, idp, unique):
    name = unique("cli pool")
    pool = cli_ok(aws_cli, "create-user-pool", "--pool-name", name)["UserPool"]
    pool_id = pool["Id"]
    try:
        assert re.fullmatch(r"us-east-1_[0-9A-Za-z]+", pool_id)
        assert pool["Name"] == name

        # --max-results is required and turns the CLI's own paging off: follow NextToken by
        # hand, since the server may hold many more pools than one page (a shared database).
        listed, token = [], None
        for _page in range(1000):
            args = ["list-user-pools", "--max-results", "60"]
            page = cli_ok(aws_cli, *args, *(["--next-token", token] if token else []))
            listed += page["UserPools"]
            token = page.get("NextToken")
            if not token:
                break
        assert name in {p["Name"] for p in listed if p["Id"] == pool_id}

        username = unique("cli-user")
        user = cli_ok(
            aws_cli, "admin-create-user",
            "--user-pool-id", pool_id,
            "--username", username,
            "--temporary-password", TEMP_PASSWORD,
            "--message-action", "SUPPRESS",
            "--user-attributes", "Name=email,Value=cli@example.com", "Name=name,Value=Cli",
        )["User"]
        assert user["Username"] == username
        assert user["UserStatus"] == "FORCE_CHANGE_PASSWORD"
        assert attribute_map(user["Attributes"])["email"] == "cli@example.com"

        got = cli_ok(aws_cli, "admin-get-user", "--user-pool-id", pool_id, "--username", username)
        assert got["Username"] == username
        assert got["Enabled"] is True
        assert got["UserStatus"] == "FORCE_CHANGE_PASSWORD"
        attrs = attribute_map(got["UserAttributes"])
        assert attrs["email"] == "cli@example.com"
        assert attrs["name"] == "Cli"
        assert attrs["sub"] == attribute_map(user["Attributes"])["sub"]
        # CLI v1 prints timestamps as they came over the wire: epoch seconds, a JSON number.
        assert isinstance(got["UserCreateDate"], (int, float)), got["UserCreateDate"]
        assert got["UserCreateDate"] > 1_600_000_000

        # What boto3 sees is what the CLI made.
        assert idp.admin_get_user(UserPoolId=pool_id, Username=username)["Username"] == username
    finally:
        idp.delete_user_pool(UserPoolId=pool_id)


def test_cli_reports_service_errors(aws_cli, pool_id, unique):
    code, out, err = aws_cli("admin-get-user", "--user-pool-id", pool_id,
                             "--username", unique("ghost"))
    assert code == SERVICE_ERROR_EXIT, err
    assert out is None
    assert "UserNotFoundException" in err

    code, _, err = aws_cli("describe-user-pool", "--user-pool-id", "us-east-1_NoSuchPo0")
    assert code == SERVICE_ERROR_EXIT, err
    assert "ResourceNotFoundException" in err
