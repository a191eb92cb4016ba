//! CreateUserPool, DescribeUserPool, UpdateUserPool, DeleteUserPool, ListUserPools,
//! AddCustomAttributes, Get/SetUserPoolMfaConfig.

use std::collections::HashSet;
use std::time::Duration;

use monban_testkit::idp::types::{
    AccountRecoverySettingType, AdminCreateUserConfigType, AliasAttributeType, AttributeDataType,
    DefaultEmailOptionType, DeletionProtectionType, DeviceConfigurationType,
    EmailConfigurationType, EmailSendingAccountType, LambdaConfigType, MessageTemplateType,
    NumberAttributeConstraintsType, PasswordPolicyType, RecoveryOptionNameType, RecoveryOptionType,
    SchemaAttributeType, SmsConfigurationType, SoftwareTokenMfaConfigType,
    StringAttributeConstraintsType, UserAttributeUpdateSettingsType, UserPoolMfaType,
    UserPoolPolicyType, UserPoolTierType, UserPoolType, UsernameConfigurationType,
    VerificationMessageTemplateType, VerifiedAttributeType,
};
use monban_testkit::idp::Client;
use monban_testkit::{each_backend, expect_code, service_error, unique_name};

use super::support::{is_pool_id, new_pool, new_pool_id, now_secs, secs, MISSING_POOL};

async fn describe(idp: &Client, pool_id: &str) -> UserPoolType {
    idp.describe_user_pool()
        .user_pool_id(pool_id)
        .send()
        .await
        .expect("DescribeUserPool")
        .user_pool
        .expect("DescribeUserPool returns the pool")
}

fn schema<'a>(pool: &'a UserPoolType, name: &str) -> &'a SchemaAttributeType {
    pool.schema_attributes()
        .iter()
        .find(|a| a.name() == Some(name))
        .unwrap_or_else(|| panic!("schema attribute {name} missing"))
}

fn password_policy() -> PasswordPolicyType {
    PasswordPolicyType::builder()
        .minimum_length(10)
        .require_uppercase(true)
        .require_lowercase(false)
        .require_numbers(true)
        .require_symbols(false)
        .password_history_size(5)
        .temporary_password_validity_days(3)
        .build()
}

fn lambda_config() -> LambdaConfigType {
    LambdaConfigType::builder()
        .pre_sign_up("arn:aws:lambda:us-east-1:123456789012:function:pre-sign-up")
        .post_confirmation("arn:aws:lambda:us-east-1:123456789012:function:post-confirmation")
        .custom_message("arn:aws:lambda:us-east-1:123456789012:function:custom-message")
        .build()
}

fn email_configuration() -> EmailConfigurationType {
    EmailConfigurationType::builder()
        .email_sending_account(EmailSendingAccountType::Developer)
        .source_arn("arn:aws:ses:us-east-1:123456789012:identity/example.com")
        .from("Example Team <team@example.com>")
        .reply_to_email_address("support@example.com")
        .build()
}

fn admin_create_user_config() -> AdminCreateUserConfigType {
    AdminCreateUserConfigType::builder()
        .allow_admin_create_user_only(true)
        .invite_message_template(
            MessageTemplateType::builder()
                .email_subject("Welcome to Example")
                .email_message("Hello {username}, your temporary password is {####}")
                .sms_message("User {username} password {####}")
                .build(),
        )
        .build()
}

fn verification_template() -> VerificationMessageTemplateType {
    VerificationMessageTemplateType::builder()
        .default_email_option(DefaultEmailOptionType::ConfirmWithCode)
        .email_subject("Your Example code")
        .email_message("Your code is {####}")
        .sms_message("Code {####}")
        .build()
}

fn account_recovery() -> AccountRecoverySettingType {
    AccountRecoverySettingType::builder()
        .recovery_mechanisms(
            RecoveryOptionType::builder()
                .priority(1)
                .name(RecoveryOptionNameType::VerifiedEmail)
                .build()
                .unwrap(),
        )
        .recovery_mechanisms(
            RecoveryOptionType::builder()
                .priority(2)
                .name(RecoveryOptionNameType::VerifiedPhoneNumber)
                .build()
                .unwrap(),
        )
        .build()
}

fn sms_configuration() -> SmsConfigurationType {
    SmsConfigurationType::builder()
        .sns_caller_arn("arn:aws:iam::123456789012:role/cognito-sns")
        .external_id("example-external-id")
        .sns_region("us-east-1")
        .build()
}

fn custom_tenant() -> SchemaAttributeType {
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
        .build()
}

fn custom_level() -> SchemaAttributeType {
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
        .build()
}

#[tokio::test]
async fn create_with_many_settings_is_echoed_by_describe() {
    each_backend(|app| async move {
        let idp = app.idp();
        let name = unique_name("full-pool-");
        let created = idp
            .create_user_pool()
            .pool_name(&name)
            .policies(
                UserPoolPolicyType::builder()
                    .password_policy(password_policy())
                    .build(),
            )
            .deletion_protection(DeletionProtectionType::Active)
            .lambda_config(lambda_config())
            .auto_verified_attributes(VerifiedAttributeType::Email)
            .alias_attributes(AliasAttributeType::Email)
            .alias_attributes(AliasAttributeType::PreferredUsername)
            .verification_message_template(verification_template())
            .sms_authentication_message("Your sign-in code is {####}")
            .mfa_configuration(UserPoolMfaType::Optional)
            .user_attribute_update_settings(
                UserAttributeUpdateSettingsType::builder()
                    .attributes_require_verification_before_update(VerifiedAttributeType::Email)
                    .build(),
            )
            .device_configuration(
                DeviceConfigurationType::builder()
                    .challenge_required_on_new_device(true)
                    .device_only_remembered_on_user_prompt(true)
                    .build(),
            )
            .email_configuration(email_configuration())
            .sms_configuration(sms_configuration())
            .user_pool_tags("team", "identity")
            .user_pool_tags("env", "test")
            .admin_create_user_config(admin_create_user_config())
            .schema(
                SchemaAttributeType::builder()
                    .name("email")
                    .attribute_data_type(AttributeDataType::String)
                    .required(true)
                    .mutable(true)
                    .build(),
            )
            .schema(custom_tenant())
            .schema(custom_level())
            .username_configuration(
                UsernameConfigurationType::builder()
                    .case_sensitive(false)
                    .build()
                    .unwrap(),
            )
            .account_recovery_setting(account_recovery())
            .user_pool_tier(UserPoolTierType::Plus)
            .send()
            .await
            .expect("CreateUserPool")
            .user_pool
            .expect("pool");
        let id = created.id().expect("id").to_owned();
        assert!(is_pool_id(&id), "{id}");

        let pool = describe(&idp, &id).await;
        assert_eq!(pool.id(), Some(id.as_str()));
        assert_eq!(pool.name(), Some(name.as_str()));
        assert_eq!(
            pool.policies().and_then(|p| p.password_policy()),
            Some(&password_policy())
        );
        assert_eq!(
            pool.deletion_protection(),
            Some(&DeletionProtectionType::Active)
        );
        assert_eq!(pool.lambda_config(), Some(&lambda_config()));
        assert_eq!(
            pool.auto_verified_attributes(),
            &[VerifiedAttributeType::Email]
        );
        let aliases: HashSet<_> = pool.alias_attributes().iter().cloned().collect();
        assert_eq!(
            aliases,
            HashSet::from([
                AliasAttributeType::Email,
                AliasAttributeType::PreferredUsername
            ])
        );
        assert!(pool.username_attributes().is_empty());
        assert_eq!(
            pool.verification_message_template(),
            Some(&verification_template())
        );
        assert_eq!(
            pool.sms_authentication_message(),
            Some("Your sign-in code is {####}")
        );
        assert_eq!(pool.mfa_configuration(), Some(&UserPoolMfaType::Optional));
        assert_eq!(
            pool.user_attribute_update_settings()
                .map(|s| s.attributes_require_verification_before_update()),
            Some(&[VerifiedAttributeType::Email][..])
        );
        let device = pool.device_configuration().expect("DeviceConfiguration");
        assert!(device.challenge_required_on_new_device());
        assert!(device.device_only_remembered_on_user_prompt());
        assert_eq!(pool.email_configuration(), Some(&email_configuration()));
        assert_eq!(pool.sms_configuration(), Some(&sms_configuration()));
        let tags = pool.user_pool_tags().expect("UserPoolTags");
        assert_eq!(tags.len(), 2);
        assert_eq!(tags.get("team").map(String::as_str), Some("identity"));
        assert_eq!(tags.get("env").map(String::as_str), Some("test"));
        let admin = pool
            .admin_create_user_config()
            .expect("AdminCreateUserConfig");
        assert!(admin.allow_admin_create_user_only());
        assert_eq!(
            admin.invite_message_template(),
            admin_create_user_config().invite_message_template()
        );
        assert_eq!(
            pool.username_configuration().map(|c| c.case_sensitive()),
            Some(false)
        );
        assert_eq!(pool.account_recovery_setting(), Some(&account_recovery()));
        assert_eq!(pool.user_pool_tier(), Some(&UserPoolTierType::Plus));
        assert_eq!(pool.estimated_number_of_users(), 0);

        let email = schema(&pool, "email");
        assert_eq!(email.required(), Some(true));
        assert_eq!(email.mutable(), Some(true));
        let tenant = schema(&pool, "custom:tenant");
        assert_eq!(
            tenant.attribute_data_type(),
            Some(&AttributeDataType::String)
        );
        assert_eq!(tenant.mutable(), Some(true));
        assert_eq!(tenant.required(), Some(false));
        assert_eq!(tenant.developer_only_attribute(), Some(false));
        assert_eq!(
            tenant.string_attribute_constraints(),
            custom_tenant().string_attribute_constraints()
        );
        let level = schema(&pool, "custom:level");
        assert_eq!(
            level.attribute_data_type(),
            Some(&AttributeDataType::Number)
        );
        assert_eq!(level.mutable(), Some(false));
        assert_eq!(
            level.number_attribute_constraints(),
            custom_level().number_attribute_constraints()
        );
        schema(&pool, "sub");

        // CreateUserPool answered with the same pool.
        assert_eq!(created.name(), pool.name());
        assert_eq!(created.arn(), pool.arn());
        assert_eq!(created.policies(), pool.policies());
        assert_eq!(created.schema_attributes(), pool.schema_attributes());
        assert_eq!(created.lambda_config(), pool.lambda_config());
        assert_eq!(created.email_configuration(), pool.email_configuration());
    })
    .await;
}

#[tokio::test]
async fn minimal_pool_has_cognito_defaults() {
    each_backend(|app| async move {
        let idp = app.idp();
        let before = now_secs();
        let created = new_pool(&idp).await;
        let id = created.id().unwrap().to_owned();
        let pool = describe(&idp, &id).await;

        assert!(
            is_pool_id(&id),
            "pool id {id} is us-east-1_ + 9 alphanumerics"
        );
        let arn = pool.arn().expect("Arn");
        let account = arn
            .strip_prefix("arn:aws:cognito-idp:us-east-1:")
            .and_then(|rest| rest.strip_suffix(&format!(":userpool/{id}")))
            .unwrap_or_else(|| panic!("ARN {arn}"));
        assert!(
            account.len() == 12 && account.chars().all(|c| c.is_ascii_digit()),
            "{arn}"
        );

        let created_at = secs(pool.creation_date());
        assert!(
            (created_at - before).abs() < 60.0,
            "CreationDate {created_at} vs now {before}"
        );
        assert_eq!(pool.creation_date(), pool.last_modified_date());

        let policy = pool
            .policies()
            .and_then(|p| p.password_policy())
            .expect("default PasswordPolicy");
        assert_eq!(policy.minimum_length(), Some(8));
        assert!(policy.require_uppercase());
        assert!(policy.require_lowercase());
        assert!(policy.require_numbers());
        assert!(policy.require_symbols());
        assert_eq!(policy.temporary_password_validity_days(), 7);

        assert_eq!(pool.mfa_configuration(), Some(&UserPoolMfaType::Off));
        assert_eq!(
            pool.deletion_protection(),
            Some(&DeletionProtectionType::Inactive)
        );
        assert_eq!(pool.estimated_number_of_users(), 0);
        assert_eq!(pool.user_pool_tier(), Some(&UserPoolTierType::Essentials));
        assert_eq!(
            pool.admin_create_user_config()
                .map(|c| c.allow_admin_create_user_only()),
            Some(false)
        );
        assert_eq!(
            pool.email_configuration()
                .and_then(|c| c.email_sending_account()),
            Some(&EmailSendingAccountType::CognitoDefault)
        );
        assert_eq!(
            pool.verification_message_template()
                .and_then(|t| t.default_email_option()),
            Some(&DefaultEmailOptionType::ConfirmWithCode)
        );
        assert!(pool.auto_verified_attributes().is_empty());
        assert!(pool.alias_attributes().is_empty());
        assert!(pool.username_attributes().is_empty());

        // The standard schema.
        for name in [
            "sub",
            "name",
            "given_name",
            "family_name",
            "middle_name",
            "nickname",
            "preferred_username",
            "profile",
            "picture",
            "website",
            "email",
            "email_verified",
            "gender",
            "birthdate",
            "zoneinfo",
            "locale",
            "phone_number",
            "phone_number_verified",
            "address",
            "updated_at",
        ] {
            let a = schema(&pool, name);
            assert_eq!(a.developer_only_attribute(), Some(false), "{name}");
        }
        let sub = schema(&pool, "sub");
        assert_eq!(sub.attribute_data_type(), Some(&AttributeDataType::String));
        assert_eq!(sub.required(), Some(true));
        assert_eq!(sub.mutable(), Some(false));
        assert_eq!(
            sub.string_attribute_constraints(),
            Some(
                &StringAttributeConstraintsType::builder()
                    .min_length("1")
                    .max_length("2048")
                    .build()
            )
        );
        for name in ["email_verified", "phone_number_verified"] {
            assert_eq!(
                schema(&pool, name).attribute_data_type(),
                Some(&AttributeDataType::Boolean),
                "{name}"
            );
        }
        let updated_at = schema(&pool, "updated_at");
        assert_eq!(
            updated_at.attribute_data_type(),
            Some(&AttributeDataType::Number)
        );
        assert_eq!(
            updated_at
                .number_attribute_constraints()
                .and_then(|c| c.min_value()),
            Some("0")
        );
        assert_eq!(
            schema(&pool, "birthdate").string_attribute_constraints(),
            Some(
                &StringAttributeConstraintsType::builder()
                    .min_length("10")
                    .max_length("10")
                    .build()
            )
        );
        let email = schema(&pool, "email");
        assert_eq!(email.required(), Some(false));
        assert_eq!(email.mutable(), Some(true));
        assert!(
            !pool
                .schema_attributes()
                .iter()
                .any(|a| a.name().is_some_and(|n| n.starts_with("custom:"))),
            "no custom attributes by default"
        );
    })
    .await;
}

#[tokio::test]
async fn pool_ids_are_region_and_nine_alphanumerics() {
    each_backend(|app| async move {
        let idp = app.idp();
        let mut ids = HashSet::new();
        for _ in 0..5 {
            let id = new_pool_id(&idp).await;
            assert!(is_pool_id(&id), "{id}");
            ids.insert(id);
        }
        assert_eq!(ids.len(), 5, "ids are distinct");
    })
    .await;
}

#[tokio::test]
async fn update_user_pool_replaces_settings() {
    each_backend(|app| async move {
        let idp = app.idp();
        let id = idp
            .create_user_pool()
            .pool_name(unique_name("update-"))
            .auto_verified_attributes(VerifiedAttributeType::Email)
            .alias_attributes(AliasAttributeType::Email)
            .schema(custom_tenant())
            .lambda_config(lambda_config())
            .policies(
                UserPoolPolicyType::builder()
                    .password_policy(password_policy())
                    .build(),
            )
            .user_pool_tags("team", "identity")
            .send()
            .await
            .unwrap()
            .user_pool
            .unwrap()
            .id
            .unwrap();
        let before = describe(&idp, &id).await;

        app.clock().advance(Duration::from_secs(120));
        let new_policy = PasswordPolicyType::builder()
            .minimum_length(12)
            .require_uppercase(false)
            .require_lowercase(true)
            .require_numbers(false)
            .require_symbols(true)
            .temporary_password_validity_days(1)
            .build();
        let new_lambda = LambdaConfigType::builder()
            .pre_authentication("arn:aws:lambda:us-east-1:123456789012:function:pre-auth")
            .build();
        idp.update_user_pool()
            .user_pool_id(&id)
            .policies(
                UserPoolPolicyType::builder()
                    .password_policy(new_policy.clone())
                    .build(),
            )
            .lambda_config(new_lambda.clone())
            .mfa_configuration(UserPoolMfaType::Off)
            .deletion_protection(DeletionProtectionType::Active)
            .admin_create_user_config(admin_create_user_config())
            .verification_message_template(verification_template())
            .user_pool_tags("team", "platform")
            .send()
            .await
            .expect("UpdateUserPool");

        let after = describe(&idp, &id).await;
        assert_eq!(
            after.policies().and_then(|p| p.password_policy()),
            Some(&new_policy)
        );
        assert_eq!(after.lambda_config(), Some(&new_lambda));
        assert_eq!(
            after.deletion_protection(),
            Some(&DeletionProtectionType::Active)
        );
        assert_eq!(
            after
                .admin_create_user_config()
                .map(|c| c.invite_message_template()),
            Some(admin_create_user_config().invite_message_template())
        );
        assert_eq!(
            after.verification_message_template(),
            Some(&verification_template())
        );
        assert_eq!(
            after
                .user_pool_tags()
                .and_then(|t| t.get("team"))
                .map(String::as_str),
            Some("platform")
        );
        // Settings left out of UpdateUserPool go back to their defaults.
        assert!(
            after.auto_verified_attributes().is_empty(),
            "AutoVerifiedAttributes omitted from the update are cleared: {:?}",
            after.auto_verified_attributes()
        );
        // What cannot change stays.
        assert_eq!(after.name(), before.name());
        assert_eq!(after.alias_attributes(), before.alias_attributes());
        assert_eq!(after.schema_attributes(), before.schema_attributes());
        assert_eq!(after.creation_date(), before.creation_date());
        assert!(
            secs(after.last_modified_date()) >= secs(before.last_modified_date()) + 100.0,
            "LastModifiedDate moves with the clock"
        );

        expect_code(
            idp.update_user_pool()
                .user_pool_id(MISSING_POOL)
                .send()
                .await,
            "ResourceNotFoundException",
        );
    })
    .await;
}

#[tokio::test]
async fn update_user_pool_can_rename() {
    each_backend(|app| async move {
        let idp = app.idp();
        let id = new_pool_id(&idp).await;
        let name = unique_name("renamed-");
        idp.update_user_pool()
            .user_pool_id(&id)
            .pool_name(&name)
            .send()
            .await
            .expect("UpdateUserPool");
        assert_eq!(describe(&idp, &id).await.name(), Some(name.as_str()));
    })
    .await;
}

#[tokio::test]
async fn delete_user_pool_honours_deletion_protection() {
    each_backend(|app| async move {
        let idp = app.idp();
        let id = idp
            .create_user_pool()
            .pool_name(unique_name("protected-"))
            .deletion_protection(DeletionProtectionType::Active)
            .send()
            .await
            .unwrap()
            .user_pool
            .unwrap()
            .id
            .unwrap();

        let err = expect_code(
            idp.delete_user_pool().user_pool_id(&id).send().await,
            "InvalidParameterException",
        );
        assert!(
            err.message.to_lowercase().contains("deletion protection"),
            "{err:?}"
        );
        describe(&idp, &id).await;

        idp.update_user_pool()
            .user_pool_id(&id)
            .deletion_protection(DeletionProtectionType::Inactive)
            .send()
            .await
            .unwrap();
        idp.delete_user_pool()
            .user_pool_id(&id)
            .send()
            .await
            .expect("DeleteUserPool once unprotected");

        let err = expect_code(
            idp.describe_user_pool().user_pool_id(&id).send().await,
            "ResourceNotFoundException",
        );
        assert!(err.message.contains(&id), "{err:?}");
        expect_code(
            idp.delete_user_pool().user_pool_id(&id).send().await,
            "ResourceNotFoundException",
        );
    })
    .await;
}

#[tokio::test]
async fn deleting_a_pool_deletes_its_users_clients_and_groups() {
    each_backend(|app| async move {
        let idp = app.idp();
        let id = new_pool_id(&idp).await;
        let client = super::support::new_client(&idp, &id).await;
        super::support::create_user(&idp, &id, "someone", &[]).await;
        idp.create_group()
            .user_pool_id(&id)
            .group_name("g")
            .send()
            .await
            .unwrap();
        idp.delete_user_pool()
            .user_pool_id(&id)
            .send()
            .await
            .unwrap();

        expect_code(
            idp.describe_user_pool_client()
                .user_pool_id(&id)
                .client_id(client.client_id().unwrap())
                .send()
                .await,
            "ResourceNotFoundException",
        );
        let err = service_error(
            idp.admin_get_user()
                .user_pool_id(&id)
                .username("someone")
                .send()
                .await,
        );
        assert!(
            err.code == "ResourceNotFoundException" || err.code == "UserNotFoundException",
            "{err:?}"
        );
    })
    .await;
}

#[tokio::test]
async fn list_user_pools_paginates() {
    each_backend(|app| async move {
        let idp = app.idp();
        let mut created = HashSet::new();
        let mut names = std::collections::HashMap::new();
        for _ in 0..7 {
            let pool = new_pool(&idp).await;
            names.insert(pool.id.clone().unwrap(), pool.name.clone().unwrap());
            created.insert(pool.id.unwrap());
        }

        // Page by hand, two at a time.
        let mut seen = Vec::new();
        let mut token: Option<String> = None;
        let mut pages = 0;
        loop {
            let page = idp
                .list_user_pools()
                .max_results(2)
                .set_next_token(token.clone())
                .send()
                .await
                .expect("ListUserPools");
            pages += 1;
            assert!(page.user_pools().len() <= 2, "page size");
            for p in page.user_pools() {
                let id = p.id().unwrap().to_owned();
                if let Some(name) = names.get(&id) {
                    assert_eq!(p.name(), Some(name.as_str()));
                    assert!(p.creation_date().is_some() && p.last_modified_date().is_some());
                }
                seen.push(id);
            }
            token = page.next_token().map(str::to_owned);
            if token.is_none() {
                break;
            }
            assert!(pages < 10_000, "pagination does not end");
        }
        let mine: Vec<_> = seen.iter().filter(|id| created.contains(*id)).collect();
        assert_eq!(mine.len(), 7, "each pool exactly once: {mine:?}");
        let unique: HashSet<_> = mine.iter().collect();
        assert_eq!(unique.len(), 7);
        if pages == 1 {
            panic!("seven pools at two per page need several pages");
        }

        // The SDK's own paginator sees the same.
        let all: Vec<String> = idp
            .list_user_pools()
            .max_results(3)
            .into_paginator()
            .items()
            .send()
            .collect::<Vec<_>>()
            .await
            .into_iter()
            .map(|p| p.unwrap().id.unwrap())
            .filter(|id| created.contains(id))
            .collect();
        assert_eq!(all.len(), 7);

        expect_code(
            idp.list_user_pools().max_results(61).send().await,
            "InvalidParameterException",
        );
        expect_code(
            idp.list_user_pools().send().await,
            "InvalidParameterException",
        );

        for id in created {
            idp.delete_user_pool()
                .user_pool_id(id)
                .send()
                .await
                .unwrap();
        }
    })
    .await;
}

#[tokio::test]
async fn add_custom_attributes() {
    each_backend(|app| async move {
        let idp = app.idp();
        let id = new_pool_id(&idp).await;
        let dept = SchemaAttributeType::builder()
            .name("dept")
            .attribute_data_type(AttributeDataType::String)
            .mutable(true)
            .string_attribute_constraints(
                StringAttributeConstraintsType::builder()
                    .min_length("0")
                    .max_length("30")
                    .build(),
            )
            .build();
        idp.add_custom_attributes()
            .user_pool_id(&id)
            .custom_attributes(dept.clone())
            .custom_attributes(custom_level())
            .send()
            .await
            .expect("AddCustomAttributes");
        let pool = describe(&idp, &id).await;
        let added = schema(&pool, "custom:dept");
        assert_eq!(
            added.attribute_data_type(),
            Some(&AttributeDataType::String)
        );
        assert_eq!(added.mutable(), Some(true));
        assert_eq!(
            added.string_attribute_constraints(),
            dept.string_attribute_constraints()
        );
        assert_eq!(schema(&pool, "custom:level").mutable(), Some(false));

        // The same name again.
        expect_code(
            idp.add_custom_attributes()
                .user_pool_id(&id)
                .custom_attributes(dept.clone())
                .send()
                .await,
            "InvalidParameterException",
        );
        // Names are at most 20 characters (the model's limit, checked before anything else).
        service_error(
            idp.add_custom_attributes()
                .user_pool_id(&id)
                .custom_attributes(
                    SchemaAttributeType::builder()
                        .name("a".repeat(21))
                        .attribute_data_type(AttributeDataType::String)
                        .build(),
                )
                .send()
                .await,
        )
        .assert_code("InvalidParameterException")
        .assert_message_contains("customAttributes.1.member.name");
        expect_code(
            idp.add_custom_attributes()
                .user_pool_id(MISSING_POOL)
                .custom_attributes(dept)
                .send()
                .await,
            "ResourceNotFoundException",
        );
    })
    .await;
}

#[tokio::test]
async fn user_pool_mfa_config_round_trips() {
    each_backend(|app| async move {
        let idp = app.idp();
        let id = new_pool_id(&idp).await;

        let initial = idp
            .get_user_pool_mfa_config()
            .user_pool_id(&id)
            .send()
            .await
            .expect("GetUserPoolMfaConfig");
        assert_eq!(initial.mfa_configuration(), Some(&UserPoolMfaType::Off));
        assert!(
            initial
                .software_token_mfa_configuration()
                .map(|c| c.enabled())
                != Some(true),
            "TOTP is off in a new pool"
        );

        let set = idp
            .set_user_pool_mfa_config()
            .user_pool_id(&id)
            .software_token_mfa_configuration(
                SoftwareTokenMfaConfigType::builder().enabled(true).build(),
            )
            .mfa_configuration(UserPoolMfaType::On)
            .send()
            .await
            .expect("SetUserPoolMfaConfig");
        assert_eq!(set.mfa_configuration(), Some(&UserPoolMfaType::On));
        assert_eq!(
            set.software_token_mfa_configuration().map(|c| c.enabled()),
            Some(true)
        );

        let got = idp
            .get_user_pool_mfa_config()
            .user_pool_id(&id)
            .send()
            .await
            .unwrap();
        assert_eq!(got.mfa_configuration(), Some(&UserPoolMfaType::On));
        assert_eq!(
            got.software_token_mfa_configuration().map(|c| c.enabled()),
            Some(true)
        );
        assert_eq!(
            describe(&idp, &id).await.mfa_configuration(),
            Some(&UserPoolMfaType::On)
        );

        idp.set_user_pool_mfa_config()
            .user_pool_id(&id)
            .software_token_mfa_configuration(
                SoftwareTokenMfaConfigType::builder().enabled(true).build(),
            )
            .mfa_configuration(UserPoolMfaType::Optional)
            .send()
            .await
            .unwrap();
        assert_eq!(
            describe(&idp, &id).await.mfa_configuration(),
            Some(&UserPoolMfaType::Optional)
        );

        expect_code(
            idp.get_user_pool_mfa_config()
                .user_pool_id(MISSING_POOL)
                .send()
                .await,
            "ResourceNotFoundException",
        );
        expect_code(
            idp.set_user_pool_mfa_config()
                .user_pool_id(MISSING_POOL)
                .mfa_configuration(UserPoolMfaType::Off)
                .send()
                .await,
            "ResourceNotFoundException",
        );
    })
    .await;
}

#[tokio::test]
async fn unknown_pool_is_resource_not_found_everywhere() {
    each_backend(|app| async move {
        let idp = app.idp();
        let err = expect_code(
            idp.describe_user_pool()
                .user_pool_id(MISSING_POOL)
                .send()
                .await,
            "ResourceNotFoundException",
        );
        assert!(err.message.contains(MISSING_POOL), "{err:?}");
        expect_code(
            idp.delete_user_pool()
                .user_pool_id(MISSING_POOL)
                .send()
                .await,
            "ResourceNotFoundException",
        );
        expect_code(
            idp.list_user_pool_clients()
                .user_pool_id(MISSING_POOL)
                .send()
                .await,
            "ResourceNotFoundException",
        );
        expect_code(
            idp.create_user_pool_client()
                .user_pool_id(MISSING_POOL)
                .client_name("c")
                .send()
                .await,
            "ResourceNotFoundException",
        );
        expect_code(
            idp.admin_create_user()
                .user_pool_id(MISSING_POOL)
                .username("u")
                .send()
                .await,
            "ResourceNotFoundException",
        );
        expect_code(
            idp.admin_get_user()
                .user_pool_id(MISSING_POOL)
                .username("u")
                .send()
                .await,
            "ResourceNotFoundException",
        );
        expect_code(
            idp.list_users().user_pool_id(MISSING_POOL).send().await,
            "ResourceNotFoundException",
        );
        expect_code(
            idp.create_group()
                .user_pool_id(MISSING_POOL)
                .group_name("g")
                .send()
                .await,
            "ResourceNotFoundException",
        );
        expect_code(
            idp.list_groups().user_pool_id(MISSING_POOL).send().await,
            "ResourceNotFoundException",
        );
    })
    .await;
}
