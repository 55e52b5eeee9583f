//! Identifiers organisers type (session codes, event slugs) and the rule that
//! a delegate cannot sit in two rooms at once.

use std::fmt;

use chrono::{DateTime, Utc};

const MAX_SESSION_CODE: usize = 16;
const MAX_SLUG: usize = 64;

/// A short code printed on programmes and badges, e.g. `W-12` or `PLEN_1`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SessionCode(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SessionCodeError {
    #[error("a session code is required")]
    Empty,
    #[error("the session code must be at most {MAX_SESSION_CODE} characters")]
    TooLong,
    #[error("a session code may only contain letters, digits, '-' and '_'")]
    Invalid,
}

impl SessionCodeError {
    pub fn message_key(&self) -> &'static str {
        match self {
            Self::Empty => "error-required",
            Self::TooLong => "error-too-long",
            Self::Invalid => "error-session-code-invalid",
        }
    }

    pub fn max(&self) -> Option<usize> {
        match self {
            Self::TooLong => Some(MAX_SESSION_CODE),
            Self::Empty | Self::Invalid => None,
        }
    }
}

impl SessionCode {
    pub fn parse(input: &str) -> Result<Self, SessionCodeError> {
        let code = input.trim();
        if code.is_empty() {
            return Err(SessionCodeError::Empty);
        }
        if !code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(SessionCodeError::Invalid);
        }
        if code.len() > MAX_SESSION_CODE {
            return Err(SessionCodeError::TooLong);
        }
        Ok(Self(code.to_ascii_uppercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for SessionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The event's part of public URLs, e.g. `/e/dakar-2027/register`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EventSlug(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SlugError {
    #[error("a slug is required")]
    Empty,
    #[error("the slug must be at most {MAX_SLUG} characters")]
    TooLong,
    #[error(
        "a slug may only contain lowercase letters, digits and '-', and may not start or end with '-'"
    )]
    Invalid,
}

impl SlugError {
    pub fn message_key(&self) -> &'static str {
        match self {
            Self::Empty => "error-required",
            Self::TooLong => "error-too-long",
            Self::Invalid => "error-slug-invalid",
        }
    }

    pub fn max(&self) -> Option<usize> {
        match self {
            Self::TooLong => Some(MAX_SLUG),
            Self::Empty | Self::Invalid => None,
        }
    }
}

impl EventSlug {
    pub fn parse(input: &str) -> Result<Self, SlugError> {
        let slug = input.trim().to_ascii_lowercase();
        if slug.is_empty() {
            return Err(SlugError::Empty);
        }
        if slug.starts_with('-')
            || slug.ends_with('-')
            || !slug
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            return Err(SlugError::Invalid);
        }
        if slug.len() > MAX_SLUG {
            return Err(SlugError::TooLong);
        }
        Ok(Self(slug))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EventSlug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Finds two slots that share some instant, with slots as half-open
/// intervals `[start, end)`: a session ending at 10:00 leaves the delegate
/// free for one starting at 10:00. A slot that ends at or before its start
/// covers no time and so overlaps nothing.
///
/// The pair is returned in the order the items appear in `slots`.
pub fn first_overlap<T>(slots: &[(T, DateTime<Utc>, DateTime<Utc>)]) -> Option<(&T, &T)> {
    let mut by_start: Vec<usize> = (0..slots.len())
        .filter(|&index| slots[index].1 < slots[index].2)
        .collect();
    by_start.sort_by_key(|&index| slots[index].1);

    // Sweep in start order, remembering the slot that reaches furthest: any
    // later-starting slot that overlaps an earlier one overlaps that one too.
    let mut furthest: Option<usize> = None;
    for index in by_start {
        if let Some(previous) = furthest
            && slots[index].1 < slots[previous].2
        {
            let (first, second) = (previous.min(index), previous.max(index));
            return Some((&slots[first].0, &slots[second].0));
        }
        if furthest.is_none_or(|previous| slots[index].2 > slots[previous].2) {
            furthest = Some(index);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::testing::{assert_refused, assert_shown, parsers_never_panic};
    use chrono::{Duration, TimeZone};
    use proptest::prelude::*;

    #[test]
    fn session_codes_are_uppercased() {
        let code = assert_shown(
            SessionCode::parse,
            SessionCode::as_str,
            "  w-12_b ",
            "W-12_B",
        );
        assert_eq!(SessionCode::parse("W-12_B"), Ok(code));
        assert!(SessionCode::parse("a").is_ok());
        assert!(SessionCode::parse("-").is_ok());
        assert!(SessionCode::parse(&"x".repeat(16)).is_ok());
    }

    #[test]
    fn rejects_bad_session_codes() {
        assert_refused(SessionCode::parse, &["", "   "], SessionCodeError::Empty);
        assert_eq!(
            SessionCode::parse(&"x".repeat(17)),
            Err(SessionCodeError::TooLong)
        );
        assert_refused(
            SessionCode::parse,
            &["W 12", "W.12", "séance", "W/12", "W12\u{0}", "Ｗ12"],
            SessionCodeError::Invalid,
        );
        assert_eq!(
            SessionCode::parse(&"é".repeat(17)),
            Err(SessionCodeError::Invalid)
        );
    }

    #[test]
    fn session_code_errors() {
        assert_eq!(SessionCodeError::Empty.message_key(), "error-required");
        assert_eq!(SessionCodeError::TooLong.message_key(), "error-too-long");
        assert_eq!(SessionCodeError::TooLong.max(), Some(16));
        assert_eq!(
            SessionCodeError::Invalid.message_key(),
            "error-session-code-invalid"
        );
        assert_eq!(SessionCodeError::Invalid.max(), None);
    }

    #[test]
    fn slugs_are_lowercased() {
        assert_shown(
            EventSlug::parse,
            EventSlug::as_str,
            " Dakar-2027 ",
            "dakar-2027",
        );
        assert!(EventSlug::parse("a").is_ok());
        assert!(EventSlug::parse("ripess--2005").is_ok());
        assert!(EventSlug::parse(&"a".repeat(64)).is_ok());
    }

    #[test]
    fn rejects_bad_slugs() {
        assert_eq!(EventSlug::parse(" "), Err(SlugError::Empty));
        assert_eq!(EventSlug::parse(&"a".repeat(65)), Err(SlugError::TooLong));
        assert_refused(
            EventSlug::parse,
            &[
                "-dakar",
                "dakar-",
                "-",
                "dakar_2027",
                "dakar 2027",
                "québec",
                "a/b",
                "a.b",
            ],
            SlugError::Invalid,
        );
    }

    #[test]
    fn slug_errors() {
        assert_eq!(SlugError::Empty.message_key(), "error-required");
        assert_eq!(SlugError::TooLong.message_key(), "error-too-long");
        assert_eq!(SlugError::TooLong.max(), Some(64));
        assert_eq!(SlugError::Invalid.message_key(), "error-slug-invalid");
    }

    fn at(hour: u32, minute: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2027, 11, 22, hour, minute, 0)
            .single()
            .expect("valid time")
    }

    #[test]
    fn back_to_back_sessions_do_not_overlap() {
        let slots = [
            ("opening", at(9, 0), at(10, 0)),
            ("workshop", at(10, 0), at(12, 0)),
            ("lunch", at(12, 0), at(13, 0)),
        ];
        assert_eq!(first_overlap(&slots), None);
    }

    #[test]
    fn finds_overlapping_sessions() {
        let slots = [
            ("plenary", at(9, 0), at(11, 0)),
            ("lunch", at(12, 0), at(13, 0)),
            ("workshop", at(10, 30), at(12, 0)),
        ];
        assert_eq!(first_overlap(&slots), Some((&"plenary", &"workshop")));
    }

    #[test]
    fn finds_a_session_nested_in_a_long_one() {
        let slots = [
            ("short", at(14, 0), at(14, 30)),
            ("day", at(9, 0), at(18, 0)),
        ];
        assert_eq!(first_overlap(&slots), Some((&"short", &"day")));
    }

    #[test]
    fn identical_slots_overlap_and_empty_slots_never_do() {
        let slots = [("a", at(9, 0), at(10, 0)), ("b", at(9, 0), at(10, 0))];
        assert_eq!(first_overlap(&slots), Some((&"a", &"b")));
        let slots = [("empty", at(9, 30), at(9, 30)), ("a", at(9, 0), at(10, 0))];
        assert_eq!(first_overlap(&slots), None);
        let slots = [
            ("inverted", at(11, 0), at(8, 0)),
            ("a", at(9, 0), at(10, 0)),
        ];
        assert_eq!(first_overlap(&slots), None);
        assert_eq!(first_overlap::<&str>(&[]), None);
    }

    /// Two slots overlap when some instant lies in both.
    fn overlaps(a: (i64, i64), b: (i64, i64)) -> bool {
        a.0.max(b.0) < a.1.min(b.1)
    }

    parsers_never_panic!(SessionCode::parse, EventSlug::parse);

    proptest! {
        #[test]
        fn parsed_codes_and_slugs_round_trip(input in "[ a-zA-Z0-9_-]{0,20}") {
            if let Ok(code) = SessionCode::parse(&input) {
                prop_assert_eq!(SessionCode::parse(code.as_str()), Ok(code));
            }
            if let Ok(slug) = EventSlug::parse(&input) {
                prop_assert_eq!(EventSlug::parse(slug.as_str()), Ok(slug));
            }
        }

        #[test]
        fn first_overlap_agrees_with_brute_force(
            intervals in proptest::collection::vec((0i64..48, 0i64..12), 0..12)
        ) {
            // Quarter-hour steps on one day keep collisions and touching ends
            // frequent; some slots are empty or inverted on purpose.
            let base = at(0, 0);
            let quarter = |n: i64| base + Duration::minutes(15 * n);
            let spans: Vec<(i64, i64)> = intervals
                .iter()
                .map(|&(start, length)| (start, start + length - 2))
                .collect();
            let slots: Vec<(usize, DateTime<Utc>, DateTime<Utc>)> = spans
                .iter()
                .enumerate()
                .map(|(index, &(start, end))| (index, quarter(start), quarter(end)))
                .collect();

            let any_overlap = (0..spans.len())
                .any(|i| (i + 1..spans.len()).any(|j| overlaps(spans[i], spans[j])));
            match first_overlap(&slots) {
                None => prop_assert!(!any_overlap),
                Some((&i, &j)) => {
                    prop_assert!(i < j);
                    prop_assert!(overlaps(spans[i], spans[j]));
                }
            }
        }
    }
}
