//! Everything an operation needs besides its request: no globals, time and randomness
//! are arguments so that expiry and lockout are testable without sleeping.

use std::sync::Arc;

use crate::auth::server_secrets::ServerSecrets;
use crate::mail::Mailer;
use crate::password::HashParams;
use crate::store::Store;
use crate::tokens::KeyRing;

pub trait Clock: Send + Sync {
    /// Milliseconds since the Unix epoch.
    fn now_ms(&self) -> i64;
}

pub struct SystemClock;

impl Clock for SystemClock {
    fn now_ms(&self) -> i64 {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        i64::try_from(now.as_millis()).unwrap_or(i64::MAX)
    }
}

pub trait Rng: Send + Sync {
    fn fill(&self, buf: &mut [u8]);
}

/// The operating system's CSPRNG.
pub struct SystemRng;

impl Rng for SystemRng {
    fn fill(&self, buf: &mut [u8]) {
        use rand::RngCore;
        rand::rngs::OsRng.fill_bytes(buf);
    }
}

/// The settings core acts on (the server's own settings live in the binary).
#[derive(Debug, Clone)]
pub struct Settings {
    /// AWS region in ids and ARNs (`us-east-1`).
    pub region: String,
    /// Account id in ARNs.
    pub account_id: String,
    /// Base of token issuers and hosted-UI links, without a trailing slash.
    pub public_url: String,
    /// Sender of mail for pools on `COGNITO_DEFAULT` email.
    pub default_from: String,
    pub password_hashing: HashParams,
    /// The `iss` claim of tokens: monban's own URL, or the AWS form for verifiers that
    /// hard-code it.
    pub issuer_style: IssuerStyle,
    /// Lifetimes and attempt limits of confirmation and reset codes.
    pub codes: crate::codes::CodeSettings,
    /// Failed sign-in lockout thresholds (flows.md §4).
    pub lockout: crate::auth::flows::LockoutSettings,
    /// Where GetCredentialsForIdentity's credentials come from, and their lifetime.
    pub credentials: crate::credentials::CredentialSettings,
    /// OpenID Connect providers of identity pools and the port fetching their keys.
    pub identity_pools: crate::identity_pools::IdentityPoolSettings,
    /// The hosted UI's session lifetime.
    pub hosted_ui: crate::hosted_ui::HostedUiSettings,
    /// Trusted proxies (for the recorded source IP) and retention of the audit trail.
    pub audit: crate::audit::AuditSettings,
    /// Per-source token buckets on the public sign-in and sign-up operations.
    pub throttling: crate::throttling::ThrottleSettings,
    /// Prefix-domain base for `Host`-routed OAuth endpoints.
    pub oauth: crate::oauth::OAuthSettings,
}

/// How the `iss` claim of tokens is spelled (tokens.md §1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum IssuerStyle {
    /// `{public_url}/{userPoolId}`: an issuer that serves its own discovery and JWKS.
    #[default]
    Monban,
    /// `https://cognito-idp.{region}.amazonaws.com/{userPoolId}`, as Cognito's.
    Aws,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            region: "us-east-1".to_owned(),
            account_id: "000000000000".to_owned(),
            public_url: "http://127.0.0.1:9876".to_owned(),
            default_from: "no-reply@verificationemail.com".to_owned(),
            password_hashing: HashParams::default(),
            issuer_style: IssuerStyle::default(),
            codes: crate::codes::CodeSettings::default(),
            lockout: crate::auth::flows::LockoutSettings::default(),
            credentials: crate::credentials::CredentialSettings::default(),
            identity_pools: crate::identity_pools::IdentityPoolSettings::default(),
            hosted_ui: crate::hosted_ui::HostedUiSettings::default(),
            audit: crate::audit::AuditSettings::default(),
            throttling: crate::throttling::ThrottleSettings::default(),
            oauth: crate::oauth::OAuthSettings::default(),
        }
    }
}

#[derive(Clone)]
pub struct Cx {
    pub store: Arc<dyn Store>,
    pub clock: Arc<dyn Clock>,
    pub rng: Arc<dyn Rng>,
    pub mailer: Arc<dyn Mailer>,
    pub settings: Arc<Settings>,
    /// Parsed signing keys, cached per pool.
    pub keys: Arc<KeyRing>,
    /// Server-wide secrets shared by all nodes (SRP SECRET_BLOCK key, ...), cached.
    pub secrets: Arc<ServerSecrets>,
    /// Delivers Lambda trigger events (the webhook adapter; `NoTriggers` when none).
    pub triggers: Arc<dyn crate::triggers::Triggers>,
    /// Sends SMS (MFA codes): a webhook, or the outbox in the database.
    pub sms: Arc<dyn crate::sms::SmsSender>,
}

impl Cx {
    pub fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }
}

/// Epoch milliseconds as the wire's epoch seconds with a fraction.
pub fn wire_time(ms: i64) -> f64 {
    ms as f64 / 1000.0
}
