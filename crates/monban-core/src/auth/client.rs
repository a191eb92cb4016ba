//! The app client of a public (unsigned) operation, found by its id alone, and the
//! `SECRET_HASH` / `SecretHash` check for clients with a secret, in Cognito's words
//! (flows.md §1).

use crate::entities::{AppClient, UserPool};
use crate::error::Error;
use crate::Cx;

use super::secret_hash::verify_secret_hash;

/// The client named by `client_id` and its pool; `ResourceNotFoundException` when either is
/// unknown (client ids are unique across pools, so the id alone finds it).
pub async fn load_public_client(cx: &Cx, client_id: &str) -> Result<(UserPool, AppClient), Error> {
    let client = cx
        .store
        .get_app_client(client_id)
        .await?
        .ok_or_else(|| Error::client_not_found(client_id))?;
    // A client outlives its pool only during a delete; treat it as gone.
    let pool = cx
        .store
        .get_user_pool(&client.pool_id)
        .await?
        .ok_or_else(|| Error::client_not_found(client_id))?;
    Ok((pool, client))
}

/// Checks the `SECRET_HASH` a caller sent for `username` (what it typed in the request, or
/// the internal username for challenge responses and refresh):
/// - client with a secret, none sent → `NotAuthorizedException: Client <id> is configured
///   with secret but SECRET_HASH was not received`;
/// - wrong → `NotAuthorizedException: Unable to verify secret hash for client <id>`;
/// - sent to a client without a secret → `InvalidParameterException: Client <id> is not
///   configured for secret but secret hash was received`.
///
/// Compared in constant time against each of the client's secrets.
pub fn check_secret_hash(
    client: &AppClient,
    username: &str,
    provided: Option<&str>,
) -> Result<(), Error> {
    let id = &client.client_id;
    let secrets: Vec<&str> = client_secrets(client).collect();
    match (secrets.is_empty(), provided) {
        (true, None) => Ok(()),
        (true, Some(_)) => Err(Error::invalid_parameter(format!(
            "Client {id} is not configured for secret but secret hash was received"
        ))),
        (false, None) => Err(Error::not_authorized(format!(
            "Client {id} is configured with secret but SECRET_HASH was not received"
        ))),
        (false, Some(provided)) => {
            // Every secret is tried (no early exit), so timing does not tell which matched.
            let matched = secrets.iter().fold(false, |matched, secret| {
                verify_secret_hash(secret, username, id, provided) | matched
            });
            if matched {
                Ok(())
            } else {
                Err(Error::not_authorized(format!(
                    "Unable to verify secret hash for client {id}"
                )))
            }
        }
    }
}

/// The client's active secrets. One today; a second one joins here when
/// AddUserPoolClientSecret is implemented.
fn client_secrets(client: &AppClient) -> impl Iterator<Item = &str> {
    client.secret.as_deref().into_iter()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use monban_wire::idp::UserPoolClientType;
    use monban_wire::ErrorKind;

    use super::*;
    use crate::auth::secret_hash::secret_hash;

    const SECRET: &str = "abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnop";
    const CLIENT_ID: &str = "1example23456789abcdefghij";

    fn client(secret: Option<&str>) -> AppClient {
        AppClient {
            pool_id: "us-east-1_AbCdEf123".to_owned(),
            client_id: CLIENT_ID.to_owned(),
            name: "app".to_owned(),
            secret: secret.map(str::to_owned),
            created_ms: 0,
            modified_ms: 0,
            version: 1,
            config: UserPoolClientType::default(),
        }
    }

    #[test]
    fn public_client_takes_no_hash() {
        assert!(check_secret_hash(&client(None), "alice", None).is_ok());
        let e = check_secret_hash(&client(None), "alice", Some("x")).unwrap_err();
        assert_eq!(e.kind, ErrorKind::InvalidParameterException);
        assert_eq!(
            e.message,
            format!("Client {CLIENT_ID} is not configured for secret but secret hash was received")
        );
    }

    #[test]
    fn secret_client_needs_the_right_hash() {
        let c = client(Some(SECRET));
        let e = check_secret_hash(&c, "alice", None).unwrap_err();
        assert_eq!(e.kind, ErrorKind::NotAuthorizedException);
        assert_eq!(
            e.message,
            format!(
                "Client {CLIENT_ID} is configured with secret but SECRET_HASH was not received"
            )
        );
        let good = secret_hash(SECRET, "alice", CLIENT_ID);
        assert_eq!(good, "ZlzLKRF0Yczf15mIG60LmoQP66/YXhu6oZgf9EThX/s=");
        assert!(check_secret_hash(&c, "alice", Some(&good)).is_ok());
        let e = check_secret_hash(&c, "bob", Some(&good)).unwrap_err();
        assert_eq!(e.kind, ErrorKind::NotAuthorizedException);
        assert_eq!(
            e.message,
            format!("Unable to verify secret hash for client {CLIENT_ID}")
        );
    }
}
