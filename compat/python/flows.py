"""Sign-up and sign-in through boto3 as an app does it: one pool, one app client, the public
(unsigned) operations, codes read from the mail sink."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
from dataclasses import dataclass

import pytest
from botocore.exceptions import ClientError

from support import STRONG_PASSWORD

DEFAULT_FLOWS = [
    "ALLOW_USER_PASSWORD_AUTH",
    "ALLOW_USER_SRP_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
    "ALLOW_ADMIN_USER_PASSWORD_AUTH",
]


def secret_hash(username: str, client_id: str, client_secret: str) -> str:
    digest = hmac.new(client_secret.encode(), (username + client_id).encode(), hashlib.sha256)
    return base64.b64encode(digest.digest()).decode()


@contextlib.contextmanager
def cognito_error(code: str, message: str | None = None):
    """Expects the block to fail with Cognito error `code` (and exactly `message`, if given)."""
    with pytest.raises(ClientError) as info:
        yield info
    error = info.value.response["Error"]
    assert error["Code"] == code, f"expected {code}, got {error}"
    if message is not None:
        assert error.get("Message") == message, f"expected message {message!r}, got {error}"


@dataclass
class Account:
    username: str
    password: str
    email: str
    sub: str


class App:
    """A user pool with one app client, used as an app uses it."""

    def __init__(self, factory: "AppFactory", pool: dict, client: dict):
        self.idp = factory.idp
        self.public = factory.public
        self.mail = factory.mail
        self.server = factory.server
        self.unique = factory.unique
        self.pool = pool
        self.client = client
        self.pool_id = pool["Id"]
        self.client_id = client["ClientId"]
        self.client_secret = client.get("ClientSecret")

    @property
    def issuer(self) -> str:
        return f"{self.server.endpoint}/{self.pool_id}"

    def hash_for(self, username: str) -> dict:
        """`{"SecretHash": …}` for a client with a secret, else `{}`."""
        if not self.client_secret:
            return {}
        return {"SecretHash": secret_hash(username, self.client_id, self.client_secret)}

    def auth_hash(self, username: str) -> dict:
        """`{"SECRET_HASH": …}` for AuthParameters / ChallengeResponses, else `{}`."""
        if not self.client_secret:
            return {}
        return {"SECRET_HASH": secret_hash(username, self.client_id, self.client_secret)}

    def new_username(self) -> str:
        return self.unique("user")

    def sign_up(self, username: str, password: str = STRONG_PASSWORD, email: str | None = None,
                attributes: dict | None = None, **kwargs) -> dict:
        attrs = dict(attributes or {})
        if email is not None:
            attrs["email"] = email
        return self.public.sign_up(
            ClientId=self.client_id,
            Username=username,
            Password=password,
            UserAttributes=[{"Name": k, "Value": v} for k, v in attrs.items()],
            **self.hash_for(username),
            **kwargs,
        )

    def confirm_sign_up(self, username: str, code: str) -> dict:
        return self.public.confirm_sign_up(ClientId=self.client_id, Username=username,
                                           ConfirmationCode=code, **self.hash_for(username))

    def new_account(self, password: str = STRONG_PASSWORD, attributes: dict | None = None) -> Account:
        """SignUp, the code from the mail, ConfirmSignUp: a CONFIRMED user with a verified email."""
        username = self.new_username()
        email = f"{username}@example.com"
        response = self.sign_up(username, password, email, attributes)
        self.confirm_sign_up(username, self.mail.next_code(email))
        return Account(username, password, email, response["UserSub"])

    def initiate_auth(self, flow: str, params: dict, username: str | None = None, **kwargs) -> dict:
        params = dict(params)
        if username is not None:
            params.update(self.auth_hash(username))
        return self.public.initiate_auth(ClientId=self.client_id, AuthFlow=flow,
                                         AuthParameters=params, **kwargs)

    def password_auth(self, username: str, password: str) -> dict:
        response = self.initiate_auth("USER_PASSWORD_AUTH",
                                      {"USERNAME": username, "PASSWORD": password}, username)
        assert "ChallengeName" not in response, response
        return response["AuthenticationResult"]

    def sign_in(self, account: Account) -> dict:
        return self.password_auth(account.username, account.password)

    def refresh(self, refresh_token: str, username: str) -> dict:
        response = self.initiate_auth("REFRESH_TOKEN_AUTH", {"REFRESH_TOKEN": refresh_token},
                                      username)
        return response["AuthenticationResult"]


class AppFactory:
    def __init__(self, idp, public, mail, server, pool_factory, unique):
        self.idp = idp
        self.public = public
        self.mail = mail
        self.server = server
        self.pool_factory = pool_factory
        self.unique = unique

    def __call__(self, pool: dict | None = None, client: dict | None = None,
                 secret: bool = False) -> App:
        pool_args = {"AutoVerifiedAttributes": ["email"]}
        pool_args.update(pool or {})
        created_pool = self.pool_factory(**pool_args)
        client_args = {"ClientName": self.unique("app"), "ExplicitAuthFlows": DEFAULT_FLOWS,
                       "GenerateSecret": secret}
        client_args.update(client or {})
        created_client = self.idp.create_user_pool_client(
            UserPoolId=created_pool["Id"], **client_args)["UserPoolClient"]
        return App(self, created_pool, created_client)

    def client_for(self, app: App, secret: bool = False, **client_args) -> App:
        """Another app client of the same pool."""
        args = {"ClientName": self.unique("app"), "ExplicitAuthFlows": DEFAULT_FLOWS,
                "GenerateSecret": secret}
        args.update(client_args)
        created = self.idp.create_user_pool_client(UserPoolId=app.pool_id, **args)["UserPoolClient"]
        return App(self, app.pool, created)
