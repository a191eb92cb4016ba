//! `monban mail dns --pool ID`: the DNS records that make a pool's mail deliverable: the
//! DKIM public key, and suggestions for SPF and DMARC, for the pool's sender domain.

use std::sync::Arc;

use monban_core::store::UserPoolStore;
use monban_server::{sender_domain, DkimSigner};

use crate::settings::Settings;

/// One TXT record to publish.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TxtRecord {
    pub name: String,
    pub value: String,
    /// What it is for, printed as a comment.
    pub note: &'static str,
}

/// The records for mail from `from`, signed by `signer` if any, relayed through
/// `smtp_host` if known.
pub fn records(from: &str, signer: Option<&DkimSigner>, smtp_host: Option<&str>) -> Vec<TxtRecord> {
    let Some(domain) = sender_domain(from) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if let Some(signer) = signer {
        let dkim_domain = signer.domain_for(from).unwrap_or_else(|| domain.clone());
        out.push(TxtRecord {
            name: format!("{}._domainkey.{dkim_domain}", signer.selector),
            value: signer.key.dns_value(),
            note: "DKIM: the public key receivers check signatures with",
        });
    }
    let relay = match smtp_host {
        Some(host) if !is_loopback(host) => format!("a:{host} "),
        _ => String::new(),
    };
    out.push(TxtRecord {
        name: domain.clone(),
        value: format!("v=spf1 mx {relay}~all"),
        note: "SPF (suggestion): the hosts allowed to send for the domain; add your relay's \
               include: if it publishes one",
    });
    out.push(TxtRecord {
        name: format!("_dmarc.{domain}"),
        value: format!("v=DMARC1; p=quarantine; adkim=r; aspf=r; rua=mailto:dmarc@{domain}"),
        note: "DMARC (suggestion): what receivers do with mail that fails both; start with \
               p=none to watch the reports first",
    });
    out
}

fn is_loopback(host: &str) -> bool {
    host == "localhost" || host.starts_with("127.") || host == "::1"
}

pub async fn run(settings: &Settings, pool_id: &str) -> anyhow::Result<()> {
    let store = Arc::new(super::super::open_store(settings).await?);
    let pool = store
        .get_user_pool(pool_id)
        .await
        .map_err(|e| anyhow::anyhow!("cannot read the user pool: {e}"))?
        .ok_or_else(|| anyhow::anyhow!("no user pool {pool_id}"))?;
    let cx = super::super::command_cx(settings, store);
    let (from, _) = monban_core::users::email_sender(&cx, &pool);
    let signer = settings.mail.dkim.for_pool(Some(pool_id));
    let smtp_host = settings.smtp.as_ref().map(|s| s.host.as_str());
    let records = records(&from, signer, smtp_host);
    if records.is_empty() {
        anyhow::bail!("the pool's sender {from:?} has no domain");
    }
    println!("; mail of {pool_id} comes from {from}");
    if signer.is_none() {
        println!(
            "; no DKIM key is configured (--dkim-key-file or [mail] dkim_key_file): mail goes \
             out unsigned"
        );
    }
    for r in &records {
        println!("; {}\n{}. IN TXT {}", r.note, r.name, quoted(&r.value));
    }
    Ok(())
}

/// A TXT value in zone-file form: quoted, split into strings of at most 255 characters.
fn quoted(value: &str) -> String {
    let chunks: Vec<String> = value
        .as_bytes()
        .chunks(255)
        .map(|c| format!("\"{}\"", String::from_utf8_lossy(c)))
        .collect();
    chunks.join(" ")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use monban_server::DkimKey;

    use super::*;

    #[test]
    fn records_name_the_selector_domain_and_key() {
        let key = DkimKey::parse("AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=").unwrap();
        let signer = DkimSigner {
            key: key.clone(),
            selector: "s1".into(),
            domain: None,
        };
        let r = records(
            "Example <no-reply@mail.example.com>",
            Some(&signer),
            Some("smtp.example.net"),
        );
        assert_eq!(r.len(), 3);
        assert_eq!(r[0].name, "s1._domainkey.mail.example.com");
        assert_eq!(r[0].value, key.dns_value());
        assert_eq!(r[1].value, "v=spf1 mx a:smtp.example.net ~all");
        assert_eq!(r[2].name, "_dmarc.mail.example.com");
        let unsigned = records("a@b.example", None, Some("127.0.0.1"));
        assert_eq!(unsigned[0].value, "v=spf1 mx ~all");
        assert!(records("nobody", None, None).is_empty());
    }

    #[test]
    fn long_values_are_split_into_strings() {
        let value = "x".repeat(300);
        let q = quoted(&value);
        assert_eq!(q, format!("\"{}\" \"{}\"", "x".repeat(255), "x".repeat(45)));
    }
}
