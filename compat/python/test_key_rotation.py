"""`monban keys rotate` on a running server: new keys join the JWKS, tokens signed before the
rotation keep verifying and keep working, and new sign-ins are signed with the new keys."""

import subprocess
import time

import jwt

from jwt_check import get_json, jwks_url, verify
from support import monban_binary


def rotate(server, pool_id):
    cmd = [str(monban_binary()), "keys", "rotate", "--pool-id", pool_id,
           "--data-dir", str(server.data_dir)]
    if server.database_url:
        cmd += ["--database-url", server.database_url]
    env = server.environment()
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=60, env=env,
                          stdin=subprocess.DEVNULL, cwd=server.data_dir)
    assert proc.returncode == 0, proc.stderr


def kids(token):
    return jwt.get_unverified_header(token)["kid"]


def test_rotation_keeps_old_tokens_valid(app):
    account = app.new_account()
    before = app.sign_in(account)
    old_kids = {k["kid"] for k in get_json(jwks_url(app.server.endpoint, app.pool_id))["keys"]}
    assert {kids(before["IdToken"]), kids(before["AccessToken"])} <= old_kids

    rotate(app.server, app.pool_id)

    # The running server serves the new keys next to the old ones.
    deadline = time.monotonic() + 30
    while True:
        now_kids = {k["kid"] for k in get_json(jwks_url(app.server.endpoint, app.pool_id))["keys"]}
        if now_kids > old_kids or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert old_kids < now_kids, (old_kids, now_kids)
    assert len(now_kids - old_kids) == 2, "one new key for ID tokens, one for access tokens"

    # Tokens from before the rotation still verify and still work.
    verify(before["IdToken"], app.server.endpoint, app.pool_id, app.issuer, "id", app.client_id)
    verify(before["AccessToken"], app.server.endpoint, app.pool_id, app.issuer, "access",
           app.client_id)
    assert app.public.get_user(AccessToken=before["AccessToken"])["Username"] == account.username

    # New tokens are signed with the new keys.
    after = app.sign_in(account)
    assert kids(after["IdToken"]) in now_kids - old_kids
    assert kids(after["AccessToken"]) in now_kids - old_kids
    assert kids(after["IdToken"]) != kids(after["AccessToken"])
    verify(after["IdToken"], app.server.endpoint, app.pool_id, app.issuer, "id", app.client_id)
    refreshed = app.refresh(before["RefreshToken"], account.username)
    assert kids(refreshed["AccessToken"]) in now_kids - old_kids
