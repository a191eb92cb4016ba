"""Token verification with an independent JWT library (PyJWT + cryptography) against the
key set the server publishes, as a resource server would do it."""

from __future__ import annotations

import json
import urllib.request

import jwt


def get_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=15) as resp:
        assert resp.status == 200, url
        return json.loads(resp.read())


def jwks_url(endpoint: str, pool_id: str) -> str:
    return f"{endpoint}/{pool_id}/.well-known/jwks.json"


def verify(token: str, endpoint: str, pool_id: str, issuer: str, token_use: str,
           client_id: str) -> tuple[dict, dict]:
    """Checks signature (key chosen by `kid` from the served JWKS), `exp`, `iss`, and the
    audience the Cognito way (`aud` in ID tokens, `client_id` in access tokens).
    Returns (header, claims)."""
    header = jwt.get_unverified_header(token)
    key = jwt.PyJWKClient(jwks_url(endpoint, pool_id), cache_keys=False).get_signing_key(
        header["kid"])
    required = ["exp", "iat", "iss", "sub", "token_use"] + (["aud"] if token_use == "id" else [])
    claims = jwt.decode(
        token,
        key.key,
        algorithms=["RS256"],
        issuer=issuer,
        audience=client_id if token_use == "id" else None,
        options={"require": required, "verify_aud": token_use == "id"},
        leeway=5,
    )
    assert claims["token_use"] == token_use, claims
    if token_use == "access":
        assert claims["client_id"] == client_id, claims
        assert "aud" not in claims, claims
    return header, claims


def unverified_claims(token: str) -> dict:
    return jwt.decode(token, options={"verify_signature": False})
