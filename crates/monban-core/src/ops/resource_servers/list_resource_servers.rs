//! ListResourceServers: ordered by identifier, pages of at most 50 (`MaxResults` is
//! required by the model); NextToken is the last identifier of the page.

use monban_wire::idp::{ListResourceServersRequest, ListResourceServersResponse};

use super::resource_server_type;
use crate::error::Error;
use crate::paging::{decode_token, page_size, split_page};
use crate::pool_config::load_pool;
use crate::{Cx, Iam};

const MAX_PAGE: usize = 50;

pub async fn list_resource_servers(
    cx: &Cx,
    _iam: &Iam,
    req: ListResourceServersRequest,
) -> Result<ListResourceServersResponse, Error> {
    let pool = load_pool(cx, &req.user_pool_id).await?;
    let limit = page_size(req.max_results, MAX_PAGE).min(MAX_PAGE);
    let after = decode_token(req.next_token.as_deref())?;
    let servers = cx
        .store
        .list_resource_servers(&pool.id, after.as_deref(), limit + 1)
        .await?;
    let (servers, next_token) = split_page(servers, limit, |s| &s.identifier);
    Ok(ListResourceServersResponse {
        next_token,
        resource_servers: servers.iter().map(resource_server_type).collect(),
    })
}
