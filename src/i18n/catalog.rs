//! The Fluent bundles compiled into the binary, and the lookups pages make.

use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentError, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

use crate::domain::{FieldError, Language};

type Bundle = FluentBundle<FluentResource>;

static CATALOG: LazyLock<Catalog> = LazyLock::new(Catalog::load);

/// The messages of the four working languages, parsed once per process.
pub fn catalog() -> &'static Catalog {
    &CATALOG
}

/// The message `id` in `language`, in English if that language lacks it.
pub fn t(language: Language, id: &str) -> String {
    catalog().format(language, id, None)
}

/// Like [`t`], with arguments: `t_args(Language::Fr, "event-places-left", &[("count", 3.into())])`.
pub fn t_args(language: Language, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
    let args: FluentArgs = args
        .iter()
        .map(|(name, value)| (*name, value.clone()))
        .collect();
    catalog().format(language, id, Some(&args))
}

/// Whether `language` itself has the message, without falling back to English.
/// A field's problem in words, in `language`: English for API clients and
/// the command line, the reader's language on pages and in the back office.
pub fn field_message(language: Language, error: &FieldError) -> String {
    // Numbers stay numbers, so Fluent can choose the plural form.
    let args: Vec<(&str, FluentValue)> = error
        .args
        .iter()
        .map(|(name, value)| match value.parse::<i64>() {
            Ok(number) => (*name, FluentValue::from(number)),
            Err(_) => (*name, FluentValue::from(value.as_str())),
        })
        .collect();
    t_args(language, error.message_id, &args)
}

pub fn has_message(language: Language, id: &str) -> bool {
    catalog().has_message(language, id)
}

pub struct Catalog {
    en: Bundle,
    fr: Bundle,
    es: Bundle,
    pt: Bundle,
}

impl Catalog {
    /// The built-in files are part of the program: one that does not parse
    /// is a programmer error, caught by the tests, never by a delegate.
    fn load() -> Self {
        Self {
            en: build_bundle(Language::En, source(Language::En)),
            fr: build_bundle(Language::Fr, source(Language::Fr)),
            es: build_bundle(Language::Es, source(Language::Es)),
            pt: build_bundle(Language::Pt, source(Language::Pt)),
        }
    }

    fn bundle(&self, language: Language) -> &Bundle {
        match language {
            Language::En => &self.en,
            Language::Fr => &self.fr,
            Language::Es => &self.es,
            Language::Pt => &self.pt,
        }
    }

    pub fn has_message(&self, language: Language, id: &str) -> bool {
        self.bundle(language)
            .get_message(id)
            .is_some_and(|message| message.value().is_some())
    }

    /// Never fails: a page with one English phrase, or at worst a message
    /// id, is better than no page; the log says what is missing.
    pub fn format(&self, language: Language, id: &str, args: Option<&FluentArgs>) -> String {
        if let Some(text) = self.format_in(language, id, args) {
            return text;
        }
        if let Some(text) = self.format_in(Language::En, id, args) {
            tracing::warn!(%language, message_id = id, "message missing, shown in English");
            return text;
        }
        tracing::warn!(%language, message_id = id, "message missing in every language");
        id.to_owned()
    }

    fn format_in(&self, language: Language, id: &str, args: Option<&FluentArgs>) -> Option<String> {
        let (text, errors) = self.format_with_errors(language, id, args)?;
        if !errors.is_empty() {
            tracing::warn!(%language, message_id = id, ?errors, "message formatted with errors");
        }
        Some(text)
    }

    fn format_with_errors(
        &self,
        language: Language,
        id: &str,
        args: Option<&FluentArgs>,
    ) -> Option<(String, Vec<FluentError>)> {
        let bundle = self.bundle(language);
        let pattern = bundle.get_message(id)?.value()?;
        let mut errors = Vec::new();
        let text = bundle
            .format_pattern(pattern, args, &mut errors)
            .into_owned();
        Some((text, errors))
    }
}

/// The public pages' messages, then the back office's, as one resource.
fn source(language: Language) -> &'static str {
    macro_rules! files {
        ($code:literal) => {
            concat!(
                include_str!(concat!("../../locales/", $code, "/main.ftl")),
                "\n",
                include_str!(concat!("../../locales/", $code, "/admin.ftl"))
            )
        };
    }
    match language {
        Language::En => files!("en"),
        Language::Fr => files!("fr"),
        Language::Es => files!("es"),
        Language::Pt => files!("pt"),
    }
}

fn build_bundle(language: Language, source: &str) -> Bundle {
    let code = language.code();
    let resource = FluentResource::try_new(source.to_owned())
        .unwrap_or_else(|(_, errors)| panic!("locales/{code}/main.ftl does not parse: {errors:?}"));
    let locale: LanguageIdentifier = code
        .parse()
        .unwrap_or_else(|error| panic!("{code} is not a language identifier: {error}"));
    // The locale picks the CLDR plural rules, e.g. French puts 0 with 1.
    let mut bundle = Bundle::new_concurrent(vec![locale]);
    // Fluent would wrap every argument in U+2068/U+2069 isolation marks; all
    // four languages run left to right, and the marks would only end up as
    // stray characters in HTML, emails and exports.
    bundle.set_use_isolating(false);
    bundle
        .add_resource(resource)
        .unwrap_or_else(|errors| panic!("locales/{code}/main.ftl is inconsistent: {errors:?}"));
    bundle
}

/// A page's language, handed to templates:
/// `{{ tr.t("form-submit") }}`, `{{ tr.t1("event-places-left", "count", remaining) }}`.
///
/// The values may be numbers, strings or references to either, since askama
/// passes template variables by reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tr {
    language: Language,
}

impl Tr {
    pub fn new(language: Language) -> Self {
        Self { language }
    }

    pub fn language(&self) -> Language {
        self.language
    }

    pub fn t(&self, id: &str) -> String {
        catalog().format(self.language, id, None)
    }

    pub fn t1<'a>(&self, id: &str, name: &'a str, value: impl Into<FluentValue<'a>>) -> String {
        let mut args = FluentArgs::with_capacity(1);
        args.set(name, value);
        catalog().format(self.language, id, Some(&args))
    }

    pub fn t2<'a>(
        &self,
        id: &str,
        first_name: &'a str,
        first_value: impl Into<FluentValue<'a>>,
        second_name: &'a str,
        second_value: impl Into<FluentValue<'a>>,
    ) -> String {
        let mut args = FluentArgs::with_capacity(2);
        args.set(first_name, first_value);
        args.set(second_name, second_value);
        catalog().format(self.language, id, Some(&args))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::i18n::{ADMIN_MESSAGE_IDS, MESSAGE_IDS};

    /// Messages start at the beginning of a line with an identifier and `=`;
    /// continuation lines, variants, comments and terms (`-term`) do not.
    fn ids_in(source: &str) -> BTreeSet<&str> {
        source
            .lines()
            .filter(|line| line.starts_with(|c: char| c.is_ascii_alphabetic()))
            .filter_map(|line| line.split_once('='))
            .map(|(id, _)| id.trim_end())
            .collect()
    }

    fn listed_ids() -> BTreeSet<&'static str> {
        MESSAGE_IDS
            .iter()
            .chain(ADMIN_MESSAGE_IDS)
            .copied()
            .collect()
    }

    #[test]
    fn message_id_list_has_no_duplicates() {
        assert_eq!(
            listed_ids().len(),
            MESSAGE_IDS.len() + ADMIN_MESSAGE_IDS.len()
        );
    }

    #[test]
    fn every_file_parses_without_errors() {
        for language in Language::ALL {
            if let Err((_, errors)) = FluentResource::try_new(source(language).to_owned()) {
                panic!("locales/{language}/main.ftl: {errors:?}");
            }
        }
    }

    #[test]
    fn every_language_has_exactly_the_listed_messages_with_values() {
        for language in Language::ALL {
            let defined = ids_in(source(language));
            let listed = listed_ids();
            let missing: Vec<_> = listed.difference(&defined).collect();
            let extra: Vec<_> = defined.difference(&listed).collect();
            assert!(missing.is_empty(), "{language} lacks {missing:?}");
            assert!(extra.is_empty(), "{language} has unlisted {extra:?}");
            for id in MESSAGE_IDS.iter().chain(ADMIN_MESSAGE_IDS) {
                assert!(has_message(language, id), "{language}: {id} has no value");
            }
        }
    }

    /// Distinct values, so that the output shows which arguments a
    /// translation actually prints.
    fn sample_args() -> FluentArgs<'static> {
        let args: [(&str, FluentValue); 29] = [
            ("count", 37.into()),
            ("question", "<question>".into()),
            ("answers", "<answers>".into()),
            ("min", 47.into()),
            ("max", 93.into()),
            ("position", 58.into()),
            ("start", "<start>".into()),
            ("end", "<end>".into()),
            ("opens", "<opens>".into()),
            ("closes", "<closes>".into()),
            ("room", "<room>".into()),
            ("event", "<event>".into()),
            ("code", "<code>".into()),
            ("first", "<first>".into()),
            ("second", "<second>".into()),
            ("reference", "<reference>".into()),
            ("email", "<email>".into()),
            ("status", "<status>".into()),
            ("name", "<name>".into()),
            ("taken", 71.into()),
            ("line", 64.into()),
            ("problem", "<problem>".into()),
            ("reason", "<reason>".into()),
            ("categories", "<categories>".into()),
            ("accepted", 3.into()),
            ("refused", 2.into()),
            ("page", 23.into()),
            ("pages", 29.into()),
            ("time", "<time>".into()),
        ];
        args.into_iter().collect()
    }

    fn printed_args<'a>(text: &str, args: &'a FluentArgs) -> BTreeSet<&'a str> {
        args.iter()
            .filter(|(_, value)| match value {
                FluentValue::String(shown) => text.contains(shown.as_ref()),
                FluentValue::Number(number) => text.contains(&number.value.to_string()),
                _ => false,
            })
            .map(|(name, _)| name)
            .collect()
    }

    #[test]
    fn every_message_formats_cleanly_and_prints_the_same_arguments_everywhere() {
        let args = sample_args();
        for id in MESSAGE_IDS.iter().chain(ADMIN_MESSAGE_IDS) {
            let printed_in_english = {
                let (text, _) = catalog()
                    .format_with_errors(Language::En, id, Some(&args))
                    .unwrap_or_else(|| panic!("en lacks {id}"));
                printed_args(&text, &args)
            };
            for language in Language::ALL {
                let (text, errors) = catalog()
                    .format_with_errors(language, id, Some(&args))
                    .unwrap_or_else(|| panic!("{language} lacks {id}"));
                assert!(errors.is_empty(), "{language} {id}: {errors:?}");
                assert!(!text.trim().is_empty(), "{language} {id} is empty");
                assert!(
                    !text.contains(['\u{2068}', '\u{2069}']),
                    "{language} {id} has isolation marks"
                );
                assert_eq!(
                    printed_args(&text, &args),
                    printed_in_english,
                    "{language} {id} prints other arguments than English: {text}"
                );
            }
        }
    }

    fn places_left(language: Language, count: u32) -> String {
        t_args(language, "event-places-left", &[("count", count.into())])
    }

    #[test]
    fn places_left_follow_each_language_plural_rules() {
        assert_eq!(places_left(Language::En, 1), "1 place left");
        assert_eq!(places_left(Language::En, 2), "2 places left");
        assert_eq!(places_left(Language::En, 0), "0 places left");
        assert_eq!(places_left(Language::Fr, 0), "0 place restante");
        assert_eq!(places_left(Language::Fr, 1), "1 place restante");
        assert_eq!(places_left(Language::Fr, 2), "2 places restantes");
        assert_eq!(places_left(Language::Es, 1), "Queda 1 plaza");
        assert_eq!(places_left(Language::Es, 12), "Quedan 12 plazas");
        assert_eq!(places_left(Language::Pt, 0), "Restam 0 vagas");
        assert_eq!(places_left(Language::Pt, 1), "Resta 1 vaga");
        assert_eq!(places_left(Language::Pt, 5), "Restam 5 vagas");
    }

    #[test]
    fn error_summary_title_counts_problems() {
        let tr = Tr::new(Language::En);
        assert_eq!(
            tr.t1("form-errors-title", "count", 1),
            "There is one problem with your registration"
        );
        assert_eq!(
            tr.t1("form-errors-title", "count", 3),
            "There are 3 problems with your registration"
        );
        let tr = Tr::new(Language::Fr);
        assert_eq!(
            tr.t1("form-errors-title", "count", 2),
            "Votre inscription comporte 2 problèmes"
        );
    }

    #[test]
    fn french_waiting_list_position_is_an_ordinal() {
        let tr = Tr::new(Language::Fr);
        assert_eq!(
            tr.t1("confirm-waitlist-position", "position", 1),
            "Votre position : 1ʳᵉ sur la liste d'attente."
        );
        assert_eq!(
            tr.t1("confirm-waitlist-position", "position", 2),
            "Votre position : 2ᵉ sur la liste d'attente."
        );
        assert_eq!(
            t_args(
                Language::Es,
                "confirm-waitlist-position",
                &[("position", 3.into())]
            ),
            "Ocupa el puesto 3 en la lista de espera."
        );
        assert_eq!(
            t_args(
                Language::Pt,
                "confirm-waitlist-position",
                &[("position", 3.into())]
            ),
            "Você está na posição 3 na lista de espera."
        );
    }

    #[test]
    fn template_helpers_take_values_by_reference_as_askama_passes_them() {
        let remaining: &usize = &12;
        let code = String::from("A3");
        let tr = Tr::new(Language::Pt);
        assert_eq!(tr.language(), Language::Pt);
        assert_eq!(tr.t("event-full"), "Esgotado");
        assert_eq!(
            tr.t1("event-places-left", "count", remaining),
            "Restam 12 vagas"
        );
        assert_eq!(
            tr.t2("error-sessions-overlap", "first", &code, "second", "P1"),
            "As sessões A3 e P1 acontecem ao mesmo tempo: escolha apenas uma."
        );
    }

    #[test]
    fn arguments_are_inserted_without_isolation_marks() {
        assert_eq!(
            t_args(
                Language::Fr,
                "confirm-reference",
                &[("reference", "DKR-7K3QX".into())]
            ),
            "Votre référence : DKR-7K3QX"
        );
    }

    #[test]
    fn status_words_agree_with_registration() {
        assert_eq!(t(Language::Fr, "status-cancelled"), "annulée");
        assert_eq!(t(Language::Es, "status-confirmed"), "confirmada");
        assert_eq!(t(Language::Pt, "status-cancelled"), "cancelada");
    }

    #[test]
    fn missing_messages_fall_back_to_english_then_to_the_id() {
        let catalog = Catalog {
            en: build_bundle(Language::En, "only-english = In English\n"),
            fr: build_bundle(Language::Fr, "no-value =\n    .label = Étiquette\n"),
            es: build_bundle(Language::Es, ""),
            pt: build_bundle(Language::Pt, ""),
        };
        assert!(!catalog.has_message(Language::Fr, "only-english"));
        assert!(!catalog.has_message(Language::Fr, "no-value"));
        assert_eq!(
            catalog.format(Language::Fr, "only-english", None),
            "In English"
        );
        assert_eq!(catalog.format(Language::Fr, "no-value", None), "no-value");
        assert_eq!(catalog.format(Language::En, "nowhere", None), "nowhere");
        assert_eq!(t(Language::Pt, "no-such-message"), "no-such-message");
    }

    #[test]
    #[should_panic(expected = "locales/fr/main.ftl does not parse")]
    fn a_broken_built_in_file_stops_with_its_name() {
        build_bundle(Language::Fr, "broken = { $unclosed\n");
    }
}
