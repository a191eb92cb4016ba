//! GetUser: the signed-in user's username, the attributes its app client may read (`sub`
//! always), and its MFA settings.

use monban_wire::idp::{GetUserRequest, GetUserResponse};

use super::access::token_client;
use crate::error::Error;
use crate::pool_config::readable_attributes;
use crate::tokens::authenticate_access_token;
use crate::users::admin_get_user_response;
use crate::{Caller, Cx};

pub async fn get_user(
    cx: &Cx,
    _caller: Caller,
    req: GetUserRequest,
) -> Result<GetUserResponse, Error> {
    let access = authenticate_access_token(cx, &req.access_token).await?;
    let readable = readable_attributes(&token_client(cx, &access).await?);
    let user = admin_get_user_response(&access.user);
    Ok(GetUserResponse {
        username: user.username,
        user_attributes: user
            .user_attributes
            .unwrap_or_default()
            .into_iter()
            .filter(|a| readable.contains(&a.name))
            .collect(),
        mfa_options: user.mfa_options,
        preferred_mfa_setting: user.preferred_mfa_setting,
        user_mfa_setting_list: user.user_mfa_setting_list,
    })
}
