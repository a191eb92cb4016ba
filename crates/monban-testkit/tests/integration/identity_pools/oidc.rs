//! Logins of an OpenID Connect provider registered on the identity pool by IAM provider ARN
//! (the server settings say what the ARN stands for). The provider here is a user pool of
//! another monban server: any issuer that serves discovery and a key set will do.

use std::time::Duration;

use aws_sdk_cognitoidentity::types::{
    AmbiguousRoleResolutionType, MappingRule, MappingRuleMatchType, RoleMapping, RoleMappingType,
    RulesConfigurationType,
};
use monban_core::identity_pools::OidcProviderSetting;
use monban_testkit::{expect_code, Backend, TestApp};

use super::{
    get_id, identity, public_identity, resolve, sign_in, user, user_pool, verify_open_id_token,
    AUTH_ROLE,
};

const SALES: &str = "arn:aws:iam::123456789012:role/sales";
const DOWN_ARN: &str = "arn:aws:iam::000000000000:oidc-provider/down.example.com";

#[tokio::test]
async fn tokens_of_an_openid_connect_provider_log_in_and_map_to_roles() {
    for backend in Backend::configured() {
        eprintln!("--- backend: {backend:?}");
        // The provider: a user pool of another server.
        let provider_app = TestApp::start_on(backend).await;
        let up = user_pool(&provider_app).await;
        user(
            &provider_app,
            &up,
            "olivia",
            &[("custom:department", "sales")],
            &[],
        )
        .await;
        let issuer = format!("{}/{}", provider_app.endpoint(), up.id);
        let name = issuer.trim_start_matches("http://").to_owned();
        let arn = format!("arn:aws:iam::000000000000:oidc-provider/{name}");
        let setting = OidcProviderSetting {
            arn: arn.clone(),
            issuer: issuer.clone(),
            audiences: vec![up.client.clone()],
        };
        let app = TestApp::start_with(backend, |s| {
            s.identity_pools.oidc_providers.push(setting);
            // Nothing listens on port 1.
            s.identity_pools.oidc_providers.push(OidcProviderSetting {
                arn: DOWN_ARN.to_owned(),
                issuer: "http://127.0.0.1:1/down".to_owned(),
                audiences: vec!["any".to_owned()],
            });
        })
        .await;

        let admin = identity(&app);
        let pool = admin
            .create_identity_pool()
            .identity_pool_name("oidc")
            .allow_unauthenticated_identities(false)
            .open_id_connect_provider_arns(&arn)
            .send()
            .await
            .expect("CreateIdentityPool")
            .identity_pool_id
            .clone();
        assert_eq!(
            admin
                .describe_identity_pool()
                .identity_pool_id(&pool)
                .send()
                .await
                .expect("DescribeIdentityPool")
                .open_id_connect_provider_arns(),
            std::slice::from_ref(&arn)
        );
        admin
            .set_identity_pool_roles()
            .identity_pool_id(&pool)
            .roles("authenticated", AUTH_ROLE)
            .role_mappings(
                &name,
                RoleMapping::builder()
                    .r#type(RoleMappingType::Rules)
                    .ambiguous_role_resolution(AmbiguousRoleResolutionType::AuthenticatedRole)
                    .rules_configuration(
                        RulesConfigurationType::builder()
                            .rules(
                                MappingRule::builder()
                                    .claim("custom:department")
                                    .match_type(MappingRuleMatchType::Equals)
                                    .value("sales")
                                    .role_arn(SALES)
                                    .build()
                                    .expect("rule"),
                            )
                            .build()
                            .expect("rules"),
                    )
                    .build()
                    .expect("mapping"),
            )
            .send()
            .await
            .expect("SetIdentityPoolRoles");

        let (token, _) = sign_in(&provider_app, &up.client, "olivia").await;
        let olivia = get_id(&app, &pool, &name, &token).await;
        assert_eq!(get_id(&app, &pool, &name, &token).await, olivia);
        let resolved = resolve(&app, &olivia, &[(&name, &token)], None)
            .await
            .expect("resolve");
        assert_eq!(resolved.role_arn, SALES, "a rule on the provider's claims");
        let claims = verify_open_id_token(&app, &resolved.open_id_token, &pool).await;
        assert_eq!(claims["amr"][0], "authenticated");
        assert_eq!(claims["amr"][1], name.as_str());

        // Another audience, a forged signature, an expired token.
        let (other_audience, _) = sign_in(&provider_app, &up.other_client, "olivia").await;
        let (head, rest) = token.split_once('.').unwrap();
        let (payload, _) = rest.split_once('.').unwrap();
        let forged = format!("{head}.{payload}.{}", "A".repeat(342));
        for (bad, message) in [
            (
                other_audience,
                "Invalid login token. Incorrect token audience.",
            ),
            (forged, "Invalid login token. Couldn't verify signed token."),
            (
                "junk".to_owned(),
                "Invalid login token. Not a valid OpenId Connect identity token.",
            ),
        ] {
            let e = expect_code(
                public_identity(&app)
                    .get_id()
                    .identity_pool_id(&pool)
                    .logins(&name, &bad)
                    .send()
                    .await,
                "NotAuthorizedException",
            );
            assert_eq!(e.message, message);
        }
        app.clock().advance(Duration::from_secs(3601));
        let e = expect_code(
            public_identity(&app)
                .get_id()
                .identity_pool_id(&pool)
                .logins(&name, &token)
                .send()
                .await,
            "NotAuthorizedException",
        );
        assert!(
            e.message
                .starts_with("Invalid login token. Token expired: "),
            "{}",
            e.message
        );

        // A provider whose keys cannot be fetched: an external service failure.
        let down_pool = admin
            .create_identity_pool()
            .identity_pool_name("oidc down")
            .allow_unauthenticated_identities(false)
            .open_id_connect_provider_arns(DOWN_ARN)
            .send()
            .await
            .expect("CreateIdentityPool")
            .identity_pool_id
            .clone();
        expect_code(
            public_identity(&app)
                .get_id()
                .identity_pool_id(&down_pool)
                .logins("down.example.com", &token)
                .send()
                .await,
            "ExternalServiceException",
        );
    }
}
