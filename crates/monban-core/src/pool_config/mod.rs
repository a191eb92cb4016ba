//! A user pool's and an app client's effective settings: Cognito's defaults, the standard
//! attribute schema, validation of new settings, and the conversions to the wire types
//! that Describe/List return. Other operations read a pool's settings through the small
//! accessors here rather than through `UserPool::config` directly, so that a pool stored
//! without some setting still behaves with Cognito's default.

mod accessors;
mod client_attributes;
mod client_defaults;
mod client_validate;
mod defaults;
mod describe;
mod load;
mod mfa;
mod pool_validate;
mod schema;

pub use accessors::{
    alias_attributes, auto_verified_attributes, case_sensitive, mfa_configuration, password_policy,
    username_attributes,
};
pub use client_attributes::{check_writable, readable_attributes, writable_attributes};
pub(crate) use client_defaults::unit_seconds;
pub use client_defaults::{
    client_config_from_create, client_config_from_update, default_explicit_auth_flows,
};
pub use client_validate::{
    check_redirect_url, validate_client, validate_client_with_scopes, STANDARD_SCOPES,
};
pub use defaults::{
    default_admin_create_user_config, default_password_policy, pool_config_from_create,
    pool_config_from_update,
};
pub use describe::{client_description, client_type, pool_description, user_pool_type};
pub use load::{
    load_client, load_pool, save_client, save_pool, update_with_retry, AttemptError,
    VERSION_RETRIES,
};
pub use mfa::{apply_set_mfa_config, mfa_after_pool_write, mfa_config, mfa_factors, MfaFactors};
pub use pool_validate::validate_pool_config;
pub use schema::{
    add_custom_attributes, schema, schema_attribute, schema_from_create, standard_schema,
    StandardAttribute, MAX_CUSTOM_ATTRIBUTES, STANDARD_ATTRIBUTES,
};

#[cfg(test)]
mod tests;
