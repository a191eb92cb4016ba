//! A verified email or phone alias belongs to one user: when another user verifies the
//! same value, the alias moves to them and the previous owner's attribute becomes
//! unverified (flows.md §8: last verifier wins). Only alias attributes move; an email or
//! phone number used *as* username stays taken (`AliasExistsException`), and so does a
//! `preferred_username`.

use super::conflict::KeyWrite;
use super::keys::{login_keys, KeyKind};
use super::modify::{modify_user, Target};
use super::rules::NameRules;
use crate::entities::{User, UserPool};
use crate::error::{Error, ErrorKind};
use crate::Cx;

/// Applies `change` to the user `sub` as [`modify_user`] does; when the change activates a
/// verified email or phone alias that another user holds, that user's attribute is marked
/// unverified first, and the change is stored again.
pub async fn modify_user_taking_aliases<F>(
    cx: &Cx,
    pool: &UserPool,
    sub: &str,
    change: F,
) -> Result<User, Error>
where
    F: Fn(&mut User) -> Result<(), Error>,
{
    let rules = NameRules::of(pool);
    match modify_user(cx, pool, Target::Sub(sub), KeyWrite::Update, &change).await {
        Err(e) if e.kind == ErrorKind::AliasExistsException => {
            let Some(mut user) = cx.store.get_user_by_sub(&pool.id, sub).await? else {
                return Err(Error::user_not_found());
            };
            change(&mut user)?;
            let mut moved = false;
            for key in login_keys(&rules, &user.username, &user.attributes) {
                let flag = match KeyKind::of(&key) {
                    Some(KeyKind::Email) if rules.alias_email => "email_verified",
                    Some(KeyKind::PhoneNumber) if rules.alias_phone => "phone_number_verified",
                    _ => continue,
                };
                match cx.store.get_user_by_key(&pool.id, &key).await? {
                    Some(holder) if holder.sub != sub => {
                        release_alias(cx, pool, &holder.sub, &key, flag).await?;
                        moved = true;
                    }
                    _ => {}
                }
            }
            if !moved {
                return Err(e);
            }
            modify_user(cx, pool, Target::Sub(sub), KeyWrite::Update, &change).await
        }
        other => other,
    }
}

/// Marks the holder's attribute unverified if it still holds `key`, which drops the alias.
async fn release_alias(
    cx: &Cx,
    pool: &UserPool,
    holder: &str,
    key: &str,
    flag: &str,
) -> Result<(), Error> {
    let result = modify_user(cx, pool, Target::Sub(holder), KeyWrite::Update, |user| {
        if user.keys.iter().any(|k| k == key) {
            user.attributes.insert(flag.to_owned(), "false".to_owned());
        }
        Ok(())
    })
    .await;
    match result {
        // Deleted meanwhile: the alias is free anyway.
        Err(e) if e.kind == ErrorKind::UserNotFoundException => Ok(()),
        other => other.map(|_| ()),
    }
}
