//! The hash chain: record `n` stores `hash(n, hash of record n-1, body)`. Hashing the
//! sequence number makes a renumbered record fail its own check, so a deletion cannot be
//! hidden by closing the gap; a record that checks out under a neighbour's number was moved.

use sha2::{Digest, Sha256};

use super::event::AuditEvent;

/// `prev_hash` of the first record ever written.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// How far [`verify`] looks for the true place of a record that fails under its own number.
const REORDER_WINDOW: i64 = 16;

/// The hash of record `seq` following `prev_hash`: lowercase hex SHA-256.
pub fn link_hash(seq: i64, prev_hash: &str, body: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(b"monban-audit-v1\n");
    hasher.update(seq.to_string().as_bytes());
    hasher.update(b"\n");
    hasher.update(prev_hash.as_bytes());
    hasher.update(b"\n");
    hasher.update(body.as_bytes());
    hex::encode(hasher.finalize())
}

/// One stored record. `pool_id`, `sub` and `time_ms` are the store's index columns, copies
/// of the body's; [`verify`] checks that they still agree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    pub seq: i64,
    pub time_ms: i64,
    pub pool_id: Option<String>,
    pub sub: Option<String>,
    pub body: String,
    pub prev_hash: String,
    pub hash: String,
}

impl AuditRecord {
    pub fn event(&self) -> Result<AuditEvent, serde_json::Error> {
        AuditEvent::from_body(&self.body)
    }

    fn hashes_as(&self, seq: i64) -> bool {
        link_hash(seq, &self.prev_hash, &self.body) == self.hash
    }

    fn index_matches_body(&self) -> bool {
        self.event().is_ok_and(|e| {
            e.time_ms == self.time_ms && e.pool_id == self.pool_id && e.sub == self.sub
        })
    }
}

/// The newest record's number and hash, kept beside the records (updated in the same
/// transaction as each append), so that deleting the newest records is noticed too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainHead {
    pub last_seq: i64,
    pub last_hash: String,
}

/// The first thing wrong with a chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    /// The record's content (or its hash) was changed.
    Altered { seq: i64 },
    /// The record is missing.
    Deleted { seq: i64 },
    /// The record stands where another belongs (it checks out as record `belongs_at`).
    Reordered { seq: i64, belongs_at: i64 },
    /// The record checks out alone but does not follow the one before it (the chain was
    /// rebuilt from here).
    Unlinked { seq: i64 },
    /// The checkpoint of pruned records is not signed by this server's secret.
    BadCheckpoint,
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Altered { seq } => write!(f, "record {seq} was altered"),
            Self::Deleted { seq } => write!(f, "record {seq} was deleted"),
            Self::Reordered { seq, belongs_at } => write!(
                f,
                "record {seq} was reordered (its content belongs at {belongs_at})"
            ),
            Self::Unlinked { seq } => {
                write!(f, "record {seq} does not follow the record before it")
            }
            Self::BadCheckpoint => f.write_str("the pruning checkpoint's signature is invalid"),
        }
    }
}

/// A verification in progress: feed the records in sequence order, then [`finish`].
///
/// [`finish`]: Verified::finish
#[derive(Debug, Clone)]
pub struct Verified {
    next_seq: i64,
    prev_hash: String,
    /// Records checked so far.
    pub count: u64,
}

impl Verified {
    /// Starts after a (verified) checkpoint, or at the beginning of time.
    pub fn start(checkpoint: Option<(i64, &str)>) -> Self {
        let (last, hash) = checkpoint.unwrap_or((0, GENESIS_HASH));
        Self {
            next_seq: last.saturating_add(1),
            prev_hash: hash.to_owned(),
            count: 0,
        }
    }

    /// The sequence number the next record must have.
    pub fn next_seq(&self) -> i64 {
        self.next_seq
    }

    pub fn push(&mut self, record: &AuditRecord) -> Result<(), Finding> {
        let expected = self.next_seq;
        if record.seq > expected {
            return Err(Finding::Deleted { seq: expected });
        }
        if record.seq < expected {
            // Two records with one number cannot be stored; treat a step back as a move.
            return Err(Finding::Reordered {
                seq: record.seq,
                belongs_at: expected,
            });
        }
        if !record.hashes_as(record.seq) {
            let moved = (record.seq - REORDER_WINDOW..=record.seq + REORDER_WINDOW)
                .filter(|&s| s != record.seq && s > 0)
                .find(|&s| record.hashes_as(s));
            return Err(match moved {
                Some(belongs_at) => Finding::Reordered {
                    seq: record.seq,
                    belongs_at,
                },
                None => Finding::Altered { seq: record.seq },
            });
        }
        if !record.index_matches_body() {
            return Err(Finding::Altered { seq: record.seq });
        }
        if record.prev_hash != self.prev_hash {
            return Err(Finding::Unlinked { seq: record.seq });
        }
        self.prev_hash.clone_from(&record.hash);
        self.next_seq = record.seq.saturating_add(1);
        self.count += 1;
        Ok(())
    }

    /// Checks the end of the chain against the head: records deleted from the end show
    /// here.
    pub fn finish(&self, head: Option<&ChainHead>) -> Result<(), Finding> {
        let Some(head) = head else {
            return match self.count {
                0 => Ok(()),
                // Records without a head: the head row was removed.
                _ => Err(Finding::Unlinked {
                    seq: self.next_seq - 1,
                }),
            };
        };
        let last_seen = self.next_seq - 1;
        if head.last_seq > last_seen {
            return Err(Finding::Deleted { seq: self.next_seq });
        }
        if head.last_seq < last_seen || head.last_hash != self.prev_hash {
            return Err(Finding::Unlinked { seq: last_seen });
        }
        Ok(())
    }
}

/// Verifies a whole chain held in memory (the CLI streams through [`Verified`] instead).
pub fn verify(
    checkpoint: Option<(i64, &str)>,
    records: &[AuditRecord],
    head: Option<&ChainHead>,
) -> Result<u64, Finding> {
    let mut state = Verified::start(checkpoint);
    for record in records {
        state.push(record)?;
    }
    state.finish(head)?;
    Ok(state.count)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn chain(n: i64) -> (Vec<AuditRecord>, ChainHead) {
        let mut prev = GENESIS_HASH.to_owned();
        let mut records = Vec::new();
        for seq in 1..=n {
            let mut event = AuditEvent::new(format!("e{seq}"), 1000 + seq, "GetUser");
            event.pool_id = Some("p".into());
            let body = event.to_body().unwrap();
            let hash = link_hash(seq, &prev, &body);
            records.push(AuditRecord {
                seq,
                time_ms: 1000 + seq,
                pool_id: Some("p".into()),
                sub: None,
                body,
                prev_hash: prev,
                hash: hash.clone(),
            });
            prev = hash;
        }
        let head = ChainHead {
            last_seq: n,
            last_hash: prev,
        };
        (records, head)
    }

    #[test]
    fn an_intact_chain_verifies() {
        let (records, head) = chain(5);
        assert_eq!(verify(None, &records, Some(&head)), Ok(5));
        assert_eq!(verify(None, &[], None), Ok(0));
    }

    #[test]
    fn an_altered_record_is_named() {
        let (mut records, head) = chain(5);
        records[2].body = records[2].body.replace("GetUser", "ListUsers");
        assert_eq!(
            verify(None, &records, Some(&head)),
            Err(Finding::Altered { seq: 3 })
        );
        let (mut records, head) = chain(5);
        records[1].pool_id = Some("other".into());
        assert_eq!(
            verify(None, &records, Some(&head)),
            Err(Finding::Altered { seq: 2 })
        );
    }

    #[test]
    fn deleted_records_are_named_in_the_middle_and_at_the_end() {
        let (mut records, head) = chain(5);
        records.remove(1);
        assert_eq!(
            verify(None, &records, Some(&head)),
            Err(Finding::Deleted { seq: 2 })
        );
        let (mut records, head) = chain(5);
        records.pop();
        assert_eq!(
            verify(None, &records, Some(&head)),
            Err(Finding::Deleted { seq: 5 })
        );
        // Closing the gap by renumbering breaks the renumbered record's own hash.
        let (mut records, head) = chain(5);
        records.remove(1);
        for r in &mut records[1..] {
            r.seq -= 1;
        }
        assert!(matches!(
            verify(None, &records, Some(&head)),
            Err(Finding::Reordered { seq: 2, .. })
        ));
    }

    #[test]
    fn swapped_records_are_named() {
        let (mut records, head) = chain(5);
        let (a, b) = (records[1].clone(), records[2].clone());
        records[1] = AuditRecord { seq: 2, ..b };
        records[2] = AuditRecord { seq: 3, ..a };
        assert_eq!(
            verify(None, &records, Some(&head)),
            Err(Finding::Reordered {
                seq: 2,
                belongs_at: 3
            })
        );
    }

    #[test]
    fn verification_starts_at_a_checkpoint() {
        let (records, head) = chain(5);
        let cp = (2, records[1].hash.as_str());
        assert_eq!(verify(Some(cp), &records[2..], Some(&head)), Ok(3));
        assert_eq!(
            verify(Some(cp), &records[3..], Some(&head)),
            Err(Finding::Deleted { seq: 3 })
        );
    }
}
