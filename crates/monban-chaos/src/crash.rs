//! The crash program: monban under concurrent SignUp / AdminCreateUser / ChangePassword /
//! AdminAddUserToGroup load, killed with SIGKILL at a random moment, restarted, and checked:
//! every write answered 200 is there, nothing appears that nobody asked for, usernames and
//! verified email aliases are unique, group memberships point at users, and no user is
//! half made. Then again, `rounds` times, on the same database.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::json;

use crate::api::{Api, Reply};
use crate::node::{Node, NodeSpec};
use crate::setup::{self, attribute, password, Rng};

const GROUPS: usize = 4;
/// Verified emails that several AdminCreateUser calls claim at once (alias races).
const SHARED_EMAILS: u64 = 8;

pub struct CrashArgs {
    pub rounds: usize,
    pub workers: usize,
    pub max_load_ms: u64,
    pub seed: u64,
}

/// What the clients were told, across all rounds.
#[derive(Default)]
struct Ledger {
    /// Every username a create was sent for (answered or not).
    attempted: HashSet<String>,
    /// Users a create was answered 200 for, with the `sub` the answer gave.
    acked: HashMap<String, String>,
    /// (user, group) pairs AdminAddUserToGroup answered 200 for.
    memberships: HashSet<(String, String)>,
    /// The users whose passwords the workers change, one each.
    changers: Vec<Changer>,
    /// 200s by operation.
    ok: BTreeMap<&'static str, u64>,
    /// Sent and unanswered when the node died, by operation.
    lost: BTreeMap<&'static str, u64>,
    /// Error answers by operation and type (expected ones: alias taken, ...).
    refused: BTreeMap<String, u64>,
}

struct Changer {
    name: String,
    /// The password of the last ChangePassword answered 200.
    current: String,
    /// A ChangePassword sent but unanswered: either password may be the one now.
    pending: Option<String>,
}

type Shared = Arc<Mutex<Ledger>>;

fn ledger(shared: &Shared) -> std::sync::MutexGuard<'_, Ledger> {
    shared.lock().unwrap_or_else(|p| p.into_inner())
}

pub async fn run(spec: &NodeSpec, args: &CrashArgs) -> Result<(), String> {
    let mut node = Node::start(spec, "node").await?;
    let mut api = Api::new(node.addr, spec.admin.clone(), "", "");
    let (pool_id, client_id) =
        setup::pool_and_client(&mut api, json!({"AliasAttributes": ["email"]}), json!({})).await?;
    for g in 0..GROUPS {
        api.admin(
            "CreateGroup",
            json!({"UserPoolId": pool_id, "GroupName": format!("g{g}")}),
        )
        .await
        .ok()?;
    }
    let shared: Shared = Default::default();
    for w in 0..args.workers {
        let name = format!("changer{w}");
        let pw = password("0");
        setup::confirmed_user(&mut api, &name, &pw).await?;
        ledger(&shared).changers.push(Changer {
            name,
            current: pw,
            pending: None,
        });
    }
    println!(
        "crash: pool {pool_id}, {} workers, {} rounds, seed {}",
        args.workers, args.rounds, args.seed
    );
    let mut rng = Rng::new(args.seed);
    let mut failures = 0;
    for round in 1..=args.rounds {
        let started = Instant::now();
        let mut tasks = tokio::task::JoinSet::new();
        for w in 0..args.workers {
            let api = Api::new(node.addr, spec.admin.clone(), &pool_id, &client_id);
            let (shared, seed) = (shared.clone(), rng.next());
            tasks.spawn(async move { worker(api, shared, round, w, Rng::new(seed)).await });
        }
        let load_ms = 100 + rng.below(args.max_load_ms.saturating_sub(100).max(1));
        tokio::time::sleep(Duration::from_millis(load_ms)).await;
        let pid = node.pid();
        node.kill();
        while tasks.join_next().await.is_some() {}
        let before = ledger(&shared).ok.values().sum::<u64>();
        node = Node::start(spec, "node").await?;
        let mut api = Api::new(node.addr, spec.admin.clone(), &pool_id, &client_id);
        let (users, problems) = verify(&mut api, &shared, &mut rng).await?;
        let l = ledger(&shared);
        println!(
            "round {round:>3}: pid {pid} killed after {load_ms} ms; {before} writes acknowledged so far, \
             {} unanswered; {users} users; {} ({:.1} s)",
            l.lost.values().sum::<u64>(),
            if problems.is_empty() { "all invariants hold".to_owned() } else { format!("{} VIOLATIONS", problems.len()) },
            started.elapsed().as_secs_f64()
        );
        for p in &problems {
            println!("  VIOLATION: {p}");
        }
        failures += problems.len();
    }
    let l = ledger(&shared);
    println!("acknowledged (200) by operation: {:?}", l.ok);
    println!("sent but unanswered at a kill:   {:?}", l.lost);
    println!("refused (expected races):        {:?}", l.refused);
    if failures > 0 {
        return Err(format!("crash: {failures} invariant violations"));
    }
    println!(
        "crash: {} rounds, every acknowledged write survived, all invariants hold",
        args.rounds
    );
    Ok(())
}

async fn worker(mut api: Api, shared: Shared, round: usize, w: usize, mut rng: Rng) {
    let client_id = api.target.client_id.clone();
    let pool_id = api.target.pool_id.clone();
    for n in 0.. {
        let choice = rng.below(100);
        let (op, reply) = if choice < 35 {
            let name = format!("su-r{round}-w{w}-{n}");
            ledger(&shared).attempted.insert(name.clone());
            let reply = api
                .public(
                    "SignUp",
                    json!({
                        "ClientId": client_id,
                        "Username": name,
                        "Password": password(&name),
                        "UserAttributes": [{"Name": "email", "Value": format!("{name}@example.com")}],
                    }),
                )
                .await;
            if let Reply::Ok(v) = &reply {
                let sub = v["UserSub"].as_str().unwrap_or_default().to_owned();
                ledger(&shared).acked.insert(name, sub);
            }
            ("SignUp", reply)
        } else if choice < 65 {
            let name = format!("ac-r{round}-w{w}-{n}");
            let email = if rng.below(4) == 0 {
                format!("shared{}@example.com", rng.below(SHARED_EMAILS))
            } else {
                format!("{name}@example.com")
            };
            ledger(&shared).attempted.insert(name.clone());
            let reply = api
                .admin(
                    "AdminCreateUser",
                    json!({
                        "UserPoolId": pool_id,
                        "Username": name,
                        "MessageAction": "SUPPRESS",
                        "UserAttributes": [
                            {"Name": "email", "Value": email},
                            {"Name": "email_verified", "Value": "true"},
                        ],
                    }),
                )
                .await;
            if let Reply::Ok(v) = &reply {
                let sub = attribute(&v["User"], "sub").unwrap_or_default().to_owned();
                ledger(&shared).acked.insert(name, sub);
            }
            ("AdminCreateUser", reply)
        } else if choice < 85 {
            let user = {
                let l = ledger(&shared);
                let len = l.acked.len() as u64;
                l.acked.keys().nth(rng.below(len) as usize).cloned()
            };
            let Some(user) = user else { continue };
            let group = format!("g{}", rng.below(GROUPS as u64));
            let reply = api
                .admin(
                    "AdminAddUserToGroup",
                    json!({"UserPoolId": pool_id, "Username": user, "GroupName": group}),
                )
                .await;
            if matches!(reply, Reply::Ok(_)) {
                ledger(&shared).memberships.insert((user, group));
            }
            ("AdminAddUserToGroup", reply)
        } else {
            let (name, current) = {
                let l = ledger(&shared);
                let c = &l.changers[w];
                (c.name.clone(), c.current.clone())
            };
            let signed_in = setup::sign_in(&mut api, &name, &current).await;
            let access = match signed_in {
                Reply::Ok(v) => match setup::tokens(&v) {
                    Ok((access, _)) => access,
                    Err(_) => return,
                },
                other => {
                    note(&shared, "InitiateAuth", &other);
                    if other.is_down() {
                        return;
                    }
                    continue;
                }
            };
            let next = password(&format!("r{round}n{n}"));
            ledger(&shared).changers[w].pending = Some(next.clone());
            let reply = api
                .public(
                    "ChangePassword",
                    json!({"PreviousPassword": current, "ProposedPassword": next, "AccessToken": access}),
                )
                .await;
            {
                let mut l = ledger(&shared);
                let c = &mut l.changers[w];
                match &reply {
                    Reply::Ok(_) => {
                        c.current = next;
                        c.pending = None;
                    }
                    Reply::Refused { .. } => c.pending = None,
                    Reply::Unreached | Reply::Lost => {}
                }
            }
            ("ChangePassword", reply)
        };
        note(&shared, op, &reply);
        if reply.is_down() {
            return;
        }
    }
}

fn note(shared: &Shared, op: &'static str, reply: &Reply) {
    let mut l = ledger(shared);
    match reply {
        Reply::Ok(_) => *l.ok.entry(op).or_default() += 1,
        Reply::Lost => *l.lost.entry(op).or_default() += 1,
        Reply::Unreached => {}
        Reply::Refused { kind, .. } => *l.refused.entry(format!("{op}: {kind}")).or_default() += 1,
    }
}

/// Checks the restarted node against the ledger; returns (users, violations).
async fn verify(
    api: &mut Api,
    shared: &Shared,
    rng: &mut Rng,
) -> Result<(usize, Vec<String>), String> {
    let mut problems = Vec::new();
    let users = setup::list_users(api).await?;
    let mut names = HashSet::new();
    let mut verified_emails: HashMap<String, Vec<String>> = HashMap::new();
    {
        let l = ledger(shared);
        let changers: HashSet<&str> = l.changers.iter().map(|c| c.name.as_str()).collect();
        for user in &users {
            let name = user["Username"].as_str().unwrap_or_default().to_owned();
            if !names.insert(name.clone()) {
                problems.push(format!("username {name} listed twice"));
            }
            if !l.attempted.contains(&name) && !changers.contains(name.as_str()) {
                problems.push(format!("user {name} exists but nobody created it"));
            }
            let sub = attribute(user, "sub");
            let whole = sub.is_some()
                && attribute(user, "email").is_some()
                && user["UserStatus"].is_string()
                && user["Enabled"].is_boolean()
                && user["UserCreateDate"].is_number();
            if !whole {
                problems.push(format!("user {name} is half made: {user}"));
            }
            if let (Some(acked_sub), Some(sub)) = (l.acked.get(&name), sub) {
                if !acked_sub.is_empty() && acked_sub != sub {
                    problems.push(format!(
                        "user {name} has sub {sub}, the create answered {acked_sub}"
                    ));
                }
            }
            if attribute(user, "email_verified") == Some("true") {
                if let Some(email) = attribute(user, "email") {
                    verified_emails
                        .entry(email.to_lowercase())
                        .or_default()
                        .push(name.clone());
                }
            }
        }
        for name in l.acked.keys() {
            if !names.contains(name) {
                problems.push(format!("user {name} was acknowledged and is gone"));
            }
        }
    }
    for (email, holders) in &verified_emails {
        if holders.len() > 1 {
            problems.push(format!("verified email alias {email} held by {holders:?}"));
        }
    }
    let memberships = ledger(shared).memberships.clone();
    let mut members = HashSet::new();
    for g in 0..GROUPS {
        let group = format!("g{g}");
        for user in setup::group_members(api, &group).await? {
            if !names.contains(&user) {
                problems.push(format!("group {group} lists {user}, who does not exist"));
            }
            if !members.insert((user.clone(), group.clone())) {
                problems.push(format!("group {group} lists {user} twice"));
            }
        }
    }
    for pair in memberships.difference(&members) {
        problems.push(format!(
            "{} was added to {} (acknowledged) and is not a member",
            pair.0, pair.1
        ));
    }
    // The list and the user's own record agree (a sample).
    let pool_id = api.target.pool_id.clone();
    for _ in 0..users.len().min(8) {
        let user = &users[rng.below(users.len() as u64) as usize];
        let name = user["Username"].as_str().unwrap_or_default();
        match api
            .admin(
                "AdminGetUser",
                json!({"UserPoolId": pool_id, "Username": name}),
            )
            .await
        {
            Reply::Ok(got) if got["UserStatus"] == user["UserStatus"] => {}
            other => problems.push(format!("AdminGetUser {name}: {other:?}, listed as {user}")),
        }
    }
    check_passwords(api, shared, &mut problems).await;
    Ok((users.len(), problems))
}

/// Each changer's password is the last one acknowledged, or the one in flight at the kill.
async fn check_passwords(api: &mut Api, shared: &Shared, problems: &mut Vec<String>) {
    let changers: Vec<(String, String, Option<String>)> = ledger(shared)
        .changers
        .iter()
        .map(|c| (c.name.clone(), c.current.clone(), c.pending.clone()))
        .collect();
    for (w, (name, current, pending)) in changers.into_iter().enumerate() {
        let mut works = None;
        for candidate in std::iter::once(current).chain(pending) {
            if let Reply::Ok(_) = setup::sign_in(api, &name, &candidate).await {
                works = Some(candidate);
                break;
            }
        }
        let mut l = ledger(shared);
        match works {
            Some(pw) => {
                l.changers[w].current = pw;
                l.changers[w].pending = None;
            }
            None => problems.push(format!(
                "{name} signs in with neither the acknowledged password nor the one in flight"
            )),
        }
    }
}
