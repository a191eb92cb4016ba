//! The record of one `POST /` call: started when the operation is known, finished with the
//! request body and the outcome.

use axum::http::request::Parts;
use monban_core::audit::{AuditEvent, Outcome};
use monban_core::{Caller, Error};
use monban_wire::ErrorKind;
use serde_json::Value;

use super::claims::token_user;
use super::table;
use crate::app::App;

pub struct ApiCall {
    event: AuditEvent,
}

fn text(value: &Value, path: &[&str]) -> Option<String> {
    path.iter()
        .try_fold(value, |v, key| v.get(key))
        .and_then(Value::as_str)
        .map(str::to_owned)
}

fn is_trigger_failure(kind: ErrorKind) -> bool {
    matches!(
        kind,
        ErrorKind::UserLambdaValidationException
            | ErrorKind::UnexpectedLambdaException
            | ErrorKind::InvalidLambdaResponseException
    )
}

impl ApiCall {
    pub fn start(app: &App, operation: &str, parts: &Parts) -> Self {
        Self {
            event: super::event(app, operation, parts),
        }
    }

    /// Completes the record from the request body, the caller (when authenticated) and
    /// the outcome (`Ok` with the response JSON of operations whose response names the
    /// user), and appends it.
    /// The mail-log ids of the messages the call queued (see `collecting_mail_ids`).
    pub fn with_mail_ids(mut self, ids: Vec<i64>) -> Self {
        self.event.mail_ids = ids;
        self
    }

    pub async fn finish(
        mut self,
        app: &App,
        body: &[u8],
        caller: Option<&Caller>,
        outcome: Result<Option<&Value>, &Error>,
    ) {
        let e = &mut self.event;
        let request: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
        let iam = matches!(caller, Some(Caller::Iam(_)));
        if let Some(Caller::Iam(key)) = caller {
            e.access_key_id = Some(key.access_key_id.clone());
        }
        e.pool_id = text(&request, &["UserPoolId"]);
        e.client_id = text(&request, &["ClientId"]);
        e.username = text(&request, &["Username"])
            .or_else(|| text(&request, &["AuthParameters", "USERNAME"]))
            .or_else(|| text(&request, &["ChallengeResponses", "USERNAME"]));
        e.auth_event = table::auth_event(&e.operation, &request, iam);
        if table::changes(&e.operation) {
            e.changed = table::changed_names(&request);
        }
        if e.operation.contains("RespondToAuthChallenge") {
            e.challenge = text(&request, &["ChallengeName"]);
        }
        match outcome {
            Ok(response) => {
                // Tokens of a successful call were verified (request) or issued (response).
                let mut tokens = vec![text(&request, &["AccessToken"])];
                if let Some(response) = response {
                    tokens.push(text(response, &["AuthenticationResult", "IdToken"]));
                    tokens.push(text(response, &["AuthenticationResult", "AccessToken"]));
                    e.sub = text(response, &["UserSub"]);
                    if let Some(challenge) = text(response, &["ChallengeName"]) {
                        e.outcome = Outcome::InProgress;
                        e.challenge = Some(challenge);
                    }
                    if let Some(user) = response.get("User") {
                        e.username = text(user, &["Username"]).or(e.username.take());
                        e.sub = user
                            .get("Attributes")
                            .and_then(Value::as_array)
                            .and_then(|attrs| {
                                attrs
                                    .iter()
                                    .find(|a| text(a, &["Name"]).as_deref() == Some("sub"))
                            })
                            .and_then(|a| text(a, &["Value"]))
                            .or(e.sub.take());
                    }
                }
                for claims in tokens.iter().flatten().filter_map(|t| token_user(t)) {
                    e.pool_id = e.pool_id.take().or(claims.pool_id);
                    e.client_id = e.client_id.take().or(claims.client_id);
                    e.sub = e.sub.take().or(claims.sub);
                    e.username = claims.username.or(e.username.take());
                }
            }
            Err(error) => {
                e.outcome = Outcome::Fail;
                e.error = Some(error.kind.name().to_owned());
                e.trigger_failure = is_trigger_failure(error.kind);
            }
        }
        resolve_user(app, e).await;
        super::record(app, self.event).await;
    }
}

/// Fills the pool from the client id, and for authentication events the user's `sub` and
/// username from the name given (an alias, say). Lookups that fail leave the fields as
/// they are: the record is still written.
async fn resolve_user(app: &App, e: &mut AuditEvent) {
    let cx = &app.cx;
    if let (None, Some(client_id)) = (&e.pool_id, &e.client_id) {
        if let Ok(Some(client)) = cx.store.get_app_client(client_id).await {
            e.pool_id = Some(client.pool_id);
        }
    }
    if e.auth_event.is_none() || e.sub.is_some() {
        return;
    }
    let (Some(pool_id), Some(name)) = (&e.pool_id, &e.username) else {
        return;
    };
    let Ok(pool) = monban_core::pool_config::load_pool(cx, pool_id).await else {
        return;
    };
    if let Ok(Some(user)) = monban_core::users::lookup_user(cx, &pool, name).await {
        e.sub = Some(user.sub);
        e.username = Some(user.username);
    }
}
