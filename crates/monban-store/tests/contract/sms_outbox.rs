use monban_core::sms::Sms;
use monban_core::store::SmsOutboxStore;

use crate::harness::each_backend;

fn sms(n: usize) -> Sms {
    Sms {
        pool_id: (n != 1).then(|| "p1".to_owned()),
        to: format!("+1555555010{n}"),
        body: format!("Your authentication code is {n:06}. "),
    }
}

#[tokio::test]
async fn sms_outbox_keeps_messages_in_order() {
    each_backend(|store| async move {
        assert!(store.list_sms(None, 10).await.unwrap().is_empty());
        let mut ids = Vec::new();
        for n in 0..4 {
            ids.push(
                store
                    .insert_sms(1_700_000_000_000 + n as i64, &sms(n))
                    .await
                    .unwrap(),
            );
        }
        assert!(ids.windows(2).all(|w| w[0] < w[1]), "ids increase: {ids:?}");

        let first = store.list_sms(None, 2).await.unwrap();
        assert_eq!(first.len(), 2);
        for (n, message) in first.iter().enumerate() {
            assert_eq!(message.id, ids[n]);
            assert_eq!(message.created_ms, 1_700_000_000_000 + n as i64);
            assert_eq!(message.sms, sms(n));
        }
        let rest = store.list_sms(Some(ids[1]), 10).await.unwrap();
        let rest_ids: Vec<_> = rest.iter().map(|m| m.id).collect();
        assert_eq!(rest_ids, ids[2..]);
        assert_eq!(rest[1].sms, sms(3));
        assert!(store.list_sms(Some(ids[3]), 3).await.unwrap().is_empty());
    })
    .await;
}
