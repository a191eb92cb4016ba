//! The shape of the generated schema tables: what validation needs to know about a model.

/// How an operation is authorised at the front door (before any Cognito logic).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthKind {
    /// Signed with SigV4 by an IAM principal; unsigned requests are refused.
    SigV4,
    /// Sent unsigned by SDKs (`smithy.api#noAuth`); a signature, if any, is ignored.
    Unsigned,
    /// Modelled as signed but authorised by client credentials: both are accepted.
    SignatureOptional,
}

/// One operation of a service.
#[derive(Debug)]
pub struct Operation {
    pub name: &'static str,
    /// Index of the input shape in the service's `SHAPES`.
    pub input: usize,
    pub input_name: &'static str,
    pub output_name: Option<&'static str>,
    pub auth: AuthKind,
}

/// A member of a structure.
#[derive(Debug)]
pub struct Member {
    /// The member's wire name (`UserPoolId`).
    pub name: &'static str,
    /// The name Coral uses in validation messages (`userPoolId`).
    pub path: &'static str,
    pub shape: usize,
    pub required: bool,
}

#[derive(Debug)]
pub enum ShapeKind {
    Structure(&'static [Member]),
    List {
        member: usize,
        min: Option<i64>,
        max: Option<i64>,
    },
    Map {
        key: usize,
        value: usize,
        min: Option<i64>,
        max: Option<i64>,
    },
    String {
        min: Option<i64>,
        max: Option<i64>,
        pattern: Option<&'static str>,
        values: &'static [&'static str],
    },
    Blob {
        min: Option<i64>,
        max: Option<i64>,
    },
    Integer {
        min: Option<i64>,
        max: Option<i64>,
    },
    Long {
        min: Option<i64>,
        max: Option<i64>,
    },
    Boolean,
    Timestamp,
    Document,
}

#[derive(Debug)]
pub struct Shape {
    pub name: &'static str,
    /// Values of sensitive shapes are never echoed in error messages.
    pub sensitive: bool,
    pub kind: ShapeKind,
}
