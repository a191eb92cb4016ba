//! User enumeration with PreventUserExistenceErrors=ENABLED: for sign-in, forgot-password
//! and the two confirmations, the answers an existing and an unknown user get (types and
//! messages, which must be the same) and the median latency of each over many tries,
//! interleaved at random so that drift hits both alike. Production password hashing.
//! Prints figures; fails only on different answers.

use std::collections::BTreeMap;
use std::time::Instant;

use serde_json::{json, Value};

use crate::api::{Api, Reply};
use crate::node::{Node, NodeSpec};
use crate::setup::{self, password, Rng};

/// Users of each kind the tries spread over (and as many unknown names: a name's
/// failures count, for an unknown name as for a user, so unknown names are reused alike).
const USERS: usize = 20;

#[derive(Clone, Copy)]
enum Op {
    /// ConfirmForgotPassword before any ForgotPassword: no code to check against.
    ResetNeverAsked,
    SignIn,
    ForgotPassword,
    ConfirmForgotPassword,
    ConfirmSignUp,
}

impl Op {
    /// In this order: nobody has asked for a reset code before `ForgotPassword` runs.
    const ALL: [Op; 5] = [
        Op::ResetNeverAsked,
        Op::SignIn,
        Op::ForgotPassword,
        Op::ConfirmForgotPassword,
        Op::ConfirmSignUp,
    ];

    fn name(self) -> &'static str {
        match self {
            Op::ResetNeverAsked => "ConfirmForgotPassword (never asked)",
            Op::SignIn => "InitiateAuth (wrong password)",
            Op::ForgotPassword => "ForgotPassword",
            Op::ConfirmForgotPassword => "ConfirmForgotPassword (wrong code)",
            Op::ConfirmSignUp => "ConfirmSignUp (wrong code)",
        }
    }
}

pub async fn run(spec: &NodeSpec, tries: usize) -> Result<(), String> {
    // Lockout would turn an existing user's wrong passwords into `Password attempts
    // exceeded` after five: the timing of a password check is what is measured here (the
    // lockout's own answer is reported by `nodes` and discussed in the README).
    let mut flags = spec.flags.clone();
    flags.extend(["--lockout-free-failures".to_owned(), u32::MAX.to_string()]);
    // Throttling answers by source, whoever is named: its fast refusals would only blur
    // the medians (and land on whichever kind of user the last tries happen to be).
    flags.extend(["--throttle-rate".to_owned(), "0".to_owned()]);
    let spec = NodeSpec {
        flags,
        ..spec.clone()
    };
    let node = Node::start(&spec, "timing").await?;
    let mut api = Api::new(node.addr, spec.admin.clone(), "", "");
    setup::pool_and_client(
        &mut api,
        json!({"AutoVerifiedAttributes": ["email"]}),
        json!({"PreventUserExistenceErrors": "ENABLED"}),
    )
    .await?;
    let confirmed: Vec<String> = (0..USERS).map(|i| format!("known{i}")).collect();
    for name in &confirmed {
        setup::confirmed_user(&mut api, name, &password("known")).await?;
    }
    let unconfirmed: Vec<String> = (0..USERS).map(|i| format!("pending{i}")).collect();
    let run = setup::short_id();
    let unknown_names: Vec<String> = (0..USERS).map(|i| format!("nobody{run}{i}")).collect();
    for name in &unconfirmed {
        let client_id = api.target.client_id.clone();
        api.public(
            "SignUp",
            json!({"ClientId": client_id, "Username": name, "Password": password("pending"),
                   "UserAttributes": [{"Name": "email", "Value": format!("{name}@example.com")}]}),
        )
        .await
        .ok()?;
    }
    println!(
        "timing: {tries} tries per operation and kind of user, existing and unknown interleaved at random \
         (production Argon2id; server pid {})",
        node.pid()
    );
    println!(
        "{:<36} {:>12} {:>12} {:>18}  answers",
        "operation (median)", "existing ms", "unknown ms", "unknown-existing"
    );
    let mut rng = Rng::new(0x5eed);
    let mut different = Vec::new();
    for op in Op::ALL {
        let mut times: [Vec<f64>; 2] = [Vec::new(), Vec::new()];
        let mut answers: [BTreeMap<String, u64>; 2] = Default::default();
        let mut remaining = [tries, tries];
        while remaining[0] + remaining[1] > 0 {
            let unknown = if remaining[0] == 0 {
                1
            } else if remaining[1] == 0 {
                0
            } else {
                rng.below(2) as usize
            };
            remaining[unknown] -= 1;
            let users = match op {
                _ if unknown == 1 => &unknown_names,
                Op::ConfirmSignUp => &unconfirmed,
                _ => &confirmed,
            };
            let name = users[rng.below(users.len() as u64) as usize].clone();
            let body = request(&api, op, &name);
            let started = Instant::now();
            let reply = api.public(op_name(op), body).await;
            times[unknown].push(started.elapsed().as_secs_f64() * 1000.0);
            *answers[unknown].entry(answer(&reply)).or_default() += 1;
        }
        let [known_ms, unknown_ms] = [median(&mut times[0]), median(&mut times[1])];
        let same = answers[0].keys().eq(answers[1].keys());
        println!(
            "{:<36} {known_ms:>12.2} {unknown_ms:>12.2} {:>+18.2}  {}",
            op.name(),
            unknown_ms - known_ms,
            if same {
                format!("same: {:?}", answers[0].keys().collect::<Vec<_>>())
            } else {
                format!(
                    "DIFFERENT: existing {:?}, unknown {:?}",
                    answers[0], answers[1]
                )
            }
        );
        if !same {
            different.push(op.name());
        }
    }
    if different.is_empty() {
        println!("timing: existing and unknown users get the same answers");
        Ok(())
    } else {
        Err(format!("timing: different answers for {different:?}"))
    }
}

fn op_name(op: Op) -> &'static str {
    match op {
        Op::SignIn => "InitiateAuth",
        Op::ForgotPassword => "ForgotPassword",
        Op::ResetNeverAsked | Op::ConfirmForgotPassword => "ConfirmForgotPassword",
        Op::ConfirmSignUp => "ConfirmSignUp",
    }
}

fn request(api: &Api, op: Op, name: &str) -> Value {
    let client_id = &api.target.client_id;
    match op {
        Op::SignIn => json!({"ClientId": client_id, "AuthFlow": "USER_PASSWORD_AUTH",
                             "AuthParameters": {"USERNAME": name, "PASSWORD": "Wrong-Passw0rd!"}}),
        Op::ForgotPassword => json!({"ClientId": client_id, "Username": name}),
        Op::ResetNeverAsked | Op::ConfirmForgotPassword => {
            json!({"ClientId": client_id, "Username": name, "ConfirmationCode": "000000",
                   "Password": password("reset")})
        }
        Op::ConfirmSignUp => json!({"ClientId": client_id, "Username": name,
                                    "ConfirmationCode": "000000"}),
    }
}

/// The answer as a client sees it, without what varies per user (the masked destination of
/// a code delivery).
fn answer(reply: &Reply) -> String {
    match reply {
        Reply::Ok(v) => match v.get("CodeDeliveryDetails") {
            Some(d) => format!(
                "200 CodeDeliveryDetails {} {}",
                d["DeliveryMedium"].as_str().unwrap_or("-"),
                d["AttributeName"].as_str().unwrap_or("-")
            ),
            None => "200".to_owned(),
        },
        Reply::Refused { kind, message } => format!("{kind}: {message}"),
        other => format!("{other:?}"),
    }
}

fn median(values: &mut [f64]) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}
