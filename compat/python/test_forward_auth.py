"""Forward auth behind a real nginx (`auth_request`), configured as the README shows: a token
passes with the user's identity handed to the application, a missing or revoked one goes to
the login page, a group rule answers 403. Skipped when nginx is not installed; the same
endpoint is also tested without nginx below, calling it exactly as nginx does."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from support import free_port

PASSWORD = "Str0ng-Passw0rd!"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def get(url: str, headers: dict | None = None):
    """(status, headers (case-insensitive), body) without following redirects."""
    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read().decode()


@pytest.fixture
def signed_in(idp, public_idp, pool_id, unique):
    """A user in group `staff` of a new pool, its access token, and the app client id."""
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="web",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    username = unique("alice")
    idp.admin_create_user(UserPoolId=pool_id, Username=username, MessageAction="SUPPRESS",
                          UserAttributes=[{"Name": "email", "Value": f"{username}@example.com"}])
    idp.admin_set_user_password(UserPoolId=pool_id, Username=username, Password=PASSWORD,
                                Permanent=True)
    idp.create_group(UserPoolId=pool_id, GroupName="staff")
    idp.admin_add_user_to_group(UserPoolId=pool_id, Username=username, GroupName="staff")
    tokens = public_idp.initiate_auth(
        ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": PASSWORD},
    )["AuthenticationResult"]
    return {"pool_id": pool_id, "client_id": client_id, "username": username,
            "access": tokens["AccessToken"]}


def test_forward_auth_as_nginx_calls_it(server, signed_in):
    """What nginx's auth_request sub-request sends: no body, the visitor's Authorization,
    X-Forwarded-*; what it reads: the status and the X-Auth-Request-* headers."""
    base = f"{server.endpoint}/{signed_in['pool_id']}/forward-auth?client_id={signed_in['client_id']}"
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "app.example.com",
                 "X-Forwarded-Uri": "/private"}
    status, _, _ = get(base, forwarded)
    assert status == 401
    bearer = {**forwarded, "Authorization": f"Bearer {signed_in['access']}"}
    status, headers, _ = get(base + "&groups=staff", bearer)
    assert status == 200
    assert headers["X-Auth-Request-User"] == signed_in["username"]
    assert headers["X-Auth-Request-Email"] == f"{signed_in['username']}@example.com"
    assert headers["X-Auth-Request-Groups"] == "staff"
    status, _, _ = get(base + "&groups=admins", bearer)
    assert status == 403


NGINX_CONF = """
worker_processes 1;
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    server {{
        listen 127.0.0.1:{app_port};
        location / {{ return 200 "user=$http_x_user email=$http_x_email groups=$http_x_groups"; }}
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            auth_request /_auth;
            auth_request_set $user   $upstream_http_x_auth_request_user;
            auth_request_set $email  $upstream_http_x_auth_request_email;
            auth_request_set $groups $upstream_http_x_auth_request_groups;
            proxy_set_header X-User   $user;
            proxy_set_header X-Email  $email;
            proxy_set_header X-Groups $groups;
            error_page 401 = @login;
            proxy_pass http://127.0.0.1:{app_port};
        }}
        location /admin {{
            auth_request /_auth_admin;
            error_page 401 = @login;
            proxy_pass http://127.0.0.1:{app_port};
        }}
        location = /_auth {{
            internal;
            proxy_pass {monban}/{pool}/forward-auth?client_id={client}&groups=staff;
            proxy_pass_request_body off;
            proxy_set_header Content-Length "";
            proxy_set_header Authorization $http_authorization;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Forwarded-Host  $host;
            proxy_set_header X-Forwarded-Uri   $request_uri;
        }}
        location = /_auth_admin {{
            internal;
            proxy_pass {monban}/{pool}/forward-auth?client_id={client}&groups=admins;
            proxy_pass_request_body off;
            proxy_set_header Content-Length "";
            proxy_set_header Authorization $http_authorization;
        }}
        location @login {{
            return 302 {monban}/{pool}/oauth2/authorize?response_type=code&client_id={client};
        }}
    }}
}}
"""


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed")
def test_behind_a_real_nginx(server, idp, signed_in):
    prefix = Path(tempfile.mkdtemp(prefix="monban-nginx-"))
    port, app_port = free_port(), free_port()
    conf = prefix / "nginx.conf"
    conf.write_text(NGINX_CONF.format(prefix=prefix, port=port, app_port=app_port,
                                      monban=server.endpoint, pool=signed_in["pool_id"],
                                      client=signed_in["client_id"]))
    nginx = subprocess.Popen(["nginx", "-p", str(prefix), "-c", str(conf)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        site = f"http://127.0.0.1:{port}"
        for _ in range(50):
            try:
                get(site + "/")
                break
            except OSError:
                time.sleep(0.1)
        bearer = {"Authorization": f"Bearer {signed_in['access']}"}

        status, headers, _ = get(site + "/reports")
        assert status == 302
        assert headers["Location"].startswith(f"{server.endpoint}/{signed_in['pool_id']}/oauth2/authorize?")

        status, _, body = get(site + "/reports", bearer)
        assert status == 200, body
        assert body == (f"user={signed_in['username']} email={signed_in['username']}@example.com "
                        "groups=staff")

        status, _, _ = get(site + "/admin", bearer)
        assert status == 403

        idp.admin_user_global_sign_out(UserPoolId=signed_in["pool_id"],
                                       Username=signed_in["username"])
        status, _, _ = get(site + "/reports", bearer)
        assert status == 302
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)
        shutil.rmtree(prefix, ignore_errors=True)
