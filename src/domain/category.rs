//! Participant categories: delegate, observer, speaker, press, staff,
//! interpreter… each event names its own.

use super::question::QuestionCode;

/// A category's code, as the form and the API name it
/// (`"category": "observer"`): the rules of a question's code, and of the
/// migration's CHECK.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CategoryCode(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error(
    "a category code is a lower-case letter, then up to 31 lower-case letters, digits or underscores"
)]
pub struct CategoryCodeError;

impl CategoryCode {
    /// The code as typed: surrounding spaces are dropped, case is kept (a
    /// code is not a word to fold).
    pub fn parse(input: &str) -> Result<CategoryCode, CategoryCodeError> {
        QuestionCode::parse(input.trim())
            .map(|code| CategoryCode(code.as_str().to_owned()))
            .map_err(|_| CategoryCodeError)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::testing::{assert_refused, parsers_never_panic};

    #[test]
    fn codes() {
        assert_eq!(
            CategoryCode::parse(" observer ").map(|code| code.as_str().to_owned()),
            Ok("observer".to_owned())
        );
        assert!(CategoryCode::parse("press_2").is_ok());
        assert_refused(
            CategoryCode::parse,
            &[
                "",
                "Observer",
                "2press",
                "press-corps",
                "pr ess",
                &"a".repeat(33),
            ],
            CategoryCodeError,
        );
    }

    parsers_never_panic!(CategoryCode::parse);
}
