/// A refresh token, stored by the hash of its opaque value, and the family it belongs to
/// (`origin_jti`: every token issued from one sign-in and its refreshes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefreshToken {
    /// SHA-256 (hex) of the token value.
    pub token_hash: String,
    pub pool_id: String,
    pub client_id: String,
    pub sub: String,
    /// `origin_jti` of the tokens issued with it.
    pub family_id: String,
    /// When the user originally authenticated (`auth_time`), kept across refreshes.
    pub auth_time_ms: i64,
    pub device_key: Option<String>,
    pub created_ms: i64,
    pub expires_ms: i64,
    /// Set when rotation replaced this token (reuse after the grace period is refused).
    pub replaced_ms: Option<i64>,
    /// When its family was revoked, as read from the store.
    pub revoked_ms: Option<i64>,
    /// The scopes the OAuth endpoints granted its family, as read from the store
    /// (`put_family_scopes` writes them; `insert_refresh_token` does not).
    pub family_scopes: Option<String>,
}
