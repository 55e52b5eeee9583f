//! Back-office forms: the body as sent (URL-encoded, or
//! `multipart/form-data` when it carries a file, the quota import; repeated
//! keys are kept: a form sends one pair per ticked box), and the helpers
//! that turn inputs into the JSON bodies the API's parsers read and the
//! stored values and problems back into inputs.

use actix_web::http::header::CONTENT_TYPE;
use actix_web::{HttpRequest, web};
use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde_json::{Value, json};

use super::{Field, Problems, Translation};
use crate::domain::{FieldErrors, Language};
use crate::i18n::{self, Tr};
use crate::registration::RegistrationError;
use crate::web::AppError;
use crate::web::input::read_body;

pub struct Form(Vec<(String, String)>);

impl Form {
    /// Reads the body, refusing more than `limit` bytes with 413.
    pub async fn read(
        request: &HttpRequest,
        payload: web::Payload,
        limit: usize,
    ) -> Result<Form, AppError> {
        let body = read_body(payload, limit).await?;
        let content_type = request
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default();
        let pairs = match multipart_boundary(content_type) {
            Some(boundary) => multipart_fields(&body, boundary)?,
            None => {
                let text = std::str::from_utf8(&body)
                    .map_err(|_| AppError::unreadable("body", "not UTF-8"))?;
                // A form body is encoded as a query string is.
                web::Query::<Vec<(String, String)>>::from_query(text)
                    .map_err(|error| AppError::unreadable("body", error))?
                    .into_inner()
            }
        };
        Ok(Form(pairs))
    }

    /// The first value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find_map(|(key, value)| (key == name).then_some(value.as_str()))
    }

    /// The first value of `name` without surrounding blanks; empty when absent.
    pub fn text(&self, name: &str) -> &str {
        self.get(name).map(str::trim).unwrap_or_default()
    }

    /// Every value of `name`, in the order sent.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
            .collect()
    }
}

fn multipart_boundary(content_type: &str) -> Option<&str> {
    let (mime, parameters) = content_type.split_once(';')?;
    if !mime.trim().eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    parameters.split(';').find_map(|parameter| {
        let (name, value) = parameter.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("boundary")
            .then(|| value.trim().trim_matches('"'))
    })
}

fn malformed() -> AppError {
    AppError::unreadable("body", "not a well-formed multipart form")
}

fn position(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

/// The named parts of a multipart body (RFC 7578) as browsers send them. A
/// file's bytes are read as UTF-8 with bad bytes replaced, so that a file
/// saved in another encoding is refused line by line, where the organiser
/// can see what is wrong, rather than as a whole.
fn multipart_fields(body: &[u8], boundary: &str) -> Result<Vec<(String, String)>, AppError> {
    let first = format!("--{boundary}");
    let between = format!("\r\n--{boundary}");
    let mut rest = body.strip_prefix(first.as_bytes()).ok_or_else(malformed)?;
    let mut fields = Vec::new();
    // After each delimiter: `--` closes the body, a line break opens a part.
    while !rest.starts_with(b"--") {
        let part = rest.strip_prefix(b"\r\n").ok_or_else(malformed)?;
        let end = position(part, between.as_bytes()).ok_or_else(malformed)?;
        rest = &part[end + between.len()..];
        let part = &part[..end];
        let headers_end = position(part, b"\r\n\r\n").ok_or_else(malformed)?;
        let headers = String::from_utf8_lossy(&part[..headers_end]);
        let name = headers
            .lines()
            .find_map(disposition_name)
            .ok_or_else(malformed)?;
        let value = String::from_utf8_lossy(&part[headers_end + 4..]).into_owned();
        fields.push((name, value));
    }
    Ok(fields)
}

/// The `name` of a `Content-Disposition: form-data; name="…"` header line.
fn disposition_name(line: &str) -> Option<String> {
    let (header, value) = line.split_once(':')?;
    if !header.trim().eq_ignore_ascii_case("content-disposition") {
        return None;
    }
    value
        .split(';')
        .find_map(|parameter| parameter.trim().strip_prefix("name="))
        .map(|name| name.trim_matches('"').to_owned())
}

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
            error: problems.get(name),
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
                        error: problems.get(&name),
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

#[cfg(test)]
mod tests {
    use proptest::collection::vec;
    use proptest::prelude::*;

    use super::*;
    use crate::web::organiser_input::ListQuery;
    use crate::web::query::query_string;

    const BODY: &str = "--XyZ\r\n\
        Content-Disposition: form-data; name=\"csrf_token\"\r\n\r\n\
        abc\r\n\
        --XyZ\r\n\
        Content-Disposition: form-data; name=\"file\"; filename=\"quotas.csv\"\r\n\
        Content-Type: text/csv\r\n\r\n\
        country,capacity\r\nSN,3\r\n\r\n\
        --XyZ\r\n\
        Content-Disposition: form-data; name=\"lines\"\r\n\r\n\
        \r\n\
        --XyZ--\r\n";

    #[test]
    fn multipart_parts_keep_their_names_and_exact_contents() {
        let boundary = multipart_boundary("multipart/form-data; boundary=\"XyZ\"").unwrap();
        let fields = multipart_fields(BODY.as_bytes(), boundary).unwrap();
        let expected = [
            ("csrf_token", "abc"),
            ("file", "country,capacity\r\nSN,3\r\n"),
            ("lines", ""),
        ];
        assert_eq!(fields.len(), expected.len());
        for ((name, value), (want_name, want_value)) in fields.iter().zip(expected) {
            assert_eq!((name.as_str(), value.as_str()), (want_name, want_value));
        }
    }

    #[test]
    fn only_multipart_bodies_have_a_boundary_and_broken_ones_are_refused() {
        assert_eq!(
            multipart_boundary("application/x-www-form-urlencoded"),
            None
        );
        assert_eq!(multipart_boundary("multipart/form-data"), None);
        assert!(multipart_fields(b"--XyZ\r\nno end", "XyZ").is_err());
        assert!(multipart_fields(b"garbage", "XyZ").is_err());
        let invalid_utf8 =
            b"--B\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nC\xF4te\r\n--B--";
        let fields = multipart_fields(invalid_utf8, "B").unwrap();
        assert_eq!(fields[0].1, "C\u{FFFD}te");
    }

    /// Pieces of multipart bodies, so that random bodies reach every branch.
    fn multipart_piece() -> impl Strategy<Value = Vec<u8>> {
        prop_oneof![
            Just(b"--B".to_vec()),
            Just(b"--".to_vec()),
            Just(b"\r\n".to_vec()),
            Just(b"\r\n\r\n".to_vec()),
            Just(b"Content-Disposition: form-data; name=\"file\"".to_vec()),
            Just(b"content-disposition:name=".to_vec()),
            vec(any::<u8>(), 0..12),
        ]
    }

    proptest! {
        #[test]
        fn any_content_type_and_body_is_read_or_refused(
            content_type in any::<String>(),
            boundary in any::<String>(),
            body in vec(any::<u8>(), 0..600),
        ) {
            let _ = multipart_boundary(&content_type);
            let _ = multipart_fields(&body, &boundary);
        }

        #[test]
        fn bodies_made_of_multipart_pieces_are_read_or_refused(
            pieces in vec(multipart_piece(), 0..24)
        ) {
            if let Ok(fields) = multipart_fields(&pieces.concat(), "B") {
                prop_assert!(fields.len() <= pieces.len());
            }
        }

        #[test]
        fn multipart_parts_read_back_as_sent(
            boundary in "[A-Za-z0-9'()+_,./:=?-]{1,70}",
            parts in vec(("[a-z_]{1,12}", vec(any::<u8>(), 0..200)), 0..5),
        ) {
            let delimiter = format!("\r\n--{boundary}");
            for (_, value) in &parts {
                // A part's content never holds the delimiter: browsers
                // choose a boundary that is not in the file.
                prop_assume!(!value.windows(delimiter.len()).any(|w| w == delimiter.as_bytes()));
            }
            let mut body = Vec::new();
            for (name, value) in &parts {
                body.extend_from_slice(format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n"
                ).as_bytes());
                body.extend_from_slice(value);
                body.extend_from_slice(b"\r\n");
            }
            body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
            let content_type = format!("multipart/form-data; boundary=\"{boundary}\"");
            prop_assert_eq!(multipart_boundary(&content_type), Some(boundary.as_str()));
            let fields = multipart_fields(&body, &boundary).expect("well-formed");
            let sent: Vec<(String, String)> = parts
                .iter()
                .map(|(name, value)| (name.clone(), String::from_utf8_lossy(value).into_owned()))
                .collect();
            prop_assert_eq!(fields, sent);
        }

        #[test]
        fn list_links_keep_every_filter_exactly(
            pairs in vec(("[a-z_]{1,8}", any::<String>()), 0..6)
        ) {
            let borrowed: Vec<(&str, &str)> = pairs
                .iter()
                .map(|(name, value)| (name.as_str(), value.as_str()))
                .collect();
            let read = web::Query::<Vec<(String, String)>>::from_query(&query_string(&borrowed))
                .expect("a query string we wrote")
                .into_inner();
            let kept: Vec<(String, String)> =
                pairs.into_iter().filter(|(_, value)| !value.is_empty()).collect();
            prop_assert_eq!(read, kept);
        }

        #[test]
        fn a_list_link_reads_back_as_its_filters(
            q in any::<String>(),
            status in any::<String>(),
            country in any::<String>(),
            session in any::<String>(),
            sort in "-?[a-z]{0,12}",
            page in 1..i64::MAX,
        ) {
            let page_text = page.to_string();
            let link = query_string(&[
                ("q", &q),
                ("status", &status),
                ("country", &country),
                ("session", &session),
                ("sort", &sort),
                ("page", &page_text),
            ]);
            let read = web::Query::<ListQuery>::from_query(&link)
                .expect("a link we wrote")
                .into_inner();
            let kept = |value: &String| (!value.is_empty()).then(|| value.clone());
            prop_assert_eq!(read.q, kept(&q));
            prop_assert_eq!(read.status, kept(&status));
            prop_assert_eq!(read.country, kept(&country));
            prop_assert_eq!(read.session, kept(&session));
            prop_assert_eq!(read.sort, kept(&sort));
            prop_assert_eq!(read.page, Some(page));
        }
    }
}
