//! Every intermediate value of the fixed vector, password, device and SECRET_HASH.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;

use super::super::exchange::{claim_signature, premaster_secret, scrambler, session_key};
use super::super::group;
use super::super::verifier::private_x;
use super::super::*;
use super::{bytes, s, u3072_hex, vector, Client};

#[test]
fn k_is_hash_of_padded_n_and_g() {
    let k = group::sha256(&[&group::pad(group::N.as_ref()), &[2]]);
    assert_eq!(hex::encode(k), s(&vector(), "k"));
    assert_eq!(u3072_hex(&group::k().retrieve()), s(&vector(), "k"));
    assert_eq!(u3072_hex(group::N.as_ref()), s(&vector(), "N"));
    assert_eq!(group::pad(group::N.as_ref())[0], 0);
}

#[test]
fn secret_hash_vector() {
    use crate::auth::secret_hash::{secret_hash, verify_secret_hash};
    let v = vector();
    let h = &v["secret_hash"];
    let (secret, username, client_id) =
        (s(h, "client_secret"), s(h, "username"), s(h, "client_id"));
    assert_eq!(
        secret_hash(secret, username, client_id),
        s(h, "SECRET_HASH")
    );
    assert!(verify_secret_hash(
        secret,
        username,
        client_id,
        s(h, "SECRET_HASH")
    ));
    assert!(!verify_secret_hash(
        secret,
        "alicf",
        client_id,
        s(h, "SECRET_HASH")
    ));
}

#[test]
fn pad_is_minimal_twos_complement() {
    assert_eq!(group::pad_be(&[]), [0]);
    assert_eq!(group::pad_be(&[0, 0]), [0]);
    assert_eq!(group::pad_be(&[0, 0, 0x7f, 1]), [0x7f, 1]);
    assert_eq!(group::pad_be(&[0x80]), [0, 0x80]);
    assert_eq!(group::pad_be(&[0, 0xff, 2]), [0, 0xff, 2]);
}

#[test]
fn pool_name_is_the_part_after_the_region() {
    assert_eq!(pool_name("us-east-1_AbCdEf123"), "AbCdEf123");
    assert_eq!(pool_name("eu-west-2_x"), "x");
    assert_eq!(pool_name("nounderscore"), "");
}

#[test]
fn password_vector_every_intermediate_value() {
    let v = vector();
    let who = SrpIdentity::user(s(&v, "pool_id"), s(&v, "USER_ID_FOR_SRP"));
    assert_eq!(who.realm(), s(&v, "pool_name"));

    // Salt integer 0xc3e1…98 (top bit set, so PAD adds a zero byte).
    let verifier = Verifier::from_salt(
        &bytes("c3e1f0d2b4a6987856341200fedcba98"),
        &who,
        s(&v, "password"),
    );
    assert_eq!(verifier.salt_hex(), s(&v, "SALT"));
    let x = private_x(&bytes(s(&v, "SALT")), &who, s(&v, "password"));
    assert_eq!(hex::encode(x.to_be_bytes()), s(&v, "x"));
    assert_eq!(verifier.verifier_hex(), format!("00{}", s(&v, "v")));

    let client = Client::new(&bytes(s(&v, "a")));
    assert_eq!(client.srp_a(), s(&v, "SRP_A"));
    let a = PublicA::parse(s(&v, "SRP_A")).unwrap();

    let b: [u8; 32] = bytes(s(&v, "b")).try_into().unwrap();
    let server = ServerEphemeral::from_secret(&b, &verifier).unwrap();
    assert_eq!(server.srp_b(), s(&v, "SRP_B"));

    let u = scrambler(&a, &server).unwrap();
    assert_eq!(hex::encode(u), s(&v, "u"));
    let premaster = premaster_secret(&a, &server, &verifier, &u);
    assert_eq!(u3072_hex(&premaster), s(&v, "S"));
    let key = session_key(&a, &server, &verifier).unwrap();
    assert_eq!(hex::encode(key), s(&v, "hkdf_key"));

    // The client side reaches the same S.
    let (client_s, client_u) =
        client.premaster(&who, s(&v, "password"), s(&v, "SALT"), s(&v, "SRP_B"));
    assert_eq!(client_u, u);
    assert_eq!(client_s, premaster);

    let block = STANDARD.decode(s(&v, "SECRET_BLOCK")).unwrap();
    let message = [
        who.realm().as_bytes(),
        who.user_name().as_bytes(),
        &block,
        s(&v, "TIMESTAMP").as_bytes(),
    ]
    .concat();
    assert_eq!(hex::encode(message), s(&v, "message_hex"));
    let signature = claim_signature(&key, &who, &block, s(&v, "TIMESTAMP"));
    assert_eq!(
        STANDARD.encode(signature),
        s(&v, "PASSWORD_CLAIM_SIGNATURE")
    );

    let claim = PasswordClaim {
        secret_block: s(&v, "SECRET_BLOCK"),
        timestamp: s(&v, "TIMESTAMP"),
        signature: s(&v, "PASSWORD_CLAIM_SIGNATURE"),
    };
    let now = parse_timestamp(s(&v, "TIMESTAMP")).unwrap() + 1234;
    assert_eq!(
        verify_password_claim(&who, &verifier, &a, &server, &claim, now),
        Ok(())
    );

    // What storage gives back verifies just the same.
    let stored = Verifier::from_stored(verifier.salt_hex(), &verifier.verifier_hex()).unwrap();
    assert_eq!(stored, verifier);
    assert_eq!(
        verify_password_claim(&who, &stored, &a, &server, &claim, now),
        Ok(())
    );
}

#[test]
fn device_vector_every_intermediate_value() {
    let v = vector();
    let d = &v["device"];
    let who = SrpIdentity::device(s(d, "DeviceGroupKey"), s(d, "DeviceKey"));
    let password = s(d, "device_password");

    let verifier = Verifier::from_salt(&bytes(s(d, "SALT")), &who, password);
    assert_eq!(verifier.salt_hex(), s(d, "SALT"));
    let x = private_x(&bytes(s(d, "SALT")), &who, password);
    assert_eq!(hex::encode(x.to_be_bytes()), s(d, "x"));
    assert_eq!(verifier.verifier_hex(), s(d, "verifier"));
    let config = &d["DeviceSecretVerifierConfig"];
    assert_eq!(
        verifier.to_device_config(),
        (
            s(config, "Salt").to_owned(),
            s(config, "PasswordVerifier").to_owned()
        )
    );
    // ConfirmDevice: what the client sends is the same verifier, and SALT comes back as sent.
    let confirmed =
        Verifier::from_device_config(s(config, "Salt"), s(config, "PasswordVerifier")).unwrap();
    assert_eq!(confirmed, verifier);

    let client = Client::new(&bytes(s(d, "a")));
    assert_eq!(client.srp_a(), s(d, "SRP_A"));
    let a = PublicA::parse(s(d, "SRP_A")).unwrap();
    let b: [u8; 32] = bytes(s(d, "b")).try_into().unwrap();
    let server = ServerEphemeral::from_secret(&b, &confirmed).unwrap();
    assert_eq!(server.srp_b(), s(d, "SRP_B"));

    let u = scrambler(&a, &server).unwrap();
    assert_eq!(hex::encode(u), s(d, "u"));
    // u's top byte is 0xa3: the HKDF salt is 00 ‖ u.
    assert_eq!(group::pad_be(&u).len(), 33);
    assert_eq!(
        u3072_hex(&premaster_secret(&a, &server, &confirmed, &u)),
        s(d, "S")
    );
    let key = session_key(&a, &server, &confirmed).unwrap();
    assert_eq!(hex::encode(key), s(d, "hkdf_key"));

    let claim = PasswordClaim {
        secret_block: s(d, "SECRET_BLOCK"),
        timestamp: s(d, "TIMESTAMP"),
        signature: s(d, "PASSWORD_CLAIM_SIGNATURE"),
    };
    let signature = client.signature(
        &who,
        password,
        s(d, "SALT"),
        s(d, "SRP_B"),
        claim.secret_block,
        claim.timestamp,
    );
    assert_eq!(signature, claim.signature);
    let now = parse_timestamp(claim.timestamp).unwrap();
    assert_eq!(
        verify_password_claim(&who, &confirmed, &a, &server, &claim, now),
        Ok(())
    );
}
