//! The real `monban serve` as a child process: started on a free port with its own data
//! directory and log, killed with SIGKILL (never a graceful stop), restarted on the same
//! database.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use monban_server::AdminKey;

use crate::client::Conn;

/// How to start a node.
#[derive(Clone)]
pub struct NodeSpec {
    pub bin: PathBuf,
    pub database_url: String,
    pub admin: AdminKey,
    /// Scratch directory: each node gets a data directory and a log file under it.
    pub work: PathBuf,
    /// More `monban serve` flags.
    pub flags: Vec<String>,
}

pub struct Node {
    child: Child,
    pub addr: SocketAddr,
    pub log: PathBuf,
}

const STARTUP: Duration = Duration::from_secs(60);

impl Node {
    /// Starts node `name` and waits until `/health` answers 200.
    pub async fn start(spec: &NodeSpec, name: &str) -> Result<Node, String> {
        let data_dir = spec.work.join(format!("{name}-data"));
        std::fs::create_dir_all(&data_dir).map_err(|e| format!("{}: {e}", data_dir.display()))?;
        let log = spec.work.join(format!("{name}.log"));
        let port = free_port()?;
        let addr: SocketAddr = ([127, 0, 0, 1], port).into();
        let out = open_log(&log)?;
        let err = out.try_clone().map_err(|e| e.to_string())?;
        let mut command = Command::new(&spec.bin);
        // MONBAN_* variables of the caller would override the flags: the program decides.
        for (key, _) in std::env::vars_os() {
            if key.to_string_lossy().starts_with("MONBAN_") {
                command.env_remove(key);
            }
        }
        let child = command
            .args(["serve", "--listen", &addr.to_string(), "--data-dir"])
            .arg(&data_dir)
            .args(["--database-url", &spec.database_url, "--log-level", "warn"])
            .args(&spec.flags)
            // The admin key in the environment, off the command line.
            .env(
                "MONBAN_ADMIN_KEYS",
                format!(
                    "{}:{}",
                    spec.admin.access_key_id, spec.admin.secret_access_key
                ),
            )
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .map_err(|e| format!("start {}: {e}", spec.bin.display()))?;
        let mut node = Node { child, addr, log };
        node.wait_healthy().await?;
        Ok(node)
    }

    async fn wait_healthy(&mut self) -> Result<(), String> {
        let deadline = Instant::now() + STARTUP;
        let mut conn = Conn::new(self.addr);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!(
                    "monban exited ({status}) while starting; log {}:\n{}",
                    self.log.display(),
                    tail(&self.log)
                ));
            }
            let request = hyper::Request::get("/health")
                .header("host", self.addr.to_string())
                .body(http_body_util::Full::new(hyper::body::Bytes::new()));
            if let Ok(request) = request {
                if let Ok((200, _)) = conn.send(request).await {
                    return Ok(());
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Err(format!(
            "monban not healthy after {STARTUP:?}; log {}",
            self.log.display()
        ))
    }

    /// SIGKILL: no shutdown hook, no drain, no flush.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        self.kill();
    }
}

fn free_port() -> Result<u16, String> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| e.to_string())
}

fn open_log(path: &Path) -> Result<std::fs::File, String> {
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// The last lines of a log, for error messages.
pub fn tail(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(20)..].join("\n")
}
