//! MFA through the AWS SDK for Rust: TOTP authenticators (by access token and by the
//! MFA_SETUP Session) with codes computed here by an independent RFC 6238 implementation,
//! SOFTWARE_TOKEN_MFA, SMS_MFA (code read from the SMS outbox), EMAIL_OTP (code read from
//! the recording mailer), SELECT_MFA_TYPE, the pool's OFF / OPTIONAL / ON, wrong codes
//! counting towards the lockout, and codes dying with their session (fake clock).

use std::collections::HashMap;
use std::time::Duration;

use hmac::{Hmac, Mac};
use monban_core::Clock;
use monban_testkit::idp::error::SdkError;
use monban_testkit::idp::operation::respond_to_auth_challenge::{
    RespondToAuthChallengeError, RespondToAuthChallengeOutput,
};
use monban_testkit::idp::types::{
    AuthFlowType, ChallengeNameType, DeliveryMediumType, EmailMfaConfigType, EmailMfaSettingsType,
    ExplicitAuthFlowsType, MfaOptionType, SmsConfigurationType, SmsMfaConfigType,
    SmsMfaSettingsType, SoftwareTokenMfaConfigType, SoftwareTokenMfaSettingsType, UserPoolMfaType,
    VerifySoftwareTokenResponseType,
};
use monban_testkit::idp::Client;
use monban_testkit::{each_backend, expect_code, unique_name, TestApp};

use super::support::{attr_value, create_user};

pub(super) const PASSWORD: &str = "Correct-Horse-9";
const PHONE: &str = "+15555550100";
const SMS_MESSAGE: &str = "Your monban code is {####}";
const EMAIL_SUBJECT: &str = "Sign-in code";
const EMAIL_MESSAGE: &str = "Your sign-in code is {####}.";

// ---- An independent TOTP (RFC 6238 with HMAC-SHA-1, RFC 4648 base32) ----

fn base32_decode(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = Vec::new();
    let (mut buffer, mut bits) = (0u64, 0u32);
    for c in text.bytes().filter(|c| *c != b'=') {
        let value = ALPHABET
            .iter()
            .position(|a| *a == c.to_ascii_uppercase())
            .expect("base32 character") as u64;
        buffer = (buffer << 5) | value;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    out
}

/// The 6-digit code of `secret_code` at `at_ms`.
pub(super) fn totp(secret_code: &str, at_ms: i64) -> String {
    let key = base32_decode(secret_code);
    let counter = (at_ms / 1000 / 30) as u64;
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(&key).unwrap();
    mac.update(&counter.to_be_bytes());
    let hash = mac.finalize().into_bytes();
    let offset = usize::from(hash[19] & 0x0f);
    let binary = u32::from_be_bytes([
        hash[offset] & 0x7f,
        hash[offset + 1],
        hash[offset + 2],
        hash[offset + 3],
    ]);
    format!("{:06}", binary % 1_000_000)
}

#[test]
fn the_test_totp_matches_rfc_6238() {
    // RFC 6238 appendix B (SHA-1 seed "12345678901234567890"), last six digits.
    let secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    assert_eq!(totp(secret, 59_000), "287082");
    assert_eq!(totp(secret, 1_111_111_109_000), "081804");
    assert_eq!(totp(secret, 2_000_000_000_000), "279037");
}

/// A code that is certainly not `code`.
pub(super) fn wrong(code: &str) -> String {
    code.chars()
        .map(|c| if c == '0' { '1' } else { '0' })
        .collect()
}

/// The 6 digits in a message.
fn digits(text: &str) -> String {
    let code: String = text
        .split(|c: char| !c.is_ascii_digit())
        .find(|part| part.len() == 6)
        .expect("a 6-digit code in the message")
        .to_owned();
    code
}

// ---- Fixture ----

#[derive(Clone, Copy)]
pub(super) struct Factors {
    pub(super) sms: bool,
    pub(super) totp: bool,
    pub(super) email: bool,
}

pub(super) const ALL: Factors = Factors {
    sms: true,
    totp: true,
    email: true,
};

pub(super) struct Fx<'a> {
    app: &'a TestApp,
    pub(super) pool: String,
    pub(super) client: String,
}

pub(super) struct Challenge {
    pub(super) name: ChallengeNameType,
    pub(super) parameters: HashMap<String, String>,
    pub(super) session: String,
}

impl<'a> Fx<'a> {
    pub(super) async fn new(app: &'a TestApp, mode: UserPoolMfaType, factors: Factors) -> Fx<'a> {
        let idp = app.idp();
        let pool = idp
            .create_user_pool()
            .pool_name(unique_name("mfa-"))
            .send()
            .await
            .expect("CreateUserPool")
            .user_pool
            .and_then(|p| p.id)
            .expect("pool id");
        let fx = Fx {
            app,
            pool,
            client: String::new(),
        };
        fx.set_mfa(mode, factors).await;
        let client = idp
            .create_user_pool_client()
            .user_pool_id(&fx.pool)
            .client_name(unique_name("app-"))
            .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserPasswordAuth)
            .explicit_auth_flows(ExplicitAuthFlowsType::AllowAdminUserPasswordAuth)
            .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
            .send()
            .await
            .expect("CreateUserPoolClient")
            .user_pool_client
            .and_then(|c| c.client_id)
            .expect("client id");
        Fx { client, ..fx }
    }

    /// The same pool and client, through another node.
    pub(super) fn on<'b>(&self, app: &'b TestApp) -> Fx<'b> {
        Fx {
            app,
            pool: self.pool.clone(),
            client: self.client.clone(),
        }
    }

    pub(super) fn idp(&self) -> Client {
        self.app.idp()
    }

    pub(super) fn public(&self) -> Client {
        self.app.unsigned_idp()
    }

    pub(super) fn now_ms(&self) -> i64 {
        self.app.clock().now_ms()
    }

    async fn set_mfa(&self, mode: UserPoolMfaType, factors: Factors) {
        let mut req = self
            .idp()
            .set_user_pool_mfa_config()
            .user_pool_id(&self.pool)
            .mfa_configuration(mode.clone());
        if mode != UserPoolMfaType::Off {
            req = req.software_token_mfa_configuration(
                SoftwareTokenMfaConfigType::builder()
                    .enabled(factors.totp)
                    .build(),
            );
            if factors.sms {
                req = req.sms_mfa_configuration(
                    SmsMfaConfigType::builder()
                        .sms_authentication_message(SMS_MESSAGE)
                        .sms_configuration(
                            SmsConfigurationType::builder()
                                .sns_caller_arn("arn:aws:iam::000000000000:role/sns")
                                .external_id("monban")
                                .build(),
                        )
                        .build(),
                );
            }
            if factors.email {
                req = req.email_mfa_configuration(
                    EmailMfaConfigType::builder()
                        .subject(EMAIL_SUBJECT)
                        .message(EMAIL_MESSAGE)
                        .build(),
                );
            }
        }
        req.send().await.expect("SetUserPoolMfaConfig");
    }

    /// A confirmed user with a permanent password.
    pub(super) async fn user(&self, attributes: &[(&str, &str)]) -> String {
        let username = unique_name("user-");
        create_user(&self.idp(), &self.pool, &username, attributes).await;
        self.idp()
            .admin_set_user_password()
            .user_pool_id(&self.pool)
            .username(&username)
            .password(PASSWORD)
            .permanent(true)
            .send()
            .await
            .expect("AdminSetUserPassword");
        username
    }

    /// USER_PASSWORD_AUTH: tokens (`Ok(access token)`) or a challenge (`Err`).
    pub(super) async fn sign_in(&self, username: &str) -> Result<String, Challenge> {
        let out = self
            .public()
            .initiate_auth()
            .client_id(&self.client)
            .auth_flow(AuthFlowType::UserPasswordAuth)
            .auth_parameters("USERNAME", username)
            .auth_parameters("PASSWORD", PASSWORD)
            .send()
            .await
            .expect("InitiateAuth");
        match out.authentication_result {
            Some(result) => Ok(result.access_token.expect("access token")),
            None => Err(Challenge {
                name: out.challenge_name.expect("challenge name"),
                parameters: out.challenge_parameters.unwrap_or_default(),
                session: out.session.expect("session"),
            }),
        }
    }

    pub(super) async fn challenged(
        &self,
        username: &str,
        expected: ChallengeNameType,
    ) -> Challenge {
        match self.sign_in(username).await {
            Ok(_) => panic!("expected {expected:?}, got tokens"),
            Err(c) => {
                assert_eq!(c.name, expected, "parameters: {:?}", c.parameters);
                c
            }
        }
    }

    pub(super) async fn tokens(&self, username: &str) -> String {
        match self.sign_in(username).await {
            Ok(token) => token,
            Err(c) => panic!("expected tokens, got {:?}", c.name),
        }
    }

    pub(super) fn respond(
        &self,
        name: ChallengeNameType,
        session: &str,
        username: &str,
        answer: &[(&str, &str)],
    ) -> monban_testkit::idp::operation::respond_to_auth_challenge::builders::RespondToAuthChallengeFluentBuilder
    {
        let mut req = self
            .public()
            .respond_to_auth_challenge()
            .client_id(&self.client)
            .challenge_name(name)
            .session(session)
            .challenge_responses("USERNAME", username);
        for (k, v) in answer {
            req = req.challenge_responses(*k, *v);
        }
        req
    }

    /// Answers a SOFTWARE_TOKEN_MFA challenge with `code`.
    pub(super) async fn answer_totp(
        &self,
        c: &Challenge,
        username: &str,
        code: &str,
    ) -> Result<RespondToAuthChallengeOutput, SdkError<RespondToAuthChallengeError>> {
        self.respond(
            c.name.clone(),
            &c.session,
            username,
            &[("SOFTWARE_TOKEN_MFA_CODE", code)],
        )
        .send()
        .await
    }

    /// Associates and verifies a TOTP authenticator with the user's access token; returns
    /// the secret.
    pub(super) async fn add_authenticator(&self, access_token: &str) -> String {
        let secret = self
            .public()
            .associate_software_token()
            .access_token(access_token)
            .send()
            .await
            .expect("AssociateSoftwareToken")
            .secret_code
            .expect("SecretCode");
        let out = self
            .public()
            .verify_software_token()
            .access_token(access_token)
            .user_code(totp(&secret, self.now_ms()))
            .friendly_device_name("phone")
            .send()
            .await
            .expect("VerifySoftwareToken");
        assert_eq!(out.status, Some(VerifySoftwareTokenResponseType::Success));
        secret
    }

    async fn last_sms_code(&self, to: &str) -> String {
        // The outbox is shared by every test on PostgreSQL: page through all of it.
        let store = &self.app.cx().store;
        let (mut after, mut last) = (None, None);
        loop {
            let page = store.list_sms(after, 500).await.unwrap();
            let Some(end) = page.last().map(|m| m.id) else {
                break;
            };
            after = Some(end);
            last = page
                .into_iter()
                .rev()
                .find(|m| m.sms.to == to && m.sms.pool_id.as_deref() == Some(&self.pool))
                .or(last);
        }
        let message = last.expect("an SMS to the user");
        assert!(
            message.sms.body.starts_with("Your monban code is "),
            "{:?}",
            message.sms.body
        );
        digits(&message.sms.body)
    }

    fn last_email_code(&self, to: &str) -> String {
        let mail = self.app.mailer().emails_to(to);
        let email = mail.last().expect("an email to the user");
        assert_eq!(email.subject, EMAIL_SUBJECT);
        assert!(
            email.body.starts_with("Your sign-in code is "),
            "{:?}",
            email.body
        );
        digits(&email.body)
    }

    async fn get_user(&self, username: &str) -> (Option<Vec<String>>, Option<String>) {
        let user = self
            .idp()
            .admin_get_user()
            .user_pool_id(&self.pool)
            .username(username)
            .send()
            .await
            .expect("AdminGetUser");
        (user.user_mfa_setting_list, user.preferred_mfa_setting)
    }
}

// ---- TOTP ----

#[tokio::test]
async fn totp_set_up_with_the_access_token_then_asked_at_sign_in() {
    each_backend(|app| async move {
        let fx = Fx::new(&app, UserPoolMfaType::Optional, ALL).await;
        let username = fx.user(&[("email", "t@example.com")]).await;
        // OPTIONAL and nothing enabled: straight to tokens.
        let access = fx.tokens(&username).await;

        // Not verified yet: TOTP cannot be turned on.
        let secret = fx
            .public()
            .associate_software_token()
            .access_token(&access)
            .send()
            .await
            .expect("AssociateSoftwareToken")
            .secret_code
            .expect("SecretCode");
        assert_eq!(secret.len(), 52, "{secret}");
        assert!(secret
            .bytes()
            .all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b)));
        let totp_on = SoftwareTokenMfaSettingsType::builder()
            .enabled(true)
            .preferred_mfa(true)
            .build();
        expect_code(
            fx.public()
                .set_user_mfa_preference()
                .access_token(&access)
                .software_token_mfa_settings(totp_on.clone())
                .send()
                .await,
            "InvalidParameterException",
        )
        .assert_message_contains("SOFTWARE_TOKEN_MFA");

        let code = totp(&secret, fx.now_ms());
        expect_code(
            fx.public()
                .verify_software_token()
                .access_token(&access)
                .user_code(wrong(&code))
                .send()
                .await,
            "EnableSoftwareTokenMFAException",
        );
        let out = fx
            .public()
            .verify_software_token()
            .access_token(&access)
            .user_code(&code)
            .friendly_device_name("my phone")
            .send()
            .await
            .expect("VerifySoftwareToken");
        assert_eq!(out.status, Some(VerifySoftwareTokenResponseType::Success));
        assert_eq!(out.session, None);
        // Verified but not turned on: no MFA yet.
        assert_eq!(fx.get_user(&username).await, (None, None));
        fx.tokens(&username).await;

        fx.public()
            .set_user_mfa_preference()
            .access_token(&access)
            .software_token_mfa_settings(totp_on)
            .send()
            .await
            .expect("SetUserMFAPreference");
        assert_eq!(
            fx.get_user(&username).await,
            (
                Some(vec!["SOFTWARE_TOKEN_MFA".to_owned()]),
                Some("SOFTWARE_TOKEN_MFA".to_owned())
            )
        );
        let me = fx
            .public()
            .get_user()
            .access_token(&access)
            .send()
            .await
            .expect("GetUser");
        assert_eq!(me.user_mfa_setting_list(), ["SOFTWARE_TOKEN_MFA"]);
        assert_eq!(me.preferred_mfa_setting(), Some("SOFTWARE_TOKEN_MFA"));

        // The code used to verify is spent: the next time step's code signs in.
        let c = fx
            .challenged(&username, ChallengeNameType::SoftwareTokenMfa)
            .await;
        assert_eq!(c.parameters.get("USER_ID_FOR_SRP"), Some(&username));
        assert_eq!(
            c.parameters.get("FRIENDLY_DEVICE_NAME").map(String::as_str),
            Some("my phone")
        );
        expect_code(
            fx.answer_totp(&c, &username, &code).await,
            "CodeMismatchException",
        )
        .assert_message_contains("Invalid code received for user");
        app.clock().advance(Duration::from_secs(30));
        let code = totp(&secret, fx.now_ms());
        let out = fx
            .answer_totp(&c, &username, &code)
            .await
            .expect("RespondToAuthChallenge");
        let result = out.authentication_result.expect("tokens");
        assert!(result.access_token.is_some() && result.refresh_token.is_some());
        // The Session worked once.
        expect_code(
            fx.answer_totp(&c, &username, &code).await,
            "NotAuthorizedException",
        );

        // The same code again, in the same step: refused.
        let c = fx
            .challenged(&username, ChallengeNameType::SoftwareTokenMfa)
            .await;
        expect_code(
            fx.answer_totp(&c, &username, &code).await,
            "CodeMismatchException",
        );

        // The admin API takes the same answers.
        app.clock().advance(Duration::from_secs(30));
        let out = fx
            .idp()
            .admin_initiate_auth()
            .user_pool_id(&fx.pool)
            .client_id(&fx.client)
            .auth_flow(AuthFlowType::AdminUserPasswordAuth)
            .auth_parameters("USERNAME", &username)
            .auth_parameters("PASSWORD", PASSWORD)
            .send()
            .await
            .expect("AdminInitiateAuth");
        assert_eq!(
            out.challenge_name,
            Some(ChallengeNameType::SoftwareTokenMfa)
        );
        let out = fx
            .idp()
            .admin_respond_to_auth_challenge()
            .user_pool_id(&fx.pool)
            .client_id(&fx.client)
            .challenge_name(ChallengeNameType::SoftwareTokenMfa)
            .session(out.session.expect("session"))
            .challenge_responses("USERNAME", &username)
            .challenge_responses("SOFTWARE_TOKEN_MFA_CODE", totp(&secret, fx.now_ms()))
            .send()
            .await
            .expect("AdminRespondToAuthChallenge");
        assert!(out.authentication_result.is_some());

        // AdminDeleteSoftwareToken: TOTP gone, the user signs in without MFA.
        fx.idp()
            .admin_delete_software_token()
            .user_pool_id(&fx.pool)
            .username(&username)
            .send()
            .await
            .expect("AdminDeleteSoftwareToken");
        assert_eq!(fx.get_user(&username).await, (None, None));
        fx.tokens(&username).await;
    })
    .await;
}

#[tokio::test]
async fn mfa_on_makes_a_user_without_a_factor_set_up_totp_with_the_session() {
    each_backend(|app| async move {
        let only_totp = Factors {
            sms: false,
            totp: true,
            email: false,
        };
        let fx = Fx::new(&app, UserPoolMfaType::On, only_totp).await;
        let username = fx.user(&[("email", "s@example.com")]).await;
        let c = fx.challenged(&username, ChallengeNameType::MfaSetup).await;
        assert_eq!(
            c.parameters.get("MFAS_CAN_SETUP").map(String::as_str),
            Some(r#"["SOFTWARE_TOKEN_MFA"]"#)
        );
        // Nothing set up yet: the answer is refused, the Session still good.
        expect_code(
            fx.respond(ChallengeNameType::MfaSetup, &c.session, &username, &[])
                .send()
                .await,
            "InvalidParameterException",
        );

        let associated = fx
            .public()
            .associate_software_token()
            .session(&c.session)
            .send()
            .await
            .expect("AssociateSoftwareToken with Session");
        let secret = associated.secret_code.expect("SecretCode");
        let session = associated.session.expect("a new Session");
        assert_ne!(session, c.session);
        // The first Session was used up.
        expect_code(
            fx.public()
                .associate_software_token()
                .session(&c.session)
                .send()
                .await,
            "NotAuthorizedException",
        );
        let code = totp(&secret, fx.now_ms());
        // A mistyped code can be typed again with the same Session.
        expect_code(
            fx.public()
                .verify_software_token()
                .session(&session)
                .user_code(wrong(&code))
                .send()
                .await,
            "EnableSoftwareTokenMFAException",
        );
        let verified = fx
            .public()
            .verify_software_token()
            .session(&session)
            .user_code(&code)
            .friendly_device_name("laptop")
            .send()
            .await
            .expect("VerifySoftwareToken with Session");
        assert_eq!(
            verified.status,
            Some(VerifySoftwareTokenResponseType::Success)
        );
        let session = verified.session.expect("a new Session");
        let out = fx
            .respond(ChallengeNameType::MfaSetup, &session, &username, &[])
            .send()
            .await
            .expect("MFA_SETUP answer");
        assert!(out.authentication_result.is_some(), "{out:?}");
        assert_eq!(
            fx.get_user(&username).await,
            (
                Some(vec!["SOFTWARE_TOKEN_MFA".to_owned()]),
                Some("SOFTWARE_TOKEN_MFA".to_owned())
            )
        );

        // From now on the authenticator is asked for.
        app.clock().advance(Duration::from_secs(30));
        let c = fx
            .challenged(&username, ChallengeNameType::SoftwareTokenMfa)
            .await;
        let out = fx
            .answer_totp(&c, &username, &totp(&secret, fx.now_ms()))
            .await
            .expect("SOFTWARE_TOKEN_MFA");
        assert!(out.authentication_result.is_some());
    })
    .await;
}

#[tokio::test]
async fn wrong_mfa_codes_count_towards_the_lockout() {
    each_backend(|app| async move {
        let fx = Fx::new(&app, UserPoolMfaType::Optional, ALL).await;
        let username = fx.user(&[]).await;
        let access = fx.tokens(&username).await;
        let secret = fx.add_authenticator(&access).await;
        fx.idp()
            .admin_set_user_mfa_preference()
            .user_pool_id(&fx.pool)
            .username(&username)
            .software_token_mfa_settings(
                SoftwareTokenMfaSettingsType::builder()
                    .enabled(true)
                    .build(),
            )
            .send()
            .await
            .expect("AdminSetUserMFAPreference");
        app.clock().advance(Duration::from_secs(30));
        let bad = wrong(&totp(&secret, fx.now_ms()));

        // Three tries per Session, then the Session is dead.
        let c = fx
            .challenged(&username, ChallengeNameType::SoftwareTokenMfa)
            .await;
        for _ in 0..3 {
            expect_code(
                fx.answer_totp(&c, &username, &bad).await,
                "CodeMismatchException",
            );
        }
        expect_code(
            fx.answer_totp(&c, &username, &bad).await,
            "NotAuthorizedException",
        )
        .assert_message_contains("Invalid session");

        // The right password does not forgive them: two more wrong codes lock the user out.
        let c = fx
            .challenged(&username, ChallengeNameType::SoftwareTokenMfa)
            .await;
        for _ in 0..2 {
            expect_code(
                fx.answer_totp(&c, &username, &bad).await,
                "CodeMismatchException",
            );
        }
        let good = totp(&secret, fx.now_ms());
        expect_code(
            fx.answer_totp(&c, &username, &good).await,
            "NotAuthorizedException",
        )
        .assert_message_contains("Password attempts exceeded");
        expect_code(
            fx.public()
                .initiate_auth()
                .client_id(&fx.client)
                .auth_flow(AuthFlowType::UserPasswordAuth)
                .auth_parameters("USERNAME", &username)
                .auth_parameters("PASSWORD", PASSWORD)
                .send()
                .await,
            "NotAuthorizedException",
        )
        .assert_message_contains("Password attempts exceeded");

        // Once the lockout is over, the right code signs in (same Session, still alive).
        app.clock().advance(Duration::from_secs(2));
        let out = fx
            .answer_totp(&c, &username, &good)
            .await
            .expect("right code after the lockout");
        assert!(out.authentication_result.is_some());
    })
    .await;
}

// ---- SMS and email ----

#[tokio::test]
async fn sms_mfa_code_goes_to_the_sms_outbox() {
    each_backend(|app| async move {
        let fx = Fx::new(&app, UserPoolMfaType::Optional, ALL).await;
        let username = fx
            .user(&[("phone_number", PHONE), ("email", "p@example.com")])
            .await;
        let access = fx.tokens(&username).await;
        // The legacy MFAOptions turn SMS MFA on, and are reported apart.
        fx.public()
            .set_user_settings()
            .access_token(&access)
            .mfa_options(
                MfaOptionType::builder()
                    .delivery_medium(DeliveryMediumType::Sms)
                    .attribute_name("phone_number")
                    .build(),
            )
            .send()
            .await
            .expect("SetUserSettings");
        let me = fx
            .public()
            .get_user()
            .access_token(&access)
            .send()
            .await
            .expect("GetUser");
        assert_eq!(me.mfa_options().len(), 1);
        assert_eq!(
            me.mfa_options()[0].delivery_medium(),
            Some(&DeliveryMediumType::Sms)
        );
        assert!(me.user_mfa_setting_list().is_empty());

        let c = fx.challenged(&username, ChallengeNameType::SmsMfa).await;
        assert_eq!(
            c.parameters
                .get("CODE_DELIVERY_DELIVERY_MEDIUM")
                .map(String::as_str),
            Some("SMS")
        );
        assert_eq!(
            c.parameters
                .get("CODE_DELIVERY_DESTINATION")
                .map(String::as_str),
            Some("+*******0100")
        );
        let code = fx.last_sms_code(PHONE).await;
        expect_code(
            fx.respond(
                c.name.clone(),
                &c.session,
                &username,
                &[("SMS_MFA_CODE", &wrong(&code))],
            )
            .send()
            .await,
            "CodeMismatchException",
        );
        let out = fx
            .respond(
                c.name.clone(),
                &c.session,
                &username,
                &[("SMS_MFA_CODE", &code)],
            )
            .send()
            .await
            .expect("SMS_MFA");
        assert!(out.authentication_result.is_some());
        // A first MFA code proves the phone number.
        let user = fx
            .idp()
            .admin_get_user()
            .user_pool_id(&fx.pool)
            .username(&username)
            .send()
            .await
            .unwrap();
        assert_eq!(
            attr_value(user.user_attributes(), "phone_number_verified"),
            Some("true")
        );

        // A code belongs to its session: the next sign-in's code is another one.
        let c2 = fx.challenged(&username, ChallengeNameType::SmsMfa).await;
        let code2 = fx.last_sms_code(PHONE).await;
        if code2 != code {
            expect_code(
                fx.respond(
                    c2.name.clone(),
                    &c2.session,
                    &username,
                    &[("SMS_MFA_CODE", &code)],
                )
                .send()
                .await,
                "CodeMismatchException",
            );
        }

        // AdminSetUserSettings with no options turns it off again.
        fx.idp()
            .admin_set_user_settings()
            .user_pool_id(&fx.pool)
            .username(&username)
            .set_mfa_options(Some(vec![]))
            .send()
            .await
            .expect("AdminSetUserSettings");
        fx.tokens(&username).await;
    })
    .await;
}

#[tokio::test]
async fn email_otp_code_is_mailed_and_dies_with_its_session() {
    each_backend(|app| async move {
        let fx = Fx::new(&app, UserPoolMfaType::Optional, ALL).await;
        let email = format!("{}@example.com", unique_name("e"));
        let username = fx.user(&[("email", &email)]).await;
        fx.idp()
            .admin_set_user_mfa_preference()
            .user_pool_id(&fx.pool)
            .username(&username)
            .email_mfa_settings(
                EmailMfaSettingsType::builder()
                    .enabled(true)
                    .preferred_mfa(true)
                    .build(),
            )
            .send()
            .await
            .expect("AdminSetUserMFAPreference");
        assert_eq!(
            fx.get_user(&username).await,
            (
                Some(vec!["EMAIL_OTP".to_owned()]),
                Some("EMAIL_OTP".to_owned())
            )
        );
        // SMS cannot be turned on without a phone number.
        expect_code(
            fx.idp()
                .admin_set_user_mfa_preference()
                .user_pool_id(&fx.pool)
                .username(&username)
                .sms_mfa_settings(SmsMfaSettingsType::builder().enabled(true).build())
                .send()
                .await,
            "InvalidParameterException",
        )
        .assert_message_contains("SMS_MFA");

        let c = fx.challenged(&username, ChallengeNameType::EmailOtp).await;
        assert_eq!(
            c.parameters
                .get("CODE_DELIVERY_DELIVERY_MEDIUM")
                .map(String::as_str),
            Some("EMAIL")
        );
        assert_eq!(
            c.parameters
                .get("CODE_DELIVERY_DESTINATION")
                .map(String::as_str),
            Some("e***@e***")
        );
        let code = fx.last_email_code(&email);
        let out = fx
            .respond(
                c.name.clone(),
                &c.session,
                &username,
                &[("EMAIL_OTP_CODE", &code)],
            )
            .send()
            .await
            .expect("EMAIL_OTP");
        assert!(out.authentication_result.is_some());

        // The code lives as long as the session (the client's AuthSessionValidity: 3 min).
        let c = fx.challenged(&username, ChallengeNameType::EmailOtp).await;
        let code = fx.last_email_code(&email);
        app.clock().advance(Duration::from_secs(3 * 60));
        expect_code(
            fx.respond(
                c.name.clone(),
                &c.session,
                &username,
                &[("EMAIL_OTP_CODE", &code)],
            )
            .send()
            .await,
            "ExpiredCodeException",
        );
    })
    .await;
}

#[tokio::test]
async fn several_factors_without_a_preference_ask_to_choose() {
    each_backend(|app| async move {
        let fx = Fx::new(&app, UserPoolMfaType::Optional, ALL).await;
        let username = fx.user(&[("phone_number", PHONE)]).await;
        let access = fx.tokens(&username).await;
        fx.add_authenticator(&access).await;
        fx.public()
            .set_user_mfa_preference()
            .access_token(&access)
            .sms_mfa_settings(SmsMfaSettingsType::builder().enabled(true).build())
            .software_token_mfa_settings(
                SoftwareTokenMfaSettingsType::builder()
                    .enabled(true)
                    .build(),
            )
            .send()
            .await
            .expect("SetUserMFAPreference");
        assert_eq!(
            fx.get_user(&username).await,
            (
                Some(vec!["SMS_MFA".to_owned(), "SOFTWARE_TOKEN_MFA".to_owned()]),
                None
            )
        );
        let c = fx
            .challenged(&username, ChallengeNameType::SelectMfaType)
            .await;
        assert_eq!(
            c.parameters.get("MFAS_CAN_CHOOSE").map(String::as_str),
            Some(r#"["SMS_MFA","SOFTWARE_TOKEN_MFA"]"#)
        );
        expect_code(
            fx.respond(
                c.name.clone(),
                &c.session,
                &username,
                &[("ANSWER", "EMAIL_OTP")],
            )
            .send()
            .await,
            "InvalidParameterException",
        );
        let out = fx
            .respond(
                c.name.clone(),
                &c.session,
                &username,
                &[("ANSWER", "SMS_MFA")],
            )
            .send()
            .await
            .expect("SELECT_MFA_TYPE");
        assert_eq!(out.challenge_name, Some(ChallengeNameType::SmsMfa));
        let code = fx.last_sms_code(PHONE).await;
        let out = fx
            .respond(
                ChallengeNameType::SmsMfa,
                out.session.as_deref().expect("session"),
                &username,
                &[("SMS_MFA_CODE", &code)],
            )
            .send()
            .await
            .expect("SMS_MFA");
        assert!(out.authentication_result.is_some());

        // With a preference, that factor is asked for directly.
        fx.public()
            .set_user_mfa_preference()
            .access_token(&access)
            .sms_mfa_settings(
                SmsMfaSettingsType::builder()
                    .enabled(true)
                    .preferred_mfa(true)
                    .build(),
            )
            .send()
            .await
            .expect("SetUserMFAPreference");
        fx.challenged(&username, ChallengeNameType::SmsMfa).await;
    })
    .await;
}

#[tokio::test]
async fn pool_mfa_off_optional_and_on() {
    each_backend(|app| async move {
        let fx = Fx::new(&app, UserPoolMfaType::Optional, ALL).await;
        let with_phone = fx.user(&[("phone_number", PHONE)]).await;
        let plain = fx.user(&[("email", "plain@example.com")]).await;
        fx.idp()
            .admin_set_user_mfa_preference()
            .user_pool_id(&fx.pool)
            .username(&with_phone)
            .sms_mfa_settings(SmsMfaSettingsType::builder().enabled(true).build())
            .send()
            .await
            .expect("AdminSetUserMFAPreference");
        // OPTIONAL: only the user who turned a factor on is asked.
        fx.challenged(&with_phone, ChallengeNameType::SmsMfa).await;
        fx.tokens(&plain).await;

        // OFF: nobody is asked, whatever their settings.
        fx.set_mfa(UserPoolMfaType::Off, ALL).await;
        fx.tokens(&with_phone).await;
        fx.tokens(&plain).await;

        // ON with SMS: a phone number is enough (no opt-in); a user without one must set
        // something up.
        let sms_email = Factors {
            sms: true,
            totp: false,
            email: true,
        };
        fx.set_mfa(UserPoolMfaType::On, sms_email).await;
        let unenrolled = fx.user(&[("phone_number", "+15555550199")]).await;
        fx.challenged(&unenrolled, ChallengeNameType::SmsMfa).await;
        // ON and an email address with email MFA offered: EMAIL_OTP without opt-in.
        fx.challenged(&plain, ChallengeNameType::EmailOtp).await;

        // Neither: MFA_SETUP; answering it with an email address sets up email MFA.
        let nothing = fx.user(&[]).await;
        let c = fx.challenged(&nothing, ChallengeNameType::MfaSetup).await;
        assert_eq!(
            c.parameters.get("MFAS_CAN_SETUP").map(String::as_str),
            Some(r#"["SMS_MFA","EMAIL_OTP"]"#)
        );
        let email = format!("{}@example.com", unique_name("setup"));
        let out = fx
            .respond(
                ChallengeNameType::MfaSetup,
                &c.session,
                &nothing,
                &[("EMAIL", &email)],
            )
            .send()
            .await
            .expect("MFA_SETUP with EMAIL");
        assert_eq!(out.challenge_name, Some(ChallengeNameType::EmailOtp));
        let code = fx.last_email_code(&email);
        let out = fx
            .respond(
                ChallengeNameType::EmailOtp,
                out.session.as_deref().expect("session"),
                &nothing,
                &[("EMAIL_OTP_CODE", &code)],
            )
            .send()
            .await
            .expect("EMAIL_OTP");
        assert!(out.authentication_result.is_some());
        assert_eq!(
            fx.get_user(&nothing).await.0,
            Some(vec!["EMAIL_OTP".to_owned()])
        );
        let user = fx
            .idp()
            .admin_get_user()
            .user_pool_id(&fx.pool)
            .username(&nothing)
            .send()
            .await
            .unwrap();
        assert_eq!(
            attr_value(user.user_attributes(), "email"),
            Some(email.as_str())
        );
        assert_eq!(
            attr_value(user.user_attributes(), "email_verified"),
            Some("true")
        );
    })
    .await;
}
