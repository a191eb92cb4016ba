//! One file per Cognito operation, grouped by capability. Every operation is
//! `async fn op(cx: &Cx, caller, req: wire::XRequest) -> Result<wire::XResponse, Error>`;
//! IAM-only operations take an [`Iam`](crate::Iam) proof.

pub mod app_clients;
pub mod auth;
pub mod auth_events;
pub mod devices;
pub mod domains;
pub mod groups;
pub mod identity_pools;
pub mod mfa;
pub mod resource_servers;
pub mod self_service;
pub mod sign_up;
pub mod tokens;
pub mod ui_customization;
pub mod user_import;
pub mod user_pools;
pub mod users;
