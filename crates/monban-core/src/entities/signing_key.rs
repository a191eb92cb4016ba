/// An RSA key that signs a pool's ID or access tokens.
#[derive(Clone, PartialEq, Eq)]
pub struct SigningKey {
    pub pool_id: String,
    /// Key id in token headers and the JWKS; unique across pools.
    pub kid: String,
    /// `id` or `access`: the two token types are signed with different keys.
    pub token_use: String,
    /// PKCS#8 DER of the private key.
    pub private_key_der: Vec<u8>,
    pub created_ms: i64,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKey")
            .field("pool_id", &self.pool_id)
            .field("kid", &self.kid)
            .field("token_use", &self.token_use)
            .field("created_ms", &self.created_ms)
            .finish()
    }
}
