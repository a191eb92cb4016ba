//! Admin user operations: AdminCreateUser (invitations), AdminGetUser, usernames and
//! aliases, attributes, enable/disable, passwords, confirmation, reset, delete.

use std::time::Duration;

use monban_testkit::idp::types::{
    AccountRecoverySettingType, AdminCreateUserConfigType, AliasAttributeType, AttributeDataType,
    DeliveryMediumType, EmailConfigurationType, EmailSendingAccountType, MessageActionType,
    MessageTemplateType, NumberAttributeConstraintsType, PasswordPolicyType,
    RecoveryOptionNameType, RecoveryOptionType, SchemaAttributeType,
    StringAttributeConstraintsType, UserPoolPolicyType, UserStatusType, UsernameAttributeType,
    UsernameConfigurationType, VerifiedAttributeType,
};
use monban_testkit::idp::Client;
use monban_testkit::{each_backend, expect_code, service_error, unique_name};

use super::support::{attr, attr_value, create_user, invite_user, new_client, new_pool_id, secs};

const INVITE: &str = "Hello {username}, your temporary password is {####}";
const FROM: &str = "Example Team <team@example.com>";

/// A pool that sends its own invitation from its own address.
async fn branded_pool(idp: &Client) -> String {
    idp.create_user_pool()
        .pool_name(unique_name("branded-"))
        .email_configuration(
            EmailConfigurationType::builder()
                .email_sending_account(EmailSendingAccountType::Developer)
                .source_arn("arn:aws:ses:us-east-1:123456789012:identity/example.com")
                .from(FROM)
                .reply_to_email_address("support@example.com")
                .build(),
        )
        .admin_create_user_config(
            AdminCreateUserConfigType::builder()
                .invite_message_template(
                    MessageTemplateType::builder()
                        .email_subject("Welcome to Example")
                        .email_message(INVITE)
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .expect("CreateUserPool")
        .user_pool
        .unwrap()
        .id
        .unwrap()
}

struct Fetched {
    username: String,
    attributes: Vec<monban_testkit::idp::types::AttributeType>,
    status: Option<UserStatusType>,
    enabled: bool,
    modified: f64,
}

async fn get_user(idp: &Client, pool: &str, username: &str) -> Fetched {
    let out = idp
        .admin_get_user()
        .user_pool_id(pool)
        .username(username)
        .send()
        .await
        .unwrap_or_else(|e| panic!("AdminGetUser {username}: {e:?}"));
    Fetched {
        username: out.username().to_owned(),
        attributes: out.user_attributes().to_vec(),
        status: out.user_status().cloned(),
        enabled: out.enabled(),
        modified: secs(out.user_last_modified_date()),
    }
}

fn is_uuid(s: &str) -> bool {
    s.len() == 36
        && s.chars().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_digit() || ('a'..='f').contains(&c),
        })
}

/// Checks a generated temporary password against the default policy.
fn satisfies_default_policy(password: &str) -> bool {
    password.len() >= 8
        && password.chars().any(|c| c.is_ascii_uppercase())
        && password.chars().any(|c| c.is_ascii_lowercase())
        && password.chars().any(|c| c.is_ascii_digit())
        && password.chars().any(|c| !c.is_ascii_alphanumeric())
}

#[tokio::test]
async fn admin_create_user_sends_the_pool_invitation_with_a_generated_password() {
    each_backend(|app| async move {
        let idp = app.idp();
        let pool = branded_pool(&idp).await;
        let user = invite_user(&idp, &pool, "alice", "alice@example.com", None).await;

        assert_eq!(user.username(), Some("alice"));
        assert_eq!(
            user.user_status(),
            Some(&UserStatusType::ForceChangePassword)
        );
        assert!(user.enabled());
        assert!(user.user_create_date().is_some());
        let sub = attr_value(user.attributes(), "sub").expect("sub attribute");
        assert!(is_uuid(sub), "sub {sub}");
        assert_eq!(
            attr_value(user.attributes(), "email"),
            Some("alice@example.com")
        );
        assert_eq!(
            attr_value(user.attributes(), "email_verified"),
            Some("true")
        );

        let mail = app.mailer().emails_to("alice@example.com");
        assert_eq!(mail.len(), 1, "one invitation: {mail:?}");
        let email = &mail[0];
        assert_eq!(email.from, FROM);
        assert_eq!(email.reply_to.as_deref(), Some("support@example.com"));
        assert_eq!(email.subject, "Welcome to Example");
        assert_eq!(email.pool_id.as_deref(), Some(pool.as_str()));
        let password = email
            .body
            .strip_prefix("Hello alice, your temporary password is ")
            .unwrap_or_else(|| panic!("body {:?}", email.body));
        assert!(
            satisfies_default_policy(password),
            "temporary password {password:?}"
        );
        assert!(!email.body.contains("{####}") && !email.body.contains("{username}"));
    })
    .await;
}

#[tokio::test]
async fn admin_create_user_with_a_given_temporary_password() {
    each_backend(|app| async move {
        let idp = app.idp();
        let pool = branded_pool(&idp).await;
        invite_user(&idp, &pool, "bob", "bob@example.com", Some("Temp#Pass1")).await;
        let mail = app.mailer().emails_to("bob@example.com");
        assert_eq!(mail.len(), 1);
        assert_eq!(
            mail[0].body,
            "Hello bob, your temporary password is Temp#Pass1"
        );

        // The temporary password must satisfy the pool's policy.
        let err = expect_code(
            idp.admin_create_user()
                .user_pool_id(&pool)
                .username("carl")
                .temporary_password("weak")
                .message_action(MessageActionType::Suppress)
                .send()
                .await,
            "InvalidPasswordException",
        );
        // Cognito's prefix varies by operation ("did not conform with" / "does not
        // conform to"); the reason after the colon is what apps show.
        assert!(err.message.contains("conform"), "{err:?}");
        expect_code(
            idp.admin_get_user()
                .user_pool_id(&pool)
                .username("carl")
                .send()
                .await,
            "UserNotFoundException",
        );
    })
    .await;
}

#[tokio::test]
async fn default_invitation_comes_from_the_default_sender() {
    each_backend(|app| async move {
        let idp = app.idp();
        let pool = new_pool_id(&idp).await;
        invite_user(&idp, &pool, "dora", "dora@example.com", Some("Temp#Pass1")).await;
        let mail = app.mailer().emails_to("dora@example.com");
        assert_eq!(mail.len(), 1);
        assert_eq!(mail[0].from, app.cx().settings.default_from);
        assert!(mail[0].body.contains("dora"), "{:?}", mail[0].body);
        assert!(mail[0].body.contains("Temp#Pass1"), "{:?}", mail[0].body);
        assert!(!mail[0].subject.is_empty());
    })
    .await;
}

#[tokio::test]
async fn suppress_sends_nothing() {
    each_backend(|app| async move {
        let idp = app.idp();
        let pool = branded_pool(&idp).await;
        let user = idp
            .admin_create_user()
            .user_pool_id(&pool)
            .username("quiet")
            .user_attributes(attr("email", "quiet@example.com"))
            .desired_delivery_mediums(DeliveryMediumType::Email)
            .message_action(MessageActionType::Suppress)
            .send()
            .await
            .unwrap()
            .user
            .unwrap();
        assert_eq!(
            user.user_status(),
            Some(&UserStatusType::ForceChangePassword)
        );
        assert!(app.mail().is_empty(), "{:?}", app.mail());
    })
    .await;
}

#[tokio::test]
async fn resend_sends_a_new_temporary_password() {
    each_backend(|app| async move {
        let idp = app.idp();
        let pool = branded_pool(&idp).await;
        invite_user(&idp, &pool, "erin", "erin@example.com", None).await;
        let first = app.mailer().take();
        assert_eq!(first.len(), 1);

        idp.admin_create_user()
            .user_pool_id(&pool)
            .username("erin")
            .desired_delivery_mediums(DeliveryMediumType::Email)
            .message_action(MessageActionType::Resend)
            .send()
            .await
            .expect("RESEND");
        let second = app.mailer().take();
        assert_eq!(second.len(), 1, "{second:?}");
        assert_eq!(second[0].to, "erin@example.com");
        assert!(second[0]
            .body
            .starts_with("Hello erin, your temporary password is "));
        assert_ne!(second[0].body, first[0].body, "a new password");
        assert_eq!(
            get_user(&idp, &pool, "erin").await.status,
            Some(UserStatusType::ForceChangePassword)
        );

        expect_code(
            idp.admin_create_user()
                .user_pool_id(&pool)
                .username("nobody")
                .message_action(MessageActionType::Resend)
                .send()
                .await,
            "UserNotFoundException",
        );

        // A user who already set a password has no invitation to resend.
        idp.admin_set_user_password()
            .user_pool_id(&pool)
            .username("erin")
            .password("Perm#Pass1")
            .permanent(true)
            .send()
            .await
            .unwrap();
        expect_code(
            idp.admin_create_user()
                .user_pool_id(&pool)
                .username("erin")
                .message_action(MessageActionType::Resend)
                .send()
                .await,
            "UnsupportedUserStateException",
        );
    })
    .await;
}

#[tokio::test]
async fn admin_get_user_by_username_sub_and_verified_alias() {
    each_backend(|app| async move {
        let idp = app.idp();
        let pool = idp
            .create_user_pool()
            .pool_name(unique_name("alias-"))
            .alias_attributes(AliasAttributeType::Email)
            .alias_attributes(AliasAttributeType::PreferredUsername)
            .send()
            .await
            .unwrap()
            .user_pool
            .unwrap()
            .id
            .unwrap();
        create_user(
            &idp,
            &pool,
            "bob",
            &[("email", "bob@example.com"), ("email_verified", "true")],
        )
        .await;
        create_user(
            &idp,
            &pool,
            "carol",
            &[("email", "carol@example.com"), ("email_verified", "false")],
        )
        .await;

        let bob = get_user(&idp, &pool, "bob").await;
        assert_eq!(bob.username, "bob");
        assert!(bob.enabled);
        assert_eq!(bob.status, Some(UserStatusType::ForceChangePassword));
        assert_eq!(
            attr_value(&bob.attributes, "email"),
            Some("bob@example.com")
        );
        let sub = attr_value(&bob.attributes, "sub").unwrap().to_owned();

        assert_eq!(
            get_user(&idp, &pool, "bob@example.com").await.username,
            "bob"
        );
        assert_eq!(get_user(&idp, &pool, &sub).await.username, "bob");

        // An unverified email is not an alias.
        expect_code(
            idp.admin_get_user()
                .user_pool_id(&pool)
                .username("carol@example.com")
                .send()
                .await,
            "UserNotFoundException",
        );

        // preferred_username is an alias once set (after confirmation).
        idp.admin_set_user_password()
            .user_pool_id(&pool)
            .username("bob")
            .password("Perm#Pass1")
            .permanent(true)
            .send()
            .await
            .unwrap();
        idp.admin_update_user_attributes()
            .user_pool_id(&pool)
            .username("bob")
            .user_attributes(attr("preferred_username", "bobby"))
            .send()
            .await
            .expect("set preferred_username");
        assert_eq!(get_user(&idp, &pool, "bobby").await.username, "bob");

        // With email as an alias, a user name may not itself be an email address.
        expect_code(
            idp.admin_create_user()
                .user_pool_id(&pool)
                .username("dave@example.com")
                .message_action(MessageActionType::Suppress)
                .send()
                .await,
            "InvalidParameterException",
        );
    })
    .await;
}

#[tokio::test]
async fn email_as_username_makes_the_sub_the_username() {
    each_backend(|app| async move {
        let idp = app.idp();
        let pool = idp
            .create_user_pool()
            .pool_name(unique_name("email-username-"))
            .username_attributes(UsernameAttributeType::Email)
            .send()
            .await
            .unwrap()
            .user_pool
            .unwrap()
            .id
            .unwrap();
        let user = idp
            .admin_create_user()
            .user_pool_id(&pool)
            .username("frank@example.com")
            .message_action(MessageActionType::Suppress)
            .send()
            .await
            .expect("AdminCreateUser with an email")
            .user
            .unwrap();
        let username = user.username().unwrap().to_owned();
        assert!(is_uuid(&username), "the user name is a UUID: {username}");
        assert_eq!(
            attr_value(user.attributes(), "sub"),
            Some(username.as_str())
        );
        assert_eq!(
            attr_value(user.attributes(), "email"),
            Some("frank@example.com")
        );

        assert_eq!(
            get_user(&idp, &pool, "frank@example.com").await.username,
            username
        );
        assert_eq!(get_user(&idp, &pool, &username).await.username, username);

        let err = expect_code(
            idp.admin_create_user()
                .user_pool_id(&pool)
                .username("frank@example.com")
                .message_action(MessageActionType::Suppress)
                .send()
                .await,
            "UsernameExistsException",
        );
        assert_eq!(
            err.message,
            "An account with the given email already exists."
        );

        expect_code(
            idp.admin_create_user()
                .user_pool_id(&pool)
                .username("not-an-email")
                .message_action(MessageActionType::Suppress)
                .send()
                .await,
            "InvalidParameterException",
        );
    })
    .await;
}

#[tokio::test]
async fn usernames_are_case_sensitive_by_default() {
    each_backend(|app| async move {
        let idp = app.idp();
        let pool = new_pool_id(&idp).await;
        create_user(&idp, &pool, "Grace", &[]).await;
        create_user(&idp, &pool, "grace", &[]).await;
        assert_eq!(get_user(&idp, &pool, "Grace").await.username, "Grace");
        assert_eq!(get_user(&idp, &pool, "grace").await.username, "grace");
        expect_code(
            idp.admin_get_user()
                .user_pool_id(&pool)
                .username("GRACE")
                .send()
                .await,
            "UserNotFoundException",
        );
    })
    .await;
}

#[tokio::test]
async fn case_insensitive_pool_matches_any_case() {
    each_backend(|app| async move {
        let idp = app.idp();
        let pool = idp
            .create_user_pool()
            .pool_name(unique_name("ci-"))
            .alias_attributes(AliasAttributeType::Email)
            .username_configuration(
                UsernameConfigurationType::builder()
                    .case_sensitive(false)
                    .build()
                    .unwrap(),
            )
            .send()
            .await
            .unwrap()
            .user_pool
            .unwrap()
            .id
            .unwrap();
        create_user(
            &idp,
            &pool,
            "Henry",
            &[("email", "Henry@Example.com"), ("email_verified", "true")],
        )
        .await;
        for name in [
            "Henry",
            "henry",
            "HENRY",
            "henry@example.com",
            "HENRY@EXAMPLE.COM",
        ] {
            let user = get_user(&idp, &pool, name).await;
            assert!(
                user.username.eq_ignore_ascii_case("henry"),
                "{name} -> {}",
                user.username
            );
        }
        expect_code(
            idp.admin_create_user()
                .user_pool_id(&pool)
                .username("HENRY")
                .message_action(MessageActionType::Suppress)
                .send()
                .await,
            "UsernameExistsException",
        );
    })
    .await;
}

/// A pool with a required, auto-verified email and two custom attributes.
async fn schema_pool(idp: &Client) -> String {
    idp.create_user_pool()
        .pool_name(unique_name("schema-"))
        .auto_verified_attributes(VerifiedAttributeType::Email)
        .schema(
            SchemaAttributeType::builder()
                .name("email")
                .attribute_data_type(AttributeDataType::String)
                .required(true)
                .mutable(true)
                .build(),
        )
        .schema(
            SchemaAttributeType::builder()
                .name("tenant")
                .attribute_data_type(AttributeDataType::String)
                .mutable(true)
                .string_attribute_constraints(
                    StringAttributeConstraintsType::builder()
                        .min_length("1")
                        .max_length("64")
                        .build(),
                )
                .build(),
        )
        .schema(
            SchemaAttributeType::builder()
                .name("level")
                .attribute_data_type(AttributeDataType::Number)
                .mutable(false)
                .number_attribute_constraints(
                    NumberAttributeConstraintsType::builder()
                        .min_value("0")
                        .max_value("100")
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .expect("CreateUserPool")
        .user_pool
        .unwrap()
        .id
        .unwrap()
}

#[tokio::test]
async fn admin_create_user_checks_the_schema() {
    each_backend(|app| async move {
        let idp = app.idp();
        let pool = schema_pool(&idp).await;
        let create = |username: &str, attrs: Vec<(&str, &str)>| {
            let mut req = idp
                .admin_create_user()
                .user_pool_id(&pool)
                .username(username)
                .message_action(MessageActionType::Suppress);
            for (n, v) in attrs {
                req = req.user_attributes(attr(n, v));
            }
            req.send()
        };
        // An administrator may leave required attributes for the user to supply later
        // (AdminCreateUser's documentation; NEW_PASSWORD_REQUIRED asks for them).
        create("u0", vec![])
            .await
            .expect("AdminCreateUser without a required attribute");
        expect_code(
            create(
                "u2",
                vec![("email", "u2@example.com"), ("custom:level", "200")],
            )
            .await,
            "InvalidParameterException",
        );
        expect_code(
            create(
                "u3",
                vec![("email", "u3@example.com"), ("custom:level", "high")],
            )
            .await,
            "InvalidParameterException",
        );
        expect_code(
            create(
                "u4",
                vec![("email", "u4@example.com"), ("custom:unknown", "x")],
            )
            .await,
            "InvalidParameterException",
        );
        expect_code(
            create(
                "u5",
                vec![("email", "u5@example.com"), ("phone_number", "555-1234")],
            )
            .await,
            "InvalidParameterException",
        );
        expect_code(
            create("u6", vec![("email", "not-an-email")]).await,
            "InvalidParameterException",
        );
        // None of the refused users exists.
        for u in ["u2", "u3", "u4", "u5", "u6"] {
            expect_code(
                idp.admin_get_user()
                    .user_pool_id(&pool)
                    .username(u)
                    .send()
                    .await,
                "UserNotFoundException",
            );
        }
        // Immutable custom attributes can be given at creation.
        create(
            "u7",
            vec![("email", "u7@example.com"), ("custom:level", "42")],
        )
        .await
        .expect("create with an immutable attribute");
        assert_eq!(
            attr_value(
                &get_user(&idp, &pool, "u7").await.attributes,
                "custom:level"
            ),
            Some("42")
        );
    })
    .await;
}

#[tokio::test]
async fn update_and_delete_user_attributes() {
    each_backend(|app| async move {
        let idp = app.idp();
        let pool = schema_pool(&idp).await;
        create_user(
            &idp,
            &pool,
            "gina",
            &[
                ("email", "gina@example.com"),
                ("email_verified", "true"),
                ("custom:level", "5"),
            ],
        )
        .await;
        let before = get_user(&idp, &pool, "gina").await;

        app.clock().advance(Duration::from_secs(60));
        idp.admin_update_user_attributes()
            .user_pool_id(&pool)
            .username("gina")
            .user_attributes(attr("name", "Gina G"))
            .user_attributes(attr("custom:tenant", "acme"))
            .send()
            .await
            .expect("AdminUpdateUserAttributes");
        let after = get_user(&idp, &pool, "gina").await;
        assert_eq!(attr_value(&after.attributes, "name"), Some("Gina G"));
        assert_eq!(attr_value(&after.attributes, "custom:tenant"), Some("acme"));
        assert_eq!(attr_value(&after.attributes, "custom:level"), Some("5"));
        assert_eq!(
            attr_value(&after.attributes, "sub"),
            attr_value(&before.attributes, "sub")
        );
        assert!(
            after.modified >= before.modified + 50.0,
            "UserLastModifiedDate moves"
        );

        let update = |name: &str, value: &str| {
            idp.admin_update_user_attributes()
                .user_pool_id(&pool)
                .username("gina")
                .user_attributes(attr(name, value))
                .send()
        };
        expect_code(
            update("custom:level", "6").await,
            "InvalidParameterException",
        );
        expect_code(
            update("custom:nothing", "x").await,
            "InvalidParameterException",
        );
        expect_code(
            update("custom:tenant", &"x".repeat(65)).await,
            "InvalidParameterException",
        );
        expect_code(
            update("phone_number", "12345").await,
            "InvalidParameterException",
        );
        expect_code(
            update("email", "not-an-email").await,
            "InvalidParameterException",
        );
        expect_code(
            update("sub", "00000000-0000-4000-8000-000000000000").await,
            "InvalidParameterException",
        );
        let unchanged = get_user(&idp, &pool, "gina").await;
        assert_eq!(attr_value(&unchanged.attributes, "custom:level"), Some("5"));
        assert_eq!(
            attr_value(&unchanged.attributes, "email"),
            Some("gina@example.com")
        );

        // A new email is unverified unless the admin says otherwise.
        update("email", "gina2@example.com")
            .await
            .expect("change email");
        let changed = get_user(&idp, &pool, "gina").await;
        assert_eq!(
            attr_value(&changed.attributes, "email"),
            Some("gina2@example.com")
        );
        assert_eq!(
            attr_value(&changed.attributes, "email_verified"),
            Some("false")
        );
        update("phone_number", "+14325551212")
            .await
            .expect("E.164 phone");

        idp.admin_delete_user_attributes()
            .user_pool_id(&pool)
            .username("gina")
            .user_attribute_names("name")
            .user_attribute_names("custom:tenant")
            .send()
            .await
            .expect("AdminDeleteUserAttributes");
        let deleted = get_user(&idp, &pool, "gina").await;
        assert_eq!(attr_value(&deleted.attributes, "name"), None);
        assert_eq!(attr_value(&deleted.attributes, "custom:tenant"), None);
        assert_eq!(
            attr_value(&deleted.attributes, "phone_number"),
            Some("+14325551212")
        );

        // Required attributes cannot be deleted.
        expect_code(
            idp.admin_delete_user_attributes()
                .user_pool_id(&pool)
                .username("gina")
                .user_attribute_names("email")
                .send()
                .await,
            "InvalidParameterException",
        );
        expect_code(
            idp.admin_update_user_attributes()
                .user_pool_id(&pool)
                .username("nobody")
                .user_attributes(attr("name", "x"))
                .send()
                .await,
            "UserNotFoundException",
        );
        expect_code(
            idp.admin_delete_user_attributes()
                .user_pool_id(&pool)
                .username("nobody")
                .user_attribute_names("name")
                .send()
                .await,
            "UserNotFoundException",
        );
    })
    .await;
}

#[tokio::test]
async fn disable_and_enable() {
    each_backend(|app| async move {
        let idp = app.idp();
        let pool = new_pool_id(&idp).await;
        create_user(&idp, &pool, "ivan", &[]).await;
        idp.admin_disable_user()
            .user_pool_id(&pool)
            .username("ivan")
            .send()
            .await
            .expect("AdminDisableUser");
        assert!(!get_user(&idp, &pool, "ivan").await.enabled);
        idp.admin_enable_user()
            .user_pool_id(&pool)
            .username("ivan")
            .send()
            .await
            .expect("AdminEnableUser");
        assert!(get_user(&idp, &pool, "ivan").await.enabled);
        expect_code(
            idp.admin_disable_user()
                .user_pool_id(&pool)
                .username("nobody")
                .send()
                .await,
            "UserNotFoundException",
        );
        expect_code(
            idp.admin_enable_user()
                .user_pool_id(&pool)
                .username("nobody")
                .send()
                .await,
            "UserNotFoundException",
        );
    })
    .await;
}

#[tokio::test]
async fn admin_set_user_password_sets_the_status() {
    each_backend(|app| async move {
        let idp = app.idp();
        let pool = new_pool_id(&idp).await;
        create_user(&idp, &pool, "jane", &[]).await;
        let set = |password: &str, permanent: bool| {
            idp.admin_set_user_password()
                .user_pool_id(&pool)
                .username("jane")
                .password(password)
                .permanent(permanent)
                .send()
        };
        set("Perm#Pass1", true).await.expect("permanent password");
        assert_eq!(
            get_user(&idp, &pool, "jane").await.status,
            Some(UserStatusType::Confirmed)
        );
        set("Temp#Pass2", false).await.expect("temporary password");
        assert_eq!(
            get_user(&idp, &pool, "jane").await.status,
            Some(UserStatusType::ForceChangePassword)
        );
        let err = expect_code(set("nouppercase1!", true).await, "InvalidPasswordException");
        assert!(
            err.message
                .ends_with("policy: Password must have uppercase characters"),
            "{err:?}"
        );
        expect_code(
            idp.admin_set_user_password()
                .user_pool_id(&pool)
                .username("nobody")
                .password("Perm#Pass1")
                .permanent(true)
                .send()
                .await,
            "UserNotFoundException",
        );
    })
    .await;
}

#[tokio::test]
async fn password_policy_is_enforced() {
    each_backend(|app| async move {
        let idp = app.idp();
        let pool = idp
            .create_user_pool()
            .pool_name(unique_name("policy-"))
            .policies(
                UserPoolPolicyType::builder()
                    .password_policy(
                        PasswordPolicyType::builder()
                            .minimum_length(10)
                            .require_uppercase(true)
                            .require_lowercase(true)
                            .require_numbers(true)
                            .require_symbols(false)
                            .build(),
                    )
                    .build(),
            )
            .send()
            .await
            .unwrap()
            .user_pool
            .unwrap()
            .id
            .unwrap();
        create_user(&idp, &pool, "kim", &[]).await;
        let set = |password: &str| {
            idp.admin_set_user_password()
                .user_pool_id(&pool)
                .username("kim")
                .password(password)
                .permanent(true)
                .send()
        };
        let cases = [
            ("Abcdefg12", "Password not long enough"),
            ("abcdefgh12", "Password must have uppercase characters"),
            ("ABCDEFGH12", "Password must have lowercase characters"),
            ("Abcdefghij", "Password must have numeric characters"),
        ];
        for (password, reason) in cases {
            let err = expect_code(set(password).await, "InvalidPasswordException");
            assert!(
                err.message.ends_with(&format!("policy: {reason}")),
                "{password}: {err:?}"
            );
        }
        set("Abcdefgh12")
            .await
            .expect("no symbol needed in this pool");
    })
    .await;
}

#[tokio::test]
async fn admin_confirm_sign_up_confirms_an_unconfirmed_user() {
    each_backend(|app| async move {
        let idp = app.idp();
        let pool = new_pool_id(&idp).await;
        let client = new_client(&idp, &pool).await;
        let signed_up = app
            .unsigned_idp()
            .sign_up()
            .client_id(client.client_id().unwrap())
            .username("leo")
            .password("Passw0rd!")
            .user_attributes(attr("email", "leo@example.com"))
            .send()
            .await
            .expect("SignUp");
        assert!(!signed_up.user_confirmed());
        assert_eq!(
            get_user(&idp, &pool, "leo").await.status,
            Some(UserStatusType::Unconfirmed)
        );

        idp.admin_confirm_sign_up()
            .user_pool_id(&pool)
            .username("leo")
            .send()
            .await
            .expect("AdminConfirmSignUp");
        assert_eq!(
            get_user(&idp, &pool, "leo").await.status,
            Some(UserStatusType::Confirmed)
        );
        let err = expect_code(
            idp.admin_confirm_sign_up()
                .user_pool_id(&pool)
                .username("leo")
                .send()
                .await,
            "NotAuthorizedException",
        );
        assert_eq!(
            err.message,
            "User cannot be confirmed. Current status is CONFIRMED"
        );
    })
    .await;
}

#[tokio::test]
async fn admin_confirm_sign_up_of_unknown_user() {
    each_backend(|app| async move {
        let idp = app.idp();
        let pool = new_pool_id(&idp).await;
        expect_code(
            idp.admin_confirm_sign_up()
                .user_pool_id(&pool)
                .username("nobody")
                .send()
                .await,
            "UserNotFoundException",
        );
    })
    .await;
}

#[tokio::test]
async fn admin_reset_user_password_sends_a_code() {
    each_backend(|app| async move {
        let idp = app.idp();
        let pool = idp
            .create_user_pool()
            .pool_name(unique_name("reset-"))
            .account_recovery_setting(
                AccountRecoverySettingType::builder()
                    .recovery_mechanisms(
                        RecoveryOptionType::builder()
                            .priority(1)
                            .name(RecoveryOptionNameType::VerifiedEmail)
                            .build()
                            .unwrap(),
                    )
                    .build(),
            )
            .send()
            .await
            .unwrap()
            .user_pool
            .unwrap()
            .id
            .unwrap();
        create_user(
            &idp,
            &pool,
            "mia",
            &[("email", "mia@example.com"), ("email_verified", "true")],
        )
        .await;
        idp.admin_set_user_password()
            .user_pool_id(&pool)
            .username("mia")
            .password("Perm#Pass1")
            .permanent(true)
            .send()
            .await
            .unwrap();
        app.mailer().take();

        idp.admin_reset_user_password()
            .user_pool_id(&pool)
            .username("mia")
            .send()
            .await
            .expect("AdminResetUserPassword");
        assert_eq!(
            get_user(&idp, &pool, "mia").await.status,
            Some(UserStatusType::ResetRequired)
        );
        let mail = app.mailer().emails_to("mia@example.com");
        assert_eq!(mail.len(), 1, "a reset code is sent: {:?}", app.mail());
        let has_code = mail[0]
            .body
            .split(|c: char| !c.is_ascii_digit())
            .any(|run| run.len() == 6);
        assert!(has_code, "a six-digit code in {:?}", mail[0].body);

        expect_code(
            idp.admin_reset_user_password()
                .user_pool_id(&pool)
                .username("nobody")
                .send()
                .await,
            "UserNotFoundException",
        );
        idp.admin_disable_user()
            .user_pool_id(&pool)
            .username("mia")
            .send()
            .await
            .unwrap();
        let err = expect_code(
            idp.admin_reset_user_password()
                .user_pool_id(&pool)
                .username("mia")
                .send()
                .await,
            "NotAuthorizedException",
        );
        assert_eq!(err.message, "User is disabled.");
    })
    .await;
}

#[tokio::test]
async fn admin_delete_user() {
    each_backend(|app| async move {
        let idp = app.idp();
        let pool = new_pool_id(&idp).await;
        create_user(&idp, &pool, "ned", &[]).await;
        let sub = attr_value(&get_user(&idp, &pool, "ned").await.attributes, "sub")
            .unwrap()
            .to_owned();
        idp.admin_delete_user()
            .user_pool_id(&pool)
            .username("ned")
            .send()
            .await
            .expect("AdminDeleteUser");
        expect_code(
            idp.admin_get_user()
                .user_pool_id(&pool)
                .username("ned")
                .send()
                .await,
            "UserNotFoundException",
        );
        expect_code(
            idp.admin_delete_user()
                .user_pool_id(&pool)
                .username("ned")
                .send()
                .await,
            "UserNotFoundException",
        );
        // The name is free again; the new user is a new identity.
        create_user(&idp, &pool, "ned", &[]).await;
        let new_sub = attr_value(&get_user(&idp, &pool, "ned").await.attributes, "sub")
            .unwrap()
            .to_owned();
        assert_ne!(sub, new_sub);
    })
    .await;
}

#[tokio::test]
async fn not_found_and_exists_errors() {
    each_backend(|app| async move {
        let idp = app.idp();
        let pool = new_pool_id(&idp).await;
        let err = expect_code(
            idp.admin_get_user()
                .user_pool_id(&pool)
                .username("nobody")
                .send()
                .await,
            "UserNotFoundException",
        );
        assert_eq!(err.message, "User does not exist.");
        create_user(&idp, &pool, "olga", &[]).await;
        let err = service_error(
            idp.admin_create_user()
                .user_pool_id(&pool)
                .username("olga")
                .message_action(MessageActionType::Suppress)
                .send()
                .await,
        )
        .assert_code("UsernameExistsException");
        assert_eq!(err.message, "User account already exists");
    })
    .await;
}

#[tokio::test]
async fn estimated_number_of_users_counts_users() {
    each_backend(|app| async move {
        let idp = app.idp();
        let pool = new_pool_id(&idp).await;
        for name in ["p1", "p2", "p3"] {
            create_user(&idp, &pool, name, &[]).await;
        }
        idp.admin_delete_user()
            .user_pool_id(&pool)
            .username("p2")
            .send()
            .await
            .unwrap();
        let described = idp
            .describe_user_pool()
            .user_pool_id(&pool)
            .send()
            .await
            .unwrap()
            .user_pool
            .unwrap();
        assert_eq!(described.estimated_number_of_users(), 2);
    })
    .await;
}
