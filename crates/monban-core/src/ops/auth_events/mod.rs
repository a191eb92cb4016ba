//! The auth-event history of a user, read from the audit trail ([`crate::audit`]).

mod admin_list_user_auth_events;
mod admin_update_auth_event_feedback;

pub use admin_list_user_auth_events::admin_list_user_auth_events;
pub use admin_update_auth_event_feedback::admin_update_auth_event_feedback;
