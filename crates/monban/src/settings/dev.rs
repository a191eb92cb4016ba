//! The settings that only development mode accepts: `ephemeral` (an in-memory database
//! that goes with the process) and `random_seed` (reproducible ids). Both are refused
//! without `dev`, so a production configuration cannot carry them by accident.

use super::Layer;

/// The database of an ephemeral server: SQLite in memory. The store keeps its single
/// SQLite connection open for good, so the data lives exactly as long as the process.
pub const EPHEMERAL_DATABASE_URL: &str = "sqlite::memory:";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DevSettings {
    pub ephemeral: bool,
    pub random_seed: Option<u64>,
}

/// The development-only settings of `layer`, with the problems they cause.
pub fn resolve_dev(layer: &Layer, problems: &mut Vec<String>) -> DevSettings {
    let dev = layer.dev.unwrap_or(false);
    let ephemeral = layer.ephemeral.unwrap_or(false);
    if ephemeral && !dev {
        problems.push(
            "ephemeral: only in development mode (--dev): an ephemeral server loses \
             everything when it stops"
                .to_owned(),
        );
    }
    if ephemeral && layer.database_url.is_some() {
        problems.push(
            "ephemeral: the database is in memory, so database_url must not be set".to_owned(),
        );
    }
    if layer.random_seed.is_some() && !dev {
        problems.push(
            "random_seed: only in development mode (--dev): seeded ids, codes and tokens are \
             predictable"
                .to_owned(),
        );
    }
    DevSettings {
        ephemeral,
        random_seed: layer.random_seed,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use crate::settings::resolve;

    use super::*;

    #[test]
    fn ephemeral_means_an_in_memory_database() {
        let s = resolve(
            Layer {
                dev: Some(true),
                ephemeral: Some(true),
                random_seed: Some(7),
                ..Layer::default()
            },
            None,
        )
        .unwrap();
        assert!(s.ephemeral);
        assert_eq!(s.random_seed, Some(7));
        assert_eq!(s.database_url, EPHEMERAL_DATABASE_URL);
        assert!(!s.database_in_data_dir());
    }

    #[test]
    fn development_settings_are_refused_without_dev() {
        let err = resolve(
            Layer {
                ephemeral: Some(true),
                random_seed: Some(7),
                ..Layer::default()
            },
            None,
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("ephemeral: only in development mode"), "{err}");
        assert!(
            err.contains("random_seed: only in development mode"),
            "{err}"
        );
    }

    #[test]
    fn ephemeral_with_a_database_url_is_refused() {
        let err = resolve(
            Layer {
                dev: Some(true),
                ephemeral: Some(true),
                database_url: Some("sqlite:///tmp/x.db".into()),
                ..Layer::default()
            },
            None,
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("database_url must not be set"), "{err}");
    }

    #[test]
    fn from_env_and_file() {
        let env = Layer::from_env([
            ("MONBAN_EPHEMERAL".to_owned(), "true".to_owned()),
            ("MONBAN_RANDOM_SEED".to_owned(), "42".to_owned()),
        ])
        .unwrap();
        assert_eq!(env.ephemeral, Some(true));
        assert_eq!(env.random_seed, Some(42));
        assert!(Layer::from_env([("MONBAN_RANDOM_SEED".to_owned(), "-1".to_owned())]).is_err());
        let file = crate::settings::file::parse(
            "version = 1\ndev = true\nephemeral = true\nrandom_seed = 9\n",
            std::path::Path::new("t.toml"),
        )
        .unwrap();
        assert_eq!((file.ephemeral, file.random_seed), (Some(true), Some(9)));
        let s = resolve(file, None).unwrap();
        let printed = crate::settings::redact::to_toml(&s).unwrap();
        assert!(printed.contains("ephemeral = true"), "{printed}");
        assert!(printed.contains("random_seed = 9"), "{printed}");
        assert!(!printed.contains("database_url"), "{printed}");
        // What `config check` prints reads back as the same settings.
        let again = resolve(
            crate::settings::file::parse(&printed, std::path::Path::new("t.toml")).unwrap(),
            None,
        )
        .unwrap();
        assert_eq!((again.ephemeral, again.random_seed), (true, Some(9)));
    }
}
