//! USER_SRP_AUTH → PASSWORD_VERIFIER (srp.md): the password never travels; the client
//! proves it knows it.
//!
//! States:
//! 1. InitiateAuth: parameters and SECRET_HASH checked → user (or decoy) found →
//!    PreAuthentication → B made →
//!    the server's half sealed into `SECRET_BLOCK` (pool, client, user, A, b, B, expiry)
//!    → PASSWORD_VERIFIER challenge. Nothing is stored: the block is the state, so the
//!    answer may come without a Session (pycognito sends none) and reach any node.
//! 2. RespondToAuthChallenge: block opened (authentic, this client's, unexpired) → the
//!    Session, when sent, checked to belong to this block → USERNAME checked → the block
//!    consumed (each block proves one password attempt) → not locked out → proof checked
//!    (failure counted) → [`proceed`](super::signed_in::proceed).
//!
//! A custom sign-in that starts with SRP (CUSTOM_AUTH, `CHALLENGE_NAME=SRP_A`) uses the same
//! exchange ([`challenge`]): its block is marked, its Session is the custom flow's row
//! (required in the answer), and a proven password goes back to
//! [`custom`](super::custom) instead of on to tokens.
//!
//! The Session of this challenge is an HMAC of the SECRET_BLOCK under the server key, so it
//! needs no row; the single use is the block's.

use std::collections::BTreeMap;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use monban_wire::idp::{ChallengeNameType, UserStatusType};
use subtle::ConstantTimeEq;

use super::decoy::{self, prevents_existence_errors};
use super::lockout::{check_not_locked, record_failure};
use super::messages::{
    incorrect_credentials, invalid_session, password_reset_required, session_expired,
};
use super::outcome::{Challenge, Outcome};
use super::params::Params;
use super::session::validity_ms;
use super::sign_in_triggers::{pre_authentication, Subject};
use super::{blocking, custom, device, same_user, signed_in, SignIn};
use crate::auth::client::check_secret_hash;
use crate::auth::hmac_sha256;
use crate::auth::srp::{
    open_secret_block, parse_timestamp, seal_secret_block, verify_password_claim,
    OpenedSecretBlock, PasswordClaim, PublicA, ServerEphemeral, SrpError, SrpIdentity, SrpKind,
    SrpState, Verifier, SECRET_BLOCK_KEY_LEN,
};
use crate::entities::User;
use crate::error::Error;
use crate::store::StoreError;
use crate::users::{self, lookup_user, normalise, srp_verifier, KeyKind, NameRules};

/// The server secret that seals SECRET_BLOCKs (and derives decoys and SRP Sessions).
const SECRET_BLOCK_KEY: &str = "srp-secret-block";

/// `SrpState::context`: a real user's exchange, or a decoy that can only fail; those of a
/// custom sign-in that starts with SRP are marked so that their answer goes back to it.
const REAL: &str = "user";
const DECOY: &str = "decoy";
const CUSTOM_REAL: &str = "custom-user";
const CUSTOM_DECOY: &str = "custom-decoy";

fn is_real(context: &str) -> bool {
    context == REAL || context == CUSTOM_REAL
}

fn is_custom(context: &str) -> bool {
    context == CUSTOM_REAL || context == CUSTOM_DECOY
}

pub(super) async fn server_key(s: &SignIn<'_>) -> Result<[u8; SECRET_BLOCK_KEY_LEN], Error> {
    let key =
        s.cx.secrets
            .get(s.cx, SECRET_BLOCK_KEY, SECRET_BLOCK_KEY_LEN)
            .await?;
    <[u8; SECRET_BLOCK_KEY_LEN]>::try_from(key.as_slice()).map_err(Error::internal)
}

/// The Session returned with a PASSWORD_VERIFIER challenge: bound to its SECRET_BLOCK.
pub(super) fn block_session(key: &[u8], secret_block: &str) -> String {
    URL_SAFE_NO_PAD.encode(hmac_sha256(
        key,
        &[b"monban SRP session\0", secret_block.as_bytes()],
    ))
}

pub(super) fn session_matches(key: &[u8], secret_block: &str, session: &str) -> bool {
    block_session(key, secret_block)
        .as_bytes()
        .ct_eq(session.as_bytes())
        .into()
}

/// A fresh b and B for `verifier` (a 3072-bit exponentiation: off the async workers).
pub(super) async fn server_ephemeral(
    s: &SignIn<'_>,
    verifier: &Verifier,
) -> Result<ServerEphemeral, Error> {
    let (rng, v) = (s.cx.rng.clone(), verifier.clone());
    blocking(move || ServerEphemeral::generate(rng.as_ref(), &v))
        .await?
        .map_err(Error::internal)
}

/// The password claim of a PASSWORD_VERIFIER or DEVICE_PASSWORD_VERIFIER answer, its
/// SECRET_BLOCK opened (authentic, this client's, unexpired) but not yet consumed.
pub(super) struct AnsweredClaim<'r> {
    pub secret_block: &'r str,
    pub signature: &'r str,
    pub timestamp: &'r str,
    pub key: [u8; SECRET_BLOCK_KEY_LEN],
    pub now: i64,
    pub opened: OpenedSecretBlock,
}

/// Reads the claim (after the USERNAME the caller has read), checks SECRET_HASH and the
/// TIMESTAMP's form, and opens the block.
pub(super) async fn open_claim<'r>(
    s: &SignIn<'_>,
    responses: Params<'r>,
    username: &str,
) -> Result<AnsweredClaim<'r>, Error> {
    let secret_block = responses.required("PASSWORD_CLAIM_SECRET_BLOCK")?;
    let signature = responses.required("PASSWORD_CLAIM_SIGNATURE")?;
    let timestamp = responses.required("TIMESTAMP")?;
    check_secret_hash(s.client, username, responses.raw("SECRET_HASH"))?;
    if parse_timestamp(timestamp).is_none() {
        return Err(Error::invalid_parameter(SrpError::BadTimestamp.to_string()));
    }
    let key = server_key(s).await?;
    let now = s.cx.now_ms();
    let opened = open_secret_block(&key, secret_block, &s.pool.id, &s.client.client_id, now)
        .map_err(|e| match e {
            SrpError::SecretBlockExpired => session_expired(),
            _ => invalid_session(),
        })?;
    Ok(AnsweredClaim {
        secret_block,
        signature,
        timestamp,
        key,
        now,
        opened,
    })
}

/// Uses up an opened block: each proves one attempt. A block already used is an invalid
/// session.
pub(super) async fn consume_block(s: &SignIn<'_>, opened: &OpenedSecretBlock) -> Result<(), Error> {
    match s
        .cx
        .store
        .consume_once(&format!("srp:{}", opened.id), opened.state.expires_at_ms)
        .await
    {
        Ok(()) => Ok(()),
        Err(StoreError::Conflict { .. }) => Err(invalid_session()),
        Err(e) => Err(e.into()),
    }
}

/// InitiateAuth / AdminInitiateAuth with USER_SRP_AUTH.
pub async fn initiate(
    s: &SignIn<'_>,
    params: Params<'_>,
    validation_data: Option<&BTreeMap<String, String>>,
) -> Result<Outcome, Error> {
    let username = params.required("USERNAME")?;
    let srp_a = params.required("SRP_A")?;
    check_secret_hash(s.client, username, params.raw("SECRET_HASH"))?;
    let a = parse_a(srp_a)?;
    let user = lookup_user(s.cx, s.pool, username).await?;
    if user.is_none() && !prevents_existence_errors(s.client) {
        return Err(Error::user_not_found());
    }
    let who = user
        .as_ref()
        .map_or(Subject::NotFound(username), Subject::User);
    pre_authentication(s, who, validation_data).await?;
    let device_key = params.optional("DEVICE_KEY").map(str::to_owned);
    let (parameters, secret_block) =
        challenge(s, user.as_ref(), username, a, device_key, false).await?;
    let session = block_session(&server_key(s).await?, &secret_block);
    Ok(Outcome::Challenge(Challenge {
        name: ChallengeNameType::PasswordVerifier,
        parameters,
        session: Some(session),
    }))
}

/// The client's `SRP_A`, or `InvalidParameterException`.
pub(super) fn parse_a(srp_a: &str) -> Result<PublicA, Error> {
    PublicA::parse(srp_a).map_err(|e| Error::invalid_parameter(e.to_string()))
}

/// The PASSWORD_VERIFIER challenge parameters for `user` (or, for a name that designates
/// nobody, a decoy for `typed`), and the SECRET_BLOCK among them. `custom`: the exchange
/// belongs to a custom sign-in, whose own Session continues it.
pub(super) async fn challenge(
    s: &SignIn<'_>,
    user: Option<&User>,
    typed: &str,
    a: PublicA,
    device_key: Option<String>,
    custom: bool,
) -> Result<(BTreeMap<String, String>, String), Error> {
    let key = server_key(s).await?;
    let prevent = prevents_existence_errors(s.client);
    let (user_id, verifier, real) = match user {
        Some(user) => match srp_verifier(user) {
            Some(verifier) => (user.username.clone(), verifier, true),
            // No SRP verifier: an imported user waiting for a reset, or a password set
            // before verifiers were kept. No proof can succeed.
            None if user.status == UserStatusType::ResetRequired && !prevent => {
                return Err(password_reset_required())
            }
            None => {
                let verifier = decoy::verifier(&key, &s.pool.id, &user.username)?;
                (user.username.clone(), verifier, false)
            }
        },
        None if !prevent => return Err(Error::user_not_found()),
        None => {
            let rules = NameRules::of(s.pool);
            let d = decoy::srp_identity(&key, &s.pool.id, &rules, typed)?;
            (d.user_id_for_srp, d.verifier, false)
        }
    };
    let context = match (custom, real) {
        (false, true) => REAL,
        (false, false) => DECOY,
        (true, true) => CUSTOM_REAL,
        (true, false) => CUSTOM_DECOY,
    };

    let ephemeral = server_ephemeral(s, &verifier).await?;
    let state = SrpState {
        kind: SrpKind::Password,
        pool_id: s.pool.id.clone(),
        client_id: s.client.client_id.clone(),
        username: user_id.clone(),
        device_key,
        context: context.to_owned(),
        a,
        ephemeral: ephemeral.clone(),
        expires_at_ms: s.cx.now_ms().saturating_add(validity_ms(s.client)),
    };
    let secret_block =
        seal_secret_block(&key, s.cx.rng.as_ref(), &state).map_err(Error::internal)?;
    let parameters = BTreeMap::from([
        ("SALT".to_owned(), verifier.salt_hex().to_owned()),
        ("SRP_B".to_owned(), ephemeral.srp_b()),
        ("SECRET_BLOCK".to_owned(), secret_block.clone()),
        ("USERNAME".to_owned(), user_id.clone()),
        ("USER_ID_FOR_SRP".to_owned(), user_id),
    ]);
    Ok((parameters, secret_block))
}

/// RespondToAuthChallenge / AdminRespondToAuthChallenge with PASSWORD_VERIFIER.
pub async fn respond(
    s: &SignIn<'_>,
    responses: Params<'_>,
    session: Option<&str>,
) -> Result<Outcome, Error> {
    let username = responses.required("USERNAME")?;
    let AnsweredClaim {
        secret_block,
        signature,
        timestamp,
        key,
        now,
        opened,
    } = open_claim(s, responses, username).await?;
    let state = &opened.state;
    if state.kind != SrpKind::Password {
        return Err(invalid_session());
    }
    // A custom sign-in continues with its own Session, taken here whatever the outcome; a
    // plain one may send the block's.
    let custom = if is_custom(&state.context) {
        Some(custom::take_password_round(s, session, secret_block).await?)
    } else {
        if session.is_some_and(|session| !session_matches(&key, secret_block, session)) {
            return Err(invalid_session());
        }
        None
    };

    let rules = NameRules::of(s.pool);
    let user = if is_real(&state.context) {
        let login = users::key(&rules, KeyKind::Username, &state.username);
        s.cx.store.get_user_by_key(&s.pool.id, &login).await?
    } else {
        None
    };
    let named = match &user {
        Some(user) => same_user(s, user, username).await?,
        None => {
            normalise(&rules, KeyKind::Username, username)
                == normalise(&rules, KeyKind::Username, &state.username)
        }
    };
    if !named {
        return Err(incorrect_credentials());
    }
    // The answer's DEVICE_KEY is the one that counts: amazon-cognito-identity-js drops a
    // forgotten key and answers again with the same block, so an unknown key is refused
    // before the block is used up.
    let device_key = responses.optional("DEVICE_KEY").map(str::to_owned);
    if let (Some(user), None) = (&user, &custom) {
        device::presented(s, user, device_key.as_deref()).await?;
    }
    consume_block(s, &opened).await?;

    let claim = Claim {
        pool_id: s.pool.id.clone(),
        secret_block: secret_block.to_owned(),
        timestamp: timestamp.to_owned(),
        signature: signature.to_owned(),
        a: state.a.clone(),
        server: state.ephemeral.clone(),
        now_ms: now,
    };
    let Some(user) = user else {
        // A decoy, or a user deleted since the challenge: the same work (a hidden name's
        // failures count towards a lockout as a real user's do), then the refusal.
        let hidden = prevents_existence_errors(s.client);
        let counts = if hidden {
            Some(decoy::unknown_not_locked(s, &state.username).await?)
        } else {
            None
        };
        let verifier = decoy::verifier(&key, &s.pool.id, &state.username)?;
        let _ = claim.check(state.username.clone(), verifier).await;
        if let Some(counts) = counts {
            decoy::record_unknown_failure(s, counts).await?;
        }
        let deleted = is_real(&state.context) && !hidden;
        return Err(if deleted {
            Error::user_not_found()
        } else {
            incorrect_credentials()
        });
    };
    check_not_locked(s.cx, &user)?;
    let Some(verifier) = srp_verifier(&user) else {
        return Err(incorrect_credentials());
    };
    match claim.check(user.username.clone(), verifier).await? {
        // Failures are cleared by `proceed` once MFA, if any, is passed too.
        Ok(()) => match custom {
            Some(pending) => custom::password_verified(s, pending, user).await,
            None => signed_in::proceed(s, user, now, device_key).await,
        },
        Err(SrpError::SignatureMismatch) => {
            record_failure(s.cx, s.pool, &user).await?;
            Err(incorrect_credentials())
        }
        Err(SrpError::MalformedSignature) => Err(Error::invalid_parameter(
            SrpError::MalformedSignature.to_string(),
        )),
        // A clock too far off, a degenerate exchange: no proof, but no guess either.
        Err(_) => Err(incorrect_credentials()),
    }
}

/// A password claim to check off the async workers (two 3072-bit exponentiations).
struct Claim {
    pool_id: String,
    secret_block: String,
    timestamp: String,
    signature: String,
    a: PublicA,
    server: ServerEphemeral,
    now_ms: i64,
}

impl Claim {
    async fn check(
        self,
        user_id_for_srp: String,
        verifier: Verifier,
    ) -> Result<Result<(), SrpError>, Error> {
        blocking(move || {
            verify_password_claim(
                &SrpIdentity::user(&self.pool_id, &user_id_for_srp),
                &verifier,
                &self.a,
                &self.server,
                &PasswordClaim {
                    secret_block: &self.secret_block,
                    timestamp: &self.timestamp,
                    signature: &self.signature,
                },
                self.now_ms,
            )
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_are_bound_to_their_block() {
        let key = [7u8; 32];
        let session = block_session(&key, "block-a");
        assert!(session.len() >= 20);
        assert!(session_matches(&key, "block-a", &session));
        assert!(!session_matches(&key, "block-b", &session));
        assert!(!session_matches(&[8u8; 32], "block-a", &session));
        assert!(!session_matches(&key, "block-a", "x"));
    }
}
