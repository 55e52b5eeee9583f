//! Names of people and organisations, in any script.
//!
//! Delegates write their names as their passports and badges should show
//! them, so nothing is transliterated or case-folded; only the whitespace a
//! form or a copy-paste adds is tidied, and characters that could corrupt a
//! badge, an export or a page (control, invisible and bidi characters, line
//! breaks: see [`super::text`]) are refused.

use std::fmt;

use unicode_segmentation::UnicodeSegmentation;

use super::text::{self, Lines, TextError};

const MAX_PERSON_NAME: usize = 100;
const MAX_ORGANISATION: usize = 200;
/// Bytes a name may take for each character it may have. A grapheme has no
/// size limit of its own (one "character" of 40 KB of combining marks is
/// still one grapheme); no script needs more than a few marks on a letter.
const BYTES_PER_CHARACTER: usize = 8;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    #[error("this field is required")]
    Empty,
    #[error("must be at most {max} characters")]
    TooLong { max: usize },
    #[error("contains an invisible, control or text-direction character")]
    InvalidCharacter,
    #[error("must be on one line")]
    LineBreak,
    #[error("has more accents or marks than a name needs")]
    TooManyMarks,
}

impl NameError {
    pub fn message_key(&self) -> &'static str {
        match self {
            Self::Empty => "error-required",
            Self::TooLong { .. } => "error-too-long",
            Self::InvalidCharacter => "error-invalid-character",
            Self::LineBreak => "error-line-break",
            Self::TooManyMarks => "error-too-many-marks",
        }
    }

    pub fn max(&self) -> Option<usize> {
        match self {
            Self::TooLong { max } => Some(*max),
            Self::Empty | Self::InvalidCharacter | Self::LineBreak | Self::TooManyMarks => None,
        }
    }
}

/// A kind of name: a newtype over the text [`clean`] keeps, of at most
/// `$max` characters.
macro_rules! name_kind {
    ($(#[$doc:meta])* $name:ident, $max:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub struct $name(String);

        impl $name {
            pub fn parse(input: &str) -> Result<Self, NameError> {
                clean(input, $max).map(Self)
            }

            /// For a field that may stay blank (many delegates have a single
            /// name): blank means "none" rather than an error.
            pub fn parse_optional(input: &str) -> Result<Option<Self>, NameError> {
                optional(Self::parse(input))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

name_kind!(
    /// A given name or a family name.
    PersonName,
    MAX_PERSON_NAME
);
name_kind!(Organisation, MAX_ORGANISATION);

fn optional<T>(parsed: Result<T, NameError>) -> Result<Option<T>, NameError> {
    match parsed {
        Ok(value) => Ok(Some(value)),
        Err(NameError::Empty) => Ok(None),
        Err(error) => Err(error),
    }
}

fn clean(input: &str, max: usize) -> Result<String, NameError> {
    let trimmed = input.trim();
    text::check(trimmed, Lines::One).map_err(|error| match error {
        TextError::InvisibleCharacter => NameError::InvalidCharacter,
        TextError::LineBreak => NameError::LineBreak,
    })?;
    let collapsed = trimmed.split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed.is_empty() {
        return Err(NameError::Empty);
    }
    // Graphemes, not chars or bytes: "Nguyễn" is six letters to its owner
    // whether the editor composed the diacritics or not.
    if collapsed.graphemes(true).count() > max {
        return Err(NameError::TooLong { max });
    }
    if collapsed.len() > max * BYTES_PER_CHARACTER {
        return Err(NameError::TooManyMarks);
    }
    Ok(collapsed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::testing::{assert_kept, assert_refused, assert_shown, parsers_never_panic};
    use proptest::prelude::*;

    #[test]
    fn accepts_names_in_any_script() {
        assert_kept(
            PersonName::parse,
            PersonName::as_str,
            &[
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
            ],
        );
    }

    #[test]
    fn keeps_the_name_as_typed_apart_from_whitespace() {
        let shown = |typed: &str, name: &str| {
            assert_shown(PersonName::parse, PersonName::as_str, typed, name)
        };
        shown("\t Ndèye   Fatou\u{a0}\u{a0}NDIAYE\n", "Ndèye Fatou NDIAYE");
        shown("Nguyễn\u{3000}Thị", "Nguyễn Thị");
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
        assert_refused(
            PersonName::parse,
            &["", " \u{a0}\u{3000} "],
            NameError::Empty,
        );
    }

    #[test]
    fn rejects_control_invisible_and_bidi_characters() {
        assert_refused(
            PersonName::parse,
            &[
                "Ali\u{0}ce",
                "Ali\tce",
                "Ali\u{7f}ce",
                "Ali\u{200b}ce",
                "Ali\u{3164}ce",
                "Ali\u{e0041}ce",
                "\u{feff}Alice",
                "Ali\u{202a}ce",
                "Ali\u{202e}ce",
                "Ali\u{2066}ce",
                "Ali\u{2069}ce",
            ],
            NameError::InvalidCharacter,
        );
    }

    #[test]
    fn line_breaks_are_refused() {
        let line_breaks = [
            "Ali\nce",
            "Ali\rce",
            "Ali\u{85}ce",
            "Ali\u{2028}ce",
            "Ali\u{2029}ce",
        ];
        assert_refused(PersonName::parse, &line_breaks, NameError::LineBreak);
        assert_refused(Organisation::parse, &line_breaks, NameError::LineBreak);
    }

    #[test]
    fn joiners_used_by_some_scripts_are_kept() {
        // Persian writes some words with a zero-width non-joiner.
        for input in ["می\u{200c}خواهم", "مهر\u{200c}نوش"] {
            let name = PersonName::parse(input).expect("valid");
            assert_eq!(name.as_str(), input);
        }
        assert_eq!(
            PersonName::parse("Ali\u{200c}ce"),
            Err(NameError::InvalidCharacter),
            "not between Latin letters"
        );
    }

    /// The case: one grapheme of 40 KB passed the 100-character cap.
    #[test]
    fn one_character_of_forty_kilobytes_of_marks_is_refused() {
        let heavy = format!("A{}", "\u{301}".repeat(20_000));
        assert_eq!(heavy.graphemes(true).count(), 1);
        assert_eq!(PersonName::parse(&heavy), Err(NameError::TooManyMarks));
        assert_eq!(Organisation::parse(&heavy), Err(NameError::TooManyMarks));
        let vietnamese = "Nguyễn".repeat(16);
        assert!(PersonName::parse(&vietnamese).is_ok());
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
        assert_eq!(NameError::LineBreak.message_key(), "error-line-break");
        assert_eq!(
            NameError::TooManyMarks.message_key(),
            "error-too-many-marks"
        );
    }

    parsers_never_panic!(PersonName::parse, Organisation::parse_optional);

    proptest! {
        /// Hostile names: invisible characters, marks piled on one letter,
        /// line breaks, among ordinary letters.
        #[test]
        fn hostile_names_are_refused_with_the_right_error(
            pieces in proptest::collection::vec(prop_oneof![
                Just("Awa".to_owned()), Just(" ".to_owned()), Just("مهر".to_owned()),
                Just("\u{200b}".to_owned()), Just("\u{3164}".to_owned()), Just("\u{feff}".to_owned()),
                Just("\u{e0020}".to_owned()), Just("\u{202e}".to_owned()), Just("\n".to_owned()),
                Just("\u{2028}".to_owned()), Just("\u{301}".repeat(300)),
            ], 1..8),
        ) {
            let input = pieces.concat();
            let trimmed = input.trim();
            let invisible = ['\u{200b}', '\u{3164}', '\u{feff}', '\u{e0020}', '\u{202e}'];
            let breaks = ['\n', '\u{2028}'];
            match PersonName::parse(&input) {
                Ok(name) => {
                    prop_assert!(!name.as_str().contains(invisible));
                    prop_assert!(!name.as_str().contains(breaks));
                    prop_assert!(name.as_str().len() <= 800);
                }
                Err(NameError::InvalidCharacter) => prop_assert!(trimmed.contains(invisible)),
                Err(NameError::LineBreak) => prop_assert!(trimmed.contains(breaks)),
                Err(NameError::TooManyMarks) => prop_assert!(trimmed.len() > 800),
                Err(NameError::Empty) => prop_assert!(trimmed.is_empty()),
                Err(NameError::TooLong { .. }) => prop_assert!(false, "{:?}", input),
            }
        }

        #[test]
        fn parsed_names_are_clean_and_stable(input in any::<String>()) {
            if let Ok(name) = PersonName::parse(&input) {
                let text = name.as_str();
                prop_assert!(!text.is_empty());
                prop_assert_eq!(text.trim(), text);
                prop_assert!(!text.contains("  "));
                prop_assert_eq!(text::check(text, Lines::One), Ok(()));
                prop_assert!(text.len() <= MAX_PERSON_NAME * BYTES_PER_CHARACTER);
                prop_assert_eq!(PersonName::parse(text), Ok(name.clone()));
            }
        }
    }
}
