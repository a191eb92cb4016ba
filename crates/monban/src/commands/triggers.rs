//! `monban triggers secret --pool-id ID`: prints the secret that signs the pool's trigger
//! webhooks (`X-Monban-Signature`), for the receivers to verify them with. Made on first
//! use; the same on every node.

use monban_core::auth::server_secrets::ServerSecrets;
use monban_core::store::UserPoolStore;
use monban_core::triggers::signing;
use monban_core::SystemRng;

use crate::settings::Settings;

pub async fn secret(settings: &Settings, pool_id: &str) -> anyhow::Result<()> {
    let store = super::open_store(settings).await?;
    if store.get_user_pool(pool_id).await?.is_none() {
        anyhow::bail!("user pool {pool_id} does not exist");
    }
    let secret =
        signing::signing_secret_from(&ServerSecrets::default(), &store, &SystemRng, pool_id)
            .await
            .map_err(|e| anyhow::anyhow!("{}", e.message))?;
    // Printed, not logged: the operator copies it into the receiver's configuration.
    println!("{secret}");
    Ok(())
}
