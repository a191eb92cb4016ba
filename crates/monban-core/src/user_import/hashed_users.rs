//! Users brought in with the password hash their old directory kept (`monban users
//! import-hashes`, one JSON object a line): CONFIRMED, their attributes checked against
//! the pool's schema as AdminCreateUser's are, and the [`ForeignHash`] stored until their
//! first password sign-in replaces it with the pool's Argon2id.

use std::collections::BTreeMap;

use monban_wire::idp::{AttributeType, UserStatusType};
use serde::Deserialize;

use crate::entities::{User, UserPool};
use crate::error::Error;
use crate::password::ForeignHash;
use crate::users::{
    check_required, import_password_hash, insert_new_user, new_user, validate_writes,
    AttributeWrite, KeyWrite, NewUser,
};
use crate::Cx;

/// One line of an import-hashes file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HashedUser {
    /// As AdminCreateUser's `Username` (an email or phone number in pools that sign in
    /// with them).
    pub username: String,
    #[serde(default)]
    pub attributes: BTreeMap<String, String>,
    pub hash: ForeignHash,
}

/// Creates the user; `UsernameExistsException` / `AliasExistsException` when a name is
/// taken, `InvalidParameterException` for a bad attribute or hash.
pub async fn import_hashed_user(
    cx: &Cx,
    pool: &UserPool,
    line: &HashedUser,
) -> Result<User, Error> {
    let writes: Vec<AttributeType> = line
        .attributes
        .iter()
        .map(|(name, value)| AttributeType {
            name: name.clone(),
            value: Some(value.clone()),
        })
        .collect();
    let changes = validate_writes(pool, &writes, AttributeWrite::Create)?;
    let NewUser { mut user, .. } = new_user(
        cx,
        pool,
        &line.username,
        &changes,
        UserStatusType::Confirmed,
    )?;
    check_required(pool, &user.attributes)?;
    import_password_hash(&mut user, &line.hash, cx.now_ms())?;
    insert_new_user(cx, pool, &user, KeyWrite::AdminCreateUser, false).await?;
    Ok(user)
}
