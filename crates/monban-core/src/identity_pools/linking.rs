//! Linking logins to identities as Cognito does: the first login of a provider user makes
//! an identity; logins presented together end up on one identity (identities they were
//! linked to apart are merged); a guest identity that logs in becomes the identity of that
//! login. A login belongs to one identity, by database constraint, so two nodes racing to
//! link the same new login cannot make two identities: the loser reads again.

use std::collections::BTreeSet;

use super::ids::new_region_uuid;
use super::load::identity_not_found;
use crate::entities::{Identity, IdentityLogin, IdentityPool};
use crate::error::{Error, ErrorKind};
use crate::store::StoreError;
use crate::Cx;

/// How often a link is tried again after losing a race for a login.
const RACE_RETRIES: usize = 3;
/// Logins an identity may have (MergeDeveloperIdentities' documented limit).
const MAX_LOGINS: usize = 20;

pub fn logins_do_not_match() -> Error {
    Error::not_authorized(
        "Logins don't match. Please include at least one valid login for this identity or identity pool.",
    )
}

/// The identity of `logins` in `pool`: the one they are linked to (identities they are
/// linked to apart are merged into the oldest), or a new identity with all of them.
pub async fn identity_for_logins(
    cx: &Cx,
    pool: &IdentityPool,
    logins: &[IdentityLogin],
) -> Result<Identity, Error> {
    link(cx, pool, None, logins).await
}

/// Who asks to link logins to an identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Authority {
    /// A public request: an identity with logins must be presented with one of them.
    Presented,
    /// An IAM caller (the developer operations), who may link any login.
    Trusted,
}

/// Links `logins` to `identity` and returns the identity they then belong to: `identity`
/// itself (identities the logins belonged to are merged into it), or, for a guest identity
/// whose login already has an identity, that one (the guest is merged into it).
pub async fn link_to_identity(
    cx: &Cx,
    pool: &IdentityPool,
    identity: &Identity,
    logins: &[IdentityLogin],
    authority: Authority,
) -> Result<Identity, Error> {
    link(cx, pool, Some((identity, authority)), logins).await
}

async fn link(
    cx: &Cx,
    pool: &IdentityPool,
    anchor: Option<(&Identity, Authority)>,
    logins: &[IdentityLogin],
) -> Result<Identity, Error> {
    let authority = anchor.map_or(Authority::Trusted, |(_, a)| a);
    let mut anchor = anchor.map(|(identity, _)| identity.clone());
    for _ in 0..RACE_RETRIES {
        let owners = owners(cx, pool, logins).await?;
        let plan = plan(pool, anchor.as_ref(), authority, &owners, logins)?;
        let outcome = match plan {
            Plan::Create => {
                let identity = new_identity(cx, pool, logins);
                cx.store.insert_identity(&identity).await.map(|()| identity)
            }
            Plan::Link {
                target,
                links,
                merge,
            } => {
                cx.store
                    .link_identity_logins(&target, &links, &merge, cx.now_ms())
                    .await
            }
        };
        match outcome {
            Ok(identity) => return Ok(identity),
            // Another request linked one of the logins meanwhile: read again.
            Err(StoreError::Conflict { .. }) => {}
            // The identity chosen was merged into another or deleted meanwhile.
            Err(StoreError::NotFound) => {
                if let Some(a) = &anchor {
                    let again = cx.store.get_identity(&a.identity_id).await?;
                    anchor = Some(again.ok_or_else(|| identity_not_found(&a.identity_id))?);
                }
            }
            Err(e) => return Err(e.into()),
        }
    }
    Err(Error::new(
        ErrorKind::ConcurrentModificationException,
        "The identity was changed concurrently; retry the request.",
    ))
}

/// The identities the logins are linked to, each once.
async fn owners(
    cx: &Cx,
    pool: &IdentityPool,
    logins: &[IdentityLogin],
) -> Result<Vec<Identity>, Error> {
    let mut owners: Vec<Identity> = Vec::new();
    for login in logins {
        let owner = cx
            .store
            .find_identity_by_login(&pool.id, &login.provider, &login.subject)
            .await?;
        if let Some(owner) = owner {
            if !owners.iter().any(|o| o.identity_id == owner.identity_id) {
                owners.push(owner);
            }
        }
    }
    Ok(owners)
}

#[derive(Debug, PartialEq, Eq)]
enum Plan {
    /// A new identity with all the logins.
    Create,
    Link {
        target: String,
        links: Vec<IdentityLogin>,
        merge: Vec<String>,
    },
}

fn plan(
    pool: &IdentityPool,
    anchor: Option<&Identity>,
    authority: Authority,
    owners: &[Identity],
    logins: &[IdentityLogin],
) -> Result<Plan, Error> {
    let others: Vec<&Identity> = owners
        .iter()
        .filter(|o| anchor.is_none_or(|a| a.identity_id != o.identity_id))
        .collect();
    let oldest_other = || {
        others
            .iter()
            .min_by(|a, b| (a.created_ms, &a.identity_id).cmp(&(b.created_ms, &b.identity_id)))
            .copied()
    };
    let target: &Identity = match anchor {
        Some(anchor) if anchor.disabled => return Err(identity_disabled(anchor)),
        Some(anchor) if anchor.is_guest() => oldest_other().unwrap_or(anchor),
        Some(anchor) => {
            if authority == Authority::Presented
                && !logins.iter().any(|l| anchor.logins.contains(l))
            {
                return Err(logins_do_not_match());
            }
            anchor
        }
        None => match oldest_other() {
            Some(oldest) => oldest,
            None => {
                check_mergeable(pool, &logins.iter().cloned().collect())?;
                return Ok(Plan::Create);
            }
        },
    };
    let mut merge: Vec<&Identity> = others
        .into_iter()
        .filter(|o| o.identity_id != target.identity_id)
        .collect();
    if let Some(anchor) = anchor.filter(|a| a.identity_id != target.identity_id) {
        merge.push(anchor);
    }
    let all: BTreeSet<IdentityLogin> = target
        .logins
        .iter()
        .chain(merge.iter().flat_map(|m| m.logins.iter()))
        .chain(logins)
        .cloned()
        .collect();
    check_mergeable(pool, &all)?;
    let links: Vec<IdentityLogin> = logins
        .iter()
        .filter(|l| !target.logins.contains(l))
        .cloned()
        .collect();
    Ok(Plan::Link {
        target: target.identity_id.clone(),
        links,
        merge: merge.iter().map(|m| m.identity_id.clone()).collect(),
    })
}

fn sorted(logins: impl Iterator<Item = IdentityLogin>) -> Vec<IdentityLogin> {
    let set: BTreeSet<IdentityLogin> = logins.collect();
    set.into_iter().collect()
}

/// One identity holds at most one user of each public provider (the developer provider
/// may name several users), and at most [`MAX_LOGINS`] logins.
fn check_mergeable(pool: &IdentityPool, logins: &BTreeSet<IdentityLogin>) -> Result<(), Error> {
    let developer = pool.config.developer_provider_name.as_deref();
    let mut previous: Option<&IdentityLogin> = None;
    for login in logins {
        if let Some(prev) = previous {
            if prev.provider == login.provider && Some(login.provider.as_str()) != developer {
                return Err(Error::new(
                    ErrorKind::ResourceConflictException,
                    format!(
                        "Logins can't be linked: the identity already has another user of {}.",
                        login.provider
                    ),
                ));
            }
        }
        previous = Some(login);
    }
    if logins.len() > MAX_LOGINS {
        return Err(Error::new(
            ErrorKind::LimitExceededException,
            format!("An identity can have at most {MAX_LOGINS} linked logins."),
        ));
    }
    Ok(())
}

pub fn identity_disabled(identity: &Identity) -> Error {
    Error::not_authorized(format!(
        "Identity '{}' is disabled: its last login was unlinked.",
        identity.identity_id
    ))
}

/// A new identity of `pool` with these logins (none: a guest).
pub fn new_identity(cx: &Cx, pool: &IdentityPool, logins: &[IdentityLogin]) -> Identity {
    let now = cx.now_ms();
    Identity {
        identity_id: new_region_uuid(cx),
        pool_id: pool.id.clone(),
        created_ms: now,
        modified_ms: now,
        disabled: false,
        logins: sorted(logins.iter().cloned()),
    }
}
