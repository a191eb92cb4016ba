//! DeleteIdentities: 1-60 identities with their logins (which then make new identities
//! when seen again). Unknown ids are not an error; nothing is left unprocessed.

use monban_wire::identity::{DeleteIdentitiesInput, DeleteIdentitiesResponse};

use crate::error::Error;
use crate::{Cx, Iam};

pub async fn delete_identities(
    cx: &Cx,
    _iam: &Iam,
    req: DeleteIdentitiesInput,
) -> Result<DeleteIdentitiesResponse, Error> {
    cx.store
        .delete_identities(&req.identity_ids_to_delete)
        .await?;
    Ok(DeleteIdentitiesResponse {
        unprocessed_identity_ids: Some(Vec::new()),
    })
}
