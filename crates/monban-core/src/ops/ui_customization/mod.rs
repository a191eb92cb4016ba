//! The hosted UI's look: CSS and a logo per pool (`ClientId` `ALL` or absent) or per
//! app client.

mod get_ui_customization;
mod set_ui_customization;

pub use get_ui_customization::get_ui_customization;
pub use set_ui_customization::set_ui_customization;

use monban_wire::idp::UICustomizationType;

use crate::cx::wire_time;
use crate::error::Error;
use crate::hosted_ui::{UiCustomization, ALL_CLIENTS};
use crate::pool_config::{load_client, load_pool};
use crate::tokens::pool_base_url;
use crate::Cx;

/// The client id the request names (`ALL` when absent), after checking that the pool and
/// (unless `ALL`) the client exist.
async fn target(cx: &Cx, pool_id: &str, client_id: Option<&str>) -> Result<String, Error> {
    load_pool(cx, pool_id).await?;
    match client_id {
        None | Some(ALL_CLIENTS) => Ok(ALL_CLIENTS.to_owned()),
        Some(id) => Ok(load_client(cx, pool_id, id).await?.client_id),
    }
}

/// Where the hosted UI serves a customization's logo (the version defeats caches).
pub fn logo_url(cx: &Cx, c: &UiCustomization) -> String {
    format!(
        "{}/ui/logo/{}?v={}",
        pool_base_url(&cx.settings, &c.pool_id),
        c.client_id,
        c.modified_ms
    )
}

fn to_wire(cx: &Cx, c: &UiCustomization) -> UICustomizationType {
    UICustomizationType {
        css: c.css.clone(),
        css_version: Some(c.modified_ms.to_string()),
        client_id: Some(c.client_id.clone()),
        creation_date: Some(wire_time(c.created_ms)),
        image_url: c.logo.as_ref().map(|_| logo_url(cx, c)),
        last_modified_date: Some(wire_time(c.modified_ms)),
        user_pool_id: Some(c.pool_id.clone()),
    }
}
