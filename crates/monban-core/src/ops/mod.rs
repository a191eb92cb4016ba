//! One file per Cognito operation, grouped by capability. Every operation is
//! `async fn op(cx: &Cx, caller, req: wire::XRequest) -> Result<wire::XResponse, Error>`;
//! IAM-only operations take an [`Iam`](crate::Iam) proof.

pub mod app_clients;
pub mod groups;
pub mod user_pools;
pub mod users;
