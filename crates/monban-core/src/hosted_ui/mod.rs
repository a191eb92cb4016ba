//! The hosted UI's state, without HTTP: the sign-in session behind its cookie (so a second
//! `/oauth2/authorize` within the session's lifetime skips the login page, and `/logout`
//! ends it for every node), the CSRF tokens of its forms, and the pool's and clients' UI
//! customization (SetUICustomization's CSS and logo). The pages themselves are the
//! server's `hosted_ui` module; they sign users in through the same flows as InitiateAuth
//! (`auth::flows` with `Api::HostedUi`).

mod csrf;
mod customization;
mod session;
mod store;

pub use csrf::{csrf_token, csrf_valid};
pub use customization::{
    check_css, decode_logo, effective_customization, Logo, UiCustomization, ALL_CLIENTS,
};
pub use session::{end_session, open_session, signed_in_user, HostedUiSession};
pub use store::HostedUiStore;

/// Hosted-UI settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HostedUiSettings {
    /// How long the sign-in session cookie lets `/oauth2/authorize` skip the login page
    /// (Cognito: one hour).
    pub session_lifetime_ms: i64,
}

impl Default for HostedUiSettings {
    fn default() -> Self {
        Self {
            session_lifetime_ms: 60 * 60 * 1000,
        }
    }
}
