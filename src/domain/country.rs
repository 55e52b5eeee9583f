//! Countries, as ISO 3166-1 alpha-2 codes: what quotas are counted against
//! and what visa letters and attendee lists are grouped by.

use std::fmt;

use super::countries::COUNTRIES;
use super::language::Language;

/// An officially assigned ISO 3166-1 alpha-2 code.
///
/// Holds the row of the code in the country table, so that names are a plain
/// index away and the ordering is the alphabetical order of the codes.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CountryCode(u8);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CountryError {
    #[error("a country is required")]
    Empty,
    #[error("not an ISO 3166-1 alpha-2 country code")]
    Invalid,
}

impl CountryError {
    pub fn message_key(&self) -> &'static str {
        match self {
            Self::Empty => "error-required",
            Self::Invalid => "error-country-invalid",
        }
    }
}

impl CountryCode {
    pub fn parse(input: &str) -> Result<Self, CountryError> {
        let code = input.trim();
        if code.is_empty() {
            return Err(CountryError::Empty);
        }
        let code = code.to_ascii_uppercase();
        COUNTRIES
            .binary_search_by(|row| row.0.cmp(code.as_str()))
            .ok()
            .and_then(|index| u8::try_from(index).ok())
            .map(Self)
            .ok_or(CountryError::Invalid)
    }

    pub fn all() -> impl Iterator<Item = CountryCode> {
        (0..COUNTRIES.len()).filter_map(|index| u8::try_from(index).ok().map(Self))
    }

    pub fn as_str(&self) -> &'static str {
        COUNTRIES[usize::from(self.0)].0
    }

    pub fn name(&self, language: Language) -> &'static str {
        let (_, en, fr, es, pt) = COUNTRIES[usize::from(self.0)];
        match language {
            Language::En => en,
            Language::Fr => fr,
            Language::Es => es,
            Language::Pt => pt,
        }
    }
}

impl fmt::Debug for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("CountryCode").field(&self.as_str()).finish()
    }
}

impl fmt::Display for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::testing::{assert_refused, parsers_never_panic};
    use proptest::prelude::*;
    use std::collections::HashSet;

    fn country(code: &str) -> CountryCode {
        CountryCode::parse(code).expect("assigned code")
    }

    #[test]
    fn parses_assigned_codes_in_any_case() {
        assert_eq!(country("SN").as_str(), "SN");
        assert_eq!(country("sn").as_str(), "SN");
        assert_eq!(country(" Br\t").as_str(), "BR");
        assert_eq!(country("ad").as_str(), "AD");
        assert_eq!(country("ZW").as_str(), "ZW");
        assert_eq!(country("ci").to_string(), "CI");
        assert_eq!(format!("{:?}", country("ci")), "CountryCode(\"CI\")");
    }

    #[test]
    fn rejects_unassigned_and_malformed_codes() {
        assert_refused(CountryCode::parse, &["", "  "], CountryError::Empty);
        // XK (Kosovo) and EU are user-assigned or reserved, not assigned.
        assert_refused(
            CountryCode::parse,
            &[
                "XK", "EU", "UK", "AA", "ZZ", "S", "SEN", "S N", "1A", "ŚN", "sn-",
            ],
            CountryError::Invalid,
        );
    }

    #[test]
    fn the_table_has_every_assigned_code_once_in_order() {
        assert_eq!(COUNTRIES.len(), 249);
        assert!(COUNTRIES.windows(2).all(|pair| pair[0].0 < pair[1].0));
        for (code, en, fr, es, pt) in COUNTRIES {
            assert!(
                code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase()),
                "{code}"
            );
            for name in [en, fr, es, pt] {
                assert!(!name.is_empty() && name.trim() == *name, "{code}: {name:?}");
            }
        }
    }

    #[test]
    fn all_lists_every_code_in_order() {
        let codes: Vec<&str> = CountryCode::all().map(|code| code.as_str()).collect();
        assert_eq!(codes.len(), 249);
        assert_eq!(codes.first(), Some(&"AD"));
        assert_eq!(codes.last(), Some(&"ZW"));
        let distinct: HashSet<CountryCode> = CountryCode::all().collect();
        assert_eq!(distinct.len(), 249);
        for code in CountryCode::all() {
            assert_eq!(CountryCode::parse(code.as_str()), Ok(code));
        }
    }

    #[test]
    fn names_in_the_four_languages() {
        let names = |code: &str| Language::ALL.map(|language| country(code).name(language));
        assert_eq!(names("SN"), ["Senegal", "Sénégal", "Senegal", "Senegal"]);
        assert_eq!(names("CI"), ["Côte d'Ivoire"; 4]);
        assert_eq!(names("BR"), ["Brazil", "Brésil", "Brasil", "Brasil"]);
        assert_eq!(
            names("DE"),
            ["Germany", "Allemagne", "Alemania", "Alemanha"]
        );
        assert_eq!(names("PE"), ["Peru", "Pérou", "Perú", "Peru"]);
        assert_eq!(
            names("CD"),
            [
                "Democratic Republic of the Congo",
                "République démocratique du Congo",
                "República Democrática del Congo",
                "República Democrática do Congo",
            ]
        );
    }

    #[test]
    fn message_keys() {
        assert_eq!(CountryError::Empty.message_key(), "error-required");
        assert_eq!(CountryError::Invalid.message_key(), "error-country-invalid");
    }

    parsers_never_panic!(CountryCode::parse);

    proptest! {
        #[test]
        fn two_letter_input_is_accepted_exactly_when_in_the_table(code in "[A-Za-z]{2}") {
            let upper = code.to_ascii_uppercase();
            let in_table = COUNTRIES.iter().any(|row| row.0 == upper);
            prop_assert_eq!(CountryCode::parse(&code).is_ok(), in_table);
        }
    }
}
