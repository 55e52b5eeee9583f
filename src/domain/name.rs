//! Names of people and organisations, in any script.
//!
//! Delegates write their names as their passports and badges should show
//! them, so nothing is transliterated or case-folded; only the whitespace a
//! form or a copy-paste adds is tidied, and characters that could corrupt a
//! badge, an export or a page (control and bidi override characters) are
//! refused.

use std::fmt;

use unicode_segmentation::UnicodeSegmentation;

const MAX_PERSON_NAME: usize = 100;
const MAX_ORGANISATION: usize = 200;

/// A given name or a family name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PersonName(String);

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Organisation(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    #[error("this field is required")]
    Empty,
    #[error("must be at most {max} characters")]
    TooLong { max: usize },
    #[error("contains a character that is not allowed")]
    InvalidCharacter,
}

impl NameError {
    pub fn message_key(&self) -> &'static str {
        match self {
            Self::Empty => "error-required",
            Self::TooLong { .. } => "error-too-long",
            Self::InvalidCharacter => "error-invalid-character",
        }
    }

    pub fn max(&self) -> Option<usize> {
        match self {
            Self::TooLong { max } => Some(*max),
            Self::Empty | Self::InvalidCharacter => None,
        }
    }
}

impl PersonName {
    pub fn parse(input: &str) -> Result<Self, NameError> {
        clean(input, MAX_PERSON_NAME).map(Self)
    }

    /// For the family name: many delegates have a single name, so a blank
    /// field means "none" rather than an error.
    pub fn parse_optional(input: &str) -> Result<Option<Self>, NameError> {
        optional(Self::parse(input))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Organisation {
    pub fn parse(input: &str) -> Result<Self, NameError> {
        clean(input, MAX_ORGANISATION).map(Self)
    }

    pub fn parse_optional(input: &str) -> Result<Option<Self>, NameError> {
        optional(Self::parse(input))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for Organisation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn optional<T>(parsed: Result<T, NameError>) -> Result<Option<T>, NameError> {
    match parsed {
        Ok(value) => Ok(Some(value)),
        Err(NameError::Empty) => Ok(None),
        Err(error) => Err(error),
    }
}

fn clean(input: &str, max: usize) -> Result<String, NameError> {
    let trimmed = input.trim();
    if trimmed.chars().any(is_forbidden) {
        return Err(NameError::InvalidCharacter);
    }
    let collapsed = trimmed.split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed.is_empty() {
        return Err(NameError::Empty);
    }
    // Graphemes, not chars or bytes: "Nguyễn" is six letters to its owner
    // whether the editor composed the diacritics or not.
    if collapsed.graphemes(true).count() > max {
        return Err(NameError::TooLong { max });
    }
    Ok(collapsed)
}

/// Line and paragraph separators would break CSV rows and badge layouts;
/// bidi overrides and isolates can make a name display as something else.
fn is_forbidden(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_names_in_any_script() {
        for input in [
            "عائشة",
            "Nguyễn Thị Minh Khai",
            "Ndèye Fatou Ndiaye",
            "Aïssatou",
            "José María",
            "João",
            "O'Brien-Smith",
            "毛泽东",
            "김민준",
            "Ἀριστοτέλης",
            "Σωκράτης",
            "अमिताभ",
            "Ṣàngó",
            "محمد بن سلمان",
        ] {
            let name = PersonName::parse(input);
            assert_eq!(
                name.as_ref().map(PersonName::as_str),
                Ok(input),
                "{input:?}"
            );
        }
    }

    #[test]
    fn keeps_the_name_as_typed_apart_from_whitespace() {
        let name = PersonName::parse("\t Ndèye   Fatou\u{a0}\u{a0}NDIAYE\n").expect("valid");
        assert_eq!(name.as_str(), "Ndèye Fatou NDIAYE");
        assert_eq!(name.to_string(), "Ndèye Fatou NDIAYE");
        let name = PersonName::parse("Nguyễn\u{3000}Thị").expect("valid");
        assert_eq!(name.as_str(), "Nguyễn Thị");
    }

    #[test]
    fn a_mononym_has_no_family_name() {
        assert_eq!(
            PersonName::parse("Sukarno").map(|name| name.to_string()),
            Ok("Sukarno".to_owned())
        );
        assert_eq!(PersonName::parse_optional(""), Ok(None));
        assert_eq!(PersonName::parse_optional("   "), Ok(None));
        assert_eq!(
            PersonName::parse_optional(" Diop ").map(|name| name.map(|n| n.to_string())),
            Ok(Some("Diop".to_owned()))
        );
        assert_eq!(
            PersonName::parse_optional("Di\u{202e}op"),
            Err(NameError::InvalidCharacter)
        );
    }

    #[test]
    fn a_given_name_is_required() {
        assert_eq!(PersonName::parse(""), Err(NameError::Empty));
        assert_eq!(PersonName::parse(" \u{a0}\u{3000} "), Err(NameError::Empty));
    }

    #[test]
    fn rejects_control_and_bidi_override_characters() {
        for input in [
            "Ali\u{0}ce",
            "Ali\tce",
            "Ali\nce",
            "Ali\u{7f}ce",
            "Ali\u{85}ce",
            "Ali\u{2028}ce",
            "Ali\u{2029}ce",
            "Ali\u{202a}ce",
            "Ali\u{202e}ce",
            "Ali\u{2066}ce",
            "Ali\u{2069}ce",
        ] {
            assert_eq!(
                PersonName::parse(input),
                Err(NameError::InvalidCharacter),
                "{input:?}"
            );
        }
    }

    #[test]
    fn joiners_used_by_some_scripts_are_kept() {
        // Persian writes some words with a zero-width non-joiner.
        let name = PersonName::parse("می\u{200c}خواهم").expect("valid");
        assert_eq!(name.as_str(), "می\u{200c}خواهم");
    }

    #[test]
    fn counts_length_in_graphemes() {
        let decomposed_e = "e\u{302}\u{301}";
        let long = decomposed_e.repeat(100);
        assert!(long.chars().count() > 100);
        assert!(PersonName::parse(&long).is_ok());
        let too_long = decomposed_e.repeat(101);
        assert_eq!(
            PersonName::parse(&too_long),
            Err(NameError::TooLong { max: 100 })
        );
        assert_eq!(
            PersonName::parse(&"a".repeat(101)),
            Err(NameError::TooLong { max: 100 })
        );
    }

    #[test]
    fn organisations_are_optional_and_longer() {
        assert_eq!(Organisation::parse_optional(""), Ok(None));
        let name =
            Organisation::parse("  Réseau des  organisations paysannes (ROPPA) ").expect("valid");
        assert_eq!(name.as_str(), "Réseau des organisations paysannes (ROPPA)");
        assert!(Organisation::parse(&"o".repeat(200)).is_ok());
        assert_eq!(
            Organisation::parse(&"o".repeat(201)),
            Err(NameError::TooLong { max: 200 })
        );
        assert_eq!(
            Organisation::parse_optional(&"o".repeat(201)),
            Err(NameError::TooLong { max: 200 })
        );
        assert_eq!(
            Organisation::parse("MST\u{0}"),
            Err(NameError::InvalidCharacter)
        );
    }

    #[test]
    fn message_keys() {
        assert_eq!(NameError::Empty.message_key(), "error-required");
        assert_eq!(
            NameError::TooLong { max: 100 }.message_key(),
            "error-too-long"
        );
        assert_eq!(NameError::TooLong { max: 100 }.max(), Some(100));
        assert_eq!(
            NameError::InvalidCharacter.message_key(),
            "error-invalid-character"
        );
        assert_eq!(NameError::InvalidCharacter.max(), None);
    }

    proptest! {
        #[test]
        fn parse_never_panics(input in any::<String>()) {
            let _ = PersonName::parse(&input);
            let _ = Organisation::parse_optional(&input);
        }

        #[test]
        fn parsed_names_are_clean_and_stable(input in any::<String>()) {
            if let Ok(name) = PersonName::parse(&input) {
                let text = name.as_str();
                prop_assert!(!text.is_empty());
                prop_assert_eq!(text.trim(), text);
                prop_assert!(!text.contains("  "));
                prop_assert!(!text.chars().any(is_forbidden));
                prop_assert_eq!(PersonName::parse(text), Ok(name.clone()));
            }
        }
    }
}
