//! The AWS JSON 1.1 decoder: JSON syntax, model types and constraints, then the typed
//! struct. The first byte picks the service, the second the operation, the rest is the body.
#![no_main]

use libfuzzer_sys::fuzz_target;
use monban_wire::{decode, idp, ErrorKind, IDENTITY, IDP};

fuzz_target!(|data: &[u8]| {
    let [which, pick, body @ ..] = data else {
        return;
    };
    let service = if which & 1 == 0 { &IDP } else { &IDENTITY };
    let ops = service.operations;
    let op = &ops[usize::from(*pick) % ops.len()];
    // Every operation's validation, on an untyped value...
    if let Err(e) = decode::<serde_json::Value>(service, op, body) {
        assert!(
            matches!(
                e.kind,
                ErrorKind::SerializationException | ErrorKind::InvalidParameterException
            ),
            "{:?}",
            e.kind
        );
    }
    // ...and the typed structs of the operations that take the most complex input.
    if std::ptr::eq(service, &IDP) {
        macro_rules! typed {
            ($($name:literal => $ty:ty),* $(,)?) => {
                match op.name {
                    $($name => { let _ = decode::<$ty>(service, op, body); })*
                    _ => {}
                }
            };
        }
        typed! {
            "AdminCreateUser" => idp::AdminCreateUserRequest,
            "CreateUserPool" => idp::CreateUserPoolRequest,
            "CreateUserPoolClient" => idp::CreateUserPoolClientRequest,
            "InitiateAuth" => idp::InitiateAuthRequest,
            "AdminInitiateAuth" => idp::AdminInitiateAuthRequest,
            "RespondToAuthChallenge" => idp::RespondToAuthChallengeRequest,
            "ListUsers" => idp::ListUsersRequest,
            "SignUp" => idp::SignUpRequest,
            "UpdateUserPool" => idp::UpdateUserPoolRequest,
            "UpdateUserAttributes" => idp::UpdateUserAttributesRequest,
        }
    }
});
