//! The email that carries a code: the pool's `VerificationMessageTemplate` (`EmailMessage`,
//! `EmailSubject`), else the legacy `EmailVerificationMessage` / `EmailVerificationSubject`,
//! else Cognito's default text. `{####}` is the code, `{username}` the user's sign-in name.
//!
//! `DefaultEmailOption` CONFIRM_WITH_LINK asks for a link instead of a code at sign-up; the
//! link endpoint belongs to the hosted UI, so until it exists the code form is sent.

use crate::entities::UserPool;
use crate::mail::render_template;

pub const DEFAULT_CODE_SUBJECT: &str = "Your verification code";
pub const DEFAULT_CODE_MESSAGE: &str = "Your verification code is {####}. ";

/// A rendered code email.
#[derive(Clone, PartialEq, Eq)]
pub struct CodeMessage {
    pub subject: String,
    pub body: String,
}

impl std::fmt::Debug for CodeMessage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The body carries the code.
        f.debug_struct("CodeMessage")
            .field("subject", &self.subject)
            .finish_non_exhaustive()
    }
}

/// The pool's code email with `code` and `username` filled in.
pub fn render_code_message(pool: &UserPool, code: &str, username: &str) -> CodeMessage {
    let config = &pool.config;
    let template = config.verification_message_template.as_ref();
    let present = |v: &Option<String>| v.clone().filter(|s| !s.is_empty());
    // A message without the placeholder would deliver no code: the model's pattern
    // forbids it, and a stored one that slipped through falls back to the default.
    let body = template
        .and_then(|t| present(&t.email_message))
        .or_else(|| present(&config.email_verification_message))
        .filter(|m| m.contains("{####}"))
        .unwrap_or_else(|| DEFAULT_CODE_MESSAGE.to_owned());
    let subject = template
        .and_then(|t| present(&t.email_subject))
        .or_else(|| present(&config.email_verification_subject))
        .unwrap_or_else(|| DEFAULT_CODE_SUBJECT.to_owned());
    CodeMessage {
        subject: render_template(&subject, code, username),
        body: render_template(&body, code, username),
    }
}
