//! `GET /_monban/clock` and `POST /_monban/clock`: the server clock's offset from real
//! time, so tests expire codes, sessions and tokens without sleeping. Everything that
//! reads the time follows it: expiry checks, token `iat`/`exp`, the `Date` header.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use monban_core::{Clock, Error};
use serde::Deserialize;

use super::{json_error, json_ok, parse_body, DevState};

/// The body of `POST /_monban/clock`: exactly one of the two.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SetClock {
    /// The new offset from real time, in milliseconds (0 is real time).
    offset_ms: Option<i64>,
    /// Moves the clock by this many milliseconds (back when negative).
    advance_ms: Option<i64>,
}

pub async fn get(State(dev): State<Arc<DevState>>) -> Response {
    show(&dev)
}

pub async fn set(State(dev): State<Arc<DevState>>, body: Bytes) -> Response {
    let request: SetClock = match parse_body(&body) {
        Ok(request) => request,
        Err(e) => return json_error(e),
    };
    let clock = &dev.controls.clock;
    match (request.offset_ms, request.advance_ms) {
        (Some(offset), None) => clock.set_offset_ms(offset),
        (None, Some(by)) => {
            clock.advance_ms(by);
        }
        _ => {
            return json_error(Error::invalid_parameter(
                "Give exactly one of offset_ms and advance_ms.",
            ))
        }
    }
    show(&dev)
}

fn show(dev: &DevState) -> Response {
    let clock = &dev.controls.clock;
    json_ok(&serde_json::json!({
        "offset_ms": clock.offset_ms(),
        "now_ms": clock.now_ms(),
    }))
}
