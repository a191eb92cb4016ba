//! The storage ports: one small trait per aggregate. Each method is atomic (one
//! transaction). Uniqueness (pool ids, client ids, usernames and aliases, group names) is
//! enforced by the database, and reported as [`StoreError::Conflict`].

use async_trait::async_trait;

use crate::entities::{
    AppClient, AuthSession, ConfirmationCode, Group, RefreshToken, SigningKey, User, UserFilter,
    UserPool,
};
use crate::entities::{Identity, IdentityLogin, IdentityPool};
use crate::mail::{Email, OutboxMessage};
use crate::oauth::{ResourceServer, UserPoolDomain};

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
    /// Inserts `users` (bulk loads). The SQL store commits them all or none, in one
    /// transaction; the default inserts them one by one, and stops at the first error.
    async fn insert_users(&self, users: &[User]) -> StoreResult<()> {
        for user in users {
            self.insert_user(user).await?;
        }
        Ok(())
    }
    /// The user holding login key `key` (`u:alice`, `email:a@example.com`).
    async fn get_user_by_key(&self, pool_id: &str, key: &str) -> StoreResult<Option<User>>;
    async fn get_user_by_sub(&self, pool_id: &str, sub: &str) -> StoreResult<Option<User>>;
    /// Writes the user and replaces its login keys, if the stored version is still
    /// `user.version`. `VersionMismatch`, `NotFound` or `Conflict { key }` otherwise.
    async fn update_user(&self, user: &User) -> StoreResult<()>;
    /// Writes only `user.data` (counters such as failed sign-ins; no attribute, status or
    /// key changes), under the same version rule as [`UserStore::update_user`]: a single
    /// statement on the hot path of a failed sign-in.
    async fn update_user_data(&self, user: &User) -> StoreResult<()> {
        self.update_user(user).await
    }
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
    async fn get_code(
        &self,
        pool_id: &str,
        sub: &str,
        purpose: &str,
    ) -> StoreResult<Option<ConfirmationCode>>;
    /// Counts one wrong attempt and returns the new count (`NotFound` if there is no code).
    async fn record_code_failure(
        &self,
        pool_id: &str,
        sub: &str,
        purpose: &str,
    ) -> StoreResult<i64>;
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
    async fn revoke_token_family(
        &self,
        pool_id: &str,
        family_id: &str,
        at_ms: i64,
    ) -> StoreResult<()>;
    /// Revokes every family of a user (GlobalSignOut, disable, delete).
    async fn revoke_user_token_families(
        &self,
        pool_id: &str,
        sub: &str,
        at_ms: i64,
    ) -> StoreResult<()>;
    /// When the family was revoked; `None` while it is live. `NotFound` for an unknown
    /// family (its user was deleted, say), which callers treat as revoked.
    async fn token_family_revoked_at(
        &self,
        pool_id: &str,
        family_id: &str,
    ) -> StoreResult<Option<i64>>;
}

#[async_trait]
pub trait DeviceStore: Send + Sync {
    /// Stores a device a sign-in has just handed out, first dropping the user's oldest
    /// unconfirmed devices so that at most `keep_unconfirmed` remain with the new one (a
    /// client that never confirms its devices does not pile them up). `Conflict` if the
    /// key is taken; `NotFound` if the user is gone.
    async fn insert_device(
        &self,
        device: &crate::entities::Device,
        keep_unconfirmed: usize,
    ) -> StoreResult<()>;
    /// The user's device `device_key`, confirmed or not.
    async fn get_device(
        &self,
        pool_id: &str,
        sub: &str,
        device_key: &str,
    ) -> StoreResult<Option<crate::entities::Device>>;
    /// The group key of the user's devices, if it has any.
    async fn get_device_group_key(&self, pool_id: &str, sub: &str) -> StoreResult<Option<String>>;
    /// ConfirmDevice: writes the verifier, name, attributes, status and modified time of a
    /// device that has no verifier yet. `NotFound` if absent; `Conflict { key:
    /// "device:<key>" }` if it is already confirmed.
    async fn confirm_device(&self, device: &crate::entities::Device) -> StoreResult<()>;
    /// `NotFound` if absent.
    async fn set_device_status(
        &self,
        pool_id: &str,
        sub: &str,
        device_key: &str,
        status: monban_wire::idp::DeviceRememberedStatusType,
        at_ms: i64,
    ) -> StoreResult<()>;
    /// Records a sign-in the device proved itself in. `NotFound` if absent.
    async fn record_device_authentication(
        &self,
        pool_id: &str,
        sub: &str,
        device_key: &str,
        at_ms: i64,
    ) -> StoreResult<()>;
    /// `NotFound` if absent.
    async fn delete_device(&self, pool_id: &str, sub: &str, device_key: &str) -> StoreResult<()>;
    /// The user's confirmed devices ordered by key, starting after `after`.
    async fn list_devices(
        &self,
        pool_id: &str,
        sub: &str,
        after: Option<&str>,
        limit: usize,
    ) -> StoreResult<Vec<crate::entities::Device>>;
}

#[async_trait]
pub trait ResetStore: Send + Sync {
    /// Deletes every row (pools, clients, users, groups, sessions, codes, tokens, outbox
    /// messages, server-wide secrets) in one transaction, leaving the database as a fresh
    /// one: development mode's reset. Only the schema stays.
    async fn reset_all(&self) -> StoreResult<()>;
}

#[async_trait]
pub trait SmsOutboxStore: Send + Sync {
    /// Keeps a text message (the SMS outbox, when no SMS webhook is configured).
    async fn insert_sms(&self, created_ms: i64, sms: &crate::sms::Sms) -> StoreResult<i64>;
    /// Messages ordered by id, after `after_id`.
    async fn list_sms(
        &self,
        after_id: Option<i64>,
        limit: usize,
    ) -> StoreResult<Vec<crate::sms::SmsOutboxMessage>>;
}

#[async_trait]
pub trait IdentityPoolStore: Send + Sync {
    /// `Conflict` if the id is taken.
    async fn insert_identity_pool(&self, pool: &IdentityPool) -> StoreResult<()>;
    async fn get_identity_pool(&self, id: &str) -> StoreResult<Option<IdentityPool>>;
    /// Writes `pool` if the stored version is still `pool.version` (then increments it);
    /// `VersionMismatch` otherwise, `NotFound` if the pool is gone.
    async fn update_identity_pool(&self, pool: &IdentityPool) -> StoreResult<()>;
    /// Deletes the pool with its identities and their logins. `NotFound` if absent.
    async fn delete_identity_pool(&self, id: &str) -> StoreResult<()>;
    /// Pools ordered by id, starting after `after`.
    async fn list_identity_pools(
        &self,
        after: Option<&str>,
        limit: usize,
    ) -> StoreResult<Vec<IdentityPool>>;
}

/// Identities and their logins. A login (pool, provider, subject) belongs to at most one
/// identity, by database constraint: `Conflict { key: "login:<provider>:<subject>" }`.
#[async_trait]
pub trait IdentityStore: Send + Sync {
    /// Inserts the identity with its logins. `Conflict` if a login is linked already,
    /// `NotFound` if the pool is gone.
    async fn insert_identity(&self, identity: &Identity) -> StoreResult<()>;
    /// With its logins.
    async fn get_identity(&self, identity_id: &str) -> StoreResult<Option<Identity>>;
    /// The identity a login is linked to.
    async fn find_identity_by_login(
        &self,
        pool_id: &str,
        provider: &str,
        subject: &str,
    ) -> StoreResult<Option<Identity>>;
    /// Moves every login of the identities in `merge` (same pool) to `identity_id` and
    /// deletes them, then links `logins` (those already linked to it stay), and sets
    /// `modified_ms`; returns the identity as it is then. `NotFound` if `identity_id` is
    /// gone, `Conflict` if a login is linked to an identity not in `merge`.
    async fn link_identity_logins(
        &self,
        identity_id: &str,
        logins: &[IdentityLogin],
        merge: &[String],
        at_ms: i64,
    ) -> StoreResult<Identity>;
    /// Unlinks `logins` from the identity (others' logins are left alone) and sets
    /// `modified_ms`; an identity left without logins is disabled. Returns the identity as
    /// it is then; `NotFound` if it is gone.
    async fn unlink_identity_logins(
        &self,
        identity_id: &str,
        logins: &[IdentityLogin],
        at_ms: i64,
    ) -> StoreResult<Identity>;
    /// Deletes the identities with their logins; unknown ids are skipped. Returns how many
    /// were deleted.
    async fn delete_identities(&self, identity_ids: &[String]) -> StoreResult<u64>;
    /// A page of the pool's identities ordered by id, starting after `after`, with their
    /// logins; without the disabled ones if `hide_disabled`.
    async fn list_identities(
        &self,
        pool_id: &str,
        hide_disabled: bool,
        after: Option<&str>,
        limit: usize,
    ) -> StoreResult<Vec<Identity>>;
}

/// The OAuth side of a pool: its domains, its resource servers, and the scopes granted to
/// the token families the OAuth endpoints open.
#[async_trait]
pub trait OAuthStore: Send + Sync {
    /// `Conflict { key: "domain:<domain>" }` if the domain is taken (by any pool), `Conflict
    /// { key: "pool_domain:<pool>:<custom|prefix>" }` if the pool has a domain of that kind,
    /// `NotFound` if the pool is gone.
    async fn insert_domain(&self, domain: &UserPoolDomain) -> StoreResult<()>;
    async fn get_domain(&self, domain: &str) -> StoreResult<Option<UserPoolDomain>>;
    /// The pool's domains (at most one prefix and one custom), ordered by domain.
    async fn list_pool_domains(&self, pool_id: &str) -> StoreResult<Vec<UserPoolDomain>>;
    /// Writes the configuration of an existing domain of the pool; `NotFound` if absent.
    async fn update_domain(&self, domain: &UserPoolDomain) -> StoreResult<()>;
    /// `NotFound` if the pool has no such domain.
    async fn delete_domain(&self, pool_id: &str, domain: &str) -> StoreResult<()>;

    /// `Conflict` if the identifier is taken in the pool, `NotFound` if the pool is gone.
    async fn insert_resource_server(&self, server: &ResourceServer) -> StoreResult<()>;
    async fn get_resource_server(
        &self,
        pool_id: &str,
        identifier: &str,
    ) -> StoreResult<Option<ResourceServer>>;
    /// `NotFound` if absent.
    async fn update_resource_server(&self, server: &ResourceServer) -> StoreResult<()>;
    /// `NotFound` if absent.
    async fn delete_resource_server(&self, pool_id: &str, identifier: &str) -> StoreResult<()>;
    /// Ordered by identifier, starting after `after`.
    async fn list_resource_servers(
        &self,
        pool_id: &str,
        after: Option<&str>,
        limit: usize,
    ) -> StoreResult<Vec<ResourceServer>>;

    /// Records the scopes (space-separated) granted to a token family opened by the OAuth
    /// endpoints, so its refreshes keep them. `NotFound` if the family does not exist.
    async fn put_family_scopes(
        &self,
        pool_id: &str,
        family_id: &str,
        scopes: &str,
    ) -> StoreResult<()>;
    /// `None` for a family opened by the API (InitiateAuth and friends).
    async fn get_family_scopes(
        &self,
        pool_id: &str,
        family_id: &str,
    ) -> StoreResult<Option<String>>;
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
    + DeviceStore
    + SmsOutboxStore
    + ResetStore
    + IdentityPoolStore
    + IdentityStore
    + OAuthStore
    + crate::export::ExportStore
    + crate::audit::AuditStore
    + crate::hosted_ui::HostedUiStore
    + crate::mail::MailLogStore
    + crate::user_import::UserImportStore
    + crate::decoy_store::DecoyStore
{
    /// Cheap round trip to the database, for health checks.
    async fn ping(&self) -> StoreResult<()>;

    /// What checking an access token needs fresh: its user and the state of its token
    /// family. `None` if the user is gone. Backends answer in one round trip where they can
    /// (this runs on every self-service call).
    async fn get_token_user(
        &self,
        pool_id: &str,
        sub: &str,
        family_id: &str,
    ) -> StoreResult<Option<(User, TokenFamilyState)>> {
        let (user, revoked) = tokio::join!(
            self.get_user_by_sub(pool_id, sub),
            self.token_family_revoked_at(pool_id, family_id),
        );
        let family = match revoked {
            Ok(None) => TokenFamilyState::Live,
            Ok(Some(_)) => TokenFamilyState::Revoked,
            Err(StoreError::NotFound) => TokenFamilyState::Unknown,
            Err(e) => return Err(e),
        };
        Ok(user?.map(|user| (user, family)))
    }
}

/// Where a token family stands, for [`Store::get_token_user`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenFamilyState {
    Live,
    /// RevokeToken or GlobalSignOut ended it.
    Revoked,
    /// No such family (its user was deleted and made again, say): as good as revoked.
    Unknown,
}
