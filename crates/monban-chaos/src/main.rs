//! monban-chaos: reliability programs that drive the real `monban` binary (a child process
//! per node) over HTTP and print what they found; non-zero exit on any violation.
//!
//! ```text
//! cargo build -p monban -p monban-chaos
//! target/debug/monban-chaos crash  [--postgres URL] [--rounds 50] [--workers 8]
//! target/debug/monban-chaos nodes  --postgres URL [--writers 8]
//! target/debug/monban-chaos timing [--postgres URL] [--tries 2000]
//! ```
//!
//! - `crash`: SIGKILL under concurrent SignUp / AdminCreateUser / ChangePassword /
//!   AdminAddUserToGroup load, restart, check every acknowledged write and the invariants.
//! - `nodes`: two nodes on one PostgreSQL database: challenge sessions and revocations
//!   crossing nodes, lockout counted across nodes, and clients retrying on the surviving
//!   node after the other is killed mid-run.
//! - `timing`: PreventUserExistenceErrors: answers and median latencies for existing and
//!   unknown users.
//!
//! The binary under test is `--bin`, else `MONBAN_BIN`, else `monban` next to this program.

// The benchmark's HTTP client and SigV4 signer, and the testkit's SRP client, shared rather
// than copied.
#[allow(dead_code)]
#[path = "../../monban-bench/src/client.rs"]
mod client;
#[allow(dead_code, clippy::expect_used, clippy::unwrap_used)]
#[path = "../../monban-testkit/tests/integration/sign_in/srp_client.rs"]
mod srp_client;

mod api;
mod crash;
mod node;
mod nodes;
mod scratch;
mod setup;
mod timing;

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use monban_server::AdminKey;

use crate::node::NodeSpec;
use crate::scratch::Scratch;

#[derive(Parser, Debug)]
#[command(about = "Kill monban, run it on two nodes, time its answers: and check nothing is lost")]
struct Cli {
    /// The monban binary [default: MONBAN_BIN, else `monban` beside this program]
    #[arg(long, global = true)]
    bin: Option<PathBuf>,
    /// Run on PostgreSQL: a scratch database is created beside the one this URL names, and
    /// dropped at the end [default: SQLite in a scratch directory]
    #[arg(long, global = true, value_name = "URL")]
    postgres: Option<String>,
    /// Seed of the random choices (printed; the same seed repeats the choices)
    #[arg(long, global = true)]
    seed: Option<u64>,
    #[command(subcommand)]
    program: Program,
}

#[derive(Subcommand, Debug)]
enum Program {
    /// SIGKILL under write load, restart, check (both backends)
    Crash {
        #[arg(long, default_value_t = 50)]
        rounds: usize,
        /// Concurrent clients
        #[arg(long, default_value_t = 8)]
        workers: usize,
        /// Longest load before a kill, in milliseconds (each round picks 100..this)
        #[arg(long, default_value_t = 1500)]
        max_load_ms: u64,
    },
    /// Two nodes on one PostgreSQL database (needs --postgres)
    Nodes {
        /// Concurrent writers during the kill
        #[arg(long, default_value_t = 8)]
        writers: usize,
        /// Seconds of load in all, the second node being killed halfway
        #[arg(long, default_value_t = 4.0)]
        load_secs: f64,
    },
    /// Existing against unknown users with PreventUserExistenceErrors=ENABLED
    Timing {
        /// Tries per operation and kind of user
        #[arg(long, default_value_t = 2000)]
        tries: usize,
    },
}

fn main() {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("monban-chaos: {e}");
            std::process::exit(1);
        }
    };
    if let Err(e) = runtime.block_on(run(cli)) {
        eprintln!("monban-chaos: {e}");
        std::process::exit(1);
    }
}

async fn run(cli: Cli) -> Result<(), String> {
    let bin = match cli.bin.clone() {
        Some(bin) => bin,
        None => match std::env::var_os("MONBAN_BIN") {
            Some(bin) => PathBuf::from(bin),
            None => std::env::current_exe()
                .map_err(|e| e.to_string())?
                .with_file_name("monban"),
        },
    };
    if !bin.is_file() {
        return Err(format!(
            "monban binary not found at {}: `cargo build -p monban` (or --bin)",
            bin.display()
        ));
    }
    if matches!(cli.program, Program::Nodes { .. }) && cli.postgres.is_none() {
        return Err("nodes: --postgres URL is needed (nodes share a PostgreSQL database)".into());
    }
    let seed = cli.seed.unwrap_or_else(|| {
        let id = uuid::Uuid::new_v4();
        u64::from_le_bytes(id.as_bytes()[..8].try_into().unwrap_or_default())
    });
    let scratch = Scratch::new(cli.postgres.as_deref()).await?;
    println!("monban-chaos: {} on {}", bin.display(), scratch.label);
    let spec = NodeSpec {
        bin,
        database_url: scratch.database_url.clone(),
        admin: random_admin_key(),
        work: scratch.work.clone(),
        flags: Vec::new(),
    };
    let outcome = match cli.program {
        Program::Crash {
            rounds,
            workers,
            max_load_ms,
        } => {
            let spec = NodeSpec {
                // Cheap hashing: this is about durability, and more writes per round.
                flags: cheap_hashing(),
                ..spec
            };
            crash::run(
                &spec,
                &crash::CrashArgs {
                    rounds,
                    workers: workers.max(1),
                    max_load_ms,
                    seed,
                },
            )
            .await
        }
        Program::Nodes { writers, load_secs } => {
            let spec = NodeSpec {
                flags: cheap_hashing(),
                ..spec
            };
            nodes::run(&spec, writers.max(1), load_secs.clamp(0.5, 600.0), seed).await
        }
        Program::Timing { tries } => timing::run(&spec, tries.max(1)).await,
    };
    scratch.finish(outcome.is_err()).await;
    outcome
}

fn cheap_hashing() -> Vec<String> {
    ["--argon2-memory-kib", "1024", "--argon2-iterations", "1"]
        .map(str::to_owned)
        .to_vec()
}

fn random_admin_key() -> AdminKey {
    let id = uuid::Uuid::new_v4().simple().to_string().to_uppercase();
    let secret = format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    );
    AdminKey {
        access_key_id: format!("AKIA{}", &id[..16]),
        secret_access_key: secret[..40].to_owned(),
    }
}
