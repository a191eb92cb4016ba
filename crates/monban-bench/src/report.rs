//! The printed figures.

use crate::micro::Primitives;
use crate::workloads::Workload;

pub struct Row {
    pub workload: Workload,
    pub concurrency: usize,
    pub transactions: u64,
    pub errors: u64,
    pub first_error: Option<String>,
    pub elapsed: f64,
    /// Microseconds per transaction, sorted.
    pub latencies: Vec<u32>,
    pub server_cpu: f64,
    pub client_cpu: f64,
    pub peak_rss: f64,
    pub peak_is_per_run: bool,
    /// CPU seconds of cryptography per transaction.
    pub crypto_cost: Option<f64>,
    pub cores: usize,
}

pub fn primitives(p: &Primitives, cores: usize) {
    println!("primitives (one core, this run):");
    println!(
        "  Argon2id verify m=19MiB t=2 p=1 {:8.2} ms",
        p.argon2_verify * 1e3
    );
    println!(
        "  the same on all {cores} cores at once   {:8.2} ms each",
        p.argon2_verify_all_cores * 1e3
    );
    println!(
        "  RS256 sign (aws-lc-rs, 2048)    {:8.3} ms",
        p.rs256_sign * 1e3
    );
    println!(
        "  RS256 verify                    {:8.1} µs",
        p.rs256_verify * 1e6
    );
    println!(
        "  SRP verifier g^x (3072-bit)     {:8.3} ms\n  SRP server steps (B, S, claim)  {:8.3} ms",
        p.srp_verifier * 1e3,
        p.srp_server * 1e3
    );
    println!("ceilings on {cores} cores (cryptography only, no HTTP, JSON or database):");
    for w in Workload::ALL {
        if let Some(cost) = p.cost(w) {
            println!(
                "  {:<10} {:>10.0} tx/s  ({:.3} ms of crypto per tx)",
                w.name(),
                cores as f64 / cost,
                cost * 1e3
            );
        }
    }
}

pub fn header() {
    println!(
        "{:<10} {:>4} {:>9} {:>9} {:>8} {:>8} {:>8} {:>6} {:>10} {:>10} {:>9} {:>6} {:>6} {:>10} {:>8}",
        "workload",
        "conc",
        "tx/s",
        "req/s",
        "p50 ms",
        "p99 ms",
        "p99.9 ms",
        "errors",
        "srvCPU/1k",
        "crypto/1k",
        "ceiling",
        "ratio",
        "eff",
        "cliCPU/1k",
        "peak MiB",
    );
}

fn percentile(sorted: &[u32], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    f64::from(sorted[rank - 1]) / 1000.0
}

pub fn row(r: &Row) {
    let ok = r.transactions.saturating_sub(r.errors) as f64;
    let tps = ok / r.elapsed;
    let per_k = |cpu: f64| cpu / (r.transactions.max(1) as f64) * 1000.0;
    let (crypto_k, ceiling, ratio, efficiency) = match r.crypto_cost {
        Some(cost) => {
            let ceiling = r.cores as f64 / cost;
            (
                format!("{:.3}", cost * 1000.0),
                format!("{ceiling:.0}"),
                format!("{:.2}", tps / ceiling),
                format!("{:.2}", cost * 1000.0 / per_k(r.server_cpu)),
            )
        }
        None => ("-".into(), "-".into(), "-".into(), "-".into()),
    };
    println!(
        "{:<10} {:>4} {:>9.0} {:>9.0} {:>8.2} {:>8.2} {:>8.2} {:>6} {:>10.3} {:>10} {:>9} {:>6} {:>6} {:>10.3} {:>7.1}{}",
        r.workload.name(),
        r.concurrency,
        tps,
        ok * r.workload.requests() as f64 / r.elapsed,
        percentile(&r.latencies, 0.50),
        percentile(&r.latencies, 0.99),
        percentile(&r.latencies, 0.999),
        r.errors,
        per_k(r.server_cpu),
        crypto_k,
        ceiling,
        ratio,
        efficiency,
        per_k(r.client_cpu),
        r.peak_rss,
        if r.peak_is_per_run { "" } else { "*" },
    );
    if let Some(e) = &r.first_error {
        println!("    first error: {e}");
    }
}
