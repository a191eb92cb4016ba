//! Users imported with another directory's password hash (bcrypt, Keycloak's PBKDF2,
//! Firebase's scrypt, Argon2id from another implementation): USER_SRP_AUTH cannot work
//! before their first password sign-in (no verifier, as for a user the UserMigration
//! trigger brings in); USER_PASSWORD_AUTH checks the foreign hash and replaces it with the
//! pool's Argon2id and an SRP verifier, after which SRP works.

use monban_core::auth::srp::render_timestamp;
use monban_core::password::{ForeignHash, Pbkdf2Digest};
use monban_core::pool_config::load_pool;
use monban_core::user_import::{import_hashed_user, HashedUser};
use monban_core::Clock;
use monban_testkit::idp::types::{AuthFlowType, ChallengeNameType, ExplicitAuthFlowsType};
use monban_testkit::{each_backend, service_error, unique_name, TestApp};

use super::sign_in::srp_client::{ServerChallenge, SrpClient};
use super::support::new_pool_id;

/// Each format with a password it was made from (vectors from other implementations).
fn cases() -> Vec<(&'static str, ForeignHash, &'static str)> {
    vec![
        (
            "bcrypt",
            ForeignHash::Bcrypt {
                hash: "$2b$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW".to_owned(),
            },
            "U*U",
        ),
        (
            "keycloak",
            ForeignHash::Pbkdf2 {
                algorithm: Pbkdf2Digest::Sha256,
                iterations: 27500,
                salt: "a2V5Y2xvYWstc2FsdC0xNg==".to_owned(),
                value: "NVjeEcgRRP4nEDQ6ViNR3q8ACXl+K1ZcApHBFG+ZSf8hebtbJKqCmoI0X8Gmaf+GkdCmBWxu9JCqsj+DCdHtVQ==".to_owned(),
            },
            "Keycloak-Passw0rd",
        ),
        (
            "firebase",
            ForeignHash::FirebaseScrypt {
                hash: "lSrfV15cpx95/sZS2W9c9Kp6i/LVgQNDNC/qzrCnh1SAyZvqmZqAjTdn3aoItz+VHjoZilo78198JAdRuid5lQ==".to_owned(),
                salt: "42xEC+ixf3L2lw==".to_owned(),
                signer_key: "jxspr8Ki0RYycVU8zykbdLGjFQ3McFUH0uiiTvC8pVMXAn210wjLNmdZJzxUECKbm0QsEmYUSDzZvpjeJ9WmXA==".to_owned(),
                salt_separator: "Bw==".to_owned(),
                rounds: 8,
                mem_cost: 14,
            },
            "user1password",
        ),
        (
            "argon2",
            ForeignHash::Argon2 {
                hash: "$argon2id$v=19$m=1024,t=2,p=1$YXJnb24yLXRlc3Qtc2FsdA$4whSk9Hwb41lEpE8yERGr0yUrRJ2nZ1PKu43Tkzs+88".to_owned(),
            },
            "Argon2-Passw0rd",
        ),
    ]
}

async fn password_sign_in(
    app: &TestApp,
    client: &str,
    username: &str,
    password: &str,
) -> Result<String, String> {
    app.unsigned_idp()
        .initiate_auth()
        .client_id(client)
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .auth_parameters("USERNAME", username)
        .auth_parameters("PASSWORD", password)
        .send()
        .await
        .map(|out| {
            out.authentication_result()
                .and_then(|r| r.access_token())
                .expect("tokens")
                .to_owned()
        })
        .map_err(|e| service_error::<(), _, _>(Err(e)).code)
}

/// A whole USER_SRP_AUTH sign-in: the error code of the step that failed, if one did.
async fn srp_sign_in(
    app: &TestApp,
    pool: &str,
    client: &str,
    username: &str,
    password: &str,
) -> Result<(), String> {
    let srp = SrpClient::new();
    let started = app
        .unsigned_idp()
        .initiate_auth()
        .client_id(client)
        .auth_flow(AuthFlowType::UserSrpAuth)
        .auth_parameters("USERNAME", username)
        .auth_parameters("SRP_A", srp.srp_a())
        .send()
        .await
        .map_err(|e| service_error::<(), _, _>(Err(e)).code)?;
    assert_eq!(
        started.challenge_name(),
        Some(&ChallengeNameType::PasswordVerifier)
    );
    let p = started
        .challenge_parameters()
        .expect("challenge parameters");
    let timestamp = render_timestamp(app.clock().now_ms());
    let signature = srp.signature(
        &ServerChallenge {
            pool_id: pool,
            user_id_for_srp: &p["USER_ID_FOR_SRP"],
            salt_hex: &p["SALT"],
            srp_b_hex: &p["SRP_B"],
            secret_block: &p["SECRET_BLOCK"],
        },
        password,
        &timestamp,
    );
    let done = app
        .unsigned_idp()
        .respond_to_auth_challenge()
        .client_id(client)
        .challenge_name(ChallengeNameType::PasswordVerifier)
        .challenge_responses("USERNAME", &p["USER_ID_FOR_SRP"])
        .challenge_responses("PASSWORD_CLAIM_SECRET_BLOCK", &p["SECRET_BLOCK"])
        .challenge_responses("PASSWORD_CLAIM_SIGNATURE", signature)
        .challenge_responses("TIMESTAMP", timestamp)
        .send()
        .await
        .map_err(|e| service_error::<(), _, _>(Err(e)).code)?;
    assert!(done.authentication_result().is_some());
    Ok(())
}

#[tokio::test]
async fn imported_hashes_sign_in_then_become_argon2id_with_srp() {
    each_backend(|app| async move {
        let pool_id = new_pool_id(&app.idp()).await;
        let client = app
            .idp()
            .create_user_pool_client()
            .user_pool_id(&pool_id)
            .client_name(unique_name("client-"))
            .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserPasswordAuth)
            .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserSrpAuth)
            .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
            .send()
            .await
            .unwrap()
            .user_pool_client
            .unwrap()
            .client_id
            .unwrap();
        let pool = load_pool(app.cx(), &pool_id).await.unwrap();
        for (name, hash, password) in cases() {
            let username = format!("{name}-user");
            let line = HashedUser {
                username: username.clone(),
                attributes: [("email".to_owned(), format!("{name}@example.com"))].into(),
                hash,
            };
            let user = import_hashed_user(app.cx(), &pool, &line).await.unwrap();
            assert!(user.data.srp.is_none(), "{name}");

            // No verifier yet: SRP fails as for a wrong password.
            assert_eq!(
                srp_sign_in(&app, &pool_id, &client, &username, password).await,
                Err("NotAuthorizedException".to_owned()),
                "{name}"
            );
            assert_eq!(
                password_sign_in(&app, &client, &username, &format!("{password}!")).await,
                Err("NotAuthorizedException".to_owned()),
                "{name}"
            );
            let stored = app.cx().store.get_user_by_sub(&pool_id, &user.sub).await;
            let stored = stored.unwrap().unwrap();
            assert_eq!(stored.password_hash, user.password_hash, "{name}");

            password_sign_in(&app, &client, &username, password)
                .await
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            let stored = app.cx().store.get_user_by_sub(&pool_id, &user.sub).await;
            let stored = stored.unwrap().unwrap();
            let hash = stored.password_hash.clone().unwrap();
            assert!(hash.starts_with("$argon2id$"), "{name}: {hash}");
            assert_ne!(Some(hash), user.password_hash, "{name}");
            assert!(stored.data.srp.is_some(), "{name}");

            srp_sign_in(&app, &pool_id, &client, &username, password)
                .await
                .unwrap_or_else(|e| panic!("{name}: SRP after the upgrade: {e}"));
            password_sign_in(&app, &client, &username, password)
                .await
                .unwrap_or_else(|e| panic!("{name}: password after the upgrade: {e}"));
        }
    })
    .await;
}

#[tokio::test]
async fn a_bad_hash_or_a_taken_name_is_refused() {
    each_backend(|app| async move {
        let pool_id = new_pool_id(&app.idp()).await;
        let pool = load_pool(app.cx(), &pool_id).await.unwrap();
        let bad = HashedUser {
            username: "bad".to_owned(),
            attributes: Default::default(),
            hash: ForeignHash::Bcrypt {
                hash: "$2q$nonsense".to_owned(),
            },
        };
        let e = import_hashed_user(app.cx(), &pool, &bad).await.unwrap_err();
        assert_eq!(e.kind.name(), "InvalidParameterException");
        let (_, hash, _) = cases().remove(0);
        let good = HashedUser {
            username: "taken".to_owned(),
            attributes: Default::default(),
            hash,
        };
        import_hashed_user(app.cx(), &pool, &good).await.unwrap();
        let e = import_hashed_user(app.cx(), &pool, &good)
            .await
            .unwrap_err();
        assert_eq!(e.kind.name(), "UsernameExistsException");
    })
    .await;
}
