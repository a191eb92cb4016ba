"""The server's AWS issuer style: tokens say `iss = https://cognito-idp.{region}.amazonaws.com/
{poolId}`, so verifiers that hard-code Cognito's issuer accept them when handed monban's key set.
Here pycognito with the JWKS in `COGNITO_JWKS` and a boto3 client pointed at the server put in
place of its own (without `endpoint_url` in its kwargs pycognito keeps Cognito's issuer)."""

import json

import boto3
import jwt
from botocore.config import Config
from pycognito import Cognito

from jwt_check import get_json, jwks_url, verify
from support import REGION, STRONG_PASSWORD


def test_pycognito_verifies_aws_style_issuer(aws_issuer_server, unique, monkeypatch):
    srv = aws_issuer_server
    admin = boto3.session.Session().client(
        "cognito-idp", endpoint_url=srv.endpoint, region_name=REGION,
        aws_access_key_id=srv.admin_key.access_key_id,
        aws_secret_access_key=srv.admin_key.secret_access_key,
        config=Config(retries={"mode": "standard", "max_attempts": 1}))
    pool_id = admin.create_user_pool(PoolName=unique("pool"))["UserPool"]["Id"]
    try:
        client_id = admin.create_user_pool_client(
            UserPoolId=pool_id, ClientName=unique("app"),
            ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        )["UserPoolClient"]["ClientId"]
        username = unique("user")
        admin.admin_create_user(UserPoolId=pool_id, Username=username, MessageAction="SUPPRESS")
        admin.admin_set_user_password(UserPoolId=pool_id, Username=username,
                                      Password=STRONG_PASSWORD, Permanent=True)

        jwks = get_json(jwks_url(srv.endpoint, pool_id))
        monkeypatch.setenv("COGNITO_JWKS", json.dumps(jwks))
        user = Cognito(pool_id, client_id, username=username,
                       access_key=srv.admin_key.access_key_id,
                       secret_key=srv.admin_key.secret_access_key)
        # Before any call: every request goes to the server, none to AWS.
        user.client = admin
        assert user.pool_domain_url is None
        user.authenticate(password=STRONG_PASSWORD)

        aws_issuer = f"https://cognito-idp.{REGION}.amazonaws.com/{pool_id}"
        assert user.id_claims["iss"] == aws_issuer
        assert user.access_claims["iss"] == aws_issuer
        # An independent check against the JWKS served under monban's own URL.
        _, claims = verify(user.id_token, srv.endpoint, pool_id, aws_issuer, "id", client_id)
        assert claims["cognito:username"] == username
        user.renew_access_token()
        assert jwt.decode(user.access_token, options={"verify_signature": False})["iss"] == aws_issuer
    finally:
        admin.delete_user_pool(UserPoolId=pool_id)
