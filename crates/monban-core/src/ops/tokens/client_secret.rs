//! The raw `ClientSecret` that GetTokensFromRefreshToken and RevokeToken take (instead of
//! a SECRET_HASH) from clients that have a secret.

use monban_wire::ErrorKind;
use subtle::ConstantTimeEq;

use crate::entities::AppClient;
use crate::error::Error;

/// Checks `provided` against the client's secret in constant time. A client with a secret
/// needs it (`kind` error otherwise: the operations declare different ones); a client
/// without one must not be sent one (`InvalidParameterException`).
pub(crate) fn check_client_secret(
    client: &AppClient,
    provided: Option<&str>,
    kind: ErrorKind,
) -> Result<(), Error> {
    let id = &client.client_id;
    match (client.secret.as_deref(), provided) {
        (None, None) => Ok(()),
        (None, Some(_)) => Err(Error::invalid_parameter(format!(
            "Client {id} is not configured for secret but secret was received"
        ))),
        (Some(_), None) => Err(Error::new(
            kind,
            format!("Client {id} is configured with secret but ClientSecret was not received"),
        )),
        (Some(secret), Some(provided)) => {
            if bool::from(secret.as_bytes().ct_eq(provided.as_bytes())) {
                Ok(())
            } else {
                Err(Error::new(
                    kind,
                    format!("Unable to verify secret for client {id}"),
                ))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use monban_wire::idp::UserPoolClientType;

    use super::*;

    fn client(secret: Option<&str>) -> AppClient {
        AppClient {
            pool_id: "us-east-1_AbC".to_owned(),
            client_id: "c1".to_owned(),
            name: "app".to_owned(),
            secret: secret.map(str::to_owned),
            created_ms: 0,
            modified_ms: 0,
            version: 1,
            config: UserPoolClientType::default(),
        }
    }

    #[test]
    fn secrets_are_checked() {
        let kind = ErrorKind::NotAuthorizedException;
        assert!(check_client_secret(&client(None), None, kind).is_ok());
        let e = check_client_secret(&client(None), Some("s"), kind).unwrap_err();
        assert_eq!(e.kind, ErrorKind::InvalidParameterException);
        let c = client(Some("s3cret"));
        assert!(check_client_secret(&c, Some("s3cret"), kind).is_ok());
        for wrong in [None, Some(""), Some("s3cre"), Some("s3cret!")] {
            let e = check_client_secret(&c, wrong, kind).unwrap_err();
            assert_eq!(e.kind, kind);
            assert!(!e.message.contains("s3cret"), "{}", e.message);
        }
    }
}
