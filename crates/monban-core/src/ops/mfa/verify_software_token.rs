//! VerifySoftwareToken: a code from the authenticator app (RFC 6238, one step of drift
//! either way) makes the associated secret the user's TOTP authenticator, named
//! `FriendlyDeviceName`. By `AccessToken` it does not turn TOTP MFA on
//! (SetUserMFAPreference does); by the `Session` of an MFA_SETUP challenge it does, and
//! answers the Session for the MFA_SETUP answer. A wrong code is
//! `EnableSoftwareTokenMFAException: Code mismatch`.

use monban_wire::idp::{
    VerifySoftwareTokenRequest, VerifySoftwareTokenResponse, VerifySoftwareTokenResponseType,
};

use crate::auth::flows::verify_in_session;
use crate::error::Error;
use crate::mfa::verify;
use crate::tokens::authenticate_access_token;
use crate::{Caller, Cx};

pub async fn verify_software_token(
    cx: &Cx,
    _caller: Caller,
    req: VerifySoftwareTokenRequest,
) -> Result<VerifySoftwareTokenResponse, Error> {
    let name = req.friendly_device_name.as_deref();
    match (req.access_token.as_deref(), req.session.as_deref()) {
        (Some(token), None) => {
            let access = authenticate_access_token(cx, token).await?;
            verify(cx, &access.pool, &access.user, &req.user_code, name).await?;
            Ok(VerifySoftwareTokenResponse {
                session: None,
                status: Some(VerifySoftwareTokenResponseType::Success),
            })
        }
        (None, Some(session)) => {
            let session = verify_in_session(cx, session, &req.user_code, name).await?;
            Ok(VerifySoftwareTokenResponse {
                session: Some(session),
                status: Some(VerifySoftwareTokenResponseType::Success),
            })
        }
        _ => Err(Error::invalid_parameter(
            "Exactly one of AccessToken and Session is required.",
        )),
    }
}
