//! Turning what a delegate sent (JSON or an HTML form) into domain types,
//! collecting every problem field by field. Shared by the API and the pages
//! so both accept exactly the same input.

use actix_web::web;
use futures_util::StreamExt;

use super::AppError;
use super::form::Form;
use crate::domain::{
    Answers, Asking, CategoryCode, CountryCode, EmailAddress, FieldError, FieldErrors, Language,
    Organisation, PersonName, QuestionRule, SessionCode, parse_answers,
};
use crate::registration::Applicant;

/// A registration as typed, before parsing. Every field is a string (or a
/// list of strings), whatever the delegate sent.
#[derive(Debug, Clone, Default)]
pub struct RawRegistration {
    pub given_name: String,
    pub family_name: String,
    pub email: String,
    pub country: String,
    pub organisation: String,
    /// A participant category's code; empty for the event's default.
    pub category: String,
    pub language: String,
    pub sessions: Vec<String>,
    /// Answers to the event's questions, by question code.
    pub answers: serde_json::Map<String, serde_json::Value>,
}

/// The registration's fields, in the order the form shows them, which is
/// also the order of the error summary (answers' fields, `answers.<code>`,
/// come last).
pub(crate) const FIELDS: &[&str] = &[
    "given_name",
    "family_name",
    "email",
    "country",
    "organisation",
    "category",
    "language",
    "sessions",
    "answers",
];

/// At most this many session choices: far above any real programme, low
/// enough that a hostile list costs nothing.
pub(crate) const MAX_SESSIONS: usize = 50;

impl RawRegistration {
    /// Reads a JSON object. Unknown fields are refused, like wrong types, so
    /// a misspelt field never silently drops what the delegate meant.
    pub fn from_json(value: &serde_json::Value) -> Result<RawRegistration, FieldErrors> {
        let Some(object) = value.as_object() else {
            return Err(FieldErrors::single(
                "body",
                FieldError::new("error-json-object"),
            ));
        };
        let mut errors = FieldErrors::default();
        for key in object.keys() {
            if !FIELDS.contains(&key.as_str()) {
                errors.add(key, FieldError::new("error-unknown-field"));
            }
        }
        let mut raw = RawRegistration::of_texts(|field| match object.get(field) {
            None | Some(serde_json::Value::Null) => String::new(),
            Some(serde_json::Value::String(text)) => text.clone(),
            Some(_) => {
                errors.add(field, FieldError::new("error-not-text"));
                String::new()
            }
        });
        match object.get("answers") {
            None | Some(serde_json::Value::Null) => {}
            Some(serde_json::Value::Object(answers)) => raw.answers = answers.clone(),
            Some(_) => errors.add("answers", FieldError::new("error-json-object")),
        }
        match object.get("sessions") {
            None | Some(serde_json::Value::Null) => {}
            Some(serde_json::Value::Array(items)) if items.iter().all(|item| item.is_string()) => {
                raw.sessions = items
                    .iter()
                    .filter_map(|item| item.as_str().map(str::to_owned))
                    .collect();
            }
            Some(_) => errors.add("sessions", FieldError::new("error-not-text-list")),
        }
        if errors.is_empty() {
            Ok(raw)
        } else {
            Err(errors)
        }
    }

    /// The built-in text fields as `text` reads each, no session chosen
    /// and nothing answered yet.
    fn of_texts(mut text: impl FnMut(&'static str) -> String) -> RawRegistration {
        RawRegistration {
            given_name: text("given_name"),
            family_name: text("family_name"),
            email: text("email"),
            country: text("country"),
            organisation: text("organisation"),
            category: text("category"),
            language: text("language"),
            sessions: Vec::new(),
            answers: serde_json::Map::new(),
        }
    }

    /// The registration form's fields; absent fields are empty, as the JSON
    /// API reads a missing field.
    pub fn of_form(form: &Form) -> RawRegistration {
        RawRegistration {
            sessions: form
                .all("sessions")
                .into_iter()
                .map(str::to_owned)
                .collect(),
            ..RawRegistration::of_texts(|name| form.get(name).unwrap_or_default().to_owned())
        }
    }

    /// Parses every field and the answers to `questions` (those asked of
    /// the category chosen, or else of `default_category`: the event's
    /// first public one), reporting all problems at once.
    pub fn parse(
        &self,
        default_language: Language,
        default_category: Option<&str>,
        questions: &[QuestionRule],
    ) -> Result<Applicant, FieldErrors> {
        let mut errors = FieldErrors::default();
        let asked_category = match self.category.trim() {
            "" => default_category,
            typed => Some(typed),
        };
        let asking = Asking::registering(asked_category);
        let answers = match parse_answers(questions, &self.answers, asking) {
            Ok(answers) => answers,
            Err(problems) => {
                for (field, error) in problems.iter() {
                    errors.add(field, error.clone());
                }
                Answers::new()
            }
        };
        let mut check = |field: &'static str, result: Result<(), FieldError>| {
            if let Err(error) = result {
                errors.add(field, error);
            }
        };
        let given_name = PersonName::parse(&self.given_name);
        check(
            "given_name",
            given_name.as_ref().map(drop).map_err(name_error),
        );
        let family_name = PersonName::parse_optional(&self.family_name);
        check(
            "family_name",
            family_name.as_ref().map(drop).map_err(name_error),
        );
        let email = EmailAddress::parse(&self.email);
        check(
            "email",
            email
                .as_ref()
                .map(drop)
                .map_err(|e| keyed(e.message_key(), e.max())),
        );
        let country = CountryCode::parse(&self.country);
        check(
            "country",
            country
                .as_ref()
                .map(drop)
                .map_err(|e| keyed(e.message_key(), None)),
        );
        let organisation = Organisation::parse_optional(&self.organisation);
        check(
            "organisation",
            organisation.as_ref().map(drop).map_err(name_error),
        );
        let language = if self.language.trim().is_empty() {
            Ok(default_language)
        } else {
            Language::parse(&self.language)
        };
        check(
            "language",
            language
                .as_ref()
                .map(drop)
                .map_err(|e| keyed(e.message_key(), None)),
        );
        let category = match self.category.trim() {
            "" => Ok(None),
            typed => CategoryCode::parse(typed).map(Some),
        };
        check(
            "category",
            category
                .as_ref()
                .map(drop)
                .map_err(|_| FieldError::new("error-category-unknown")),
        );
        let sessions = session_codes(&self.sessions).unwrap_or_else(|error| {
            check("sessions", Err(error));
            Vec::new()
        });
        let applicant = || {
            Some(Applicant {
                given_name: given_name.ok()?,
                family_name: family_name.ok()?,
                email: email.ok()?,
                country: country.ok()?,
                organisation: organisation.ok()?,
                language: language.ok()?,
                category: category.ok()?,
                sessions,
                answers,
                uploads: Vec::new(),
            })
        };
        match applicant() {
            Some(applicant) if errors.is_empty() => Ok(applicant),
            _ => Err(errors),
        }
    }
}

/// The session codes a delegate ticked or sent, read the same way by the
/// registration, the private page and the API: each must be a session code,
/// a repeated code counts once (where it first appears), and a list longer
/// than [`MAX_SESSIONS`] is refused before any code is read. The first
/// problem found is the one reported.
pub fn session_codes<S: AsRef<str>>(submitted: &[S]) -> Result<Vec<SessionCode>, FieldError> {
    if submitted.len() > MAX_SESSIONS {
        return Err(keyed("error-too-many-sessions", Some(MAX_SESSIONS)));
    }
    let mut codes = Vec::new();
    for code in submitted {
        let code = SessionCode::parse(code.as_ref())
            .map_err(|error| keyed(error.message_key(), error.max()))?;
        if !codes.contains(&code) {
            codes.push(code);
        }
    }
    Ok(codes)
}

fn name_error(error: &crate::domain::NameError) -> FieldError {
    keyed(error.message_key(), error.max())
}

pub(crate) fn keyed(message_id: &'static str, max: Option<usize>) -> FieldError {
    let error = FieldError::new(message_id);
    match max {
        Some(max) => error.with_arg("max", max.to_string()),
        None => error,
    }
}

/// An API request's JSON body, read within the body limit.
pub async fn json_body(
    state: &super::AppState,
    payload: web::Payload,
) -> Result<serde_json::Value, AppError> {
    let body = read_body(payload, state.settings.http.max_body_bytes).await?;
    serde_json::from_slice(&body).map_err(|error| AppError::unreadable("body", error))
}

/// Reads a request body up to `limit` bytes; more is refused with 413
/// before it is buffered.
pub async fn read_body(mut payload: web::Payload, limit: usize) -> Result<web::BytesMut, AppError> {
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|_| AppError::unreadable("body", "the connection broke off"))?;
        if body.len() + chunk.len() > limit {
            return Err(AppError::PayloadTooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

#[cfg(test)]
pub(crate) mod tests {
    use proptest::collection::{btree_map, vec};
    use proptest::prelude::*;
    use serde_json::Value;

    use super::*;
    use crate::i18n::has_message;

    /// Any JSON document, its object keys often the names a parser looks for.
    pub(crate) fn any_json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            any::<String>().prop_map(Value::from),
            "[A-Za-z0-9_-]{0,17}".prop_map(Value::from),
        ];
        let key = prop_oneof![
            proptest::sample::select(FIELDS).prop_map(str::to_owned),
            any::<String>(),
        ];
        leaf.prop_recursive(3, 48, 8, move |inner| {
            prop_oneof![
                vec(inner.clone(), 0..8).prop_map(Value::Array),
                btree_map(key.clone(), inner, 0..8)
                    .prop_map(|map| Value::Object(map.into_iter().collect())),
            ]
        })
    }

    /// Texts that are session codes, nearly so (spaces, case, length 17,
    /// a foreign letter), or anything at all.
    pub(crate) fn session_code_like() -> impl Strategy<Value = String> {
        prop_oneof![
            4 => "[A-Da-d][1-3]",
            2 => " ?[A-Za-z0-9_-]{1,17} ?",
            1 => "[A-Z]{0,3}[é Ｗ./][0-9]?",
            1 => any::<String>(),
        ]
    }

    /// What [`session_codes`] should answer, from the domain parser alone.
    pub(crate) fn expected_session_codes(
        submitted: &[String],
    ) -> Result<Vec<SessionCode>, &'static str> {
        if submitted.len() > MAX_SESSIONS {
            return Err("error-too-many-sessions");
        }
        let mut codes: Vec<SessionCode> = Vec::new();
        for text in submitted {
            let code = SessionCode::parse(text).map_err(|error| error.message_key())?;
            if !codes.contains(&code) {
                codes.push(code);
            }
        }
        Ok(codes)
    }

    fn exists_in_every_language(error: &FieldError) -> bool {
        Language::ALL
            .iter()
            .all(|language| has_message(*language, error.message_id))
    }

    #[test]
    fn a_list_of_fifty_sessions_is_read_and_fifty_one_refused() {
        let codes: Vec<String> = (0..51).map(|n| format!("W{n}")).collect();
        assert_eq!(session_codes(&codes[..50]).map(|c| c.len()), Ok(50));
        let refused = session_codes(&codes).unwrap_err();
        assert_eq!(refused.message_id, "error-too-many-sessions");
        assert_eq!(refused.args, [("max", "50".to_owned())]);
        assert_eq!(
            session_codes(&["a1", " A1", "b2", "A1 "])
                .map(|codes| codes.iter().map(SessionCode::to_string).collect::<Vec<_>>()),
            Ok(vec!["A1".to_owned(), "B2".to_owned()])
        );
    }

    proptest! {
        #[test]
        fn session_lists_keep_each_code_once_in_order_or_name_the_problem(
            submitted in vec(session_code_like(), 0..60)
        ) {
            let parsed = session_codes(&submitted);
            match (&parsed, expected_session_codes(&submitted)) {
                (Ok(codes), Ok(expected)) => prop_assert_eq!(codes, &expected),
                (Err(error), Err(expected)) => {
                    prop_assert_eq!(error.message_id, expected);
                    prop_assert!(exists_in_every_language(error), "{}", error.message_id);
                }
                (parsed, expected) => prop_assert!(false, "{parsed:?} but expected {expected:?}"),
            }
        }

        #[test]
        fn registration_bodies_never_panic_and_every_problem_has_a_message(
            body in any_json(),
            default_language in proptest::sample::select(Language::ALL.to_vec()),
        ) {
            match RawRegistration::from_json(&body) {
                Err(errors) => {
                    prop_assert!(!errors.is_empty());
                    for (_, error) in errors.iter() {
                        prop_assert!(exists_in_every_language(error), "{}", error.message_id);
                    }
                }
                Ok(raw) => match raw.parse(default_language, None, &[]) {
                    Ok(applicant) => {
                        let expected = expected_session_codes(&raw.sessions);
                        prop_assert_eq!(Ok(applicant.sessions), expected);
                    }
                    Err(errors) => {
                        prop_assert!(!errors.is_empty());
                        for (field, error) in errors.iter() {
                            prop_assert!(
                                FIELDS.contains(&field) || field.starts_with("answers."),
                                "{}",
                                field
                            );
                            prop_assert!(exists_in_every_language(error), "{}", error.message_id);
                        }
                    }
                },
            }
        }

        #[test]
        fn registration_fields_sent_as_texts_are_each_read(
            given_name in any::<String>(),
            email in any::<String>(),
            country in "[A-Za-z]{2}",
            sessions in vec(session_code_like(), 0..8),
        ) {
            let body = serde_json::json!({
                "given_name": given_name,
                "email": email,
                "country": country,
                "sessions": sessions,
            });
            let raw = RawRegistration::from_json(&body).expect("texts are read");
            prop_assert_eq!(&raw.given_name, &given_name);
            prop_assert_eq!(&raw.email, &email);
            prop_assert_eq!(&raw.sessions, &sessions);
            let errors = raw.parse(Language::Fr, None, &[]).err().unwrap_or_default();
            prop_assert_eq!(
                errors.get("country").is_none(),
                CountryCode::parse(&country).is_ok()
            );
            prop_assert_eq!(
                errors.get("sessions").is_none(),
                expected_session_codes(&sessions).is_ok()
            );
        }
    }
}
