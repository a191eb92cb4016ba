//! SetUICustomization: replaces the CSS and logo of the pool (`ClientId` `ALL` or absent)
//! or of one app client; both absent clears it. Deviations: any CSS rule is accepted
//! (Cognito allows only its listed classes) except text containing `<`; the logo must be
//! PNG or JPEG; no domain is required beforehand.

use monban_wire::idp::{SetUICustomizationRequest, SetUICustomizationResponse};

use super::{target, to_wire};
use crate::error::Error;
use crate::hosted_ui::{check_css, decode_logo, UiCustomization};
use crate::{Cx, Iam};

pub async fn set_ui_customization(
    cx: &Cx,
    _iam: &Iam,
    req: SetUICustomizationRequest,
) -> Result<SetUICustomizationResponse, Error> {
    let client_id = target(cx, &req.user_pool_id, req.client_id.as_deref()).await?;
    if let Some(css) = &req.css {
        check_css(css)?;
    }
    let logo = req.image_file.as_deref().map(decode_logo).transpose()?;
    let now = cx.now_ms();
    let created_ms = cx
        .store
        .get_ui_customization(&req.user_pool_id, &client_id)
        .await?
        .map_or(now, |c| c.created_ms);
    let customization = UiCustomization {
        pool_id: req.user_pool_id,
        client_id,
        css: req.css,
        logo,
        created_ms,
        modified_ms: now,
    };
    cx.store.put_ui_customization(&customization).await?;
    Ok(SetUICustomizationResponse {
        ui_customization: to_wire(cx, &customization),
    })
}
