//! Progress of long commands on stderr, only when stderr is a terminal (so logs and pipes
//! stay clean), redrawn at most a few times a second.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

const EVERY: Duration = Duration::from_millis(200);

pub struct Progress {
    enabled: bool,
    shown: Option<Instant>,
}

impl Progress {
    pub fn on_terminal() -> Self {
        Self {
            enabled: std::io::stderr().is_terminal(),
            shown: None,
        }
    }

    /// Redraws the line with `text` unless it was drawn a moment ago.
    pub fn show(&mut self, text: impl FnOnce() -> String) {
        if !self.enabled || self.shown.is_some_and(|at| at.elapsed() < EVERY) {
            return;
        }
        self.shown = Some(Instant::now());
        let mut err = std::io::stderr().lock();
        // Progress is best effort: a failed write to the terminal must not fail the command.
        let _ = write!(err, "\r\x1b[2K{}", text());
        let _ = err.flush();
    }

    /// Ends the progress line.
    pub fn finish(&mut self) {
        if self.enabled && self.shown.is_some() {
            let _ = writeln!(std::io::stderr());
        }
    }
}

/// `1234567` as `1,234,567`.
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut groups: Vec<&str> = Vec::new();
    let mut end = digits.len();
    while end > 3 {
        groups.push(&digits[end - 3..end]);
        end -= 3;
    }
    groups.push(&digits[..end]);
    groups.reverse();
    groups.join(",")
}

#[cfg(test)]
mod tests {
    use super::count;

    #[test]
    fn counts_are_grouped() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1000), "1,000");
        assert_eq!(count(1_234_567), "1,234,567");
    }
}
