//! The closed sets of words the application stores and shows: a
//! registration's status, a seat's status, a session's kind, an email's
//! kind. Each is an enum whose text is written once, here, by
//! [`vocabulary!`]; `ALL` is built from the same list, so it cannot miss a
//! variant, and every label elsewhere is an exhaustive `match`.
//!
//! The database keeps them as `text` (with CHECK constraints); the Diesel
//! derives below only declare that, and `db` maps the text through
//! [`Vocabulary`], so nothing here does I/O.

/// A closed set of words with one text each.
pub trait Vocabulary: Copy + Eq + Sized + 'static {
    /// Every word, in the order of the enum's declaration.
    const ALL: &'static [Self];

    fn as_str(self) -> &'static str;

    /// The word whose text is exactly `text` (as stored).
    fn from_stored(text: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|word| word.as_str() == text)
    }

    /// The word as someone may type it: surrounding spaces and any case.
    fn from_typed(input: &str) -> Option<Self> {
        let input = input.trim();
        Self::ALL
            .iter()
            .copied()
            .find(|word| word.as_str().eq_ignore_ascii_case(input))
    }
}

/// Declares an enum of [`Vocabulary`] words: `Variant = "text"` each.
macro_rules! vocabulary {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $($(#[$variant_meta:meta])* $variant:ident = $text:literal,)+
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            diesel::expression::AsExpression, diesel::deserialize::FromSqlRow,
        )]
        #[diesel(sql_type = diesel::sql_types::Text)]
        pub enum $name {
            $($(#[$variant_meta])* $variant,)+
        }

        impl $name {
            pub const ALL: &'static [Self] = &[$(Self::$variant,)+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $text,)+
                }
            }
        }

        impl $crate::domain::Vocabulary for $name {
            const ALL: &'static [Self] = $name::ALL;

            fn as_str(self) -> &'static str {
                $name::as_str(self)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
                <Self as $crate::domain::Vocabulary>::from_stored(&text).ok_or_else(|| {
                    let expected: Vec<&str> = Self::ALL.iter().map(|word| word.as_str()).collect();
                    serde::de::Error::custom(format!(
                        "unknown {} `{text}`, expected one of {}",
                        stringify!($name),
                        expected.join(", ")
                    ))
                })
            }
        }
    };
}
pub(crate) use vocabulary;

vocabulary! {
    /// Which email tells a delegate what: one per transition they must
    /// hear about, and the organisers' copy of an earlier one.
    pub enum EmailKind {
        Confirmation = "confirmation",
        Waitlisted = "waitlisted",
        Promoted = "promoted",
        SessionsChanged = "sessions_changed",
        Cancelled = "cancelled",
        /// A word-for-word copy of the last confirmation or waiting-list
        /// email, queued again by an organiser.
        Resend = "resend",
        /// A new link to confirm the email address, asked for by the
        /// delegate (events that verify emails).
        Verification = "verification",
        /// An organiser approved the registration.
        Approved = "approved",
        /// An organiser rejected it, with a reason.
        Rejected = "rejected",
    }
}

impl EmailKind {
    /// Whether organisers may word this kind themselves. A copy says what
    /// the email it copies said.
    pub fn is_worded(self) -> bool {
        match self {
            EmailKind::Confirmation
            | EmailKind::Waitlisted
            | EmailKind::Promoted
            | EmailKind::SessionsChanged
            | EmailKind::Cancelled
            | EmailKind::Approved
            | EmailKind::Rejected => true,
            EmailKind::Resend | EmailKind::Verification => false,
        }
    }

    /// The kinds organisers may word, in declaration order.
    pub fn worded() -> impl Iterator<Item = EmailKind> {
        Self::ALL.iter().copied().filter(|kind| kind.is_worded())
    }

    /// Whether this email tells the delegate where they stand and carries
    /// their private link, so that an organiser may send it again.
    pub fn announces(self) -> bool {
        match self {
            EmailKind::Confirmation | EmailKind::Waitlisted | EmailKind::Resend => true,
            EmailKind::Promoted
            | EmailKind::SessionsChanged
            | EmailKind::Cancelled
            | EmailKind::Verification
            | EmailKind::Approved
            | EmailKind::Rejected => false,
        }
    }
}

vocabulary! {
    /// What a session is: the whole meeting in one room, or a workshop.
    pub enum SessionKind {
        Plenary = "plenary",
        Workshop = "workshop",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{RegistrationStatus, SeatStatus};

    fn round_trips<
        T: Vocabulary + std::fmt::Debug + serde::Serialize + serde::de::DeserializeOwned,
    >() {
        assert!(!T::ALL.is_empty());
        for &word in T::ALL {
            assert_eq!(T::from_stored(word.as_str()), Some(word));
            let typed = format!(" {} ", word.as_str().to_uppercase());
            assert_eq!(T::from_typed(&typed), Some(word));
            let json = serde_json::to_string(&word).expect("serialises");
            assert_eq!(json, format!("\"{}\"", word.as_str()));
            assert_eq!(serde_json::from_str::<T>(&json).expect("parses"), word);
        }
        let texts: std::collections::BTreeSet<&str> = T::ALL.iter().map(|w| w.as_str()).collect();
        assert_eq!(texts.len(), T::ALL.len(), "two words share a text");
        assert_eq!(T::from_stored(""), None);
        assert!(serde_json::from_str::<T>("\"nonsense\"").is_err());
    }

    #[test]
    fn every_word_reads_back_as_itself() {
        round_trips::<RegistrationStatus>();
        round_trips::<SeatStatus>();
        round_trips::<EmailKind>();
        round_trips::<SessionKind>();
    }

    #[test]
    fn stored_text_is_exact_and_typed_text_forgiving() {
        assert_eq!(EmailKind::from_stored("Confirmation"), None);
        assert_eq!(
            EmailKind::from_typed("Confirmation"),
            Some(EmailKind::Confirmation)
        );
        assert_eq!(SessionKind::from_stored(" plenary"), None);
    }

    #[test]
    fn organisers_word_every_kind_but_the_copy_and_the_new_link() {
        let worded: Vec<EmailKind> = EmailKind::worded().collect();
        assert_eq!(worded.len(), EmailKind::ALL.len() - 2);
        assert!(!worded.contains(&EmailKind::Resend));
        assert!(!worded.contains(&EmailKind::Verification));
    }
}
