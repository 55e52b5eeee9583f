//! What organisers send, read the same way by the organiser API and the back
//! office: an event's or a session's set-up and an email's wording (the back
//! office hands its form over as a JSON object, so both go through one
//! parser and one set of rules), the event a path names, and the filters,
//! sort and page of an attendee list.

use actix_web::web;
use chrono::{DateTime, NaiveDate, Utc};
use diesel_async::AsyncPgConnection;
use serde::Deserialize;
use serde_json::{Map, Value};
use utoipa::IntoParams;
use uuid::Uuid;

use crate::db::attendees::{self, AttendeeFilter, Counting, Cursor, CursorError, Order, Start};
use crate::db::events::{Approving, Event, NewEvent, NewSession, Session, Verifying};
use crate::domain::text::Lines;
use crate::domain::{
    Action, CategoryCode, EmailKind, EventSlug, FieldError, FieldErrors, Language, ReferencePrefix,
    Role, SessionCode, SessionKind, Vocabulary,
};
use crate::export::{ANSWER_PREFIX, ExportOptions, FilterError, FilterInput, resolve_filter};
use crate::mail::custom_text::{self, PlaceholderError};
use crate::web::api::openapi::schemas;
use crate::web::json_fields::JsonFields;
use crate::web::{AppError, input};

pub const MAX_PER_PAGE: i64 = 1000;
/// The last page a list takes: the rows skipped before it fit in an `i64`
/// at any page size, so the bound is the same whatever `per_page` is.
pub const MAX_PAGE: i64 = i64::MAX / MAX_PER_PAGE + 1;

/// The longest name or title, in characters, in any language.
pub const MAX_NAME_CHARS: usize = 200;
/// The longest description, in characters, in any language.
pub const MAX_DESCRIPTION_CHARS: usize = 4000;
/// The longest wording of an email, in characters.
pub const MAX_EMAIL_TEXT_CHARS: usize = 20_000;

/// An event as an organiser sets it up, checked field by field.
pub struct EventSetup<'a> {
    pub slug: EventSlug,
    pub name: &'a str,
    names: Map<String, Value>,
    description: &'a str,
    descriptions: Map<String, Value>,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    timezone: chrono_tz::Tz,
    languages: Vec<String>,
    opens: DateTime<Utc>,
    closes: DateTime<Utc>,
    capacity: Option<i32>,
    default_country_capacity: Option<i32>,
    prefix: ReferencePrefix,
    verifying: Verifying,
    approving: Approving,
}

/// The longest a place may be held for its email address to be confirmed:
/// a month.
pub const MAX_VERIFICATION_HOURS: i32 = 720;

impl<'a> EventSetup<'a> {
    /// A new event (`existing` is `None`), or the whole new set-up of
    /// `existing`, whose slug and reference prefix may be left out but not
    /// changed. Every problem at once, as the per-field map of a 422.
    pub fn parse(
        body: &'a Value,
        existing: Option<&'a Event>,
    ) -> Result<EventSetup<'a>, FieldErrors> {
        let mut fields = JsonFields::new(
            body,
            &[
                "slug",
                "name",
                "names",
                "description",
                "descriptions",
                "starts_on",
                "ends_on",
                "timezone",
                "languages",
                "registration_opens_at",
                "registration_closes_at",
                "capacity",
                "default_country_capacity",
                "reference_prefix",
                "verification",
                "verification_hours",
                "pending_holds_place",
                "rejection_reasons",
            ],
        )?;
        let slug = match existing {
            Some(event) => fields.unchanged("slug", &event.slug),
            None => fields.text("slug"),
        };
        let slug = slug.and_then(|slug| {
            EventSlug::parse(slug)
                .map_err(|error| {
                    fields.refuse("slug", input::keyed(error.message_key(), error.max()))
                })
                .ok()
        });
        let name = fields
            .text("name")
            .and_then(|name| fields.at_most("name", name, MAX_NAME_CHARS, Lines::One));
        let description = fields.optional_text("description").unwrap_or_default();
        let description = fields.at_most(
            "description",
            description,
            MAX_DESCRIPTION_CHARS,
            Lines::Many,
        );
        let starts_on = fields.date("starts_on");
        let ends_on = fields.date("ends_on");
        let timezone = fields.text("timezone").and_then(|zone| {
            zone.parse::<chrono_tz::Tz>()
                .map_err(|_| fields.refuse("timezone", FieldError::new("error-timezone-invalid")))
                .ok()
        });
        if body
            .get("languages")
            .is_some_and(|codes| codes == &Value::Array(Vec::new()))
        {
            fields.refuse("languages", FieldError::new("error-languages-invalid"));
        }
        let languages = fields.strings("languages").and_then(|codes| {
            let mut languages: Vec<String> = Vec::new();
            for code in codes {
                match Language::parse(code) {
                    Ok(language) if !languages.iter().any(|l| l == language.code()) => {
                        languages.push(language.code().into())
                    }
                    Ok(_) => {}
                    Err(_) => {
                        fields.refuse("languages", FieldError::new("error-languages-invalid"));
                        return None;
                    }
                }
            }
            Some(languages)
        });
        let names =
            fields.texts_by_language("names", languages.as_deref(), MAX_NAME_CHARS, Lines::One);
        let descriptions = fields.texts_by_language(
            "descriptions",
            languages.as_deref(),
            MAX_DESCRIPTION_CHARS,
            Lines::Many,
        );
        let opens = fields.datetime("registration_opens_at");
        let closes = fields.datetime("registration_closes_at");
        let capacity = fields.capacity("capacity");
        let default_country_capacity = fields.capacity("default_country_capacity");
        let defaults = Verifying::default();
        let verification = fields
            .optional_word("verification", "error-verification-invalid")
            .map(|word| word.unwrap_or(defaults.verification));
        let verification_hours = fields
            .optional_whole(
                "verification_hours",
                1..=MAX_VERIFICATION_HOURS,
                "error-verification-hours-invalid",
            )
            .map(|hours| hours.unwrap_or(defaults.verification_hours));
        let pending_holds_place = fields
            .optional_bool("pending_holds_place")
            .map(|holds| holds.unwrap_or(Approving::default().pending_holds_place));
        let rejection_reasons = read_rejection_reasons(&mut fields, body, None);
        let prefix = match existing {
            Some(event) => fields.unchanged("reference_prefix", &event.reference_prefix),
            None => fields.optional_text("reference_prefix"),
        };
        let prefix = match prefix {
            Some(prefix) => ReferencePrefix::parse(prefix)
                .map_err(|_| {
                    let error = FieldError::new("error-reference-prefix-invalid");
                    fields.refuse("reference_prefix", error)
                })
                .ok(),
            None => slug.as_ref().map(|slug| default_prefix(slug.as_str())),
        };
        if let (Some(starts), Some(ends)) = (starts_on, ends_on)
            && ends < starts
        {
            fields.refuse("ends_on", FieldError::new("error-event-ends-invalid"));
        }
        if let (Some(opens), Some(closes)) = (opens, closes)
            && closes <= opens
        {
            let error = FieldError::new("error-event-closes-invalid");
            fields.refuse("registration_closes_at", error);
        }
        fields.finish()?;
        let (
            Some(slug),
            Some(name),
            Some(names),
            Some(description),
            Some(descriptions),
            Some(starts_on),
            Some(ends_on),
            Some(timezone),
            Some(languages),
            Some(opens),
            Some(closes),
            Ok(capacity),
            Ok(default_country_capacity),
            Some(prefix),
            Ok(verification),
            Ok(verification_hours),
            Ok(pending_holds_place),
            Some(rejection_reasons),
        ) = (
            slug,
            name,
            names,
            description,
            descriptions,
            starts_on,
            ends_on,
            timezone,
            languages,
            opens,
            closes,
            capacity,
            default_country_capacity,
            prefix,
            verification,
            verification_hours,
            pending_holds_place,
            rejection_reasons,
        )
        else {
            return Err(incomplete());
        };
        Ok(EventSetup {
            slug,
            name,
            names,
            description,
            descriptions,
            starts_on,
            ends_on,
            timezone,
            languages,
            opens,
            closes,
            capacity,
            default_country_capacity,
            prefix,
            verifying: Verifying {
                verification,
                verification_hours,
            },
            approving: Approving {
                pending_holds_place,
                rejection_reasons,
            },
        })
    }

    pub fn new_event(&self) -> NewEvent<'_> {
        NewEvent {
            id: Uuid::now_v7(),
            slug: self.slug.as_str(),
            reference_prefix: self.prefix.as_str(),
            name: self.name,
            names: Value::Object(self.names.clone()),
            description: self.description,
            descriptions: Value::Object(self.descriptions.clone()),
            starts_on: self.starts_on,
            ends_on: self.ends_on,
            timezone: self.timezone.name(),
            languages: self.languages.clone(),
            registration_opens_at: self.opens,
            registration_closes_at: self.closes,
            capacity: self.capacity,
            default_country_capacity: self.default_country_capacity,
            verifying: self.verifying,
            approving: self.approving.clone(),
        }
    }
}

/// The most reasons an event adds to the built-in ones.
const MAX_REJECTION_REASONS: usize = 20;
const MAX_REASON_CHARS: usize = 300;

/// `[{"code": "late", "texts": {"fr": "…"}}, …]`: the event's own reasons
/// for a rejection, each with a code and a text in at least one language.
/// A built-in code rewords that reason for this event; a repeated code
/// counts once (where it first appears). Problems are filed under
/// `rejection_reasons.<n>.code` and `….texts`.
fn read_rejection_reasons(
    fields: &mut JsonFields<'_>,
    body: &Value,
    languages: Option<&[String]>,
) -> Option<Value> {
    let items = match body.get("rejection_reasons") {
        None | Some(Value::Null) => return Some(Value::Array(Vec::new())),
        Some(Value::Array(items)) if items.len() <= MAX_REJECTION_REASONS => items,
        Some(_) => {
            fields.refuse(
                "rejection_reasons",
                FieldError::new("error-rejection-reasons-invalid"),
            );
            return None;
        }
    };
    let mut kept = Vec::new();
    let mut codes: Vec<&str> = Vec::new();
    let mut refused = false;
    for (index, item) in items.iter().enumerate() {
        let field = format!("rejection_reasons.{index}");
        let Ok(mut reason) = JsonFields::new(item, &["code", "texts"]) else {
            fields.refuse(&field, FieldError::new("error-json-object"));
            refused = true;
            continue;
        };
        let code = reason
            .text("code")
            .filter(|code| CategoryCode::parse(code).is_ok());
        let texts = reason.texts_by_language("texts", languages, MAX_REASON_CHARS, Lines::One);
        let problem = match (reason.finish(), code, texts) {
            (Ok(()), Some(code), Some(texts)) if !texts.is_empty() => {
                if !codes.contains(&code) {
                    codes.push(code);
                    kept.push(serde_json::json!({"code": code, "texts": texts}));
                }
                None
            }
            (Err(errors), _, _) => {
                for (name, error) in errors.iter() {
                    fields.refuse(&format!("{field}.{name}"), error.clone());
                }
                Some(())
            }
            (Ok(()), None, _) => {
                let error = FieldError::new("error-reason-code-invalid");
                fields.refuse(&format!("{field}.code"), error);
                Some(())
            }
            (Ok(()), Some(_), _) => {
                fields.refuse(&format!("{field}.texts"), FieldError::new("error-required"));
                Some(())
            }
        };
        refused |= problem.is_some();
    }
    (!refused).then_some(Value::Array(kept))
}

/// The longest reason an organiser gives for a place out of turn.
pub const MAX_WHY_CHARS: usize = 500;

/// `{"why": "…"}`: why an organiser gives a waiting delegate a place out of
/// turn, kept in the audit log with who did it; said, in at most
/// [`MAX_WHY_CHARS`] characters.
pub fn promotion_why(body: &Value) -> Result<&str, FieldErrors> {
    let mut fields = JsonFields::new(body, &["why"])?;
    let why = fields
        .text("why")
        .and_then(|why| fields.at_most("why", why, MAX_WHY_CHARS, Lines::Many));
    fields.finish()?;
    why.ok_or_else(incomplete)
}

/// A body every field of which was read, yet not all of them kept: a bug,
/// told as the request's fault rather than a half-made set-up.
fn incomplete() -> FieldErrors {
    FieldErrors::single("body", FieldError::new("admin-error-invalid"))
}

/// The first letters of the slug, as a booking-code prefix ("dakar-2005" → "DAK").
fn default_prefix(slug: &str) -> ReferencePrefix {
    let letters: String = slug
        .chars()
        .filter(char::is_ascii_alphabetic)
        .take(3)
        .collect();
    ReferencePrefix::parse(&letters)
        .or_else(|_| ReferencePrefix::parse("REG"))
        .expect("REG is a valid prefix")
}

/// A session as an organiser sets it up, checked field by field.
pub struct SessionSetup<'a> {
    pub code: SessionCode,
    title: &'a str,
    titles: Map<String, Value>,
    kind: SessionKind,
    room: &'a str,
    description: &'a str,
    descriptions: Map<String, Value>,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    capacity: Option<i32>,
}

impl<'a> SessionSetup<'a> {
    /// A new session of `event` (`existing` is `None`), or the whole new
    /// set-up of `existing`, whose code may be left out but not changed.
    /// Texts per language are for the event's languages only.
    pub fn parse(
        body: &'a Value,
        event: &Event,
        existing: Option<&'a Session>,
    ) -> Result<SessionSetup<'a>, FieldErrors> {
        let mut fields = JsonFields::new(
            body,
            &[
                "code",
                "title",
                "titles",
                "kind",
                "room",
                "description",
                "descriptions",
                "starts_at",
                "ends_at",
                "capacity",
            ],
        )?;
        let code = match existing {
            Some(session) => fields.unchanged("code", &session.code),
            None => fields.text("code"),
        };
        let code = code.and_then(|code| {
            SessionCode::parse(code)
                .map_err(|error| {
                    fields.refuse("code", input::keyed(error.message_key(), error.max()))
                })
                .ok()
        });
        let title = fields
            .text("title")
            .and_then(|title| fields.at_most("title", title, MAX_NAME_CHARS, Lines::One));
        let titles =
            fields.texts_by_language("titles", Some(&event.languages), MAX_NAME_CHARS, Lines::One);
        let typed_kind = fields.optional_text("kind");
        let kind = typed_kind.map_or(Some(SessionKind::Workshop), SessionKind::from_stored);
        if kind.is_none() {
            fields.refuse("kind", FieldError::new("error-session-kind-invalid"));
        }
        let kind = kind.unwrap_or(SessionKind::Workshop);
        let room = fields.optional_text("room").unwrap_or_default();
        let room = fields.at_most("room", room, MAX_NAME_CHARS, Lines::One);
        let description = fields.optional_text("description").unwrap_or_default();
        let description = fields.at_most(
            "description",
            description,
            MAX_DESCRIPTION_CHARS,
            Lines::Many,
        );
        let descriptions = fields.texts_by_language(
            "descriptions",
            Some(&event.languages),
            MAX_DESCRIPTION_CHARS,
            Lines::Many,
        );
        let starts_at = fields.datetime("starts_at");
        let ends_at = fields.datetime("ends_at");
        let capacity = fields.capacity("capacity");
        if let (Some(starts), Some(ends)) = (starts_at, ends_at)
            && ends <= starts
        {
            fields.refuse("ends_at", FieldError::new("error-session-ends-invalid"));
        }
        fields.finish()?;
        let (
            Some(code),
            Some(title),
            Some(titles),
            Some(room),
            Some(description),
            Some(descriptions),
            Some(starts_at),
            Some(ends_at),
            Ok(capacity),
        ) = (
            code,
            title,
            titles,
            room,
            description,
            descriptions,
            starts_at,
            ends_at,
            capacity,
        )
        else {
            return Err(incomplete());
        };
        Ok(SessionSetup {
            code,
            title,
            titles,
            kind,
            room,
            description,
            descriptions,
            starts_at,
            ends_at,
            capacity,
        })
    }

    pub fn new_session(&self, event_id: Uuid) -> NewSession<'_> {
        NewSession {
            id: Uuid::now_v7(),
            event_id,
            code: self.code.as_str(),
            kind: self.kind,
            title: self.title,
            titles: Value::Object(self.titles.clone()),
            description: self.description,
            descriptions: Value::Object(self.descriptions.clone()),
            room: self.room,
            starts_at: self.starts_at,
            ends_at: self.ends_at,
            capacity: self.capacity,
        }
    }
}

/// Which email a wording is for: a kind organisers may word and one of the
/// event's languages.
pub fn email_text_target(
    event: &Event,
    kind: &str,
    language: &str,
) -> Result<(EmailKind, Language), AppError> {
    let kind = EmailKind::from_stored(kind)
        .filter(|kind| kind.is_worded())
        .ok_or_else(|| {
            let kinds: Vec<&str> = EmailKind::worded().map(EmailKind::as_str).collect();
            AppError::field(
                "kind",
                FieldError::new("error-email-kind-invalid").with_arg("name", kinds.join(", ")),
            )
        })?;
    let language = Language::parse(language)
        .ok()
        .filter(|language| event.languages.iter().any(|code| code == language.code()))
        .ok_or_else(|| AppError::field("language", FieldError::new("error-language-invalid")))?;
    Ok((kind, language))
}

/// An organiser's own wording of an email: a subject and a text, with
/// placeholders such as `{given_name}`; an unknown one is refused.
pub struct EmailTextSetup<'a> {
    pub subject: &'a str,
    pub body: &'a str,
}

impl<'a> EmailTextSetup<'a> {
    pub fn parse(body: &'a Value) -> Result<EmailTextSetup<'a>, FieldErrors> {
        let mut fields = JsonFields::new(body, &["subject", "body"])?;
        let subject = fields
            .text("subject")
            .and_then(|subject| fields.at_most("subject", subject, MAX_NAME_CHARS, Lines::One));
        let text = fields
            .text("body")
            .and_then(|body| fields.at_most("body", body, MAX_EMAIL_TEXT_CHARS, Lines::Many));
        for (field, value) in [("subject", subject), ("body", text)] {
            match value.map(custom_text::check) {
                Some(Err(PlaceholderError::Unknown(name))) => fields.refuse(
                    field,
                    FieldError::new("error-placeholder-unknown")
                        .with_arg("name", format!("{{{name}}}")),
                ),
                Some(Err(PlaceholderError::Unclosed)) => {
                    fields.refuse(field, FieldError::new("error-placeholder-unclosed"))
                }
                _ => {}
            }
        }
        fields.finish()?;
        match (subject, text) {
            (Some(subject), Some(body)) => Ok(EmailTextSetup { subject, body }),
            _ => Err(incomplete()),
        }
    }
}

/// The query of an attendee list or export.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Only this status
    #[param(schema_with = schemas::status_filter)]
    pub status: Option<String>,
    /// Only delegates of this country
    #[param(schema_with = schemas::country_filter)]
    pub country: Option<String>,
    /// Only delegates who chose this session (one of the event's codes)
    #[param(schema_with = schemas::session_filter)]
    pub session: Option<String>,
    /// Part of a name, email, reference or organisation
    #[param(schema_with = schemas::search)]
    pub q: Option<String>,
    /// The order of the list
    #[param(schema_with = schemas::sort)]
    pub sort: Option<String>,
    /// The page, from 1 (at most `i64::MAX / MAX_PER_PAGE + 1`); each page
    /// deeper skips more index entries: for long lists follow `next` with
    /// `after`
    #[param(minimum = 1, maximum = 9_223_372_036_854_776_i64)]
    pub page: Option<i64>,
    /// Items a page, 50 unless given
    #[param(minimum = 1, maximum = 1000)]
    pub per_page: Option<i64>,
    /// A keyset cursor: the page starts after the row it names (the `next`
    /// of the page before), at the same cost however deep it is. Not with
    /// `page`; a cursor of another event, order or search is refused.
    #[param(schema_with = schemas::search)]
    pub after: Option<String>,
    /// A keyset cursor: the page ends just before the row it names (the
    /// `previous` of the page after). Not with `page` or `after`.
    #[param(schema_with = schemas::search)]
    pub before: Option<String>,
    /// `answer.<code>=<word>` pairs of the query: only registrations that
    /// answered so (read by [`ListQuery::read`]; described in the
    /// operations' text, since a parameter's name cannot vary).
    #[serde(skip)]
    #[param(ignore)]
    pub answers: Vec<(String, String)>,
    /// CSV only: start with a UTF-8 byte-order mark for Excel.
    pub bom: Option<bool>,
}

/// A page of an attendee list, and how the query asked for it.
pub struct ListedPage {
    pub listing: attendees::Listing,
    pub start: Start,
    pub page: i64,
    pub per_page: i64,
    pub order: Order,
    pub searching: bool,
}

/// The parameters an export takes beyond a list's (read from the same
/// query string).
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportParams {
    /// Choices, yes/no, statuses and countries in this language of the
    /// event (its first unless given)
    #[param(schema_with = schemas::language)]
    pub lang: Option<String>,
    /// Add the columns of sensitive questions (health, accessibility); a
    /// role that may not read them is refused with 403
    pub sensitive: Option<bool>,
}

impl ExportParams {
    /// What the export shows beyond its default, for a request holding
    /// `role`: another language than the event's is a 422 on `lang`;
    /// sensitive answers for a role that may not read them a 403.
    pub fn options(&self, event: &Event, role: Role) -> Result<ExportOptions, AppError> {
        let language = match self.lang.as_deref() {
            None => None,
            Some(code) => Some(
                Language::parse(code)
                    .ok()
                    .filter(|language| event.languages.iter().any(|c| c == language.code()))
                    .ok_or_else(|| {
                        AppError::field("lang", FieldError::new("error-language-invalid"))
                    })?,
            ),
        };
        let sensitive = self.sensitive.unwrap_or(false);
        if sensitive && !role.allows(Action::ReadSensitive) {
            return Err(AppError::Forbidden);
        }
        Ok(ExportOptions {
            language,
            sensitive,
        })
    }
}

impl ListQuery {
    /// Reads a list's query string: the named parameters and every
    /// `answer.<code>=<word>`.
    pub fn read(query: &str) -> Result<ListQuery, AppError> {
        let mut read = web::Query::<ListQuery>::from_query(query)
            .map(web::Query::into_inner)
            .map_err(|error| AppError::unreadable("query", error))?;
        let pairs = web::Query::<Vec<(String, String)>>::from_query(query)
            .map(web::Query::into_inner)
            .map_err(|error| AppError::unreadable("query", error))?;
        read.answers = pairs
            .into_iter()
            .filter_map(|(name, word)| {
                name.strip_prefix(ANSWER_PREFIX)
                    .map(|code| (code.to_owned(), word))
            })
            .collect();
        Ok(read)
    }

    /// Turns the filters into an attendee filter, refusing unknown values.
    pub async fn filter(
        &self,
        conn: &mut AsyncPgConnection,
        event: &Event,
    ) -> Result<AttendeeFilter, AppError> {
        if let Some(sort) = self.sort.as_deref()
            && !Order::ALL.iter().any(|order| order.as_str() == sort)
        {
            let orders: Vec<&str> = Order::ALL
                .iter()
                .map(|order| order.as_str())
                .filter(|order| !order.is_empty())
                .collect();
            let error = FieldError::new("error-sort-invalid").with_arg("name", orders.join(", "));
            return Err(AppError::field("sort", error));
        }
        let input = FilterInput {
            status: self.status.as_deref(),
            country: self.country.as_deref(),
            session: self.session.as_deref(),
            search: self.q.as_deref(),
            answers: &self.answers,
        };
        resolve_filter(conn, event, &input)
            .await
            .map_err(|error| match error {
                FilterError::Invalid(fields) => AppError::Validation(fields),
                FilterError::Database(error) => error.into(),
            })
    }

    /// The page the query asks for (its filters, order and start), the
    /// list's total counted as `counting` says.
    pub async fn list(
        &self,
        conn: &mut AsyncPgConnection,
        event: &Event,
        counting: Counting,
    ) -> Result<ListedPage, AppError> {
        self.paging()?;
        let filter = self.filter(conn, event).await?;
        let searching = filter.search.is_some();
        let (start, page, per_page) = self.start(event, searching)?;
        let order = self.order();
        let listing =
            attendees::list(conn, event.id, &filter, order, &start, per_page, counting).await?;
        Ok(ListedPage {
            listing,
            start,
            page,
            per_page,
            order,
            searching,
        })
    }

    /// The order asked for (`sort`).
    pub fn order(&self) -> Order {
        Order::parse(self.sort.as_deref())
    }

    /// Where the page starts (after the cursor `after`, or at `page`) and
    /// `(page, per_page)`; a cursor must belong to this event's list in
    /// this order, with a search or none as this one.
    pub fn start(&self, event: &Event, searching: bool) -> Result<(Start, i64, i64), AppError> {
        let (page, per_page) = self.paging()?;
        let (field, text) = match (&self.after, &self.before) {
            (None, None) => return Ok((Start::Offset((page - 1) * per_page), page, per_page)),
            (Some(_), Some(_)) => {
                return Err(AppError::field(
                    "before",
                    FieldError::new("error-cursor-both-ways"),
                ));
            }
            (Some(after), None) => ("after", after),
            (None, Some(before)) => ("before", before),
        };
        if self.page.is_some() {
            return Err(AppError::field(
                field,
                FieldError::new("error-cursor-with-page"),
            ));
        }
        let cursor = Cursor::decode(text, event.id, self.order(), searching)
            .map_err(|error| AppError::field(field, cursor_error(error)))?;
        let start = match field {
            "after" => Start::After(cursor),
            _ => Start::Before(cursor),
        };
        Ok((start, page, per_page))
    }

    /// `(page, per_page)`, 50 a page unless asked otherwise. The rows
    /// skipped, `(page - 1) * per_page`, are sure to fit in an `i64`.
    pub fn paging(&self) -> Result<(i64, i64), AppError> {
        let page = self.page.unwrap_or(1);
        let per_page = self.per_page.unwrap_or(50);
        if !(1..=MAX_PAGE).contains(&page) {
            return Err(AppError::field(
                "page",
                FieldError::new("error-page-invalid"),
            ));
        }
        if !(1..=MAX_PER_PAGE).contains(&per_page) {
            let error =
                FieldError::new("error-per-page-invalid").with_arg("max", MAX_PER_PAGE.to_string());
            return Err(AppError::field("per_page", error));
        }
        Ok((page, per_page))
    }
}

/// A list's query, as an extractor: `answer.<code>` parameters included.
impl actix_web::FromRequest for ListQuery {
    type Error = AppError;
    type Future = std::future::Ready<Result<ListQuery, AppError>>;

    fn from_request(
        request: &actix_web::HttpRequest,
        _: &mut actix_web::dev::Payload,
    ) -> Self::Future {
        std::future::ready(ListQuery::read(request.query_string()))
    }
}

/// Why a cursor was refused, as the message that says so.
fn cursor_error(error: CursorError) -> FieldError {
    FieldError::new(match error {
        CursorError::Malformed => "error-cursor-malformed",
        CursorError::OtherEvent => "error-cursor-other-event",
        CursorError::OtherOrder => "error-cursor-other-order",
        CursorError::OtherSearch => "error-cursor-other-search",
    })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn any_number() -> impl Strategy<Value = Option<i64>> {
        proptest::option::of(prop_oneof![-2..1003i64, any::<i64>()])
    }

    proptest! {
        #[test]
        fn paging_accepts_exactly_the_pages_whose_rows_can_be_skipped(
            page in any_number(),
            per_page in any_number(),
        ) {
            let query = ListQuery { page, per_page, ..ListQuery::default() };
            let (page, per_page) = (page.unwrap_or(1), per_page.unwrap_or(50));
            let valid = (1..=MAX_PAGE).contains(&page)
                && (1..=MAX_PER_PAGE).contains(&per_page)
                && (page - 1).checked_mul(per_page).is_some();
            match query.paging() {
                Ok(paging) => {
                    prop_assert!(valid);
                    prop_assert_eq!(paging, (page, per_page));
                }
                Err(AppError::Validation(fields)) => {
                    prop_assert!(!valid);
                    prop_assert_eq!(fields.len(), 1);
                    prop_assert!(fields.get("page").is_some() || fields.get("per_page").is_some());
                }
                Err(other) => prop_assert!(false, "{other:?}"),
            }
        }

        #[test]
        fn any_query_string_is_read_or_refused(query in any::<String>()) {
            let _ = web::Query::<ListQuery>::from_query(&query);
        }
    }
}
