//! Temporary AWS-style credentials for an identity-pool identity (GetCredentialsForIdentity).
//! monban has no AWS account, so where credentials come from is a setting
//! ([`CredentialSource`]):
//!
//! - `Monban` (default): monban mints them itself ([`mint`]). The access key id is
//!   `ASIA…`, the secret is random, and the session token is a sealed envelope
//!   (XChaCha20-Poly1305 under a server-wide key) holding the identity, identity pool, role,
//!   expiry and the secret itself: nothing is stored, no secret is ever written anywhere,
//!   and every node can open what another minted. A request SigV4-signed with such
//!   credentials is checked by [`open_session`] (the server's verification endpoint), which
//!   answers which identity and role they carry.
//! - `Upstream`: an STS-compatible endpoint (AWS STS, MinIO, moto...) is called with
//!   `AssumeRoleWithWebIdentity` and monban's OpenID token for the identity
//!   ([`assume_role_with_web_identity`]); its credentials are passed through.

mod mint;
mod session;
mod sts;
mod sts_xml;

use std::sync::Arc;
use std::time::Duration;

pub use mint::{mint, open_session, SessionRefusal};
pub use session::SessionCredentials;
pub use sts::{
    assume_role_with_web_identity, HttpReply, StsTransport, Upstream, ROLE_SESSION_NAME,
};
pub use sts_xml::{parse_assume_role_response, parse_error_response, StsError};

use crate::cx::wire_time;
use crate::wire::identity::Credentials;

/// Cognito's lifetime of the credentials of GetCredentialsForIdentity.
pub const DEFAULT_DURATION: Duration = Duration::from_secs(3600);

/// Where the credentials of GetCredentialsForIdentity come from, and how long they live.
#[derive(Debug, Clone)]
pub struct CredentialSettings {
    pub source: CredentialSource,
    /// Lifetime of minted credentials, and the `DurationSeconds` asked of an upstream STS.
    pub duration: Duration,
}

impl Default for CredentialSettings {
    fn default() -> Self {
        Self {
            source: CredentialSource::default(),
            duration: DEFAULT_DURATION,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub enum CredentialSource {
    /// monban mints and verifies the credentials itself.
    #[default]
    Monban,
    /// An STS-compatible endpoint issues them for monban's OpenID token.
    Upstream(Arc<Upstream>),
}

/// Who the credentials are for: the identity and the role resolved for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub identity_pool_id: String,
    pub identity_id: String,
    pub role_arn: String,
    /// False for a guest (unauthenticated) identity.
    pub authenticated: bool,
}

/// An access key, its secret and session token, and when they expire. `Debug` hides the
/// secret.
#[derive(Clone, PartialEq, Eq)]
pub struct TemporaryCredentials {
    pub access_key_id: String,
    pub secret_access_key: String,
    pub session_token: String,
    pub expires_ms: i64,
}

impl std::fmt::Debug for TemporaryCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TemporaryCredentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"<redacted>")
            .field("session_token", &"<redacted>")
            .field("expires_ms", &self.expires_ms)
            .finish()
    }
}

impl TemporaryCredentials {
    /// The `Credentials` shape of GetCredentialsForIdentity.
    pub fn to_wire(&self) -> Credentials {
        Credentials {
            access_key_id: Some(self.access_key_id.clone()),
            secret_key: Some(self.secret_access_key.clone()),
            session_token: Some(self.session_token.clone()),
            expiration: Some(wire_time(self.expires_ms)),
        }
    }
}

/// `duration` in milliseconds, saturating (a lifetime too long for `i64` never expires).
fn duration_ms(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}
