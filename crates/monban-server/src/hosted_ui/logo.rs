//! `GET /{userPoolId}/ui/logo/{clientId}`: the logo of a UI customization (the
//! `ImageUrl` SetUICustomization reports), PNG or JPEG only.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::app::App;

pub async fn handle(
    State(app): State<Arc<App>>,
    Path((pool_id, client_id)): Path<(String, String)>,
) -> Response {
    let found = app
        .cx
        .store
        .get_ui_customization(&pool_id, &client_id)
        .await;
    let logo = match found {
        Ok(Some(c)) => c.logo,
        Ok(None) => None,
        Err(_) => return StatusCode::SERVICE_UNAVAILABLE.into_response(),
    };
    let Some(logo) = logo else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let Ok(content_type) = HeaderValue::from_str(&logo.content_type) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let mut response = logo.bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, content_type);
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    response
}
