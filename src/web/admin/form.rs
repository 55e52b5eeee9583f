//! The back office's form helpers: the inputs of a form turned into the
//! JSON body the API's parsers read, and stored values and problems back
//! into inputs.

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde_json::{Value, json};

use super::{Field, Problems, Translation};
use crate::domain::{FieldErrors, Language};
use crate::i18n::{self, Tr};
use crate::registration::RegistrationError;
use crate::web::AppError;

/// The input of `language`'s text in the API's field `group` ("names.fr").
pub(super) fn text_input(group: &str, language: Language) -> String {
    format!("{group}.{}", language.code())
}

/// The names of every input of texts by language, in each of the four
/// languages: a form may hold one for a language the event lacks.
pub(super) fn text_inputs(groups: &[(&str, &str, &str)]) -> Vec<String> {
    groups
        .iter()
        .flat_map(|(group, ..)| {
            Language::ALL
                .iter()
                .map(|&language| text_input(group, language))
        })
        .collect()
}

/// The API's object of texts by language from the inputs of `group`,
/// empty ones included: the parser leaves those out.
pub(super) fn texts_by_language(group: &str, value: impl Fn(&str) -> String) -> Value {
    Language::ALL
        .iter()
        .map(|&language| {
            let text = value(&text_input(group, language));
            (language.code().to_owned(), Value::from(text))
        })
        .collect::<serde_json::Map<_, _>>()
        .into()
}

/// Stored texts by language as the inputs of `group` show them.
pub(super) fn stored_texts(group: &str, texts: &Value) -> Vec<(String, String)> {
    Language::ALL
        .iter()
        .filter_map(|&language| {
            let text = texts.get(language.code())?.as_str()?;
            Some((text_input(group, language), text.to_owned()))
        })
        .collect()
}

/// A time as a `datetime-local` input shows it, in the event's zone.
pub(super) fn local_input(at: DateTime<Utc>, zone: Tz) -> String {
    at.with_timezone(&zone).format("%Y-%m-%dT%H:%M").to_string()
}

/// A `datetime-local` value, read in the event's zone, as RFC 3339.
/// Anything else goes on as typed, for the parser to refuse.
pub(super) fn instant(text: &str, zone: Tz) -> Value {
    let local = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S"));
    match local
        .ok()
        .and_then(|local| zone.from_local_datetime(&local).earliest())
    {
        Some(at) => json!(at.to_rfc3339()),
        None => json!(text),
    }
}

/// A number input: empty is `null` (no limit); what is not a whole number
/// goes on as text, for the parser to refuse.
pub(super) fn number(text: &str) -> Value {
    if text.is_empty() {
        Value::Null
    } else {
        text.parse::<i64>()
            .map_or_else(|_| json!(text), Value::from)
    }
}

/// The inputs of `fields` with the values and problems of this form.
pub(super) fn inputs(
    tr: &Tr,
    fields: &[(&'static str, &str, &'static str, Option<&str>)],
    value: impl Fn(&str) -> String,
    problems: &Problems,
) -> Vec<Field> {
    fields
        .iter()
        .map(|&(name, label, kind, hint)| Field {
            name: name.to_owned(),
            label: tr.t(label),
            kind,
            value: value(name),
            hint: hint.map(|id| tr.t(id)),
            error: problems.get(name).map(str::to_owned),
            lang: None,
        })
        .collect()
}

/// The event's languages in its order (the first is the one whose texts
/// stand in for a missing one), then the four others.
pub(super) fn in_event_order(languages: &[String]) -> Vec<Language> {
    let chosen = languages
        .iter()
        .filter_map(|code| Language::parse(code).ok());
    let mut ordered: Vec<Language> = Vec::new();
    for language in chosen.chain(Language::ALL) {
        if !ordered.contains(&language) {
            ordered.push(language);
        }
    }
    ordered
}

/// The inputs of the texts in other languages than the event's first: one
/// group for each of its other languages, and one for any language the
/// form holds a text or a problem for, so that it can be seen and emptied.
pub(super) fn translations(
    tr: &Tr,
    languages: &[String],
    groups: &[(&str, &str, &'static str)],
    value: impl Fn(&str) -> String,
    problems: &Problems,
) -> Vec<Translation> {
    in_event_order(languages)
        .into_iter()
        .enumerate()
        .filter_map(|(position, language)| {
            let fields: Vec<Field> = groups
                .iter()
                .map(|&(group, label, kind)| {
                    let name = text_input(group, language);
                    Field {
                        label: tr.t(label),
                        kind,
                        value: value(&name),
                        hint: None,
                        error: problems.get(&name).map(str::to_owned),
                        lang: Some(language.code()),
                        name,
                    }
                })
                .collect();
            let offered = position > 0 && languages.iter().any(|code| code == language.code());
            let held = fields
                .iter()
                .any(|field| !field.value.is_empty() || field.error.is_some());
            (offered || held).then(|| Translation {
                code: language.code(),
                name: i18n::language_name(language),
                fields,
            })
        })
        .collect()
}

/// The parser's answer: the set-up, or the problems to show on the form.
pub(super) fn parsed<T>(tr: &Tr, result: Result<T, FieldErrors>) -> Result<T, Problems> {
    result.map_err(|errors| Problems::of(tr.language(), &errors))
}

/// A use case's refusal as problems to show on the form; other failures
/// stay failures.
pub(super) fn refusal(language: Language, error: RegistrationError) -> Result<Problems, AppError> {
    match error {
        RegistrationError::Invalid(errors) => Ok(Problems::of(language, &errors)),
        other => Err(other.into()),
    }
}
