//! The code in a sent message, for tests that read it back: the text the `{####}`
//! placeholder of the pool's template became (a confirmation or MFA code, or an
//! invitation's temporary password). Messages from a template this server does not know (a custom
//! message trigger's, say) fall back to the one standalone number of 6 to 8 digits.

use monban_core::codes::DEFAULT_CODE_MESSAGE;
use monban_core::entities::UserPool;
use monban_core::mfa::{DEFAULT_EMAIL_MESSAGE, DEFAULT_SMS_MESSAGE};
use monban_core::users::DEFAULT_INVITE_MESSAGE;

const CODE: &str = "{####}";
const USERNAME: &str = "{username}";

/// The templates an email from `pool` can have been rendered from, most specific first.
pub fn email_templates(pool: Option<&UserPool>) -> Vec<String> {
    let mut templates = Vec::new();
    if let Some(config) = pool.map(|p| &p.config) {
        if let Some(t) = &config.verification_message_template {
            templates.extend(t.email_message.clone());
        }
        templates.extend(config.email_verification_message.clone());
        let invite = config
            .admin_create_user_config
            .as_ref()
            .and_then(|c| c.invite_message_template.as_ref());
        if let Some(t) = invite {
            templates.extend(t.email_message.clone());
        }
    }
    if let Some(mfa) = pool.and_then(|p| p.data.email_mfa.as_ref()) {
        templates.extend(mfa.message.clone());
    }
    templates.push(DEFAULT_CODE_MESSAGE.to_owned());
    templates.push(DEFAULT_INVITE_MESSAGE.to_owned());
    templates.push(DEFAULT_EMAIL_MESSAGE.to_owned());
    templates
}

/// The templates a text message from `pool` can have been rendered from.
pub fn sms_templates(pool: Option<&UserPool>) -> Vec<String> {
    let mut templates = Vec::new();
    if let Some(config) = pool.map(|p| &p.config) {
        templates.extend(config.sms_authentication_message.clone());
        if let Some(t) = &config.verification_message_template {
            templates.extend(t.sms_message.clone());
        }
        templates.extend(config.sms_verification_message.clone());
        let invite = config
            .admin_create_user_config
            .as_ref()
            .and_then(|c| c.invite_message_template.as_ref());
        if let Some(t) = invite {
            templates.extend(t.sms_message.clone());
        }
    }
    templates.push(DEFAULT_SMS_MESSAGE.to_owned());
    templates
}

/// The code in `text`, rendered from one of `templates` (or recognisable as a code).
pub fn find_code(templates: &[String], text: &str) -> Option<String> {
    templates
        .iter()
        .filter(|t| t.contains(CODE))
        .find_map(|t| capture(&tokens(t), text).flatten())
        .or_else(|| lone_number(text))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token<'a> {
    Text(&'a str),
    Code,
    Username,
}

fn tokens(template: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut rest = template;
    loop {
        let next = [(CODE, Token::Code), (USERNAME, Token::Username)]
            .into_iter()
            .filter_map(|(p, token)| rest.find(p).map(|at| (at, p.len(), token)))
            .min_by_key(|(at, _, _)| *at);
        let Some((at, len, token)) = next else {
            if !rest.is_empty() {
                out.push(Token::Text(rest));
            }
            return out;
        };
        if at > 0 {
            out.push(Token::Text(&rest[..at]));
        }
        out.push(token);
        rest = &rest[at + len..];
    }
}

/// `Some(code)` when `text` is the template rendered (`Some(None)` if it has no code
/// placeholder), `None` when it is not.
fn capture(tokens: &[Token<'_>], text: &str) -> Option<Option<String>> {
    let Some((first, rest)) = tokens.split_first() else {
        return text.is_empty().then_some(None);
    };
    match first {
        Token::Text(literal) => capture(rest, text.strip_prefix(literal)?),
        Token::Code | Token::Username => {
            // Where the placeholder's value could end: before each occurrence of the next
            // literal, or at the end of the text when nothing follows.
            let ends: Vec<usize> = match rest.first() {
                None => vec![text.len()],
                Some(Token::Text(literal)) => {
                    text.match_indices(literal).map(|(at, _)| at).collect()
                }
                Some(_) => text.char_indices().map(|(at, _)| at).skip(1).collect(),
            };
            ends.into_iter().find_map(|end| {
                let value = &text[..end];
                let plausible = !value.is_empty()
                    && (*first == Token::Username || !value.contains(char::is_whitespace));
                if !plausible {
                    return None;
                }
                let later = capture(rest, &text[end..])?;
                Some(if *first == Token::Code {
                    Some(value.to_owned())
                } else {
                    later
                })
            })
        }
    }
}

/// The only run of 6 to 8 digits standing alone in `text`.
fn lone_number(text: &str) -> Option<String> {
    let mut found = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|run| (6..=8).contains(&run.len()));
    let first = found.next()?;
    found.next().is_none().then(|| first.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn templates(list: &[&str]) -> Vec<String> {
        list.iter().map(|t| (*t).to_owned()).collect()
    }

    #[test]
    fn codes_come_out_of_the_default_templates() {
        let all = email_templates(None);
        assert_eq!(
            find_code(&all, "Your verification code is 123456. ").as_deref(),
            Some("123456")
        );
        assert_eq!(
            find_code(
                &all,
                "Your username is alice@example.com and temporary password is aB3!xyz9QrsT. "
            )
            .as_deref(),
            Some("aB3!xyz9QrsT")
        );
    }

    #[test]
    fn custom_templates_with_the_username_around_the_code() {
        let custom = templates(&["Hi {username}, use {####} to sign in. Bye {username}."]);
        assert_eq!(
            find_code(&custom, "Hi a and b, use Xy7#k to sign in. Bye a and b.").as_deref(),
            Some("Xy7#k")
        );
        let code_first = templates(&["{####} is your code"]);
        assert_eq!(
            find_code(&code_first, "9876543210 is your code").as_deref(),
            Some("9876543210")
        );
    }

    #[test]
    fn unknown_templates_fall_back_to_a_lone_number() {
        let none = templates(&["Code: {####}!"]);
        assert_eq!(
            find_code(&none, "Welcome back! Here is 424242 for you.").as_deref(),
            Some("424242")
        );
        assert_eq!(find_code(&none, "Nothing here, 2024 was a year."), None);
        assert_eq!(find_code(&none, "Two codes 123456 and 654321"), None);
        assert_eq!(find_code(&[], ""), None);
    }

    #[test]
    fn tokens_split_placeholders_and_text() {
        assert_eq!(
            tokens("a{####}b{username}"),
            vec![
                Token::Text("a"),
                Token::Code,
                Token::Text("b"),
                Token::Username
            ]
        );
        assert_eq!(tokens(""), vec![]);
    }
}
