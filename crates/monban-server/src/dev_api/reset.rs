//! `POST /_monban/reset`: back to a fresh server. Every pool, client, user, group, session,
//! code, token, message and server-wide secret goes; the clock returns to real time; with
//! a random seed, the generator starts again, so the same requests get the same ids as on a
//! freshly started server.

use std::sync::Arc;

use axum::extract::State;
use axum::response::Response;

use super::{json_error, json_ok, DevState};

pub async fn reset(State(dev): State<Arc<DevState>>) -> Response {
    let cx = &dev.app.cx;
    if let Err(e) = cx.store.reset_all().await {
        return json_error(e.into());
    }
    // What is cached belongs to the emptied store: signing keys of pools that no longer
    // exist (with a seed, a pool of the same id comes back with new keys), and secrets that
    // a fresh server makes anew.
    cx.keys.clear();
    cx.secrets.clear();
    dev.controls.clock.set_offset_ms(0);
    if let Some(rng) = &dev.controls.rng {
        rng.restart();
    }
    tracing::info!("development reset: the store is empty");
    json_ok(&serde_json::json!({}))
}
