//! What core stores. Settings that Cognito echoes back whole are kept as their wire type.

mod app_client;
mod group;
mod user;
mod user_pool;

pub use app_client::AppClient;
pub use group::Group;
pub use user::{FilterAttribute, User, UserData, UserFilter};
pub use user_pool::{UserPool, UserPoolData};
