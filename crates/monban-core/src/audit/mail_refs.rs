//! The mail messages an API call queued (or was refused by the sending limits), noted while
//! the call runs so that its audit record can name them by their mail-log ids
//! (`monban mail log`). The mailer notes; the server's audit recorder collects.

use std::cell::RefCell;
use std::future::Future;

tokio::task_local! {
    static MAIL_IDS: RefCell<Vec<i64>>;
}

/// Runs `call`, and returns with its output the mail-log ids noted during it.
pub async fn collecting_mail_ids<F: Future>(call: F) -> (F::Output, Vec<i64>) {
    MAIL_IDS
        .scope(RefCell::new(Vec::new()), async move {
            let output = call.await;
            let ids = MAIL_IDS.with(RefCell::take);
            (output, ids)
        })
        .await
}

/// Notes a mail-log id for the call being recorded; nothing outside [`collecting_mail_ids`].
pub fn note_mail_id(id: i64) {
    let _ = MAIL_IDS.try_with(|ids| ids.borrow_mut().push(id));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn ids_noted_inside_are_collected_and_outside_ignored() {
        note_mail_id(1);
        let ((), ids) = collecting_mail_ids(async {
            note_mail_id(7);
            tokio::task::yield_now().await;
            note_mail_id(9);
        })
        .await;
        assert_eq!(ids, vec![7, 9]);
    }
}
