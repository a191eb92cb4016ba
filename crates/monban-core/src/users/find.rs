//! Finding a user by the name a caller gives: the username or an active alias (or an
//! email/phone used as username), as every admin API accepts wherever it asks for
//! `Username` — and, as the model documents, the user's `sub`.

use super::keys::lookup_keys;
use super::rules::NameRules;
use crate::entities::{User, UserPool};
use crate::error::Error;
use crate::Cx;

/// The user that `name` designates in `pool`, if any.
pub async fn lookup_user(cx: &Cx, pool: &UserPool, name: &str) -> Result<Option<User>, Error> {
    let rules = NameRules::of(pool);
    for key in lookup_keys(&rules, name) {
        if let Some(user) = cx.store.get_user_by_key(&pool.id, &key).await? {
            return Ok(Some(user));
        }
    }
    if uuid::Uuid::parse_str(name).is_ok() {
        return Ok(cx
            .store
            .get_user_by_sub(&pool.id, &name.to_ascii_lowercase())
            .await?);
    }
    Ok(None)
}

/// The user that `name` designates, or `UserNotFoundException: User does not exist.`
pub async fn find_user(cx: &Cx, pool: &UserPool, name: &str) -> Result<User, Error> {
    lookup_user(cx, pool, name)
        .await?
        .ok_or_else(Error::user_not_found)
}
