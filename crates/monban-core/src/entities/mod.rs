//! What core stores. Settings that Cognito echoes back whole are kept as their wire type.

mod app_client;
mod auth_session;
mod confirmation_code;
mod device;
mod group;
mod identity_pool;
mod refresh_token;
mod signing_key;
mod user;
mod user_pool;

pub use app_client::AppClient;
pub use auth_session::AuthSession;
pub use confirmation_code::ConfirmationCode;
pub use device::Device;
pub use group::Group;
pub use identity_pool::{Identity, IdentityLogin, IdentityPool, IdentityPoolData, PrincipalTagMap};
pub use refresh_token::RefreshToken;
pub use signing_key::SigningKey;
pub use user::{
    FilterAttribute, SealedSecret, SoftwareToken, SrpCredential, User, UserData, UserFilter,
};
pub use user_pool::{UserPool, UserPoolData};
