//! GetUICustomization: the client's own customization, else the pool's (`ClientId`
//! `ALL`), else only the ids, as Cognito answers for a pool never customized.

use monban_wire::idp::{
    GetUICustomizationRequest, GetUICustomizationResponse, UICustomizationType,
};

use super::{target, to_wire};
use crate::error::Error;
use crate::hosted_ui::effective_customization;
use crate::{Cx, Iam};

pub async fn get_ui_customization(
    cx: &Cx,
    _iam: &Iam,
    req: GetUICustomizationRequest,
) -> Result<GetUICustomizationResponse, Error> {
    let client_id = target(cx, &req.user_pool_id, req.client_id.as_deref()).await?;
    let found = effective_customization(cx, &req.user_pool_id, &client_id).await?;
    let ui_customization = match found {
        Some(c) => to_wire(cx, &c),
        None => UICustomizationType {
            client_id: Some(client_id),
            user_pool_id: Some(req.user_pool_id),
            ..UICustomizationType::default()
        },
    };
    Ok(GetUICustomizationResponse { ui_customization })
}
