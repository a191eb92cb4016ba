//! SetUserSettings: the legacy `MFAOptions` of the signed-in user, which Cognito keeps for
//! SMS MFA only (an SMS entry turns SMS MFA on, an empty list off).

use monban_wire::idp::{SetUserSettingsRequest, SetUserSettingsResponse};

use crate::error::Error;
use crate::mfa::{apply_options, legacy_options};
use crate::tokens::authenticate_access_token;
use crate::users::{modify_user, KeyWrite, Target};
use crate::{Caller, Cx};

pub async fn set_user_settings(
    cx: &Cx,
    _caller: Caller,
    req: SetUserSettingsRequest,
) -> Result<SetUserSettingsResponse, Error> {
    let access = authenticate_access_token(cx, &req.access_token).await?;
    let options = legacy_options(&req.mfa_options)?;
    modify_user(
        cx,
        &access.pool,
        Target::Sub(&access.user.sub),
        KeyWrite::Update,
        |user| {
            apply_options(user, options.clone());
            Ok(())
        },
    )
    .await?;
    Ok(SetUserSettingsResponse {})
}
