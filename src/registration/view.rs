//! A registration as the delegate sees it: status, place in the queue, and
//! the session choices.

use diesel::QueryResult;
use diesel_async::AsyncPgConnection;

use super::RegistrationError;
use super::token::hash_token;
use crate::db::categories::{self as categories_store, Category};
use crate::db::events::{Event, Session};
use crate::db::questions as questions_store;
use crate::db::registrations::{self as store, Queue, Registration};
use crate::domain::{Answers, RegistrationStatus, SeatStatus};

#[derive(Debug, Clone)]
pub struct ChoiceView {
    pub session: Session,
    pub status: SeatStatus,
}

#[derive(Debug, Clone)]
pub struct RegistrationView {
    pub registration: Registration,
    /// 1 = the next to be offered a place; `None` unless waitlisted.
    pub waitlist_position: Option<i64>,
    pub choices: Vec<ChoiceView>,
    /// Answers to the event's questions, by question code.
    pub answers: Answers,
    /// The participant category's code, in an event that has them.
    pub category: Option<String>,
}

pub async fn view_of(
    conn: &mut AsyncPgConnection,
    registration: Registration,
) -> QueryResult<RegistrationView> {
    let category = match registration.category_id {
        Some(id) => Some(categories_store::find_by_id(conn, id).await?),
        None => None,
    };
    let waitlist_position = match registration.status {
        RegistrationStatus::Waitlisted => {
            Some(waiting_place(conn, &registration, category.as_ref()).await?)
        }
        RegistrationStatus::Unverified
        | RegistrationStatus::Pending
        | RegistrationStatus::Confirmed
        | RegistrationStatus::Rejected
        | RegistrationStatus::Cancelled => None,
    };
    let choices = store::choices_of(conn, registration.id)
        .await?
        .into_iter()
        .map(|(choice, session)| ChoiceView {
            session,
            status: choice.status,
        })
        .collect();
    let answers = questions_store::answers_by_code(conn, registration.id)
        .await?
        .into_iter()
        .collect();
    Ok(RegistrationView {
        registration,
        waitlist_position,
        choices,
        answers,
        category: category.map(|category| category.code),
    })
}

/// 1-based place of a waiting registration in the queue that holds it
/// back: its category's when the category is full or counts outside the
/// quotas, else its country's when the country is full, else the event's.
async fn waiting_place(
    conn: &mut AsyncPgConnection,
    registration: &Registration,
    category: Option<&Category>,
) -> QueryResult<i64> {
    let queue = category.and_then(|category| {
        let quota = category.quota();
        (!quota.places.has_room() || !quota.counts_in_quotas)
            .then_some(Queue::Category(category.id))
    });
    let queue = match queue {
        Some(queue) => queue,
        None => {
            let country =
                store::country_quota(conn, registration.event_id, &registration.country_code)
                    .await?;
            if country.quota().has_room() {
                Queue::Event
            } else {
                Queue::Country
            }
        }
    };
    store::waitlist_position(conn, registration, queue).await
}

/// The registration behind a private token and its event, both locked
/// (the event first: the global lock order).
pub(super) async fn lock_by_token(
    conn: &mut AsyncPgConnection,
    token_hash: &[u8],
) -> Result<(Event, Registration), RegistrationError> {
    let found = store::find_by_token_hash(conn, token_hash)
        .await?
        .ok_or(RegistrationError::NotFound)?;
    let event = store::lock_event(conn, found.event_id).await?;
    let registration = store::lock(conn, found.id).await?;
    Ok((event, registration))
}

/// The registration behind a private token, if any.
pub async fn find_by_token(
    conn: &mut AsyncPgConnection,
    token: &str,
) -> QueryResult<Option<RegistrationView>> {
    match store::find_by_token_hash(conn, &hash_token(token)).await? {
        Some(registration) => view_of(conn, registration).await.map(Some),
        None => Ok(None),
    }
}
