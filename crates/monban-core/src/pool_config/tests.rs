#![allow(clippy::unwrap_used, clippy::expect_used)]

use monban_wire::idp::{
    AdminCreateUserConfigType, AliasAttributeType, AttributeDataType, CreateUserPoolClientRequest,
    CreateUserPoolRequest, DefaultEmailOptionType, DeletionProtectionType, EmailSendingAccountType,
    ExplicitAuthFlowsType, OAuthFlowType, PasswordPolicyType, PreventUserExistenceErrorTypes,
    SchemaAttributeType, SetUserPoolMfaConfigRequest, SmsConfigurationType,
    SoftwareTokenMfaConfigType, StringAttributeConstraintsType, TimeUnitsType,
    TokenValidityUnitsType, UpdateUserPoolClientRequest, UpdateUserPoolRequest, UserPoolMfaType,
    UserPoolPolicyType, UserPoolTierType, UsernameAttributeType, UsernameConfigurationType,
};

use super::*;
use crate::entities::{UserPool, UserPoolData};
use crate::error::ErrorKind;

fn create(req: CreateUserPoolRequest) -> UserPool {
    let config = pool_config_from_create(&req).unwrap();
    validate_pool_config(&config).unwrap();
    let data = mfa_after_pool_write(&config, &UserPoolData::default()).unwrap();
    UserPool {
        id: "us-east-1_Test12345".to_owned(),
        name: req.pool_name,
        created_ms: 0,
        modified_ms: 0,
        version: 1,
        config,
        data,
    }
}

fn named(name: &str) -> CreateUserPoolRequest {
    CreateUserPoolRequest {
        pool_name: name.to_owned(),
        ..Default::default()
    }
}

fn custom(name: &str, data_type: AttributeDataType) -> SchemaAttributeType {
    SchemaAttributeType {
        name: Some(name.to_owned()),
        attribute_data_type: Some(data_type),
        ..Default::default()
    }
}

fn kind<T: std::fmt::Debug>(result: Result<T, crate::Error>) -> ErrorKind {
    result.unwrap_err().kind
}

#[test]
fn a_pool_created_with_only_a_name_shows_cognitos_defaults() {
    let pool = create(named("p"));
    let c = &pool.config;
    let policy = c
        .policies
        .as_ref()
        .unwrap()
        .password_policy
        .clone()
        .unwrap();
    assert_eq!(policy.minimum_length, Some(8));
    assert_eq!(policy.require_uppercase, Some(true));
    assert_eq!(policy.require_lowercase, Some(true));
    assert_eq!(policy.require_numbers, Some(true));
    assert_eq!(policy.require_symbols, Some(true));
    assert_eq!(policy.temporary_password_validity_days, Some(7));
    assert_eq!(c.mfa_configuration, Some(UserPoolMfaType::Off));
    let admin = c.admin_create_user_config.clone().unwrap();
    assert_eq!(admin.allow_admin_create_user_only, Some(false));
    assert_eq!(admin.unused_account_validity_days, Some(7));
    assert_eq!(
        c.verification_message_template
            .as_ref()
            .unwrap()
            .default_email_option,
        Some(DefaultEmailOptionType::ConfirmWithCode)
    );
    assert_eq!(
        c.email_configuration
            .as_ref()
            .unwrap()
            .email_sending_account,
        Some(EmailSendingAccountType::CognitoDefault)
    );
    assert_eq!(
        c.deletion_protection,
        Some(DeletionProtectionType::Inactive)
    );
    assert_eq!(c.user_pool_tier, Some(UserPoolTierType::Essentials));
    assert_eq!(c.user_pool_tags, Some(Default::default()));
    assert!(c.lambda_config.is_some());
    // No UsernameConfiguration was given, none is echoed; the API default is case-sensitive.
    assert!(c.username_configuration.is_none());
    assert!(case_sensitive(&pool));
    assert_eq!(password_policy(&pool), default_password_policy());
}

#[test]
fn the_standard_schema_has_cognitos_attributes_and_constraints() {
    let pool = create(named("p"));
    let schema = schema(&pool);
    assert_eq!(schema.len(), 20);
    let sub = &schema[0];
    assert_eq!(sub.name.as_deref(), Some("sub"));
    assert_eq!(sub.mutable, Some(false));
    assert_eq!(sub.required, Some(true));
    assert_eq!(
        sub.string_attribute_constraints
            .as_ref()
            .unwrap()
            .min_length
            .as_deref(),
        Some("1")
    );
    let birthdate = schema_attribute(&pool, "birthdate").unwrap();
    let bounds = birthdate.string_attribute_constraints.unwrap();
    assert_eq!(
        (bounds.min_length.as_deref(), bounds.max_length.as_deref()),
        (Some("10"), Some("10"))
    );
    let verified = schema_attribute(&pool, "email_verified").unwrap();
    assert_eq!(
        verified.attribute_data_type,
        Some(AttributeDataType::Boolean)
    );
    assert!(verified.string_attribute_constraints.is_none());
    let updated_at = schema_attribute(&pool, "updated_at").unwrap();
    assert_eq!(
        updated_at
            .number_attribute_constraints
            .unwrap()
            .min_value
            .as_deref(),
        Some("0")
    );
}

#[test]
fn schema_entries_change_standard_attributes_and_add_custom_ones() {
    let mut email = custom("email", AttributeDataType::String);
    email.required = Some(true);
    email.mutable = Some(true);
    let mut tier = custom("tier", AttributeDataType::String);
    tier.string_attribute_constraints = Some(StringAttributeConstraintsType {
        min_length: Some("1".to_owned()),
        max_length: Some("16".to_owned()),
    });
    tier.mutable = Some(false);
    let pool = create(CreateUserPoolRequest {
        schema: Some(vec![email, tier, custom("age", AttributeDataType::Number)]),
        ..named("p")
    });
    assert_eq!(schema(&pool).len(), 22);
    assert_eq!(
        schema_attribute(&pool, "email").unwrap().required,
        Some(true)
    );
    let tier = schema_attribute(&pool, "custom:tier").unwrap();
    assert_eq!(tier.mutable, Some(false));
    assert_eq!(tier.required, Some(false));
    assert_eq!(tier.developer_only_attribute, Some(false));
    assert_eq!(
        tier.string_attribute_constraints
            .unwrap()
            .max_length
            .as_deref(),
        Some("16")
    );
    // Mutable unless said otherwise; a Number gets (empty) number constraints.
    let age = schema_attribute(&pool, "custom:age").unwrap();
    assert_eq!(age.mutable, Some(true));
    assert!(age.number_attribute_constraints.is_some());
    assert!(schema_attribute(&pool, "tier").is_none());
}

#[test]
fn invalid_schema_definitions_are_refused() {
    let bad = |schema: Vec<SchemaAttributeType>| {
        kind(pool_config_from_create(&CreateUserPoolRequest {
            schema: Some(schema),
            ..named("p")
        }))
    };
    let x = custom("x", AttributeDataType::String);
    assert_eq!(
        bad(vec![x.clone(), x.clone()]),
        ErrorKind::InvalidParameterException
    );
    let mut required = x.clone();
    required.required = Some(true);
    assert_eq!(bad(vec![required]), ErrorKind::InvalidParameterException);
    let mut untyped = x.clone();
    untyped.attribute_data_type = None;
    assert_eq!(bad(vec![untyped]), ErrorKind::InvalidParameterException);
    assert_eq!(
        bad(vec![custom("email", AttributeDataType::Number)]),
        ErrorKind::InvalidParameterException
    );
    let mut too_long = x.clone();
    too_long.string_attribute_constraints = Some(StringAttributeConstraintsType {
        min_length: Some("1".to_owned()),
        max_length: Some("4096".to_owned()),
    });
    assert_eq!(bad(vec![too_long]), ErrorKind::InvalidParameterException);
    let mut inverted = x;
    inverted.string_attribute_constraints = Some(StringAttributeConstraintsType {
        min_length: Some("9".to_owned()),
        max_length: Some("3".to_owned()),
    });
    assert_eq!(bad(vec![inverted]), ErrorKind::InvalidParameterException);
}

#[test]
fn custom_attributes_are_added_up_to_fifty_without_duplicates() {
    let pool = create(named("p"));
    let mut schema = schema(&pool).into_owned();
    let batch: Vec<_> = (0..25)
        .map(|i| custom(&format!("a{i}"), AttributeDataType::String))
        .collect();
    schema = add_custom_attributes(&schema, &batch).unwrap();
    let batch: Vec<_> = (25..50)
        .map(|i| custom(&format!("a{i}"), AttributeDataType::String))
        .collect();
    schema = add_custom_attributes(&schema, &batch).unwrap();
    assert_eq!(schema.len(), 70);
    let one_more = [custom("a50", AttributeDataType::String)];
    assert_eq!(
        kind(add_custom_attributes(&schema, &one_more)),
        ErrorKind::InvalidParameterException
    );
    let again = [custom("a1", AttributeDataType::Number)];
    let err = add_custom_attributes(&schema[..30], &again).unwrap_err();
    assert!(err.message.contains("custom:a1"), "{}", err.message);
}

#[test]
fn a_given_password_policy_has_its_omitted_requirements_off() {
    let pool = create(CreateUserPoolRequest {
        policies: Some(UserPoolPolicyType {
            password_policy: Some(PasswordPolicyType {
                minimum_length: Some(12),
                require_numbers: Some(true),
                ..Default::default()
            }),
            sign_in_policy: None,
        }),
        ..named("p")
    });
    let policy = password_policy(&pool);
    assert_eq!(policy.minimum_length, Some(12));
    assert_eq!(policy.require_numbers, Some(true));
    assert_eq!(policy.require_uppercase, Some(false));
    assert_eq!(policy.require_symbols, Some(false));
    assert_eq!(policy.temporary_password_validity_days, Some(7));
}

#[test]
fn temporary_password_days_and_the_legacy_setting_agree() {
    let with = |temporary: Option<i32>, unused: Option<i32>| {
        pool_config_from_create(&CreateUserPoolRequest {
            policies: Some(UserPoolPolicyType {
                password_policy: Some(PasswordPolicyType {
                    temporary_password_validity_days: temporary,
                    ..Default::default()
                }),
                sign_in_policy: None,
            }),
            admin_create_user_config: Some(AdminCreateUserConfigType {
                unused_account_validity_days: unused,
                ..Default::default()
            }),
            ..named("p")
        })
    };
    let legacy = with(None, Some(3)).unwrap();
    assert_eq!(
        legacy
            .policies
            .unwrap()
            .password_policy
            .unwrap()
            .temporary_password_validity_days,
        Some(3)
    );
    let modern = with(Some(5), None).unwrap();
    assert_eq!(
        modern
            .admin_create_user_config
            .unwrap()
            .unused_account_validity_days,
        Some(5)
    );
    assert_eq!(
        kind(with(Some(5), Some(3))),
        ErrorKind::InvalidParameterException
    );
}

#[test]
fn username_and_alias_attributes_are_exclusive() {
    let config = pool_config_from_create(&CreateUserPoolRequest {
        username_attributes: Some(vec![UsernameAttributeType::Email]),
        alias_attributes: Some(vec![AliasAttributeType::PreferredUsername]),
        ..named("p")
    })
    .unwrap();
    assert_eq!(
        kind(validate_pool_config(&config)),
        ErrorKind::InvalidParameterException
    );
}

#[test]
fn legacy_verification_messages_mirror_the_template() {
    let config = pool_config_from_create(&CreateUserPoolRequest {
        email_verification_message: Some("Code: {####}".to_owned()),
        ..named("p")
    })
    .unwrap();
    assert_eq!(
        config
            .verification_message_template
            .unwrap()
            .email_message
            .as_deref(),
        Some("Code: {####}")
    );
}

#[test]
fn update_resets_omitted_settings_and_keeps_fixed_ones() {
    let pool = create(CreateUserPoolRequest {
        username_attributes: Some(vec![UsernameAttributeType::Email]),
        username_configuration: Some(UsernameConfigurationType {
            case_sensitive: false,
        }),
        schema: Some(vec![custom("tier", AttributeDataType::String)]),
        deletion_protection: Some(DeletionProtectionType::Active),
        user_pool_tier: Some(UserPoolTierType::Plus),
        policies: Some(UserPoolPolicyType {
            password_policy: Some(PasswordPolicyType {
                minimum_length: Some(20),
                ..Default::default()
            }),
            sign_in_policy: None,
        }),
        auto_verified_attributes: Some(vec![monban_wire::idp::VerifiedAttributeType::Email]),
        ..named("p")
    });
    let updated = pool_config_from_update(
        &pool.config,
        &UpdateUserPoolRequest {
            user_pool_id: pool.id.clone(),
            ..Default::default()
        },
    )
    .unwrap();
    let policy = updated.policies.as_ref().unwrap().password_policy.clone();
    assert_eq!(policy, Some(default_password_policy()));
    assert_eq!(
        updated.deletion_protection,
        Some(DeletionProtectionType::Inactive)
    );
    assert!(updated.auto_verified_attributes.is_none());
    assert_eq!(updated.schema_attributes, pool.config.schema_attributes);
    assert_eq!(updated.username_attributes, pool.config.username_attributes);
    assert_eq!(
        updated.username_configuration,
        pool.config.username_configuration
    );
    assert_eq!(updated.user_pool_tier, Some(UserPoolTierType::Plus));
}

fn sms() -> SmsConfigurationType {
    SmsConfigurationType {
        sns_caller_arn: Some("arn:aws:iam::000000000000:role/sms".to_owned()),
        ..Default::default()
    }
}

#[test]
fn mfa_on_needs_a_factor() {
    let config = pool_config_from_create(&CreateUserPoolRequest {
        mfa_configuration: Some(UserPoolMfaType::On),
        ..named("p")
    })
    .unwrap();
    assert_eq!(
        kind(mfa_after_pool_write(&config, &UserPoolData::default())),
        ErrorKind::InvalidParameterException
    );
    let pool = create(CreateUserPoolRequest {
        mfa_configuration: Some(UserPoolMfaType::Optional),
        sms_configuration: Some(sms()),
        ..named("p")
    });
    assert!(mfa_factors(&pool).sms);
    assert!(!mfa_factors(&pool).software_token);
}

#[test]
fn set_mfa_config_states_the_factors_and_the_switch() {
    let mut pool = create(named("p"));
    let totp = SetUserPoolMfaConfigRequest {
        user_pool_id: pool.id.clone(),
        mfa_configuration: Some(UserPoolMfaType::Optional),
        software_token_mfa_configuration: Some(SoftwareTokenMfaConfigType {
            enabled: Some(true),
        }),
        ..Default::default()
    };
    apply_set_mfa_config(&mut pool, &totp).unwrap();
    assert_eq!(
        pool.config.mfa_configuration,
        Some(UserPoolMfaType::Optional)
    );
    let shown = mfa_config(&pool);
    assert_eq!(shown.mfa_configuration, Some(UserPoolMfaType::Optional));
    assert_eq!(
        shown.software_token_mfa_configuration.unwrap().enabled,
        Some(true)
    );
    assert!(shown.sms_mfa_configuration.is_none());

    let off_with_factor = SetUserPoolMfaConfigRequest {
        mfa_configuration: Some(UserPoolMfaType::Off),
        ..totp.clone()
    };
    assert_eq!(
        kind(apply_set_mfa_config(&mut pool.clone(), &off_with_factor)),
        ErrorKind::InvalidParameterException
    );
    let on_without_factor = SetUserPoolMfaConfigRequest {
        user_pool_id: pool.id.clone(),
        mfa_configuration: Some(UserPoolMfaType::On),
        ..Default::default()
    };
    assert_eq!(
        kind(apply_set_mfa_config(&mut pool.clone(), &on_without_factor)),
        ErrorKind::InvalidParameterException
    );
    let off = SetUserPoolMfaConfigRequest {
        user_pool_id: pool.id.clone(),
        mfa_configuration: Some(UserPoolMfaType::Off),
        ..Default::default()
    };
    apply_set_mfa_config(&mut pool, &off).unwrap();
    assert_eq!(mfa_factors(&pool), MfaFactors::default());
}

fn client_req() -> CreateUserPoolClientRequest {
    CreateUserPoolClientRequest {
        user_pool_id: "us-east-1_Test12345".to_owned(),
        client_name: "app".to_owned(),
        ..Default::default()
    }
}

#[test]
fn a_client_created_with_nothing_has_cognitos_defaults() {
    let c = client_config_from_create(&client_req());
    assert_eq!(c.explicit_auth_flows, Some(default_explicit_auth_flows()));
    assert_eq!(c.access_token_validity, Some(60));
    assert_eq!(c.id_token_validity, Some(60));
    assert_eq!(c.refresh_token_validity, Some(30));
    assert_eq!(
        c.token_validity_units,
        Some(TokenValidityUnitsType {
            access_token: Some(TimeUnitsType::Minutes),
            id_token: Some(TimeUnitsType::Minutes),
            refresh_token: Some(TimeUnitsType::Days),
        })
    );
    assert_eq!(c.auth_session_validity, Some(3));
    assert_eq!(c.enable_token_revocation, Some(true));
    assert_eq!(
        c.prevent_user_existence_errors,
        Some(PreventUserExistenceErrorTypes::Legacy)
    );
    assert_eq!(c.allowed_o_auth_flows_user_pool_client, Some(false));
    assert!(c.read_attributes.is_none());
    assert!(c.client_secret.is_none());
    validate_client(&create(named("p")), &c, false, "creating").unwrap();
}

#[test]
fn token_validities_without_units_are_hours_and_days() {
    let c = client_config_from_create(&CreateUserPoolClientRequest {
        access_token_validity: Some(2),
        refresh_token_validity: Some(0),
        ..client_req()
    });
    let units = c.token_validity_units.clone().unwrap();
    assert_eq!(units.access_token, Some(TimeUnitsType::Hours));
    assert_eq!(units.id_token, Some(TimeUnitsType::Minutes));
    // 0 means the default.
    assert_eq!(c.refresh_token_validity, Some(30));
    validate_client(&create(named("p")), &c, false, "creating").unwrap();
}

#[test]
fn token_validities_out_of_range_are_refused() {
    let pool = create(named("p"));
    let check = |access: i32, access_unit, refresh: i32, refresh_unit| {
        let c = client_config_from_create(&CreateUserPoolClientRequest {
            access_token_validity: Some(access),
            refresh_token_validity: Some(refresh),
            token_validity_units: Some(TokenValidityUnitsType {
                access_token: Some(access_unit),
                id_token: None,
                refresh_token: Some(refresh_unit),
            }),
            ..client_req()
        });
        validate_client(&pool, &c, false, "creating").map_err(|e| e.kind)
    };
    use TimeUnitsType::{Days, Hours, Minutes, Seconds};
    assert!(check(5, Minutes, 60, Minutes).is_ok());
    assert!(check(1, Days, 3650, Days).is_ok());
    assert!(check(299, Seconds, 30, Days).is_err());
    assert!(check(2, Days, 30, Days).is_err());
    assert!(check(1, Hours, 59, Minutes).is_err());
    assert!(check(1, Hours, 3651, Days).is_err());
    // The refresh token cannot be shorter than the access token.
    assert!(check(24, Hours, 1, Days).is_ok());
    assert!(check(24, Hours, 23, Hours).is_err());
}

#[test]
fn legacy_and_new_auth_flows_do_not_mix() {
    let pool = create(named("p"));
    let with = |flows: Vec<ExplicitAuthFlowsType>| {
        let c = client_config_from_create(&CreateUserPoolClientRequest {
            explicit_auth_flows: Some(flows),
            ..client_req()
        });
        validate_client(&pool, &c, false, "creating")
    };
    assert!(with(vec![ExplicitAuthFlowsType::UserPasswordAuth]).is_ok());
    assert!(with(vec![
        ExplicitAuthFlowsType::AllowUserPasswordAuth,
        ExplicitAuthFlowsType::AllowRefreshTokenAuth
    ])
    .is_ok());
    assert_eq!(
        kind(with(vec![
            ExplicitAuthFlowsType::UserPasswordAuth,
            ExplicitAuthFlowsType::AllowRefreshTokenAuth
        ])),
        ErrorKind::InvalidParameterException
    );
}

#[test]
fn client_attributes_must_be_in_the_schema() {
    let pool = create(CreateUserPoolRequest {
        schema: Some(vec![custom("tier", AttributeDataType::String)]),
        ..named("p")
    });
    let with = |read: &[&str]| {
        let c = client_config_from_create(&CreateUserPoolClientRequest {
            read_attributes: Some(read.iter().map(|s| (*s).to_owned()).collect()),
            ..client_req()
        });
        validate_client(&pool, &c, false, "creating")
    };
    assert!(with(&["email", "email_verified", "custom:tier"]).is_ok());
    let err = with(&["custom:nope"]).unwrap_err();
    assert_eq!(
        err.message,
        "Invalid read attributes specified while creating a client"
    );
}

#[test]
fn redirect_urls_follow_cognitos_rules() {
    for ok in [
        "https://example.com/cb",
        "http://localhost:3000/cb",
        "http://127.0.0.1/cb",
        "http://[::1]:8080/",
        "myapp://callback",
    ] {
        assert!(check_redirect_url(ok, "CallbackURLs").is_ok(), "{ok}");
    }
    for bad in [
        "http://example.com/cb",
        "https://example.com/cb#frag",
        "/relative",
        "example.com",
        "https://",
        // Found by the `redirect_uri` fuzz target: browsers read the host as evil.example.
        "http://evil.example\\@localhost/",
    ] {
        assert!(check_redirect_url(bad, "CallbackURLs").is_err(), "{bad}");
    }
}

#[test]
fn oauth_settings_are_checked_as_cognito_does() {
    let pool = create(named("p"));
    let with = |flows: Vec<OAuthFlowType>, scopes: &[&str], callbacks: &[&str], secret: bool| {
        let c = client_config_from_create(&CreateUserPoolClientRequest {
            allowed_o_auth_flows_user_pool_client: Some(true),
            allowed_o_auth_flows: Some(flows),
            allowed_o_auth_scopes: Some(scopes.iter().map(|s| (*s).to_owned()).collect()),
            callback_ur_ls: Some(callbacks.iter().map(|s| (*s).to_owned()).collect()),
            ..client_req()
        });
        validate_client(&pool, &c, secret, "creating").map_err(|e| e.kind)
    };
    let cb = &["https://example.com/cb"];
    assert!(with(vec![OAuthFlowType::Code], &["openid", "email"], cb, false).is_ok());
    assert_eq!(
        with(vec![OAuthFlowType::Code], &["openid"], &[], false),
        Err(ErrorKind::InvalidOAuthFlowException)
    );
    assert_eq!(
        with(vec![OAuthFlowType::Code], &["api/read"], cb, false),
        Err(ErrorKind::ScopeDoesNotExistException)
    );
    assert_eq!(
        with(
            vec![OAuthFlowType::ClientCredentials],
            &["openid"],
            &[],
            false
        ),
        Err(ErrorKind::InvalidOAuthFlowException)
    );
    assert_eq!(
        with(
            vec![OAuthFlowType::ClientCredentials, OAuthFlowType::Code],
            &["openid"],
            cb,
            true
        ),
        Err(ErrorKind::InvalidOAuthFlowException)
    );
    assert_eq!(
        with(vec![], &["openid"], cb, false),
        Err(ErrorKind::InvalidOAuthFlowException)
    );
}

#[test]
fn client_update_resets_omitted_settings() {
    let c = client_config_from_update(&UpdateUserPoolClientRequest {
        user_pool_id: "us-east-1_Test12345".to_owned(),
        client_id: "abc".to_owned(),
        ..Default::default()
    });
    assert_eq!(c, client_config_from_create(&client_req()));
}
