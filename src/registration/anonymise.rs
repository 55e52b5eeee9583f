//! After a meeting, personal data has no reason to stay: `anonymise`
//! replaces every personal field with a placeholder while keeping what the
//! statistics need (countries, statuses, sessions, counts and quotas, the
//! answers to choice and yes/no questions).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::{RegistrationError, with_retries};
use crate::db::events::Event;
use crate::db::organisers;
use crate::db::schema::{audit_log, email_outbox, idempotency_keys, registrations};

/// How long failed logins (an email address typed, and where from) are
/// kept for a security review; anonymising any event deletes older ones.
pub const FAILED_LOGIN_RETENTION_DAYS: i64 = 30;

/// What anonymising left behind for its caller to clean: the ids of the
/// event's emails, which name the file transport's `.eml` files.
pub struct Anonymised {
    pub registrations: usize,
    pub emails: Vec<uuid::Uuid>,
}

#[derive(Debug, thiserror::Error)]
pub enum AnonymiseError {
    #[error("the event has not ended yet (it ends on {0})")]
    NotEnded(chrono::NaiveDate),
    #[error(transparent)]
    Registration(#[from] RegistrationError),
}

/// Anonymises every registration of a finished event, in one transaction.
pub async fn anonymise(
    conn: &mut AsyncPgConnection,
    event: &Event,
    now: DateTime<Utc>,
) -> Result<Anonymised, AnonymiseError> {
    if now.with_timezone(&event.time_zone()).date_naive() <= event.ends_on {
        return Err(AnonymiseError::NotEnded(event.ends_on));
    }
    let anonymised = with_retries!(conn, |tx| {
        crate::db::registrations::lock_event(tx, event.id).await?;
        // The email must stay unique per live registration: the reference is.
        let count =
            diesel::update(registrations::table.filter(registrations::event_id.eq(event.id)))
                .set((
                    registrations::given_name.eq("—"),
                    registrations::family_name.eq(""),
                    registrations::organisation.eq(""),
                    registrations::email.eq(diesel::dsl::sql::<diesel::sql_types::Text>(
                        "'anonymised-' || lower(reference) || '@invalid'",
                    )),
                    // A random value nobody holds: the private link stops working.
                    registrations::token_hash.eq(diesel::dsl::sql::<diesel::sql_types::Binary>(
                        "sha256(convert_to(gen_random_uuid()::text, 'UTF8'))",
                    )),
                    registrations::updated_at.eq(now),
                ))
                .execute(tx)
                .await?;
        // The bodies hold the private link (an email must); a refusal's
        // text often quotes the recipient.
        let emails =
            diesel::update(email_outbox::table.filter(email_outbox::event_id.eq(event.id)))
                .set((
                    email_outbox::recipient.eq("anonymised@invalid"),
                    email_outbox::last_error.eq(None::<String>),
                    email_outbox::subject.eq(None::<String>),
                    email_outbox::body_text.eq(None::<String>),
                    email_outbox::body_html.eq(None::<String>),
                    email_outbox::attachment_ics.eq(None::<String>),
                ))
                .returning(email_outbox::id)
                .get_results(tx)
                .await?;
        // Texts typed by delegates, and sensitive answers, are personal;
        // choices and yes/no answers stay for the counts (and the choice
        // counters that `check` compares with them).
        diesel::sql_query(
            "DELETE FROM registration_answers a USING questions q \
              WHERE q.id = a.question_id AND q.event_id = $1 \
                AND (q.kind IN ('text', 'long_text') \
                     OR (q.sensitive AND q.kind NOT IN ('single_choice', 'multiple_choice', 'yes_no')))",
        )
        .bind::<diesel::sql_types::Uuid, _>(event.id)
        .execute(tx)
        .await?;
        // Letters and photos are personal whatever the question; the
        // answers naming them go with them.
        crate::db::files::delete_of_event(tx, event.id).await?;
        // Stored answers to retried requests carry private links.
        diesel::delete(idempotency_keys::table.filter(idempotency_keys::event_id.eq(event.id)))
            .execute(tx)
            .await?;
        // Failed logins name an email address (maybe a delegate's, typed
        // by mistake) and where it came from.
        diesel::delete(
            audit_log::table
                .filter(audit_log::action.eq("login.failed"))
                .filter(
                    audit_log::at.lt(now - chrono::Duration::days(FAILED_LOGIN_RETENTION_DAYS)),
                ),
        )
        .execute(tx)
        .await?;
        organisers::audit(
            tx,
            None,
            Some(event.id),
            None,
            "event.anonymise",
            serde_json::json!({"registrations": count}),
        )
        .await?;
        Ok::<Anonymised, RegistrationError>(Anonymised {
            registrations: count,
            emails,
        })
    })?;
    Ok(anonymised)
}
