//! Reading pools and clients, and read-modify-write under optimistic versioning.

use std::future::Future;

use crate::entities::{AppClient, UserPool};
use crate::error::{Error, ErrorKind};
use crate::store::StoreError;
use crate::Cx;

/// How many times a read-modify-write is retried after losing a race.
pub const VERSION_RETRIES: usize = 5;

/// The pool, or `ResourceNotFoundException: User pool <id> does not exist.`
pub async fn load_pool(cx: &Cx, pool_id: &str) -> Result<UserPool, Error> {
    cx.store
        .get_user_pool(pool_id)
        .await?
        .ok_or_else(|| Error::pool_not_found(pool_id))
}

/// The app client of this pool, or `ResourceNotFoundException` (also when the client
/// belongs to another pool: client ids are global, but an admin names both).
pub async fn load_client(cx: &Cx, pool_id: &str, client_id: &str) -> Result<AppClient, Error> {
    match cx.store.get_app_client(client_id).await? {
        Some(client) if client.pool_id == pool_id => Ok(client),
        _ => Err(Error::client_not_found(client_id)),
    }
}

/// Runs `attempt` (which reads, changes and writes with the version it read) until it does
/// not lose a race, at most [`VERSION_RETRIES`] times; then
/// `ConcurrentModificationException`. Any other error ends the loop.
pub async fn update_with_retry<T, F, Fut>(mut attempt: F) -> Result<T, Error>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, AttemptError>>,
{
    for _ in 0..VERSION_RETRIES {
        match attempt().await {
            Ok(value) => return Ok(value),
            Err(AttemptError::Lost) => continue,
            Err(AttemptError::Failed(e)) => return Err(e),
        }
    }
    Err(Error::new(
        ErrorKind::ConcurrentModificationException,
        "The resource was changed concurrently; retry the request.",
    ))
}

/// The outcome of one read-modify-write attempt that did not succeed.
pub enum AttemptError {
    /// The stored version moved on: read again and retry.
    Lost,
    Failed(Error),
}

impl From<Error> for AttemptError {
    fn from(e: Error) -> Self {
        Self::Failed(e)
    }
}

impl From<StoreError> for AttemptError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::VersionMismatch => Self::Lost,
            other => Self::Failed(other.into()),
        }
    }
}

/// Writes a pool read earlier in this attempt: a lost race is retried, a pool deleted
/// meanwhile is `ResourceNotFoundException`.
pub async fn save_pool(cx: &Cx, pool: &UserPool) -> Result<(), AttemptError> {
    match cx.store.update_user_pool(pool).await {
        Ok(()) => Ok(()),
        Err(StoreError::NotFound) => Err(Error::pool_not_found(&pool.id).into()),
        Err(e) => Err(e.into()),
    }
}

/// Writes a client read earlier in this attempt, as [`save_pool`] does a pool.
pub async fn save_client(cx: &Cx, client: &AppClient) -> Result<(), AttemptError> {
    match cx.store.update_app_client(client).await {
        Ok(()) => Ok(()),
        Err(StoreError::NotFound) => Err(Error::client_not_found(&client.client_id).into()),
        Err(e) => Err(e.into()),
    }
}
