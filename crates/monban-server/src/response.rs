//! AWS JSON 1.1 answers: the output shape with 200, or `{"__type", "message"}` with 400
//! (500 for the server's own faults) and `x-amzn-ErrorType`.

use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use monban_core::Error;
use serde::Serialize;

pub const CONTENT_TYPE: &str = "application/x-amz-json-1.1";
pub const ERROR_TYPE: HeaderName = HeaderName::from_static("x-amzn-errortype");
pub const ERROR_MESSAGE: HeaderName = HeaderName::from_static("x-amzn-errormessage");
/// Longer messages stay out of the header: a validation message echoing a large value
/// would make a response head that clients refuse (hyper: 400 kB, Python's http.client:
/// 64 kB a line).
const MAX_ERROR_MESSAGE_HEADER: usize = 2048;

/// A successful answer: 200 and the output shape as JSON.
pub fn ok<T: Serialize>(output: &T) -> Response {
    match serde_json::to_vec(output) {
        Ok(body) => json(StatusCode::OK, body),
        Err(e) => error(Error::internal(e)),
    }
}

/// An error answer. Faults are logged with their source, which never reaches the client.
pub fn error(e: Error) -> Response {
    let name = e.kind.name();
    let status = if e.kind.is_fault() {
        match &e.source {
            Some(source) => {
                tracing::error!(error.type = name, error.source = %source, "{}", e.message)
            }
            None => tracing::error!(error.type = name, "{}", e.message),
        }
        StatusCode::INTERNAL_SERVER_ERROR
    } else {
        StatusCode::BAD_REQUEST
    };
    let body = serde_json::json!({ "__type": name, "message": e.message });
    let mut response = json(status, body.to_string().into_bytes());
    let headers = response.headers_mut();
    headers.insert(ERROR_TYPE, HeaderValue::from_static(name));
    // Only when the message fits in a header as it is (amazon-cognito-identity-js reads the
    // body first anyway).
    if e.message.len() <= MAX_ERROR_MESSAGE_HEADER {
        if let Ok(value) = HeaderValue::from_str(&e.message) {
            headers.insert(ERROR_MESSAGE, value);
        }
    }
    response.extensions_mut().insert(e.kind);
    response
}

fn json(status: StatusCode, body: Vec<u8>) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE))],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use axum::body::to_bytes;

    async fn body_json(response: Response) -> serde_json::Value {
        let bytes = to_bytes(response.into_body(), usize::MAX).await.unwrap();
        serde_json::from_slice(&bytes).unwrap()
    }

    #[tokio::test]
    async fn client_errors_are_400_with_type_and_message() {
        let response = error(Error::not_authorized("Incorrect username or password."));
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        assert_eq!(response.headers()["content-type"], CONTENT_TYPE);
        assert_eq!(
            response.headers()["x-amzn-errortype"],
            "NotAuthorizedException"
        );
        assert_eq!(
            response.headers()["x-amzn-errormessage"],
            "Incorrect username or password."
        );
        assert_eq!(
            body_json(response).await,
            serde_json::json!({
                "__type": "NotAuthorizedException",
                "message": "Incorrect username or password."
            })
        );
    }

    #[tokio::test]
    async fn faults_are_500_and_hide_their_source() {
        let response = error(Error::internal("database password is hunter2"));
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(
            response.headers()["x-amzn-errortype"],
            "InternalErrorException"
        );
        let body = body_json(response).await;
        assert_eq!(body["__type"], "InternalErrorException");
        assert!(!body.to_string().contains("hunter2"), "{body}");
    }

    #[tokio::test]
    async fn messages_that_cannot_be_headers_stay_in_the_body() {
        let response = error(Error::invalid_parameter("Ungültiger Name\nzweite Zeile"));
        assert!(response.headers().get("x-amzn-errormessage").is_none());
        assert_eq!(
            body_json(response).await["message"],
            "Ungültiger Name\nzweite Zeile"
        );
    }

    #[tokio::test]
    async fn long_messages_stay_in_the_body() {
        let message = format!("Value '{}' is too long", "x".repeat(500_000));
        let response = error(Error::invalid_parameter(message.clone()));
        assert!(response.headers().get("x-amzn-errormessage").is_none());
        assert_eq!(body_json(response).await["message"], message.as_str());
    }

    #[tokio::test]
    async fn outputs_are_200_json() {
        let response = ok(&monban_wire::Empty {});
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()["content-type"], CONTENT_TYPE);
        assert_eq!(body_json(response).await, serde_json::json!({}));
    }
}
