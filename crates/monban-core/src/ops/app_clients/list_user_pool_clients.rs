//! ListUserPoolClients: the pool's clients ordered by id, `MaxResults` 1-60 a page.
//! Every monban client is a REGULAR one, so a `ClientType` filter of DCR lists none.

use monban_wire::idp::{ClientTypeType, ListUserPoolClientsRequest, ListUserPoolClientsResponse};

use crate::error::Error;
use crate::paging::{decode_token, encode_token, page_size};
use crate::pool_config::{client_description, load_pool};
use crate::{Cx, Iam};

const MAX_RESULTS: i32 = 60;

pub async fn list_user_pool_clients(
    cx: &Cx,
    _iam: &Iam,
    req: ListUserPoolClientsRequest,
) -> Result<ListUserPoolClientsResponse, Error> {
    if let Some(max) = req.max_results {
        if !(1..=MAX_RESULTS).contains(&max) {
            return Err(Error::invalid_parameter(format!(
                "1 validation error detected: Value '{max}' at 'maxResults' failed to satisfy \
                 constraint: Member must have value between 1 and {MAX_RESULTS}"
            )));
        }
    }
    let pool = load_pool(cx, &req.user_pool_id).await?;
    if req.client_type == Some(ClientTypeType::Dcr) {
        return Ok(ListUserPoolClientsResponse {
            next_token: None,
            user_pool_clients: Some(Vec::new()),
        });
    }
    let limit = page_size(req.max_results, 60);
    let after = decode_token(req.next_token.as_deref())?;
    // One row more than the page says whether another page follows.
    let mut clients = cx
        .store
        .list_app_clients(&pool.id, after.as_deref(), limit + 1)
        .await?;
    let next_token = if clients.len() > limit {
        clients.truncate(limit);
        clients.last().map(|c| encode_token(&c.client_id))
    } else {
        None
    };
    Ok(ListUserPoolClientsResponse {
        next_token,
        user_pool_clients: Some(clients.iter().map(client_description).collect()),
    })
}
