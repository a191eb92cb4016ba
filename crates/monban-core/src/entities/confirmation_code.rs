/// A code sent to a user: sign-up confirmation, password reset, attribute verification.
#[derive(Clone, PartialEq, Eq)]
pub struct ConfirmationCode {
    pub pool_id: String,
    pub sub: String,
    /// What the code confirms: `sign_up`, `forgot_password`, `verify:email`, …
    pub purpose: String,
    /// Keyed hash of the code; the code itself is never stored.
    pub code_hash: String,
    pub created_ms: i64,
    pub expires_ms: i64,
    pub failed_attempts: i64,
    /// Purpose-specific detail (the pending attribute value, say), as JSON.
    pub data: String,
}

impl std::fmt::Debug for ConfirmationCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConfirmationCode")
            .field("pool_id", &self.pool_id)
            .field("sub", &self.sub)
            .field("purpose", &self.purpose)
            .field("expires_ms", &self.expires_ms)
            .field("failed_attempts", &self.failed_attempts)
            .finish()
    }
}
