//! CreateUserPool: stores every setting of the request with Cognito's defaults filled
//! (password policy, admin-create-user config, standard schema, message template, email
//! configuration, MFA off, deletion protection inactive, Essentials tier).

use monban_wire::idp::{CreateUserPoolRequest, CreateUserPoolResponse};

use crate::entities::{UserPool, UserPoolData};
use crate::error::Error;
use crate::ids::new_user_pool_id;
use crate::pool_config::{
    mfa_after_pool_write, pool_config_from_create, user_pool_type, validate_pool_config,
};
use crate::store::StoreError;
use crate::{Cx, Iam};

/// Attempts at a fresh id when one collides (one in 62^9: practically never).
const ID_ATTEMPTS: usize = 5;

pub async fn create_user_pool(
    cx: &Cx,
    _iam: &Iam,
    req: CreateUserPoolRequest,
) -> Result<CreateUserPoolResponse, Error> {
    let config = pool_config_from_create(&req)?;
    validate_pool_config(&config)?;
    let data = mfa_after_pool_write(&config, &UserPoolData::default())?;
    let now = cx.now_ms();
    let mut pool = UserPool {
        id: String::new(),
        name: req.pool_name,
        created_ms: now,
        modified_ms: now,
        version: 1,
        config,
        data,
    };
    for _ in 0..ID_ATTEMPTS {
        pool.id = new_user_pool_id(cx.rng.as_ref(), &cx.settings.region);
        match cx.store.insert_user_pool(&pool).await {
            Ok(()) => {
                return Ok(CreateUserPoolResponse {
                    user_pool: Some(user_pool_type(cx, &pool).await?),
                })
            }
            Err(StoreError::Conflict { .. }) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(Error::internal(
        "no free user pool id after several attempts",
    ))
}
