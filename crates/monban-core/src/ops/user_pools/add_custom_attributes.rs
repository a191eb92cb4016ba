//! AddCustomAttributes: appends `custom:<Name>` attributes to the pool's schema (at most 50
//! custom attributes; a name already used is refused).

use monban_wire::idp::{AddCustomAttributesRequest, AddCustomAttributesResponse};

use crate::error::Error;
use crate::pool_config::{
    add_custom_attributes as add_to_schema, load_pool, save_pool, schema, update_with_retry,
};
use crate::{Cx, Iam};

pub async fn add_custom_attributes(
    cx: &Cx,
    _iam: &Iam,
    req: AddCustomAttributesRequest,
) -> Result<AddCustomAttributesResponse, Error> {
    let req = &req;
    update_with_retry(move || async move {
        let mut pool = load_pool(cx, &req.user_pool_id).await?;
        let updated = add_to_schema(&schema(&pool), &req.custom_attributes)?;
        pool.config.schema_attributes = Some(updated);
        pool.modified_ms = cx.now_ms();
        save_pool(cx, &pool).await
    })
    .await?;
    Ok(AddCustomAttributesResponse {})
}
