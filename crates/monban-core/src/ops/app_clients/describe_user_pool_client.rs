//! DescribeUserPoolClient: the client's settings, secret included (as Cognito returns it
//! to an IAM caller).

use monban_wire::idp::{DescribeUserPoolClientRequest, DescribeUserPoolClientResponse};

use crate::error::Error;
use crate::pool_config::{client_type, load_client};
use crate::{Cx, Iam};

pub async fn describe_user_pool_client(
    cx: &Cx,
    _iam: &Iam,
    req: DescribeUserPoolClientRequest,
) -> Result<DescribeUserPoolClientResponse, Error> {
    let client = load_client(cx, &req.user_pool_id, &req.client_id).await?;
    Ok(DescribeUserPoolClientResponse {
        user_pool_client: Some(client_type(&client)),
    })
}
