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

use crate::domain::{CountryCode, Language, RegistrationStatus};
use crate::web::error::ErrorBody;
use crate::web::organiser_input::{EMAIL_KINDS, MAX_DESCRIPTION_CHARS, MAX_NAME_CHARS};

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

/// The kinds of email organisers may word themselves, as a path names them.
pub struct EmailTextKind;

/// The domain's types as a parameter states them
/// (`#[param(value_type = …, inline)]`).
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

parameter_types! {
    CountryCode => schemas::country;
    Language => schemas::language;
    RegistrationStatus => schemas::registration_status;
    EmailTextKind => schemas::email_kind;
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

    /// One of `values`, or null (which an `enum` must list itself).
    fn one_of_or_null(values: impl IntoIterator<Item = &'static str>) -> ObjectBuilder {
        let values = values
            .into_iter()
            .map(serde_json::Value::from)
            .chain([serde_json::Value::Null]);
        ObjectBuilder::new()
            .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
            .enum_values(Some(values))
    }

    /// What `JsonFields::text` takes: not blank once trimmed, and no
    /// U+0000 (`json_fields::NUL_REFUSED`).
    const NOT_BLANK: &str = r"^[^\x00]*[^\s\x00][^\x00]*$";
    /// What `JsonFields::optional_text` takes.
    const NO_NUL: &str = r"^[^\x00]*$";

    fn language_code() -> ObjectBuilder {
        one_of(Language::ALL.map(|language| language.code()))
    }

    pub fn language() -> Schema {
        language_code().into()
    }

    pub fn optional_language() -> Schema {
        one_of_or_null(Language::ALL.map(|language| language.code())).into()
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

    pub fn registration_status() -> Schema {
        one_of(
            [
                RegistrationStatus::Confirmed,
                RegistrationStatus::Waitlisted,
                RegistrationStatus::Cancelled,
            ]
            .map(|status| status.as_str()),
        )
        .into()
    }

    /// A session choice is confirmed or waiting; it is dropped, not
    /// cancelled, with its registration.
    pub fn choice_status() -> Schema {
        one_of(
            [
                RegistrationStatus::Confirmed,
                RegistrationStatus::Waitlisted,
            ]
            .map(|status| status.as_str()),
        )
        .into()
    }

    pub const SESSION_KINDS: [&str; 2] = ["plenary", "workshop"];

    pub fn session_kind() -> Schema {
        one_of(SESSION_KINDS).into()
    }

    pub fn optional_session_kind() -> Schema {
        one_of_or_null(SESSION_KINDS)
            .description(Some("workshop unless given"))
            .into()
    }

    pub fn email_kind() -> Schema {
        one_of(EMAIL_KINDS).into()
    }

    pub fn timezone() -> Schema {
        one_of(chrono_tz::TZ_VARIANTS.iter().map(|zone| zone.name()))
            .description(Some("An IANA time zone"))
            .into()
    }

    fn bounded_text(max: usize) -> ObjectBuilder {
        text()
            .min_length(Some(1))
            .max_length(Some(max))
            .pattern(Some(NOT_BLANK))
    }

    /// A name or title: not blank, at most [`MAX_NAME_CHARS`] characters.
    pub fn name() -> Schema {
        bounded_text(MAX_NAME_CHARS)
            .description(Some("In the event's first language"))
            .into()
    }

    fn optional_text(max: usize) -> ObjectBuilder {
        nullable(
            text().max_length(Some(max)).pattern(Some(NO_NUL)),
            Type::String,
        )
    }

    pub fn description() -> Schema {
        optional_text(MAX_DESCRIPTION_CHARS)
            .description(Some("In the event's first language"))
            .into()
    }

    pub fn room() -> Schema {
        optional_text(MAX_NAME_CHARS).into()
    }

    /// Texts in the event's other languages, by language code.
    fn texts_by_language(max: usize) -> Schema {
        nullable(ObjectBuilder::new(), Type::Object)
            .property_names(Some(language()))
            .additional_properties(Some(text().max_length(Some(max)).pattern(Some(NO_NUL))))
            .description(Some(
                "By language code, each one of the event's languages; a language without a text (or with an empty one, which is not stored) shows the text of the event's first language",
            ))
            .into()
    }

    pub fn names() -> Schema {
        texts_by_language(MAX_NAME_CHARS)
    }

    pub fn descriptions() -> Schema {
        texts_by_language(MAX_DESCRIPTION_CHARS)
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

    /// Not blank, every `{` opening one of the placeholders of
    /// `mail::custom_text` closed by `}`.
    pub fn email_text() -> Schema {
        let placeholders = crate::mail::custom_text::PLACEHOLDERS.join("|");
        text()
            .pattern(Some(format!(
                r"^(?=[\s\S]*\S)[^{{\x00]*(?:\{{\s*(?:{placeholders})\s*\}}[^{{\x00]*)*$"
            )))
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
    pub fn capacity() -> Schema {
        nullable(ObjectBuilder::new(), Type::Integer)
            .minimum(Some(0))
            .maximum(Some(i32::MAX))
            .description(Some("null (or left out) for no limit"))
            .into()
    }

    /// `domain::PersonName`: not blank, no control, line-separator or bidi
    /// characters, at most 100 characters.
    pub fn person_name() -> Schema {
        text()
            .min_length(Some(1))
            .max_length(Some(100))
            .pattern(Some(PERSON_NAME))
            .into()
    }

    fn optional_person_name(max: usize) -> Schema {
        nullable(text(), Type::String)
            .max_length(Some(max))
            .pattern(Some(OPTIONAL_NAME))
            .into()
    }

    pub fn optional_person_name_100() -> Schema {
        optional_person_name(100)
    }

    /// An organisation's name: `domain::Organisation`.
    pub fn optional_person_name_200() -> Schema {
        optional_person_name(200)
    }

    /// Characters a name may not hold (`domain::name::is_forbidden`).
    macro_rules! forbidden {
        () => {
            r"\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
        };
    }
    const PERSON_NAME: &str = concat!(
        "^[^",
        forbidden!(),
        r"]*[^\s",
        forbidden!(),
        "][^",
        forbidden!(),
        "]*$"
    );
    const OPTIONAL_NAME: &str = concat!("^[^", forbidden!(), "]*$");

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
                "Sent again with the same body, the first answer is given again instead of a second registration",
            ))
            .schema(Some(text().pattern(Some("^[!-~](?:[ -~]{0,253}[!-~])?$"))))
            .build()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

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
        assert!(raw.parse(Language::Fr).is_ok());
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
        assert_eq!(
            schemas["NewRegistration"]["properties"]["language"]["enum"],
            json!(["en", "fr", "es", "pt", null])
        );
    }
}
