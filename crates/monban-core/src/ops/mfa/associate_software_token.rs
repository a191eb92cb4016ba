//! AssociateSoftwareToken: a new TOTP secret (`SecretCode`, base32) for the signed-in user
//! (`AccessToken`), or for the user of an MFA_SETUP challenge (`Session`, answered with a
//! new Session). The secret stays pending until VerifySoftwareToken; a verified
//! authenticator stays in force until then.

use monban_wire::idp::{AssociateSoftwareTokenRequest, AssociateSoftwareTokenResponse};

use crate::auth::flows::associate_in_session;
use crate::error::Error;
use crate::mfa::associate;
use crate::tokens::authenticate_access_token;
use crate::{Caller, Cx};

pub async fn associate_software_token(
    cx: &Cx,
    _caller: Caller,
    req: AssociateSoftwareTokenRequest,
) -> Result<AssociateSoftwareTokenResponse, Error> {
    match (req.access_token.as_deref(), req.session.as_deref()) {
        (Some(token), None) => {
            let access = authenticate_access_token(cx, token).await?;
            let secret_code = associate(cx, &access.pool, &access.user).await?;
            Ok(AssociateSoftwareTokenResponse {
                secret_code: Some(secret_code),
                session: None,
            })
        }
        (None, Some(session)) => {
            let (secret_code, session) = associate_in_session(cx, session).await?;
            Ok(AssociateSoftwareTokenResponse {
                secret_code: Some(secret_code),
                session: Some(session),
            })
        }
        _ => Err(Error::invalid_parameter(
            "Exactly one of AccessToken and Session is required.",
        )),
    }
}
