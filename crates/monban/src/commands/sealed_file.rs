//! Passphrase encryption of backup and export files, streaming both ways.
//!
//! Layout (all integers big-endian):
//!
//! ```text
//! magic    "MONBAN-SEALED\0" (14 bytes)
//! version  1 (1 byte)
//! kdf      Argon2id: memory KiB (u32), iterations (u32), lanes (u32), salt (16 bytes)
//! nonce    prefix (19 bytes)
//! frames   flag (1 byte: 0, or 1 for the last) | length (u32) | ciphertext (length bytes)
//! ```
//!
//! The key is Argon2id(passphrase, salt). Each frame seals up to 64 KiB with
//! XChaCha20-Poly1305 under the nonce prefix | frame number (u32) | flag, with the header as
//! associated data (the STREAM construction): frames cannot be reordered, dropped, or cut
//! off after any but the last, and a changed header byte fails them all.

use std::io::{self, Read, Write};

use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use monban_core::{Rng, SystemRng};

pub const MAGIC: &[u8; 14] = b"MONBAN-SEALED\0";
const VERSION: u8 = 1;
const SALT_LEN: usize = 16;
const PREFIX_LEN: usize = 19;
const HEADER_LEN: usize = MAGIC.len() + 1 + 12 + SALT_LEN + PREFIX_LEN;
const CHUNK: usize = 64 * 1024;
const TAG_LEN: usize = 16;
/// Argon2id cost of new files: 64 MiB, 3 passes.
const MEMORY_KIB: u32 = 64 * 1024;
const ITERATIONS: u32 = 3;
const LANES: u32 = 1;
/// Costs read from a file are bounded, so a crafted header cannot exhaust the machine.
const MAX_MEMORY_KIB: u32 = 1024 * 1024;
const MAX_ITERATIONS: u32 = 64;

/// Whether `start` (the first bytes of a file) is a sealed file.
pub fn is_sealed(start: &[u8]) -> bool {
    start.starts_with(MAGIC)
}

fn derive_key(
    passphrase: &[u8],
    memory: u32,
    iterations: u32,
    lanes: u32,
    salt: &[u8],
) -> io::Result<[u8; 32]> {
    let params = Params::new(memory, iterations, lanes, Some(32))
        .map_err(|e| invalid(format!("bad key derivation parameters: {e}")))?;
    let mut key = [0u8; 32];
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(passphrase, salt, &mut key)
        .map_err(|e| invalid(format!("key derivation failed: {e}")))?;
    Ok(key)
}

fn nonce(prefix: &[u8], counter: u32, last: bool) -> XNonce {
    let mut nonce = [0u8; 24];
    nonce[..PREFIX_LEN].copy_from_slice(prefix);
    nonce[PREFIX_LEN..PREFIX_LEN + 4].copy_from_slice(&counter.to_be_bytes());
    nonce[23] = u8::from(last);
    XNonce::from(nonce)
}

fn invalid(message: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message.into())
}

/// Encrypts everything written to it into `inner`; [`finish`](Self::finish) writes the last
/// frame (a writer dropped without it leaves a file that does not decrypt).
pub struct SealWriter<W: Write> {
    inner: W,
    cipher: XChaCha20Poly1305,
    header: Vec<u8>,
    prefix: [u8; PREFIX_LEN],
    counter: u32,
    buffer: Vec<u8>,
}

impl<W: Write> SealWriter<W> {
    pub fn new(mut inner: W, passphrase: &[u8]) -> io::Result<Self> {
        let mut salt = [0u8; SALT_LEN];
        let mut prefix = [0u8; PREFIX_LEN];
        SystemRng.fill(&mut salt);
        SystemRng.fill(&mut prefix);
        let key = derive_key(passphrase, MEMORY_KIB, ITERATIONS, LANES, &salt)?;
        let mut header = Vec::with_capacity(HEADER_LEN);
        header.extend_from_slice(MAGIC);
        header.push(VERSION);
        for n in [MEMORY_KIB, ITERATIONS, LANES] {
            header.extend_from_slice(&n.to_be_bytes());
        }
        header.extend_from_slice(&salt);
        header.extend_from_slice(&prefix);
        inner.write_all(&header)?;
        Ok(Self {
            inner,
            cipher: XChaCha20Poly1305::new(&key.into()),
            header,
            prefix,
            counter: 0,
            buffer: Vec::with_capacity(CHUNK),
        })
    }

    fn frame(&mut self, last: bool) -> io::Result<()> {
        let ciphertext = self
            .cipher
            .encrypt(
                &nonce(&self.prefix, self.counter, last),
                Payload {
                    msg: &self.buffer,
                    aad: &self.header,
                },
            )
            .map_err(|_| invalid("encryption failed"))?;
        self.counter = self
            .counter
            .checked_add(1)
            .ok_or_else(|| invalid("file too large to seal"))?;
        let length = u32::try_from(ciphertext.len()).map_err(|_| invalid("frame too large"))?;
        self.inner.write_all(&[u8::from(last)])?;
        self.inner.write_all(&length.to_be_bytes())?;
        self.inner.write_all(&ciphertext)?;
        self.buffer.clear();
        Ok(())
    }

    /// Writes the last frame and returns the inner writer, flushed.
    pub fn finish(mut self) -> io::Result<W> {
        self.frame(true)?;
        self.inner.flush()?;
        Ok(self.inner)
    }
}

impl<W: Write> Write for SealWriter<W> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        let room = CHUNK - self.buffer.len();
        let taken = room.min(data.len());
        self.buffer.extend_from_slice(&data[..taken]);
        if self.buffer.len() == CHUNK {
            self.frame(false)?;
        }
        Ok(taken)
    }

    fn flush(&mut self) -> io::Result<()> {
        // A frame is written when full: flushing early would only make more of them.
        self.inner.flush()
    }
}

/// Decrypts a sealed file as it is read. Fails with a clear message on a wrong passphrase,
/// a damaged frame, or a file cut off before its last frame.
pub struct OpenReader<R: Read> {
    inner: R,
    cipher: XChaCha20Poly1305,
    header: Vec<u8>,
    prefix: [u8; PREFIX_LEN],
    counter: u32,
    plain: Vec<u8>,
    position: usize,
    done: bool,
}

impl<R: Read> OpenReader<R> {
    pub fn new(mut inner: R, passphrase: &[u8]) -> io::Result<Self> {
        let mut header = vec![0u8; HEADER_LEN];
        inner
            .read_exact(&mut header)
            .map_err(|_| invalid("not an encrypted monban file (too short)"))?;
        if !is_sealed(&header) {
            return Err(invalid("not an encrypted monban file"));
        }
        let mut at = MAGIC.len();
        if header[at] != VERSION {
            return Err(invalid(format!(
                "encrypted file version {} is not supported",
                header[at]
            )));
        }
        at += 1;
        let mut numbers = [0u32; 3];
        for n in &mut numbers {
            let mut bytes = [0u8; 4];
            bytes.copy_from_slice(&header[at..at + 4]);
            *n = u32::from_be_bytes(bytes);
            at += 4;
        }
        let [memory, iterations, lanes] = numbers;
        if memory > MAX_MEMORY_KIB || iterations > MAX_ITERATIONS || lanes > 64 {
            return Err(invalid(
                "the file asks for an unreasonable key derivation cost",
            ));
        }
        let salt = header[at..at + SALT_LEN].to_vec();
        at += SALT_LEN;
        let mut prefix = [0u8; PREFIX_LEN];
        prefix.copy_from_slice(&header[at..at + PREFIX_LEN]);
        let key = derive_key(passphrase, memory, iterations, lanes, &salt)?;
        Ok(Self {
            inner,
            cipher: XChaCha20Poly1305::new(&key.into()),
            header,
            prefix,
            counter: 0,
            plain: Vec::new(),
            position: 0,
            done: false,
        })
    }

    fn next_frame(&mut self) -> io::Result<()> {
        let cut = || invalid("the encrypted file is cut off");
        let mut head = [0u8; 5];
        self.inner.read_exact(&mut head).map_err(|_| cut())?;
        let last = match head[0] {
            0 => false,
            1 => true,
            _ => return Err(invalid("the encrypted file is damaged")),
        };
        let mut length = [0u8; 4];
        length.copy_from_slice(&head[1..]);
        let length = u32::from_be_bytes(length) as usize;
        if length > CHUNK + TAG_LEN {
            return Err(invalid("the encrypted file is damaged"));
        }
        let mut ciphertext = vec![0u8; length];
        self.inner.read_exact(&mut ciphertext).map_err(|_| cut())?;
        let first = self.counter == 0;
        self.plain = self
            .cipher
            .decrypt(
                &nonce(&self.prefix, self.counter, last),
                Payload {
                    msg: &ciphertext,
                    aad: &self.header,
                },
            )
            .map_err(|_| {
                if first {
                    invalid("wrong passphrase, or the encrypted file is damaged")
                } else {
                    invalid("the encrypted file is damaged")
                }
            })?;
        self.position = 0;
        self.counter = self.counter.checked_add(1).ok_or_else(cut)?;
        if last {
            let mut rest = [0u8; 1];
            if self.inner.read(&mut rest)? != 0 {
                return Err(invalid("the encrypted file has bytes after its last frame"));
            }
            self.done = true;
        }
        Ok(())
    }
}

impl<R: Read> Read for OpenReader<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        while self.position == self.plain.len() {
            if self.done {
                return Ok(0);
            }
            self.next_frame()?;
        }
        let n = out.len().min(self.plain.len() - self.position);
        out[..n].copy_from_slice(&self.plain[self.position..self.position + n]);
        self.position += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    fn seal(data: &[u8], passphrase: &[u8]) -> Vec<u8> {
        let mut writer = SealWriter::new(Vec::new(), passphrase).unwrap();
        writer.write_all(data).unwrap();
        writer.finish().unwrap()
    }

    fn open(sealed: &[u8], passphrase: &[u8]) -> io::Result<Vec<u8>> {
        let mut out = Vec::new();
        OpenReader::new(sealed, passphrase)?.read_to_end(&mut out)?;
        Ok(out)
    }

    #[test]
    fn round_trips_across_frames() {
        let data: Vec<u8> = (0..(3 * CHUNK + 17)).map(|i| (i % 251) as u8).collect();
        let sealed = seal(&data, b"correct horse");
        assert!(is_sealed(&sealed));
        assert_eq!(open(&sealed, b"correct horse").unwrap(), data);
        assert_eq!(open(&seal(b"", b"p"), b"p").unwrap(), b"");
    }

    #[test]
    fn wrong_passphrase_is_refused_clearly() {
        let sealed = seal(b"secret data", b"right");
        let err = open(&sealed, b"wrong").unwrap_err();
        assert!(err.to_string().contains("wrong passphrase"), "{err}");
    }

    #[test]
    fn truncation_and_tampering_are_detected() {
        let data = vec![7u8; 2 * CHUNK];
        let sealed = seal(&data, b"p");
        // Cut after the first frame: the rest is missing.
        let first_frame_end = HEADER_LEN + 5 + CHUNK + TAG_LEN;
        let err = open(&sealed[..first_frame_end], b"p").unwrap_err();
        assert!(err.to_string().contains("cut off"), "{err}");
        let mut tampered = sealed.clone();
        let last = tampered.len() - 1;
        tampered[last] ^= 1;
        assert!(open(&tampered, b"p").is_err());
        let mut header = sealed;
        header[HEADER_LEN - 1] ^= 1;
        assert!(open(&header, b"p").is_err());
    }
}
