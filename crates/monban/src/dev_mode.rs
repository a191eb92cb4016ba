//! What development mode (`--dev`) changes in how the server is put together: a clock the
//! test-support API can move, a seeded generator when `random_seed` is set, copies of all
//! mail in the outbox, the `/_monban/` routes, and the banner.

use std::sync::Arc;

use monban_core::dev::{OffsetClock, OutboxCopyMailer, OutboxCopySms, SeededRng};
use monban_core::mail::{Mailer, OutboxMailer};
use monban_core::sms::{OutboxSms, SmsSender};
use monban_core::store::Store;
use monban_core::{Clock, Rng, SystemClock, SystemRng};
use monban_server::{App, DevControls};

use crate::settings::Settings;

/// The clock and generator `Cx` runs on, and the handles `/_monban/` steers them by.
pub struct Runtime {
    pub clock: Arc<dyn Clock>,
    pub rng: Arc<dyn Rng>,
    /// Development mode only.
    pub controls: Option<DevControls>,
}

pub fn runtime(settings: &Settings) -> Runtime {
    if !settings.dev {
        return Runtime {
            clock: Arc::new(SystemClock),
            rng: Arc::new(SystemRng),
            controls: None,
        };
    }
    let clock = Arc::new(OffsetClock::new(Arc::new(SystemClock)));
    let seeded = settings
        .random_seed
        .map(|seed| Arc::new(SeededRng::new(seed)));
    let rng: Arc<dyn Rng> = match &seeded {
        Some(seeded) => seeded.clone(),
        None => Arc::new(SystemRng),
    };
    Runtime {
        clock: clock.clone(),
        rng,
        controls: Some(DevControls { clock, rng: seeded }),
    }
}

/// `sender` (SMTP) as is, or in development mode with a copy of every message kept in the
/// outbox, where `/_monban/messages` finds it.
pub fn keep_copies(
    settings: &Settings,
    sender: Arc<dyn Mailer>,
    store: &Arc<dyn Store>,
    clock: &Arc<dyn Clock>,
) -> Arc<dyn Mailer> {
    if !settings.dev {
        return sender;
    }
    Arc::new(OutboxCopyMailer {
        inner: sender,
        outbox: OutboxMailer {
            store: store.clone(),
            clock: clock.clone(),
        },
    })
}

/// The same for text messages: `sender` (the SMS webhook), with copies in development mode.
pub fn keep_sms_copies(
    settings: &Settings,
    sender: Arc<dyn SmsSender>,
    store: &Arc<dyn Store>,
    clock: &Arc<dyn Clock>,
) -> Arc<dyn SmsSender> {
    if !settings.dev {
        return sender;
    }
    Arc::new(OutboxCopySms {
        inner: sender,
        outbox: OutboxSms {
            store: store.clone(),
            clock: clock.clone(),
        },
    })
}

/// The router: with the test-support API in development mode.
pub fn router(app: App, controls: Option<DevControls>) -> axum::Router {
    match controls {
        Some(controls) => monban_server::dev_router(app, controls),
        None => monban_server::router(app),
    }
}

/// Printed to stderr at start in development mode.
pub fn banner(settings: &Settings) -> String {
    let mut lines = vec![
        "DEVELOPMENT MODE (--dev): ANY SigV4 signature is accepted, so anyone who".to_owned(),
        "can reach this server can call the admin APIs. NOT FOR PRODUCTION.".to_owned(),
        format!("Test-support API: {}/_monban/", settings.public_url),
    ];
    if settings.ephemeral {
        lines.push(
            "Ephemeral: the database is in memory and is gone when the server stops.".to_owned(),
        );
    }
    if let Some(seed) = settings.random_seed {
        lines.push(format!(
            "Random seed {seed}: ids, codes and tokens are predictable."
        ));
    }
    let width = lines.iter().map(|l| l.chars().count()).max().unwrap_or(0);
    let rule = "!".repeat(width + 8);
    let mut out = format!("{rule}\n");
    for line in &lines {
        let pad = width - line.chars().count();
        out.push_str(&format!("!!  {line}{}  !!\n", " ".repeat(pad)));
    }
    out.push_str(&rule);
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use crate::settings::{resolve, Layer};

    fn settings(layer: Layer) -> Settings {
        resolve(layer, None).unwrap()
    }

    #[test]
    fn production_runs_on_the_system_clock_without_controls() {
        let runtime = runtime(&settings(Layer::default()));
        assert!(runtime.controls.is_none());
    }

    #[test]
    fn development_mode_steers_the_clock_and_seeds_on_request() {
        let dev = settings(Layer {
            dev: Some(true),
            random_seed: Some(5),
            ..Layer::default()
        });
        let runtime = runtime(&dev);
        let controls = runtime.controls.unwrap();
        let before = runtime.clock.now_ms();
        controls.clock.set_offset_ms(86_400_000);
        assert!(runtime.clock.now_ms() - before >= 86_400_000);
        let seeded = controls.rng.unwrap();
        let mut from_cx = [0u8; 8];
        runtime.rng.fill(&mut from_cx);
        let mut again = [0u8; 8];
        SeededRng::new(5).fill(&mut again);
        assert_eq!(from_cx, again, "Cx draws from the seeded generator");
        assert_eq!(seeded.seed(), 5);

        let unseeded = runtime_of(Layer {
            dev: Some(true),
            ..Layer::default()
        });
        assert!(unseeded.controls.unwrap().rng.is_none());
    }

    fn runtime_of(layer: Layer) -> Runtime {
        runtime(&settings(layer))
    }

    #[test]
    fn the_banner_says_what_is_on() {
        let banner = banner(&settings(Layer {
            dev: Some(true),
            ephemeral: Some(true),
            random_seed: Some(3),
            ..Layer::default()
        }));
        assert!(banner.contains("NOT FOR PRODUCTION"), "{banner}");
        assert!(
            banner.contains("http://127.0.0.1:9876/_monban/"),
            "{banner}"
        );
        assert!(banner.contains("in memory"), "{banner}");
        assert!(banner.contains("Random seed 3"), "{banner}");
        let widths: Vec<usize> = banner.lines().map(|l| l.chars().count()).collect();
        assert!(widths.windows(2).all(|w| w[0] == w[1]), "{banner}");
    }
}
