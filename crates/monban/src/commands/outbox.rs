//! `monban outbox`: the mail that would have been sent, for local development without a
//! mail server. Shows the newest messages, oldest first.

use std::collections::VecDeque;

use monban_core::mail::OutboxMessage;
use monban_core::store::OutboxStore;

use crate::settings::Settings;

const PAGE: usize = 500;

pub async fn run(settings: &Settings, limit: usize, json: bool) -> anyhow::Result<()> {
    let store = super::open_store(settings).await?;
    let messages = newest(&store, limit).await?;
    if messages.is_empty() && !json {
        println!("The outbox is empty.");
    }
    for message in &messages {
        if json {
            println!("{}", to_json(message));
        } else {
            print!("{}", to_text(message));
        }
    }
    Ok(())
}

/// The store pages oldest first; keep the last `limit` seen.
async fn newest(store: &dyn OutboxStore, limit: usize) -> anyhow::Result<Vec<OutboxMessage>> {
    let mut kept = VecDeque::with_capacity(limit.min(PAGE));
    let mut after = None;
    loop {
        let page = store
            .list_outbox(after, PAGE)
            .await
            .map_err(|e| anyhow::anyhow!("cannot read the outbox: {e}"))?;
        let full = page.len() == PAGE;
        for message in page {
            after = Some(message.id);
            if limit > 0 {
                if kept.len() == limit {
                    kept.pop_front();
                }
                kept.push_back(message);
            }
        }
        if !full {
            return Ok(kept.into());
        }
    }
}

fn to_text(m: &OutboxMessage) -> String {
    let e = &m.email;
    let mut out = format!(
        "--- #{} {}\nTo: {}\nFrom: {}\n",
        m.id,
        rfc3339_utc(m.created_ms),
        e.to,
        e.from
    );
    if let Some(reply_to) = &e.reply_to {
        out.push_str(&format!("Reply-To: {reply_to}\n"));
    }
    if let Some(pool_id) = &e.pool_id {
        out.push_str(&format!("User pool: {pool_id}\n"));
    }
    out.push_str(&format!(
        "Subject: {}\n\n{}\n\n",
        e.subject,
        e.body.trim_end()
    ));
    out
}

fn to_json(m: &OutboxMessage) -> serde_json::Value {
    let e = &m.email;
    serde_json::json!({
        "id": m.id,
        "time": rfc3339_utc(m.created_ms),
        "pool_id": e.pool_id,
        "to": e.to,
        "from": e.from,
        "reply_to": e.reply_to,
        "subject": e.subject,
        "body": e.body,
    })
}

/// `2024-05-01T12:34:56.789Z` from epoch milliseconds (proleptic Gregorian, UTC).
pub(crate) fn rfc3339_utc(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let millis = ms.rem_euclid(1000);
    let days = secs.div_euclid(86_400);
    let of_day = secs.rem_euclid(86_400);
    let (year, month, day) = monban_core::calendar::civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{millis:03}Z",
        of_day / 3600,
        of_day % 3600 / 60,
        of_day % 60
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use async_trait::async_trait;
    use monban_core::mail::Email;
    use monban_core::store::StoreResult;

    use super::*;

    #[test]
    fn formats_utc_times() {
        assert_eq!(rfc3339_utc(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(rfc3339_utc(951_782_400_123), "2000-02-29T00:00:00.123Z");
        assert_eq!(rfc3339_utc(1_714_566_896_789), "2024-05-01T12:34:56.789Z");
        assert_eq!(rfc3339_utc(-1), "1969-12-31T23:59:59.999Z");
    }

    struct Fake(usize);

    #[async_trait]
    impl OutboxStore for Fake {
        async fn insert_outbox(&self, _: i64, _: &Email) -> StoreResult<i64> {
            Ok(0)
        }
        async fn list_outbox(
            &self,
            after_id: Option<i64>,
            limit: usize,
        ) -> StoreResult<Vec<OutboxMessage>> {
            let start = after_id.map_or(1, |id| id + 1);
            let end = (start + limit as i64).min(self.0 as i64 + 1);
            Ok((start..end)
                .map(|id| OutboxMessage {
                    id,
                    created_ms: id,
                    email: Email {
                        pool_id: None,
                        to: format!("user{id}@example.com"),
                        from: "no-reply@example.com".into(),
                        reply_to: None,
                        subject: "code".into(),
                        body: "Your code is 123456".into(),
                    },
                })
                .collect())
        }
    }

    #[tokio::test]
    async fn keeps_the_newest_across_pages_oldest_first() {
        let ids: Vec<i64> = newest(&Fake(1203), 3)
            .await
            .unwrap()
            .iter()
            .map(|m| m.id)
            .collect();
        assert_eq!(ids, [1201, 1202, 1203]);
        assert_eq!(newest(&Fake(2), 10).await.unwrap().len(), 2);
        assert!(newest(&Fake(2), 0).await.unwrap().is_empty());
    }

    #[test]
    fn text_shows_addresses_subject_and_body() {
        let m = OutboxMessage {
            id: 7,
            created_ms: 0,
            email: Email {
                pool_id: Some("us-east-1_abc".into()),
                to: "a@example.com".into(),
                from: "b@example.com".into(),
                reply_to: None,
                subject: "Your code".into(),
                body: "Code 654321\n".into(),
            },
        };
        let text = to_text(&m);
        for needle in [
            "#7",
            "1970-01-01T00:00:00.000Z",
            "To: a@example.com",
            "From: b@example.com",
            "Subject: Your code",
            "Code 654321",
        ] {
            assert!(text.contains(needle), "{needle} missing:\n{text}");
        }
        assert_eq!(to_json(&m)["to"], "a@example.com");
    }
}
