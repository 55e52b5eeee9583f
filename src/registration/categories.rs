//! Organisers set up an event's participant categories. Each change is one
//! transaction that locks the event row first, then the category, and
//! writes its audit row there (which tells every process to read the event
//! again). A raised capacity gives its new places to the waiting list at
//! once.

use diesel_async::AsyncPgConnection;
use serde_json::json;
use uuid::Uuid;

use super::promote::fill_free_places;
use super::{RegistrationError, with_retries};
use crate::db::admin as admin_store;
use crate::db::categories::{self as store, Category, CategoryChanges};
use crate::db::events::Event;
use crate::db::organisers::audit;
use crate::db::registrations as registrations_store;
use crate::domain::{FieldError, FieldErrors};

fn refused(field: &str, error: FieldError) -> RegistrationError {
    RegistrationError::Invalid(FieldErrors::single(field, error))
}

/// Creates a category; `None` when the event has one with this code.
pub async fn create(
    conn: &mut AsyncPgConnection,
    event: &Event,
    code: &str,
    setup: &CategoryChanges,
    organiser_id: Uuid,
) -> Result<Option<Category>, RegistrationError> {
    let created = with_retries!(conn, |tx| {
        registrations_store::lock_event(tx, event.id).await?;
        let category = store::insert(tx, event.id, code, setup).await?;
        let detail = json!({"code": code});
        audit(
            tx,
            Some(organiser_id),
            Some(event.id),
            None,
            "category.create",
            detail,
        )
        .await?;
        Ok::<_, RegistrationError>(category)
    });
    match created {
        Ok(category) => Ok(Some(category)),
        Err(RegistrationError::Database(error)) if admin_store::is_unique_violation(&error) => {
            Ok(None)
        }
        Err(other) => Err(other),
    }
}

/// Changes a category's set-up. A capacity below the places it holds is
/// refused, and so is moving a category in or out of the quotas once a
/// registration uses it (the counters it moved would no longer add up).
pub async fn update(
    conn: &mut AsyncPgConnection,
    event: &Event,
    code: &str,
    setup: &CategoryChanges,
    organiser_id: Uuid,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Category, RegistrationError> {
    with_retries!(conn, |tx| {
        let locked = registrations_store::lock_event(tx, event.id).await?;
        let before = store::find(tx, event.id, code)
            .await?
            .ok_or(RegistrationError::NotFound)?;
        let before = store::lock(tx, before.id).await?;
        if setup
            .capacity
            .is_some_and(|capacity| capacity < before.taken)
        {
            let error = FieldError::new("error-capacity-below-taken")
                .with_arg("taken", before.taken.to_string());
            return Err(refused("capacity", error));
        }
        if setup.counts_in_quotas != before.counts_in_quotas
            && store::is_used(tx, before.id).await?
        {
            return Err(refused(
                "counts_in_quotas",
                FieldError::new("error-category-in-use"),
            ));
        }
        store::update(tx, before.id, setup).await?;
        fill_free_places(tx, &locked, now).await?;
        // As the promotions left it.
        let after = store::find_by_id(tx, before.id).await?;
        let detail = json!({
            "code": code,
            "capacity": {"before": before.capacity, "after": after.capacity},
        });
        audit(
            tx,
            Some(organiser_id),
            Some(event.id),
            None,
            "category.update",
            detail,
        )
        .await?;
        Ok(after)
    })
}

/// Deletes a category no registration ever used; one in use is refused.
pub async fn delete(
    conn: &mut AsyncPgConnection,
    event: &Event,
    code: &str,
    organiser_id: Uuid,
) -> Result<(), RegistrationError> {
    with_retries!(conn, |tx| {
        registrations_store::lock_event(tx, event.id).await?;
        let category = store::find(tx, event.id, code)
            .await?
            .ok_or(RegistrationError::NotFound)?;
        store::lock(tx, category.id).await?;
        if store::is_used(tx, category.id).await? {
            return Err(refused("code", FieldError::new("error-category-in-use")));
        }
        store::delete(tx, category.id).await?;
        let detail = json!({"code": code});
        audit(
            tx,
            Some(organiser_id),
            Some(event.id),
            None,
            "category.delete",
            detail,
        )
        .await?;
        Ok(())
    })
}
