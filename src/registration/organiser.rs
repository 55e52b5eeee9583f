//! What organisers do to places: change a country's quota (which may
//! promote waiting delegates) and resend a delegate's last email.

use chrono::{DateTime, Utc};
use diesel::result::Error as DieselError;
use diesel_async::AsyncPgConnection;
use uuid::Uuid;

use super::promote::fill_free_places;
use super::{RegistrationError, with_retries};
use crate::db::events::{CountryQuota, Event};
use crate::db::organisers;
use crate::db::outbox::{self, NewEmail};
use crate::db::registrations as store;
use crate::domain::{CountryCode, EmailKind, FieldError, FieldErrors};

/// Sets a country's own quota. Refused below the places already taken; a
/// higher quota gives the new places to that country's waiting list at once.
pub async fn set_country_capacity(
    conn: &mut AsyncPgConnection,
    event: &Event,
    country: CountryCode,
    capacity: Option<i32>,
    organiser_id: Uuid,
    now: DateTime<Utc>,
) -> Result<CountryQuota, RegistrationError> {
    with_retries!(conn, |tx| {
        let event = store::lock_event(tx, event.id).await?;
        let quota = apply_country_capacity(tx, &event, &country, capacity, "capacity").await?;
        fill_free_places(tx, &event, now).await?;
        organisers::audit(
            tx,
            Some(organiser_id),
            Some(event.id),
            None,
            "country_quota.set",
            serde_json::json!({"country": country.as_str(), "capacity": capacity, "before": quota.capacity}),
        )
        .await?;
        Ok(store::country_quota(tx, event.id, country.as_str()).await?)
    })
}

/// Sets a country's own quota while the caller holds the event lock, and
/// returns the quota as it was. Below the places already taken it is
/// refused, the problem filed under `field`.
pub(super) async fn apply_country_capacity(
    conn: &mut AsyncPgConnection,
    event: &Event,
    country: &CountryCode,
    capacity: Option<i32>,
    field: &str,
) -> Result<CountryQuota, RegistrationError> {
    let quota = store::lock_country_quota(conn, event, country.as_str()).await?;
    if capacity.is_some_and(|capacity| capacity < quota.taken) {
        let error = FieldError::new("error-capacity-below-taken")
            .with_arg("taken", quota.taken.to_string());
        return Err(RegistrationError::Invalid(FieldErrors::single(
            field, error,
        )));
    }
    crate::db::events::set_country_capacity(conn, event.id, country.as_str(), capacity).await?;
    Ok(quota)
}

/// Queues the delegate's last confirmation or waiting-list email again,
/// word for word (it carries the private link, which only its hash
/// otherwise keeps).
pub async fn resend(
    conn: &mut AsyncPgConnection,
    event: &Event,
    registration_id: Uuid,
    organiser_id: Uuid,
) -> Result<(), RegistrationError> {
    with_retries!(conn, |tx| {
        let registration = store::find(tx, registration_id)
            .await
            .map_err(|error| match error {
                DieselError::NotFound => RegistrationError::NotFound,
                other => other.into(),
            })?;
        if registration.event_id != event.id {
            return Err(RegistrationError::NotFound);
        }
        let last = outbox::last_announcement(tx, registration.id)
            .await?
            .ok_or(RegistrationError::NotFound)?;
        outbox::enqueue(
            tx,
            &NewEmail {
                id: Uuid::now_v7(),
                event_id: event.id,
                registration_id: Some(registration.id),
                kind: EmailKind::Resend,
                recipient: &registration.email,
                language: &last.language,
                subject: last.subject.as_deref().unwrap_or_default(),
                body_text: last.body_text.as_deref().unwrap_or_default(),
                body_html: last.body_html.as_deref().unwrap_or_default(),
                attachment_ics: last.attachment_ics.as_deref(),
            },
        )
        .await?;
        organisers::audit(
            tx,
            Some(organiser_id),
            Some(event.id),
            Some(registration.id),
            "email.resend",
            serde_json::json!({"copied_from": last.id, "kind": last.kind}),
        )
        .await?;
        Ok(())
    })
}
