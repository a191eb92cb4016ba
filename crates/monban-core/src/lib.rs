//! The behaviour of Amazon Cognito, with no HTTP and no SQL: entities, the storage ports,
//! and one function per operation in `ops/`. Operations take and return the wire structs of
//! `monban-wire` (they are the contract) and get everything else from [`Cx`].

pub mod audit;
pub mod auth;
pub mod calendar;
pub mod caller;
pub mod codes;
pub mod credentials;
pub mod cx;
pub mod decoy_store;
pub mod dev;
pub mod devices;
pub mod entities;
pub mod error;
pub mod export;
pub mod heavy;
pub mod hosted_ui;
pub mod identity_pools;
pub mod ids;
pub mod mail;
pub mod mfa;
pub mod oauth;
pub mod ops;
pub mod paging;
pub mod password;
pub mod pool_config;
mod sealed;
pub mod sms;
pub mod store;
pub mod throttling;
pub mod tokens;
pub mod triggers;
pub mod user_import;
pub mod users;

pub use caller::{Caller, Iam};
pub use cx::{Clock, Cx, IssuerStyle, Rng, Settings, SystemClock, SystemRng};
pub use error::{Error, Result};
pub use monban_wire as wire;
