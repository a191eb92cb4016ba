//! Scratch places of one run: a work directory (data directories, logs, the SQLite file)
//! and, on PostgreSQL, a database created beside the one the URL names and dropped at the
//! end. Kept when the run failed, for the logs.

use std::path::PathBuf;

pub struct Scratch {
    pub work: PathBuf,
    pub database_url: String,
    pub label: String,
    postgres: Option<(String, String)>,
}

fn suffix() -> String {
    uuid::Uuid::new_v4().simple().to_string()[..12].to_owned()
}

impl Scratch {
    pub async fn new(postgres: Option<&str>) -> Result<Self, String> {
        let work = std::env::temp_dir().join(format!("monban-chaos-{}", suffix()));
        std::fs::create_dir_all(&work).map_err(|e| format!("{}: {e}", work.display()))?;
        let Some(admin_url) = postgres else {
            return Ok(Self {
                database_url: format!("sqlite://{}?mode=rwc", work.join("monban.db").display()),
                label: "SQLite".to_owned(),
                work,
                postgres: None,
            });
        };
        use sqlx::{Connection as _, Executor as _};
        let name = format!("monban_chaos_{}", suffix());
        let mut conn = sqlx::PgConnection::connect(admin_url)
            .await
            .map_err(|e| format!("connect to PostgreSQL: {e}"))?;
        conn.execute(format!("CREATE DATABASE {name}").as_str())
            .await
            .map_err(|e| format!("CREATE DATABASE: {e}"))?;
        let base = admin_url.split('?').next().unwrap_or(admin_url);
        let prefix = base.rsplit_once('/').map_or(base, |(p, _)| p);
        Ok(Self {
            database_url: format!("{prefix}/{name}"),
            label: format!("PostgreSQL (scratch database {name})"),
            work,
            postgres: Some((admin_url.to_owned(), name)),
        })
    }

    /// Removes everything; on failure only the database goes and the logs stay.
    pub async fn finish(self, keep_logs: bool) {
        if let Some((admin_url, name)) = &self.postgres {
            use sqlx::{Connection as _, Executor as _};
            if let Ok(mut conn) = sqlx::PgConnection::connect(admin_url).await {
                let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                if let Err(e) = conn.execute(sql.as_str()).await {
                    eprintln!("could not drop {name}: {e}");
                }
            }
        }
        if keep_logs {
            eprintln!("logs kept in {}", self.work.display());
        } else {
            let _ = std::fs::remove_dir_all(&self.work);
        }
    }
}
