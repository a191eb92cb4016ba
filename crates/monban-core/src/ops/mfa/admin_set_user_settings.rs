//! AdminSetUserSettings: SetUserSettings (the legacy SMS `MFAOptions`) for a user named by
//! username or alias.

use monban_wire::idp::{AdminSetUserSettingsRequest, AdminSetUserSettingsResponse};

use crate::error::Error;
use crate::mfa::{apply_options, legacy_options};
use crate::pool_config::load_pool;
use crate::users::{modify_user, KeyWrite, Target};
use crate::{Cx, Iam};

pub async fn admin_set_user_settings(
    cx: &Cx,
    _iam: &Iam,
    req: AdminSetUserSettingsRequest,
) -> Result<AdminSetUserSettingsResponse, Error> {
    let pool = load_pool(cx, &req.user_pool_id).await?;
    let options = legacy_options(&req.mfa_options)?;
    modify_user(
        cx,
        &pool,
        Target::Name(&req.username),
        KeyWrite::Update,
        |user| {
            apply_options(user, options.clone());
            Ok(())
        },
    )
    .await?;
    Ok(AdminSetUserSettingsResponse {})
}
