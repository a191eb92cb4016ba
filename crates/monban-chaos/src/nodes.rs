//! Two monban processes on one PostgreSQL database: what one node starts or revokes the
//! other honours at once (SRP and NEW_PASSWORD_REQUIRED sessions, GlobalSignOut,
//! RevokeToken), failed sign-ins lock the user whatever node counted them, and clients that
//! retry on the survivor after one node is killed mid-run lose and duplicate nothing.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use monban_core::auth::srp::render_timestamp;
use monban_core::Clock as _;
use serde_json::{json, Value};

use crate::api::{Api, Reply};
use crate::node::{Node, NodeSpec};
use crate::setup::{self, password, Rng};
use crate::srp_client::{ServerChallenge, SrpClient};

/// The longest lockout the nodes are started with (seconds), so that the cap shows quickly.
const LOCKOUT_MAX_SECS: u64 = 4;

pub async fn run(spec: &NodeSpec, writers: usize, load_secs: f64, seed: u64) -> Result<(), String> {
    let mut flags = spec.flags.clone();
    // One public URL for both, as behind a load balancer: it is the tokens' issuer.
    flags.extend(
        [
            "--public-url",
            "http://monban.chaos.test",
            "--lockout-max-secs",
        ]
        .map(str::to_owned),
    );
    flags.push(LOCKOUT_MAX_SECS.to_string());
    let spec = NodeSpec {
        flags,
        ..spec.clone()
    };
    let a = Node::start(&spec, "a").await?;
    let mut b = Node::start(&spec, "b").await?;
    println!(
        "nodes: A on {} (pid {}), B on {} (pid {})",
        a.addr,
        a.pid(),
        b.addr,
        b.pid()
    );
    let mut on_a = Api::new(a.addr, spec.admin.clone(), "", "");
    let (pool, client) = setup::pool_and_client(&mut on_a, json!({}), json!({})).await?;
    let mut on_b = Api::new(b.addr, spec.admin.clone(), &pool, &client);

    let mut failed = Vec::new();
    let checks: [(&str, Result<(), String>); 5] = [
        (
            "SRP: InitiateAuth on A, PASSWORD_VERIFIER answered on B",
            srp_across(&mut on_a, &mut on_b).await,
        ),
        (
            "NEW_PASSWORD_REQUIRED: started on A, answered on B",
            new_password_across(&mut on_a, &mut on_b).await,
        ),
        (
            "GlobalSignOut on A: GetUser on B refused at once",
            sign_out_across(&mut on_a, &mut on_b).await,
        ),
        (
            "RevokeToken on A: refresh and access token refused on B at once",
            revoke_across(&mut on_a, &mut on_b).await,
        ),
        (
            "lockout: failures on A and B add up, delays grow, never past the cap",
            lockout_across(&mut on_a, &mut on_b).await,
        ),
    ];
    for (name, outcome) in checks {
        match outcome {
            Ok(()) => println!("  ok    {name}"),
            Err(e) => {
                println!("  FAIL  {name}: {e}");
                failed.push(name);
            }
        }
    }
    match load_with_a_kill(&spec, &a, &mut b, &pool, &client, writers, load_secs, seed).await {
        Ok(summary) => println!("  ok    retries on the survivor after B was killed: {summary}"),
        Err(e) => {
            println!("  FAIL  retries on the survivor after B was killed: {e}");
            failed.push("load with a kill");
        }
    }
    if failed.is_empty() {
        println!("nodes: all checks passed");
        Ok(())
    } else {
        Err(format!("nodes: {} checks failed: {failed:?}", failed.len()))
    }
}

fn expect_refused(reply: Reply, kind: &str, what: &str) -> Result<(), String> {
    match reply.kind() {
        Some(k) if k == kind => Ok(()),
        _ => Err(format!("{what}: expected {kind}, got {reply:?}")),
    }
}

async fn srp_across(a: &mut Api, b: &mut Api) -> Result<(), String> {
    let name = format!("srp-{}", setup::short_id());
    let pw = password("srp");
    setup::confirmed_user(a, &name, &pw).await?;
    let srp = SrpClient::new();
    let client_id = a.target.client_id.clone();
    let started = a
        .public(
            "InitiateAuth",
            json!({"ClientId": client_id, "AuthFlow": "USER_SRP_AUTH",
                   "AuthParameters": {"USERNAME": name, "SRP_A": srp.srp_a()}}),
        )
        .await
        .ok()?;
    let p = &started["ChallengeParameters"];
    let field = |n: &str| p[n].as_str().unwrap_or_default().to_owned();
    let user_id = field("USER_ID_FOR_SRP");
    let secret_block = field("SECRET_BLOCK");
    let timestamp = render_timestamp(monban_core::SystemClock.now_ms());
    let signature = srp.signature(
        &ServerChallenge {
            pool_id: &a.target.pool_id,
            user_id_for_srp: &user_id,
            salt_hex: &field("SALT"),
            srp_b_hex: &field("SRP_B"),
            secret_block: &secret_block,
        },
        &pw,
        &timestamp,
    );
    let mut body = json!({
        "ClientId": client_id,
        "ChallengeName": "PASSWORD_VERIFIER",
        "ChallengeResponses": {
            "USERNAME": user_id,
            "PASSWORD_CLAIM_SECRET_BLOCK": secret_block,
            "PASSWORD_CLAIM_SIGNATURE": signature,
            "TIMESTAMP": timestamp,
        },
    });
    if let Some(session) = started["Session"].as_str() {
        body["Session"] = json!(session);
    }
    let done = b.public("RespondToAuthChallenge", body).await.ok()?;
    setup::tokens(&done).map(|_| ())
}

async fn new_password_across(a: &mut Api, b: &mut Api) -> Result<(), String> {
    let name = format!("np-{}", setup::short_id());
    let temporary = password("temporary");
    a.admin(
        "AdminCreateUser",
        json!({"UserPoolId": a.target.pool_id, "Username": name, "MessageAction": "SUPPRESS",
               "TemporaryPassword": temporary}),
    )
    .await
    .ok()?;
    let started = setup::sign_in(a, &name, &temporary).await.ok()?;
    if started["ChallengeName"] != "NEW_PASSWORD_REQUIRED" {
        return Err(format!("expected NEW_PASSWORD_REQUIRED, got {started}"));
    }
    let done = b
        .public(
            "RespondToAuthChallenge",
            json!({"ClientId": a.target.client_id, "ChallengeName": "NEW_PASSWORD_REQUIRED",
                   "Session": started["Session"],
                   "ChallengeResponses": {"USERNAME": name, "NEW_PASSWORD": password("new")}}),
        )
        .await
        .ok()?;
    setup::tokens(&done)?;
    // And the new password is the one both nodes know.
    setup::tokens(&setup::sign_in(b, &name, &password("new")).await.ok()?).map(|_| ())
}

async fn signed_in_user(a: &mut Api, tag: &str) -> Result<(String, String, String), String> {
    let name = format!("{tag}-{}", setup::short_id());
    let pw = password(tag);
    setup::confirmed_user(a, &name, &pw).await?;
    let (access, refresh) = setup::tokens(&setup::sign_in(a, &name, &pw).await.ok()?)?;
    Ok((name, access, refresh))
}

async fn sign_out_across(a: &mut Api, b: &mut Api) -> Result<(), String> {
    let (_, access, _) = signed_in_user(a, "signout").await?;
    b.public("GetUser", json!({"AccessToken": access}))
        .await
        .ok()?;
    a.public("GlobalSignOut", json!({"AccessToken": access}))
        .await
        .ok()?;
    expect_refused(
        b.public("GetUser", json!({"AccessToken": access})).await,
        "NotAuthorizedException",
        "GetUser on B right after GlobalSignOut on A",
    )
}

async fn revoke_across(a: &mut Api, b: &mut Api) -> Result<(), String> {
    let (_, access, refresh) = signed_in_user(a, "revoke").await?;
    let client_id = a.target.client_id.clone();
    b.public("GetUser", json!({"AccessToken": access}))
        .await
        .ok()?;
    a.public(
        "RevokeToken",
        json!({"Token": refresh, "ClientId": client_id}),
    )
    .await
    .ok()?;
    expect_refused(
        b.public(
            "InitiateAuth",
            json!({"ClientId": client_id, "AuthFlow": "REFRESH_TOKEN_AUTH",
                   "AuthParameters": {"REFRESH_TOKEN": refresh}}),
        )
        .await,
        "NotAuthorizedException",
        "REFRESH_TOKEN_AUTH on B after RevokeToken on A",
    )?;
    expect_refused(
        b.public("GetUser", json!({"AccessToken": access})).await,
        "NotAuthorizedException",
        "GetUser on B with an access token of the revoked refresh token",
    )
}

const EXCEEDED: &str = "Password attempts exceeded";

/// Whether the answer is the lockout's.
fn locked(reply: &Reply) -> bool {
    matches!(reply, Reply::Refused { message, .. } if message == EXCEEDED)
}

async fn lockout_across(a: &mut Api, b: &mut Api) -> Result<(), String> {
    let name = format!("lock-{}", setup::short_id());
    let right = password("right");
    setup::confirmed_user(a, &name, &right).await?;
    // Five free failures (the default), alternating nodes.
    let mut last_failure = Instant::now();
    for i in 0..5 {
        let api = if i % 2 == 0 { &mut *a } else { &mut *b };
        let reply = setup::sign_in(api, &name, "Wrong-Passw0rd!").await;
        last_failure = Instant::now();
        if locked(&reply) || reply.kind() != Some("NotAuthorizedException") {
            return Err(format!("failure {}: {reply:?}", i + 1));
        }
    }
    // The fifth locks for 1 s, on both nodes, even with the right password.
    for api in [&mut *a, &mut *b] {
        let reply = setup::sign_in(api, &name, &right).await;
        if !locked(&reply) {
            return Err(format!("right after 5 failures: {reply:?}"));
        }
    }
    // Each failure once the lockout is over doubles it (2 s, 4 s), never past the cap (4 s
    // here); half-way through, the other node refuses the right password.
    let margin = Duration::from_millis(150);
    let mut lock = Duration::from_secs(1);
    for n in 0..4 {
        let (failing, checking) = if n % 2 == 0 {
            (&mut *a, &mut *b)
        } else {
            (&mut *b, &mut *a)
        };
        tokio::time::sleep_until((last_failure + lock + margin).into()).await;
        let reply = setup::sign_in(failing, &name, "Wrong-Passw0rd!").await;
        last_failure = Instant::now();
        if locked(&reply) || reply.kind() != Some("NotAuthorizedException") {
            return Err(format!("failure {} after {lock:?}: {reply:?}", n + 6));
        }
        lock = (lock * 2).min(Duration::from_secs(LOCKOUT_MAX_SECS));
        tokio::time::sleep_until((last_failure + lock / 2).into()).await;
        let reply = setup::sign_in(checking, &name, &right).await;
        if !locked(&reply) {
            return Err(format!(
                "not locked {:?} into the {lock:?} lockout of failure {}: {}",
                lock / 2,
                n + 6,
                if matches!(reply, Reply::Ok(_)) {
                    "signed in".to_owned()
                } else {
                    format!("{reply:?}")
                }
            ));
        }
    }
    // The ninth failure would lock for 16 s uncapped: the cap ends it after 4 s.
    tokio::time::sleep_until((last_failure + lock + margin).into()).await;
    setup::tokens(&setup::sign_in(b, &name, &right).await.ok()?).map(|_| ())
}

#[derive(Default)]
struct Tally {
    acked: HashSet<String>,
    attempted: HashSet<String>,
    retried: u64,
    found_done_on_retry: u64,
    refused: HashMap<String, u64>,
}

/// Writers spread AdminCreateUser and SignUp over both nodes; B is killed halfway; a write
/// whose node did not answer is sent again to the other node, where
/// `UsernameExistsException` means the first attempt had committed.
#[allow(clippy::too_many_arguments)]
async fn load_with_a_kill(
    spec: &NodeSpec,
    a: &Node,
    b: &mut Node,
    pool: &str,
    client: &str,
    writers: usize,
    load_secs: f64,
    seed: u64,
) -> Result<String, String> {
    let tally: Arc<Mutex<Tally>> = Default::default();
    let deadline = Instant::now() + Duration::from_secs_f64(load_secs);
    let mut tasks = tokio::task::JoinSet::new();
    for w in 0..writers {
        let nodes = [
            Api::new(a.addr, spec.admin.clone(), pool, client),
            Api::new(b.addr, spec.admin.clone(), pool, client),
        ];
        let tally = tally.clone();
        let mut rng = Rng::new(seed ^ w as u64);
        tasks.spawn(async move {
            let mut nodes = nodes;
            for i in 0.. {
                if Instant::now() > deadline {
                    return;
                }
                let name = format!("load-w{w}-{i}");
                let sign_up = rng.below(2) == 0;
                let body = if sign_up {
                    json!({"ClientId": nodes[0].target.client_id, "Username": name,
                           "Password": password("load")})
                } else {
                    json!({"UserPoolId": nodes[0].target.pool_id, "Username": name,
                           "MessageAction": "SUPPRESS"})
                };
                lock(&tally).attempted.insert(name.clone());
                let first = rng.below(2) as usize;
                let mut retry = false;
                for attempt in [first, 1 - first] {
                    let reply = send(&mut nodes[attempt], sign_up, body.clone()).await;
                    let mut t = lock(&tally);
                    match reply {
                        Reply::Ok(_) => {
                            t.acked.insert(name.clone());
                        }
                        Reply::Refused { kind, .. }
                            if retry && kind == "UsernameExistsException" =>
                        {
                            t.found_done_on_retry += 1;
                            t.acked.insert(name.clone());
                        }
                        Reply::Refused { kind, .. } => *t.refused.entry(kind).or_default() += 1,
                        Reply::Unreached | Reply::Lost => {
                            t.retried += 1;
                            retry = true;
                            continue;
                        }
                    }
                    break;
                }
            }
        });
    }
    tokio::time::sleep(Duration::from_secs_f64(load_secs / 2.0)).await;
    let killed_after = {
        let t = lock(&tally);
        t.acked.len()
    };
    b.kill();
    while tasks.join_next().await.is_some() {}
    let mut api = Api::new(a.addr, spec.admin.clone(), pool, client);
    let users = setup::list_users(&mut api).await?;
    let t = lock(&tally);
    let mut seen: HashMap<String, usize> = HashMap::new();
    for user in &users {
        if let Some(name) = user["Username"].as_str().filter(|n| n.starts_with("load-")) {
            *seen.entry(name.to_owned()).or_default() += 1;
        }
    }
    let mut problems = Vec::new();
    for name in &t.acked {
        if !seen.contains_key(name) {
            problems.push(format!("{name} acknowledged and missing"));
        }
    }
    for (name, count) in &seen {
        if *count > 1 {
            problems.push(format!("{name} listed {count} times"));
        }
        if !t.attempted.contains(name) {
            problems.push(format!("{name} exists and nobody created it"));
        }
    }
    if !t.refused.is_empty() {
        problems.push(format!("unexpected refusals: {:?}", t.refused));
    }
    if t.retried == 0 {
        problems.push("no write was retried: the kill fell outside the load".to_owned());
    }
    if !problems.is_empty() {
        return Err(problems.join("; "));
    }
    Ok(format!(
        "{} writes acknowledged ({killed_after} before B was killed), {} retried on A \
         ({} of them had committed on B before it died), all present exactly once",
        t.acked.len(),
        t.retried,
        t.found_done_on_retry
    ))
}

async fn send(api: &mut Api, sign_up: bool, body: Value) -> Reply {
    if sign_up {
        api.public("SignUp", body).await
    } else {
        api.admin("AdminCreateUser", body).await
    }
}

fn lock(tally: &Mutex<Tally>) -> std::sync::MutexGuard<'_, Tally> {
    tally.lock().unwrap_or_else(|p| p.into_inner())
}
