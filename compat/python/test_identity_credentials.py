"""GetCredentialsForIdentity through boto3 `cognito-identity`, with monban minting the
credentials (the default source), and the credentials checked by signing requests with
them (botocore's SigV4Auth) to `POST /_monban/credentials/verify`."""

from __future__ import annotations

import datetime

import pytest

from flows import cognito_error
from identity_helpers import IdentityWorld, jwt_claims, role

AUTHENTICATED = role("monban-compat-authenticated")
GUEST = role("monban-compat-guest")


@pytest.fixture
def world(server, unique):
    w = IdentityWorld(server, unique)
    yield w
    w.close()


@pytest.fixture
def signed_in(world):
    """A user pool registered on an identity pool, a signed-in user's Logins, and the
    identity GetId gave it."""
    pool = world.user_pool()
    identity_pool_id = world.identity_pool(
        [pool], allow_guests=True, roles={"authenticated": AUTHENTICATED, "unauthenticated": GUEST})
    logins = {pool.provider: world.id_token(pool)}
    identity_id = world.get_id(identity_pool_id, logins)
    return identity_pool_id, identity_id, logins


def test_an_authenticated_identity_gets_credentials_that_verify(world, signed_in):
    identity_pool_id, identity_id, logins = signed_in
    before = datetime.datetime.now(datetime.timezone.utc)
    answer = world.credentials(identity_id, logins)

    assert answer["IdentityId"] == identity_id
    creds = answer["Credentials"]
    assert set(creds) == {"AccessKeyId", "SecretKey", "SessionToken", "Expiration"}
    assert creds["AccessKeyId"].startswith("ASIA") and len(creds["AccessKeyId"]) == 20
    assert len(creds["SecretKey"]) == 40
    assert creds["SessionToken"]
    # botocore parsed Expiration as a timestamp: one hour from now.
    lifetime = creds["Expiration"] - before
    assert datetime.timedelta(minutes=59) < lifetime <= datetime.timedelta(minutes=61), lifetime
    # The session token names nothing readable: it is sealed.
    assert identity_id not in creds["SessionToken"]

    verified = world.verify(creds)
    assert verified.status == 200, verified.body
    assert verified.body["IdentityId"] == identity_id
    assert verified.body["IdentityPoolId"] == identity_pool_id
    assert verified.body["RoleArn"] == AUTHENTICATED
    assert verified.body["Authenticated"] is True
    assert verified.body["AccessKeyId"] == creds["AccessKeyId"]
    assert verified.body["Expiration"] == pytest.approx(creds["Expiration"].timestamp())

    # Any service name and an empty body sign as well.
    assert world.verify(creds, body=b"", service="execute-api").status == 200

    # Each call vends new credentials.
    again = world.credentials(identity_id, logins)["Credentials"]
    assert again["AccessKeyId"] != creds["AccessKeyId"]
    assert world.verify(again).body["IdentityId"] == identity_id


def test_forged_or_mismatched_credentials_are_refused(world, signed_in):
    _, identity_id, logins = signed_in
    creds = world.credentials(identity_id, logins)["Credentials"]
    other = world.credentials(identity_id, logins)["Credentials"]

    wrong_secret = world.verify(creds, secret=other["SecretKey"])
    assert (wrong_secret.status, wrong_secret.error_type) == (403, "InvalidSignatureException")

    # A genuine session token with another access key id proves nothing.
    borrowed = world.verify(creds, access_key_id=other["AccessKeyId"])
    assert (borrowed.status, borrowed.error_type) == (403, "UnrecognizedClientException")

    token = creds["SessionToken"]
    flipped = token[:10] + ("A" if token[10] != "A" else "B") + token[11:]
    forged = world.verify(creds, token=flipped)
    assert (forged.status, forged.error_type) == (403, "UnrecognizedClientException")

    no_token = world.verify(creds, token="")
    assert (no_token.status, no_token.error_type) == (403, "MissingAuthenticationTokenException")

    # The body is covered by the signature.
    tampered = world.verify(creds, signed_body=b'{"Audience":"someone-else"}')
    assert (tampered.status, tampered.error_type) == (403, "InvalidSignatureException")


def test_credentials_of_a_deleted_identity_are_revoked(world, signed_in):
    _, identity_id, logins = signed_in
    creds = world.credentials(identity_id, logins)["Credentials"]
    assert world.verify(creds).status == 200
    world.identity.delete_identities(IdentityIdsToDelete=[identity_id])
    revoked = world.verify(creds)
    assert (revoked.status, revoked.error_type) == (403, "UnrecognizedClientException")
    assert "revoked" in revoked.body["message"]


def test_a_guest_identity_gets_the_unauthenticated_role(world):
    identity_pool_id = world.identity_pool(
        allow_guests=True, roles={"authenticated": AUTHENTICATED, "unauthenticated": GUEST})
    identity_id = world.get_id(identity_pool_id)
    answer = world.credentials(identity_id)
    assert answer["IdentityId"] == identity_id
    verified = world.verify(answer["Credentials"])
    assert verified.status == 200, verified.body
    assert verified.body["RoleArn"] == GUEST
    assert verified.body["Authenticated"] is False
    assert verified.body["IdentityPoolId"] == identity_pool_id


def test_an_authenticated_identity_needs_its_logins(world, signed_in):
    _, identity_id, _ = signed_in
    with cognito_error("NotAuthorizedException"):
        world.credentials(identity_id)


def test_an_unknown_identity_is_not_found(world, signed_in):
    identity_pool_id, identity_id, _ = signed_in
    region = identity_id.split(":")[0]
    with cognito_error("ResourceNotFoundException"):
        world.credentials(f"{region}:00000000-0000-4000-8000-000000000000")


def test_a_pool_without_roles_cannot_vend_credentials(world):
    identity_pool_id = world.identity_pool(allow_guests=True)
    identity_id = world.get_id(identity_pool_id)
    with cognito_error("InvalidIdentityPoolConfigurationException"):
        world.credentials(identity_id)


def test_an_invalid_login_token_is_refused(world, signed_in):
    _, identity_id, logins = signed_in
    (provider, token), = logins.items()
    header, payload, signature = token.split(".")
    forged = ".".join([header, payload, signature[:-4] + ("AAAA" if signature[-4:] != "AAAA" else "BBBB")])
    with cognito_error("NotAuthorizedException"):
        world.credentials(identity_id, {provider: forged})
    assert jwt_claims(token)["token_use"] == "id"
