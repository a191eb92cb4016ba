use std::fmt;

/// Why an SRP step failed. The variants are precise so that the sign-in flow can choose
/// Cognito's error for each; the messages are safe to log (no secret goes into them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SrpError {
    /// `SRP_A` is not hex, is longer than 6144 bits, or is 0 mod N.
    BadA,
    /// u = H(PAD(A) ‖ PAD(B)) is zero; SRP-6a says to abort.
    ZeroScrambler,
    /// `TIMESTAMP` is not in Cognito's format.
    BadTimestamp,
    /// `TIMESTAMP` is further from the server's clock than [`super::MAX_TIMESTAMP_SKEW_MS`].
    TimestampSkew,
    /// `PASSWORD_CLAIM_SIGNATURE` is not base64 of 32 bytes.
    MalformedSignature,
    /// The signature is well formed but wrong: wrong password (or device secret).
    SignatureMismatch,
    /// A stored salt/verifier, or a `DeviceSecretVerifierConfig`, is not a valid one.
    BadVerifier,
    /// The SECRET_BLOCK is not one this server sealed for this pool and client: not base64,
    /// an unknown version, tampered with, or sealed under another key.
    SecretBlockInvalid,
    /// The SECRET_BLOCK is authentic but its lifetime is over.
    SecretBlockExpired,
    /// A field to seal in a SECRET_BLOCK is too long for its format.
    SecretBlockTooLarge,
    /// The random source kept producing unusable values (b = 0 or B = 0 mod N).
    RandomnessFailure,
}

impl fmt::Display for SrpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SrpError::BadA => "SRP_A is not a valid SRP public value",
            SrpError::ZeroScrambler => "SRP scrambling parameter is zero",
            SrpError::BadTimestamp => "TIMESTAMP is not in the expected format",
            SrpError::TimestampSkew => "TIMESTAMP is too far from the server time",
            SrpError::MalformedSignature => "PASSWORD_CLAIM_SIGNATURE is not a valid signature",
            SrpError::SignatureMismatch => "password claim signature does not match",
            SrpError::BadVerifier => "SRP salt or verifier is not valid",
            SrpError::SecretBlockInvalid => "SECRET_BLOCK is not valid",
            SrpError::SecretBlockExpired => "SECRET_BLOCK has expired",
            SrpError::SecretBlockTooLarge => "SECRET_BLOCK state is too large",
            SrpError::RandomnessFailure => "random source produced unusable SRP values",
        })
    }
}

impl std::error::Error for SrpError {}
