//! Known test vectors, each made by an implementation other than the one under test.
#![allow(clippy::unwrap_used)]

use super::*;

/// Stores, reads back, and checks the right and a wrong password.
fn round_trip(hash: ForeignHash, password: &str) {
    let stored = hash.to_stored().unwrap();
    let back = ForeignHash::from_stored(&stored).unwrap();
    assert!(back.verify(password).unwrap(), "{stored}");
    assert!(!back.verify(&format!("{password}x")).unwrap(), "{stored}");
}

#[test]
fn bcrypt_openbsd_vector_in_every_prefix() {
    // OpenBSD's test vector: "U*U" at cost 5.
    for prefix in ["$2a$", "$2b$", "$2y$"] {
        let hash = format!("{prefix}05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW");
        round_trip(ForeignHash::Bcrypt { hash }, "U*U");
    }
}

#[test]
fn pbkdf2_rfc6070_sha1_vector() {
    // RFC 6070: "password", salt "salt", 4096 iterations, 20 bytes.
    round_trip(
        ForeignHash::Pbkdf2 {
            algorithm: Pbkdf2Digest::Sha1,
            iterations: 4096,
            salt: "c2FsdA==".to_owned(),
            value: "SwB5AbdlSJq+rUnZJvch0GWkKcE=".to_owned(),
        },
        "password",
    );
}

#[test]
fn pbkdf2_keycloak_credentials() {
    // Keycloak's defaults (27500 iterations, 64-byte value), made with Python's hashlib.
    let salt = "a2V5Y2xvYWstc2FsdC0xNg==";
    let sha256 =
        "NVjeEcgRRP4nEDQ6ViNR3q8ACXl+K1ZcApHBFG+ZSf8hebtbJKqCmoI0X8Gmaf+GkdCmBWxu9JCqsj+DCdHtVQ==";
    let sha512 =
        "Bc0QQ0fSoqorDUS+IRAoVrHZ2jN9uGhOi8Eq9jYc0q5J/EyPaoOKBYXXpc7jkebwzVm/zMTap6/9jwHzdV/b4A==";
    for (algorithm, value) in [
        (Pbkdf2Digest::Sha256, sha256),
        (Pbkdf2Digest::Sha512, sha512),
    ] {
        round_trip(
            ForeignHash::Pbkdf2 {
                algorithm,
                iterations: 27500,
                salt: salt.to_owned(),
                value: value.to_owned(),
            },
            "Keycloak-Passw0rd",
        );
    }
    // Keycloak's algorithm names as they appear in its credential data.
    let parsed: ForeignHash = serde_json::from_str(&format!(
        r#"{{"format":"pbkdf2","algorithm":"pbkdf2-sha256","iterations":27500,
            "salt":"{salt}","value":"{sha256}"}}"#
    ))
    .unwrap();
    assert_eq!(
        parsed,
        ForeignHash::Pbkdf2 {
            algorithm: Pbkdf2Digest::Sha256,
            iterations: 27500,
            salt: salt.to_owned(),
            value: sha256.to_owned()
        }
    );
}

#[test]
fn firebase_scrypt_published_vector() {
    // github.com/firebase/scrypt's example.
    round_trip(
        ForeignHash::FirebaseScrypt {
            hash: "lSrfV15cpx95/sZS2W9c9Kp6i/LVgQNDNC/qzrCnh1SAyZvqmZqAjTdn3aoItz+VHjoZilo78198JAdRuid5lQ==".to_owned(),
            salt: "42xEC+ixf3L2lw==".to_owned(),
            signer_key: "jxspr8Ki0RYycVU8zykbdLGjFQ3McFUH0uiiTvC8pVMXAn210wjLNmdZJzxUECKbm0QsEmYUSDzZvpjeJ9WmXA==".to_owned(),
            salt_separator: "Bw==".to_owned(),
            rounds: 8,
            mem_cost: 14,
        },
        "user1password",
    );
}

#[test]
fn argon2id_from_another_implementation() {
    // Made with Python's `cryptography` (the reference C implementation).
    round_trip(
        ForeignHash::Argon2 {
            hash: "$argon2id$v=19$m=1024,t=2,p=1$YXJnb24yLXRlc3Qtc2FsdA$4whSk9Hwb41lEpE8yERGr0yUrRJ2nZ1PKu43Tkzs+88".to_owned(),
        },
        "Argon2-Passw0rd",
    );
}

#[test]
fn malformed_or_costly_hashes_are_refused_at_import() {
    let refused = [
        ForeignHash::Bcrypt {
            hash: "$2x$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW".to_owned(),
        },
        ForeignHash::Bcrypt {
            hash: "$2b$31$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW".to_owned(),
        },
        ForeignHash::Argon2 {
            hash: "$argon2id$v=19$m=4194304,t=2,p=1$YXJnb24yLXRlc3Qtc2FsdA$4whSk9Hwb41lEpE8yERGr0yUrRJ2nZ1PKu43Tkzs+88".to_owned(),
        },
        ForeignHash::Argon2 {
            hash: "not a hash".to_owned(),
        },
        ForeignHash::Pbkdf2 {
            algorithm: Pbkdf2Digest::Sha256,
            iterations: 0,
            salt: "c2FsdA==".to_owned(),
            value: "SwB5AbdlSJq+rUnZJvch0GWkKcE=".to_owned(),
        },
        ForeignHash::Pbkdf2 {
            algorithm: Pbkdf2Digest::Sha256,
            iterations: 10,
            salt: "%%%".to_owned(),
            value: "SwB5AbdlSJq+rUnZJvch0GWkKcE=".to_owned(),
        },
        ForeignHash::FirebaseScrypt {
            hash: "AAAA".to_owned(),
            salt: "AAAA".to_owned(),
            signer_key: "AAAA".to_owned(),
            salt_separator: "Bw==".to_owned(),
            rounds: 8,
            mem_cost: 30,
        },
        ForeignHash::FirebaseScrypt {
            hash: "AAAA".to_owned(),
            salt: "AAAA".to_owned(),
            signer_key: "AAAA".to_owned(),
            salt_separator: "Bw==".to_owned(),
            rounds: 32,
            mem_cost: 17,
        },
    ];
    for hash in refused {
        let e = hash.to_stored().unwrap_err();
        assert_eq!(e.kind, crate::error::ErrorKind::InvalidParameterException);
    }
}

#[test]
fn strings_that_are_no_foreign_hash_read_as_none() {
    for s in [
        "",
        "plain",
        "$pbkdf2-md5$i=1$AA==$AA==",
        "$firebase-scrypt$r=8$A$B$C$D",
    ] {
        assert!(ForeignHash::from_stored(s).is_none(), "{s}");
    }
}

#[test]
fn debug_shows_no_hash() {
    let h = ForeignHash::Bcrypt {
        hash: "$2b$05$secret".to_owned(),
    };
    assert_eq!(format!("{h:?}"), "ForeignHash(bcrypt, ..)");
}
