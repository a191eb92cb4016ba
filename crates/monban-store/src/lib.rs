//! SQL storage for monban: [`SqlStore`] implements every storage port of `monban-core` on
//! SQLite (the embedded default) or PostgreSQL, chosen at run time from the database URL.
//!
//! One SQL text serves both backends through sqlx's `Any` driver: `$n` placeholders,
//! epoch-millisecond BIGINT times, booleans as 0/1, JSON documents as TEXT. What differs
//! lives in `dialect` and in the per-backend migrations (`migrations/{sqlite,postgres}`).
//!
//! Unique keys are the database's constraints; a broken one is reported as
//! `StoreError::Conflict { key }`, where `key` is the user's login key (`u:alice`,
//! `email:a@example.com`) or `sub:<sub>` for users, `pool:<id>`, `client:<id>` and
//! `group:<name>` for the others (`kid:<kid>`, `session:<id>`, `once:<id>` for sign-in state;
//! `identity_pool:<id>`, `identity:<id>` and `login:<provider>:<subject>` for identity pools).

mod app_clients;
mod audit;
mod auth_sessions;
mod backup;
mod codec;
mod codes;
mod config_cache;
mod decoy_attempts;
mod devices;
mod dialect;
mod error;
mod export;
mod groups;
mod hosted_ui;
mod identities;
mod identity_pools;
mod mail_log;
mod migrations;
mod oauth;
mod outbox;
mod pool_tables;
mod refresh_tokens;
mod reset;
mod secrets;
mod signing_keys;
mod sms_outbox;
mod sql_store;
mod user_import;
mod user_pools;
mod users;

pub use sql_store::SqlStore;
