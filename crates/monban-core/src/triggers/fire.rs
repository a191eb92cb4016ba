//! Invoking a pool's trigger and turning failures into Cognito's errors.

use serde_json::{Map, Value};

use super::{Trigger, TriggerError, TriggerEvent};
use crate::entities::UserPool;
use crate::error::{Error, ErrorKind};
use crate::Cx;

/// Runs `trigger` if `pool` configures it: `Ok(None)` when it does not, else the
/// `response` object the function returned (`{}` when it left it null). Errors are
/// Cognito's (see [`map_error`]).
pub async fn fire(
    cx: &Cx,
    pool: &UserPool,
    trigger: Trigger,
    event: TriggerEvent,
) -> Result<Option<Map<String, Value>>, Error> {
    match trigger.target(pool) {
        Some(target) => fire_at(cx, target, trigger, event).await.map(Some),
        None => Ok(None),
    }
}

/// Runs the function at `target` as `trigger` (for callers that already looked it up).
pub async fn fire_at(
    cx: &Cx,
    target: &str,
    trigger: Trigger,
    event: TriggerEvent,
) -> Result<Map<String, Value>, Error> {
    let json = event.to_json(&cx.settings.region);
    tracing::debug!(
        trigger = trigger.name(),
        source = %event.trigger_source,
        pool = %event.user_pool_id,
        "invoking trigger"
    );
    let answer = cx
        .triggers
        .invoke(target, &event.user_pool_id, json)
        .await
        .map_err(|e| map_error(trigger, e))?;
    response_of(answer).map_err(|e| map_error(trigger, e))
}

/// The `response` member of a function's answer: the answer must be the event object;
/// its `response` may be an object or null.
pub(super) fn response_of(answer: Value) -> Result<Map<String, Value>, TriggerError> {
    let Value::Object(mut event) = answer else {
        return Err(TriggerError::InvalidResponse(
            "the answer is not a JSON object".into(),
        ));
    };
    match event.remove("response") {
        Some(Value::Object(response)) => Ok(response),
        Some(Value::Null) | None => Ok(Map::new()),
        Some(_) => Err(TriggerError::InvalidResponse(
            "`response` is not a JSON object".into(),
        )),
    }
}

/// Cognito's error for a failed invocation:
/// - the function threw → `UserLambdaValidationException`
///   `"<Trigger> failed with error <errorMessage>."`;
/// - not reachable / timed out → `UnexpectedLambdaException`
///   `"<Trigger> invocation failed due to error <why>."`;
/// - an answer that is not a trigger response → `InvalidLambdaResponseException`
///   `"Unrecognizable lambda output"`.
///
/// Callers whose trigger Cognito maps differently (e.g. UserMigration's user-not-found
/// outcome) match on the [`TriggerError`] themselves before calling this.
pub fn map_error(trigger: Trigger, error: TriggerError) -> Error {
    let name = trigger.name();
    match &error {
        TriggerError::Function { error_message, .. } => Error::new(
            ErrorKind::UserLambdaValidationException,
            format!("{name} failed with error {error_message}."),
        ),
        TriggerError::Unreachable(why) => Error::new(
            ErrorKind::UnexpectedLambdaException,
            format!("{name} invocation failed due to error {why}."),
        ),
        TriggerError::InvalidResponse(_) => invalid_response(),
    }
    .with_source(error)
}

/// `InvalidLambdaResponseException` as Cognito words it.
pub fn invalid_response() -> Error {
    Error::new(
        ErrorKind::InvalidLambdaResponseException,
        "Unrecognizable lambda output",
    )
}
