//! AdminListUserAuthEvents: the user's sign-in, sign-up, password and code events from the
//! audit trail, newest first, pages of at most 60. Deviations: Cognito answers only in pools
//! with threat protection (`UserPoolAddOnNotEnabledException` otherwise) and scores each
//! event's risk; monban always answers and reports no `EventRisk`. Events recorded before
//! the user existed (failed sign-ins with an unknown name) are not the user's.

use monban_wire::idp::{AdminListUserAuthEventsRequest, AdminListUserAuthEventsResponse};

use crate::audit::auth_event_type;
use crate::error::Error;
use crate::paging::{decode_token, encode_token, page_size};
use crate::pool_config::load_pool;
use crate::users::find_user;
use crate::{Cx, Iam};

const MAX_PAGE: usize = 60;

pub async fn admin_list_user_auth_events(
    cx: &Cx,
    _iam: &Iam,
    req: AdminListUserAuthEventsRequest,
) -> Result<AdminListUserAuthEventsResponse, Error> {
    let pool = load_pool(cx, &req.user_pool_id).await?;
    let user = find_user(cx, &pool, &req.username).await?;
    let limit = page_size(req.max_results, MAX_PAGE).min(MAX_PAGE);
    let before = decode_token(req.next_token.as_deref())?
        .map(|seq| {
            seq.parse::<i64>()
                .map_err(|_| Error::invalid_parameter("Invalid pagination token."))
        })
        .transpose()?;
    let mut rows = cx
        .store
        .list_user_auth_events(&pool.id, &user.sub, before, limit + 1)
        .await?;
    let next_token = if rows.len() > limit {
        rows.truncate(limit);
        rows.last()
            .map(|(record, _)| encode_token(&record.seq.to_string()))
    } else {
        None
    };
    let auth_events = rows
        .iter()
        .filter_map(|(record, feedback)| auth_event_type(record, feedback.as_ref()))
        .collect();
    Ok(AdminListUserAuthEventsResponse {
        auth_events: Some(auth_events),
        next_token,
    })
}
