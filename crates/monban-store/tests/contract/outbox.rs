use monban_core::mail::Email;
use monban_core::store::OutboxStore;

use crate::harness::each_backend;

fn email(n: usize) -> Email {
    Email {
        pool_id: (n < 3).then(|| "p1".to_owned()),
        to: format!("user{n}@example.com"),
        from: "no-reply@example.com".to_owned(),
        reply_to: (n > 1).then(|| "help@example.com".to_owned()),
        subject: format!("Your code {n}"),
        body: format!("Your verification code is {n:06}."),
    }
}

#[tokio::test]
async fn outbox_keeps_messages_in_order() {
    each_backend(|store| async move {
        assert!(store.list_outbox(None, 10).await.unwrap().is_empty());
        let mut ids = Vec::new();
        for n in 0..5 {
            ids.push(
                store
                    .insert_outbox(1_700_000_000_000 + n as i64, &email(n))
                    .await
                    .unwrap(),
            );
        }
        assert!(ids.windows(2).all(|w| w[0] < w[1]), "ids increase: {ids:?}");

        let first = store.list_outbox(None, 3).await.unwrap();
        assert_eq!(first.len(), 3);
        for (n, message) in first.iter().enumerate() {
            assert_eq!(message.id, ids[n]);
            assert_eq!(message.created_ms, 1_700_000_000_000 + n as i64);
            assert_eq!(message.email, email(n));
        }
        let rest = store.list_outbox(Some(ids[2]), 3).await.unwrap();
        let rest_ids: Vec<_> = rest.iter().map(|m| m.id).collect();
        assert_eq!(rest_ids, ids[3..]);
        assert_eq!(rest[1].email, email(4));
        assert!(store.list_outbox(Some(ids[4]), 3).await.unwrap().is_empty());
    })
    .await;
}
