//! A store that answers `ping` as told and fails everything else: the router tests only
//! need to see that a request reached core, not what core did with it.

use std::sync::atomic::{AtomicBool, Ordering};

use async_trait::async_trait;
use monban_core::entities::{
    AppClient, AuthSession, ConfirmationCode, Group, RefreshToken, SigningKey, User, UserFilter,
    UserPool,
};
use monban_core::entities::{Identity, IdentityLogin, IdentityPool};
use monban_core::mail::{Email, OutboxMessage};
use monban_core::oauth::{ResourceServer, UserPoolDomain};
use monban_core::store::{
    AppClientStore, AuthSessionStore, CodeStore, GroupStore, OutboxStore, RefreshTokenStore,
    SecretStore, SigningKeyStore, Store, StoreError, StoreResult, UserPoolStore, UserStore,
};

#[derive(Default)]
pub struct FakeStore {
    pub down: AtomicBool,
}

fn down<T>() -> StoreResult<T> {
    Err(StoreError::Unavailable(
        "fake store holds nothing".to_owned(),
    ))
}

#[async_trait]
impl UserPoolStore for FakeStore {
    async fn insert_user_pool(&self, _: &UserPool) -> StoreResult<()> {
        down()
    }
    async fn get_user_pool(&self, _: &str) -> StoreResult<Option<UserPool>> {
        down()
    }
    async fn update_user_pool(&self, _: &UserPool) -> StoreResult<()> {
        down()
    }
    async fn delete_user_pool(&self, _: &str) -> StoreResult<()> {
        down()
    }
    async fn list_user_pools(&self, _: Option<&str>, _: usize) -> StoreResult<Vec<UserPool>> {
        down()
    }
    async fn count_users(&self, _: &str) -> StoreResult<i64> {
        down()
    }
}

#[async_trait]
impl AppClientStore for FakeStore {
    async fn insert_app_client(&self, _: &AppClient) -> StoreResult<()> {
        down()
    }
    async fn get_app_client(&self, _: &str) -> StoreResult<Option<AppClient>> {
        down()
    }
    async fn update_app_client(&self, _: &AppClient) -> StoreResult<()> {
        down()
    }
    async fn delete_app_client(&self, _: &str, _: &str) -> StoreResult<()> {
        down()
    }
    async fn list_app_clients(
        &self,
        _: &str,
        _: Option<&str>,
        _: usize,
    ) -> StoreResult<Vec<AppClient>> {
        down()
    }
}

#[async_trait]
impl UserStore for FakeStore {
    async fn insert_user(&self, _: &User) -> StoreResult<()> {
        down()
    }
    async fn get_user_by_key(&self, _: &str, _: &str) -> StoreResult<Option<User>> {
        down()
    }
    async fn get_user_by_sub(&self, _: &str, _: &str) -> StoreResult<Option<User>> {
        down()
    }
    async fn update_user(&self, _: &User) -> StoreResult<()> {
        down()
    }
    async fn delete_user(&self, _: &str, _: &str) -> StoreResult<()> {
        down()
    }
    async fn list_users(
        &self,
        _: &str,
        _: Option<&UserFilter>,
        _: Option<&str>,
        _: usize,
    ) -> StoreResult<Vec<User>> {
        down()
    }
}

#[async_trait]
impl GroupStore for FakeStore {
    async fn insert_group(&self, _: &Group) -> StoreResult<()> {
        down()
    }
    async fn get_group(&self, _: &str, _: &str) -> StoreResult<Option<Group>> {
        down()
    }
    async fn update_group(&self, _: &Group) -> StoreResult<()> {
        down()
    }
    async fn delete_group(&self, _: &str, _: &str) -> StoreResult<()> {
        down()
    }
    async fn list_groups(&self, _: &str, _: Option<&str>, _: usize) -> StoreResult<Vec<Group>> {
        down()
    }
    async fn add_user_to_group(&self, _: &str, _: &str, _: &str) -> StoreResult<()> {
        down()
    }
    async fn remove_user_from_group(&self, _: &str, _: &str, _: &str) -> StoreResult<()> {
        down()
    }
    async fn list_groups_for_user(
        &self,
        _: &str,
        _: &str,
        _: Option<&str>,
        _: usize,
    ) -> StoreResult<Vec<Group>> {
        down()
    }
    async fn list_users_in_group(
        &self,
        _: &str,
        _: &str,
        _: Option<&str>,
        _: usize,
    ) -> StoreResult<Vec<User>> {
        down()
    }
}

#[async_trait]
impl OutboxStore for FakeStore {
    async fn insert_outbox(&self, _: i64, _: &Email) -> StoreResult<i64> {
        down()
    }
    async fn list_outbox(&self, _: Option<i64>, _: usize) -> StoreResult<Vec<OutboxMessage>> {
        down()
    }
}

#[async_trait]
impl SigningKeyStore for FakeStore {
    async fn insert_signing_key(&self, _: &SigningKey) -> StoreResult<()> {
        down()
    }
    async fn list_signing_keys(&self, _: &str) -> StoreResult<Vec<SigningKey>> {
        down()
    }
}

#[async_trait]
impl SecretStore for FakeStore {
    async fn get_or_insert_secret(&self, _: &str, _: &[u8]) -> StoreResult<Vec<u8>> {
        down()
    }
}

#[async_trait]
impl AuthSessionStore for FakeStore {
    async fn insert_auth_session(&self, _: &AuthSession) -> StoreResult<()> {
        down()
    }
    async fn take_auth_session(&self, _: &str) -> StoreResult<Option<AuthSession>> {
        down()
    }
    async fn consume_once(&self, _: &str, _: i64) -> StoreResult<()> {
        down()
    }
}

#[async_trait]
impl CodeStore for FakeStore {
    async fn put_code(&self, _: &ConfirmationCode) -> StoreResult<()> {
        down()
    }
    async fn get_code(&self, _: &str, _: &str, _: &str) -> StoreResult<Option<ConfirmationCode>> {
        down()
    }
    async fn record_code_failure(&self, _: &str, _: &str, _: &str) -> StoreResult<i64> {
        down()
    }
    async fn delete_code(&self, _: &str, _: &str, _: &str) -> StoreResult<bool> {
        down()
    }
}

#[async_trait]
impl RefreshTokenStore for FakeStore {
    async fn insert_refresh_token(&self, _: &RefreshToken) -> StoreResult<()> {
        down()
    }
    async fn get_refresh_token(&self, _: &str) -> StoreResult<Option<RefreshToken>> {
        down()
    }
    async fn mark_refresh_token_replaced(&self, _: &str, _: i64) -> StoreResult<bool> {
        down()
    }
    async fn revoke_token_family(&self, _: &str, _: &str, _: i64) -> StoreResult<()> {
        down()
    }
    async fn revoke_user_token_families(&self, _: &str, _: &str, _: i64) -> StoreResult<()> {
        down()
    }
    async fn token_family_revoked_at(&self, _: &str, _: &str) -> StoreResult<Option<i64>> {
        down()
    }
}

#[async_trait]
impl monban_core::store::ResetStore for FakeStore {
    async fn reset_all(&self) -> StoreResult<()> {
        down()
    }
}

#[async_trait]
impl monban_core::store::SmsOutboxStore for FakeStore {
    async fn insert_sms(&self, _: i64, _: &monban_core::sms::Sms) -> StoreResult<i64> {
        down()
    }
    async fn list_sms(
        &self,
        _: Option<i64>,
        _: usize,
    ) -> StoreResult<Vec<monban_core::sms::SmsOutboxMessage>> {
        down()
    }
}

#[async_trait]
impl monban_core::store::DeviceStore for FakeStore {
    async fn insert_device(&self, _: &monban_core::entities::Device, _: usize) -> StoreResult<()> {
        down()
    }
    async fn get_device(
        &self,
        _: &str,
        _: &str,
        _: &str,
    ) -> StoreResult<Option<monban_core::entities::Device>> {
        down()
    }
    async fn get_device_group_key(&self, _: &str, _: &str) -> StoreResult<Option<String>> {
        down()
    }
    async fn confirm_device(&self, _: &monban_core::entities::Device) -> StoreResult<()> {
        down()
    }
    async fn set_device_status(
        &self,
        _: &str,
        _: &str,
        _: &str,
        _: monban_wire::idp::DeviceRememberedStatusType,
        _: i64,
    ) -> StoreResult<()> {
        down()
    }
    async fn record_device_authentication(
        &self,
        _: &str,
        _: &str,
        _: &str,
        _: i64,
    ) -> StoreResult<()> {
        down()
    }
    async fn delete_device(&self, _: &str, _: &str, _: &str) -> StoreResult<()> {
        down()
    }
    async fn list_devices(
        &self,
        _: &str,
        _: &str,
        _: Option<&str>,
        _: usize,
    ) -> StoreResult<Vec<monban_core::entities::Device>> {
        down()
    }
}

#[async_trait]
impl monban_core::store::IdentityPoolStore for FakeStore {
    async fn insert_identity_pool(&self, _: &IdentityPool) -> StoreResult<()> {
        down()
    }
    async fn get_identity_pool(&self, _: &str) -> StoreResult<Option<IdentityPool>> {
        down()
    }
    async fn update_identity_pool(&self, _: &IdentityPool) -> StoreResult<()> {
        down()
    }
    async fn delete_identity_pool(&self, _: &str) -> StoreResult<()> {
        down()
    }
    async fn list_identity_pools(
        &self,
        _: Option<&str>,
        _: usize,
    ) -> StoreResult<Vec<IdentityPool>> {
        down()
    }
}

#[async_trait]
impl monban_core::store::IdentityStore for FakeStore {
    async fn insert_identity(&self, _: &Identity) -> StoreResult<()> {
        down()
    }
    async fn get_identity(&self, _: &str) -> StoreResult<Option<Identity>> {
        down()
    }
    async fn find_identity_by_login(
        &self,
        _: &str,
        _: &str,
        _: &str,
    ) -> StoreResult<Option<Identity>> {
        down()
    }
    async fn link_identity_logins(
        &self,
        _: &str,
        _: &[IdentityLogin],
        _: &[String],
        _: i64,
    ) -> StoreResult<Identity> {
        down()
    }
    async fn unlink_identity_logins(
        &self,
        _: &str,
        _: &[IdentityLogin],
        _: i64,
    ) -> StoreResult<Identity> {
        down()
    }
    async fn delete_identities(&self, _: &[String]) -> StoreResult<u64> {
        down()
    }
    async fn list_identities(
        &self,
        _: &str,
        _: bool,
        _: Option<&str>,
        _: usize,
    ) -> StoreResult<Vec<Identity>> {
        down()
    }
}

#[async_trait]
impl monban_core::export::ExportStore for FakeStore {
    async fn list_user_refresh_tokens(
        &self,
        _pool_id: &str,
        _sub: &str,
    ) -> StoreResult<Vec<RefreshToken>> {
        down()
    }
}

#[async_trait]
impl monban_core::store::OAuthStore for FakeStore {
    async fn insert_domain(&self, _: &UserPoolDomain) -> StoreResult<()> {
        down()
    }
    async fn get_domain(&self, _: &str) -> StoreResult<Option<UserPoolDomain>> {
        down()
    }
    async fn list_pool_domains(&self, _: &str) -> StoreResult<Vec<UserPoolDomain>> {
        down()
    }
    async fn update_domain(&self, _: &UserPoolDomain) -> StoreResult<()> {
        down()
    }
    async fn delete_domain(&self, _: &str, _: &str) -> StoreResult<()> {
        down()
    }
    async fn insert_resource_server(&self, _: &ResourceServer) -> StoreResult<()> {
        down()
    }
    async fn get_resource_server(&self, _: &str, _: &str) -> StoreResult<Option<ResourceServer>> {
        down()
    }
    async fn update_resource_server(&self, _: &ResourceServer) -> StoreResult<()> {
        down()
    }
    async fn delete_resource_server(&self, _: &str, _: &str) -> StoreResult<()> {
        down()
    }
    async fn list_resource_servers(
        &self,
        _: &str,
        _: Option<&str>,
        _: usize,
    ) -> StoreResult<Vec<ResourceServer>> {
        down()
    }
    async fn put_family_scopes(&self, _: &str, _: &str, _: &str) -> StoreResult<()> {
        down()
    }
    async fn get_family_scopes(&self, _: &str, _: &str) -> StoreResult<Option<String>> {
        down()
    }
}

#[async_trait]
impl monban_core::hosted_ui::HostedUiStore for FakeStore {
    async fn insert_hosted_ui_session(
        &self,
        _: &monban_core::hosted_ui::HostedUiSession,
    ) -> StoreResult<()> {
        down()
    }
    async fn get_hosted_ui_session(
        &self,
        _: &str,
    ) -> StoreResult<Option<monban_core::hosted_ui::HostedUiSession>> {
        down()
    }
    async fn delete_hosted_ui_session(&self, _: &str) -> StoreResult<()> {
        down()
    }
    async fn put_ui_customization(
        &self,
        _: &monban_core::hosted_ui::UiCustomization,
    ) -> StoreResult<()> {
        down()
    }
    async fn get_ui_customization(
        &self,
        _: &str,
        _: &str,
    ) -> StoreResult<Option<monban_core::hosted_ui::UiCustomization>> {
        down()
    }
}

#[async_trait]
impl monban_core::mail::MailLogStore for FakeStore {
    async fn enqueue_mail(
        &self,
        _: i64,
        _: &Email,
        _: &monban_core::mail::MailMeta,
        _: &monban_core::mail::SendLimits,
    ) -> StoreResult<monban_core::mail::Queued> {
        down()
    }
    async fn claim_mail(
        &self,
        _: i64,
        _: &str,
        _: i64,
    ) -> StoreResult<Option<monban_core::mail::ClaimedMail>> {
        down()
    }
    async fn finish_mail(
        &self,
        _: i64,
        _: &str,
        _: i64,
        _: &monban_core::mail::MailOutcome,
    ) -> StoreResult<()> {
        down()
    }
    async fn list_mail_log(
        &self,
        _: Option<&str>,
        _: Option<i64>,
        _: usize,
    ) -> StoreResult<Vec<monban_core::mail::MailRecord>> {
        down()
    }
    async fn count_mail(&self, _: i64) -> StoreResult<Vec<monban_core::mail::MailCount>> {
        down()
    }
}

#[async_trait]
impl monban_core::audit::AuditStore for FakeStore {
    async fn append_audit(&self, _: &[monban_core::audit::AuditEvent]) -> StoreResult<()> {
        down()
    }
    async fn list_audit(
        &self,
        _: i64,
        _: &monban_core::audit::AuditFilter,
        _: usize,
    ) -> StoreResult<Vec<monban_core::audit::AuditRecord>> {
        down()
    }
    async fn audit_head(&self) -> StoreResult<Option<monban_core::audit::ChainHead>> {
        down()
    }
    async fn audit_checkpoint(&self) -> StoreResult<Option<monban_core::audit::Checkpoint>> {
        down()
    }
    async fn audit_prune_point(&self, _: i64) -> StoreResult<Option<(i64, String)>> {
        down()
    }
    async fn prune_audit(&self, _: &monban_core::audit::Checkpoint) -> StoreResult<u64> {
        down()
    }
    async fn list_user_auth_events(
        &self,
        _: &str,
        _: &str,
        _: Option<i64>,
        _: usize,
    ) -> StoreResult<
        Vec<(
            monban_core::audit::AuditRecord,
            Option<monban_core::audit::AuthEventFeedback>,
        )>,
    > {
        down()
    }
    async fn put_auth_event_feedback(
        &self,
        _: &str,
        _: &str,
        _: &str,
        _: &monban_core::audit::AuthEventFeedback,
    ) -> StoreResult<()> {
        down()
    }
}

#[async_trait]
impl monban_core::user_import::UserImportStore for FakeStore {
    async fn insert_import_job(&self, _: &monban_core::user_import::ImportJob) -> StoreResult<()> {
        down()
    }
    async fn get_import_job(
        &self,
        _: &str,
    ) -> StoreResult<Option<monban_core::user_import::ImportJob>> {
        down()
    }
    async fn update_import_job(
        &self,
        _: &monban_core::user_import::ImportJob,
        _: monban_wire::idp::UserImportJobStatusType,
    ) -> StoreResult<()> {
        down()
    }
    async fn list_import_jobs(
        &self,
        _: &str,
        _: Option<&str>,
        _: usize,
    ) -> StoreResult<Vec<monban_core::user_import::ImportJob>> {
        down()
    }
    async fn put_import_file(&self, _: &str, _: &str) -> StoreResult<()> {
        down()
    }
    async fn get_import_file(&self, _: &str) -> StoreResult<Option<String>> {
        down()
    }
    async fn insert_import_errors(
        &self,
        _: &str,
        _: &[monban_core::user_import::ImportRowError],
    ) -> StoreResult<()> {
        down()
    }
    async fn list_import_errors(
        &self,
        _: &str,
    ) -> StoreResult<Vec<monban_core::user_import::ImportRowError>> {
        down()
    }
}

#[async_trait]
impl monban_core::decoy_store::DecoyStore for FakeStore {
    async fn get_decoy_attempts(
        &self,
        _: &str,
        _: &str,
        _: &str,
        _: i64,
    ) -> StoreResult<Option<monban_core::decoy_store::DecoyAttempts>> {
        down()
    }
    async fn put_decoy_attempts(
        &self,
        _: &monban_core::decoy_store::DecoyAttempts,
    ) -> StoreResult<()> {
        down()
    }
    async fn purge_decoy_attempts(&self, _: &str, _: i64) -> StoreResult<u64> {
        down()
    }
}

#[async_trait]
impl Store for FakeStore {
    async fn ping(&self) -> StoreResult<()> {
        if self.down.load(Ordering::SeqCst) {
            down()
        } else {
            Ok(())
        }
    }
}
