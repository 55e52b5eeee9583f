//! Organisers set their questions up, and delegates answer them after
//! registering. Each is one transaction that locks the event row first, then
//! the choices it moves in id order (DESIGN.md's lock order), and writes
//! the organiser's audit row in it.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use diesel_async::AsyncPgConnection;
use serde_json::json;
use uuid::Uuid;

use super::{Invariant, RegistrationError, with_retries};
use crate::db::admin as admin_store;
use crate::db::categories as categories_store;
use crate::db::events::Event;
use crate::db::files::{self as files_store, NewFile};
use crate::db::organisers::audit;
use crate::db::questions::{
    self as store, AskedQuestion, NewAnswer, NewQuestion, NewQuestionChoice,
};
use crate::db::registrations as registrations_store;
use crate::domain::{
    Answers, Asking, FieldError, FieldErrors, Preset, QuestionType, RegistrationStatus, Upload,
    answer_field, parse_answers,
};

fn refused(field: &str, error: FieldError) -> RegistrationError {
    RegistrationError::Invalid(FieldErrors::single(field, error))
}

/// Creates a question with its choices; `None` when the event has one
/// with its code.
pub async fn create_question(
    conn: &mut AsyncPgConnection,
    event_id: Uuid,
    question: &NewQuestion<'_>,
    choices: &[NewQuestionChoice<'_>],
    organiser_id: Uuid,
) -> Result<Option<AskedQuestion>, RegistrationError> {
    let created =
        create_questions(conn, event_id, &[(question, choices)], None, organiser_id).await?;
    Ok(created.and_then(|mut created| created.pop()))
}

/// Creates questions with their choices in one transaction, in their
/// order (a condition may name an earlier one), with an audit row each
/// naming the preset they come from; `None`, and nothing written, when
/// the event has a question with one of their codes.
pub async fn create_questions(
    conn: &mut AsyncPgConnection,
    event_id: Uuid,
    questions: &[(&NewQuestion<'_>, &[NewQuestionChoice<'_>])],
    preset: Option<Preset>,
    organiser_id: Uuid,
) -> Result<Option<Vec<AskedQuestion>>, RegistrationError> {
    let created = with_retries!(conn, |tx| {
        registrations_store::lock_event(tx, event_id).await?;
        let mut created = Vec::with_capacity(questions.len());
        for (question, choices) in questions {
            store::insert(tx, question, choices).await?;
            let mut detail = json!({"code": question.code, "type": question.kind});
            if let Some(preset) = preset {
                detail["preset"] = json!(preset);
            }
            audit(
                tx,
                Some(organiser_id),
                Some(event_id),
                None,
                "question.create",
                detail,
            )
            .await?;
            let found = store::find(tx, event_id, question.code)
                .await?
                .ok_or(Invariant::RowMissing)?;
            created.push(found);
        }
        Ok(created)
    });
    match created {
        Ok(created) => Ok(Some(created)),
        Err(RegistrationError::Database(error)) if admin_store::is_unique_violation(&error) => {
            Ok(None)
        }
        Err(error) => Err(error),
    }
}

/// Replaces a question's set-up. The places its choices hold are read
/// again under their locks: a choice left out or a capacity below them
/// is refused, whatever the organiser's page showed.
pub async fn update_question(
    conn: &mut AsyncPgConnection,
    event_id: Uuid,
    question_id: Uuid,
    question: &NewQuestion<'_>,
    choices: &[NewQuestionChoice<'_>],
    organiser_id: Uuid,
) -> Result<AskedQuestion, RegistrationError> {
    with_retries!(conn, |tx| {
        registrations_store::lock_event(tx, event_id).await?;
        let before = store::lock_choices_of(tx, question_id).await?;
        for held in before.iter().filter(|choice| choice.taken > 0) {
            match choices.iter().position(|choice| choice.code == held.code) {
                None => {
                    let error = FieldError::new("error-choice-held")
                        .with_arg("code", held.code.as_str())
                        .with_arg("taken", held.taken.to_string());
                    return Err(refused("choices", error));
                }
                Some(index) if choices[index].capacity.is_some_and(|c| c < held.taken) => {
                    let error = FieldError::new("error-capacity-below-taken")
                        .with_arg("taken", held.taken.to_string());
                    return Err(refused(&format!("choices.{index}.capacity"), error));
                }
                Some(_) => {}
            }
        }
        let stored = store::find(tx, event_id, question.code)
            .await?
            .ok_or(RegistrationError::NotFound)?;
        store::update(tx, question_id, question, choices).await?;
        let after = store::find(tx, event_id, question.code)
            .await?
            .ok_or(Invariant::RowMissing)?;
        let detail = json!({
            "code": question.code,
            "before": {
                "labels": stored.question.labels,
                "required": stored.question.required,
                "choices": stored.choices.iter().map(|c| (&c.code, c.capacity)).collect::<Vec<_>>(),
            },
            "after": {
                "labels": after.question.labels,
                "required": after.question.required,
                "choices": after.choices.iter().map(|c| (&c.code, c.capacity)).collect::<Vec<_>>(),
            },
        });
        audit(
            tx,
            Some(organiser_id),
            Some(event_id),
            None,
            "question.update",
            detail,
        )
        .await?;
        Ok(after)
    })
}

/// Deletes a question and its answers. With answers, only when
/// `confirmed`; never while another question's condition names it.
pub async fn delete_question(
    conn: &mut AsyncPgConnection,
    event: &Event,
    code: &str,
    confirmed: bool,
    organiser_id: Uuid,
) -> Result<(), RegistrationError> {
    with_retries!(conn, |tx| {
        registrations_store::lock_event(tx, event.id).await?;
        let questions = store::of_event(tx, event.id, None).await?;
        let question = questions
            .iter()
            .find(|question| question.question.code == code)
            .ok_or(RegistrationError::NotFound)?;
        if let Some(dependant) = questions.iter().find(|other| {
            other
                .condition()
                .is_some_and(|condition| condition.question == code)
        }) {
            let error = FieldError::new("error-question-is-condition")
                .with_arg("code", dependant.question.code.as_str());
            return Err(refused("code", error));
        }
        let answers = store::answer_count(tx, question.question.id).await?;
        if answers > 0 && !confirmed {
            let error = FieldError::new("error-question-has-answers")
                .with_arg("count", answers.to_string());
            return Err(refused("confirm", error));
        }
        store::delete(tx, question.question.id).await?;
        let detail = json!({"code": code, "answers": answers});
        audit(
            tx,
            Some(organiser_id),
            Some(event.id),
            None,
            "question.delete",
            detail,
        )
        .await?;
        Ok(())
    })
}

/// Stores the `uploads` that `answers` name, then checks that every file
/// answer names a file of `registration_id` sent for that question.
async fn keep_files(
    conn: &mut AsyncPgConnection,
    registration_id: Uuid,
    questions: &[AskedQuestion],
    answers: &Answers,
    uploads: &[Upload],
) -> Result<(), RegistrationError> {
    let mut wanted = Vec::new();
    let mut rows = Vec::new();
    for question in questions {
        if question.question.kind != QuestionType::File {
            continue;
        }
        let Some(id) = answers
            .get(&question.question.code)
            .and_then(|value| value.as_str())
            .and_then(|id| Uuid::parse_str(id).ok())
        else {
            continue;
        };
        wanted.push((question.question.id, id, question.question.code.as_str()));
        if let Some(upload) = uploads
            .iter()
            .find(|upload| upload.id == id && upload.question == question.question.code)
        {
            rows.push(NewFile::of(upload, registration_id, question.question.id));
        }
    }
    files_store::insert(conn, &rows).await?;
    let pairs: Vec<(Uuid, Uuid)> = wanted.iter().map(|(q, f, _)| (*q, *f)).collect();
    let found = files_store::owned(conn, registration_id, &pairs).await?;
    let mut errors = FieldErrors::default();
    for (question, file, code) in &wanted {
        if !found.contains(&(*question, *file)) {
            errors.add(&answer_field(code), FieldError::new("error-file-unknown"));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(RegistrationError::Invalid(errors))
    }
}

/// Keeps a file a live registration sent for its question `code` (a file
/// question of its event), to be named by its answers; earlier files for
/// that question that no answer names are deleted.
pub async fn store_file(
    conn: &mut AsyncPgConnection,
    token: &str,
    upload: &Upload,
) -> Result<(), RegistrationError> {
    let token_hash = super::hash_token(token);
    with_retries!(conn, |tx| {
        let registration = registrations_store::find_by_token_hash(tx, &token_hash)
            .await?
            .ok_or(RegistrationError::NotFound)?;
        if registration.status == RegistrationStatus::Cancelled {
            return Err(RegistrationError::Cancelled);
        }
        let question = store::find(tx, registration.event_id, &upload.question)
            .await?
            .filter(|asked| asked.question.kind == QuestionType::File)
            .ok_or_else(|| refused("question", FieldError::new("error-question-not-file")))?;
        let row = NewFile::of(upload, registration.id, question.question.id);
        files_store::insert(tx, std::slice::from_ref(&row)).await?;
        files_store::delete_unused(tx, registration.id, question.question.id, upload.id).await?;
        Ok(())
    })
}

/// The choice places the answers hold, by choice id.
pub(super) fn held_places(questions: &[AskedQuestion], answers: &Answers) -> HashMap<Uuid, i32> {
    let mut held = HashMap::new();
    for question in questions {
        if let Some(value) = answers.get(&question.question.code) {
            for choice in question.chosen(value) {
                *held.entry(choice.id).or_insert(0) += 1;
            }
        }
    }
    held
}

/// Refuses, under `answers.<code>`, a change of an answer whose question
/// stopped taking delegates' changes before `now` (its closing time shown
/// in the event's zone). An unchanged answer passes.
fn refuse_closed_changes(
    event: &Event,
    questions: &[AskedQuestion],
    before: &Answers,
    after: &Answers,
    now: DateTime<Utc>,
) -> Result<(), RegistrationError> {
    let mut errors = FieldErrors::default();
    for asked in questions {
        let code = &asked.question.code;
        let (Some(until), false) = (asked.question.answers_until, asked.open_to_delegates(now))
        else {
            continue;
        };
        if before.get(code) != after.get(code) {
            let closed = until.with_timezone(&event.time_zone());
            let error = FieldError::new("error-answer-closed")
                .with_arg("time", closed.format("%Y-%m-%d %H:%M %Z").to_string());
            errors.add(&answer_field(code), error);
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(RegistrationError::Invalid(errors))
    }
}

/// The answers as rows of `registration_id`.
pub(super) fn answer_rows(
    questions: &[AskedQuestion],
    registration_id: Uuid,
    answers: &Answers,
) -> Vec<NewAnswer> {
    questions
        .iter()
        .filter_map(|question| {
            let value = answers.get(&question.question.code)?;
            Some(NewAnswer {
                registration_id,
                question_id: question.question.id,
                value: value.clone(),
            })
        })
        .collect()
}

/// Replaces a live registration's answers (the whole map, read against
/// every question of the event). Its choice places move in one guarded
/// statement: a full choice is refused under `answers.<code>`. `uploads`
/// are files sent with the answers (the private page's form), stored with
/// them; a file answer must name one of those or a file the registration
/// sent before for that question.
pub async fn change_answers(
    conn: &mut AsyncPgConnection,
    token: &str,
    given: &serde_json::Map<String, serde_json::Value>,
    uploads: &[Upload],
) -> Result<Answers, RegistrationError> {
    let token_hash = super::hash_token(token);
    let now = Utc::now();
    with_retries!(conn, |tx| {
        let (event, registration) = super::view::lock_by_token(tx, &token_hash).await?;
        let change = AnswersChange {
            given,
            uploads,
            by: ChangedBy::Delegate(now),
        };
        let (_, answers, _) = replace_answers(tx, &event, &registration, change).await?;
        Ok(answers)
    })
}

/// Who changes a registration's answers: a delegate at a moment (a
/// question's `answers_until` then holds), or an organiser (it does not).
#[derive(Debug, Clone, Copy)]
enum ChangedBy {
    Delegate(DateTime<Utc>),
    Organiser,
}

/// The answers asked for (the whole map), with the files sent with them.
struct AnswersChange<'a> {
    given: &'a serde_json::Map<String, serde_json::Value>,
    uploads: &'a [Upload],
    by: ChangedBy,
}

/// An organiser's change of a registration's answers, by the delegate's
/// rules and counters, with an audit row naming each answer changed with
/// its old and new value (a sensitive answer's values are not copied into
/// the log: it says the answer changed).
pub async fn change_answers_for(
    conn: &mut AsyncPgConnection,
    event: &Event,
    registration_id: Uuid,
    given: &serde_json::Map<String, serde_json::Value>,
    organiser_id: Uuid,
) -> Result<Answers, RegistrationError> {
    with_retries!(conn, |tx| {
        let event = registrations_store::lock_event(tx, event.id).await?;
        let registration = registrations_store::lock(tx, registration_id)
            .await
            .map_err(|error| match error {
                diesel::result::Error::NotFound => RegistrationError::NotFound,
                other => other.into(),
            })?;
        if registration.event_id != event.id {
            return Err(RegistrationError::NotFound);
        }
        let change = AnswersChange {
            given,
            uploads: &[],
            by: ChangedBy::Organiser,
        };
        let (before, after, questions) = replace_answers(tx, &event, &registration, change).await?;
        let changes: Vec<serde_json::Value> = questions
            .iter()
            .filter_map(|asked| {
                let code = &asked.question.code;
                let (old, new) = (before.get(code), after.get(code));
                if old == new {
                    return None;
                }
                Some(if asked.question.sensitive {
                    json!({"question": code, "sensitive": true})
                } else {
                    json!({"question": code, "old": old, "new": new})
                })
            })
            .collect();
        if !changes.is_empty() {
            audit(
                tx,
                Some(organiser_id),
                Some(event.id),
                Some(registration_id),
                "registration.answers",
                json!({"changes": changes}),
            )
            .await?;
        }
        Ok(after)
    })
}

/// Inside the caller's transaction, the event and the registration locked
/// (in that order): reads the change against every question of the event,
/// moves the choice places it takes and frees and stores the answers. A
/// delegate's change of an answer whose question closed is refused under
/// `answers.<code>`. Gives the answers before and after, and the event's
/// questions.
async fn replace_answers(
    tx: &mut AsyncPgConnection,
    event: &Event,
    registration: &crate::db::registrations::Registration,
    change: AnswersChange<'_>,
) -> Result<(Answers, Answers, Vec<AskedQuestion>), RegistrationError> {
    if registration.status == RegistrationStatus::Cancelled {
        return Err(RegistrationError::Cancelled);
    }
    let questions = store::of_event(tx, registration.event_id, None).await?;
    let categories = categories_store::of_event(tx, registration.event_id).await?;
    let asking = Asking {
        category: categories_store::code_of(&categories, registration.category_id),
        approved: match change.by {
            ChangedBy::Delegate(_) => registration.status.answers_after_approval(),
            ChangedBy::Organiser => true,
        },
    };
    let rules: Vec<_> = questions.iter().map(AskedQuestion::rule).collect();
    let mut answers =
        parse_answers(&rules, change.given, asking).map_err(RegistrationError::Invalid)?;
    let before: Answers = store::answers_by_code(tx, registration.id)
        .await?
        .into_iter()
        .collect();
    // The whole map replaces the answers asked; those to questions not
    // put to this registration now (asked once approved, or of another
    // category it was in) stay as they were.
    for rule in rules.iter().filter(|rule| !rule.asked_of(asking)) {
        if let Some(kept) = before.get(&rule.code) {
            answers.insert(rule.code.clone(), kept.clone());
        }
    }
    if let ChangedBy::Delegate(now) = change.by {
        refuse_closed_changes(event, &questions, &before, &answers, now)?;
    }
    keep_files(tx, registration.id, &questions, &answers, change.uploads).await?;

    let mut moves = held_places(&questions, &answers);
    for (id, count) in held_places(&questions, &before) {
        *moves.entry(id).or_insert(0) -= count;
    }
    let mut ids: Vec<Uuid> = moves
        .iter()
        .filter(|(_, n)| **n != 0)
        .map(|(id, _)| *id)
        .collect();
    ids.sort_unstable();
    let locked = store::lock_choices(tx, &ids).await?;
    for choice in &locked {
        let wanted = moves.get(&choice.id).copied().unwrap_or(0);
        if wanted > 0
            && choice
                .capacity
                .is_some_and(|capacity| choice.taken + wanted > capacity)
        {
            let code = questions
                .iter()
                .find(|q| q.question.id == choice.question_id)
                .map_or("", |q| q.question.code.as_str());
            let error = FieldError::new("error-choice-full").with_arg("code", choice.code.as_str());
            return Err(refused(&answer_field(code), error));
        }
    }
    let changes: Vec<(Uuid, i32)> = ids.iter().map(|id| (*id, moves[id])).collect();
    if !store::move_choice_places(tx, &changes).await? {
        return Err(Invariant::CounterRefused.into());
    }
    store::delete_answers_of(tx, registration.id).await?;
    store::insert_answers(tx, &answer_rows(&questions, registration.id, &answers)).await?;
    files_store::delete_unnamed(tx, registration.id).await?;
    Ok((before, answers, questions))
}

/// What the retention purge deleted: the answers to one question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Purged {
    pub event_id: Uuid,
    pub code: String,
    pub answers: usize,
}

/// Deletes the answers (and files) of every question whose event ended
/// more than its `purge_after_days` before `now`: one transaction a
/// question, the event locked first, then its choices (DESIGN.md's lock
/// order), with an audit row naming the question and the count. The
/// worker calls it every hour; what it purged is no longer due.
pub async fn purge_due_answers(
    conn: &mut AsyncPgConnection,
    now: DateTime<Utc>,
) -> Result<Vec<Purged>, RegistrationError> {
    let due = store::due_for_purge(conn, now).await?;
    let mut purged = Vec::with_capacity(due.len());
    for question in due {
        let answers = with_retries!(conn, |tx| {
            registrations_store::lock_event(tx, question.event_id).await?;
            store::lock_choices_of(tx, question.question_id).await?;
            let answers = store::purge_answers(tx, question.question_id).await?;
            audit(
                tx,
                None,
                Some(question.event_id),
                None,
                "question.purge",
                json!({"question": question.code, "answers": answers}),
            )
            .await?;
            Ok::<usize, RegistrationError>(answers)
        })?;
        purged.push(Purged {
            event_id: question.event_id,
            code: question.code,
            answers,
        });
    }
    Ok(purged)
}
