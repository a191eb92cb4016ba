//! Reading identity pools and identities with Cognito's not-found errors, and
//! read-modify-write of a pool under optimistic versioning.

use crate::entities::{Identity, IdentityPool};
use crate::error::Error;
use crate::pool_config::{update_with_retry, AttemptError};
use crate::store::StoreError;
use crate::Cx;

pub fn pool_not_found(pool_id: &str) -> Error {
    Error::resource_not_found(format!("IdentityPool '{pool_id}' not found."))
}

pub fn identity_not_found(identity_id: &str) -> Error {
    Error::resource_not_found(format!("Identity '{identity_id}' not found."))
}

/// The pool, or `ResourceNotFoundException: IdentityPool '<id>' not found.`
pub async fn load_identity_pool(cx: &Cx, pool_id: &str) -> Result<IdentityPool, Error> {
    cx.store
        .get_identity_pool(pool_id)
        .await?
        .ok_or_else(|| pool_not_found(pool_id))
}

/// The identity, or `ResourceNotFoundException: Identity '<id>' not found.`
pub async fn load_identity(cx: &Cx, identity_id: &str) -> Result<Identity, Error> {
    cx.store
        .get_identity(identity_id)
        .await?
        .ok_or_else(|| identity_not_found(identity_id))
}

/// The identity, if it belongs to `pool_id`; `ResourceNotFoundException` otherwise.
pub async fn load_identity_of_pool(
    cx: &Cx,
    pool_id: &str,
    identity_id: &str,
) -> Result<Identity, Error> {
    match cx.store.get_identity(identity_id).await? {
        Some(identity) if identity.pool_id == pool_id => Ok(identity),
        _ => Err(identity_not_found(identity_id)),
    }
}

/// Reads the pool, applies `change` and writes it back, again while another writer wins
/// the race; returns the pool as written.
pub async fn modify_identity_pool(
    cx: &Cx,
    pool_id: &str,
    change: impl Fn(&mut IdentityPool) -> Result<(), Error>,
) -> Result<IdentityPool, Error> {
    update_with_retry(|| async {
        let mut pool = load_identity_pool(cx, pool_id).await?;
        change(&mut pool)?;
        pool.modified_ms = cx.now_ms();
        match cx.store.update_identity_pool(&pool).await {
            Ok(()) => Ok(IdentityPool {
                version: pool.version + 1,
                ..pool
            }),
            Err(StoreError::NotFound) => Err(pool_not_found(pool_id).into()),
            Err(e) => Err(AttemptError::from(e)),
        }
    })
    .await
}
