//! A clock the test moves by hand, so expiry can be tested without sleeping.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_smithy_async::time::TimeSource;
use monban_core::{Clock, SystemClock};

/// Starts at the real time; only [`FakeClock::advance`] and [`FakeClock::set_ms`] move it.
#[derive(Debug)]
pub struct FakeClock {
    now_ms: AtomicI64,
}

impl FakeClock {
    pub fn new() -> Self {
        Self::at_ms(SystemClock.now_ms())
    }

    pub fn at_ms(ms: i64) -> Self {
        Self {
            now_ms: AtomicI64::new(ms),
        }
    }

    pub fn advance(&self, by: Duration) {
        let ms = i64::try_from(by.as_millis()).unwrap_or(i64::MAX);
        self.now_ms.fetch_add(ms, Ordering::SeqCst);
    }

    pub fn set_ms(&self, ms: i64) {
        self.now_ms.store(ms, Ordering::SeqCst);
    }

    /// The clock's time as a `SystemTime`.
    pub fn system_time(&self) -> SystemTime {
        let ms = u64::try_from(self.now_ms()).unwrap_or(0);
        UNIX_EPOCH + Duration::from_millis(ms)
    }
}

/// The fake clock as the AWS SDK's time source. The server checks `X-Amz-Date` against
/// its clock, so clients sign with the same one: a test that moves the clock by days can
/// still make admin calls.
#[derive(Debug, Clone)]
pub struct SdkTimeSource(pub Arc<FakeClock>);

impl TimeSource for SdkTimeSource {
    fn now(&self) -> SystemTime {
        self.0.system_time()
    }
}

impl Default for FakeClock {
    fn default() -> Self {
        Self::new()
    }
}

impl Clock for FakeClock {
    fn now_ms(&self) -> i64 {
        self.now_ms.load(Ordering::SeqCst)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_only_when_told() {
        let clock = FakeClock::at_ms(1_000);
        assert_eq!(clock.now_ms(), 1_000);
        clock.advance(Duration::from_secs(3));
        assert_eq!(clock.now_ms(), 4_000);
        clock.set_ms(10);
        assert_eq!(clock.now_ms(), 10);
        assert_eq!(clock.system_time(), UNIX_EPOCH + Duration::from_millis(10));
    }
}
