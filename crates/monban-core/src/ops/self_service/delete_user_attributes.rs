//! DeleteUserAttributes: the signed-in user removes attributes its app client may write;
//! required and immutable attributes are refused (`InvalidParameterException`), as are
//! attributes the client may not write (`NotAuthorizedException`). Removing `email` or
//! `phone_number` removes its verification flag, its alias and any code waiting for it.

use monban_wire::idp::{DeleteUserAttributesRequest, DeleteUserAttributesResponse};

use super::access::token_client;
use super::verification::{drop_verification, VERIFIABLE};
use crate::error::Error;
use crate::pool_config::check_writable;
use crate::tokens::authenticate_access_token;
use crate::users::{
    apply_attribute_changes, modify_user, validate_deletes, AttributeChanges, KeyWrite, Target,
};
use crate::{Caller, Cx};

pub async fn delete_user_attributes(
    cx: &Cx,
    _caller: Caller,
    req: DeleteUserAttributesRequest,
) -> Result<DeleteUserAttributesResponse, Error> {
    let access = authenticate_access_token(cx, &req.access_token).await?;
    let client = token_client(cx, &access).await?;
    let pool = &access.pool;
    let names = validate_deletes(pool, &req.user_attribute_names)?;
    check_writable(pool, &client, names.iter().map(String::as_str))?;
    let changes: AttributeChanges = names.into_iter().map(|name| (name, None)).collect();
    let stored = modify_user(
        cx,
        pool,
        Target::Sub(&access.user.sub),
        KeyWrite::Update,
        |user| {
            apply_attribute_changes(&mut user.attributes, &changes);
            Ok(())
        },
    )
    .await?;
    for (attribute, _, _) in VERIFIABLE {
        if changes.contains_key(attribute) {
            drop_verification(cx, &stored, attribute).await?;
        }
    }
    Ok(DeleteUserAttributesResponse {})
}
