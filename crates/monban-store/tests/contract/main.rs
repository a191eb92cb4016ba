//! The storage contract of `monban_core::store`, run on SQLite always and on PostgreSQL
//! when `MONBAN_TEST_DATABASE_URL` is set (see `scripts/start-postgres.sh`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod fixtures;
mod harness;

mod app_clients;
mod audit;
mod auth_sessions;
mod codes;
mod connect;
mod decoy_attempts;
mod devices;
mod export;
mod groups;
mod hosted_ui;
mod identity_pools;
mod mail_log;
mod oauth;
mod outbox;
mod refresh_tokens;
mod reset;
mod signing_keys;
mod sms_outbox;
mod user_filters;
mod user_import;
mod user_pools;
mod users;
