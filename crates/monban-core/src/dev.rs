//! Development-mode parts (`monban serve --dev`) that application test suites steer: a
//! clock with an adjustable offset, a seeded random generator for reproducible ids, and
//! senders that keep a copy of every message (email, SMS) in the database outbox. The
//! binary refuses them without `--dev`; nothing in production uses them.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;

use crate::cx::{Clock, Rng};
use crate::error::Error;
use crate::mail::{Email, Mailer, OutboxMailer};
use crate::sms::{OutboxSms, Sms, SmsSender};

/// Another clock moved by an offset that tests set, so that codes, sessions and tokens
/// expire without sleeping. Every expiry check reads `Cx.clock`, so all of them follow.
pub struct OffsetClock {
    base: Arc<dyn Clock>,
    offset_ms: AtomicI64,
}

impl OffsetClock {
    pub fn new(base: Arc<dyn Clock>) -> Self {
        Self {
            base,
            offset_ms: AtomicI64::new(0),
        }
    }

    /// How far (ms) this clock is ahead of its base; negative when behind.
    pub fn offset_ms(&self) -> i64 {
        self.offset_ms.load(Ordering::SeqCst)
    }

    pub fn set_offset_ms(&self, offset_ms: i64) {
        self.offset_ms.store(offset_ms, Ordering::SeqCst);
    }

    /// Moves the clock by `by_ms` (back when negative) and returns the new offset.
    pub fn advance_ms(&self, by_ms: i64) -> i64 {
        let mut current = self.offset_ms();
        loop {
            let next = current.saturating_add(by_ms);
            match self
                .offset_ms
                .compare_exchange(current, next, Ordering::SeqCst, Ordering::SeqCst)
            {
                Ok(_) => return next,
                Err(actual) => current = actual,
            }
        }
    }
}

impl Clock for OffsetClock {
    fn now_ms(&self) -> i64 {
        self.base.now_ms().saturating_add(self.offset_ms())
    }
}

/// A ChaCha20 stream from a fixed seed: the same requests in the same order get the same
/// pool ids, client ids, `sub`s and codes, so snapshot tests stay stable. Predictable by
/// design, hence development only.
pub struct SeededRng {
    seed: u64,
    stream: Mutex<ChaCha20Rng>,
}

impl SeededRng {
    pub fn new(seed: u64) -> Self {
        Self {
            seed,
            stream: Mutex::new(ChaCha20Rng::seed_from_u64(seed)),
        }
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Starts the stream again from the seed (after a reset, the first pool created gets
    /// the same id as on a fresh server).
    pub fn restart(&self) {
        let mut stream = self.stream.lock().unwrap_or_else(|e| e.into_inner());
        *stream = ChaCha20Rng::seed_from_u64(self.seed);
    }
}

impl Rng for SeededRng {
    fn fill(&self, buf: &mut [u8]) {
        // A poisoned lock means a panic between two draws: the stream itself is intact.
        let mut stream = self.stream.lock().unwrap_or_else(|e| e.into_inner());
        stream.fill_bytes(buf);
    }
}

/// Sends through `inner` (SMTP, say) and keeps a copy in the outbox, so the test-support
/// API lists every message even when real mail goes out.
pub struct OutboxCopyMailer {
    pub inner: Arc<dyn Mailer>,
    pub outbox: OutboxMailer,
}

#[async_trait]
impl Mailer for OutboxCopyMailer {
    async fn send(&self, email: Email) -> Result<(), Error> {
        // Kept only once sent: a message that failed to go out was not sent.
        self.inner.send(email.clone()).await?;
        self.outbox.send(email).await
    }

    async fn send_traced(
        &self,
        email: Email,
        meta: crate::mail::MailMeta,
    ) -> Result<Option<i64>, Error> {
        let id = self.inner.send_traced(email.clone(), meta).await?;
        self.outbox.send(email).await?;
        Ok(id)
    }
}

/// The same for text messages: sent through `inner` (a webhook), copied to the SMS outbox.
pub struct OutboxCopySms {
    pub inner: Arc<dyn SmsSender>,
    pub outbox: OutboxSms,
}

#[async_trait]
impl SmsSender for OutboxCopySms {
    async fn send(&self, sms: Sms) -> Result<(), Error> {
        self.inner.send(sms.clone()).await?;
        self.outbox.send(sms).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cx::SystemClock;

    struct Fixed(i64);

    impl Clock for Fixed {
        fn now_ms(&self) -> i64 {
            self.0
        }
    }

    #[test]
    fn the_offset_moves_the_clock_both_ways() {
        let clock = OffsetClock::new(Arc::new(Fixed(1_000_000)));
        assert_eq!(clock.now_ms(), 1_000_000);
        assert_eq!(clock.advance_ms(3_600_000), 3_600_000);
        assert_eq!(clock.now_ms(), 4_600_000);
        clock.set_offset_ms(-500);
        assert_eq!(clock.offset_ms(), -500);
        assert_eq!(clock.now_ms(), 999_500);
        assert_eq!(clock.advance_ms(i64::MAX), i64::MAX - 500);
    }

    #[test]
    fn a_zero_offset_is_the_base_clock() {
        let clock = OffsetClock::new(Arc::new(SystemClock));
        let before = SystemClock.now_ms();
        let now = clock.now_ms();
        assert!(now >= before && now - before < 60_000);
    }

    fn draw(rng: &dyn Rng) -> [u8; 16] {
        let mut buf = [0u8; 16];
        rng.fill(&mut buf);
        buf
    }

    #[test]
    fn the_same_seed_gives_the_same_stream_and_restart_replays_it() {
        let one = SeededRng::new(42);
        let two = SeededRng::new(42);
        let first = draw(&one);
        assert_eq!(first, draw(&two));
        let second = draw(&one);
        assert_ne!(first, second);
        assert_ne!(draw(&SeededRng::new(43)), first);
        one.restart();
        assert_eq!(draw(&one), first);
        assert_eq!(draw(&one), second);
        assert_eq!(one.seed(), 42);
    }
}
