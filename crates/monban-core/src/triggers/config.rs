//! Which function a pool has configured for each trigger (`UserPool.LambdaConfig`).

use monban_wire::idp::{LambdaConfigType, PreTokenGenerationLambdaVersionType};

use crate::entities::UserPool;

/// A user-pool trigger, named as its `LambdaConfig` key (also the name Cognito puts in
/// `"<Trigger> failed with error …"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    PreSignUp,
    PostConfirmation,
    PreAuthentication,
    PostAuthentication,
    DefineAuthChallenge,
    CreateAuthChallenge,
    VerifyAuthChallengeResponse,
    PreTokenGeneration,
    CustomMessage,
    UserMigration,
    CustomEmailSender,
    CustomSmsSender,
}

/// The event version a pre token generation function asked for
/// (`PreTokenGenerationConfig.LambdaVersion`; the legacy `PreTokenGeneration` key is V1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PreTokenVersion {
    V1,
    V2,
    V3,
}

impl PreTokenVersion {
    /// The event's `version` member.
    pub fn event_version(self) -> &'static str {
        match self {
            Self::V1 => "1",
            Self::V2 => "2",
            Self::V3 => "3",
        }
    }
}

impl Trigger {
    pub fn name(self) -> &'static str {
        match self {
            Self::PreSignUp => "PreSignUp",
            Self::PostConfirmation => "PostConfirmation",
            Self::PreAuthentication => "PreAuthentication",
            Self::PostAuthentication => "PostAuthentication",
            Self::DefineAuthChallenge => "DefineAuthChallenge",
            Self::CreateAuthChallenge => "CreateAuthChallenge",
            Self::VerifyAuthChallengeResponse => "VerifyAuthChallengeResponse",
            Self::PreTokenGeneration => "PreTokenGeneration",
            Self::CustomMessage => "CustomMessage",
            Self::UserMigration => "UserMigration",
            Self::CustomEmailSender => "CustomEmailSender",
            Self::CustomSmsSender => "CustomSMSSender",
        }
    }

    /// The configured function (URL or ARN), if any. For pre token generation the
    /// versioned `PreTokenGenerationConfig.LambdaArn` wins over the legacy key.
    pub fn target(self, pool: &UserPool) -> Option<&str> {
        let c = pool.config.lambda_config.as_ref()?;
        let value = match self {
            Self::PreSignUp => c.pre_sign_up.as_deref(),
            Self::PostConfirmation => c.post_confirmation.as_deref(),
            Self::PreAuthentication => c.pre_authentication.as_deref(),
            Self::PostAuthentication => c.post_authentication.as_deref(),
            Self::DefineAuthChallenge => c.define_auth_challenge.as_deref(),
            Self::CreateAuthChallenge => c.create_auth_challenge.as_deref(),
            Self::VerifyAuthChallengeResponse => c.verify_auth_challenge_response.as_deref(),
            Self::PreTokenGeneration => pre_token_target(c),
            Self::CustomMessage => c.custom_message.as_deref(),
            Self::UserMigration => c.user_migration.as_deref(),
            Self::CustomEmailSender => c
                .custom_email_sender
                .as_ref()
                .map(|s| s.lambda_arn.as_str()),
            Self::CustomSmsSender => c.custom_sms_sender.as_ref().map(|s| s.lambda_arn.as_str()),
        };
        value.filter(|v| !v.is_empty())
    }

    /// Whether the pool has this trigger.
    pub fn is_configured(self, pool: &UserPool) -> bool {
        self.target(pool).is_some()
    }
}

fn pre_token_target(c: &LambdaConfigType) -> Option<&str> {
    c.pre_token_generation_config
        .as_ref()
        .map(|p| p.lambda_arn.as_str())
        .filter(|v| !v.is_empty())
        .or(c.pre_token_generation.as_deref())
}

impl PreTokenVersion {
    /// The event version of the pool's pre token generation trigger (V1 when only the
    /// legacy key is set).
    pub fn of(pool: &UserPool) -> Self {
        let version = pool
            .config
            .lambda_config
            .as_ref()
            .and_then(|c| c.pre_token_generation_config.as_ref())
            .map(|p| p.lambda_version);
        match version {
            Some(PreTokenGenerationLambdaVersionType::V20) => Self::V2,
            Some(PreTokenGenerationLambdaVersionType::V30) => Self::V3,
            _ => Self::V1,
        }
    }
}
