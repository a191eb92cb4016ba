//! VerifyUserAttribute: the signed-in user presents the code sent to its email. Wrong →
//! `CodeMismatchException`, expired or none → `ExpiredCodeException`, too many wrong →
//! `LimitExceededException` (the `codes` rules). A right code marks the value it was sent
//! to verified — applying it first when it was a change waiting for verification — which
//! makes it an active sign-in alias: a verified email alias another user holds moves here
//! (that user's email becomes unverified); an email that is another user's username
//! attribute is `AliasExistsException`, and the code stays usable.

use monban_wire::idp::{VerifyUserAttributeRequest, VerifyUserAttributeResponse};

use super::verification::{stale_code, verifiable, Target, VERIFIABLE};
use crate::codes::{redeem_code, restore_code, NoCode};
use crate::error::{Error, ErrorKind};
use crate::tokens::authenticate_access_token;
use crate::users::modify_user_taking_aliases;
use crate::{Caller, Cx};

pub async fn verify_user_attribute(
    cx: &Cx,
    _caller: Caller,
    req: VerifyUserAttributeRequest,
) -> Result<VerifyUserAttributeResponse, Error> {
    let access = authenticate_access_token(cx, &req.access_token).await?;
    let (pool, user) = (&access.pool, &access.user);
    let attribute = req.attribute_name.as_str();
    let purpose = verifiable(attribute)?;
    let flag = VERIFIABLE
        .iter()
        .find(|(name, _, _)| *name == attribute)
        .map(|(_, flag, _)| *flag)
        .ok_or_else(stale_code)?;
    let code = redeem_code(cx, &pool.id, &user.sub, purpose, &req.code, NoCode::Expired).await?;
    let target = Target::of(&code);
    let result = modify_user_taking_aliases(cx, pool, &user.sub, |stored| {
        match &target {
            Some(t) if t.pending => {
                stored
                    .attributes
                    .insert(attribute.to_owned(), t.value.clone());
            }
            // The code was sent to a value the user has since changed.
            Some(t) if stored.attributes.get(attribute) != Some(&t.value) => {
                return Err(stale_code())
            }
            _ if stored
                .attributes
                .get(attribute)
                .is_none_or(|v| v.is_empty()) =>
            {
                return Err(stale_code())
            }
            _ => {}
        }
        stored.attributes.insert(flag.to_owned(), "true".to_owned());
        Ok(())
    })
    .await;
    match result {
        Ok(_) => Ok(VerifyUserAttributeResponse {}),
        Err(e) => {
            if e.kind != ErrorKind::ExpiredCodeException {
                restore_code(cx, &code).await?;
            }
            Err(e)
        }
    }
}
