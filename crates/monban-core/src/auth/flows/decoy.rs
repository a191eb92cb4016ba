//! PreventUserExistenceErrors: an unknown user must look like a wrong password, in the
//! answer and in its timing (flows.md §7, srp.md §4).
//! - password flows spend one Argon2 computation with the server's parameters, as a real
//!   check would, before `Incorrect username or password.`;
//! - SRP answers with a PASSWORD_VERIFIER challenge whose `SALT` and `USER_ID_FOR_SRP` are
//!   derived from the name typed (HMAC under a server key), so asking twice gives the same
//!   values, as for a real user; the proof then fails.
//! - failures count towards the same lockout as a real user's, kept in the store under the
//!   name typed (`DecoyStore`), with the same database write per failure: past the free
//!   failures an unknown name gets `Password attempts exceeded` too.

use monban_wire::idp::PreventUserExistenceErrorTypes;

use super::lockout::check_counts_not_locked;
use super::messages::incorrect_credentials;
use super::SignIn;
use crate::auth::hmac_sha256;
use crate::auth::srp::Verifier;
use crate::decoy_store::{decoy_name, put_attempts, DecoyAttempts};
use crate::entities::{AppClient, UserData};
use crate::error::Error;
use crate::password::hash_password;
use crate::users::{is_email, is_phone_number, normalise, KeyKind, NameRules};

/// Whether the client hides which users exist.
pub fn prevents_existence_errors(client: &AppClient) -> bool {
    client.config.prevent_user_existence_errors == Some(PreventUserExistenceErrorTypes::Enabled)
}

/// The error for a user that does not exist: `UserNotFoundException: User does not exist.`
/// (LEGACY), or — after as much work as a wrong password costs — `Incorrect username or
/// password.`; past the lockout's free failures, `Password attempts exceeded` as for a real
/// user.
pub async fn unknown_user(s: &SignIn<'_>, typed: &str, password: Option<&str>) -> Error {
    if !prevents_existence_errors(s.client) {
        return Error::user_not_found();
    }
    let failed = async {
        let counts = unknown_not_locked(s, typed).await?;
        if let Some(password) = password {
            spend_a_password_check(s, password).await;
        }
        record_unknown_failure(s, counts).await
    };
    match failed.await {
        Ok(()) => incorrect_credentials(),
        Err(e) => e,
    }
}

/// The sign-in failures counted against an unknown name.
#[derive(Debug)]
pub struct UnknownCounts {
    name: String,
    data: UserData,
}

const SIGN_IN: &str = "sign_in";

/// The lockout check a real user passes before the password is checked: `Password attempts
/// exceeded` while the unknown name `typed` is locked out.
pub async fn unknown_not_locked(s: &SignIn<'_>, typed: &str) -> Result<UnknownCounts, Error> {
    let name = decoy_name(s.pool, typed);
    let stored =
        s.cx.store
            .get_decoy_attempts(&s.pool.id, &name, SIGN_IN, s.cx.now_ms())
            .await?;
    let data = UserData {
        failed_sign_ins: stored
            .as_ref()
            .map_or(0, |a| u32::try_from(a.failures).unwrap_or(u32::MAX)),
        last_failed_sign_in_ms: stored.and_then(|a| a.last_failure_ms),
        ..UserData::default()
    };
    check_counts_not_locked(s.cx, &data)?;
    Ok(UnknownCounts { name, data })
}

/// Counts one failed sign-in of an unknown name: one write, as for a real user. The row
/// lasts as long as a real user's count would be remembered.
pub async fn record_unknown_failure(s: &SignIn<'_>, counts: UnknownCounts) -> Result<(), Error> {
    let UnknownCounts { name, mut data } = counts;
    let now = s.cx.now_ms();
    let settings = s.cx.settings.lockout;
    settings.count_failure(&mut data, now);
    let expires_ms = now
        .saturating_add(settings.lockout_ms(data.failed_sign_ins))
        .saturating_add(settings.max_lockout_ms);
    let attempts = DecoyAttempts {
        pool_id: s.pool.id.clone(),
        name,
        purpose: SIGN_IN.to_owned(),
        failures: i64::from(data.failed_sign_ins),
        last_failure_ms: data.last_failed_sign_in_ms,
        expires_ms,
    };
    let store = s.cx.store.as_ref();
    Ok(put_attempts(store, s.cx.rng.as_ref(), &attempts, now).await?)
}

/// One Argon2 computation with the parameters real hashes have: a hash costs what a
/// verification costs.
pub async fn spend_a_password_check(s: &SignIn<'_>, password: &str) {
    let _ = hash_password(s.cx.settings.password_hashing, s.cx.rng.as_ref(), password).await;
}

/// A simulated SRP identity: the `USER_ID_FOR_SRP` to announce and a verifier to compute
/// with (no password matches it).
#[derive(Debug)]
pub struct DecoySrp {
    pub user_id_for_srp: String,
    pub verifier: Verifier,
}

/// The decoy for the name `typed` in `pool`. Real users answer with their internal
/// username: a UUID in pools with username attributes (or when an alias was typed), the
/// username itself otherwise; the decoy does the same.
pub fn srp_identity(
    key: &[u8],
    pool_id: &str,
    rules: &NameRules,
    typed: &str,
) -> Result<DecoySrp, Error> {
    let name = normalise(rules, KeyKind::Username, typed);
    let alias_shaped =
        (rules.alias_email && is_email(typed)) || (rules.alias_phone && is_phone_number(typed));
    let user_id_for_srp = if rules.has_username_attributes() || alias_shaped {
        let seed = derive(key, "user id", pool_id, &name);
        let mut bytes = [0u8; 16];
        bytes.copy_from_slice(&seed[..16]);
        uuid::Builder::from_random_bytes(bytes)
            .into_uuid()
            .to_string()
    } else {
        typed.to_owned()
    };
    Ok(DecoySrp {
        verifier: verifier(key, pool_id, &name)?,
        user_id_for_srp,
    })
}

/// A deterministic verifier for `name`: the salt as a real one is stored (PAD of 16
/// bytes), v any value in range (it only enters B, which is random anyway), made without an
/// exponentiation so that the decoy costs what a real user costs.
pub fn verifier(key: &[u8], pool_id: &str, name: &str) -> Result<Verifier, Error> {
    let salt = derive(key, "salt", pool_id, name);
    let v = derive(key, "verifier", pool_id, name);
    Verifier::from_stored(&pad_hex(&salt[..16]), &hex::encode(v)).map_err(Error::internal)
}

fn derive(key: &[u8], purpose: &str, pool_id: &str, name: &str) -> [u8; 32] {
    hmac_sha256(
        key,
        &[
            b"monban decoy SRP ",
            purpose.as_bytes(),
            &[0],
            pool_id.as_bytes(),
            &[0],
            name.as_bytes(),
        ],
    )
}

/// Hex of the minimal two's-complement encoding (Cognito's padHex), as real salts are kept.
fn pad_hex(bytes: &[u8]) -> String {
    let start = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
    let bytes = &bytes[start..];
    let mut out = String::new();
    if bytes.first().is_none_or(|top| top & 0x80 != 0) {
        out.push_str("00");
    }
    out.push_str(&hex::encode(bytes));
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::auth::srp::SrpIdentity;
    use crate::cx::{Rng, SystemRng};

    const KEY: &[u8] = b"0123456789abcdef0123456789abcdef";
    const POOL: &str = "us-east-1_AbCdEf123";

    #[test]
    fn decoys_are_stable_per_name_and_differ_between_names() {
        let rules = NameRules::default();
        let a = srp_identity(KEY, POOL, &rules, "nobody").unwrap();
        let b = srp_identity(KEY, POOL, &rules, "nobody").unwrap();
        let c = srp_identity(KEY, POOL, &rules, "somebody").unwrap();
        assert_eq!(a.verifier.salt_hex(), b.verifier.salt_hex());
        assert_ne!(a.verifier.salt_hex(), c.verifier.salt_hex());
        assert_eq!(a.user_id_for_srp, "nobody");
        let other_key = srp_identity(b"another key", POOL, &rules, "nobody").unwrap();
        assert_ne!(a.verifier.salt_hex(), other_key.verifier.salt_hex());
    }

    #[test]
    fn email_pools_announce_a_uuid() {
        let rules = NameRules {
            username_email: true,
            case_sensitive: false,
            ..NameRules::default()
        };
        let a = srp_identity(KEY, POOL, &rules, "Nobody@Example.com").unwrap();
        let b = srp_identity(KEY, POOL, &rules, "nobody@example.com").unwrap();
        assert!(uuid::Uuid::parse_str(&a.user_id_for_srp).is_ok());
        // Case-insensitive pools: the same decoy whatever the case typed.
        assert_eq!(a.user_id_for_srp, b.user_id_for_srp);
        assert_eq!(a.verifier.salt_hex(), b.verifier.salt_hex());
    }

    #[test]
    fn decoy_salts_are_encoded_like_real_ones() {
        assert_eq!(pad_hex(&[0x80, 1]), "008001");
        assert_eq!(pad_hex(&[0x00, 0x7f, 1]), "7f01");
        assert_eq!(pad_hex(&[0, 0]), "00");
        // Real salts as Verifier::from_salt keeps them.
        let who = SrpIdentity::user(POOL, "x");
        for salt in [[0x80u8; 16], [0x01u8; 16]] {
            let real = Verifier::from_salt(&salt, &who, "pw");
            assert_eq!(real.salt_hex(), pad_hex(&salt));
        }
        let mut salt = [0u8; 16];
        SystemRng.fill(&mut salt);
        salt[0] = 0;
        assert_eq!(
            Verifier::from_salt(&salt, &who, "pw").salt_hex(),
            pad_hex(&salt)
        );
    }
}
