//! The hosted UI's sign-in session: a random value in an HttpOnly cookie names a row (by
//! its SHA-256, so the database never holds a usable cookie). Valid for the pool's pages
//! until it expires or `/logout` deletes it.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

use crate::entities::User;
use crate::error::Error;
use crate::tokens::token_hash;
use crate::Cx;

/// 256 bits, base64url.
const SESSION_BYTES: usize = 32;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostedUiSession {
    /// SHA-256 of the cookie value.
    pub id: String,
    pub pool_id: String,
    pub sub: String,
    /// When the user signed in (the tokens' `auth_time`).
    pub auth_time_ms: i64,
    pub created_ms: i64,
    pub expires_ms: i64,
}

/// Opens a session for `user` of `pool_id` and returns the cookie value.
pub async fn open_session(
    cx: &Cx,
    pool_id: &str,
    user: &User,
    auth_time_ms: i64,
) -> Result<String, Error> {
    let mut bytes = [0u8; SESSION_BYTES];
    cx.rng.fill(&mut bytes);
    let value = URL_SAFE_NO_PAD.encode(bytes);
    let now = cx.now_ms();
    cx.store
        .insert_hosted_ui_session(&HostedUiSession {
            id: token_hash(&value),
            pool_id: pool_id.to_owned(),
            sub: user.sub.clone(),
            auth_time_ms,
            created_ms: now,
            expires_ms: now.saturating_add(cx.settings.hosted_ui.session_lifetime_ms),
        })
        .await?;
    Ok(value)
}

/// The user the cookie value `cookie` signed in to `pool_id`, and when, if the session is
/// alive and the user still exists and is enabled.
pub async fn signed_in_user(
    cx: &Cx,
    pool_id: &str,
    cookie: &str,
) -> Result<Option<(User, i64)>, Error> {
    let Some(session) = cx.store.get_hosted_ui_session(&token_hash(cookie)).await? else {
        return Ok(None);
    };
    if session.pool_id != pool_id || session.expires_ms <= cx.now_ms() {
        return Ok(None);
    }
    let user = cx
        .store
        .get_user_by_sub(pool_id, &session.sub)
        .await?
        .filter(|u| u.enabled);
    Ok(user.map(|u| (u, session.auth_time_ms)))
}

/// Ends the session named by the cookie value (nothing if there is none).
pub async fn end_session(cx: &Cx, cookie: &str) -> Result<(), Error> {
    cx.store
        .delete_hosted_ui_session(&token_hash(cookie))
        .await?;
    Ok(())
}
