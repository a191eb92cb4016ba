//! Users of a pool: the rules every operation on users shares — the admin operations in
//! `ops/users` and `ops/groups` now, sign-up and sign-in next. Names and their case, login
//! keys, finding a user by username or alias, attribute validation against the pool's
//! schema, store conflicts in Cognito's words, versioned updates, new users, wire
//! conversions, the ListUsers filter and the invitation message.

mod alias_move;
mod attributes;
mod conflict;
mod convert;
mod credentials;
mod filter;
mod find;
mod invite;
mod keys;
mod modify;
mod new_user;
mod recovery;
mod rules;

pub use alias_move::modify_user_taking_aliases;
pub use attributes::{
    apply as apply_attribute_changes, check_required, is_email, is_phone_number, validate_deletes,
    validate_writes, AttributeChanges, AttributeWrite, SYSTEM_ATTRIBUTES,
};
pub use conflict::{key_taken, map_store_error, KeyWrite};
pub use convert::{
    admin_get_user_response, mfa_options, user_type, user_type_selected, wire_attributes,
};
pub use credentials::{
    import_password_hash, set_migrated_password, set_password, srp_verifier, upgrade_password,
    Credentials,
};
pub use filter::parse_filter;
pub use find::{find_user, lookup_user};
pub use invite::{
    email_sender, plan_delivery, send_invitation, Delivery, DEFAULT_INVITE_MESSAGE,
    DEFAULT_INVITE_SUBJECT,
};
pub use keys::{key, login_keys, lookup_keys, normalise, sign_in_name, KeyKind};
pub use modify::{modify_user, Target};
pub use new_user::{check_verified_flags, insert_new_user, new_user, NewUser};
pub use recovery::{recovery_channel, RecoveryChannel};
pub use rules::NameRules;

#[cfg(test)]
pub(crate) mod test_support {
    use monban_wire::idp::{SchemaAttributeType, UserPoolType};

    use crate::entities::UserPool;

    pub(crate) fn pool_with_schema(schema: Vec<SchemaAttributeType>) -> UserPool {
        UserPool {
            id: "us-east-1_test".to_owned(),
            name: "test".to_owned(),
            created_ms: 0,
            modified_ms: 0,
            version: 1,
            config: UserPoolType {
                schema_attributes: Some(schema),
                ..UserPoolType::default()
            },
            data: Default::default(),
        }
    }
}
