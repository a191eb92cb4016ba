//! Remembered devices through the AWS SDK for Rust: `NewDeviceMetadata` at sign-in,
//! ConfirmDevice with a device verifier computed here (as amazon-cognito-identity-js does),
//! DEVICE_SRP_AUTH → DEVICE_PASSWORD_VERIFIER with a client-side device SRP, refresh tokens
//! bound to the device, and the device operations (self-service and admin).

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use monban_core::auth::srp::render_timestamp;
use monban_core::Clock;
use monban_testkit::idp::operation::respond_to_auth_challenge::RespondToAuthChallengeOutput;
use monban_testkit::idp::types::{
    AuthFlowType, AuthenticationResultType, ChallengeNameType, DeviceConfigurationType,
    DeviceRememberedStatusType, DeviceSecretVerifierConfigType, DeviceType, EmailMfaConfigType,
    EmailMfaSettingsType, ExplicitAuthFlowsType, SoftwareTokenMfaConfigType, UserPoolMfaType,
};
use monban_testkit::{each_backend, expect_code, service_error, unique_name, TestApp};
use serde_json::Value;

use super::sign_in::srp_client::{device_verifier_config, ServerChallenge, SrpClient};
use super::support::{attr, attr_value, create_user};

const PASSWORD: &str = "Correct-Horse-9";

/// A pool with `DeviceConfiguration` (or none), an app client, and a confirmed user.
struct Fixture<'a> {
    app: &'a TestApp,
    pool: String,
    client: String,
    username: String,
}

/// A device as the client keeps it after ConfirmDevice.
#[derive(Clone)]
struct Device {
    key: String,
    group_key: String,
    password: String,
}

fn random_bytes(n: usize) -> Vec<u8> {
    (0..n.div_ceil(16))
        .flat_map(|_| *uuid::Uuid::new_v4().as_bytes())
        .take(n)
        .collect()
}

fn claims(jwt: &str) -> Value {
    let payload = jwt.split('.').nth(1).expect("a JWT");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).expect("base64url")).expect("JSON")
}

fn access_claims(result: &AuthenticationResultType) -> Value {
    claims(result.access_token().expect("an access token"))
}

fn device_attribute<'d>(device: &'d DeviceType, name: &str) -> Option<&'d str> {
    attr_value(device.device_attributes(), name)
}

impl<'a> Fixture<'a> {
    async fn new(app: &'a TestApp, config: Option<DeviceConfigurationType>) -> Fixture<'a> {
        let pool = app
            .idp()
            .create_user_pool()
            .pool_name(unique_name("devices-"))
            .set_device_configuration(config)
            .send()
            .await
            .expect("CreateUserPool")
            .user_pool
            .and_then(|p| p.id)
            .expect("pool id");
        let client = app
            .idp()
            .create_user_pool_client()
            .user_pool_id(&pool)
            .client_name(unique_name("app-"))
            .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserPasswordAuth)
            .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserSrpAuth)
            .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
            .explicit_auth_flows(ExplicitAuthFlowsType::AllowAdminUserPasswordAuth)
            .send()
            .await
            .expect("CreateUserPoolClient")
            .user_pool_client
            .and_then(|c| c.client_id)
            .expect("client id");
        let username = Self::add_user(app, &pool, "alice").await;
        Fixture {
            app,
            pool,
            client,
            username,
        }
    }

    async fn add_user(app: &TestApp, pool: &str, name: &str) -> String {
        let username = create_user(&app.idp(), pool, name, &[]).await;
        app.idp()
            .admin_set_user_password()
            .user_pool_id(pool)
            .username(&username)
            .password(PASSWORD)
            .permanent(true)
            .send()
            .await
            .expect("AdminSetUserPassword");
        username
    }

    /// USER_PASSWORD_AUTH, with `DEVICE_KEY` when given: the whole response.
    async fn password_sign_in(
        &self,
        device_key: Option<&str>,
    ) -> monban_testkit::idp::operation::initiate_auth::InitiateAuthOutput {
        self.try_password_sign_in(&self.username, device_key)
            .await
            .expect("USER_PASSWORD_AUTH")
    }

    async fn try_password_sign_in(
        &self,
        username: &str,
        device_key: Option<&str>,
    ) -> Result<
        monban_testkit::idp::operation::initiate_auth::InitiateAuthOutput,
        monban_testkit::idp::error::SdkError<
            monban_testkit::idp::operation::initiate_auth::InitiateAuthError,
        >,
    > {
        let mut req = self
            .app
            .unsigned_idp()
            .initiate_auth()
            .client_id(&self.client)
            .auth_flow(AuthFlowType::UserPasswordAuth)
            .auth_parameters("USERNAME", username)
            .auth_parameters("PASSWORD", PASSWORD);
        if let Some(key) = device_key {
            req = req.auth_parameters("DEVICE_KEY", key);
        }
        req.send().await
    }

    /// A sign-in without a device key: tokens and the new device's metadata.
    async fn new_device_sign_in(&self) -> (AuthenticationResultType, String, String) {
        let result = self
            .password_sign_in(None)
            .await
            .authentication_result
            .expect("tokens");
        let metadata = result
            .new_device_metadata()
            .expect("NewDeviceMetadata when the pool tracks devices");
        let key = metadata.device_key().expect("DeviceKey").to_owned();
        let group = metadata
            .device_group_key()
            .expect("DeviceGroupKey")
            .to_owned();
        (result, key, group)
    }

    /// What amazon-cognito-identity-js does after a sign-in that returned
    /// `NewDeviceMetadata`: a random device password, its verifier, ConfirmDevice.
    async fn confirm(&self, access_token: &str, key: &str, group_key: &str) -> (Device, bool) {
        let password = STANDARD.encode(random_bytes(40));
        let (salt, verifier) = device_verifier_config(group_key, key, &password, &random_bytes(16));
        let confirmed = self
            .app
            .unsigned_idp()
            .confirm_device()
            .access_token(access_token)
            .device_key(key)
            .device_name("monban test device")
            .device_secret_verifier_config(
                DeviceSecretVerifierConfigType::builder()
                    .salt(salt)
                    .password_verifier(verifier)
                    .build(),
            )
            .send()
            .await
            .expect("ConfirmDevice");
        let device = Device {
            key: key.to_owned(),
            group_key: group_key.to_owned(),
            password,
        };
        (device, confirmed.user_confirmation_necessary)
    }

    /// Signs in, confirms the new device; returns it and the sign-in's access token.
    async fn remembered_device(&self) -> (Device, String) {
        let (result, key, group) = self.new_device_sign_in().await;
        let access = result.access_token().expect("access token").to_owned();
        let (device, _) = self.confirm(&access, &key, &group).await;
        (device, access)
    }

    async fn respond(
        &self,
        challenge: ChallengeNameType,
        session: Option<&str>,
        responses: &[(&str, &str)],
    ) -> Result<
        RespondToAuthChallengeOutput,
        monban_testkit::idp::error::SdkError<
            monban_testkit::idp::operation::respond_to_auth_challenge::RespondToAuthChallengeError,
        >,
    > {
        let mut req = self
            .app
            .unsigned_idp()
            .respond_to_auth_challenge()
            .client_id(&self.client)
            .challenge_name(challenge)
            .set_session(session.map(str::to_owned));
        for (name, value) in responses {
            req = req.challenge_responses(*name, *value);
        }
        req.send().await
    }

    /// Answers DEVICE_SRP_AUTH; returns the SRP client and the DEVICE_PASSWORD_VERIFIER
    /// challenge.
    async fn device_srp_auth(
        &self,
        device: &Device,
        session: Option<&str>,
    ) -> (SrpClient, RespondToAuthChallengeOutput) {
        let srp = SrpClient::new();
        let challenge = self
            .respond(
                ChallengeNameType::DeviceSrpAuth,
                session,
                &[
                    ("USERNAME", &self.username),
                    ("DEVICE_KEY", &device.key),
                    ("SRP_A", &srp.srp_a()),
                ],
            )
            .await
            .expect("DEVICE_SRP_AUTH");
        assert_eq!(
            challenge.challenge_name(),
            Some(&ChallengeNameType::DevicePasswordVerifier)
        );
        (srp, challenge)
    }

    /// The DEVICE_PASSWORD_VERIFIER answer for `device_password`.
    fn device_claim(
        &self,
        srp: &SrpClient,
        device: &Device,
        challenge: &RespondToAuthChallengeOutput,
        device_password: &str,
    ) -> Vec<(String, String)> {
        let p = challenge.challenge_parameters().expect("parameters");
        assert_eq!(p["USERNAME"], self.username);
        let timestamp = render_timestamp(self.app.clock().now_ms());
        let signature = srp.device_signature(
            &device.group_key,
            &ServerChallenge {
                pool_id: &self.pool,
                user_id_for_srp: &device.key,
                salt_hex: &p["SALT"],
                srp_b_hex: &p["SRP_B"],
                secret_block: &p["SECRET_BLOCK"],
            },
            device_password,
            &timestamp,
        );
        vec![
            ("USERNAME".to_owned(), self.username.clone()),
            ("DEVICE_KEY".to_owned(), device.key.clone()),
            (
                "PASSWORD_CLAIM_SECRET_BLOCK".to_owned(),
                p["SECRET_BLOCK"].clone(),
            ),
            ("PASSWORD_CLAIM_SIGNATURE".to_owned(), signature),
            ("TIMESTAMP".to_owned(), timestamp),
        ]
    }

    async fn verify_device(
        &self,
        responses: &[(String, String)],
        session: Option<&str>,
    ) -> Result<
        RespondToAuthChallengeOutput,
        monban_testkit::idp::error::SdkError<
            monban_testkit::idp::operation::respond_to_auth_challenge::RespondToAuthChallengeError,
        >,
    > {
        let borrowed: Vec<(&str, &str)> = responses
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        self.respond(
            ChallengeNameType::DevicePasswordVerifier,
            session,
            &borrowed,
        )
        .await
    }

    /// Password sign-in with the device, then the device's SRP: the final tokens.
    async fn device_sign_in(&self, device: &Device) -> AuthenticationResultType {
        let started = self.password_sign_in(Some(&device.key)).await;
        assert_eq!(
            started.challenge_name(),
            Some(&ChallengeNameType::DeviceSrpAuth),
            "{started:?}"
        );
        assert_eq!(
            started.challenge_parameters().expect("parameters")["USERNAME"],
            self.username
        );
        let (srp, challenge) = self.device_srp_auth(device, started.session()).await;
        let responses = self.device_claim(&srp, device, &challenge, &device.password);
        self.verify_device(&responses, challenge.session())
            .await
            .expect("DEVICE_PASSWORD_VERIFIER")
            .authentication_result
            .expect("tokens")
    }

    async fn refresh(
        &self,
        token: &str,
        device_key: Option<&str>,
    ) -> Result<
        monban_testkit::idp::operation::initiate_auth::InitiateAuthOutput,
        monban_testkit::idp::error::SdkError<
            monban_testkit::idp::operation::initiate_auth::InitiateAuthError,
        >,
    > {
        let mut req = self
            .app
            .unsigned_idp()
            .initiate_auth()
            .client_id(&self.client)
            .auth_flow(AuthFlowType::RefreshTokenAuth)
            .auth_parameters("REFRESH_TOKEN", token);
        if let Some(key) = device_key {
            req = req.auth_parameters("DEVICE_KEY", key);
        }
        req.send().await
    }
}

/// "Always remember", with remembered devices standing in for MFA.
fn always_remember() -> Option<DeviceConfigurationType> {
    Some(
        DeviceConfigurationType::builder()
            .challenge_required_on_new_device(true)
            .device_only_remembered_on_user_prompt(false)
            .build(),
    )
}

fn user_opt_in() -> Option<DeviceConfigurationType> {
    Some(
        DeviceConfigurationType::builder()
            .challenge_required_on_new_device(true)
            .device_only_remembered_on_user_prompt(true)
            .build(),
    )
}

#[test]
fn the_device_client_reproduces_the_reference_vector() {
    let v: Value = serde_json::from_str(include_str!(
        "../../../monban-core/src/auth/srp/test-vector.json"
    ))
    .unwrap();
    let d = &v["device"];
    let s = |name: &str| d[name].as_str().unwrap().to_owned();
    let salt: Vec<u8> = (0..s("SALT").len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s("SALT")[i..i + 2], 16).unwrap())
        .collect();
    let (salt_b64, verifier_b64) = device_verifier_config(
        &s("DeviceGroupKey"),
        &s("DeviceKey"),
        &s("device_password"),
        &salt,
    );
    let config = &d["DeviceSecretVerifierConfig"];
    assert_eq!(salt_b64, config["Salt"].as_str().unwrap());
    assert_eq!(verifier_b64, config["PasswordVerifier"].as_str().unwrap());

    let a = num_bigint::BigUint::parse_bytes(s("a").as_bytes(), 16).unwrap();
    let client = SrpClient::with_a(a);
    let signature = client.device_signature(
        &s("DeviceGroupKey"),
        &ServerChallenge {
            pool_id: "unused",
            user_id_for_srp: &s("DeviceKey"),
            salt_hex: &s("SALT"),
            srp_b_hex: &s("SRP_B"),
            secret_block: &s("SECRET_BLOCK"),
        },
        &s("device_password"),
        &s("TIMESTAMP"),
    );
    assert_eq!(signature, s("PASSWORD_CLAIM_SIGNATURE"));
}

#[tokio::test]
async fn a_remembered_device_signs_in_with_device_srp() {
    each_backend(|app| async move {
        let f = Fixture::new(&app, always_remember()).await;

        // The first sign-in hands out a device, named in the access token.
        let (result, key, group) = f.new_device_sign_in().await;
        let region = f.pool.split('_').next().unwrap();
        let uuid = key
            .strip_prefix(&format!("{region}_"))
            .expect("{region}_{uuid}");
        assert!(uuid::Uuid::parse_str(uuid).is_ok(), "{key}");
        assert_eq!(group.len(), 9, "{group}");
        assert!(group.starts_with('-'), "{group}");
        assert!(
            group[1..].chars().all(|c| c.is_ascii_alphanumeric()),
            "{group}"
        );
        assert_eq!(access_claims(&result)["device_key"], key.as_str());
        let access = result.access_token().unwrap().to_owned();

        // Not listed until confirmed.
        let listed = app
            .unsigned_idp()
            .list_devices()
            .access_token(&access)
            .send()
            .await
            .expect("ListDevices");
        assert!(listed.devices().is_empty());

        let (device, necessary) = f.confirm(&access, &key, &group).await;
        assert!(!necessary);
        let got = app
            .unsigned_idp()
            .get_device()
            .access_token(&access)
            .device_key(&key)
            .send()
            .await
            .expect("GetDevice")
            .device
            .expect("device");
        assert_eq!(got.device_key(), Some(key.as_str()));
        assert_eq!(device_attribute(&got, "device_status"), Some("valid"));
        assert_eq!(
            device_attribute(&got, "device_name"),
            Some("monban test device")
        );
        assert_eq!(
            device_attribute(&got, "dev:device_remembered_status"),
            Some("remembered")
        );
        assert!(got.device_create_date().is_some());
        assert!(got.device_last_modified_date().is_some());
        assert!(got.device_last_authenticated_date().is_some());

        // A device is confirmed once.
        let again = app
            .unsigned_idp()
            .confirm_device()
            .access_token(&access)
            .device_key(&key)
            .device_secret_verifier_config(
                DeviceSecretVerifierConfigType::builder()
                    .salt("AQID")
                    .password_verifier("AQID")
                    .build(),
            )
            .send()
            .await;
        expect_code(again, "DeviceKeyExistsException");

        // The next sign-in names the device: DEVICE_SRP_AUTH, then tokens for the device.
        app.clock().advance(std::time::Duration::from_secs(60));
        let tokens = f.device_sign_in(&device).await;
        assert!(tokens.new_device_metadata().is_none());
        assert_eq!(access_claims(&tokens)["device_key"], key.as_str());
        let refresh_token = tokens.refresh_token().expect("refresh token").to_owned();

        let got = app
            .idp()
            .admin_get_device()
            .user_pool_id(&f.pool)
            .username(&f.username)
            .device_key(&key)
            .send()
            .await
            .expect("AdminGetDevice")
            .device
            .unwrap();
        let (created, authenticated) = (
            got.device_create_date().unwrap().secs(),
            got.device_last_authenticated_date().unwrap().secs(),
        );
        assert!(authenticated >= created + 60, "{created} {authenticated}");

        // The refresh token is bound to the device.
        let refused = f.refresh(&refresh_token, None).await;
        service_error(refused)
            .assert_code("NotAuthorizedException")
            .assert_message_contains("Invalid Refresh Token");
        let refused = f.refresh(&refresh_token, Some("us-east-1_other")).await;
        expect_code(refused, "NotAuthorizedException");
        let refreshed = f
            .refresh(&refresh_token, Some(&key))
            .await
            .expect("REFRESH_TOKEN_AUTH with the device")
            .authentication_result
            .expect("tokens");
        assert_eq!(access_claims(&refreshed)["device_key"], key.as_str());

        // Another new device of the same user shares the group key.
        let (_, second, second_group) = f.new_device_sign_in().await;
        assert_ne!(second, key);
        assert_eq!(second_group, group);
    })
    .await;
}

#[tokio::test]
async fn device_srp_also_follows_an_srp_password_and_works_without_session_at_the_end() {
    each_backend(|app| async move {
        let f = Fixture::new(&app, always_remember()).await;
        let (device, _) = f.remembered_device().await;

        // USER_SRP_AUTH with DEVICE_KEY, as amazon-cognito-identity-js signs in.
        let srp = SrpClient::new();
        let started = app
            .unsigned_idp()
            .initiate_auth()
            .client_id(&f.client)
            .auth_flow(AuthFlowType::UserSrpAuth)
            .auth_parameters("USERNAME", &f.username)
            .auth_parameters("SRP_A", srp.srp_a())
            .auth_parameters("DEVICE_KEY", &device.key)
            .send()
            .await
            .expect("USER_SRP_AUTH");
        let p = started.challenge_parameters().unwrap();
        let timestamp = render_timestamp(app.clock().now_ms());
        let signature = srp.signature(
            &ServerChallenge {
                pool_id: &f.pool,
                user_id_for_srp: &p["USER_ID_FOR_SRP"],
                salt_hex: &p["SALT"],
                srp_b_hex: &p["SRP_B"],
                secret_block: &p["SECRET_BLOCK"],
            },
            PASSWORD,
            &timestamp,
        );
        let answered = f
            .respond(
                ChallengeNameType::PasswordVerifier,
                started.session(),
                &[
                    ("USERNAME", &p["USER_ID_FOR_SRP"]),
                    ("PASSWORD_CLAIM_SECRET_BLOCK", &p["SECRET_BLOCK"]),
                    ("PASSWORD_CLAIM_SIGNATURE", &signature),
                    ("TIMESTAMP", &timestamp),
                    ("DEVICE_KEY", &device.key),
                ],
            )
            .await
            .expect("PASSWORD_VERIFIER");
        assert_eq!(
            answered.challenge_name(),
            Some(&ChallengeNameType::DeviceSrpAuth)
        );

        // DEVICE_SRP_AUTH needs the password step's Session: the device alone is not
        // enough to sign in.
        let srp2 = SrpClient::new();
        let no_session = f
            .respond(
                ChallengeNameType::DeviceSrpAuth,
                None,
                &[
                    ("USERNAME", &f.username),
                    ("DEVICE_KEY", &device.key),
                    ("SRP_A", &srp2.srp_a()),
                ],
            )
            .await;
        service_error(no_session)
            .assert_code("NotAuthorizedException")
            .assert_message_contains("Invalid session");

        let (srp, challenge) = f.device_srp_auth(&device, answered.session()).await;
        // The answer may come without the Session (pycognito sends none).
        let responses = f.device_claim(&srp, &device, &challenge, &device.password);
        let tokens = f
            .verify_device(&responses, None)
            .await
            .expect("DEVICE_PASSWORD_VERIFIER without Session")
            .authentication_result
            .expect("tokens");
        assert_eq!(access_claims(&tokens)["device_key"], device.key.as_str());
        // Each proof works once.
        let replay = f.verify_device(&responses, None).await;
        expect_code(replay, "NotAuthorizedException");
    })
    .await;
}

#[tokio::test]
async fn a_wrong_device_secret_or_a_foreign_session_is_refused() {
    each_backend(|app| async move {
        let f = Fixture::new(&app, always_remember()).await;
        let (device, _) = f.remembered_device().await;

        let started = f.password_sign_in(Some(&device.key)).await;
        let (srp, challenge) = f.device_srp_auth(&device, started.session()).await;
        let wrong = f.device_claim(&srp, &device, &challenge, "not-the-device-password");
        let refused = f.verify_device(&wrong, challenge.session()).await;
        expect_code(refused, "NotAuthorizedException");

        let started = f.password_sign_in(Some(&device.key)).await;
        let (srp, challenge) = f.device_srp_auth(&device, started.session()).await;
        let right = f.device_claim(&srp, &device, &challenge, &device.password);
        let foreign = f
            .verify_device(&right, Some("a-session-of-something-else-entirely"))
            .await;
        service_error(foreign)
            .assert_code("NotAuthorizedException")
            .assert_message_contains("Invalid session");
        // Another device key than the one proving itself.
        let mut other = right.clone();
        other[1].1 = "us-east-1_00000000-0000-4000-8000-000000000000".to_owned();
        expect_code(
            f.verify_device(&other, challenge.session()).await,
            "NotAuthorizedException",
        );
        // The right answer still works.
        f.verify_device(&right, challenge.session())
            .await
            .expect("DEVICE_PASSWORD_VERIFIER");

        // The DEVICE_SRP_AUTH session works once, and only for its device.
        let started = f.password_sign_in(Some(&device.key)).await;
        let srp = SrpClient::new();
        let other_device = f
            .respond(
                ChallengeNameType::DeviceSrpAuth,
                started.session(),
                &[
                    ("USERNAME", &f.username),
                    (
                        "DEVICE_KEY",
                        "us-east-1_00000000-0000-4000-8000-000000000000",
                    ),
                    ("SRP_A", &srp.srp_a()),
                ],
            )
            .await;
        expect_code(other_device, "NotAuthorizedException");
        let reused = f
            .respond(
                ChallengeNameType::DeviceSrpAuth,
                started.session(),
                &[
                    ("USERNAME", &f.username),
                    ("DEVICE_KEY", &device.key),
                    ("SRP_A", &srp.srp_a()),
                ],
            )
            .await;
        expect_code(reused, "NotAuthorizedException");
    })
    .await;
}

#[tokio::test]
async fn unknown_and_forgotten_device_keys_are_resource_not_found() {
    each_backend(|app| async move {
        let f = Fixture::new(&app, always_remember()).await;

        // amazon-cognito-identity-js retries without its key on this error.
        let unknown = f
            .try_password_sign_in(
                &f.username,
                Some("us-east-1_00000000-0000-4000-8000-000000000000"),
            )
            .await;
        let e = service_error(unknown).assert_code("ResourceNotFoundException");
        assert!(e.message.to_lowercase().contains("device"), "{e:?}");

        // A device handed out but never confirmed cannot sign in as itself either.
        let (_, unconfirmed, _) = f.new_device_sign_in().await;
        expect_code(
            f.try_password_sign_in(&f.username, Some(&unconfirmed))
                .await,
            "ResourceNotFoundException",
        );

        // Another user's device is not this user's.
        let (device, access) = f.remembered_device().await;
        let bob = Fixture::add_user(&app, &f.pool, "bob").await;
        expect_code(
            f.try_password_sign_in(&bob, Some(&device.key)).await,
            "ResourceNotFoundException",
        );

        app.unsigned_idp()
            .forget_device()
            .access_token(&access)
            .device_key(&device.key)
            .send()
            .await
            .expect("ForgetDevice");
        let forgotten = f.try_password_sign_in(&f.username, Some(&device.key)).await;
        let e = service_error(forgotten).assert_code("ResourceNotFoundException");
        assert!(e.message.to_lowercase().contains("device"), "{e:?}");
        let again = app
            .unsigned_idp()
            .get_device()
            .access_token(&access)
            .device_key(&device.key)
            .send()
            .await;
        expect_code(again, "ResourceNotFoundException");
    })
    .await;
}

#[tokio::test]
async fn devices_are_listed_updated_and_forgotten_by_the_user_and_the_admin() {
    each_backend(|app| async move {
        let f = Fixture::new(&app, always_remember()).await;
        let (first, access) = f.remembered_device().await;
        let (second, _) = f.remembered_device().await;
        let mut keys = [first.key.clone(), second.key.clone()];
        keys.sort();

        // Pages of one, in key order.
        let page = app
            .unsigned_idp()
            .list_devices()
            .access_token(&access)
            .limit(1)
            .send()
            .await
            .expect("ListDevices");
        assert_eq!(page.devices().len(), 1);
        assert_eq!(page.devices()[0].device_key(), Some(keys[0].as_str()));
        let token = page.pagination_token().expect("a next page").to_owned();
        let rest = app
            .unsigned_idp()
            .list_devices()
            .access_token(&access)
            .limit(1)
            .pagination_token(token)
            .send()
            .await
            .expect("ListDevices page 2");
        assert_eq!(rest.devices().len(), 1);
        assert_eq!(rest.devices()[0].device_key(), Some(keys[1].as_str()));
        assert!(rest.pagination_token().is_none());

        // The user stops remembering the first device; the admin sees it.
        app.unsigned_idp()
            .update_device_status()
            .access_token(&access)
            .device_key(&first.key)
            .device_remembered_status(DeviceRememberedStatusType::NotRemembered)
            .send()
            .await
            .expect("UpdateDeviceStatus");
        let listed = app
            .idp()
            .admin_list_devices()
            .user_pool_id(&f.pool)
            .username(&f.username)
            .send()
            .await
            .expect("AdminListDevices");
        let status = |key: &str| {
            listed
                .devices()
                .iter()
                .find(|d| d.device_key() == Some(key))
                .and_then(|d| device_attribute(d, "dev:device_remembered_status"))
                .map(str::to_owned)
        };
        assert_eq!(status(&first.key).as_deref(), Some("not_remembered"));
        assert_eq!(status(&second.key).as_deref(), Some("remembered"));

        // The admin remembers it again, then forgets the second one.
        app.idp()
            .admin_update_device_status()
            .user_pool_id(&f.pool)
            .username(&f.username)
            .device_key(&first.key)
            .device_remembered_status(DeviceRememberedStatusType::Remembered)
            .send()
            .await
            .expect("AdminUpdateDeviceStatus");
        let got = app
            .idp()
            .admin_get_device()
            .user_pool_id(&f.pool)
            .username(&f.username)
            .device_key(&first.key)
            .send()
            .await
            .expect("AdminGetDevice")
            .device
            .unwrap();
        assert_eq!(
            device_attribute(&got, "dev:device_remembered_status"),
            Some("remembered")
        );
        app.idp()
            .admin_forget_device()
            .user_pool_id(&f.pool)
            .username(&f.username)
            .device_key(&second.key)
            .send()
            .await
            .expect("AdminForgetDevice");
        let listed = app
            .unsigned_idp()
            .list_devices()
            .access_token(&access)
            .send()
            .await
            .expect("ListDevices");
        let left: Vec<_> = listed
            .devices()
            .iter()
            .filter_map(|d| d.device_key())
            .collect();
        assert_eq!(left, [first.key.as_str()]);

        // Unknown devices, users and pools in Cognito's words.
        let e = expect_code(
            app.idp()
                .admin_forget_device()
                .user_pool_id(&f.pool)
                .username(&f.username)
                .device_key(&second.key)
                .send()
                .await,
            "ResourceNotFoundException",
        );
        assert!(e.message.contains("Device"), "{e:?}");
        expect_code(
            app.idp()
                .admin_list_devices()
                .user_pool_id(&f.pool)
                .username("nobody")
                .send()
                .await,
            "UserNotFoundException",
        );
        expect_code(
            app.unsigned_idp()
                .update_device_status()
                .access_token(&access)
                .device_key(&second.key)
                .device_remembered_status(DeviceRememberedStatusType::Remembered)
                .send()
                .await,
            "ResourceNotFoundException",
        );
        // Another user's view of the device: not found.
        let bob = Fixture::add_user(&app, &f.pool, "bob").await;
        expect_code(
            app.idp()
                .admin_get_device()
                .user_pool_id(&f.pool)
                .username(&bob)
                .device_key(&first.key)
                .send()
                .await,
            "ResourceNotFoundException",
        );
        // Device operations need a valid access token.
        expect_code(
            app.unsigned_idp()
                .list_devices()
                .access_token("not-a-token")
                .send()
                .await,
            "NotAuthorizedException",
        );
        expect_code(
            app.unsigned_idp()
                .get_device()
                .device_key(&first.key)
                .send()
                .await,
            "NotAuthorizedException",
        );

        // Deleting the user takes its devices.
        app.idp()
            .admin_delete_user()
            .user_pool_id(&f.pool)
            .username(&f.username)
            .send()
            .await
            .expect("AdminDeleteUser");
        Fixture::add_user(&app, &f.pool, "alice").await;
        let listed = app
            .idp()
            .admin_list_devices()
            .user_pool_id(&f.pool)
            .username("alice")
            .send()
            .await
            .expect("AdminListDevices");
        assert!(listed.devices().is_empty());
    })
    .await;
}

#[tokio::test]
async fn with_user_opt_in_a_confirmed_device_waits_to_be_remembered() {
    each_backend(|app| async move {
        let f = Fixture::new(&app, user_opt_in()).await;
        let (result, key, group) = f.new_device_sign_in().await;
        let access = result.access_token().unwrap().to_owned();
        let (device, necessary) = f.confirm(&access, &key, &group).await;
        assert!(necessary);
        let got = app
            .unsigned_idp()
            .get_device()
            .access_token(&access)
            .device_key(&key)
            .send()
            .await
            .expect("GetDevice")
            .device
            .unwrap();
        assert_eq!(
            device_attribute(&got, "dev:device_remembered_status"),
            Some("not_remembered")
        );
        // Tracked all the same: the device proves itself at sign-in.
        let tokens = f.device_sign_in(&device).await;
        assert_eq!(access_claims(&tokens)["device_key"], key.as_str());
    })
    .await;
}

#[tokio::test]
async fn confirm_device_checks_its_input() {
    each_backend(|app| async move {
        let f = Fixture::new(&app, always_remember()).await;
        let (result, key, _) = f.new_device_sign_in().await;
        let access = result.access_token().unwrap().to_owned();
        for config in [
            None,
            Some(
                DeviceSecretVerifierConfigType::builder()
                    .salt("AQID")
                    .build(),
            ),
            Some(
                DeviceSecretVerifierConfigType::builder()
                    .salt("AQID")
                    .password_verifier("not base64!")
                    .build(),
            ),
            // v = 0 is no verifier.
            Some(
                DeviceSecretVerifierConfigType::builder()
                    .salt("AQID")
                    .password_verifier("AA==")
                    .build(),
            ),
        ] {
            let refused = app
                .unsigned_idp()
                .confirm_device()
                .access_token(&access)
                .device_key(&key)
                .set_device_secret_verifier_config(config)
                .send()
                .await;
            expect_code(refused, "InvalidParameterException");
        }
        let unknown = app
            .unsigned_idp()
            .confirm_device()
            .access_token(&access)
            .device_key("us-east-1_00000000-0000-4000-8000-000000000000")
            .device_secret_verifier_config(
                DeviceSecretVerifierConfigType::builder()
                    .salt("AQID")
                    .password_verifier("AQID")
                    .build(),
            )
            .send()
            .await;
        expect_code(unknown, "ResourceNotFoundException");
    })
    .await;
}

#[tokio::test]
async fn pools_without_device_tracking_hand_out_no_device() {
    each_backend(|app| async move {
        let f = Fixture::new(&app, None).await;
        let result = f
            .password_sign_in(None)
            .await
            .authentication_result
            .expect("tokens");
        assert!(result.new_device_metadata().is_none());
        assert!(access_claims(&result).get("device_key").is_none());
        // A key sent anyway is ignored: no device challenge, no device in the tokens, and
        // the refresh token is not bound to it.
        let result = f
            .password_sign_in(Some("us-east-1_00000000-0000-4000-8000-000000000000"))
            .await
            .authentication_result
            .expect("tokens");
        assert!(access_claims(&result).get("device_key").is_none());
        f.refresh(result.refresh_token().unwrap(), None)
            .await
            .expect("refresh without a device");
    })
    .await;
}

/// The 6 digits of the last code mailed to `to`.
fn last_mailed_code(app: &TestApp, to: &str) -> String {
    let mail = app.mailer().emails_to(to);
    let body = &mail.last().expect("a code mailed to the user").body;
    body.split(|c: char| !c.is_ascii_digit())
        .find(|part| part.len() == 6)
        .expect("a 6-digit code")
        .to_owned()
}

#[tokio::test]
async fn a_remembered_device_stands_in_for_mfa() {
    each_backend(|app| async move {
        let f = Fixture::new(&app, always_remember()).await;
        app.idp()
            .set_user_pool_mfa_config()
            .user_pool_id(&f.pool)
            .mfa_configuration(UserPoolMfaType::Optional)
            .software_token_mfa_configuration(
                SoftwareTokenMfaConfigType::builder().enabled(false).build(),
            )
            .email_mfa_configuration(
                EmailMfaConfigType::builder()
                    .subject("Sign-in code")
                    .message("Your sign-in code is {####}.")
                    .build(),
            )
            .send()
            .await
            .expect("SetUserPoolMfaConfig");
        let email = format!("{}@example.com", unique_name("d"));
        app.idp()
            .admin_update_user_attributes()
            .user_pool_id(&f.pool)
            .username(&f.username)
            .user_attributes(attr("email", &email))
            .user_attributes(attr("email_verified", "true"))
            .send()
            .await
            .expect("AdminUpdateUserAttributes");
        app.idp()
            .admin_set_user_mfa_preference()
            .user_pool_id(&f.pool)
            .username(&f.username)
            .email_mfa_settings(
                EmailMfaSettingsType::builder()
                    .enabled(true)
                    .preferred_mfa(true)
                    .build(),
            )
            .send()
            .await
            .expect("AdminSetUserMFAPreference");

        // A new device: password, then the emailed code, then tokens and the new device.
        let started = f.password_sign_in(None).await;
        assert_eq!(started.challenge_name(), Some(&ChallengeNameType::EmailOtp));
        let code = last_mailed_code(&app, &email);
        let result = f
            .respond(
                ChallengeNameType::EmailOtp,
                started.session(),
                &[("USERNAME", &f.username), ("EMAIL_OTP_CODE", &code)],
            )
            .await
            .expect("EMAIL_OTP")
            .authentication_result
            .expect("tokens");
        let metadata = result.new_device_metadata().expect("NewDeviceMetadata");
        let (key, group) = (
            metadata.device_key().unwrap().to_owned(),
            metadata.device_group_key().unwrap().to_owned(),
        );
        let (device, _) = f
            .confirm(result.access_token().unwrap(), &key, &group)
            .await;

        // The remembered device skips the code: straight to DEVICE_SRP_AUTH.
        let mailed = app.mailer().emails_to(&email).len();
        let tokens = f.device_sign_in(&device).await;
        assert_eq!(access_claims(&tokens)["device_key"], key.as_str());
        assert_eq!(
            app.mailer().emails_to(&email).len(),
            mailed,
            "no code was sent"
        );

        // Not remembered any more: the code first, then the device proves itself.
        app.idp()
            .admin_update_device_status()
            .user_pool_id(&f.pool)
            .username(&f.username)
            .device_key(&key)
            .device_remembered_status(DeviceRememberedStatusType::NotRemembered)
            .send()
            .await
            .expect("AdminUpdateDeviceStatus");
        let started = f.password_sign_in(Some(&key)).await;
        assert_eq!(started.challenge_name(), Some(&ChallengeNameType::EmailOtp));
        let code = last_mailed_code(&app, &email);
        let answered = f
            .respond(
                ChallengeNameType::EmailOtp,
                started.session(),
                &[
                    ("USERNAME", &f.username),
                    ("EMAIL_OTP_CODE", &code),
                    ("DEVICE_KEY", &key),
                ],
            )
            .await
            .expect("EMAIL_OTP");
        assert_eq!(
            answered.challenge_name(),
            Some(&ChallengeNameType::DeviceSrpAuth)
        );
        // amazon-cognito-identity-js answers with the EMAIL_OTP challenge's Session again
        // (`sendMFACode` keeps it): it continues too, once.
        assert!(answered.session().is_some());
        let (srp, challenge) = f.device_srp_auth(&device, started.session()).await;
        let again = f
            .respond(
                ChallengeNameType::DeviceSrpAuth,
                started.session(),
                &[
                    ("USERNAME", &f.username),
                    ("DEVICE_KEY", &key),
                    ("SRP_A", &SrpClient::new().srp_a()),
                ],
            )
            .await;
        expect_code(again, "NotAuthorizedException");
        let responses = f.device_claim(&srp, &device, &challenge, &device.password);
        let tokens = f
            .verify_device(&responses, challenge.session())
            .await
            .expect("DEVICE_PASSWORD_VERIFIER")
            .authentication_result
            .expect("tokens");
        assert_eq!(access_claims(&tokens)["device_key"], key.as_str());
    })
    .await;
}

#[tokio::test]
async fn the_password_answer_can_be_retried_without_a_forgotten_device_key() {
    each_backend(|app| async move {
        let f = Fixture::new(&app, always_remember()).await;
        let (device, access) = f.remembered_device().await;
        app.unsigned_idp()
            .forget_device()
            .access_token(&access)
            .device_key(&device.key)
            .send()
            .await
            .expect("ForgetDevice");

        // What amazon-cognito-identity-js does with its cached (now forgotten) key.
        let srp = SrpClient::new();
        let started = app
            .unsigned_idp()
            .initiate_auth()
            .client_id(&f.client)
            .auth_flow(AuthFlowType::UserSrpAuth)
            .auth_parameters("USERNAME", &f.username)
            .auth_parameters("SRP_A", srp.srp_a())
            .auth_parameters("DEVICE_KEY", &device.key)
            .send()
            .await
            .expect("USER_SRP_AUTH");
        let p = started.challenge_parameters().unwrap();
        let timestamp = render_timestamp(app.clock().now_ms());
        let signature = srp.signature(
            &ServerChallenge {
                pool_id: &f.pool,
                user_id_for_srp: &p["USER_ID_FOR_SRP"],
                salt_hex: &p["SALT"],
                srp_b_hex: &p["SRP_B"],
                secret_block: &p["SECRET_BLOCK"],
            },
            PASSWORD,
            &timestamp,
        );
        let mut answer = vec![
            ("USERNAME", p["USER_ID_FOR_SRP"].as_str()),
            ("PASSWORD_CLAIM_SECRET_BLOCK", p["SECRET_BLOCK"].as_str()),
            ("PASSWORD_CLAIM_SIGNATURE", signature.as_str()),
            ("TIMESTAMP", timestamp.as_str()),
            ("DEVICE_KEY", device.key.as_str()),
        ];
        let refused = f
            .respond(
                ChallengeNameType::PasswordVerifier,
                started.session(),
                &answer,
            )
            .await;
        let e = service_error(refused).assert_code("ResourceNotFoundException");
        assert!(e.message.to_lowercase().contains("device"), "{e:?}");

        // The same answer without the key: signed in, with a new device.
        answer.pop();
        let result = f
            .respond(
                ChallengeNameType::PasswordVerifier,
                started.session(),
                &answer,
            )
            .await
            .expect("PASSWORD_VERIFIER retried without DEVICE_KEY")
            .authentication_result
            .expect("tokens");
        let metadata = result.new_device_metadata().expect("a new device");
        assert_ne!(metadata.device_key(), Some(device.key.as_str()));
    })
    .await;
}
