//! ForgotPassword: a password-reset code to the verified email or phone number that the
//! pool's AccountRecoverySetting chooses (an unverified address is never used). No
//! verified channel → `InvalidParameterException: Cannot reset password for the user as
//! there is no registered/verified email or phone_number`; an UNCONFIRMED or
//! FORCE_CHANGE_PASSWORD user → `NotAuthorizedException: User password cannot be reset in
//! the current state.`. With PreventUserExistenceErrors an unknown, disabled or
//! unreachable user gets a simulated `CodeDeliveryDetails`. An unknown name is first offered
//! to the UserMigration trigger (UserMigration_ForgotPassword); the code message runs
//! CustomMessage_ForgotPassword / CustomEmailSender_ForgotPassword. Deviation: a user reachable
//! only by phone gets `CodeDeliveryFailureException` (monban sends no SMS; a verified
//! email that recovery also allows is used instead).

use monban_wire::idp::{ForgotPasswordRequest, ForgotPasswordResponse, UserStatusType};

use super::common::{authorise, hides_existence};
use crate::auth::flows::{migrate_user, MigrationSource};
use crate::codes::{recovery_destination, send_code, simulated_delivery, Purpose};
use crate::error::{Error, ErrorKind};
use crate::triggers::{MessageSource, MessageTrigger};
use crate::users::lookup_user;
use crate::{Caller, Cx};

pub async fn forgot_password(
    cx: &Cx,
    _caller: Caller,
    req: ForgotPasswordRequest,
) -> Result<ForgotPasswordResponse, Error> {
    let (pool, client) = authorise(
        cx,
        &req.client_id,
        &req.username,
        req.secret_hash.as_deref(),
    )
    .await?;
    let hide = hides_existence(&client);
    let simulated = || async {
        Ok(ForgotPasswordResponse {
            code_delivery_details: Some(
                simulated_delivery(cx, &pool, &req.username, Purpose::ForgotPassword).await?,
            ),
        })
    };
    let found = match lookup_user(cx, &pool, &req.username).await? {
        Some(user) => Some(user),
        // A name the pool does not know may be in the application's old directory.
        None => {
            let source = MigrationSource::ForgotPassword {
                client_metadata: req.client_metadata.as_ref(),
            };
            match migrate_user(cx, &pool, &client, &req.username, source).await {
                Err(e) if hide && e.kind == ErrorKind::UserNotFoundException => None,
                migrated => migrated?,
            }
        }
    };
    let Some(user) = found else {
        if hide {
            return simulated().await;
        }
        return Err(Error::user_not_found());
    };
    if !user.enabled {
        if hide {
            return simulated().await;
        }
        return Err(Error::not_authorized("User is disabled."));
    }
    if matches!(
        user.status,
        UserStatusType::Unconfirmed | UserStatusType::ForceChangePassword
    ) {
        return Err(Error::not_authorized(
            "User password cannot be reset in the current state.",
        ));
    }
    let to = match recovery_destination(&pool, &user) {
        Ok(to) => to,
        Err(e) if hide && e.kind == ErrorKind::InvalidParameterException => {
            return simulated().await
        }
        Err(e) => return Err(e),
    };
    let trigger = MessageTrigger::new(
        MessageSource::ForgotPassword,
        Some(&client.client_id),
        req.client_metadata.as_ref(),
    );
    let details = send_code(cx, &pool, &user, Purpose::ForgotPassword, to, None, trigger).await?;
    Ok(ForgotPasswordResponse {
        code_delivery_details: Some(details),
    })
}
