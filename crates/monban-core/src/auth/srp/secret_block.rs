//! SECRET_BLOCK: the server's half of an SRP exchange, sealed into the challenge so that the
//! client's answer can be checked without a Session (pycognito sends none; srp.md §2).
//! XChaCha20-Poly1305 under a 32-byte server key with a random 192-bit nonce: the block is
//! confidential (it holds b), authenticated, and carries its own expiry.
//!
//! Layout: `0x01` (version) ‖ nonce (24) ‖ ciphertext ‖ tag (16). The plaintext is a
//! fixed sequence of fields, strings and byte strings prefixed with a big-endian u16 length.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;

use super::exchange::{PublicA, ServerEphemeral};
use super::SrpError;
use crate::auth::BASE64_LENIENT;
use crate::cx::Rng;
use crate::sealed;

pub const SECRET_BLOCK_KEY_LEN: usize = sealed::KEY_LEN;

/// Binds the ciphertext to its purpose and format version.
const AAD: &[u8] = b"monban SRP SECRET_BLOCK v1";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SrpKind {
    /// PASSWORD_VERIFIER: the user's password.
    Password,
    /// DEVICE_PASSWORD_VERIFIER: a remembered device's secret.
    Device,
}

/// The server state of one SRP exchange. `Debug` does not show b.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SrpState {
    pub kind: SrpKind,
    pub pool_id: String,
    pub client_id: String,
    /// The internal username (`USERNAME` / `USER_ID_FOR_SRP` of the challenge).
    pub username: String,
    /// For `Device`, the device being proven; for `Password`, the `DEVICE_KEY` the client
    /// sent with its SRP_A, if any.
    pub device_key: Option<String>,
    /// Free for the sign-in flow (which flow started the exchange, and the like).
    pub context: String,
    pub a: PublicA,
    pub ephemeral: ServerEphemeral,
    /// Epoch milliseconds from which the block no longer opens.
    pub expires_at_ms: i64,
}

/// An authentic, unexpired SECRET_BLOCK.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenedSecretBlock {
    pub state: SrpState,
    /// Unique per sealing (hex of the nonce). The block can be presented again until it
    /// expires: record this id when a claim is accepted to make it single-use.
    pub id: String,
}

/// Seals `state` under `key`; the result is the `SECRET_BLOCK` challenge parameter.
pub fn seal_secret_block(
    key: &[u8; SECRET_BLOCK_KEY_LEN],
    rng: &dyn Rng,
    state: &SrpState,
) -> Result<String, SrpError> {
    let plaintext = encode(state)?;
    let block = sealed::seal(key, rng, AAD, &plaintext).ok_or(SrpError::SecretBlockTooLarge)?;
    Ok(STANDARD.encode(block))
}

/// Opens a `PASSWORD_CLAIM_SECRET_BLOCK`: it must have been sealed under `key` for this pool
/// and client, and not be expired at `now_ms`. The caller still checks `state.username`
/// against the request's `USERNAME`.
pub fn open_secret_block(
    key: &[u8; SECRET_BLOCK_KEY_LEN],
    secret_block: &str,
    pool_id: &str,
    client_id: &str,
    now_ms: i64,
) -> Result<OpenedSecretBlock, SrpError> {
    let block = BASE64_LENIENT
        .decode(secret_block)
        .map_err(|_| SrpError::SecretBlockInvalid)?;
    let (nonce, plaintext) = sealed::open(key, AAD, &block).ok_or(SrpError::SecretBlockInvalid)?;
    let state = decode(&plaintext).ok_or(SrpError::SecretBlockInvalid)?;
    if state.pool_id != pool_id || state.client_id != client_id {
        return Err(SrpError::SecretBlockInvalid);
    }
    if now_ms >= state.expires_at_ms {
        return Err(SrpError::SecretBlockExpired);
    }
    Ok(OpenedSecretBlock {
        state,
        id: hex::encode(nonce),
    })
}

fn encode(state: &SrpState) -> Result<Vec<u8>, SrpError> {
    let mut out = Vec::with_capacity(1024);
    out.push(match state.kind {
        SrpKind::Password => 1,
        SrpKind::Device => 2,
    });
    out.extend_from_slice(&state.expires_at_ms.to_be_bytes());
    for field in [&state.pool_id, &state.client_id, &state.username] {
        put(&mut out, field.as_bytes())?;
    }
    match &state.device_key {
        Some(device_key) => {
            out.push(1);
            put(&mut out, device_key.as_bytes())?;
        }
        None => out.push(0),
    }
    put(&mut out, state.context.as_bytes())?;
    put(&mut out, state.a.pad_bytes())?;
    put(&mut out, &state.ephemeral.public_pad())?;
    out.extend_from_slice(&state.ephemeral.secret_bytes());
    Ok(out)
}

fn put(out: &mut Vec<u8>, bytes: &[u8]) -> Result<(), SrpError> {
    let len = u16::try_from(bytes.len()).map_err(|_| SrpError::SecretBlockTooLarge)?;
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(bytes);
    Ok(())
}

fn decode(plaintext: &[u8]) -> Option<SrpState> {
    let mut r = Reader(plaintext);
    let kind = match r.take(1)?[0] {
        1 => SrpKind::Password,
        2 => SrpKind::Device,
        _ => return None,
    };
    let expires_at_ms = i64::from_be_bytes(r.take(8)?.try_into().ok()?);
    let pool_id = r.string()?;
    let client_id = r.string()?;
    let username = r.string()?;
    let device_key = match r.take(1)?[0] {
        0 => None,
        1 => Some(r.string()?),
        _ => return None,
    };
    let context = r.string()?;
    let a = PublicA::from_bytes(r.bytes()?).ok()?;
    let big_b = r.bytes()?;
    let b: &[u8; 32] = r.take(32)?.try_into().ok()?;
    let ephemeral = ServerEphemeral::from_parts(b, big_b)?;
    if !r.0.is_empty() {
        return None;
    }
    Some(SrpState {
        kind,
        pool_id,
        client_id,
        username,
        device_key,
        context,
        a,
        ephemeral,
        expires_at_ms,
    })
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.0.len() < n {
            return None;
        }
        let (head, tail) = self.0.split_at(n);
        self.0 = tail;
        Some(head)
    }

    fn bytes(&mut self) -> Option<&'a [u8]> {
        let len = u16::from_be_bytes(self.take(2)?.try_into().ok()?);
        self.take(usize::from(len))
    }

    fn string(&mut self) -> Option<String> {
        String::from_utf8(self.bytes()?.to_vec()).ok()
    }
}
