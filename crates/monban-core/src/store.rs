//! The storage ports: one small trait per aggregate. Each method is atomic (one
//! transaction). Uniqueness (pool ids, client ids, usernames and aliases, group names) is
//! enforced by the database, and reported as [`StoreError::Conflict`].

use async_trait::async_trait;

use crate::entities::{
    AppClient, AuthSession, ConfirmationCode, Group, RefreshToken, SigningKey, User, UserFilter, UserPool,
};
use crate::mail::{Email, OutboxMessage};

#[derive(Debug)]
pub enum StoreError {
    NotFound,
    /// A unique key is taken: `key` names it (for users, the login key such as `u:alice`).
    Conflict {
        key: String,
    },
    /// An update was made from a version that is no longer current.
    VersionMismatch,
    /// The database failed or could not be reached; the cause is for the log.
    Unavailable(String),
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NotFound => f.write_str("not found"),
            Self::Conflict { key } => write!(f, "conflict on {key}"),
            Self::VersionMismatch => f.write_str("version mismatch"),
            Self::Unavailable(cause) => write!(f, "store unavailable: {cause}"),
        }
    }
}

impl std::error::Error for StoreError {}

pub type StoreResult<T> = Result<T, StoreError>;

#[async_trait]
pub trait UserPoolStore: Send + Sync {
    /// `Conflict` if the id is taken.
    async fn insert_user_pool(&self, pool: &UserPool) -> StoreResult<()>;
    async fn get_user_pool(&self, id: &str) -> StoreResult<Option<UserPool>>;
    /// Writes `pool` if the stored version is still `pool.version` (then increments it);
    /// `VersionMismatch` otherwise, `NotFound` if the pool is gone.
    async fn update_user_pool(&self, pool: &UserPool) -> StoreResult<()>;
    /// Deletes the pool with its clients, users and groups. `NotFound` if absent.
    async fn delete_user_pool(&self, id: &str) -> StoreResult<()>;
    /// Pools ordered by id, starting after `after`.
    async fn list_user_pools(
        &self,
        after: Option<&str>,
        limit: usize,
    ) -> StoreResult<Vec<UserPool>>;
    async fn count_users(&self, pool_id: &str) -> StoreResult<i64>;
}

#[async_trait]
pub trait AppClientStore: Send + Sync {
    async fn insert_app_client(&self, client: &AppClient) -> StoreResult<()>;
    /// Client ids are unique across pools, so public operations find a client by id alone.
    async fn get_app_client(&self, client_id: &str) -> StoreResult<Option<AppClient>>;
    /// Same versioning rule as `update_user_pool`.
    async fn update_app_client(&self, client: &AppClient) -> StoreResult<()>;
    async fn delete_app_client(&self, pool_id: &str, client_id: &str) -> StoreResult<()>;
    /// Clients of a pool ordered by client id, starting after `after`.
    async fn list_app_clients(
        &self,
        pool_id: &str,
        after: Option<&str>,
        limit: usize,
    ) -> StoreResult<Vec<AppClient>>;
}

#[async_trait]
pub trait UserStore: Send + Sync {
    /// Inserts the user with its login keys; `Conflict { key }` names a key already taken.
    async fn insert_user(&self, user: &User) -> StoreResult<()>;
    /// The user holding login key `key` (`u:alice`, `email:a@example.com`).
    async fn get_user_by_key(&self, pool_id: &str, key: &str) -> StoreResult<Option<User>>;
    async fn get_user_by_sub(&self, pool_id: &str, sub: &str) -> StoreResult<Option<User>>;
    /// Writes the user and replaces its login keys, if the stored version is still
    /// `user.version`. `VersionMismatch`, `NotFound` or `Conflict { key }` otherwise.
    async fn update_user(&self, user: &User) -> StoreResult<()>;
    /// Deletes the user, its keys and its group memberships. `NotFound` if absent.
    async fn delete_user(&self, pool_id: &str, sub: &str) -> StoreResult<()>;
    /// Users ordered by username, starting after the username `after`, matching `filter`.
    async fn list_users(
        &self,
        pool_id: &str,
        filter: Option<&UserFilter>,
        after: Option<&str>,
        limit: usize,
    ) -> StoreResult<Vec<User>>;
}

#[async_trait]
pub trait GroupStore: Send + Sync {
    /// `Conflict` if the name is taken in the pool.
    async fn insert_group(&self, group: &Group) -> StoreResult<()>;
    async fn get_group(&self, pool_id: &str, name: &str) -> StoreResult<Option<Group>>;
    /// `NotFound` if absent.
    async fn update_group(&self, group: &Group) -> StoreResult<()>;
    /// Deletes the group and its memberships. `NotFound` if absent.
    async fn delete_group(&self, pool_id: &str, name: &str) -> StoreResult<()>;
    /// Groups ordered by name, starting after `after`.
    async fn list_groups(
        &self,
        pool_id: &str,
        after: Option<&str>,
        limit: usize,
    ) -> StoreResult<Vec<Group>>;
    /// Idempotent.
    async fn add_user_to_group(&self, pool_id: &str, group: &str, sub: &str) -> StoreResult<()>;
    /// Idempotent.
    async fn remove_user_from_group(
        &self,
        pool_id: &str,
        group: &str,
        sub: &str,
    ) -> StoreResult<()>;
    /// The user's groups ordered by name, starting after `after`.
    async fn list_groups_for_user(
        &self,
        pool_id: &str,
        sub: &str,
        after: Option<&str>,
        limit: usize,
    ) -> StoreResult<Vec<Group>>;
    /// Members ordered by username, starting after the username `after`.
    async fn list_users_in_group(
        &self,
        pool_id: &str,
        group: &str,
        after: Option<&str>,
        limit: usize,
    ) -> StoreResult<Vec<User>>;
}

#[async_trait]
pub trait OutboxStore: Send + Sync {
    async fn insert_outbox(&self, created_ms: i64, email: &Email) -> StoreResult<i64>;
    /// Messages ordered by id, after `after_id`.
    async fn list_outbox(
        &self,
        after_id: Option<i64>,
        limit: usize,
    ) -> StoreResult<Vec<OutboxMessage>>;
}

#[async_trait]
pub trait SigningKeyStore: Send + Sync {
    /// `Conflict` if the kid is taken.
    async fn insert_signing_key(&self, key: &SigningKey) -> StoreResult<()>;
    /// Every key of a pool (both token uses), newest first.
    async fn list_signing_keys(&self, pool_id: &str) -> StoreResult<Vec<SigningKey>>;
}

#[async_trait]
pub trait SecretStore: Send + Sync {
    /// The server-wide secret called `name`, stored from `candidate` if there is none yet.
    /// The first writer wins, so every node ends up with the same secret.
    async fn get_or_insert_secret(&self, name: &str, candidate: &[u8]) -> StoreResult<Vec<u8>>;
}

#[async_trait]
pub trait AuthSessionStore: Send + Sync {
    /// Stores the state of a challenge; `Conflict` if the id is taken. May also delete
    /// sessions that expired before `session.created_ms`.
    async fn insert_auth_session(&self, session: &AuthSession) -> StoreResult<()>;
    /// Removes and returns the session in one step, so a session works once even when two
    /// nodes race for it.
    async fn take_auth_session(&self, id: &str) -> StoreResult<Option<AuthSession>>;
    /// Records that a single-use value (an SRP SECRET_BLOCK, say) was consumed; `Conflict` if
    /// it already was. Entries may be forgotten after `expires_ms`.
    async fn consume_once(&self, id: &str, expires_ms: i64) -> StoreResult<()>;
}

#[async_trait]
pub trait CodeStore: Send + Sync {
    /// Stores the code, replacing any earlier code of the same purpose for the user.
    async fn put_code(&self, code: &ConfirmationCode) -> StoreResult<()>;
    async fn get_code(&self, pool_id: &str, sub: &str, purpose: &str) -> StoreResult<Option<ConfirmationCode>>;
    /// Counts one wrong attempt and returns the new count (`NotFound` if there is no code).
    async fn record_code_failure(&self, pool_id: &str, sub: &str, purpose: &str) -> StoreResult<i64>;
    /// Deletes the code; true if this call deleted it (so a code is used once under races).
    async fn delete_code(&self, pool_id: &str, sub: &str, purpose: &str) -> StoreResult<bool>;
}

#[async_trait]
pub trait RefreshTokenStore: Send + Sync {
    /// Stores a refresh token (by the hash of its value) and opens its family if new.
    async fn insert_refresh_token(&self, token: &RefreshToken) -> StoreResult<()>;
    async fn get_refresh_token(&self, token_hash: &str) -> StoreResult<Option<RefreshToken>>;
    /// Marks a rotated-out token as replaced at `at_ms`; false if it already was (reuse).
    async fn mark_refresh_token_replaced(&self, token_hash: &str, at_ms: i64) -> StoreResult<bool>;
    /// Revokes one family (RevokeToken): its refresh tokens and the access tokens naming it.
    async fn revoke_token_family(&self, pool_id: &str, family_id: &str, at_ms: i64) -> StoreResult<()>;
    /// Revokes every family of a user (GlobalSignOut, disable, delete).
    async fn revoke_user_token_families(&self, pool_id: &str, sub: &str, at_ms: i64) -> StoreResult<()>;
    /// When the family was revoked; `None` while it is live. `NotFound` for an unknown
    /// family (its user was deleted, say), which callers treat as revoked.
    async fn token_family_revoked_at(&self, pool_id: &str, family_id: &str) -> StoreResult<Option<i64>>;
}

/// Everything core stores.
#[async_trait]
pub trait Store:
    UserPoolStore
    + AppClientStore
    + UserStore
    + GroupStore
    + OutboxStore
    + SigningKeyStore
    + SecretStore
    + AuthSessionStore
    + CodeStore
    + RefreshTokenStore
{
    /// Cheap round trip to the database, for health checks.
    async fn ping(&self) -> StoreResult<()>;
}
