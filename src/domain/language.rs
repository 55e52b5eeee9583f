//! The four working languages of a meeting.

use std::fmt;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    En,
    Fr,
    Es,
    Pt,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LanguageError {
    #[error("a language is required")]
    Empty,
    #[error("not one of the working languages (en, fr, es, pt)")]
    Unsupported,
}

impl LanguageError {
    pub fn message_key(&self) -> &'static str {
        match self {
            Self::Empty => "error-required",
            Self::Unsupported => "error-language-invalid",
        }
    }
}

impl Language {
    pub const ALL: [Language; 4] = [Language::En, Language::Fr, Language::Es, Language::Pt];

    /// Accepts a bare code or a full language tag ("fr-SN", "pt_BR"): the
    /// regional variant does not change which working language applies.
    pub fn parse(input: &str) -> Result<Self, LanguageError> {
        let tag = input.trim();
        if tag.is_empty() {
            return Err(LanguageError::Empty);
        }
        let primary = tag.split(['-', '_']).next().unwrap_or(tag);
        Self::ALL
            .into_iter()
            .find(|language| language.code().eq_ignore_ascii_case(primary))
            .ok_or(LanguageError::Unsupported)
    }

    pub fn code(&self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Fr => "fr",
            Self::Es => "es",
            Self::Pt => "pt",
        }
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_bare_codes_in_any_case() {
        assert_eq!(Language::parse("en"), Ok(Language::En));
        assert_eq!(Language::parse("FR"), Ok(Language::Fr));
        assert_eq!(Language::parse(" Es "), Ok(Language::Es));
        assert_eq!(Language::parse("pt"), Ok(Language::Pt));
    }

    #[test]
    fn regional_tags_map_to_their_primary_language() {
        assert_eq!(Language::parse("fr-SN"), Ok(Language::Fr));
        assert_eq!(Language::parse("fr_CA"), Ok(Language::Fr));
        assert_eq!(Language::parse("pt-BR"), Ok(Language::Pt));
        assert_eq!(Language::parse("es-419"), Ok(Language::Es));
        assert_eq!(Language::parse("EN-gb"), Ok(Language::En));
    }

    #[test]
    fn rejects_other_languages_and_garbage() {
        assert_eq!(Language::parse(""), Err(LanguageError::Empty));
        assert_eq!(Language::parse("   "), Err(LanguageError::Empty));
        for input in ["de", "wo", "ar", "eng", "french", "f", "-fr", "fr SN", "é"] {
            assert_eq!(
                Language::parse(input),
                Err(LanguageError::Unsupported),
                "{input:?}"
            );
        }
    }

    #[test]
    fn code_display_and_parse_agree() {
        for language in Language::ALL {
            assert_eq!(language.to_string(), language.code());
            assert_eq!(Language::parse(language.code()), Ok(language));
        }
    }

    #[test]
    fn serde_uses_the_lowercase_code() {
        for language in Language::ALL {
            let json = serde_json::to_string(&language).expect("serialises");
            assert_eq!(json, format!("\"{}\"", language.code()));
            let back: Language = serde_json::from_str(&json).expect("deserialises");
            assert_eq!(back, language);
        }
        assert!(serde_json::from_str::<Language>("\"de\"").is_err());
    }

    #[test]
    fn message_keys() {
        assert_eq!(LanguageError::Empty.message_key(), "error-required");
        assert_eq!(
            LanguageError::Unsupported.message_key(),
            "error-language-invalid"
        );
    }

    proptest! {
        #[test]
        fn parse_never_panics(input in any::<String>()) {
            let _ = Language::parse(&input);
        }
    }
}
