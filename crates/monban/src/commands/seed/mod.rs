//! `monban seed FILE`: creates the pools, clients, groups and users a seed file describes
//! (see [`file`] for the format), idempotently, and prints their ids. Works on any
//! database, in development mode and in production alike.

mod apply;
pub mod file;

use std::path::Path;
use std::sync::Arc;

use monban_core::mail::OutboxMailer;
use monban_core::{Cx, Iam};

use crate::settings::Settings;

pub use apply::Applied;

/// The caller the seed's operations run as: the operator at the console.
const SEED_CALLER: &str = "monban-seed";

pub async fn run(settings: &Settings, path: &Path, json: bool) -> anyhow::Result<()> {
    if settings.ephemeral {
        anyhow::bail!(
            "an ephemeral database exists only inside its `monban serve`; seed a data \
             directory or a database URL instead"
        );
    }
    let file = file::load(path)?;
    let store = Arc::new(super::open_store(settings).await?);
    let runtime = crate::dev_mode::runtime(settings);
    let cx = Cx {
        store: store.clone(),
        clock: runtime.clock.clone(),
        rng: runtime.rng,
        // Seeded users get no invitation; nothing else here sends mail.
        mailer: Arc::new(OutboxMailer {
            store: store.clone(),
            clock: runtime.clock.clone(),
        }),
        settings: Arc::new(settings.core_settings()),
        keys: Default::default(),
        secrets: Default::default(),
        triggers: Arc::new(monban_core::triggers::NoTriggers),
        sms: Arc::new(monban_core::sms::OutboxSms {
            store: store.clone(),
            clock: runtime.clock,
        }),
    };
    let iam = Iam {
        access_key_id: SEED_CALLER.to_owned(),
    };
    let applied = apply::apply(&cx, &iam, &file).await;
    store.close().await;
    for item in applied? {
        if json {
            println!("{}", to_json(&item));
        } else {
            println!("{}", to_text(&item));
        }
    }
    Ok(())
}

fn qualified_name(item: &Applied) -> String {
    match &item.pool {
        Some(pool) => format!("{pool}/{}", item.name),
        None => item.name.clone(),
    }
}

fn status(item: &Applied) -> &'static str {
    if item.created {
        "created"
    } else {
        "found"
    }
}

fn to_text(item: &Applied) -> String {
    format!(
        "{:<7} {:<40} {:<40} {}",
        item.kind,
        qualified_name(item),
        item.id.as_deref().unwrap_or("-"),
        status(item)
    )
}

fn to_json(item: &Applied) -> serde_json::Value {
    serde_json::json!({
        "kind": item.kind,
        "pool": item.pool,
        "name": item.name,
        "id": item.id,
        "status": status(item),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_name_the_item_its_id_and_what_happened() {
        let client = Applied {
            kind: "client",
            pool: Some("my-app".into()),
            name: "web".into(),
            id: Some("56mo66skn061vgpqj8mg154g5h".into()),
            created: true,
        };
        let line = to_text(&client);
        assert!(line.starts_with("client  my-app/web "), "{line}");
        assert!(line.contains("56mo66skn061vgpqj8mg154g5h"), "{line}");
        assert!(line.ends_with("created"), "{line}");
        let group = Applied {
            kind: "group",
            pool: Some("my-app".into()),
            name: "admins".into(),
            id: None,
            created: false,
        };
        assert!(to_text(&group).ends_with("found"));
        assert_eq!(to_json(&group)["id"], serde_json::Value::Null);
        assert_eq!(to_json(&client)["status"], "created");
    }
}
