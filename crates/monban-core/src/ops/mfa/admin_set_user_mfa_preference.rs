//! AdminSetUserMFAPreference: SetUserMFAPreference for a user named by username or alias.
//! Deviation: `WebAuthnMfaSettings` is refused (no passkeys here).

use monban_wire::idp::{AdminSetUserMFAPreferenceRequest, AdminSetUserMFAPreferenceResponse};

use crate::error::Error;
use crate::mfa::{apply_preference, requested_settings};
use crate::pool_config::load_pool;
use crate::users::{modify_user, KeyWrite, Target};
use crate::{Cx, Iam};

pub async fn admin_set_user_mfa_preference(
    cx: &Cx,
    _iam: &Iam,
    req: AdminSetUserMFAPreferenceRequest,
) -> Result<AdminSetUserMFAPreferenceResponse, Error> {
    let pool = load_pool(cx, &req.user_pool_id).await?;
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
    modify_user(
        cx,
        &pool,
        Target::Name(&req.username),
        KeyWrite::Update,
        |user| apply_preference(user, &settings),
    )
    .await?;
    Ok(AdminSetUserMFAPreferenceResponse {})
}
