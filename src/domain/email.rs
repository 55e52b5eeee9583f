//! Delegates' email addresses: checked strictly enough to catch typos, not so
//! strictly that real addresses (internationalised domains included) bounce.

use std::fmt;

const MAX_LEN: usize = 254;
const MAX_LOCAL_LEN: usize = 64;
const MAX_LABEL_LEN: usize = 63;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EmailAddress(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    #[error("an email address is required")]
    Empty,
    #[error("the email address must be at most {MAX_LEN} characters")]
    TooLong,
    #[error("this is not a valid email address")]
    Invalid,
}

impl EmailError {
    pub fn message_key(&self) -> &'static str {
        match self {
            Self::Empty => "error-required",
            Self::TooLong => "error-too-long",
            Self::Invalid => "error-email-invalid",
        }
    }

    pub fn max(&self) -> Option<usize> {
        match self {
            Self::TooLong => Some(MAX_LEN),
            Self::Empty | Self::Invalid => None,
        }
    }
}

impl EmailAddress {
    pub fn parse(input: &str) -> Result<Self, EmailError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(EmailError::Empty);
        }
        let (local, domain) = trimmed.split_once('@').ok_or(EmailError::Invalid)?;
        // Lowercase before checking, so that what is stored is exactly what
        // was checked: lowercasing can change a non-ASCII domain's length or
        // turn a letter into a letter plus a combining mark.
        let domain = domain.to_lowercase();
        if local.chars().count() + 1 + domain.chars().count() > MAX_LEN {
            return Err(EmailError::TooLong);
        }
        if is_valid_local_part(local) && is_valid_domain(&domain) {
            Ok(Self(format!("{local}@{domain}")))
        } else {
            Err(EmailError::Invalid)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The key for "one registration per person per event": mailbox
    /// providers treat the local part case-insensitively in practice, and
    /// delegates do not type it the same way twice.
    pub fn normalised(&self) -> String {
        self.0.to_lowercase()
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn is_valid_local_part(local: &str) -> bool {
    const ATEXT_SYMBOLS: &str = "!#$%&'*+-/=?^_`{|}~";
    !local.is_empty()
        && local.len() <= MAX_LOCAL_LEN
        && local.split('.').all(|atom| {
            !atom.is_empty()
                && atom
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || ATEXT_SYMBOLS.contains(c))
        })
}

fn is_valid_domain(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    let Some(tld) = labels.last() else {
        return false;
    };
    labels.len() >= 2
        && labels.iter().all(|label| is_valid_label(label))
        && tld.chars().count() >= 2
        && !tld.chars().all(|c| c.is_ascii_digit())
}

fn is_valid_label(label: &str) -> bool {
    !label.is_empty()
        && label.chars().count() <= MAX_LABEL_LEN
        && !label.starts_with('-')
        && !label.ends_with('-')
        && label.chars().all(|c| {
            c.is_ascii_alphanumeric() || c == '-' || (!c.is_ascii() && c.is_alphanumeric())
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::testing::{assert_kept, assert_refused, assert_shown, parsers_never_panic};
    use proptest::prelude::*;

    #[test]
    fn accepts_ordinary_addresses() {
        assert_kept(
            EmailAddress::parse,
            EmailAddress::as_str,
            &[
                "aicha@example.org",
                "fatou.ndiaye@mail.sn",
                "first.last+tag@sub.domain.co.uk",
                "o'brien@example.ie",
                "x@ab.cd",
                "user_name-1@xn--bcher-kva.example",
                "!#$%&'*+-/=?^_`{|}~@example.com",
                "delegue@société.fr",
                "info@مثال.مصر",
            ],
        );
    }

    #[test]
    fn trims_and_lowercases_only_the_domain() {
        let typed = "  Aicha.Diallo@Example.ORG \n";
        let shown = "Aicha.Diallo@example.org";
        let email = assert_shown(EmailAddress::parse, EmailAddress::as_str, typed, shown);
        assert_eq!(email.normalised(), "aicha.diallo@example.org");
    }

    #[test]
    fn normalised_form_identifies_the_same_mailbox() {
        let a = EmailAddress::parse("Maria.Silva@Exemplo.com.br").expect("valid");
        let b = EmailAddress::parse("maria.silva@exemplo.COM.BR").expect("valid");
        assert_ne!(a, b);
        assert_eq!(a.normalised(), b.normalised());
    }

    #[test]
    fn rejects_malformed_addresses() {
        assert_refused(
            EmailAddress::parse,
            &[
                "plainaddress",
                "@example.org",
                "user@",
                "user@@example.org",
                "a@b@example.org",
                ".user@example.org",
                "user.@example.org",
                "us..er@example.org",
                "us er@example.org",
                "user@example",
                "user@example.c",
                "user@example.123",
                "user@-example.org",
                "user@example-.org",
                "user@exa_mple.org",
                "user@example..org",
                "user@.example.org",
                "user@example.org.",
                "user@[127.0.0.1]",
                "\"quoted\"@example.org",
                "usér@example.org",
                "user@exa mple.org",
                "user@example.org\u{202e}",
            ],
            EmailError::Invalid,
        );
    }

    #[test]
    fn enforces_length_limits() {
        let local_64 = "a".repeat(64);
        assert!(EmailAddress::parse(&format!("{local_64}@example.org")).is_ok());
        let local_65 = "a".repeat(65);
        assert_eq!(
            EmailAddress::parse(&format!("{local_65}@example.org")),
            Err(EmailError::Invalid)
        );
        let address_of_length = |total: usize| {
            // 64 + "@" + 63 + "." + 63 + "." + n + ".org"
            let filler = total - (64 + 1 + 63 + 1 + 63 + 1 + 4);
            let domain = format!(
                "{}.{}.{}.org",
                "b".repeat(63),
                "c".repeat(63),
                "d".repeat(filler)
            );
            format!("{local_64}@{domain}")
        };
        assert!(EmailAddress::parse(&address_of_length(254)).is_ok());
        assert_eq!(
            EmailAddress::parse(&address_of_length(255)),
            Err(EmailError::TooLong)
        );
        assert_eq!(EmailError::TooLong.max(), Some(254));
        let long_label = format!("user@{}.org", "d".repeat(64));
        assert_eq!(EmailAddress::parse(&long_label), Err(EmailError::Invalid));
    }

    #[test]
    fn rejects_empty_input() {
        assert_refused(EmailAddress::parse, &["", " \t "], EmailError::Empty);
    }

    #[test]
    fn message_keys() {
        assert_eq!(EmailError::Empty.message_key(), "error-required");
        assert_eq!(EmailError::TooLong.message_key(), "error-too-long");
        assert_eq!(EmailError::Invalid.message_key(), "error-email-invalid");
        assert_eq!(EmailError::Invalid.max(), None);
    }

    fn address() -> impl Strategy<Value = String> {
        let local = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]{1,10}(\\.[A-Za-z0-9_+-]{1,10}){0,3}";
        let label = "([A-Za-z0-9]|[A-Za-z0-9ÀÉçßÜ][A-Za-z0-9ÀÉçßÜ-]{0,10}[A-Za-z0-9ÀÉçßÜ])";
        let tld = "[A-Za-zÉ]{2,6}";
        (local, proptest::collection::vec(label, 1..4), tld)
            .prop_map(|(local, labels, tld)| format!("{local}@{}.{tld}", labels.join(".")))
    }

    /// Mostly plausible addresses whose domains hold letters that change
    /// length or class when lowercased (İ, Σ, ẞ).
    fn near_valid() -> impl Strategy<Value = String> {
        "[a-z.@-]{0,12}@[a-zA-ZİΣẞ-]{1,8}\\.[a-zİΣẞ.-]{0,8}"
    }

    parsers_never_panic!(EmailAddress::parse);

    proptest! {
        #[test]
        fn parse_never_panics_near_valid_input(input in near_valid()) {
            let _ = EmailAddress::parse(&input);
        }

        #[test]
        fn generated_addresses_are_accepted(input in address()) {
            prop_assert!(EmailAddress::parse(&input).is_ok(), "{input:?}");
        }

        #[test]
        fn parse_round_trips(input in prop_oneof![address(), near_valid(), any::<String>()]) {
            if let Ok(email) = EmailAddress::parse(&input) {
                prop_assert_eq!(EmailAddress::parse(email.as_str()), Ok(email.clone()));
                prop_assert_eq!(EmailAddress::parse(&email.to_string()), Ok(email));
            }
        }
    }
}
