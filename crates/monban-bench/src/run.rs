//! Runs each workload at each concurrency for a bounded time and count, and measures it.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::client::{Conn, Target};
use crate::micro::Primitives;
use crate::procfs;
use crate::report::{self, Row};
use crate::workloads::{username, Client, Tokens, Workload};

pub struct Plan {
    pub target: Arc<Target>,
    pub users: usize,
    pub duration: Duration,
    pub max_transactions: u64,
    pub server_pid: String,
}

pub async fn all(
    plan: &Plan,
    workloads: &[Workload],
    concurrencies: &[usize],
    primitives: &Primitives,
    cores: usize,
) -> Result<(), String> {
    tokio::time::sleep(Duration::from_millis(500)).await;
    let idle = procfs::rss_mib(&plan.server_pid).map_or(f64::NAN, |(rss, _)| rss);
    println!("server RSS idle: {idle:.1} MiB (after seeding)");

    let clients = concurrencies.iter().copied().max().unwrap_or(1);
    let tokens = if workloads.iter().any(|w| w.needs_tokens()) {
        sign_in(plan, clients).await?
    } else {
        Vec::new()
    };
    let tokens = Arc::new(Mutex::new(tokens));
    report::header();
    for &w in workloads {
        for &c in concurrencies {
            if w == Workload::Storm && c < 2 {
                // Half the clients sign in, half are timed: one client is no storm.
                println!("{:<8} {c:>6}  (needs a concurrency of 2 or more)", w.name());
                continue;
            }
            let row = one(plan, w, c, &tokens, primitives, cores).await;
            report::row(&row);
        }
    }
    Ok(())
}

/// Signs `n` different users in (untimed), for the workloads that start from tokens.
async fn sign_in(plan: &Plan, n: usize) -> Result<Vec<Tokens>, String> {
    let mut client = Client::new(Conn::new(plan.target.addr), 1, None);
    let mut tokens = Vec::with_capacity(n);
    for i in 0..n {
        tokens.push(
            client
                .password(&plan.target, &username(i % plan.users.max(1)))
                .await?,
        );
    }
    Ok(tokens)
}

async fn one(
    plan: &Plan,
    w: Workload,
    concurrency: usize,
    tokens: &Arc<Mutex<Vec<Tokens>>>,
    primitives: &Primitives,
    cores: usize,
) -> Row {
    let pid = plan.server_pid.as_str();
    let peak_reset = procfs::reset_peak(pid);
    let cpu_before = procfs::cpu_seconds(pid).unwrap_or(f64::NAN);
    let self_before = procfs::cpu_seconds("self").unwrap_or(f64::NAN);
    let issued = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let deadline = started + plan.duration;
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..concurrency {
        let start_tokens = if w.needs_tokens() {
            tokens
                .lock()
                .ok()
                .and_then(|t| t.get(i % t.len().max(1)).cloned())
        } else {
            None
        };
        let target = plan.target.clone();
        let issued = issued.clone();
        let (users, max) = (plan.users, plan.max_transactions);
        tasks.spawn(async move {
            let mut client = Client::new(Conn::new(target.addr), i as u64 + 7, start_tokens);
            let mut latencies = Vec::new();
            let mut errors = 0u64;
            let mut first_error = None;
            if w == Workload::Storm && i % 2 == 0 {
                errors = client.sign_in_forever(&target, users, deadline).await;
                return (i, latencies, errors, first_error, client.tokens);
            }
            while Instant::now() < deadline && issued.fetch_add(1, Ordering::Relaxed) < max {
                let t0 = Instant::now();
                let outcome = client.run(w, &target, users).await;
                latencies.push(u32::try_from(t0.elapsed().as_micros()).unwrap_or(u32::MAX));
                if let Err(e) = outcome {
                    errors += 1;
                    first_error.get_or_insert(e);
                }
            }
            (i, latencies, errors, first_error, client.tokens)
        });
    }
    let mut latencies = Vec::new();
    let mut errors = 0;
    let mut first_error = None;
    while let Some(joined) = tasks.join_next().await {
        let Ok((i, mut l, e, first, end_tokens)) = joined else {
            errors += 1;
            continue;
        };
        latencies.append(&mut l);
        errors += e;
        if first_error.is_none() {
            first_error = first;
        }
        // A rotated refresh token replaces the one the next run starts from.
        if let (Some(new), Ok(mut pool)) = (end_tokens, tokens.lock()) {
            if let Some(slot) = pool.get_mut(i) {
                *slot = new;
            }
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    let server_cpu = procfs::cpu_seconds(pid).unwrap_or(f64::NAN) - cpu_before;
    let client_cpu = procfs::cpu_seconds("self").unwrap_or(f64::NAN) - self_before;
    let (_, peak) = procfs::rss_mib(pid).unwrap_or((f64::NAN, f64::NAN));
    latencies.sort_unstable();
    Row {
        workload: w,
        concurrency,
        transactions: latencies.len() as u64,
        errors,
        first_error,
        elapsed,
        latencies,
        server_cpu,
        client_cpu,
        peak_rss: peak,
        peak_is_per_run: peak_reset,
        crypto_cost: primitives.cost(w),
        cores,
    }
}
