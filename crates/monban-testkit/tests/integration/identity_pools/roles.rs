//! Role resolution for authenticated identities: rules on a custom attribute (first match
//! wins), roles from the user's groups (`cognito:preferred_role`, `CustomRoleArn`), and what
//! an ambiguous mapping does (`AuthenticatedRole` or `Deny`).

use aws_sdk_cognitoidentity::types::{
    AmbiguousRoleResolutionType, MappingRule, MappingRuleMatchType, RoleMapping, RoleMappingType,
    RulesConfigurationType,
};
use monban_core::error::ErrorKind;
use monban_testkit::{each_backend, expect_code, TestApp};

use super::{
    get_id, identity, identity_pool, public_identity, resolve, sign_in, user, user_pool, UserPool,
    AUTH_ROLE,
};

const SALES: &str = "arn:aws:iam::123456789012:role/sales";
const ENGINEERING: &str = "arn:aws:iam::123456789012:role/engineering";
const ADMIN: &str = "arn:aws:iam::123456789012:role/admin";
const STAFF: &str = "arn:aws:iam::123456789012:role/staff";

async fn map_roles(app: &TestApp, pool: &str, up: &UserPool, mapping: RoleMapping) {
    identity(app)
        .set_identity_pool_roles()
        .identity_pool_id(pool)
        .roles("authenticated", AUTH_ROLE)
        .role_mappings(format!("{}:{}", up.provider, up.client), mapping)
        .send()
        .await
        .expect("SetIdentityPoolRoles");
}

fn rule(claim: &str, match_type: MappingRuleMatchType, value: &str, role: &str) -> MappingRule {
    MappingRule::builder()
        .claim(claim)
        .match_type(match_type)
        .value(value)
        .role_arn(role)
        .build()
        .expect("rule")
}

fn rules(rules: Vec<MappingRule>, ambiguous: AmbiguousRoleResolutionType) -> RoleMapping {
    RoleMapping::builder()
        .r#type(RoleMappingType::Rules)
        .ambiguous_role_resolution(ambiguous)
        .rules_configuration(
            RulesConfigurationType::builder()
                .set_rules(Some(rules))
                .build()
                .expect("rules"),
        )
        .build()
        .expect("mapping")
}

fn token(ambiguous: AmbiguousRoleResolutionType) -> RoleMapping {
    RoleMapping::builder()
        .r#type(RoleMappingType::Token)
        .ambiguous_role_resolution(ambiguous)
        .build()
        .expect("mapping")
}

/// The identity of `username` and the role it resolves to (or the error).
async fn role_of(
    app: &TestApp,
    up: &UserPool,
    pool: &str,
    username: &str,
    custom_role: Option<&str>,
) -> Result<String, monban_core::Error> {
    let (id_token, _) = sign_in(app, &up.client, username).await;
    let identity_id = get_id(app, pool, &up.provider, &id_token).await;
    resolve(app, &identity_id, &[(&up.provider, &id_token)], custom_role)
        .await
        .map(|r| r.role_arn)
}

#[tokio::test]
async fn rules_on_a_custom_attribute_pick_the_role_and_deny_when_none_matches() {
    each_backend(|app| async move {
        let up = user_pool(&app).await;
        user(&app, &up, "sam", &[("custom:department", "sales")], &[]).await;
        user(
            &app,
            &up,
            "erica",
            &[("custom:department", "engineering")],
            &[],
        )
        .await;
        user(
            &app,
            &up,
            "dana",
            &[
                ("custom:department", "design"),
                ("email", "dana@example.com"),
            ],
            &[],
        )
        .await;
        let pool = identity_pool(&app, &up, false).await;
        map_roles(
            &app,
            &pool,
            &up,
            rules(
                vec![
                    rule(
                        "custom:department",
                        MappingRuleMatchType::Equals,
                        "sales",
                        SALES,
                    ),
                    rule(
                        "custom:department",
                        MappingRuleMatchType::StartsWith,
                        "eng",
                        ENGINEERING,
                    ),
                    // Also matches sam: the first matching rule wins.
                    rule(
                        "custom:department",
                        MappingRuleMatchType::Contains,
                        "a",
                        ADMIN,
                    ),
                ],
                AmbiguousRoleResolutionType::Deny,
            ),
        )
        .await;
        assert_eq!(role_of(&app, &up, &pool, "sam", None).await.unwrap(), SALES);
        assert_eq!(
            role_of(&app, &up, &pool, "erica", None).await.unwrap(),
            ENGINEERING
        );
        // CustomRoleArn may pick another matching rule's role, and only such a role.
        assert_eq!(
            role_of(&app, &up, &pool, "sam", Some(ADMIN)).await.unwrap(),
            ADMIN
        );
        let e = role_of(&app, &up, &pool, "sam", Some(ENGINEERING))
            .await
            .unwrap_err();
        assert_eq!(e.kind, ErrorKind::NotAuthorizedException);
        // dana's department matches no rule: Deny.
        map_roles(
            &app,
            &pool,
            &up,
            rules(
                vec![
                    rule(
                        "custom:department",
                        MappingRuleMatchType::Equals,
                        "sales",
                        SALES,
                    ),
                    rule(
                        "custom:department",
                        MappingRuleMatchType::NotEqual,
                        "design",
                        ENGINEERING,
                    ),
                ],
                AmbiguousRoleResolutionType::Deny,
            ),
        )
        .await;
        let e = role_of(&app, &up, &pool, "dana", None).await.unwrap_err();
        assert_eq!(e.kind, ErrorKind::NotAuthorizedException);
        assert_eq!(
            e.message,
            "The ambiguous role mapping rules denied this request."
        );
        // The same through GetCredentialsForIdentity: refused for dana, credentials for erica.
        let (dana_token, _) = sign_in(&app, &up.client, "dana").await;
        let dana = get_id(&app, &pool, &up.provider, &dana_token).await;
        let e = expect_code(
            public_identity(&app)
                .get_credentials_for_identity()
                .identity_id(&dana)
                .logins(&up.provider, &dana_token)
                .send()
                .await,
            "NotAuthorizedException",
        );
        assert_eq!(
            e.message,
            "The ambiguous role mapping rules denied this request."
        );
        let (erica_token, _) = sign_in(&app, &up.client, "erica").await;
        let erica = get_id(&app, &pool, &up.provider, &erica_token).await;
        let out = public_identity(&app)
            .get_credentials_for_identity()
            .identity_id(&erica)
            .logins(&up.provider, &erica_token)
            .send()
            .await
            .expect("GetCredentialsForIdentity");
        assert_eq!(out.identity_id(), Some(erica.as_str()));
        let credentials = out.credentials().expect("credentials");
        assert!(credentials.access_key_id().is_some_and(|k| !k.is_empty()));
        assert!(credentials.session_token().is_some());
        assert_eq!(
            role_of(&app, &up, &pool, "erica", None).await.unwrap(),
            ENGINEERING
        );
        // ... or the authenticated role.
        map_roles(
            &app,
            &pool,
            &up,
            rules(
                vec![rule(
                    "custom:department",
                    MappingRuleMatchType::Equals,
                    "sales",
                    SALES,
                )],
                AmbiguousRoleResolutionType::AuthenticatedRole,
            ),
        )
        .await;
        assert_eq!(
            role_of(&app, &up, &pool, "dana", None).await.unwrap(),
            AUTH_ROLE
        );
        // Rules may look at any claim of the ID token.
        map_roles(
            &app,
            &pool,
            &up,
            rules(
                vec![rule(
                    "email",
                    MappingRuleMatchType::Equals,
                    "dana@example.com",
                    ADMIN,
                )],
                AmbiguousRoleResolutionType::Deny,
            ),
        )
        .await;
        assert_eq!(
            role_of(&app, &up, &pool, "dana", None).await.unwrap(),
            ADMIN
        );
    })
    .await;
}

#[tokio::test]
async fn token_mappings_take_the_role_of_the_user_s_groups() {
    each_backend(|app| async move {
        let up = user_pool(&app).await;
        // Precedence 1 beats 5: admin is the preferred role.
        user(
            &app,
            &up,
            "ann",
            &[],
            &[("admins", 1, Some(ADMIN)), ("staff", 5, Some(STAFF))],
        )
        .await;
        // Two groups of equal precedence with different roles: no preferred role.
        user(
            &app,
            &up,
            "tom",
            &[],
            &[("left", 3, Some(SALES)), ("right", 3, Some(ENGINEERING))],
        )
        .await;
        // No group with a role at all.
        user(&app, &up, "nia", &[], &[("readers", 9, None)]).await;
        let pool = identity_pool(&app, &up, false).await;
        map_roles(&app, &pool, &up, token(AmbiguousRoleResolutionType::Deny)).await;

        assert_eq!(role_of(&app, &up, &pool, "ann", None).await.unwrap(), ADMIN);
        assert_eq!(
            role_of(&app, &up, &pool, "ann", Some(STAFF)).await.unwrap(),
            STAFF
        );
        let e = role_of(&app, &up, &pool, "ann", Some(SALES))
            .await
            .unwrap_err();
        assert_eq!(e.kind, ErrorKind::NotAuthorizedException);
        assert_eq!(
            role_of(&app, &up, &pool, "tom", Some(SALES)).await.unwrap(),
            SALES
        );
        for name in ["tom", "nia"] {
            let e = role_of(&app, &up, &pool, name, None).await.unwrap_err();
            assert_eq!(e.kind, ErrorKind::NotAuthorizedException, "{name}");
            assert_eq!(
                e.message,
                "The ambiguous role mapping rules denied this request."
            );
        }
        map_roles(
            &app,
            &pool,
            &up,
            token(AmbiguousRoleResolutionType::AuthenticatedRole),
        )
        .await;
        assert_eq!(
            role_of(&app, &up, &pool, "tom", None).await.unwrap(),
            AUTH_ROLE
        );
        assert_eq!(role_of(&app, &up, &pool, "ann", None).await.unwrap(), ADMIN);

        // A mapping only applies to its provider and client: the other client's users get
        // the pool's default role... once that client is a provider of the pool.
        identity(&app)
            .update_identity_pool()
            .identity_pool_id(&pool)
            .identity_pool_name("two clients")
            .allow_unauthenticated_identities(false)
            .cognito_identity_providers(super::provider(&up, &up.client))
            .cognito_identity_providers(super::provider(&up, &up.other_client))
            .send()
            .await
            .expect("UpdateIdentityPool");
        let (other_token, _) = sign_in(&app, &up.other_client, "tom").await;
        let tom = get_id(&app, &pool, &up.provider, &other_token).await;
        let resolved = resolve(&app, &tom, &[(&up.provider, &other_token)], None)
            .await
            .expect("resolve");
        assert_eq!(resolved.role_arn, AUTH_ROLE);
    })
    .await;
}

#[tokio::test]
async fn a_pool_without_roles_is_a_configuration_error() {
    each_backend(|app| async move {
        let up = user_pool(&app).await;
        user(&app, &up, "una", &[], &[]).await;
        let client = identity(&app);
        let pool = client
            .create_identity_pool()
            .identity_pool_name("no roles")
            .allow_unauthenticated_identities(true)
            .cognito_identity_providers(super::provider(&up, &up.client))
            .send()
            .await
            .expect("CreateIdentityPool")
            .identity_pool_id
            .clone();
        let guest = public_identity(&app)
            .get_id()
            .identity_pool_id(&pool)
            .send()
            .await
            .expect("GetId")
            .identity_id
            .expect("id");
        let e = resolve(&app, &guest, &[], None).await.unwrap_err();
        assert_eq!(e.kind, ErrorKind::InvalidIdentityPoolConfigurationException);
        let e = role_of(&app, &up, &pool, "una", None).await.unwrap_err();
        assert_eq!(e.kind, ErrorKind::InvalidIdentityPoolConfigurationException);
        assert_eq!(
            e.message,
            "Invalid identity pool configuration. Check assigned IAM roles for this pool."
        );
        // The roles read back empty.
        let roles = client
            .get_identity_pool_roles()
            .identity_pool_id(&pool)
            .send()
            .await
            .expect("GetIdentityPoolRoles");
        assert!(roles.roles().is_none_or(|r| r.is_empty()));
        assert!(roles.role_mappings().is_none());
        expect_code(
            client
                .set_identity_pool_roles()
                .identity_pool_id("us-east-1:00000000-0000-4000-8000-000000000000")
                .roles("authenticated", AUTH_ROLE)
                .send()
                .await,
            "ResourceNotFoundException",
        );
    })
    .await;
}
