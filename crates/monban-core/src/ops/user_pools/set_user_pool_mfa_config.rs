//! SetUserPoolMfaConfig: states the enabled factors (a factor the request omits is off) and
//! the MFA switch, which DescribeUserPool's MfaConfiguration then shows. OFF with a factor,
//! or ON/OPTIONAL with none, is refused as Cognito refuses it. The feature plan gates
//! nothing (email MFA works on every tier).

use monban_wire::idp::{SetUserPoolMfaConfigRequest, SetUserPoolMfaConfigResponse};

use crate::error::Error;
use crate::pool_config::{
    apply_set_mfa_config, load_pool, mfa_config, save_pool, update_with_retry,
};
use crate::{Cx, Iam};

pub async fn set_user_pool_mfa_config(
    cx: &Cx,
    _iam: &Iam,
    req: SetUserPoolMfaConfigRequest,
) -> Result<SetUserPoolMfaConfigResponse, Error> {
    let req = &req;
    let pool = update_with_retry(move || async move {
        let mut pool = load_pool(cx, &req.user_pool_id).await?;
        apply_set_mfa_config(&mut pool, req)?;
        pool.modified_ms = cx.now_ms();
        save_pool(cx, &pool).await?;
        Ok(pool)
    })
    .await?;
    let out = mfa_config(&pool);
    Ok(SetUserPoolMfaConfigResponse {
        email_mfa_configuration: out.email_mfa_configuration,
        mfa_configuration: out.mfa_configuration,
        sms_mfa_configuration: out.sms_mfa_configuration,
        software_token_mfa_configuration: out.software_token_mfa_configuration,
        web_authn_configuration: out.web_authn_configuration,
    })
}
