//! AdminUpdateAuthEventFeedback: marks one of the user's recorded auth events `Valid` or
//! `Invalid` (provider `Admin`). The feedback is stored beside the audit chain, whose
//! records never change. Deviation: Cognito feeds it to its risk model; monban only keeps it.

use monban_wire::idp::{AdminUpdateAuthEventFeedbackRequest, AdminUpdateAuthEventFeedbackResponse};

use crate::audit::AuthEventFeedback;
use crate::error::Error;
use crate::pool_config::load_pool;
use crate::store::StoreError;
use crate::users::find_user;
use crate::{Cx, Iam};

pub async fn admin_update_auth_event_feedback(
    cx: &Cx,
    _iam: &Iam,
    req: AdminUpdateAuthEventFeedbackRequest,
) -> Result<AdminUpdateAuthEventFeedbackResponse, Error> {
    let pool = load_pool(cx, &req.user_pool_id).await?;
    let user = find_user(cx, &pool, &req.username).await?;
    let feedback = AuthEventFeedback {
        value: req.feedback_value,
        provider: "Admin".to_owned(),
        feedback_ms: cx.now_ms(),
    };
    match cx
        .store
        .put_auth_event_feedback(&pool.id, &user.sub, &req.event_id, &feedback)
        .await
    {
        Ok(()) => Ok(AdminUpdateAuthEventFeedbackResponse {}),
        Err(StoreError::NotFound) => Err(Error::resource_not_found("Auth event not found.")),
        Err(e) => Err(e.into()),
    }
}
