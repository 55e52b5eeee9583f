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
        if let Some(question) = store::asked_by(tx, event.id, code).await? {
            let error = FieldError::new("error-category-asked").with_arg("code", question);
            return Err(refused("code", error));
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

/// Puts a registration in another of the event's categories — the way a
/// category only organisers assign (an invitation) is given. A place held
/// moves with it: given back in the old category (and the event's and
/// country's quotas where it counted) and taken in the new one, which must
/// have room, else nothing changes. A waiting registration keeps its turn,
/// now in the new category's list, and is promoted at once if that has
/// room. One awaiting an organiser's decision is decided first; a cancelled
/// or rejected one is not moved. The places it frees go to the next in
/// line.
pub async fn assign(
    conn: &mut AsyncPgConnection,
    event: &Event,
    registration_id: Uuid,
    code: &str,
    organiser_id: Uuid,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<crate::registration::RegistrationView, RegistrationError> {
    use crate::domain::RegistrationStatus;
    use crate::registration::view_of;
    with_retries!(conn, |tx| {
        let (mut event, registration) =
            super::admin::lock_registration(tx, event.id, registration_id).await?;
        let category = store::find(tx, event.id, code)
            .await?
            .ok_or_else(|| refused("category", FieldError::new("error-category-unknown")))?;
        if registration.category_id == Some(category.id) {
            return Ok(view_of(tx, registration).await?);
        }
        match registration.status {
            RegistrationStatus::Cancelled | RegistrationStatus::Rejected => {
                return Err(RegistrationError::Cancelled);
            }
            RegistrationStatus::Pending => {
                return Err(refused(
                    "registration",
                    FieldError::new("admin-category-decide-first"),
                ));
            }
            RegistrationStatus::Unverified
            | RegistrationStatus::Confirmed
            | RegistrationStatus::Waitlisted => {}
        }
        let holds = registration
            .status
            .holds_place(event.approving.pending_holds_place);
        if holds {
            super::places::give_back_place(tx, &mut event, &registration).await?;
        }
        let moved =
            registrations_store::set_category(tx, registration.id, category.id, now).await?;
        if holds
            && super::places::take_place(tx, &mut event, &moved)
                .await?
                .is_err()
        {
            // The transaction rolls back: the place stays where it was.
            return Err(refused(
                "category",
                FieldError::new("admin-category-no-room"),
            ));
        }
        fill_free_places(tx, &event, now).await?;
        let detail = json!({"category": code});
        super::admin::audit_registration(tx, organiser_id, &moved, "registration.category", detail)
            .await?;
        let moved = registrations_store::find(tx, moved.id).await?;
        Ok(view_of(tx, moved).await?)
    })
}
