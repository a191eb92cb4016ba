//! AdminCreateUser: a FORCE_CHANGE_PASSWORD user with the given or a generated temporary
//! password, and the invitation (MessageAction RESEND re-invites an existing user, SUPPRESS
//! sends nothing). PreSignUp_AdminCreateUser runs first (ValidationData, ClientMetadata;
//! it may refuse the user), the invitation runs CustomMessage_AdminCreateUser /
//! CustomEmailSender_AdminCreateUser. Deviations: invitations meant for SMS are not sent
//! (monban sends no SMS); required
//! attributes are not enforced here (as in Cognito, the user supplies them when setting a
//! password).

use monban_wire::idp::{
    AdminCreateUserRequest, AdminCreateUserResponse, MessageActionType, PasswordPolicyType,
    UserStatusType,
};

use crate::entities::UserPool;
use crate::error::{Error, ErrorKind};
use crate::password::{check_policy, generate_temporary_password};
use crate::pool_config::{load_pool, password_policy};
use crate::triggers::{pre_sign_up, CallContext, MessageSource, MessageTrigger, SignUpSource};
use crate::users::{
    find_user, insert_new_user, modify_user, new_user, plan_delivery, send_invitation,
    set_password, sign_in_name, user_type, validate_writes, AttributeWrite, Credentials, KeyWrite,
    NameRules, NewUser, Target,
};
use crate::{Cx, Iam};

pub async fn admin_create_user(
    cx: &Cx,
    _iam: &Iam,
    req: AdminCreateUserRequest,
) -> Result<AdminCreateUserResponse, Error> {
    let pool = load_pool(cx, &req.user_pool_id).await?;
    let policy = password_policy(&pool);
    if let Some(password) = &req.temporary_password {
        check_policy(Some(&policy), password)?;
    }
    if req.message_action == Some(MessageActionType::Resend) {
        return resend(cx, &pool, &req, &policy).await;
    }
    let changes = validate_writes(
        &pool,
        req.user_attributes.as_deref().unwrap_or_default(),
        AttributeWrite::Create,
    )?;
    let NewUser {
        mut user,
        sign_in_name,
    } = new_user(
        cx,
        &pool,
        &req.username,
        &changes,
        UserStatusType::ForceChangePassword,
    )?;
    let call = CallContext::new(None, req.client_metadata.as_ref());
    let validation_data = req.validation_data.as_deref();
    pre_sign_up(
        cx,
        &pool,
        SignUpSource::AdminCreateUser,
        &user,
        validation_data,
        call,
    )
    .await?;
    // Checked before the user exists: a refused medium must not leave a user behind.
    let delivery = match req.message_action {
        Some(MessageActionType::Suppress) => None,
        _ => Some(plan_delivery(
            &user.attributes,
            req.desired_delivery_mediums.as_deref(),
        )?),
    };
    let password = temporary_password(cx, &req, &policy);
    set_password(
        cx,
        &pool,
        &mut user,
        &password,
        UserStatusType::ForceChangePassword,
    )
    .await?;
    insert_new_user(
        cx,
        &pool,
        &user,
        KeyWrite::AdminCreateUser,
        req.force_alias_creation.unwrap_or(false),
    )
    .await?;
    if let Some(delivery) = delivery {
        let trigger = MessageTrigger {
            source: MessageSource::AdminCreateUser,
            call,
        };
        send_invitation(
            cx,
            &pool,
            &user,
            &sign_in_name,
            &password,
            &delivery,
            trigger,
        )
        .await?;
    }
    Ok(AdminCreateUserResponse {
        user: Some(user_type(&user)),
    })
}

fn temporary_password(
    cx: &Cx,
    req: &AdminCreateUserRequest,
    policy: &PasswordPolicyType,
) -> String {
    req.temporary_password
        .clone()
        .unwrap_or_else(|| generate_temporary_password(cx.rng.as_ref(), Some(policy)))
}

/// A new temporary password for a user who has not signed in yet, and the invitation again.
async fn resend(
    cx: &Cx,
    pool: &UserPool,
    req: &AdminCreateUserRequest,
    policy: &PasswordPolicyType,
) -> Result<AdminCreateUserResponse, Error> {
    let current = find_user(cx, pool, &req.username).await?;
    let delivery = plan_delivery(&current.attributes, req.desired_delivery_mediums.as_deref())?;
    let password = temporary_password(cx, req, policy);
    let credentials = Credentials::derive(cx, pool, &current.username, &password).await?;
    let now = cx.now_ms();
    let user = modify_user(
        cx,
        pool,
        Target::Sub(&current.sub),
        KeyWrite::Update,
        |user| {
            if user.status != UserStatusType::ForceChangePassword {
                return Err(Error::new(
                    ErrorKind::UnsupportedUserStateException,
                    format!(
                        "Resend not possible. {} status is not FORCE_CHANGE_PASSWORD.",
                        user.username
                    ),
                ));
            }
            credentials.apply(user, UserStatusType::ForceChangePassword, now)
        },
    )
    .await?;
    let name = sign_in_name(&NameRules::of(pool), &user.username, &user.attributes);
    let trigger = MessageTrigger::new(
        MessageSource::AdminCreateUser,
        None,
        req.client_metadata.as_ref(),
    );
    send_invitation(cx, pool, &user, &name, &password, &delivery, trigger).await?;
    Ok(AdminCreateUserResponse {
        user: Some(user_type(&user)),
    })
}
