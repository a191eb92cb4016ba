//! Development-mode servers ([`TestApp::start_dev`](crate::TestApp::start_dev)): what
//! `monban serve --dev` runs with, on the test harness. The clock is the harness's
//! [`FakeClock`] moved by the offset `/_monban/clock` sets; mail still reaches the
//! [`RecordingMailer`] and is also kept in the outbox, where `/_monban/messages` reads it.

use std::sync::Arc;

use monban_core::dev::{OffsetClock, OutboxCopyMailer, SeededRng};
use monban_core::mail::{Mailer, OutboxMailer};
use monban_core::store::Store;
use monban_core::Cx;
use monban_server::DevControls;

use crate::clock::FakeClock;
use crate::mailer::RecordingMailer;

/// How a development-mode test server starts.
#[derive(Debug, Clone, Copy, Default)]
pub struct DevOptions {
    /// `--random-seed`: ids, codes and tokens from a seeded generator.
    pub random_seed: Option<u64>,
}

pub(crate) struct DevParts {
    pub controls: DevControls,
    mailer: Arc<dyn Mailer>,
}

impl DevParts {
    pub(crate) fn new(
        options: DevOptions,
        base: Arc<FakeClock>,
        recorder: Arc<RecordingMailer>,
        store: Arc<dyn Store>,
    ) -> Self {
        let clock = Arc::new(OffsetClock::new(base));
        let mailer = Arc::new(OutboxCopyMailer {
            inner: recorder,
            outbox: OutboxMailer {
                store,
                clock: clock.clone(),
            },
        });
        Self {
            controls: DevControls {
                clock,
                rng: options
                    .random_seed
                    .map(|seed| Arc::new(SeededRng::new(seed))),
            },
            mailer,
        }
    }

    /// Runs `cx` on the development clock, generator and mailer.
    pub(crate) fn apply(&self, cx: &mut Cx) {
        cx.clock = self.controls.clock.clone();
        if let Some(rng) = &self.controls.rng {
            cx.rng = rng.clone();
        }
        cx.mailer = self.mailer.clone();
    }
}
