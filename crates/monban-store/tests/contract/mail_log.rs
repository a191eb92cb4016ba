use monban_core::mail::{
    Email, MailLogStore, MailMeta, MailOutcome, MailPurpose, MailStatus, Queued, SendLimits,
};
use monban_core::store::StoreError;

use crate::harness::each_backend;

const T0: i64 = 1_700_000_000_000;

fn email(pool: &str, to: &str) -> Email {
    Email {
        pool_id: Some(pool.to_owned()),
        to: to.to_owned(),
        from: "no-reply@example.com".to_owned(),
        reply_to: None,
        subject: "Your code 123456".to_owned(),
        body: "Your verification code is 123456.".to_owned(),
    }
}

fn meta() -> MailMeta {
    MailMeta {
        purpose: MailPurpose::SignUpCode,
        user_sub: Some("sub-1".to_owned()),
    }
}

fn no_limits() -> SendLimits {
    SendLimits {
        per_pool: 0,
        per_recipient: 0,
        window_ms: 3_600_000,
    }
}

fn accepted(q: Queued) -> i64 {
    match q {
        Queued::Accepted(id) => id,
        Queued::Refused(id) => panic!("refused as {id}"),
    }
}

#[tokio::test]
async fn a_message_is_claimed_once_and_its_text_erased_when_sent() {
    each_backend(|store| async move {
        let id = accepted(
            store
                .enqueue_mail(T0, &email("p1", "A@Example.com"), &meta(), &no_limits())
                .await
                .unwrap(),
        );
        let claimed = store
            .claim_mail(T0, "lease-a", 60_000)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(claimed.id, id);
        assert_eq!(claimed.attempt, 1);
        assert_eq!(claimed.email, email("p1", "A@Example.com"));
        // Held by the lease: nobody else gets it, until the lease runs out.
        assert!(store
            .claim_mail(T0 + 1, "lease-b", 60_000)
            .await
            .unwrap()
            .is_none());

        let sent = MailOutcome::Sent {
            reply: "250 2.0.0 queued".to_owned(),
        };
        assert!(matches!(
            store.finish_mail(id, "lease-b", T0 + 2, &sent).await,
            Err(StoreError::NotFound)
        ));
        store
            .finish_mail(id, "lease-a", T0 + 2, &sent)
            .await
            .unwrap();
        assert!(store
            .claim_mail(T0 + 120_000, "lease-c", 60_000)
            .await
            .unwrap()
            .is_none());

        let log = store.list_mail_log(None, None, 10).await.unwrap();
        assert_eq!(log.len(), 1);
        let record = &log[0];
        assert_eq!(record.status, MailStatus::Sent);
        assert_eq!(record.pool_id.as_deref(), Some("p1"));
        assert_eq!(record.user_sub.as_deref(), Some("sub-1"));
        assert_eq!(record.purpose, "sign_up_code");
        assert_eq!(record.attempts, 1);
        assert_eq!(record.smtp_reply.as_deref(), Some("250 2.0.0 queued"));
        assert!(!format!("{record:?}").contains("123456"), "{record:?}");
    })
    .await;
}

#[tokio::test]
async fn a_deferred_message_comes_back_when_due_and_a_dead_lease_is_reclaimed() {
    each_backend(|store| async move {
        let id = accepted(
            store
                .enqueue_mail(T0, &email("p1", "a@example.com"), &meta(), &no_limits())
                .await
                .unwrap(),
        );
        store.claim_mail(T0, "l1", 60_000).await.unwrap().unwrap();
        let deferred = MailOutcome::Deferred {
            reply: "451 4.3.0 try later".to_owned(),
            retry_at_ms: T0 + 30_000,
        };
        store
            .finish_mail(id, "l1", T0 + 1, &deferred)
            .await
            .unwrap();
        let log = store.list_mail_log(Some("p1"), None, 10).await.unwrap();
        assert_eq!(log[0].status, MailStatus::Deferred);
        assert_eq!(log[0].next_attempt_ms, Some(T0 + 30_000));
        assert!(store
            .claim_mail(T0 + 29_999, "l2", 60_000)
            .await
            .unwrap()
            .is_none());

        let again = store
            .claim_mail(T0 + 30_000, "l2", 60_000)
            .await
            .unwrap()
            .unwrap();
        assert_eq!((again.id, again.attempt), (id, 2));
        assert_eq!(again.email.body, "Your verification code is 123456.");
        // l2's node dies: after its lease another node takes the message over.
        let taken = store
            .claim_mail(T0 + 90_000, "l3", 60_000)
            .await
            .unwrap()
            .unwrap();
        assert_eq!((taken.id, taken.attempt), (id, 3));
        let failed = MailOutcome::Failed {
            reason: "550 5.1.1 no such user".to_owned(),
        };
        assert!(store
            .finish_mail(id, "l2", T0 + 90_001, &failed)
            .await
            .is_err());
        store
            .finish_mail(id, "l3", T0 + 90_001, &failed)
            .await
            .unwrap();
        let log = store.list_mail_log(None, None, 10).await.unwrap();
        assert_eq!(log[0].status, MailStatus::Failed);
        assert_eq!(log[0].reason.as_deref(), Some("550 5.1.1 no such user"));
        assert_eq!(log[0].smtp_reply.as_deref(), Some("451 4.3.0 try later"));
    })
    .await;
}

#[tokio::test]
async fn limits_refuse_per_recipient_and_per_pool_within_the_window() {
    each_backend(|store| async move {
        let limits = SendLimits {
            per_pool: 3,
            per_recipient: 2,
            window_ms: 60_000,
        };
        let m = meta();
        for n in 0..2 {
            accepted(
                store
                    .enqueue_mail(T0 + n, &email("p1", "a@example.com"), &m, &limits)
                    .await
                    .unwrap(),
            );
        }
        // Case does not make another recipient.
        let refused = store
            .enqueue_mail(T0 + 2, &email("p1", "A@EXAMPLE.com"), &m, &limits)
            .await
            .unwrap();
        assert!(matches!(refused, Queued::Refused(_)), "{refused:?}");
        // Another pool has its own budget.
        accepted(
            store
                .enqueue_mail(T0 + 3, &email("p2", "a@example.com"), &m, &limits)
                .await
                .unwrap(),
        );
        accepted(
            store
                .enqueue_mail(T0 + 4, &email("p1", "b@example.com"), &m, &limits)
                .await
                .unwrap(),
        );
        let pool_full = store
            .enqueue_mail(T0 + 5, &email("p1", "c@example.com"), &m, &limits)
            .await
            .unwrap();
        assert!(matches!(pool_full, Queued::Refused(_)));
        // Refused messages do not count; the window moves on.
        accepted(
            store
                .enqueue_mail(T0 + 60_001, &email("p1", "a@example.com"), &m, &limits)
                .await
                .unwrap(),
        );

        let log = store.list_mail_log(Some("p1"), None, 10).await.unwrap();
        let statuses: Vec<_> = log.iter().map(|r| r.status).collect();
        use MailStatus::{Queued as Q, Refused as R};
        assert_eq!(statuses, [Q, R, Q, R, Q, Q], "newest first");
        assert!(log[1].reason.as_deref().unwrap().contains("pool"));
        // Refused messages are never claimed.
        let mut claimed = 0;
        while store
            .claim_mail(T0 + 70_000, "l", 60_000)
            .await
            .unwrap()
            .is_some()
        {
            claimed += 1;
        }
        assert_eq!(claimed, 5);

        let page = store.list_mail_log(None, Some(log[1].id), 2).await.unwrap();
        assert_eq!(page.len(), 2);
        assert!(page.iter().all(|r| r.id < log[1].id));

        let counts = store.count_mail(T0).await.unwrap();
        let of = |pool: &str, status| {
            counts
                .iter()
                .find(|c| c.pool_id.as_deref() == Some(pool) && c.status == status)
                .map_or(0, |c| c.count)
        };
        assert_eq!(of("p1", MailStatus::Sending), 4);
        assert_eq!(of("p1", MailStatus::Refused), 2);
        assert_eq!(of("p2", MailStatus::Sending), 1);
    })
    .await;
}

#[tokio::test]
async fn concurrent_senders_claim_each_message_once() {
    each_backend(|store| async move {
        let mut queued = Vec::new();
        for n in 0..24 {
            let to = format!("u{n}@example.com");
            queued.push(accepted(
                store
                    .enqueue_mail(T0, &email("p1", &to), &meta(), &no_limits())
                    .await
                    .unwrap(),
            ));
        }
        let mut senders = Vec::new();
        for node in 0..4 {
            let store = store.clone();
            senders.push(tokio::spawn(async move {
                let lease = format!("node-{node}");
                let mut claimed = Vec::new();
                while let Some(m) = store.claim_mail(T0 + 1, &lease, 60_000).await.unwrap() {
                    claimed.push(m.id);
                }
                claimed
            }));
        }
        let mut all = Vec::new();
        for sender in senders {
            all.extend(sender.await.unwrap());
        }
        all.sort_unstable();
        assert_eq!(all, queued, "every message claimed exactly once");
    })
    .await;
}
