//! DescribeIdentity: when the identity was made and changed, and the provider names of its
//! logins.

use monban_wire::identity::{DescribeIdentityInput, IdentityDescription};

use crate::error::Error;
use crate::identity_pools::{identity_description, load_identity};
use crate::{Cx, Iam};

pub async fn describe_identity(
    cx: &Cx,
    _iam: &Iam,
    req: DescribeIdentityInput,
) -> Result<IdentityDescription, Error> {
    let identity = load_identity(cx, &req.identity_id).await?;
    Ok(identity_description(&identity))
}
