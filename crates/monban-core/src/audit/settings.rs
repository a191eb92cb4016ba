//! Settings of the audit trail.

use super::proxies::IpNet;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditSettings {
    /// Peers whose `X-Forwarded-For` / `Forwarded` headers are believed. Empty: the source
    /// IP is always the peer address.
    pub trusted_proxies: Vec<IpNet>,
    /// Records older than this many days are pruned (behind a signed checkpoint). `None`:
    /// kept for ever.
    pub retention_days: Option<u32>,
}
