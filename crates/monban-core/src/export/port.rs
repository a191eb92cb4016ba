//! What export reads that no other port offers.

use async_trait::async_trait;

use crate::entities::RefreshToken;
use crate::store::StoreResult;

#[async_trait]
pub trait ExportStore: Send + Sync {
    /// Every refresh token of the user (replaced ones too) with its family's revocation
    /// time, oldest first (ties by hash).
    async fn list_user_refresh_tokens(
        &self,
        pool_id: &str,
        sub: &str,
    ) -> StoreResult<Vec<RefreshToken>>;
}
