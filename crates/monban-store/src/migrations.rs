//! The schema migrations, compiled into the binary. Each backend has its own directory
//! under `migrations/`, with the same version numbers in both.

use std::borrow::Cow;
use std::future::Future;
use std::pin::Pin;

use sqlx::error::BoxDynError;
use sqlx::migrate::{Migration, MigrationSource, MigrationType};

/// (version, description, SQL)
type Step = (i64, &'static str, &'static str);

const SQLITE: &[Step] = &[
    (
        1,
        "initial",
        include_str!("../migrations/sqlite/0001_initial.sql"),
    ),
    (
        2,
        "sign in",
        include_str!("../migrations/sqlite/0002_sign_in.sql"),
    ),
    (
        3,
        "identity pools",
        include_str!("../migrations/sqlite/0003_identity_pools.sql"),
    ),
    (
        4,
        "devices",
        include_str!("../migrations/sqlite/0004_devices.sql"),
    ),
    (
        5,
        "sms outbox",
        include_str!("../migrations/sqlite/0005_sms_outbox.sql"),
    ),
    (
        6,
        "oauth",
        include_str!("../migrations/sqlite/0006_oauth.sql"),
    ),
    (
        7,
        "mail",
        include_str!("../migrations/sqlite/0007_mail.sql"),
    ),
    (
        8,
        "audit",
        include_str!("../migrations/sqlite/0008_audit.sql"),
    ),
    (
        9,
        "user import",
        include_str!("../migrations/sqlite/0009_user_import.sql"),
    ),
    (
        10,
        "hosted ui",
        include_str!("../migrations/sqlite/0010_hosted_ui.sql"),
    ),
    (
        11,
        "throttling",
        include_str!("../migrations/sqlite/0011_throttling.sql"),
    ),
];

const POSTGRES: &[Step] = &[
    (
        1,
        "initial",
        include_str!("../migrations/postgres/0001_initial.sql"),
    ),
    (
        2,
        "sign in",
        include_str!("../migrations/postgres/0002_sign_in.sql"),
    ),
    (
        3,
        "identity pools",
        include_str!("../migrations/postgres/0003_identity_pools.sql"),
    ),
    (
        4,
        "devices",
        include_str!("../migrations/postgres/0004_devices.sql"),
    ),
    (
        5,
        "sms outbox",
        include_str!("../migrations/postgres/0005_sms_outbox.sql"),
    ),
    (
        6,
        "oauth",
        include_str!("../migrations/postgres/0006_oauth.sql"),
    ),
    (
        7,
        "mail",
        include_str!("../migrations/postgres/0007_mail.sql"),
    ),
    (
        8,
        "audit",
        include_str!("../migrations/postgres/0008_audit.sql"),
    ),
    (
        9,
        "user import",
        include_str!("../migrations/postgres/0009_user_import.sql"),
    ),
    (
        10,
        "hosted ui",
        include_str!("../migrations/postgres/0010_hosted_ui.sql"),
    ),
    (
        11,
        "throttling",
        include_str!("../migrations/postgres/0011_throttling.sql"),
    ),
];

type Resolved = Result<Vec<Migration>, BoxDynError>;

#[derive(Debug, Clone, Copy)]
pub(crate) struct Migrations(&'static [Step]);

impl Migrations {
    pub(crate) const SQLITE: Self = Self(SQLITE);
    pub(crate) const POSTGRES: Self = Self(POSTGRES);
}

impl MigrationSource<'static> for Migrations {
    fn resolve(self) -> Pin<Box<dyn Future<Output = Resolved> + Send + 'static>> {
        let migrations = self
            .0
            .iter()
            .map(|&(version, description, sql)| {
                Migration::new(
                    version,
                    Cow::Borrowed(description),
                    MigrationType::Simple,
                    Cow::Borrowed(sql),
                    false,
                )
            })
            .collect();
        Box::pin(async move { Ok(migrations) })
    }
}
