//! `POST /`: the AWS JSON 1.1 API of both services. The target header names the operation,
//! the body is read within a bound, the caller is authenticated by the operation's auth
//! class, and only then does [`dispatch`](crate::dispatch) decode and run it.

use std::future::poll_fn;
use std::pin::Pin;
use std::sync::Arc;

use axum::body::{Body, HttpBody};
use axum::extract::{Request, State};
use axum::http::header;
use axum::http::request::Parts;
use axum::response::Response;
use monban_core::{Caller, Error};
use monban_wire::schema::{AuthKind, Operation};
use monban_wire::ErrorKind;
use monban_wire::Service;

use crate::app::App;
use crate::audit;
use crate::request_log;
use crate::response;
use crate::sigv4::{RequestParts, Verifier};

/// Largest request body accepted (Cognito's own inputs are far smaller).
pub const MAX_BODY: usize = 1024 * 1024;
/// A larger body is still read (up to this much) and dropped, so that the client receives
/// the error instead of a reset connection.
const MAX_DRAIN: usize = 16 * 1024 * 1024;

/// The service an `X-Amz-Target` prefix names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Api {
    /// `AWSCognitoIdentityProviderService`, signing name `cognito-idp`.
    UserPools,
    /// `AWSCognitoIdentityService`, signing name `cognito-identity`.
    IdentityPools,
}

impl Api {
    pub fn service(self) -> &'static Service {
        match self {
            Self::UserPools => &monban_wire::IDP,
            Self::IdentityPools => &monban_wire::IDENTITY,
        }
    }

    fn signing_name(self) -> &'static str {
        match self {
            Self::UserPools => "cognito-idp",
            Self::IdentityPools => "cognito-identity",
        }
    }
}

pub async fn handle(State(app): State<Arc<App>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let (api, op) = match target(&parts) {
        Ok(found) => found,
        Err(e) => return response::error(e),
    };
    let audit = audit::ApiCall::start(&app, op.name, &parts);
    let ((body, caller, result), mail_ids) =
        monban_core::audit::collecting_mail_ids(call(&app, api, op, &parts, body)).await;
    let audit = audit.with_mail_ids(mail_ids);
    let mut response = match result {
        Ok(response) => {
            let (response, json) = audit_view(op, response).await;
            audit
                .finish(&app, &body, caller.as_ref(), Ok(json.as_ref()))
                .await;
            response
        }
        Err(e) => {
            audit.finish(&app, &body, caller.as_ref(), Err(&e)).await;
            response::error(e)
        }
    };
    response
        .extensions_mut()
        .insert(request_log::OperationName(op.name));
    response
}

/// The body read (empty if it could not be), the caller once authenticated, and the
/// outcome: what the audit record is made of.
async fn call(
    app: &App,
    api: Api,
    op: &'static Operation,
    parts: &Parts,
    body: Body,
) -> (Vec<u8>, Option<Caller>, Result<Response, Error>) {
    let body = match read_body(parts, body).await {
        Ok(body) => body,
        Err(e) => return (Vec::new(), None, Err(e)),
    };
    let caller = match authenticate(app, api, op, parts, &body) {
        Ok(caller) => caller,
        Err(e) => return (body, None, Err(e)),
    };
    let result = crate::dispatch::dispatch(app, api, op, caller.clone(), &body).await;
    (body, Some(caller), result)
}

/// The response JSON of operations whose answer names the user (tokens, `UserSub`), for
/// the audit record; the response is rebuilt unchanged. Others pass through untouched.
async fn audit_view(op: &Operation, response: Response) -> (Response, Option<serde_json::Value>) {
    if !audit::response_names_user(op.name) {
        return (response, None);
    }
    let (parts, body) = response.into_parts();
    // The body is already in memory (`response::ok`): this does not wait on the network.
    match axum::body::to_bytes(body, MAX_BODY.saturating_mul(4)).await {
        Ok(bytes) => {
            let json = serde_json::from_slice(&bytes).ok();
            (Response::from_parts(parts, Body::from(bytes)), json)
        }
        Err(e) => (
            response::error(Error::internal(format!("response body: {e}"))),
            None,
        ),
    }
}

fn unknown_operation(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::UnknownOperationException, message)
}

/// The operation named by `X-Amz-Target: <ServicePrefix>.<Operation>`.
fn target(parts: &Parts) -> Result<(Api, &'static Operation), Error> {
    let value = parts
        .headers
        .get("x-amz-target")
        .ok_or_else(|| unknown_operation("Missing X-Amz-Target header."))?
        .to_str()
        .map_err(|_| unknown_operation("The X-Amz-Target header is not valid text."))?;
    let unknown = || {
        let shown: String = value.chars().take(128).collect();
        unknown_operation(format!("Unknown operation '{shown}'."))
    };
    let (prefix, name) = value.split_once('.').ok_or_else(unknown)?;
    let api = [Api::UserPools, Api::IdentityPools]
        .into_iter()
        .find(|api| api.service().target_prefix == prefix)
        .ok_or_else(unknown)?;
    let op = api.service().operation(name).ok_or_else(unknown)?;
    Ok((api, op))
}

fn too_large() -> Error {
    Error::invalid_parameter(format!(
        "The request body exceeds the maximum size of {MAX_BODY} bytes."
    ))
}

async fn read_body(parts: &Parts, body: Body) -> Result<Vec<u8>, Error> {
    let declared = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|len| len > MAX_DRAIN as u64) {
        return Err(too_large());
    }
    let mut body = body;
    let mut buf = Vec::new();
    let mut seen: usize = 0;
    while let Some(frame) = poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await {
        let frame = frame.map_err(|e| {
            Error::new(
                ErrorKind::SerializationException,
                "The request body could not be read.",
            )
            .with_source(e)
        })?;
        if let Ok(data) = frame.into_data() {
            seen = seen.saturating_add(data.len());
            if seen <= MAX_BODY {
                buf.extend_from_slice(&data);
            } else if seen > MAX_DRAIN {
                break;
            }
        }
    }
    if seen > MAX_BODY {
        return Err(too_large());
    }
    Ok(buf)
}

/// Who is calling, by the operation's auth class; fails before any Cognito logic runs.
fn authenticate(
    app: &App,
    api: Api,
    op: &Operation,
    parts: &Parts,
    body: &[u8],
) -> Result<Caller, Error> {
    let signed = parts.headers.contains_key(header::AUTHORIZATION);
    match op.auth {
        AuthKind::Unsigned => return Ok(Caller::Public),
        AuthKind::SignatureOptional if !signed => return Ok(Caller::Public),
        AuthKind::SigV4 | AuthKind::SignatureOptional => {}
    }
    let verifier = Verifier {
        keys: &app.admin_keys,
        now_ms: app.cx.now_ms(),
        dev: app.dev,
    };
    let request = RequestParts {
        method: parts.method.as_str(),
        path: parts.uri.path(),
        query: parts.uri.query(),
        headers: &parts.headers,
        authority: parts.uri.authority().map(|a| a.as_str()),
    };
    let iam = verifier.verify(&request, body, api.signing_name())?;
    Ok(Caller::Iam(iam))
}
