//! Which language a page speaks.

use crate::domain::Language;

/// Picks the page language: the `?lang=` of the address (a delegate who
/// just clicked the switcher), then the cookie (what they chose before),
/// then the browser's `Accept-Language`, then the event's first language,
/// then English.
///
/// A candidate counts only if the event offers it; an empty
/// `event_languages` offers all four. Anything unparsable is skipped, never
/// an error: a page is always served in some language.
pub fn negotiate(
    query_lang: Option<&str>,
    cookie_lang: Option<&str>,
    accept_language: Option<&str>,
    event_languages: &[Language],
) -> Language {
    let offered =
        |language: &Language| event_languages.is_empty() || event_languages.contains(language);
    let chosen = [query_lang, cookie_lang]
        .into_iter()
        .flatten()
        .filter_map(|tag| Language::parse(tag).ok());
    chosen
        .chain(accept_language.into_iter().flat_map(accepted_languages))
        .find(offered)
        .or_else(|| event_languages.first().copied())
        .unwrap_or(Language::En)
}

/// The working languages of an `Accept-Language` header, most wanted first;
/// equal weights keep the header's order (the sort is stable).
fn accepted_languages(header: &str) -> Vec<Language> {
    let mut ranges: Vec<(f32, Language)> = header.split(',').filter_map(language_range).collect();
    ranges.sort_by(|a, b| b.0.total_cmp(&a.0));
    ranges.into_iter().map(|(_, language)| language).collect()
}

/// One `tag;q=0.8` item. `*` and languages we do not speak parse to
/// nothing; so does `q=0`, which means "not this one".
fn language_range(item: &str) -> Option<(f32, Language)> {
    let mut parts = item.split(';');
    let language = Language::parse(parts.next()?).ok()?;
    let mut quality = 1.0;
    for parameter in parts {
        let (name, value) = parameter.split_once('=')?;
        if name.trim().eq_ignore_ascii_case("q") {
            quality = value
                .trim()
                .parse::<f32>()
                .ok()
                .filter(|q| (0.0..=1.0).contains(q))?;
        }
    }
    (quality > 0.0).then_some((quality, language))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// An event that has not restricted its languages.
    const ANY_LANGUAGE: &[Language] = &[];

    /// The language of a visitor who sent only this `Accept-Language`.
    fn from_header(header: &str) -> Language {
        negotiate(None, None, Some(header), ANY_LANGUAGE)
    }

    #[test]
    fn accept_language_is_ordered_by_quality() {
        assert_eq!(from_header("es;q=0.4, pt-BR;q=0.9, fr;q=0.1"), Language::Pt);
    }

    #[test]
    fn missing_quality_means_one_and_ties_keep_header_order() {
        assert_eq!(from_header("de, fr-SN;q=0.8, es"), Language::Es);
        assert_eq!(from_header("pt;q=0.5, fr;q=0.5"), Language::Pt);
    }

    #[test]
    fn wildcard_zero_quality_and_garbage_are_ignored() {
        let header = "*, fr;q=0, es;q=abc, de;q=0.9, ;;, pt;q=1.5, en;q=0.2";
        assert_eq!(from_header(header), Language::En);
        assert_eq!(
            negotiate(None, None, Some("*"), &[Language::Fr, Language::Es]),
            Language::Fr
        );
    }

    #[test]
    fn cookie_wins_over_the_header() {
        assert_eq!(
            negotiate(None, Some("es"), Some("fr, en"), ANY_LANGUAGE),
            Language::Es
        );
    }

    #[test]
    fn query_wins_over_the_cookie() {
        assert_eq!(
            negotiate(Some("pt"), Some("es"), Some("fr"), ANY_LANGUAGE),
            Language::Pt
        );
    }

    #[test]
    fn unsupported_query_falls_through_to_the_cookie() {
        assert_eq!(
            negotiate(Some("de"), Some("es"), Some("fr"), ANY_LANGUAGE),
            Language::Es
        );
        assert_eq!(
            negotiate(Some(""), None, Some("fr"), ANY_LANGUAGE),
            Language::Fr
        );
    }

    #[test]
    fn only_languages_the_event_offers_count() {
        let event = &[Language::Fr, Language::Es];
        assert_eq!(
            negotiate(Some("pt"), Some("en"), Some("pt-BR, es;q=0.5"), event),
            Language::Es
        );
        assert_eq!(negotiate(Some("en"), None, None, event), Language::Fr);
    }

    #[test]
    fn falls_back_to_the_event_first_language_then_english() {
        let event = &[Language::Es, Language::Fr];
        assert_eq!(negotiate(None, None, Some("de, ar"), event), Language::Es);
        assert_eq!(negotiate(None, None, None, ANY_LANGUAGE), Language::En);
    }

    proptest! {
        #[test]
        fn always_answers_an_offered_language(
            query in proptest::option::of(".{0,12}"),
            cookie in proptest::option::of(".{0,12}"),
            header in proptest::option::of(".{0,60}"),
            offered in proptest::sample::subsequence(Language::ALL.to_vec(), 0..=4),
        ) {
            let language = negotiate(query.as_deref(), cookie.as_deref(), header.as_deref(), &offered);
            prop_assert!(offered.is_empty() || offered.contains(&language));
        }
    }
}
