//! monban-bench: starts monban (a child process running this same binary, so that the
//! server's CPU time and memory are read apart from the load generator's), seeds a pool
//! with N users, drives it over HTTP at several concurrencies, and prints throughput,
//! latency, CPU per request and memory beside the ceilings that micro-benchmarks of the
//! cryptography measured in the same run imply. Loopback only; bounded in time and count.
//!
//! ```text
//! cargo run --release -p monban-bench -- [--backend sqlite | --backend postgres URL]
//!     [--users 1000] [--concurrency 1,16,64] [--duration 3] [--workload password,getuser,…]
//! ```

mod client;
mod micro;
mod procfs;
mod report;
mod run;
mod server;
mod workloads;

// The client half of SRP, shared with the integration tests rather than copied.
#[allow(dead_code, clippy::expect_used, clippy::unwrap_used)]
#[path = "../../monban-testkit/tests/integration/sign_in/srp_client.rs"]
mod srp_client;

/// mimalloc instead of glibc's malloc: the request paths allocate and free many small
/// buffers across threads (HTTP, JSON, SQLite rows), where glibc's arenas cost about a
/// tenth of the CPU (bench profiles).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::io::BufRead as _;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use clap::Parser;
use monban_server::AdminKey;

use crate::workloads::Workload;

/// Environment of the child: the admin key the parent signs with (kept off the command line).
const ADMIN_ID_ENV: &str = "MONBAN_BENCH_ADMIN_ID";
const ADMIN_SECRET_ENV: &str = "MONBAN_BENCH_ADMIN_SECRET";

#[derive(Parser, Debug)]
#[command(about = "Load-test monban over HTTP against the cost of its cryptography")]
struct Cli {
    /// `sqlite` (a scratch file), or `postgres URL` (a scratch database is created next to
    /// the one URL names, and dropped at the end).
    #[arg(long, num_args = 1..=2, default_values = ["sqlite"])]
    backend: Vec<String>,
    /// Users seeded in the pool.
    #[arg(long, default_value_t = 1000)]
    users: usize,
    /// Simultaneous clients, one keep-alive connection each.
    #[arg(long, value_delimiter = ',', default_values_t = [1, 16, 64])]
    concurrency: Vec<usize>,
    /// Seconds per workload and concurrency.
    #[arg(long, default_value_t = 3.0)]
    duration: f64,
    /// Transactions per workload and concurrency at most.
    #[arg(long, default_value_t = 200_000)]
    max_requests: u64,
    /// signup, password, srp, refresh, getuser, listusers, mixed (default: all).
    #[arg(long, value_delimiter = ',')]
    workload: Vec<String>,
    /// Internal: run as the server process on this database URL.
    #[arg(long, hide = true)]
    serve_child: Option<String>,
}

fn main() {
    let cli = Cli::parse();
    let result = match cli.serve_child.clone() {
        Some(db) => child_main(db, cli.users),
        None => parent_main(cli),
    };
    if let Err(e) = result {
        eprintln!("monban-bench: {e}");
        std::process::exit(1);
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())
}

fn child_main(db: String, users: usize) -> Result<(), String> {
    let env = |name: &str| std::env::var(name).map_err(|_| format!("{name} is not set"));
    let admin = AdminKey {
        access_key_id: env(ADMIN_ID_ENV)?,
        secret_access_key: env(ADMIN_SECRET_ENV)?,
    };
    runtime()?.block_on(server::serve_child(server::ChildArgs { db, users, admin }))
}

/// The server process; killed (by its own pid) when dropped.
struct ServerProcess(Child);

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn parent_main(cli: Cli) -> Result<(), String> {
    let workloads = if cli.workload.is_empty() {
        Workload::ALL.to_vec()
    } else {
        cli.workload
            .iter()
            .map(|w| Workload::parse(w).ok_or_else(|| format!("unknown workload {w}")))
            .collect::<Result<Vec<_>, _>>()?
    };
    if cli.concurrency.iter().any(|&c| c == 0 || c > 1024) {
        return Err("--concurrency: between 1 and 1024".to_owned());
    }
    let duration = Duration::from_secs_f64(cli.duration.clamp(0.1, 600.0));
    let cores = std::thread::available_parallelism().map_or(1, usize::from);

    eprintln!("micro-benchmarks of the primitives (one core)…");
    let primitives = micro::measure()?;
    report::primitives(&primitives, cores);

    let rt = runtime()?;
    let database = match cli.backend.first().map(String::as_str) {
        Some("sqlite") | None => Database::sqlite()?,
        Some("postgres") => {
            let url = cli.backend.get(1).ok_or("--backend postgres needs a URL")?;
            rt.block_on(Database::postgres(url))?
        }
        Some(other) => return Err(format!("unknown backend {other}")),
    };
    let outcome = bench(
        &cli,
        &rt,
        &database,
        &workloads,
        duration,
        &primitives,
        cores,
    );
    rt.block_on(database.drop_scratch());
    outcome
}

fn bench(
    cli: &Cli,
    rt: &tokio::runtime::Runtime,
    database: &Database,
    workloads: &[Workload],
    duration: Duration,
    primitives: &micro::Primitives,
    cores: usize,
) -> Result<(), String> {
    let admin = random_admin_key();
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let started = std::time::Instant::now();
    let mut child = Command::new(exe)
        .args([
            "--serve-child",
            &database.url,
            "--users",
            &cli.users.to_string(),
        ])
        .env(ADMIN_ID_ENV, &admin.access_key_id)
        .env(ADMIN_SECRET_ENV, &admin.secret_access_key)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("start the server: {e}"))?;
    let stdout = child.stdout.take().ok_or("no stdout from the server")?;
    let server = ServerProcess(child);
    let pid = server.0.id().to_string();
    let mut line = String::new();
    std::io::BufReader::new(stdout)
        .read_line(&mut line)
        .map_err(|e| e.to_string())?;
    let ready: Vec<&str> = line.split_whitespace().collect();
    let [_, addr, pool_id, client_id, seeded, m2m_id, m2m_secret, m2m_scope] = ready[..] else {
        return Err(format!("the server did not start (it said {line:?})"));
    };
    println!(
        "server pid {pid} on {addr} ({}, {} users seeded in {seeded} s, ready {:.1} s after start)",
        database.label,
        cli.users,
        started.elapsed().as_secs_f64()
    );
    let target = client::Target {
        addr: addr.parse().map_err(|e| format!("address {addr}: {e}"))?,
        pool_id: pool_id.to_owned(),
        client_id: client_id.to_owned(),
        admin,
        m2m_client_id: m2m_id.to_owned(),
        m2m_client_secret: m2m_secret.to_owned(),
        m2m_scope: m2m_scope.to_owned(),
    };
    let plan = run::Plan {
        target: std::sync::Arc::new(target),
        users: cli.users,
        duration,
        max_transactions: cli.max_requests,
        server_pid: pid,
    };
    rt.block_on(run::all(
        &plan,
        workloads,
        &cli.concurrency,
        primitives,
        cores,
    ))
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

/// The scratch database of one run: a SQLite file in a fresh directory, or a PostgreSQL
/// database created beside the given one.
struct Database {
    url: String,
    label: String,
    scratch: Scratch,
}

enum Scratch {
    Dir(std::path::PathBuf),
    Postgres { admin_url: String, name: String },
}

impl Database {
    fn sqlite() -> Result<Self, String> {
        let dir = std::env::temp_dir().join(format!(
            "monban-bench-{}",
            &uuid::Uuid::new_v4().simple().to_string()[..12]
        ));
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        Ok(Self {
            url: format!("sqlite://{}?mode=rwc", dir.join("bench.db").display()),
            label: "SQLite".to_owned(),
            scratch: Scratch::Dir(dir),
        })
    }

    async fn postgres(admin_url: &str) -> Result<Self, String> {
        use sqlx::{Connection as _, Executor as _};
        let name = format!(
            "monban_bench_{}",
            &uuid::Uuid::new_v4().simple().to_string()[..12]
        );
        let mut conn = sqlx::PgConnection::connect(admin_url)
            .await
            .map_err(|e| format!("connect {}: {e}", server::redact(admin_url)))?;
        conn.execute(format!("CREATE DATABASE {name}").as_str())
            .await
            .map_err(|e| format!("CREATE DATABASE: {e}"))?;
        let base = admin_url.split('?').next().unwrap_or(admin_url);
        let prefix = base.rsplit_once('/').map_or(base, |(p, _)| p);
        Ok(Self {
            url: format!("{prefix}/{name}"),
            label: format!("PostgreSQL (scratch database {name})"),
            scratch: Scratch::Postgres {
                admin_url: admin_url.to_owned(),
                name,
            },
        })
    }

    async fn drop_scratch(&self) {
        match &self.scratch {
            Scratch::Dir(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Scratch::Postgres { admin_url, name } => {
                use sqlx::{Connection as _, Executor as _};
                match sqlx::PgConnection::connect(admin_url).await {
                    Ok(mut conn) => {
                        let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                        if let Err(e) = conn.execute(sql.as_str()).await {
                            eprintln!("could not drop {name}: {e}");
                        }
                    }
                    Err(e) => eprintln!("could not drop {name}: {e}"),
                }
            }
        }
    }
}
