#![allow(clippy::unwrap_used, clippy::expect_used)]

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

use super::*;

/// What a client said to the sink in one SMTP session.
#[derive(Debug, Default)]
struct Transcript {
    commands: Vec<String>,
    /// The DATA section, dot-unstuffed, lines joined with `\r\n`.
    data: String,
}

/// A one-connection SMTP server on 127.0.0.1 that accepts everything.
async fn start_sink() -> (u16, tokio::task::JoinHandle<Transcript>) {
    start_sink_replying(b"250 2.0.0 queued\r\n").await
}

/// The same, answering the end of DATA with `data_reply`.
async fn start_sink_replying(
    data_reply: &'static [u8],
) -> (u16, tokio::task::JoinHandle<Transcript>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let task = tokio::spawn(async move {
        let (stream, _) = listener.accept().await.unwrap();
        let (read, mut write) = stream.into_split();
        let mut read = BufReader::new(read);
        let mut transcript = Transcript::default();
        write.write_all(b"220 sink ESMTP\r\n").await.unwrap();
        loop {
            let mut line = String::new();
            if read.read_line(&mut line).await.unwrap() == 0 {
                break;
            }
            let command = line.trim_end().to_owned();
            let verb = command.to_ascii_uppercase();
            transcript.commands.push(command);
            let reply: &[u8] = if verb.starts_with("EHLO") {
                b"250-sink\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n"
            } else if verb.starts_with("AUTH") {
                b"235 2.7.0 Authentication successful\r\n"
            } else if verb == "DATA" {
                write
                    .write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                    .await
                    .unwrap();
                let mut lines = Vec::new();
                loop {
                    let mut data_line = String::new();
                    read.read_line(&mut data_line).await.unwrap();
                    let data_line = data_line.trim_end_matches(['\r', '\n']);
                    if data_line == "." {
                        break;
                    }
                    lines.push(data_line.strip_prefix('.').unwrap_or(data_line).to_owned());
                }
                transcript.data = lines.join("\r\n");
                data_reply
            } else if verb == "QUIT" {
                write.write_all(b"221 2.0.0 bye\r\n").await.unwrap();
                break;
            } else {
                b"250 2.0.0 OK\r\n"
            };
            write.write_all(reply).await.unwrap();
        }
        transcript
    });
    (port, task)
}

fn settings(port: u16) -> SmtpSettings {
    SmtpSettings {
        host: "127.0.0.1".to_owned(),
        port,
        security: SmtpSecurity::Plain,
        username: None,
        password: None,
    }
}

fn email(body: &str) -> Email {
    Email {
        pool_id: Some("us-east-1_AbC123xyZ".to_owned()),
        to: "alice@example.com".to_owned(),
        from: "Example <no-reply@example.com>".to_owned(),
        reply_to: Some("support@example.com".to_owned()),
        subject: "Your verification code".to_owned(),
        body: body.to_owned(),
    }
}

fn header<'a>(data: &'a str, name: &str) -> Option<&'a str> {
    let prefix = format!("{}: ", name.to_ascii_lowercase());
    data.split("\r\n")
        .find(|line| line.to_ascii_lowercase().starts_with(&prefix))
        .map(|line| &line[prefix.len()..])
}

#[tokio::test]
async fn delivers_plain_text_over_plain_smtp() {
    let (port, sink) = start_sink().await;
    let mailer = SmtpMailer::new(settings(port)).unwrap();
    mailer
        .send(email("Your verification code is 123456."))
        .await
        .unwrap();
    let transcript = sink.await.unwrap();

    assert!(transcript.commands.iter().any(|c| c.starts_with("EHLO ")));
    assert!(transcript
        .commands
        .contains(&"MAIL FROM:<no-reply@example.com>".to_owned()));
    assert!(transcript
        .commands
        .contains(&"RCPT TO:<alice@example.com>".to_owned()));
    assert!(!transcript.commands.iter().any(|c| c.starts_with("AUTH")));
    let data = &transcript.data;
    assert_eq!(header(data, "From"), Some("Example <no-reply@example.com>"));
    assert_eq!(header(data, "To"), Some("alice@example.com"));
    assert_eq!(header(data, "Reply-To"), Some("support@example.com"));
    assert_eq!(header(data, "Subject"), Some("Your verification code"));
    assert!(header(data, "Content-Type")
        .unwrap()
        .starts_with("text/plain"));
    assert!(
        data.ends_with("\r\n\r\nYour verification code is 123456."),
        "{data}"
    );
}

#[tokio::test]
async fn html_bodies_go_out_as_html_with_login() {
    let (port, sink) = start_sink().await;
    let mailer = SmtpMailer::new(SmtpSettings {
        username: Some("mailer".to_owned()),
        password: Some("s3cret".to_owned()),
        ..settings(port)
    })
    .unwrap();
    let mut message = email("Hello alice,<br>your code is <b>123456</b>.");
    message.reply_to = None;
    mailer.send(message).await.unwrap();
    let transcript = sink.await.unwrap();

    let auth = transcript
        .commands
        .iter()
        .find(|c| c.starts_with("AUTH"))
        .expect("AUTH");
    // AUTH PLAIN's initial response is base64("\0mailer\0s3cret").
    assert_eq!(auth, "AUTH PLAIN AG1haWxlcgBzM2NyZXQ=");
    let data = &transcript.data;
    assert!(header(data, "Content-Type")
        .unwrap()
        .starts_with("text/html"));
    assert_eq!(header(data, "Reply-To"), None);
    assert!(data.contains("your code is <b>123456</b>."), "{data}");
}

#[tokio::test]
async fn delivery_failures_are_code_delivery_failures() {
    // A port with nothing listening: bind, learn the port, close.
    let port = {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        listener.local_addr().unwrap().port()
    };
    let mailer = SmtpMailer::new(settings(port)).unwrap();
    let err = mailer.send(email("code 1")).await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::CodeDeliveryFailureException);
    assert!(err.source.is_some());

    let mut bad = email("code 1");
    bad.to = "not an address".to_owned();
    let err = mailer.send(bad).await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::CodeDeliveryFailureException);
}

#[test]
fn settings_are_checked_and_the_password_is_redacted() {
    for security in [
        SmtpSecurity::Plain,
        SmtpSecurity::StartTls,
        SmtpSecurity::Tls,
    ] {
        let mailer = SmtpMailer::new(SmtpSettings {
            host: "smtp.example.com".to_owned(),
            port: 587,
            security,
            username: Some("user".to_owned()),
            password: Some("hunter2".to_owned()),
        });
        assert!(mailer.is_ok(), "{security:?}");
    }
    let half = SmtpMailer::new(SmtpSettings {
        username: Some("user".to_owned()),
        ..settings(25)
    });
    assert_eq!(half.unwrap_err().kind, ErrorKind::InvalidParameterException);
    let empty = SmtpMailer::new(SmtpSettings {
        host: " ".to_owned(),
        ..settings(25)
    });
    assert!(empty.is_err());

    let shown = format!(
        "{:?}",
        SmtpSettings {
            password: Some("hunter2".to_owned()),
            ..settings(25)
        }
    );
    assert!(!shown.contains("hunter2"), "{shown}");
    assert!(shown.contains("<redacted>"), "{shown}");
}

#[test]
fn html_detection() {
    assert!(looks_like_html("Hi<br>code 1"));
    assert!(looks_like_html("<p>code 1</p>"));
    assert!(looks_like_html("<img src=x />"));
    assert!(!looks_like_html("Your code is 123456."));
    assert!(!looks_like_html("1 < 2 and 3 > 2"));
}

fn ed25519_signer() -> dkim::DkimSigners {
    use base64::Engine;
    let seed = base64::engine::general_purpose::STANDARD.encode([9u8; 32]);
    dkim::DkimSigners {
        default: Some(dkim::DkimSigner {
            key: dkim::DkimKey::parse(&seed).unwrap(),
            selector: "s1".to_owned(),
            domain: None,
        }),
        pools: Default::default(),
    }
}

#[tokio::test]
async fn deliver_signs_with_dkim_and_reports_the_reply() {
    let (port, sink) = start_sink().await;
    let mailer = SmtpMailer::new(settings(port))
        .unwrap()
        .with_dkim(ed25519_signer());
    let reply = mailer
        .deliver(&email("Your verification code is 123456."))
        .await
        .unwrap();
    assert_eq!(reply, "250 2.0.0 queued");
    // Long headers are folded onto continuation lines.
    let data = sink.await.unwrap().data.replace("\r\n ", " ");
    let signature = header(&data, "DKIM-Signature").expect("signed");
    assert!(signature.contains("a=ed25519-sha256"), "{signature}");
    assert!(signature.contains("d=example.com"), "{signature}");
    assert!(signature.contains("s=s1"), "{signature}");
}

#[tokio::test]
async fn a_4xx_or_no_server_is_temporary_and_a_5xx_permanent() {
    let (port, _sink) = start_sink_replying(b"451 4.3.0 Try again later\r\n").await;
    let mailer = SmtpMailer::new(settings(port)).unwrap();
    let err = mailer.deliver(&email("code 1")).await.unwrap_err();
    assert!(
        matches!(&err, SendError::Temporary(r) if r.contains("451")),
        "{err:?}"
    );

    let (port, _sink) = start_sink_replying(b"550 5.1.1 No such user\r\n").await;
    let mailer = SmtpMailer::new(settings(port)).unwrap();
    let err = mailer.deliver(&email("code 1")).await.unwrap_err();
    assert!(
        matches!(&err, SendError::Permanent(r) if r.contains("550")),
        "{err:?}"
    );

    let closed = {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        listener.local_addr().unwrap().port()
    };
    let mailer = SmtpMailer::new(settings(closed)).unwrap();
    let err = mailer.deliver(&email("code 1")).await.unwrap_err();
    assert!(matches!(err, SendError::Temporary(_)), "{err:?}");
}
