//! ConfirmSignUp: the sign-up code makes an UNCONFIRMED user CONFIRMED and verifies the
//! attribute it was sent to (`email_verified` / `phone_number_verified`, if the value is
//! unchanged since). Any other status is `NotAuthorizedException: User cannot be
//! confirmed. Current status is <STATUS>`. A verified email or phone alias held by another
//! user is `AliasExistsException`, unless ForceAliasCreation moves it here; the code then
//! stays usable for the retry. With PreventUserExistenceErrors an unknown user gets
//! `CodeMismatchException` after the same work (and, as a user does, `LimitExceededException`
//! after too many wrong codes). Once confirmed, PostConfirmation_ConfirmSignUp
//! runs (with the call's ClientMetadata). Deviation: no `Session` is returned (passwordless
//! sign-in after sign-up is not implemented).

use monban_wire::idp::{ConfirmSignUpRequest, ConfirmSignUpResponse, UserStatusType};

use super::common::{authorise, hides_existence};
use crate::codes::{code_data, redeem_code, reject_unknown_user, restore_code, NoCode, Purpose};
use crate::entities::{User, UserPool};
use crate::error::{Error, ErrorKind};
use crate::triggers::{post_confirmation, CallContext, ConfirmationSource};
use crate::users::{lookup_user, modify_user, modify_user_taking_aliases, KeyWrite, Target};
use crate::{Caller, Cx};

pub async fn confirm_sign_up(
    cx: &Cx,
    _caller: Caller,
    req: ConfirmSignUpRequest,
) -> Result<ConfirmSignUpResponse, Error> {
    let (pool, client) = authorise(
        cx,
        &req.client_id,
        &req.username,
        req.secret_hash.as_deref(),
    )
    .await?;
    let Some(user) = lookup_user(cx, &pool, &req.username).await? else {
        if hides_existence(&client) {
            let (purpose, code) = (Purpose::SignUp, &req.confirmation_code);
            return Err(reject_unknown_user(cx, &pool, &req.username, purpose, code).await);
        }
        return Err(Error::user_not_found());
    };
    if user.status != UserStatusType::Unconfirmed {
        return Err(cannot_confirm(&user));
    }
    let code = redeem_code(
        cx,
        &pool.id,
        &user.sub,
        Purpose::SignUp,
        &req.confirmation_code,
        // A pending user holds the code SignUp sent, as unknown names are taken to: only
        // an expired one is told so.
        NoCode::Expired,
    )
    .await?;
    // The attribute the code went to, if it still has the value the code was sent to.
    let verified = code_data(&code).and_then(|data| {
        let attribute = data.get("attribute")?.as_str()?.to_owned();
        let value = data.get("value")?.as_str()?.to_owned();
        Some((attribute, value))
    });
    let change = |u: &mut User| {
        if u.status != UserStatusType::Unconfirmed {
            return Err(cannot_confirm(u));
        }
        u.status = UserStatusType::Confirmed;
        if let Some((attribute, value)) = &verified {
            if u.attributes.get(attribute) == Some(value) {
                u.attributes
                    .insert(format!("{attribute}_verified"), "true".to_owned());
            }
        }
        Ok(())
    };
    let confirmed = confirm(
        cx,
        &pool,
        &user,
        req.force_alias_creation.unwrap_or(false),
        change,
    )
    .await;
    match confirmed {
        Ok(user) => {
            let call = CallContext::new(Some(&client.client_id), req.client_metadata.as_ref());
            post_confirmation(cx, &pool, ConfirmationSource::ConfirmSignUp, &user, call).await?;
            Ok(ConfirmSignUpResponse { session: None })
        }
        Err(e) => {
            if e.kind == ErrorKind::AliasExistsException {
                // The user may retry with ForceAliasCreation and the same code.
                restore_code(cx, &code).await?;
            }
            Err(e)
        }
    }
}

async fn confirm<F>(
    cx: &Cx,
    pool: &UserPool,
    user: &User,
    force_alias: bool,
    change: F,
) -> Result<User, Error>
where
    F: Fn(&mut User) -> Result<(), Error>,
{
    if force_alias {
        modify_user_taking_aliases(cx, pool, &user.sub, change).await
    } else {
        modify_user(cx, pool, Target::Sub(&user.sub), KeyWrite::Update, change).await
    }
}

fn cannot_confirm(user: &User) -> Error {
    Error::not_authorized(format!(
        "User cannot be confirmed. Current status is {}",
        user.status
    ))
}
