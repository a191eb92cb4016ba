//! Who is calling. The server authenticates the caller before core runs; an IAM-only
//! operation takes an [`Iam`] and cannot be reached without one.

/// Proof that the request carried a valid SigV4 signature from a configured admin key.
/// Only the server's signature check constructs it.
#[derive(Debug, Clone)]
pub struct Iam {
    pub access_key_id: String,
}

#[derive(Debug, Clone)]
pub enum Caller {
    Iam(Iam),
    /// Unsigned (or signature ignored): authorised by client id, secret hash or access token.
    Public,
}
