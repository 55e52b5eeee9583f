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
    use crate::domain::testing::{assert_parsed, assert_refused, parsers_never_panic};

    #[test]
    fn parses_bare_codes_in_any_case() {
        use Language::*;
        assert_parsed(
            Language::parse,
            &[("en", En), ("FR", Fr), (" Es ", Es), ("pt", Pt)],
        );
    }

    #[test]
    fn regional_tags_map_to_their_primary_language() {
        use Language::*;
        let tags = [
            ("fr-SN", Fr),
            ("fr_CA", Fr),
            ("pt-BR", Pt),
            ("es-419", Es),
            ("EN-gb", En),
        ];
        assert_parsed(Language::parse, &tags);
    }

    #[test]
    fn rejects_other_languages_and_garbage() {
        assert_refused(Language::parse, &["", "   "], LanguageError::Empty);
        assert_refused(
            Language::parse,
            &["de", "wo", "ar", "eng", "french", "f", "-fr", "fr SN", "é"],
            LanguageError::Unsupported,
        );
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

    parsers_never_panic!(Language::parse);
}
