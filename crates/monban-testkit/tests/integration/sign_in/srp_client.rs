//! The client half of Cognito's SRP, as amazon-cognito-identity-js and pycognito compute
//! it (srp.md §3), written independently of the server's code (plain `num-bigint`) and
//! checked against the reference vector.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use num_bigint::BigUint;
use sha2::{Digest, Sha256};

/// The 3072-bit group of RFC 5054 (srp.md §1).
const N_HEX: &str = concat!(
    "ffffffffffffffffc90fdaa22168c234c4c6628b80dc1cd129024e088a67cc74",
    "020bbea63b139b22514a08798e3404ddef9519b3cd3a431b302b0a6df25f1437",
    "4fe1356d6d51c245e485b576625e7ec6f44c42e9a637ed6b0bff5cb6f406b7ed",
    "ee386bfb5a899fa5ae9f24117c4b1fe649286651ece45b3dc2007cb8a163bf05",
    "98da48361c55d39a69163fa8fd24cf5f83655d23dca3ad961c62f356208552bb",
    "9ed529077096966d670c354e4abc9804f1746c08ca18217c32905e462e36ce3b",
    "e39e772c180e86039b2783a2ec07a28fb5c55df06f4c52c9de2bcbf695581718",
    "3995497cea956ae515d2261898fa051015728e5a8aaac42dad33170d04507a33",
    "a85521abdf1cba64ecfb850458dbef0a8aea71575d060c7db3970f85a6e1e4c7",
    "abf5ae8cdb0933d71e8c94e04a25619dcee3d2261ad2ee6bf12ffa06d98a0864",
    "d87602733ec86a64521f2b18177b200cbbe117577a615d6c770988c0bad946e2",
    "08e24fa074e5ab3143db5bfce0fd108e4b82d120a93ad2caffffffffffffffff",
);

fn hex_int(hex: &str) -> BigUint {
    BigUint::parse_bytes(hex.as_bytes(), 16).expect("hex integer")
}

/// Cognito's padHex: the minimal two's-complement big-endian bytes.
fn pad(n: &BigUint) -> Vec<u8> {
    let bytes = n.to_bytes_be();
    if bytes[0] & 0x80 != 0 {
        [&[0u8][..], &bytes].concat()
    } else {
        bytes
    }
}

fn sha256(parts: &[&[u8]]) -> Vec<u8> {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p);
    }
    h.finalize().to_vec()
}

fn hmac(key: &[u8], parts: &[&[u8]]) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("any key length");
    for p in parts {
        mac.update(p);
    }
    mac.finalize().into_bytes().to_vec()
}

/// What PASSWORD_VERIFIER's challenge parameters give the client.
pub struct ServerChallenge<'a> {
    pub pool_id: &'a str,
    pub user_id_for_srp: &'a str,
    pub salt_hex: &'a str,
    pub srp_b_hex: &'a str,
    pub secret_block: &'a str,
}

pub struct SrpClient {
    a: BigUint,
    big_a: BigUint,
}

impl SrpClient {
    /// A client with a fresh 128-byte secret a (not reduced mod N, as the JS SDK does).
    pub fn new() -> Self {
        let bytes: Vec<u8> = (0..8)
            .flat_map(|_| *uuid::Uuid::new_v4().as_bytes())
            .collect();
        Self::with_a(BigUint::from_bytes_be(&bytes))
    }

    pub fn with_a(a: BigUint) -> Self {
        let big_a = BigUint::from(2u8).modpow(&a, &hex_int(N_HEX));
        Self { a, big_a }
    }

    /// `SRP_A`: lowercase hex, unpadded.
    pub fn srp_a(&self) -> String {
        format!("{:x}", self.big_a)
    }

    /// `PASSWORD_CLAIM_SIGNATURE` for `password` at `timestamp`.
    pub fn signature(&self, c: &ServerChallenge<'_>, password: &str, timestamp: &str) -> String {
        let pool_name = c.pool_id.split('_').nth(1).expect("pool name");
        self.realm_signature(pool_name, c, password, timestamp)
    }

    /// DEVICE_PASSWORD_VERIFIER's `PASSWORD_CLAIM_SIGNATURE` (srp.md §5): the same math with
    /// the device group key in place of the pool name, and the device key (in
    /// `c.user_id_for_srp`) in place of the username.
    pub fn device_signature(
        &self,
        device_group_key: &str,
        c: &ServerChallenge<'_>,
        device_password: &str,
        timestamp: &str,
    ) -> String {
        self.realm_signature(device_group_key, c, device_password, timestamp)
    }

    fn realm_signature(
        &self,
        realm: &str,
        c: &ServerChallenge<'_>,
        password: &str,
        timestamp: &str,
    ) -> String {
        let n = hex_int(N_HEX);
        let g = BigUint::from(2u8);
        let k = BigUint::from_bytes_be(&sha256(&[&pad(&n), &pad(&g)]));
        let big_b = hex_int(c.srp_b_hex);
        let u = BigUint::from_bytes_be(&sha256(&[&pad(&self.big_a), &pad(&big_b)]));
        assert!(u != BigUint::from(0u8), "u must not be zero");
        let x = private_x(realm, c.user_id_for_srp, password, c.salt_hex);
        let kgx = (&k * g.modpow(&x, &n)) % &n;
        let base = ((&big_b % &n) + &n - kgx) % &n;
        let s = base.modpow(&(&self.a + &u * &x), &n);
        let prk = hmac(&pad(&u), &[&pad(&s)]);
        let key = &hmac(&prk, &[b"Caldera Derived Key", &[1]])[..16];
        let block = STANDARD
            .decode(c.secret_block)
            .expect("SECRET_BLOCK is base64");
        STANDARD.encode(hmac(
            key,
            &[
                realm.as_bytes(),
                c.user_id_for_srp.as_bytes(),
                &block,
                timestamp.as_bytes(),
            ],
        ))
    }
}

/// x = H(PAD(salt) ‖ H(realm ‖ user ‖ ":" ‖ password)).
fn private_x(realm: &str, user: &str, password: &str, salt_hex: &str) -> BigUint {
    let inner = sha256(&[realm.as_bytes(), user.as_bytes(), b":", password.as_bytes()]);
    BigUint::from_bytes_be(&sha256(&[&pad(&hex_int(salt_hex)), &inner]))
}

/// What amazon-cognito-identity-js sends to ConfirmDevice for a device secret
/// (`generateHashDevice`): `(Salt, PasswordVerifier)`, both base64 of PAD bytes.
pub fn device_verifier_config(
    device_group_key: &str,
    device_key: &str,
    device_password: &str,
    salt: &[u8],
) -> (String, String) {
    let salt_pad = pad(&BigUint::from_bytes_be(salt));
    let x = private_x(
        device_group_key,
        device_key,
        device_password,
        &hex_of(&salt_pad),
    );
    let v = BigUint::from(2u8).modpow(&x, &hex_int(N_HEX));
    (STANDARD.encode(&salt_pad), STANDARD.encode(pad(&v)))
}

fn hex_of(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn the_client_reproduces_the_reference_vector() {
    let v: serde_json::Value = serde_json::from_str(include_str!(
        "../../../../monban-core/src/auth/srp/test-vector.json"
    ))
    .unwrap();
    let s = |name: &str| v[name].as_str().unwrap().to_owned();
    let client = SrpClient::with_a(hex_int(&s("a")));
    assert_eq!(client.srp_a(), s("SRP_A").trim_start_matches('0'));
    let signature = client.signature(
        &ServerChallenge {
            pool_id: &s("pool_id"),
            user_id_for_srp: &s("USER_ID_FOR_SRP"),
            salt_hex: &s("SALT"),
            srp_b_hex: &s("SRP_B"),
            secret_block: &s("SECRET_BLOCK"),
        },
        &s("password"),
        &s("TIMESTAMP"),
    );
    assert_eq!(signature, s("PASSWORD_CLAIM_SIGNATURE"));
}
