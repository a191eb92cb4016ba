//! GetUserPoolMfaConfig: the MFA switch and the enabled factors (SMS, TOTP, email) with the
//! passkey configuration.

use monban_wire::idp::{GetUserPoolMfaConfigRequest, GetUserPoolMfaConfigResponse};

use crate::error::Error;
use crate::pool_config::{load_pool, mfa_config};
use crate::{Cx, Iam};

pub async fn get_user_pool_mfa_config(
    cx: &Cx,
    _iam: &Iam,
    req: GetUserPoolMfaConfigRequest,
) -> Result<GetUserPoolMfaConfigResponse, Error> {
    let pool = load_pool(cx, &req.user_pool_id).await?;
    Ok(mfa_config(&pool))
}
