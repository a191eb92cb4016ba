//! SetUserMFAPreference: the signed-in user turns SMS, TOTP and email MFA on or off and
//! picks the preferred one. TOTP needs a verified authenticator, SMS a phone number, email
//! an address (`InvalidParameterException: User does not have delivery config set to turn
//! on <factor>`). Deviation: `WebAuthnMfaSettings` is refused (no passkeys here).

use monban_wire::idp::{SetUserMFAPreferenceRequest, SetUserMFAPreferenceResponse};

use crate::error::Error;
use crate::mfa::{apply_preference, requested_settings};
use crate::tokens::authenticate_access_token;
use crate::users::{modify_user, KeyWrite, Target};
use crate::{Caller, Cx};

pub async fn set_user_mfa_preference(
    cx: &Cx,
    _caller: Caller,
    req: SetUserMFAPreferenceRequest,
) -> Result<SetUserMFAPreferenceResponse, Error> {
    let access = authenticate_access_token(cx, &req.access_token).await?;
    if req.web_authn_mfa_settings.is_some() {
        return Err(Error::invalid_parameter(
            "WebAuthnMfaSettings are not supported by this server.",
        ));
    }
    let settings = requested_settings(
        req.sms_mfa_settings.as_ref(),
        req.software_token_mfa_settings.as_ref(),
        req.email_mfa_settings.as_ref(),
    );
    let pool = &access.pool;
    modify_user(
        cx,
        pool,
        Target::Sub(&access.user.sub),
        KeyWrite::Update,
        |user| apply_preference(user, &settings),
    )
    .await?;
    Ok(SetUserMFAPreferenceResponse {})
}
