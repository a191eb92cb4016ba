//! CreateIdentityPool: a new pool `{region}:{uuid}` with the providers, developer provider
//! name and tags given. Roles are set apart, with SetIdentityPoolRoles.

use monban_wire::identity::{CreateIdentityPoolInput, IdentityPool as IdentityPoolConfig};

use crate::entities::IdentityPool;
use crate::error::Error;
use crate::identity_pools::{describe, new_region_uuid, validate_config};
use crate::{Cx, Iam};

pub async fn create_identity_pool(
    cx: &Cx,
    _iam: &Iam,
    req: CreateIdentityPoolInput,
) -> Result<IdentityPoolConfig, Error> {
    let id = new_region_uuid(cx);
    let config = IdentityPoolConfig {
        identity_pool_id: id.clone(),
        identity_pool_name: req.identity_pool_name,
        allow_unauthenticated_identities: req.allow_unauthenticated_identities,
        allow_classic_flow: req.allow_classic_flow,
        supported_login_providers: req.supported_login_providers,
        developer_provider_name: req.developer_provider_name,
        open_id_connect_provider_ar_ns: req.open_id_connect_provider_ar_ns,
        cognito_identity_providers: req.cognito_identity_providers,
        saml_provider_ar_ns: req.saml_provider_ar_ns,
        identity_pool_tags: req.identity_pool_tags,
    };
    validate_config(&cx.settings, &config)?;
    let now = cx.now_ms();
    let pool = IdentityPool {
        id,
        name: config.identity_pool_name.clone(),
        created_ms: now,
        modified_ms: now,
        version: 1,
        config,
        data: Default::default(),
    };
    cx.store.insert_identity_pool(&pool).await?;
    Ok(describe(&pool))
}
