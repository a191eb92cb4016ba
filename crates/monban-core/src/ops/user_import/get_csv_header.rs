//! GetCSVHeader: the columns of the pool's import file.

use monban_wire::idp::{GetCSVHeaderRequest, GetCSVHeaderResponse};

use crate::error::Error;
use crate::pool_config::load_pool;
use crate::user_import::csv_header;
use crate::{Cx, Iam};

pub async fn get_csv_header(
    cx: &Cx,
    _iam: &Iam,
    req: GetCSVHeaderRequest,
) -> Result<GetCSVHeaderResponse, Error> {
    let pool = load_pool(cx, &req.user_pool_id).await?;
    Ok(GetCSVHeaderResponse {
        csv_header: Some(csv_header(&pool)),
        user_pool_id: Some(pool.id),
    })
}
