//! PostConfirmation: told after a user is confirmed (ConfirmSignUp, AdminConfirmSignUp,
//! an auto-confirmed SignUp) or has reset its password (ConfirmForgotPassword). Its answer
//! carries nothing; a function error reaches the caller, the confirmation stays done, as
//! in Cognito.

use super::{fire, CallContext, Trigger, TriggerEvent};
use crate::entities::{User, UserPool};
use crate::error::Error;
use crate::Cx;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfirmationSource {
    ConfirmSignUp,
    ConfirmForgotPassword,
}

/// Runs PostConfirmation for `user` as now stored.
pub async fn post_confirmation(
    cx: &Cx,
    pool: &UserPool,
    source: ConfirmationSource,
    user: &User,
    call: CallContext<'_>,
) -> Result<(), Error> {
    let trigger_source = match source {
        ConfirmationSource::ConfirmSignUp => "PostConfirmation_ConfirmSignUp",
        ConfirmationSource::ConfirmForgotPassword => "PostConfirmation_ConfirmForgotPassword",
    };
    let event = TriggerEvent::new(pool, trigger_source)
        .user_name(&user.username)
        .user_attributes(user);
    fire(cx, pool, Trigger::PostConfirmation, call.apply(event)).await?;
    Ok(())
}
