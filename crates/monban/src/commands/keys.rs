//! `monban keys rotate --pool-id ID`: adds a new ID-token key and a new access-token key
//! to a pool. Running servers start signing with them within a minute (their key cache
//! expires); tokens signed with the old keys verify until they expire, and the JWKS lists
//! old and new keys meanwhile.

use std::sync::Arc;

use monban_core::mail::OutboxMailer;
use monban_core::{tokens, Cx, SystemClock, SystemRng};

use crate::settings::Settings;

pub async fn rotate(settings: &Settings, pool_id: &str) -> anyhow::Result<()> {
    let store = Arc::new(super::open_store(settings).await?);
    let clock = Arc::new(SystemClock);
    let cx = Cx {
        store: store.clone(),
        clock: clock.clone(),
        rng: Arc::new(SystemRng),
        // Nothing is mailed here; the outbox is the mailer that needs no settings.
        mailer: Arc::new(OutboxMailer {
            store: store.clone(),
            clock: clock.clone(),
        }),
        settings: Arc::new(settings.core_settings()),
        keys: Default::default(),
        secrets: Default::default(),
        triggers: Arc::new(monban_core::triggers::NoTriggers),
        sms: Arc::new(monban_core::sms::OutboxSms { store, clock }),
    };
    let kids = tokens::rotate_keys(&cx, pool_id)
        .await
        .map_err(|e| anyhow::anyhow!("{}", e.message))?;
    println!("new signing keys for {pool_id}: {}", kids.join(", "));
    Ok(())
}
