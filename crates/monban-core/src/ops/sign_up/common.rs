//! What the sign-up and recovery operations share: the public client and its secret hash,
//! whether the client hides user existence, and where a sign-up code goes.

use monban_wire::idp::{PreventUserExistenceErrorTypes, VerifiedAttributeType};

use crate::auth::client::{check_secret_hash, load_public_client};
use crate::codes::Destination;
use crate::entities::{AppClient, User, UserPool};
use crate::error::Error;
use crate::pool_config::auto_verified_attributes;
use crate::Cx;

/// The pool and client of a public call, after the client's `SECRET_HASH` check for the
/// name the caller gave.
pub(super) async fn authorise(
    cx: &Cx,
    client_id: &str,
    username: &str,
    secret_hash: Option<&str>,
) -> Result<(UserPool, AppClient), Error> {
    let (pool, client) = load_public_client(cx, client_id).await?;
    check_secret_hash(&client, username, secret_hash)?;
    Ok((pool, client))
}

/// `PreventUserExistenceErrors` ENABLED: unknown users get the answers known users get.
pub(super) fn hides_existence(client: &AppClient) -> bool {
    client.config.prevent_user_existence_errors == Some(PreventUserExistenceErrorTypes::Enabled)
}

/// The attribute a sign-up code goes to: the pool's auto-verified attribute that the user
/// has. With both email and phone auto-verified, email is chosen, since monban sends no
/// SMS; `None` when the user has neither (then no code is sent and the user stays
/// unconfirmed, as in Cognito).
pub(super) fn sign_up_destination<'a>(pool: &UserPool, user: &'a User) -> Option<Destination<'a>> {
    let verified = auto_verified_attributes(pool);
    let value = |name: &str| {
        user.attributes
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    };
    let candidates = [
        (VerifiedAttributeType::Email, "email"),
        (VerifiedAttributeType::PhoneNumber, "phone_number"),
    ];
    candidates
        .into_iter()
        .filter(|(kind, _)| verified.contains(kind))
        .find_map(|(_, attribute)| value(attribute).map(|value| Destination { attribute, value }))
}

/// What a sign-up code was sent to, kept with the code so that confirming it verifies
/// that value and no other.
pub(super) fn destination_data(to: Destination<'_>) -> serde_json::Value {
    serde_json::json!({ "attribute": to.attribute, "value": to.value })
}
