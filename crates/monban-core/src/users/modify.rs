//! Read-modify-write of one user under optimistic versioning: the change is applied to the
//! freshly read user, the login keys recomputed, and the write retried when another writer
//! got there first (then `ConcurrentModificationException`).

use super::conflict::{map_store_error, KeyWrite};
use super::find::find_user;
use super::keys::login_keys;
use super::rules::NameRules;
use crate::entities::{User, UserPool};
use crate::error::Error;
use crate::pool_config::{update_with_retry, AttemptError};
use crate::store::StoreError;
use crate::Cx;

/// Which user to change.
#[derive(Debug, Clone, Copy)]
pub enum Target<'a> {
    /// A name as a caller gives it (username or alias), resolved as [`find_user`] does.
    Name(&'a str),
    Sub(&'a str),
}

/// Applies `change` to the user and stores it; returns the user as stored. `change` may
/// run several times (once per attempt), each time on a fresh read.
pub async fn modify_user<F>(
    cx: &Cx,
    pool: &UserPool,
    target: Target<'_>,
    write: KeyWrite,
    change: F,
) -> Result<User, Error>
where
    F: Fn(&mut User) -> Result<(), Error>,
{
    let rules = NameRules::of(pool);
    let (rules, change) = (&rules, &change);
    update_with_retry(|| async move {
        let mut user = match target {
            Target::Name(name) => find_user(cx, pool, name).await?,
            Target::Sub(sub) => cx
                .store
                .get_user_by_sub(&pool.id, sub)
                .await?
                .ok_or_else(Error::user_not_found)?,
        };
        change(&mut user)?;
        user.modified_ms = cx.now_ms();
        user.keys = login_keys(rules, &user.username, &user.attributes);
        match cx.store.update_user(&user).await {
            Ok(()) => {
                user.version += 1;
                Ok(user)
            }
            Err(StoreError::VersionMismatch) => Err(AttemptError::Lost),
            Err(e) => Err(AttemptError::Failed(map_store_error(rules, e, write))),
        }
    })
    .await
}
