"""Helpers for the identity-pool tests: user pools whose ID tokens log in to identity pools,
identity pools made and removed per test, and requests signed with the temporary
credentials of GetCredentialsForIdentity for monban's verification endpoint."""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request
from dataclasses import dataclass

import boto3
from botocore import UNSIGNED
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

from support import REGION, STRONG_PASSWORD, TEMP_PASSWORD

VERIFY_PATH = "/_monban/credentials/verify"
ACCOUNT = "000000000000"
AUTH_FLOWS = ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_USER_PASSWORD_AUTH",
              "ALLOW_REFRESH_TOKEN_AUTH"]


def role(name: str) -> str:
    return f"arn:aws:iam::{ACCOUNT}:role/{name}"


def jwt_claims(token: str) -> dict:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def client(server, service: str, signed: bool = True):
    config = {"retries": {"mode": "standard", "max_attempts": 1}, "read_timeout": 30}
    if not signed:
        config["signature_version"] = UNSIGNED
    return boto3.session.Session().client(
        service, endpoint_url=server.endpoint, region_name=REGION,
        aws_access_key_id=server.admin_key.access_key_id,
        aws_secret_access_key=server.admin_key.secret_access_key, config=Config(**config))


@dataclass
class UserPool:
    pool_id: str
    client_id: str
    provider: str

    @property
    def login_key(self) -> str:
        """The RoleMappings key of this app client: `{provider}:{clientId}`."""
        return f"{self.provider}:{self.client_id}"


@dataclass
class Verified:
    status: int
    body: dict

    @property
    def error_type(self) -> str | None:
        return self.body.get("__type")


class IdentityWorld:
    """A server seen through boto3: user pools, users, identity pools (removed by `close`),
    and credential checks at the verification endpoint."""

    def __init__(self, server, unique):
        self.server = server
        self.unique = unique
        self.idp = client(server, "cognito-idp")
        self.identity = client(server, "cognito-identity")
        self.public = client(server, "cognito-identity", signed=False)
        self._user_pools: list[str] = []
        self._identity_pools: list[str] = []

    def close(self) -> None:
        for pool_id in self._identity_pools:
            try:
                self.identity.delete_identity_pool(IdentityPoolId=pool_id)
            except self.identity.exceptions.ResourceNotFoundException:
                pass
        for pool_id in self._user_pools:
            try:
                self.idp.delete_user_pool(UserPoolId=pool_id)
            except self.idp.exceptions.ResourceNotFoundException:
                pass

    def provider_name(self, pool_id: str) -> str:
        """A monban user pool in `Logins`: its issuer without the scheme."""
        return f"{self.server.endpoint.split('://', 1)[1]}/{pool_id}"

    def user_pool(self, **kwargs) -> UserPool:
        kwargs.setdefault("PoolName", self.unique("pool"))
        pool_id = self.idp.create_user_pool(**kwargs)["UserPool"]["Id"]
        self._user_pools.append(pool_id)
        client_id = self.idp.create_user_pool_client(
            UserPoolId=pool_id, ClientName=self.unique("app"), ExplicitAuthFlows=AUTH_FLOWS,
        )["UserPoolClient"]["ClientId"]
        return UserPool(pool_id, client_id, self.provider_name(pool_id))

    def id_token(self, pool: UserPool, attributes: dict | None = None,
                 groups: list[str] = ()) -> str:
        """A new confirmed user (with `attributes`, in `groups`) signed in: its ID token."""
        username = self.unique("user")
        self.idp.admin_create_user(
            UserPoolId=pool.pool_id, Username=username, TemporaryPassword=TEMP_PASSWORD,
            MessageAction="SUPPRESS",
            UserAttributes=[{"Name": k, "Value": v} for k, v in (attributes or {}).items()])
        self.idp.admin_set_user_password(UserPoolId=pool.pool_id, Username=username,
                                         Password=STRONG_PASSWORD, Permanent=True)
        for group in groups:
            self.idp.admin_add_user_to_group(UserPoolId=pool.pool_id, Username=username,
                                             GroupName=group)
        result = self.idp.admin_initiate_auth(
            UserPoolId=pool.pool_id, ClientId=pool.client_id, AuthFlow="ADMIN_USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": username, "PASSWORD": STRONG_PASSWORD},
        )["AuthenticationResult"]
        return result["IdToken"]

    def identity_pool(self, pools: list[UserPool] = (), allow_guests: bool = False,
                      roles: dict | None = None, role_mappings: dict | None = None) -> str:
        pool_id = self.identity.create_identity_pool(
            IdentityPoolName=self.unique("ids").replace("-", "_"),
            AllowUnauthenticatedIdentities=allow_guests,
            CognitoIdentityProviders=[
                {"ProviderName": p.provider, "ClientId": p.client_id} for p in pools],
        )["IdentityPoolId"]
        self._identity_pools.append(pool_id)
        if roles or role_mappings:
            args = {"IdentityPoolId": pool_id, "Roles": roles or {}}
            if role_mappings:
                args["RoleMappings"] = role_mappings
            self.identity.set_identity_pool_roles(**args)
        return pool_id

    def get_id(self, identity_pool_id: str, logins: dict | None = None) -> str:
        args = {"IdentityPoolId": identity_pool_id}
        if logins:
            args["Logins"] = logins
        return self.public.get_id(**args)["IdentityId"]

    def credentials(self, identity_id: str, logins: dict | None = None, **kwargs) -> dict:
        """GetCredentialsForIdentity's whole answer."""
        args = {"IdentityId": identity_id, **kwargs}
        if logins:
            args["Logins"] = logins
        return self.public.get_credentials_for_identity(**args)

    def verify(self, creds: dict, body: bytes = b'{"Audience":"compat-suite"}',
               secret: str | None = None, access_key_id: str | None = None,
               token: str | None = None, service: str = "monban",
               signed_body: bytes | None = None) -> Verified:
        """POSTs a request SigV4-signed (by botocore) with `creds` to the verification
        endpoint. The overrides sign with a wrong secret, key id or token, or send a body
        other than the one signed."""
        request = AWSRequest(method="POST", url=self.server.endpoint + VERIFY_PATH,
                             data=signed_body if signed_body is not None else body,
                             headers={"Content-Type": "application/json"})
        signing = Credentials(
            access_key_id or creds["AccessKeyId"],
            secret or creds["SecretKey"],
            creds["SessionToken"] if token is None else (token or None),
        )
        SigV4Auth(signing, service, REGION).add_auth(request)
        prepared = request.prepare()
        headers = {k: v for k, v in prepared.headers.items() if k.lower() != "content-length"}
        req = urllib.request.Request(prepared.url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                status, raw = resp.status, resp.read()
        except urllib.error.HTTPError as err:
            status, raw = err.code, err.read()
        return Verified(status, json.loads(raw) if raw else {})
