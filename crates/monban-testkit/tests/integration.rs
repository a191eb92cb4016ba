//! End-to-end tests: a real monban over TCP, driven by the AWS SDK for Rust (and raw HTTP
//! where the SDK cannot express a request). One binary, one module per capability.
//!
//! Backend: SQLite (a fresh file per test) unless `MONBAN_TEST_DATABASE_URL` names a
//! PostgreSQL database, in which case every test of this binary runs on it. Tests on
//! PostgreSQL share that database, so they only ever look at the ids they created.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod integration {
    pub mod support;

    mod app_clients;
    mod audit;
    mod concurrency;
    mod custom_auth;
    mod dev_mode;
    mod devices;
    mod enumeration;
    mod foreign_hashes;
    mod groups;
    mod hosted_ui;
    mod hostile_input;
    mod identity_pools;
    mod list_users;
    mod mfa;
    mod nodes;
    mod oauth;
    mod oauth_domains;
    mod oauth_grants;
    mod oauth_introspection;
    mod protocol;
    mod self_service;
    mod sign_in;
    mod sign_up;
    mod sigv4_attacks;
    mod throttle;
    mod token_attacks;
    mod tokens;
    mod triggers;
    mod user_import;
    mod user_pools;
    mod users;
}
