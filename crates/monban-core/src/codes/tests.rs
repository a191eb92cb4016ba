#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use async_trait::async_trait;
use monban_wire::idp::VerificationMessageTemplateType;

use super::book::{issue, redeem, reject_unknown, simulate_issue, Env};
use super::*;
use crate::cx::{Clock, SystemRng};
use crate::decoy_store::{DecoyAttempts, DecoyStore};
use crate::entities::ConfirmationCode;
use crate::error::{Error, ErrorKind};
use crate::store::{CodeStore, SecretStore, StoreError, StoreResult};
use crate::users::test_support::pool_with_schema;

/// The code and secret ports in memory, with the store's contract (replace on put, atomic
/// failure count, delete true once).
#[derive(Default)]
struct Memory {
    codes: Mutex<BTreeMap<(String, String, String), ConfirmationCode>>,
    secrets: Mutex<BTreeMap<String, Vec<u8>>>,
    decoys: Mutex<BTreeMap<(String, String, String), DecoyAttempts>>,
}

fn id(pool: &str, sub: &str, purpose: &str) -> (String, String, String) {
    (pool.to_owned(), sub.to_owned(), purpose.to_owned())
}

#[async_trait]
impl CodeStore for Memory {
    async fn put_code(&self, code: &ConfirmationCode) -> StoreResult<()> {
        let key = id(&code.pool_id, &code.sub, &code.purpose);
        self.codes.lock().unwrap().insert(key, code.clone());
        Ok(())
    }
    async fn get_code(
        &self,
        pool_id: &str,
        sub: &str,
        purpose: &str,
    ) -> StoreResult<Option<ConfirmationCode>> {
        Ok(self
            .codes
            .lock()
            .unwrap()
            .get(&id(pool_id, sub, purpose))
            .cloned())
    }
    async fn record_code_failure(
        &self,
        pool_id: &str,
        sub: &str,
        purpose: &str,
    ) -> StoreResult<i64> {
        let mut codes = self.codes.lock().unwrap();
        let code = codes
            .get_mut(&id(pool_id, sub, purpose))
            .ok_or(StoreError::NotFound)?;
        code.failed_attempts += 1;
        Ok(code.failed_attempts)
    }
    async fn delete_code(&self, pool_id: &str, sub: &str, purpose: &str) -> StoreResult<bool> {
        Ok(self
            .codes
            .lock()
            .unwrap()
            .remove(&id(pool_id, sub, purpose))
            .is_some())
    }
}

#[async_trait]
impl DecoyStore for Memory {
    async fn get_decoy_attempts(
        &self,
        pool_id: &str,
        name: &str,
        purpose: &str,
        now_ms: i64,
    ) -> StoreResult<Option<DecoyAttempts>> {
        let decoys = self.decoys.lock().unwrap();
        let found = decoys.get(&id(pool_id, name, purpose));
        Ok(found.filter(|a| a.expires_ms > now_ms).cloned())
    }
    async fn put_decoy_attempts(&self, a: &DecoyAttempts) -> StoreResult<()> {
        let key = id(&a.pool_id, &a.name, &a.purpose);
        self.decoys.lock().unwrap().insert(key, a.clone());
        Ok(())
    }
    async fn purge_decoy_attempts(&self, pool_id: &str, now_ms: i64) -> StoreResult<u64> {
        let mut decoys = self.decoys.lock().unwrap();
        let before = decoys.len();
        decoys.retain(|_, a| a.pool_id != pool_id || a.expires_ms > now_ms);
        Ok(u64::try_from(before - decoys.len()).unwrap())
    }
}

#[async_trait]
impl SecretStore for Memory {
    async fn get_or_insert_secret(&self, name: &str, candidate: &[u8]) -> StoreResult<Vec<u8>> {
        Ok(self
            .secrets
            .lock()
            .unwrap()
            .entry(name.to_owned())
            .or_insert_with(|| candidate.to_vec())
            .clone())
    }
}

struct ManualClock(AtomicI64);

impl Clock for ManualClock {
    fn now_ms(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }
}

impl ManualClock {
    fn advance(&self, by: Duration) {
        self.0
            .fetch_add(i64::try_from(by.as_millis()).unwrap(), Ordering::SeqCst);
    }
}

struct Fixture {
    store: Memory,
    clock: ManualClock,
    settings: CodeSettings,
}

impl Fixture {
    fn new() -> Self {
        Self {
            store: Memory::default(),
            clock: ManualClock(AtomicI64::new(1_700_000_000_000)),
            settings: CodeSettings::default(),
        }
    }

    fn env(&self) -> Env<'_, Memory> {
        Env {
            store: &self.store,
            clock: &self.clock,
            rng: &SystemRng,
            settings: &self.settings,
        }
    }

    async fn issue(&self, purpose: Purpose) -> Code {
        issue(&self.env(), POOL, SUB, purpose, None).await.unwrap()
    }

    async fn redeem(&self, purpose: Purpose, code: &str) -> Result<ConfirmationCode, Error> {
        redeem(&self.env(), POOL, SUB, purpose, code, NoCode::Expired).await
    }
}

const POOL: &str = "us-east-1_AbCdEf123";
const SUB: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";

fn kind(result: Result<ConfirmationCode, Error>) -> (ErrorKind, String) {
    let e = result.unwrap_err();
    (e.kind, e.message)
}

/// A six-digit code different from `code`.
fn wrong(code: &Code) -> String {
    let n: u32 = code.as_str().parse().unwrap();
    format!("{:06}", (n + 1) % 1_000_000)
}

#[tokio::test]
async fn a_code_is_six_digits_stored_only_as_a_keyed_hash() {
    let f = Fixture::new();
    let code = f.issue(Purpose::SignUp).await;
    assert_eq!(code.as_str().len(), 6);
    assert!(code.as_str().bytes().all(|b| b.is_ascii_digit()));
    assert_eq!(format!("{code:?}"), "Code(<redacted>)");
    let stored = f
        .store
        .get_code(POOL, SUB, "sign_up")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.code_hash.len(), 64);
    assert!(!stored.code_hash.contains(code.as_str()));
    assert!(!format!("{stored:?}").contains(&stored.code_hash));
    assert_eq!(stored.expires_ms - stored.created_ms, 24 * 3600 * 1000);
    assert_eq!(stored.failed_attempts, 0);
    // The key is the server's, created once.
    assert_eq!(f.store.secrets.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn a_right_code_works_once() {
    let f = Fixture::new();
    let code = f.issue(Purpose::SignUp).await;
    let redeemed = f.redeem(Purpose::SignUp, code.as_str()).await.unwrap();
    assert_eq!(redeemed.sub, SUB);
    let (k, message) = kind(f.redeem(Purpose::SignUp, code.as_str()).await);
    assert_eq!(k, ErrorKind::ExpiredCodeException);
    assert_eq!(
        message,
        "Invalid code provided, please request a code again."
    );
}

#[tokio::test]
async fn no_code_is_an_expired_code() {
    let f = Fixture::new();
    let (k, _) = kind(f.redeem(Purpose::ForgotPassword, "123456").await);
    assert_eq!(k, ErrorKind::ExpiredCodeException);
}

#[tokio::test]
async fn codes_expire_with_their_purpose_s_lifetime() {
    let f = Fixture::new();
    let reset = f.issue(Purpose::ForgotPassword).await;
    f.clock
        .advance(Duration::from_secs(3600) - Duration::from_millis(1));
    f.redeem(Purpose::ForgotPassword, reset.as_str())
        .await
        .unwrap();

    let reset = f.issue(Purpose::ForgotPassword).await;
    let sign_up = f.issue(Purpose::SignUp).await;
    f.clock.advance(Duration::from_secs(3600));
    let (k, _) = kind(f.redeem(Purpose::ForgotPassword, reset.as_str()).await);
    assert_eq!(k, ErrorKind::ExpiredCodeException);
    // An expired code is gone; the sign-up code lives a day.
    assert!(f
        .store
        .get_code(POOL, SUB, "forgot_password")
        .await
        .unwrap()
        .is_none());
    f.clock.advance(Duration::from_secs(22 * 3600));
    f.redeem(Purpose::SignUp, sign_up.as_str()).await.unwrap();

    let sign_up = f.issue(Purpose::SignUp).await;
    f.clock.advance(Duration::from_secs(24 * 3600));
    let (k, _) = kind(f.redeem(Purpose::SignUp, sign_up.as_str()).await);
    assert_eq!(k, ErrorKind::ExpiredCodeException);
}

#[tokio::test]
async fn lifetimes_are_settings() {
    let mut f = Fixture::new();
    f.settings.sign_up_validity = Duration::from_secs(60);
    let code = f.issue(Purpose::SignUp).await;
    f.clock.advance(Duration::from_secs(60));
    let (k, _) = kind(f.redeem(Purpose::SignUp, code.as_str()).await);
    assert_eq!(k, ErrorKind::ExpiredCodeException);
}

#[tokio::test]
async fn wrong_codes_are_counted_and_then_the_code_is_dead() {
    let f = Fixture::new();
    let code = f.issue(Purpose::SignUp).await;
    for attempt in 1..=5 {
        let (k, message) = kind(f.redeem(Purpose::SignUp, &wrong(&code)).await);
        assert_eq!(k, ErrorKind::CodeMismatchException, "attempt {attempt}");
        assert_eq!(
            message,
            "Invalid verification code provided, please try again."
        );
        let stored = f
            .store
            .get_code(POOL, SUB, "sign_up")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(stored.failed_attempts, attempt);
    }
    // Even the right code no longer works.
    let (k, message) = kind(f.redeem(Purpose::SignUp, code.as_str()).await);
    assert_eq!(k, ErrorKind::LimitExceededException);
    assert_eq!(
        message,
        "Attempt limit exceeded, please try after some time."
    );
    // A new code starts afresh.
    let fresh = f.issue(Purpose::SignUp).await;
    f.redeem(Purpose::SignUp, fresh.as_str()).await.unwrap();
}

#[tokio::test]
async fn the_attempt_limit_is_a_setting() {
    let mut f = Fixture::new();
    f.settings.max_failed_attempts = 1;
    let code = f.issue(Purpose::SignUp).await;
    let (k, _) = kind(f.redeem(Purpose::SignUp, &wrong(&code)).await);
    assert_eq!(k, ErrorKind::CodeMismatchException);
    let (k, _) = kind(f.redeem(Purpose::SignUp, code.as_str()).await);
    assert_eq!(k, ErrorKind::LimitExceededException);
}

#[tokio::test]
async fn a_new_code_replaces_the_old_one() {
    let f = Fixture::new();
    let old = f.issue(Purpose::SignUp).await;
    let mut new = f.issue(Purpose::SignUp).await;
    while new == old {
        new = f.issue(Purpose::SignUp).await;
    }
    let (k, _) = kind(f.redeem(Purpose::SignUp, old.as_str()).await);
    assert_eq!(k, ErrorKind::CodeMismatchException);
    f.redeem(Purpose::SignUp, new.as_str()).await.unwrap();
}

#[tokio::test]
async fn a_code_is_bound_to_its_user_and_purpose() {
    let f = Fixture::new();
    let code = f.issue(Purpose::VerifyEmail).await;
    let (k, _) = kind(f.redeem(Purpose::VerifyPhoneNumber, code.as_str()).await);
    assert_eq!(k, ErrorKind::ExpiredCodeException);
    // The same digits stored for another user do not match this user's hash.
    let mut stolen = f
        .store
        .get_code(POOL, SUB, "verify:email")
        .await
        .unwrap()
        .unwrap();
    stolen.sub = "other".to_owned();
    f.store.put_code(&stolen).await.unwrap();
    let other = redeem(
        &f.env(),
        POOL,
        "other",
        Purpose::VerifyEmail,
        code.as_str(),
        NoCode::Expired,
    )
    .await;
    assert_eq!(other.unwrap_err().kind, ErrorKind::CodeMismatchException);
    f.redeem(Purpose::VerifyEmail, code.as_str()).await.unwrap();
}

#[tokio::test]
async fn data_travels_with_the_code() {
    let f = Fixture::new();
    let data = serde_json::json!({"attribute": "email", "value": "a@example.com"});
    let code = issue(&f.env(), POOL, SUB, Purpose::VerifyEmail, Some(&data))
        .await
        .unwrap();
    let redeemed = f.redeem(Purpose::VerifyEmail, code.as_str()).await.unwrap();
    assert_eq!(code_data(&redeemed), Some(data));
    let plain = f.issue(Purpose::SignUp).await;
    let redeemed = f.redeem(Purpose::SignUp, plain.as_str()).await.unwrap();
    assert_eq!(code_data(&redeemed), None);
}

#[tokio::test]
async fn unknown_users_get_a_mismatch_then_the_limit_as_real_users_do() {
    let f = Fixture::new();
    let env = f.env();
    let purpose = Purpose::ForgotPassword;
    let max = f.settings.max_failed_attempts;
    let real = f.issue(purpose).await;
    // ForgotPassword for a name the pool does not have simulates the code it would send.
    simulate_issue(&env, POOL, "nobody", purpose).await.unwrap();
    for _ in 0..max {
        let e = f.redeem(purpose, "000000").await.unwrap_err();
        assert_eq!(e.kind, ErrorKind::CodeMismatchException);
        let u = reject_unknown(&env, POOL, "nobody", purpose, "000000").await;
        assert_eq!((u.kind, &u.message), (e.kind, &e.message));
    }
    let e = f.redeem(purpose, real.as_str()).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::LimitExceededException);
    let u = reject_unknown(&env, POOL, "nobody", purpose, "000000").await;
    assert_eq!((u.kind, &u.message), (e.kind, &e.message));
    // Counted per name and purpose; no code row is ever made for a name.
    simulate_issue(&env, POOL, "somebody", purpose)
        .await
        .unwrap();
    let other = reject_unknown(&env, POOL, "somebody", purpose, "000000").await;
    assert_eq!(other.kind, ErrorKind::CodeMismatchException);
    let other = reject_unknown(&env, POOL, "nobody", Purpose::SignUp, "000000").await;
    assert_eq!(other.kind, ErrorKind::CodeMismatchException);
    assert_eq!(f.store.codes.lock().unwrap().len(), 1);

    // A simulated new code starts the count afresh, as a real one does.
    simulate_issue(&env, POOL, "nobody", purpose).await.unwrap();
    let u = reject_unknown(&env, POOL, "nobody", purpose, "000000").await;
    assert_eq!(u.kind, ErrorKind::CodeMismatchException);
    // And the count is forgotten when a real code would have expired.
    for _ in 0..max {
        let _ = reject_unknown(&env, POOL, "nobody", purpose, "000000").await;
    }
    let u = reject_unknown(&env, POOL, "nobody", purpose, "000000").await;
    assert_eq!(u.kind, ErrorKind::LimitExceededException);
    f.clock.advance(purpose.validity(&f.settings));
    let u = reject_unknown(&env, POOL, "nobody", purpose, "000000").await;
    assert_eq!(u.kind, ErrorKind::CodeMismatchException);
}

/// PreventUserExistenceErrors: a user who never asked for a password-reset code (or whose
/// code expired) and a name the pool does not have give the same answers, for ever: a
/// mismatch, with nothing counted (there is no code to count against).
#[tokio::test]
async fn no_code_asked_for_looks_the_same_for_users_and_unknown_names() {
    let f = Fixture::new();
    let env = f.env();
    let purpose = Purpose::ForgotPassword;
    let max = f.settings.max_failed_attempts;
    for _ in 0..max + 2 {
        let e = redeem(&env, POOL, SUB, purpose, "000000", NoCode::Mismatch)
            .await
            .unwrap_err();
        assert_eq!(e.kind, ErrorKind::CodeMismatchException);
        let u = reject_unknown(&env, POOL, "nobody", purpose, "000000").await;
        assert_eq!((u.kind, &u.message), (e.kind, &e.message));
    }
    // Nothing was written for either.
    assert!(f.store.codes.lock().unwrap().is_empty());
    assert!(f
        .store
        .get_decoy_attempts(POOL, "nobody", purpose.as_str(), f.clock.now_ms())
        .await
        .unwrap()
        .is_none());
    // A code asked for, then expired: the same again.
    f.issue(purpose).await;
    simulate_issue(&env, POOL, "nobody", purpose).await.unwrap();
    f.clock.advance(purpose.validity(&f.settings));
    let e = redeem(&env, POOL, SUB, purpose, "000000", NoCode::Mismatch)
        .await
        .unwrap_err();
    let u = reject_unknown(&env, POOL, "nobody", purpose, "000000").await;
    assert_eq!(e.kind, ErrorKind::CodeMismatchException);
    assert_eq!((u.kind, &u.message), (e.kind, &e.message));
    // Without hiding, Cognito's answer for a user without a code.
    let e = f.redeem(purpose, "000000").await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::ExpiredCodeException);
    // Sign-up codes: a pending user holds one unasked, and so does an unknown name.
    let u = reject_unknown(&env, POOL, "nobody", Purpose::SignUp, "000000").await;
    assert_eq!(u.kind, ErrorKind::CodeMismatchException);
    assert!(f
        .store
        .get_decoy_attempts(POOL, "nobody", "sign_up", f.clock.now_ms())
        .await
        .unwrap()
        .is_some());
}

#[test]
fn destinations_are_masked_as_cognito_masks_them() {
    assert_eq!(mask_destination("email", "jane@example.com"), "j***@e***");
    assert_eq!(mask_destination("email", "é@ü.de"), "é***@ü***");
    assert_eq!(
        mask_destination("phone_number", "+15555550100"),
        "+*******0100"
    );
    assert_eq!(mask_destination("phone_number", "+12"), "+12");
}

#[test]
fn purposes_and_their_lifetimes() {
    let s = CodeSettings::default();
    assert_eq!(Purpose::SignUp.as_str(), "sign_up");
    assert_eq!(Purpose::ForgotPassword.as_str(), "forgot_password");
    assert_eq!(Purpose::verify("email"), Some(Purpose::VerifyEmail));
    assert_eq!(
        Purpose::verify("phone_number").unwrap().as_str(),
        "verify:phone_number"
    );
    assert_eq!(Purpose::verify("name"), None);
    assert_eq!(Purpose::SignUp.validity(&s), Duration::from_secs(86_400));
    assert_eq!(
        Purpose::VerifyEmail.validity(&s),
        Duration::from_secs(86_400)
    );
    assert_eq!(
        Purpose::ForgotPassword.validity(&s),
        Duration::from_secs(3_600)
    );
}

#[test]
fn messages_use_the_pool_s_template_then_the_legacy_fields_then_the_default() {
    let mut pool = pool_with_schema(vec![]);
    let m = render_code_message(&pool, "123456", "jane");
    assert_eq!(m.subject, DEFAULT_CODE_SUBJECT);
    assert_eq!(m.body, "Your verification code is 123456. ");
    assert!(!format!("{m:?}").contains("123456"));

    pool.config.email_verification_message = Some("Legacy {####} for {username}".to_owned());
    pool.config.email_verification_subject = Some("Legacy subject".to_owned());
    let m = render_code_message(&pool, "123456", "jane");
    assert_eq!(
        (m.subject.as_str(), m.body.as_str()),
        ("Legacy subject", "Legacy 123456 for jane")
    );

    pool.config.verification_message_template = Some(VerificationMessageTemplateType {
        email_message: Some("Hello {username}, your code: {####}".to_owned()),
        email_subject: Some("Welcome".to_owned()),
        ..Default::default()
    });
    let m = render_code_message(&pool, "654321", "jane");
    assert_eq!(m.body, "Hello jane, your code: 654321");
    assert_eq!(m.subject, "Welcome");

    // A template without the placeholder would deliver nothing.
    pool.config.verification_message_template = Some(VerificationMessageTemplateType {
        email_message: Some("No code here".to_owned()),
        ..Default::default()
    });
    pool.config.email_verification_message = None;
    let m = render_code_message(&pool, "654321", "jane");
    assert_eq!(m.body, "Your verification code is 654321. ");
}
