//! `GET /_monban/messages`: every email and text message the server sent (development mode
//! keeps a copy of each in the database outbox), oldest first, each with the code it
//! carried. Filters: `recipient` (case-insensitive; a phone number's `+` may be left out,
//! since an unencoded `+` in a query string reads as a space), `pool_id`, `channel`
//! (`email`/`sms`).

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::response::Response;
use monban_core::entities::UserPool;
use monban_core::Error;
use serde::Serialize;

use super::code::{email_templates, find_code, sms_templates};
use super::{json_error, json_ok, DevState};

/// Rows read from the store per query.
const PAGE: usize = 500;
const FILTERS: [&str; 3] = ["recipient", "pool_id", "channel"];

#[derive(Debug, Serialize)]
struct Message {
    channel: &'static str,
    /// Per channel: an email and a text message can have the same id.
    id: i64,
    created_ms: i64,
    pool_id: Option<String>,
    recipient: String,
    from: Option<String>,
    subject: Option<String>,
    body: String,
    /// What the template's `{####}` became: a code, or an invitation's temporary password.
    code: Option<String>,
}

#[derive(Default)]
struct Filter {
    recipient: Option<String>,
    pool_id: Option<String>,
    channel: Option<String>,
}

impl Filter {
    fn parse(query: HashMap<String, String>) -> Result<Self, Error> {
        if let Some(unknown) = query.keys().find(|k| !FILTERS.contains(&k.as_str())) {
            return Err(Error::invalid_parameter(format!(
                "Unknown filter '{unknown}': use {}.",
                FILTERS.join(", ")
            )));
        }
        let channel = query.get("channel").cloned();
        if let Some(c) = channel.as_deref().filter(|c| !["email", "sms"].contains(c)) {
            return Err(Error::invalid_parameter(format!(
                "Unknown channel '{c}': use email or sms."
            )));
        }
        Ok(Self {
            recipient: query.get("recipient").cloned(),
            pool_id: query.get("pool_id").cloned(),
            channel,
        })
    }

    fn wants_channel(&self, channel: &str) -> bool {
        self.channel.as_deref().is_none_or(|c| c == channel)
    }

    fn keeps(&self, pool_id: Option<&str>, recipient: &str) -> bool {
        self.pool_id.as_deref().is_none_or(|p| pool_id == Some(p))
            && self
                .recipient
                .as_deref()
                .is_none_or(|r| bare(r).eq_ignore_ascii_case(bare(recipient)))
    }
}

/// An address without surrounding space or a phone number's leading `+`.
fn bare(recipient: &str) -> &str {
    let trimmed = recipient.trim();
    trimmed.strip_prefix('+').unwrap_or(trimmed)
}

pub async fn list(
    State(dev): State<Arc<DevState>>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let filter = match Filter::parse(query) {
        Ok(filter) => filter,
        Err(e) => return json_error(e),
    };
    match messages(&dev, &filter).await {
        Ok(messages) => json_ok(&serde_json::json!({ "messages": messages })),
        Err(e) => json_error(e),
    }
}

async fn messages(dev: &DevState, filter: &Filter) -> Result<Vec<Message>, Error> {
    let store = &dev.app.cx.store;
    let mut pools = Pools::default();
    let mut out = Vec::new();
    if filter.wants_channel("email") {
        let mut after = None;
        loop {
            let page = store.list_outbox(after, PAGE).await?;
            let full = page.len() == PAGE;
            for m in page {
                after = Some(m.id);
                let e = m.email;
                if !filter.keeps(e.pool_id.as_deref(), &e.to) {
                    continue;
                }
                let templates = email_templates(pools.get(dev, e.pool_id.as_deref()).await?);
                let code = find_code(&templates, &e.body).or_else(|| find_code(&[], &e.subject));
                out.push(Message {
                    channel: "email",
                    id: m.id,
                    created_ms: m.created_ms,
                    pool_id: e.pool_id,
                    recipient: e.to,
                    from: Some(e.from),
                    subject: Some(e.subject),
                    body: e.body,
                    code,
                });
            }
            if !full {
                break;
            }
        }
    }
    if filter.wants_channel("sms") {
        let mut after = None;
        loop {
            let page = store.list_sms(after, PAGE).await?;
            let full = page.len() == PAGE;
            for m in page {
                after = Some(m.id);
                let s = m.sms;
                if !filter.keeps(s.pool_id.as_deref(), &s.to) {
                    continue;
                }
                let templates = sms_templates(pools.get(dev, s.pool_id.as_deref()).await?);
                out.push(Message {
                    channel: "sms",
                    id: m.id,
                    created_ms: m.created_ms,
                    code: find_code(&templates, &s.body),
                    pool_id: s.pool_id,
                    recipient: s.to,
                    from: None,
                    subject: None,
                    body: s.body,
                });
            }
            if !full {
                break;
            }
        }
    }
    // Stable: within one millisecond, emails before texts, each in the order sent.
    out.sort_by_key(|m| m.created_ms);
    Ok(out)
}

/// Pools read once per listing (a message's pool may have been deleted since).
#[derive(Default)]
struct Pools(HashMap<String, Option<UserPool>>);

impl Pools {
    async fn get(&mut self, dev: &DevState, id: Option<&str>) -> Result<Option<&UserPool>, Error> {
        let Some(id) = id else {
            return Ok(None);
        };
        if !self.0.contains_key(id) {
            let pool = dev.app.cx.store.get_user_pool(id).await?;
            self.0.insert(id.to_owned(), pool);
        }
        Ok(self.0.get(id).and_then(Option::as_ref))
    }
}
