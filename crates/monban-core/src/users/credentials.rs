//! Setting a password: the one place that does it, so that every path (AdminCreateUser,
//! AdminSetUserPassword, SignUp, ChangePassword, ConfirmForgotPassword,
//! NEW_PASSWORD_REQUIRED) stores the same things: the pool's policy checked, an Argon2id
//! hash for USER_PASSWORD_AUTH, an SRP salt and verifier for USER_SRP_AUTH (srp.md §4),
//! when it was set, and a clean lockout record.
//!
//! Two ways to use it:
//! - [`set_password`] on a `User` in hand (a new user before insertion, say);
//! - [`Credentials::derive`] before a [`modify_user`](super::modify_user), then
//!   [`Credentials::apply`] inside its (synchronous, retried) change.

use monban_wire::idp::UserStatusType;

use crate::auth::srp::{SrpIdentity, Verifier};
use crate::entities::{SrpCredential, User, UserPool};
use crate::error::Error;
use crate::password::{check_policy, hash_password, ForeignHash};
use crate::pool_config::password_policy;
use crate::Cx;

/// A password made ready to store for one user. `Debug` shows nothing of it.
#[derive(Clone)]
pub struct Credentials {
    /// The internal username the SRP verifier was made for.
    username: String,
    password_hash: String,
    srp: SrpCredential,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}

impl Credentials {
    /// Checks `password` against the pool's policy (`InvalidPasswordException`), then hashes
    /// it and makes its SRP verifier for the user with internal username `username`, both
    /// on the blocking pool.
    pub async fn derive(
        cx: &Cx,
        pool: &UserPool,
        username: &str,
        password: &str,
    ) -> Result<Self, Error> {
        check_policy(Some(&password_policy(pool)), password)?;
        Self::derive_unchecked(cx, pool, username, password).await
    }

    /// [`derive`](Self::derive) without the pool's policy: for a password another
    /// directory already accepted (UserMigration, which Cognito does not hold to the policy).
    async fn derive_unchecked(
        cx: &Cx,
        pool: &UserPool,
        username: &str,
        password: &str,
    ) -> Result<Self, Error> {
        let password_hash =
            hash_password(cx.settings.password_hashing, cx.rng.as_ref(), password).await?;
        let mut salt = [0u8; 16];
        cx.rng.fill(&mut salt);
        let (pool_id, user, pass) = (pool.id.clone(), username.to_owned(), password.to_owned());
        // A 3072-bit exponentiation: a millisecond of CPU, kept off the async workers.
        let verifier = crate::heavy::run(move || {
            Verifier::from_salt(&salt, &SrpIdentity::user(&pool_id, &user), &pass)
        })
        .await?;
        Ok(Self {
            username: username.to_owned(),
            password_hash,
            srp: SrpCredential {
                salt: verifier.salt_hex().to_owned(),
                verifier: verifier.verifier_hex(),
            },
        })
    }

    /// Stores the password in `user` with the new `status`, as set at `now_ms`, and clears
    /// the failed sign-in count. Refuses a user other than the one it was derived for (the
    /// verifier depends on the username).
    pub fn apply(&self, user: &mut User, status: UserStatusType, now_ms: i64) -> Result<(), Error> {
        if user.username != self.username {
            return Err(Error::internal(
                "password credentials derived for another username",
            ));
        }
        user.password_hash = Some(self.password_hash.clone());
        user.data.srp = Some(self.srp.clone());
        user.data.password_set_ms = Some(now_ms);
        user.data.failed_sign_ins = 0;
        user.data.last_failed_sign_in_ms = None;
        user.status = status;
        Ok(())
    }
}

/// Sets `password` on `user` (in memory; the caller stores the user) with `status`:
/// policy check, Argon2id hash, SRP verifier, `password_set_ms`.
pub async fn set_password(
    cx: &Cx,
    pool: &UserPool,
    user: &mut User,
    password: &str,
    status: UserStatusType,
) -> Result<(), Error> {
    let credentials = Credentials::derive(cx, pool, &user.username, password).await?;
    credentials.apply(user, status, cx.now_ms())
}

/// [`set_password`] for a user the UserMigration trigger brings in: the password the old
/// directory accepted is stored as it is, without the pool's policy, as Cognito does.
pub async fn set_migrated_password(
    cx: &Cx,
    pool: &UserPool,
    user: &mut User,
    password: &str,
    status: UserStatusType,
) -> Result<(), Error> {
    let credentials = Credentials::derive_unchecked(cx, pool, &user.username, password).await?;
    credentials.apply(user, status, cx.now_ms())
}

/// Stores a hash imported from another directory as `user`'s password (in memory; the
/// caller stores the user): no SRP verifier until the first password sign-in replaces it
/// through [`upgrade_password`]. `InvalidParameterException` for a malformed hash.
pub fn import_password_hash(user: &mut User, hash: &ForeignHash, now_ms: i64) -> Result<(), Error> {
    user.password_hash = Some(hash.to_stored()?);
    user.data.srp = None;
    user.data.password_set_ms = Some(now_ms);
    user.data.failed_sign_ins = 0;
    user.data.last_failed_sign_in_ms = None;
    Ok(())
}

/// After `password` matched `user`'s imported hash (or a hash kept without an SRP
/// verifier): stores the pool's Argon2id and an SRP verifier instead, without the policy
/// (another directory accepted the password) and keeping the status and when the password
/// was set. A password changed meanwhile by another request is left alone.
pub async fn upgrade_password(
    cx: &Cx,
    pool: &UserPool,
    user: &User,
    password: &str,
) -> Result<User, Error> {
    let credentials = Credentials::derive_unchecked(cx, pool, &user.username, password).await?;
    let now = cx.now_ms();
    let matched = user.password_hash.clone();
    super::modify_user(
        cx,
        pool,
        super::Target::Sub(&user.sub),
        super::KeyWrite::Update,
        |u| {
            if u.password_hash != matched {
                return Ok(());
            }
            let (status, set_ms) = (u.status, u.data.password_set_ms);
            credentials.apply(u, status, now)?;
            u.data.password_set_ms = set_ms;
            Ok(())
        },
    )
    .await
}

/// The SRP verifier stored for `user`, if its password was set with one.
pub fn srp_verifier(user: &User) -> Option<Verifier> {
    let srp = user.data.srp.as_ref()?;
    Verifier::from_stored(&srp.salt, &srp.verifier).ok()
}
