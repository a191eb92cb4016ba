//! What every page request starts from: the OAuth parameters of `/oauth2/authorize`
//! (carried in each page's query string, checked again on every request exactly as
//! authorize checks them), the pool and client they name, the customization to show,
//! and the browser's pre-session cookie that the forms' CSRF tokens are bound to.

use std::sync::Arc;

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use minijinja::{context, Value};
use monban_core::audit::AuditEvent;
use monban_core::auth::secret_hash::secret_hash;
use monban_core::entities::{AppClient, UserPool};
use monban_core::hosted_ui::{csrf_token, csrf_valid, effective_customization};
use monban_core::ops::ui_customization::logo_url;
use monban_core::pool_config::load_pool;
use monban_wire::idp::OAuthFlowType;
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};

use super::cookies;
use super::render::{error_page, page, Chrome};
use crate::app::App;
use crate::oauth::authorize::{check, client_and_redirect, error_redirect, redirect};
use crate::oauth::form::Params;
use crate::oauth::host::DomainBase;

/// The authorize parameters the pages carry to the final redirect.
const CARRIED: &[&str] = &[
    "client_id",
    "redirect_uri",
    "response_type",
    "scope",
    "state",
    "nonce",
    "code_challenge",
    "code_challenge_method",
    "login_hint",
    "lang",
];

/// The operation name of hosted-UI sign-ins in the audit trail.
const SIGN_IN_OPERATION: &str = "HostedUI.SignIn";

/// Random bytes of a pre-session cookie.
const PRE_SESSION_BYTES: usize = 32;

/// What a page handler gets from the request: the pool, the query string, the headers,
/// and the path its cookies are scoped to (`/{userPoolId}`, or `/` on a pool's own
/// domain, where the browser sees paths without the pool id).
pub struct PageRequest {
    /// The audit event a sign-in on this request records (time, source IP, user agent).
    pub audit: AuditEvent,
    pub pool_id: String,
    pub query: Option<String>,
    pub headers: HeaderMap,
    pub cookie_path: String,
}

impl FromRequestParts<Arc<App>> for PageRequest {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &Arc<App>) -> Result<Self, Response> {
        let Path(pool_id) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let cookie_path = if parts.extensions.get::<DomainBase>().is_some() {
            "/".to_owned()
        } else {
            format!("/{pool_id}")
        };
        Ok(Self {
            audit: crate::audit::event(state, SIGN_IN_OPERATION, parts),
            pool_id,
            query: parts.uri.query().map(str::to_owned),
            headers: parts.headers.clone(),
            cookie_path,
        })
    }
}

pub struct Flow {
    pub app: Arc<App>,
    pub pool: UserPool,
    pub client: AppClient,
    pub params: Params,
    /// What authorize's checks granted: the flow (`code` or `token`) and the scopes.
    pub granted: (OAuthFlowType, Vec<String>),
    /// The carried parameters, encoded as a query string.
    pub carried: String,
    pub chrome: Chrome,
    pub cookie_path: String,
    pub audit: AuditEvent,
    pre_session: String,
    new_pre_session: bool,
}

impl Flow {
    /// The flow of a page request, or the response that ends it (an error page, or the
    /// error redirect to the application).
    pub async fn load(app: Arc<App>, request: &PageRequest) -> Result<Self, Response> {
        let (pool_id, query, headers) = (
            request.pool_id.as_str(),
            request.query.as_deref(),
            &request.headers,
        );
        let plain = Chrome::default();
        let params = Params::parse(query.unwrap_or_default()).map_err(|e| {
            let detail = e
                .description
                .unwrap_or_else(|| "invalid request".to_owned());
            error_page(StatusCode::BAD_REQUEST, &plain, &detail)
        })?;
        let client = client_and_redirect(&app, pool_id, &params)
            .await
            .map_err(|detail| error_page(StatusCode::BAD_REQUEST, &plain, detail))?;
        let granted = match check(&app, &client, &params).await {
            Ok(granted) => granted,
            Err(e) => {
                let redirect_uri = params.get("redirect_uri").unwrap_or_default();
                let state = params.get("state");
                return Err(redirect(&error_redirect(redirect_uri, &e, state)));
            }
        };
        let cx = &app.cx;
        let pool = load_pool(cx, pool_id)
            .await
            .map_err(|e| error_page(StatusCode::BAD_REQUEST, &plain, &e.message))?;
        let chrome = match effective_customization(cx, pool_id, &client.client_id).await {
            Ok(c) => c
                .map(|c| Chrome {
                    logo_url: c.logo.as_ref().map(|_| logo_url(cx, &c)),
                    css: c.css,
                })
                .unwrap_or_default(),
            Err(e) => {
                return Err(error_page(
                    StatusCode::SERVICE_UNAVAILABLE,
                    &plain,
                    &e.message,
                ))
            }
        };
        let carried = CARRIED
            .iter()
            .filter_map(|name| params.get(name).map(|value| (name, value)))
            .map(|(name, value)| format!("{name}={}", utf8_percent_encode(value, NON_ALPHANUMERIC)))
            .collect::<Vec<_>>()
            .join("&");
        let (pre_session, new_pre_session) = match cookies::get(headers, cookies::PRE_SESSION) {
            Some(value) => (value, false),
            None => {
                let mut bytes = [0u8; PRE_SESSION_BYTES];
                cx.rng.fill(&mut bytes);
                (URL_SAFE_NO_PAD.encode(bytes), true)
            }
        };
        Ok(Self {
            app,
            pool,
            client,
            params,
            granted,
            carried,
            chrome,
            cookie_path: request.cookie_path.clone(),
            audit: request.audit.clone(),
            pre_session,
            new_pre_session,
        })
    }

    pub fn cx(&self) -> &monban_core::Cx {
        &self.app.cx
    }

    /// The path of page `name` of this pool, with the carried parameters and `extra`.
    pub fn url(&self, name: &str, extra: &[(&str, &str)]) -> String {
        let mut out = format!("/{}/{name}?{}", self.pool.id, self.carried);
        for (key, value) in extra {
            out.push('&');
            out.push_str(key);
            out.push('=');
            out.extend(utf8_percent_encode(value, NON_ALPHANUMERIC));
        }
        out
    }

    /// A page's own query parameter (the username a confirmation page is for).
    pub fn extra(&self, name: &str) -> String {
        self.params.get(name).unwrap_or_default().to_owned()
    }

    /// `SECRET_HASH` for `username` when the client has a secret: the hosted UI acts for
    /// the client, as Cognito's does.
    pub fn secret_hash(&self, username: &str) -> Option<String> {
        self.client
            .secret
            .as_deref()
            .map(|secret| secret_hash(secret, username, &self.client.client_id))
    }

    /// Whether a POST of form `form` carries the token this browser was given for it.
    pub async fn check_csrf(&self, form: &str, fields: &Params) -> Result<(), Response> {
        let token = fields.get("csrf_token").unwrap_or_default();
        let valid = !self.new_pre_session
            && csrf_valid(self.cx(), &self.pre_session, form, token)
                .await
                .map_err(|e| self.error(StatusCode::SERVICE_UNAVAILABLE, &e.message))?;
        if valid {
            Ok(())
        } else {
            Err(self.error(
                StatusCode::FORBIDDEN,
                "This form has expired or did not come from this site. Go back, reload the page and try again.",
            ))
        }
    }

    /// Form page `template` (posting to page `action`), with its CSRF token.
    #[allow(clippy::too_many_arguments)]
    pub async fn form(
        &self,
        status: StatusCode,
        form: &str,
        template: &str,
        title: &str,
        action: String,
        error: Option<&str>,
        message: Option<&str>,
        values: Value,
    ) -> Response {
        let csrf = match csrf_token(self.cx(), &self.pre_session, form).await {
            Ok(token) => token,
            Err(e) => return self.error(StatusCode::SERVICE_UNAVAILABLE, &e.message),
        };
        let values = context! { csrf => csrf, action => action, ..values };
        let response = page(
            status,
            template,
            title,
            &self.chrome,
            error,
            message,
            values,
        );
        self.with_cookie(response)
    }

    pub fn error(&self, status: StatusCode, detail: &str) -> Response {
        error_page(status, &self.chrome, detail)
    }

    /// Adds the pre-session cookie when this request made it.
    fn with_cookie(&self, mut response: Response) -> Response {
        if self.new_pre_session {
            let cookie = cookies::set(
                &self.cx().settings.public_url,
                &self.cookie_path,
                cookies::PRE_SESSION,
                &self.pre_session,
                None,
            );
            if let Some(cookie) = cookie {
                response.headers_mut().append(header::SET_COOKIE, cookie);
            }
        }
        response
    }
}

/// A 302 to a page of the hosted UI.
pub fn see(location: &str) -> Response {
    redirect(location).into_response()
}
