//! Recorded events in AdminListUserAuthEvents' shape, and the feedback an admin gives on
//! them.

use monban_wire::idp::{
    AuthEventType, ChallengeName, ChallengeResponse, ChallengeResponseType, EventContextDataType,
    EventFeedbackType, EventResponseType, FeedbackValueType,
};

use super::chain::AuditRecord;
use super::event::Outcome;
use crate::cx::wire_time;

/// Feedback on one event (`Valid` / `Invalid`), from `provider` (`Admin`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthEventFeedback {
    pub value: FeedbackValueType,
    pub provider: String,
    pub feedback_ms: i64,
}

/// Longest device name reported (the user agent, as Cognito derives it from one).
const DEVICE_NAME_MAX: usize = 256;

/// The record as an `AuthEventType`, or `None` when it is not an event Cognito reports.
pub fn auth_event_type(
    record: &AuditRecord,
    feedback: Option<&AuthEventFeedback>,
) -> Option<AuthEventType> {
    let event = record.event().ok()?;
    let event_type = event.auth_event?.cognito_event_type()?;
    let response = match event.outcome {
        Outcome::Pass => EventResponseType::Pass,
        Outcome::Fail => EventResponseType::Fail,
        Outcome::InProgress => EventResponseType::InProgress,
    };
    let password_step = match event.outcome {
        Outcome::InProgress => None,
        Outcome::Pass => Some(ChallengeResponse::Success),
        Outcome::Fail => Some(ChallengeResponse::Failure),
    };
    let challenge_responses = password_step.map(|step| {
        vec![ChallengeResponseType {
            challenge_name: Some(
                if event
                    .challenge
                    .as_deref()
                    .is_some_and(|c| c.contains("MFA"))
                {
                    ChallengeName::Mfa
                } else {
                    ChallengeName::Password
                },
            ),
            challenge_response: Some(step),
        }]
    });
    Some(AuthEventType {
        challenge_responses,
        creation_date: Some(wire_time(event.time_ms)),
        event_context_data: Some(EventContextDataType {
            city: None,
            country: None,
            device_name: event
                .user_agent
                .map(|ua| ua.chars().take(DEVICE_NAME_MAX).collect()),
            ip_address: event.source_ip,
            timezone: None,
        }),
        event_feedback: feedback.map(|f| EventFeedbackType {
            feedback_date: Some(wire_time(f.feedback_ms)),
            feedback_value: f.value,
            provider: f.provider.clone(),
        }),
        event_id: Some(event.event_id),
        event_response: Some(response),
        // monban has no risk engine: no EventRisk rather than a made-up score.
        event_risk: None,
        event_type: Some(event_type),
    })
}
