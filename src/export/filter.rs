//! The filters organisers give (status, country, session, search, answers),
//! checked against the event, the same for the API, the back office and
//! the CLI.

use diesel_async::AsyncPgConnection;
use uuid::Uuid;

use crate::db::attendees::{AnswerFilter, AttendeeFilter};
use crate::db::events::{self, Event};
use crate::db::questions::{self, AskedQuestion};
use crate::domain::{
    CountryCode, FieldError, FieldErrors, RegistrationStatus, SessionCode, Vocabulary,
    answer_filter,
};

/// The query parameters that filter by an answer: `answer.<code>=<word>`.
pub const ANSWER_PREFIX: &str = "answer.";

#[derive(Debug, Clone, Default)]
pub struct FilterInput<'a> {
    pub status: Option<&'a str>,
    pub country: Option<&'a str>,
    pub session: Option<&'a str>,
    pub search: Option<&'a str>,
    /// `(question code, choice or yes/no)` pairs, all to be met.
    pub answers: &'a [(String, String)],
}

#[derive(Debug, thiserror::Error)]
pub enum FilterError {
    #[error("invalid filter")]
    Invalid(FieldErrors),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

fn given(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|value| !value.is_empty())
}

pub async fn resolve(
    conn: &mut AsyncPgConnection,
    event: &Event,
    input: &FilterInput<'_>,
) -> Result<AttendeeFilter, FilterError> {
    // The event's sessions are only read when a session is asked for.
    let sessions = match given(input.session) {
        Some(_) => events::sessions_of(conn, event.id).await?,
        None => Vec::new(),
    };
    let sessions: Vec<(Uuid, &str)> = sessions
        .iter()
        .map(|session| (session.id, session.code.as_str()))
        .collect();
    let asked = match input.answers {
        [] => Vec::new(),
        _ => questions::of_event(conn, event.id, None).await?,
    };
    check(input, &sessions, &asked).map_err(FilterError::Invalid)
}

/// The answers asked for, each against the event's questions: a known
/// code of a yes/no or choice question, not a sensitive one (its answers
/// are for the roles that may see them, not for anyone who can list), and
/// one of its words.
fn answers(
    wanted: &[(String, String)],
    asked: &[AskedQuestion],
    errors: &mut FieldErrors,
) -> Vec<AnswerFilter> {
    let mut found = Vec::new();
    for (code, word) in wanted {
        let field = format!("{ANSWER_PREFIX}{code}");
        let Some(question) = asked
            .iter()
            .find(|asked| asked.question.code == code.trim())
        else {
            let error = FieldError::new("error-answer-filter-unknown").with_arg("code", code);
            errors.add(&field, error);
            continue;
        };
        if question.question.sensitive {
            errors.add(&field, FieldError::new("error-answer-filter-sensitive"));
            continue;
        }
        match answer_filter(&question.rule(), word) {
            Ok(value) => found.push(AnswerFilter {
                question_id: question.question.id,
                value,
            }),
            Err(error) => errors.add(&field, error),
        }
    }
    found
}

/// The filters checked against the event's sessions, given as `(id, code)`;
/// every problem at once, by field. Blank values filter nothing.
pub(crate) fn check(
    input: &FilterInput<'_>,
    sessions: &[(Uuid, &str)],
    asked: &[AskedQuestion],
) -> Result<AttendeeFilter, FieldErrors> {
    let mut errors = FieldErrors::default();
    let status = given(input.status).and_then(|status| {
        let found = RegistrationStatus::from_stored(status);
        if found.is_none() {
            let error = FieldError::new("error-status-invalid").with_arg("status", status);
            errors.add("status", error);
        }
        found
    });
    let country = given(input.country).and_then(|code| match CountryCode::parse(code) {
        Ok(code) => Some(code.as_str().to_owned()),
        Err(_) => {
            let error = FieldError::new("error-country-code-invalid").with_arg("code", code);
            errors.add("country", error);
            None
        }
    });
    let session_id = given(input.session).and_then(|code| {
        let wanted = SessionCode::parse(code).ok();
        let found = sessions.iter().find(|(_, session)| {
            wanted
                .as_ref()
                .is_some_and(|wanted| wanted.as_str() == *session)
        });
        if found.is_none() {
            let error = FieldError::new("error-session-unknown").with_arg("code", code);
            errors.add("session", error);
        }
        found.map(|(id, _)| *id)
    });
    // PostgreSQL's text cannot hold U+0000: refused here, not failed on.
    if given(input.search).is_some_and(|search| search.contains('\0')) {
        errors.add("q", FieldError::new("error-invalid-character"));
    }
    let answers = answers(input.answers, asked, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(AttendeeFilter {
        status,
        country,
        session_id,
        search: given(input.search).map(str::to_owned),
        answers,
    })
}

#[cfg(test)]
mod tests {
    use proptest::collection::btree_set;
    use proptest::prelude::*;
    use proptest::sample::select;

    use super::*;

    fn blank_or(value: &Option<String>) -> Option<&str> {
        value
            .as_deref()
            .map(str::trim)
            .filter(|value| !value.is_empty())
    }

    /// Values as organisers type them: right, nearly right, or anything.
    fn status() -> impl Strategy<Value = Option<String>> {
        let known =
            || select(RegistrationStatus::ALL.to_vec()).prop_map(RegistrationStatus::as_str);
        proptest::option::of(prop_oneof![
            known().prop_map(str::to_owned),
            known().prop_map(|status| format!(" {status}\t")),
            known().prop_map(str::to_uppercase),
            (known(), known()).prop_map(|(a, b)| format!("{a},{b}")),
            select(vec!["", "  ", "deleted"]).prop_map(str::to_owned),
            any::<String>(),
        ])
    }

    fn country() -> impl Strategy<Value = Option<String>> {
        proptest::option::of(prop_oneof![" ?[A-Za-z]{2} ?", "[A-Z]{3}", any::<String>()])
    }

    fn session() -> impl Strategy<Value = Option<String>> {
        proptest::option::of(prop_oneof![" ?[A-Da-d][1-3] ?", any::<String>()])
    }

    proptest! {
        #[test]
        fn a_filter_is_accepted_exactly_when_each_value_is_known(
            status in status(),
            country in country(),
            session in session(),
            // Often a U+0000, which PostgreSQL cannot hold.
            search in proptest::option::of(prop_oneof![any::<String>(), "[a \\x00]{0,4}"]),
            event_sessions in btree_set("[A-D][1-3]", 0..6),
        ) {
            let ids: Vec<(Uuid, String)> = event_sessions
                .into_iter()
                .map(|code| (Uuid::new_v4(), code))
                .collect();
            let sessions: Vec<(Uuid, &str)> =
                ids.iter().map(|(id, code)| (*id, code.as_str())).collect();
            let input = FilterInput {
                status: status.as_deref(),
                country: country.as_deref(),
                session: session.as_deref(),
                search: search.as_deref(),
                answers: &[],
            };

            let status_ok = blank_or(&status).is_none_or(|status| {
                RegistrationStatus::ALL.iter().any(|known| known.as_str() == status)
            });
            let country_code = blank_or(&country).map(CountryCode::parse);
            let session_id = blank_or(&session).map(|code| {
                let code = SessionCode::parse(code).ok()?;
                sessions
                    .iter()
                    .find(|(_, known)| *known == code.as_str())
                    .map(|(id, _)| *id)
            });
            let mut refused = Vec::new();
            if !status_ok {
                refused.push("status".to_owned());
            }
            if matches!(country_code, Some(Err(_))) {
                refused.push("country".to_owned());
            }
            if matches!(session_id, Some(None)) {
                refused.push("session".to_owned());
            }
            if blank_or(&search).is_some_and(|search| search.contains('\0')) {
                refused.push("q".to_owned());
            }
            refused.sort();

            match check(&input, &sessions, &[]) {
                Ok(filter) => {
                    prop_assert!(refused.is_empty());
                    prop_assert_eq!(filter.status.map(RegistrationStatus::as_str), blank_or(&status));
                    prop_assert_eq!(
                        filter.country.as_deref(),
                        country_code.and_then(Result::ok).map(|code| code.as_str())
                    );
                    prop_assert_eq!(filter.session_id, session_id.flatten());
                    prop_assert_eq!(filter.search.as_deref(), blank_or(&search));
                }
                Err(errors) => {
                    let fields: Vec<String> =
                        errors.iter().map(|(field, _)| field.to_owned()).collect();
                    prop_assert_eq!(fields, refused);
                }
            }
        }
    }
}
