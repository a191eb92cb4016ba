/// The server side of a challenge in progress (InitiateAuth → RespondToAuthChallenge),
/// named by the hash of the opaque `Session` the client holds, so any node can continue it.
#[derive(Clone, PartialEq, Eq)]
pub struct AuthSession {
    /// SHA-256 (hex) of the `Session` value; the value itself is never stored.
    pub id: String,
    pub pool_id: String,
    pub client_id: String,
    /// Internal username of the user being signed in.
    pub username: String,
    /// The challenge the client must answer next (`NEW_PASSWORD_REQUIRED`, …).
    pub challenge: String,
    /// Flow state as a JSON document, owned by the flow that wrote it.
    pub state: String,
    pub created_ms: i64,
    pub expires_ms: i64,
}

impl std::fmt::Debug for AuthSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthSession")
            .field("pool_id", &self.pool_id)
            .field("client_id", &self.client_id)
            .field("username", &self.username)
            .field("challenge", &self.challenge)
            .field("expires_ms", &self.expires_ms)
            .finish()
    }
}
