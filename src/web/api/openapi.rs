//! `GET /api/v1/openapi.json`: the OpenAPI 3.1 description of the API,
//! derived from the code. Each operation comes from the `#[utoipa::path]`
//! annotation next to its handler, gathered by the route table of
//! `api/mod.rs`; each schema from the type the handler reads or answers.
//! What JSON Schema cannot derive from a Rust type (the alphabets and
//! lengths the domain parsers accept, the domain's vocabularies) is stated
//! once here, from the domain's own constants.

use std::sync::LazyLock;

use actix_web::HttpResponse;
use actix_web::http::header::ContentType;
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Schema, SchemaType, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, HeaderBuilder, OpenApi as Document, Ref, RefOr, Required};
use utoipa::{IntoParams, Modify, OpenApi, ToResponse};

use crate::domain::text::{self, Lines};
use crate::domain::{
    CountryCode, EmailKind, Language, RegistrationStatus, SeatStatus, SessionKind, Verification,
};
use crate::web::error::ErrorBody;
use crate::web::organiser_input::{MAX_DESCRIPTION_CHARS, MAX_EMAIL_TEXT_CHARS, MAX_NAME_CHARS};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Rencontre",
        description = "Delegate registration for international meetings. Errors always have the shape of the Error schema; codes: validation (422), duplicate (409), registration_closed (409), cancelled (409), not_found (404), unauthorized (401), forbidden (403), payload_too_large (413), rate_limited (429), unavailable (503)."
    ),
    components(schemas(ErrorBody), responses(
        Unauthorized,
        Forbidden,
        NotFound,
        Conflict,
        PayloadTooLarge,
        UnsupportedMediaType,
        Invalid,
        RateLimited,
        Unavailable
    )),
    modifiers(&BearerToken)
)]
struct Description;

struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, document: &mut Document) {
        if let Some(components) = document.components.as_mut() {
            components.add_security_scheme(
                "bearer",
                SecurityScheme::Http(
                    HttpBuilder::new()
                        .scheme(HttpAuthScheme::Bearer)
                        .description(Some("An API token from `rencontre token create EMAIL`"))
                        .build(),
                ),
            );
        }
    }
}

/// The whole document: the description above and every operation of the
/// route table.
pub fn document() -> Document {
    let mut document = Description::openapi();
    document.merge(super::Operations::openapi());
    document
}

static SERVED: LazyLock<String> = LazyLock::new(|| {
    document()
        .to_json()
        .expect("the OpenAPI document serialises")
});

/// This document
#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    operation_id = "openapi",
    responses((status = 200, description = "The OpenAPI 3.1 description of the API", content_type = "application/json", body = Object)),
)]
pub async fn serve() -> HttpResponse {
    HttpResponse::Ok()
        .content_type(ContentType::json())
        .body(SERVED.as_str())
}

/// A refusal in the error shape, as a reusable response.
fn error_response(description: &str, retry_after: bool) -> RefOr<Response> {
    let mut response = ResponseBuilder::new().description(description).content(
        "application/json",
        ContentBuilder::new()
            .schema(Some(Ref::from_schema_name("Error")))
            .build(),
    );
    if retry_after {
        response = response.header(
            "Retry-After",
            HeaderBuilder::new()
                .schema(Some(
                    ObjectBuilder::new()
                        .schema_type(Type::Integer)
                        .minimum(Some(0)),
                ))
                .description(Some("Seconds to wait before trying again"))
                .build(),
        );
    }
    response.build().into()
}

macro_rules! error_responses {
    ($($name:ident: $description:literal, retry_after = $retry_after:literal;)+) => {
        $(
            #[doc = $description]
            pub struct $name;

            impl<'s> ToResponse<'s> for $name {
                fn response() -> (&'s str, RefOr<Response>) {
                    (stringify!($name), error_response($description, $retry_after))
                }
            }
        )+
    };
}

error_responses! {
    Unauthorized: "No valid token (error `unauthorized`)", retry_after = false;
    Forbidden: "The token's role may not do this (error `forbidden`)", retry_after = false;
    NotFound: "No such event, session, registration or text (error `not_found`)", retry_after = false;
    Conflict: "The request conflicts with what exists (errors `duplicate`, `registration_closed`, `cancelled`)", retry_after = false;
    PayloadTooLarge: "The body is larger than the server takes (error `payload_too_large`)", retry_after = false;
    UnsupportedMediaType: "A change sent a body that is not `application/json` (error `unsupported_media_type`)", retry_after = false;
    Invalid: "A field, parameter or header is invalid: `fields` names each one (error `validation`)", retry_after = false;
    RateLimited: "Too many registrations from this address (error `rate_limited`)", retry_after = true;
    Unavailable: "The database cannot be reached for now (error `unavailable`)", retry_after = true;
}

/// Answers that many routes share, each a set of the responses above, so
/// that a route's annotation names its own answers and the sets it gives.
macro_rules! response_sets {
    ($($(#[$doc:meta])* $name:ident => { $($status:literal: $response:ident),+ $(,)? };)+) => {
        $(
            $(#[$doc])*
            pub struct $name;

            impl utoipa::IntoResponses for $name {
                fn responses() -> std::collections::BTreeMap<String, RefOr<Response>> {
                    [$((
                        $status.to_owned(),
                        RefOr::Ref(utoipa::openapi::Ref::from_response_name(stringify!($response))),
                    )),+]
                    .into_iter()
                    .collect()
                }
            }
        )+
    };
}

response_sets! {
    /// What an organiser's route answers besides its own: no token, a role
    /// too small, no such event, no database.
    OrganiserErrors => { "401": Unauthorized, "403": Forbidden, "404": NotFound, "503": Unavailable };
    /// What a route that reads a JSON body answers when it cannot: too
    /// large, not JSON, a field that does not read.
    BodyErrors => { "413": PayloadTooLarge, "415": UnsupportedMediaType, "422": Invalid };
}

/// The kinds of email organisers may word themselves, as a path names them.
pub struct EmailTextKind;

/// What a path parameter holds, as it states it (`#[param(value_type = …,
/// inline)]`: `schema_with` would drop the parameter's `required`).
macro_rules! parameter_types {
    ($($type:ty => $schema:path;)+) => {
        $(
            impl utoipa::PartialSchema for $type {
                fn schema() -> RefOr<Schema> {
                    RefOr::T($schema())
                }
            }

            impl utoipa::ToSchema for $type {}
        )+
    };
}

/// A country a path names, in any case.
pub struct CountryInPath;

/// A language a path names.
pub struct LanguageInPath;

parameter_types! {
    EmailTextKind => schemas::worded_email_kind;
    CountryInPath => schemas::typed_country;
    LanguageInPath => schemas::language_in_path;
}

/// Schemas the domain's parsers and vocabularies define, for
/// `#[schema(schema_with = …)]` and `params(…)`.
pub mod schemas {
    use super::*;

    fn text() -> ObjectBuilder {
        ObjectBuilder::new().schema_type(Type::String)
    }

    fn one_of(values: impl IntoIterator<Item = &'static str>) -> ObjectBuilder {
        text().enum_values(Some(values))
    }

    fn nullable(builder: ObjectBuilder, kind: Type) -> ObjectBuilder {
        builder.schema_type(SchemaType::from_iter([kind, Type::Null]))
    }

    /// Any text but U+0000, which PostgreSQL's text cannot hold.
    const NO_NUL: &str = r"^[^\u0000]*$";

    /// The characters of a regular expression's class: `\uXXXX` in the
    /// Basic Multilingual Plane, the character itself beyond it (both read
    /// alike by ECMA-262 and Python, which the document's tools use).
    fn class_of(wanted: impl Fn(char) -> bool) -> String {
        let mut class = String::new();
        let mut range: Option<(char, char)> = None;
        let write = |class: &mut String, (first, last): (char, char)| {
            for (index, c) in [first, last].into_iter().enumerate() {
                if index == 1 {
                    if first == last {
                        break;
                    }
                    class.push('-');
                }
                if u32::from(c) <= 0xFFFF {
                    class.push_str(&format!("\\u{:04X}", u32::from(c)));
                } else {
                    class.push(c);
                }
            }
        };
        for c in (char::MIN..=char::MAX).filter(|&c| wanted(c)) {
            range = match range {
                Some((first, last)) if u32::from(last) + 1 == u32::from(c) => Some((first, c)),
                Some(done) => {
                    write(&mut class, done);
                    Some((c, c))
                }
                None => Some((c, c)),
            };
        }
        if let Some(done) = range {
            write(&mut class, done);
        }
        class
    }

    /// What the parsers trim (Rust's whitespace), and the characters
    /// `domain::text::check` refuses in a one-line and in a longer text:
    /// computed from the rules themselves, so the document cannot miss one.
    struct TextClasses {
        space: String,
        refused_in_line: String,
        refused_in_lines: String,
    }

    static CLASSES: LazyLock<TextClasses> = LazyLock::new(|| {
        let refused =
            |lines| move |c: char| text::check(c.encode_utf8(&mut [0; 4]), lines).is_err();
        TextClasses {
            space: class_of(char::is_whitespace),
            refused_in_line: class_of(refused(Lines::One)),
            refused_in_lines: class_of(refused(Lines::Many)),
        }
    });

    /// A text as `JsonFields` reads it: trimmed, then at most `max`
    /// characters with none that `domain::text::check` refuses; blank only
    /// where it is `optional` (a blank optional text is none).
    pub(super) fn text_pattern(max: usize, lines: Lines, optional: bool) -> String {
        let TextClasses {
            space,
            refused_in_line,
            refused_in_lines,
        } = &*CLASSES;
        let refused = match lines {
            Lines::One => refused_in_line,
            Lines::Many => refused_in_lines,
        };
        let inner = max.saturating_sub(2);
        let trimmed =
            format!("[^{space}{refused}](?:[^{refused}]{{0,{inner}}}[^{space}{refused}])?");
        let trimmed = if optional {
            format!("(?:{trimmed})?")
        } else {
            trimmed
        };
        format!("^[{space}]*{trimmed}[{space}]*$")
    }

    fn language_code() -> ObjectBuilder {
        one_of(Language::ALL.map(|language| language.code()))
    }

    pub fn language() -> Schema {
        language_code().into()
    }

    /// A word of `words` as a parser reads it: surrounding whitespace
    /// trimmed and, where `any_case`, in any case.
    fn typed_words(words: impl IntoIterator<Item = &'static str>, any_case: bool) -> String {
        let spelled = |word: &str| -> String {
            word.chars()
                .map(|c| match c {
                    c if any_case && c.is_ascii_alphabetic() => {
                        format!("[{}{}]", c.to_ascii_uppercase(), c.to_ascii_lowercase())
                    }
                    c => c.to_string(),
                })
                .collect()
        };
        let words: Vec<String> = words.into_iter().map(spelled).collect();
        format!("(?:{})", words.join("|"))
    }

    /// Whole, between any whitespace (what the parsers trim), or blank
    /// where `blank` (none).
    fn trimmed(inner: &str, blank: bool) -> String {
        let space = &CLASSES.space;
        let optional = if blank { "?" } else { "" };
        format!("^[{space}]*(?:{inner}){optional}[{space}]*$")
    }

    /// A language as `domain::Language::parse` reads it: a code in any
    /// case, with a region or other subtags after `-` or `_` ignored.
    fn language_tag() -> String {
        let codes = typed_words(Language::ALL.map(|language| language.code()), true);
        format!("{codes}(?:[-_][\\s\\S]*)?")
    }

    /// A delegate's language: one of the event's, its first unless given.
    pub fn optional_language() -> Schema {
        nullable(
            text().pattern(Some(trimmed(&language_tag(), true))),
            Type::String,
        )
        .into()
    }

    /// A language a path names.
    pub fn language_in_path() -> Schema {
        text().pattern(Some(trimmed(&language_tag(), false))).into()
    }

    pub fn languages() -> Schema {
        ArrayBuilder::new()
            .items(language_code().build())
            .min_items(Some(1))
            .description(Some("The first is the event's first language"))
            .into()
    }

    pub fn country() -> Schema {
        one_of(CountryCode::all().map(|code| code.as_str()))
            .description(Some("ISO 3166-1 alpha-2 code"))
            .into()
    }

    /// A country as `domain::CountryCode::parse` reads it: a code in any
    /// case.
    pub fn typed_country() -> Schema {
        let codes = typed_words(CountryCode::all().map(|code| code.as_str()), true);
        text()
            .pattern(Some(trimmed(&codes, false)))
            .description(Some("ISO 3166-1 alpha-2 code"))
            .into()
    }

    /// A list's country filter: a code in any case, blank for none.
    pub fn country_filter() -> Schema {
        let codes = typed_words(CountryCode::all().map(|code| code.as_str()), true);
        text().pattern(Some(trimmed(&codes, true))).into()
    }

    /// A list's status filter: a status, blank for none.
    pub fn status_filter() -> Schema {
        let statuses = typed_words(
            RegistrationStatus::ALL.iter().map(|status| status.as_str()),
            false,
        );
        text().pattern(Some(trimmed(&statuses, true))).into()
    }

    pub fn registration_status() -> Schema {
        one_of(RegistrationStatus::ALL.iter().map(|status| status.as_str())).into()
    }

    /// A session choice is confirmed or waiting; it is dropped, not
    /// cancelled, with its registration.
    pub fn choice_status() -> Schema {
        one_of(SeatStatus::ALL.iter().map(|status| status.as_str())).into()
    }

    fn session_kinds() -> impl Iterator<Item = &'static str> {
        SessionKind::ALL.iter().map(|kind| kind.as_str())
    }

    pub fn session_kind() -> Schema {
        one_of(session_kinds()).into()
    }

    /// `domain::QuestionType`'s words.
    pub fn question_type() -> Schema {
        one_of(
            crate::domain::QuestionType::ALL
                .iter()
                .map(|kind| kind.as_str()),
        )
        .into()
    }

    /// `domain::Preset`'s words.
    pub fn question_preset() -> Schema {
        one_of(
            crate::domain::Preset::ALL
                .iter()
                .map(|preset| preset.as_str()),
        )
        .into()
    }

    /// `domain::QuestionStage`'s words.
    pub fn question_stage() -> Schema {
        one_of(
            crate::domain::QuestionStage::ALL
                .iter()
                .map(|stage| stage.as_str()),
        )
        .into()
    }

    pub fn optional_session_kind() -> Schema {
        nullable(
            text().pattern(Some(trimmed(&typed_words(session_kinds(), false), false))),
            Type::String,
        )
        .description(Some("workshop unless given"))
        .into()
    }

    /// Every kind of email the outbox holds.
    pub fn email_kind() -> Schema {
        one_of(EmailKind::ALL.iter().map(|kind| kind.as_str())).into()
    }

    /// The kinds organisers word themselves.
    pub fn worded_email_kind() -> Schema {
        one_of(EmailKind::worded().map(EmailKind::as_str)).into()
    }

    pub fn timezone() -> Schema {
        one_of(chrono_tz::TZ_VARIANTS.iter().map(|zone| zone.name()))
            .description(Some("An IANA time zone"))
            .into()
    }

    /// A name or title: not blank, on one line, at most
    /// [`MAX_NAME_CHARS`] characters once trimmed.
    pub fn name() -> Schema {
        text()
            .pattern(Some(text_pattern(MAX_NAME_CHARS, Lines::One, false)))
            .description(Some("In the event's first language"))
            .into()
    }

    fn optional_text(max: usize, lines: Lines) -> ObjectBuilder {
        nullable(
            text().pattern(Some(text_pattern(max, lines, true))),
            Type::String,
        )
    }

    /// Why a place is given out of turn: said, on one or more lines.
    pub fn promotion_why() -> Schema {
        text()
            .pattern(Some(text_pattern(
                crate::web::organiser_input::MAX_WHY_CHARS,
                Lines::Many,
                false,
            )))
            .into()
    }

    pub fn description() -> Schema {
        optional_text(MAX_DESCRIPTION_CHARS, Lines::Many)
            .description(Some("In the event's first language"))
            .into()
    }

    pub fn room() -> Schema {
        optional_text(MAX_NAME_CHARS, Lines::One).into()
    }

    /// Texts in the event's other languages, by language code.
    fn texts_by_language(max: usize, lines: Lines) -> Schema {
        nullable(ObjectBuilder::new(), Type::Object)
            .property_names(Some(language()))
            .additional_properties(Some(text().pattern(Some(text_pattern(max, lines, true)))))
            .description(Some(
                "By language code, each one of the event's languages; a language without a text (or with an empty one, which is not stored) shows the text of the event's first language",
            ))
            .into()
    }

    pub fn names() -> Schema {
        texts_by_language(MAX_NAME_CHARS, Lines::One)
    }

    /// A participant category's names: at least one, each a one-line
    /// text of at most 100 characters (`web::category_input`).
    pub fn category_names() -> Schema {
        ObjectBuilder::new()
            .schema_type(Type::Object)
            .property_names(Some(language()))
            .additional_properties(Some(text().pattern(Some(text_pattern(
                100,
                Lines::One,
                false,
            )))))
            .min_properties(Some(1))
            .into()
    }

    /// A yes or no that null (or leaving it out) leaves at its default.
    pub fn optional_boolean() -> Schema {
        nullable(ObjectBuilder::new(), Type::Boolean)
            .description(Some("null (or left out) for the default"))
            .into()
    }

    /// An order among siblings, 0 first; null (or left out) for 0.
    pub fn position() -> Schema {
        nullable(ObjectBuilder::new(), Type::Integer)
            .minimum(Some(0))
            .maximum(Some(65535))
            .into()
    }

    /// An event's own reasons for a rejection (`web::organiser_input`).
    pub fn rejection_reasons() -> Schema {
        let reason = ObjectBuilder::new()
            .schema_type(Type::Object)
            .property("code", category_code())
            .property(
                "texts",
                ObjectBuilder::new()
                    .schema_type(Type::Object)
                    .property_names(Some(language()))
                    .additional_properties(Some(text().pattern(Some(text_pattern(
                        300,
                        Lines::One,
                        false,
                    )))))
                    .min_properties(Some(1)),
            )
            .required("code")
            .required("texts")
            .additional_properties(Some(
                utoipa::openapi::schema::AdditionalProperties::FreeForm(false),
            ));
        utoipa::openapi::schema::ArrayBuilder::new()
            .schema_type(SchemaType::from_iter([Type::Array, Type::Null]))
            .items(reason)
            .max_items(Some(20))
            .description(Some(
                "A built-in code rewords that reason; a repeated code counts once (its first); null (or left out) for none",
            ))
            .into()
    }

    /// A note to a delegate whose registration is rejected.
    pub fn rejection_note() -> Schema {
        nullable(ObjectBuilder::new(), Type::String)
            .pattern(Some(text_pattern(
                crate::web::api::approvals::MAX_NOTE_CHARS,
                Lines::Many,
                true,
            )))
            .into()
    }

    /// `domain::CategoryCode`.
    pub fn category_code() -> Schema {
        text().pattern(Some("^[a-z][a-z0-9_]{0,31}$")).into()
    }

    pub fn descriptions() -> Schema {
        texts_by_language(MAX_DESCRIPTION_CHARS, Lines::Many)
    }

    /// Texts by language as answers carry them.
    pub fn stored_texts() -> Schema {
        ObjectBuilder::new()
            .schema_type(Type::Object)
            .property_names(Some(language()))
            .additional_properties(Some(text()))
            .into()
    }

    /// `domain::EventSlug`: lowercase letters, digits and inner hyphens.
    pub fn slug() -> Schema {
        text()
            .pattern(Some("^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$"))
            .into()
    }

    pub fn queued() -> Schema {
        one_of(["queued"]).into()
    }

    /// An email's subject (one line) or text: not blank, at most `max`
    /// characters once trimmed, none that `domain::text::check` refuses,
    /// every `{` opening one of the placeholders of `mail::custom_text`
    /// closed by `}`.
    fn email_text(max: usize, lines: Lines) -> Schema {
        let TextClasses {
            space,
            refused_in_line,
            refused_in_lines,
        } = &*CLASSES;
        let refused = match lines {
            Lines::One => refused_in_line,
            Lines::Many => refused_in_lines,
        };
        let placeholders = crate::mail::custom_text::PLACEHOLDERS.join("|");
        let inner = max.saturating_sub(2);
        let length =
            format!("(?=[{space}]*[^{space}](?:[\\s\\S]{{0,{inner}}}[^{space}])?[{space}]*$)");
        let core = format!("[^{{{refused}]*(?:\\{{ *(?:{placeholders}) *\\}}[^{{{refused}]*)*");
        text()
            .pattern(Some(format!("^{length}[{space}]*(?:{core})[{space}]*$")))
            .description(Some(format!(
                "Plain text with placeholders: {}",
                crate::mail::custom_text::PLACEHOLDERS
                    .iter()
                    .map(|name| format!("{{{name}}}"))
                    .collect::<Vec<_>>()
                    .join(" ")
            )))
            .into()
    }

    pub fn email_subject() -> Schema {
        email_text(MAX_NAME_CHARS, Lines::One)
    }

    pub fn email_body() -> Schema {
        email_text(MAX_EMAIL_TEXT_CHARS, Lines::Many)
    }

    /// `db::attendees::Order`'s values (the empty one is the order of
    /// registration).
    pub fn sort() -> Schema {
        one_of(crate::db::attendees::Order::ALL.map(|order| order.as_str())).into()
    }

    /// Any text but U+0000, which PostgreSQL's text cannot hold.
    pub fn search() -> Schema {
        text().pattern(Some(NO_NUL)).into()
    }

    /// `domain::ReferencePrefix`: two to five letters.
    pub fn reference_prefix() -> Schema {
        nullable(text().pattern(Some("^[A-Za-z]{2,5}$")), Type::String)
            .description(Some(
                "The letters before the booking codes; from the slug unless given",
            ))
            .into()
    }

    /// `domain::SessionCode`: letters, digits, `-` and `_`.
    fn session_code_text() -> ObjectBuilder {
        text().pattern(Some("^[A-Za-z0-9_-]{1,16}$"))
    }

    pub fn session_code() -> Schema {
        session_code_text().into()
    }

    /// A session code as a list filter reads it: trimmed, blank for none.
    pub fn session_filter() -> Schema {
        text()
            .pattern(Some(r"^\s*(?:[A-Za-z0-9_-]{1,16}\s*)?$"))
            .into()
    }

    /// As `web::input::session_codes` reads them: at most 50, a repeated
    /// code counted once.
    pub fn session_codes() -> Schema {
        ArrayBuilder::new()
            .items(session_code_text().build())
            .max_items(Some(crate::web::input::MAX_SESSIONS))
            .description(Some(
                "Codes of the event's sessions, none overlapping another in time",
            ))
            .into()
    }

    pub fn optional_session_codes() -> Schema {
        ArrayBuilder::new()
            .schema_type(SchemaType::from_iter([Type::Array, Type::Null]))
            .items(session_code_text().build())
            .max_items(Some(crate::web::input::MAX_SESSIONS))
            .description(Some(
                "Codes of the event's sessions, none overlapping another in time",
            ))
            .into()
    }

    /// A capacity: a whole number ≥ 0, or null for no limit.
    /// Whether a place is held until its email address is confirmed.
    pub fn verification() -> Schema {
        let words = Verification::ALL.iter().map(|word| word.as_str().into());
        nullable(text(), Type::String)
            .enum_values(Some(words.chain([serde_json::Value::Null])))
            .description(Some(
                "`email`: a place is held until its address is confirmed; null (or left out) for `none`",
            ))
            .into()
    }

    /// An event's verification, as stored.
    pub fn verification_word() -> Schema {
        one_of(Verification::ALL.iter().map(|word| word.as_str())).into()
    }

    /// How long a place waits for its address to be confirmed.
    pub fn verification_hours() -> Schema {
        nullable(ObjectBuilder::new(), Type::Integer)
            .minimum(Some(1))
            .maximum(Some(crate::web::organiser_input::MAX_VERIFICATION_HOURS))
            .description(Some("null (or left out) for 24"))
            .into()
    }

    pub fn capacity() -> Schema {
        nullable(ObjectBuilder::new(), Type::Integer)
            .minimum(Some(0))
            .maximum(Some(i32::MAX))
            .description(Some("null (or left out) for no limit"))
            .into()
    }

    /// `domain::PersonName`: not blank, on one line, no character
    /// `domain::text::check` refuses, at most 100 characters.
    pub fn person_name() -> Schema {
        text()
            .pattern(Some(text_pattern(100, Lines::One, false)))
            .into()
    }

    fn optional_person_name(max: usize) -> Schema {
        nullable(text(), Type::String)
            .pattern(Some(text_pattern(max, Lines::One, true)))
            .into()
    }

    pub fn optional_person_name_100() -> Schema {
        optional_person_name(100)
    }

    /// An organisation's name: `domain::Organisation`.
    pub fn optional_person_name_200() -> Schema {
        optional_person_name(200)
    }

    /// Addresses `domain::EmailAddress` takes, kept simple enough to
    /// generate from: one to four ASCII atoms of at most 15 characters
    /// joined by dots (at most 63 in all), `@`, and two to four labels of a
    /// host name. (The server takes more: longer atoms and labels,
    /// non-ASCII labels.)
    pub fn email() -> Schema {
        text()
            .max_length(Some(254))
            .pattern(Some(
                r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]{1,15}(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]{1,15}){0,3}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?\.){1,3}[A-Za-z]{2,24}$",
            ))
            .into()
    }

    /// The `Idempotency-Key` header: 1 to 255 visible ASCII characters and
    /// inner spaces.
    pub struct IdempotencyKeyHeader;

    impl IntoParams for IdempotencyKeyHeader {
        fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
            vec![idempotency_key()]
        }
    }

    fn idempotency_key() -> Parameter {
        ParameterBuilder::new()
            .name("Idempotency-Key")
            .parameter_in(ParameterIn::Header)
            .required(Required::False)
            .description(Some(
                "A random value (a UUID). A retry with the same key and body from the same client address within 24 hours gets the first answer again.",
            ))
            .schema(Some(text().pattern(Some("^[!-~](?:[ -~]{0,253}[!-~])?$"))))
            .build()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use proptest::strategy::Strategy;

    use super::*;
    use crate::web::api::organiser::{EmailTextRequest, NewEventRequest};
    use crate::web::api::registrations::NewRegistrationRequest;
    use crate::web::input::RawRegistration;
    use crate::web::organiser_input::{EmailTextSetup, EventSetup, MAX_PAGE};

    fn served() -> Value {
        serde_json::from_str(&SERVED).expect("the document is JSON")
    }

    #[test]
    fn the_documented_last_page_is_the_one_paging_takes() {
        let document = served();
        let parameters =
            document["paths"]["/api/v1/events/{slug}/registrations"]["get"]["parameters"]
                .as_array()
                .expect("parameters");
        let page = parameters
            .iter()
            .find(|parameter| parameter["name"] == "page")
            .expect("a page parameter");
        assert_eq!(page["schema"]["maximum"], json!(MAX_PAGE));
    }

    #[test]
    fn the_request_examples_are_read_by_the_parsers_the_handlers_use() {
        let event = serde_json::to_value(NewEventRequest::example()).expect("JSON");
        assert!(EventSetup::parse(&event, None).is_ok());
        let text = serde_json::to_value(EmailTextRequest::example()).expect("JSON");
        assert!(EmailTextSetup::parse(&text).is_ok());
        let registration = serde_json::to_value(NewRegistrationRequest::example()).expect("JSON");
        let raw = RawRegistration::from_json(&registration).expect("read");
        assert!(raw.parse(Language::Fr, None, &[]).is_ok());
    }

    proptest::proptest! {
        /// A text pattern of the document takes exactly what the parsers
        /// take (trimmed, not blank unless optional, at most `max`
        /// characters, none `domain::text::check` refuses), so a request
        /// valid by the document is taken and an invalid one refused. (It
        /// never takes a joiner, which a text takes after a virama: no
        /// virama is drawn here.)
        #[test]
        fn a_text_pattern_takes_exactly_what_the_parsers_take(
            typed in proptest::collection::vec(proptest::prop_oneof![
                6 => proptest::sample::select(vec!['a', 'é', '😀', ' ', '\u{a0}', '\u{3000}']),
                1 => proptest::sample::select(vec!['\t', '\n', '\r', '\u{85}', '\u{2028}']),
                1 => proptest::sample::select(vec!['\0', '\u{7f}', '\u{200b}', '\u{200d}', '\u{e0041}']),
            ], 0..9).prop_map(String::from_iter),
            optional in proptest::bool::ANY,
            many in proptest::bool::ANY,
        ) {
            let lines = if many { Lines::Many } else { Lines::One };
            let max = 6;
            let pattern = regex_lite::Regex::new(&schemas::text_pattern(max, lines, optional))
                .expect("the pattern compiles");
            let trimmed = typed.trim();
            let taken = (optional || !trimmed.is_empty())
                && text::check(trimmed, lines).is_ok()
                && trimmed.chars().count() <= max;
            proptest::prop_assert_eq!(pattern.is_match(&typed), taken, "{:?}", typed);
        }
    }

    #[test]
    fn every_vocabulary_is_the_domains() {
        let document = served();
        let schemas = &document["components"]["schemas"];
        assert_eq!(
            schemas["Registration"]["properties"]["country"]["enum"]
                .as_array()
                .map(Vec::len),
            Some(CountryCode::all().count())
        );
        // A delegate's language is read as `Language::parse` reads it.
        let language = schemas["NewRegistration"]["properties"]["language"]["pattern"]
            .as_str()
            .map(regex_lite::Regex::new)
            .expect("a pattern")
            .expect("the pattern compiles");
        for typed in ["fr", " PT ", "en-GB", "es_419", ""] {
            assert!(language.is_match(typed), "{typed:?}");
            assert!(
                typed.is_empty() || Language::parse(typed).is_ok(),
                "{typed:?}"
            );
        }
        for typed in ["de", "f r", "fra"] {
            assert!(!language.is_match(typed), "{typed:?}");
            assert!(Language::parse(typed).is_err(), "{typed:?}");
        }
    }
}
