//! DKIM keys: signing is lettre's (`lettre::message::dkim`); monban loads the key, picks
//! the selector and domain per pool, and prints the DNS record that publishes the key.

use std::collections::HashMap;
use std::fmt;

use base64::Engine;
use lettre::message::dkim::{
    DkimCanonicalization, DkimCanonicalizationType, DkimConfig, DkimSigningAlgorithm,
    DkimSigningKey,
};
use lettre::message::header::HeaderName;
use rsa::pkcs1::{DecodeRsaPrivateKey, EncodeRsaPrivateKey};
use rsa::pkcs8::{DecodePrivateKey, EncodePublicKey};
use rsa::RsaPrivateKey;

/// A private key: RSA (PEM, PKCS#1 or PKCS#8) or Ed25519 (the 32-byte seed in base64, as
/// RFC 8463 keys are commonly kept). Kept in the form lettre reads.
#[derive(Clone)]
pub struct DkimKey {
    algorithm: DkimSigningAlgorithm,
    /// PKCS#1 PEM for RSA, base64 seed for Ed25519. Secret.
    private: String,
    /// The `p=` of the DNS record.
    public: String,
}

impl fmt::Debug for DkimKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DkimKey")
            .field("algorithm", &self.algorithm_name())
            .field("public", &self.public)
            .finish_non_exhaustive()
    }
}

impl DkimKey {
    /// Reads the text of a key file; the error says what was expected, never the key.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if text.starts_with("-----BEGIN") {
            let key = RsaPrivateKey::from_pkcs1_pem(text)
                .or_else(|_| RsaPrivateKey::from_pkcs8_pem(text))
                .map_err(|_| {
                    "not an RSA private key in PEM (PKCS#1 or PKCS#8); Ed25519 keys are \
                     given as the base64 of their 32-byte seed"
                        .to_owned()
                })?;
            let private = key
                .to_pkcs1_pem(Default::default())
                .map_err(|e| format!("cannot re-encode the RSA key: {e}"))?
                .to_string();
            let public = key
                .to_public_key()
                .to_public_key_der()
                .map_err(|e| format!("cannot encode the RSA public key: {e}"))?;
            return Ok(Self {
                algorithm: DkimSigningAlgorithm::Rsa,
                private,
                public: base64::engine::general_purpose::STANDARD.encode(public.as_bytes()),
            });
        }
        let seed: [u8; 32] = base64::engine::general_purpose::STANDARD
            .decode(text)
            .ok()
            .and_then(|bytes| bytes.try_into().ok())
            .ok_or_else(|| {
                "not a key: expected an RSA private key in PEM or an Ed25519 seed (32 bytes, \
                 base64)"
                    .to_owned()
            })?;
        let signing = ed25519_dalek::SigningKey::from_bytes(&seed);
        Ok(Self {
            algorithm: DkimSigningAlgorithm::Ed25519,
            private: text.to_owned(),
            public: base64::engine::general_purpose::STANDARD
                .encode(signing.verifying_key().as_bytes()),
        })
    }

    /// `rsa` or `ed25519`, as the DNS record's `k=` says.
    pub fn algorithm_name(&self) -> &'static str {
        match self.algorithm {
            DkimSigningAlgorithm::Rsa => "rsa",
            DkimSigningAlgorithm::Ed25519 => "ed25519",
        }
    }

    /// The TXT value to publish at `{selector}._domainkey.{domain}`.
    pub fn dns_value(&self) -> String {
        format!("v=DKIM1; k={}; p={}", self.algorithm_name(), self.public)
    }

    fn signing_key(&self) -> Result<DkimSigningKey, String> {
        DkimSigningKey::new(&self.private, self.algorithm)
            .map_err(|e| format!("DKIM key unusable: {e}"))
    }
}

/// A key with the selector it is published under and the domain it signs for (`None`:
/// the domain of each message's From address).
#[derive(Debug, Clone)]
pub struct DkimSigner {
    pub key: DkimKey,
    pub selector: String,
    pub domain: Option<String>,
}

impl DkimSigner {
    /// The `d=` for a message from `from` (an address, maybe with a display name).
    pub fn domain_for(&self, from: &str) -> Option<String> {
        self.domain.clone().or_else(|| sender_domain(from))
    }

    /// lettre's signing configuration for a message from `from`.
    pub(crate) fn config(&self, from: &str) -> Result<DkimConfig, String> {
        let domain = self
            .domain_for(from)
            .ok_or_else(|| format!("no DKIM domain for sender {from:?}"))?;
        // relaxed/relaxed: a relay that refolds a header or re-spaces a line does not break
        // the signature (and lettre's simple header form does not survive its own folding).
        Ok(DkimConfig::new(
            self.selector.clone(),
            domain,
            self.key.signing_key()?,
            ["From", "Subject", "To", "Date"]
                .into_iter()
                .map(HeaderName::new_from_ascii_str)
                .collect(),
            DkimCanonicalization {
                header: DkimCanonicalizationType::Relaxed,
                body: DkimCanonicalizationType::Relaxed,
            },
        ))
    }
}

/// The domain of an address such as `Name <a@example.com>` or `a@example.com`, lower-cased.
pub fn sender_domain(from: &str) -> Option<String> {
    let address = match (from.rfind('<'), from.rfind('>')) {
        (Some(open), Some(close)) if open < close => &from[open + 1..close],
        _ => from,
    };
    address
        .trim()
        .rsplit_once('@')
        .map(|(_, domain)| domain.trim().to_ascii_lowercase())
        .filter(|d| !d.is_empty())
}

/// Which signer signs a pool's mail: the pool's own, else the server-wide one, else none.
#[derive(Debug, Clone, Default)]
pub struct DkimSigners {
    pub default: Option<DkimSigner>,
    pub pools: HashMap<String, DkimSigner>,
}

impl DkimSigners {
    pub fn for_pool(&self, pool_id: Option<&str>) -> Option<&DkimSigner> {
        pool_id
            .and_then(|id| self.pools.get(id))
            .or(self.default.as_ref())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    #[test]
    fn an_ed25519_seed_gives_its_public_key() {
        let seed = base64::engine::general_purpose::STANDARD.encode([7u8; 32]);
        let key = DkimKey::parse(&format!("{seed}\n")).unwrap();
        assert_eq!(key.algorithm_name(), "ed25519");
        let public = ed25519_dalek::SigningKey::from_bytes(&[7u8; 32]).verifying_key();
        assert_eq!(
            key.dns_value(),
            format!(
                "v=DKIM1; k=ed25519; p={}",
                base64::engine::general_purpose::STANDARD.encode(public.as_bytes())
            )
        );
        assert!(!format!("{key:?}").contains(&seed));
    }

    #[test]
    fn garbage_is_refused_without_echoing_it() {
        let err = DkimKey::parse("c2VjcmV0").unwrap_err();
        assert!(!err.contains("c2VjcmV0"), "{err}");
        assert!(
            DkimKey::parse("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----").is_err()
        );
    }

    #[test]
    fn the_domain_comes_from_the_sender_unless_configured() {
        assert_eq!(
            sender_domain("Example <No-Reply@Mail.Example.COM>").as_deref(),
            Some("mail.example.com")
        );
        assert_eq!(sender_domain("nobody"), None);
        let seed = base64::engine::general_purpose::STANDARD.encode([1u8; 32]);
        let signer = DkimSigner {
            key: DkimKey::parse(&seed).unwrap(),
            selector: "s1".into(),
            domain: None,
        };
        assert_eq!(
            signer.domain_for("a@b.example").as_deref(),
            Some("b.example")
        );
        let pinned = DkimSigner {
            domain: Some("example.org".into()),
            ..signer.clone()
        };
        let signers = DkimSigners {
            default: Some(signer),
            pools: HashMap::from([("p1".to_owned(), pinned)]),
        };
        let for_p1 = signers.for_pool(Some("p1")).unwrap();
        assert_eq!(
            for_p1.domain_for("a@b.example").as_deref(),
            Some("example.org")
        );
        assert_eq!(signers.for_pool(Some("p2")).unwrap().domain, None);
        assert!(DkimSigners::default().for_pool(None).is_none());
    }
}
