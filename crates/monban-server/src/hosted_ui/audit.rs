//! Hosted-UI sign-ins in the audit trail: one record per password or challenge answer,
//! as the API records InitiateAuth / RespondToAuthChallenge (never the password or code).

use monban_core::audit::{AuthEventKind, Outcome as AuditOutcome};
use monban_core::auth::flows::Outcome;
use monban_core::Error;

use super::flow::Flow;

/// Records the result of a sign-in step of `username` (`challenge`: the one answered).
pub async fn sign_in_step(
    flow: &Flow,
    username: &str,
    challenge: Option<&str>,
    result: &Result<Outcome, Error>,
) {
    let mut event = flow.audit.clone();
    event.pool_id = Some(flow.pool.id.clone());
    event.client_id = Some(flow.client.client_id.clone());
    event.username = Some(username.to_owned());
    event.auth_event = Some(AuthEventKind::HostedUiSignIn);
    event.challenge = challenge.map(str::to_owned);
    match result {
        Ok(Outcome::SignedIn { user, .. }) => {
            event.sub = Some(user.sub.clone());
            event.username = Some(user.username.clone());
            event.outcome = AuditOutcome::Pass;
        }
        Ok(_) => event.outcome = AuditOutcome::InProgress,
        Err(e) => {
            event.outcome = AuditOutcome::Fail;
            event.error = Some(e.kind.name().to_owned());
        }
    }
    crate::audit::record(&flow.app, event).await;
}
