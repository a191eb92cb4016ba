//! The storage port of the hosted UI: sign-in sessions and UI customizations.

use async_trait::async_trait;

use super::{HostedUiSession, UiCustomization};
use crate::store::StoreResult;

#[async_trait]
pub trait HostedUiStore: Send + Sync {
    /// `Conflict` if the id is taken, `NotFound` if the pool is gone. May delete sessions
    /// that expired before `session.created_ms`.
    async fn insert_hosted_ui_session(&self, session: &HostedUiSession) -> StoreResult<()>;
    async fn get_hosted_ui_session(&self, id: &str) -> StoreResult<Option<HostedUiSession>>;
    /// Deleting an absent session is not an error.
    async fn delete_hosted_ui_session(&self, id: &str) -> StoreResult<()>;

    /// Creates or replaces the customization of `(pool_id, client_id)` (client `ALL` is
    /// the pool's default); `NotFound` if the pool is gone.
    async fn put_ui_customization(&self, customization: &UiCustomization) -> StoreResult<()>;
    async fn get_ui_customization(
        &self,
        pool_id: &str,
        client_id: &str,
    ) -> StoreResult<Option<UiCustomization>>;
}
